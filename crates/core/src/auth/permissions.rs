//! **The one permission table**: which roles may do what. Every domain write asks `require_in`
//! inside its own transaction, so the roles are read from the roster as of the write's day (a role
//! that has ended has ended its rights, even for a window signed in before).
//!
//! A refusal names the roles the action needs (`auth.forbidden`, with `action` and `roles` said in
//! words by the catalogue: `permission.<action>`, `role.<role>`).

use rusqlite::{Connection, OptionalExtension};

use crate::auth::{roles_on, AuthRole};
use crate::codes::coded_enum;
use crate::error::{CoreError, Result};
use crate::store::audit::{Actor, ActorKind};
use crate::store::Writer;

coded_enum! {
    /// What a person may be allowed to do to the books. Reading needs no permission.
    pub enum Action {
        /// Add, change or mark leaving a member; flags, roles, consent; import a sheet.
        MemberWrite = "member_write",
        /// Record a meeting, its attendance, topics, minutes and decisions.
        MeetingWrite = "meeting_write",
        /// Record a home visit, health check, support, training or event.
        ActivityWrite = "activity_write",
        /// Move money: receipts, payments, transfers, dues, counts, handing over and repaying loans.
        Money = "money",
        /// Take a loan application onto the waiting list.
        LoanApply = "loan_apply",
        /// Close a month (the treasurer; each countersigner confirms with their own PIN).
        MonthClose = "month_close",
        /// Correct a voucher by reversal.
        Correction = "correction",
        /// Write off a loan.
        WriteOff = "write_off",
        /// Reschedule a loan.
        Reschedule = "reschedule",
        /// Change the club's rules: the profile, loan rules, targets, sign-in settings.
        RuleChange = "rule_change",
        /// Create or change the club's signing key.
        KeyChange = "key_change",
        /// Sign a report bundle for the commune.
        ReportSend = "report_send",
        /// Add or remove a sign-in, reset someone's PIN.
        SignInManage = "sign_in_manage",
        /// Replace the books with a backup (the replaced ones are kept beside them).
        Restore = "restore",
    }
}

use AuthRole::{BoardMember, Chair, Secretary, Treasurer, ViceChair};

/// The table. `chair_handles_money` is the club's setting (`auth_setting`) for clubs whose rule lets
/// the chairperson take in and pay out money too.
pub fn allowed(action: Action, chair_handles_money: bool) -> Vec<AuthRole> {
    match action {
        Action::MemberWrite | Action::MeetingWrite => vec![Chair, ViceChair, Secretary],
        Action::ActivityWrite => vec![Chair, ViceChair, Treasurer, Secretary, BoardMember],
        Action::Money if chair_handles_money => vec![Treasurer, Chair],
        Action::Money | Action::MonthClose => vec![Treasurer],
        Action::LoanApply | Action::ReportSend => vec![Chair, ViceChair, Treasurer, Secretary],
        Action::Correction
        | Action::WriteOff
        | Action::Reschedule
        | Action::RuleChange
        | Action::KeyChange
        | Action::SignInManage
        | Action::Restore => vec![Chair, ViceChair],
    }
}

/// Whether the club lets the chairperson move money (`auth_setting.chair_handles_money`; no row:
/// the default, no).
pub(crate) fn chair_handles_money(conn: &Connection, club_id: i64) -> Result<bool> {
    let v: Option<i64> = conn
        .query_row("SELECT chair_handles_money FROM auth_setting WHERE club_id = ?1", [club_id], |r| r.get(0))
        .optional()?;
    match v {
        None | Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(other) => Err(CoreError::DbDamaged {
            table: "auth_setting".into(),
            row: club_id,
            column: "chair_handles_money".into(),
            value: other.to_string(),
        }),
    }
}

/// The roles `actor` holds in `club_id` now, read from the database: a signed-in person's roles from
/// the roster on `day` (none once the sign-in is removed), none for a name that did not sign in.
pub(crate) fn actor_roles(conn: &Connection, actor: &Actor, club_id: i64, day: chrono::NaiveDate) -> Result<Vec<AuthRole>> {
    match actor.kind() {
        ActorKind::SignedIn { club_id: c, sign_in_id } if *c == club_id => {
            let row: Option<Option<i64>> = conn
                .query_row(
                    "SELECT member_id FROM sign_in WHERE id = ?1 AND club_id = ?2 AND removed_at IS NULL",
                    rusqlite::params![sign_in_id, club_id],
                    |r| r.get(0),
                )
                .optional()?;
            match row {
                None => Ok(vec![]),
                Some(member) => roles_on(conn, club_id, member, day),
            }
        }
        _ => Ok(vec![]),
    }
}

/// Refuse `action` unless `actor` holds one of the roles the table gives it (the program's own
/// named paths, `Actor::system`, may do everything and are audited as themselves).
pub(crate) fn require_on(conn: &Connection, actor: &Actor, club_id: i64, action: Action, day: chrono::NaiveDate) -> Result<()> {
    if matches!(actor.kind(), ActorKind::System) {
        return Ok(());
    }
    let needed = allowed(action, chair_handles_money(conn, club_id)?);
    let held = actor_roles(conn, actor, club_id, day)?;
    if needed.iter().any(|r| held.contains(r)) {
        return Ok(());
    }
    Err(CoreError::AuthForbidden {
        action: action.code().to_string(),
        roles: needed.iter().map(|r| r.code().to_string()).collect(),
    })
}

/// `require_on` inside a write in progress, as of the write's day.
pub(crate) fn require_in(w: &Writer<'_>, club_id: i64, action: Action) -> Result<()> {
    require_on(&w.tx, &w.actor, club_id, action, w.today)
}
