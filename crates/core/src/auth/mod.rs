//! Who may act: board sign-ins with PINs, the roles they carry, and the permission table.
//!
//! Invariants this folder owns:
//! - A PIN (4–8 digits) and the recovery code are stored only as Argon2id PHC strings (`pin.rs`,
//!   the `argon2` crate); nothing else of them is kept or logged.
//! - A wrong PIN slows the next attempt, growing with each failure (`wait_after`); an attempt that
//!   comes too soon is refused without checking the PIN. The failure count and time are stored
//!   with the sign-in, and every failure leaves an audit row.
//! - A sign-in's roles are the roster's (`roster::member` role ranges) on the day asked: a role that
//!   ends ends its rights. A sign-in tied to no board role today is a viewer.
//! - A signed-in `Actor` is made only here (`sign_in`, `setup_chair`, `recover`).
//! - Which role may do what is one table, `permissions::allowed`.
//! - Set-up is the chairperson's (or vice-chair's) first PIN, with a recovery code shown once; the
//!   recovery code sets a chair's PIN when every PIN is lost. Nothing is deleted to regain access.

pub mod permissions;
pub mod pin;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::codes::coded_enum;
use crate::error::{damaged, CoreError, Field, Result};
use crate::roster::member::{MemberInput, Role};
use crate::store::audit::Actor;
use crate::store::Store;
use crate::text;
use permissions::Action;

coded_enum! {
    /// A sign-in's role, from the roster's board roles on the day (`group_leader` is a board member).
    pub enum AuthRole {
        Chair = "chair",
        ViceChair = "vice_chair",
        Treasurer = "treasurer",
        Secretary = "secretary",
        BoardMember = "board_member",
        Viewer = "viewer",
    }
}

impl AuthRole {
    fn from_roster(role: Role) -> Option<AuthRole> {
        match role {
            Role::Chair => Some(AuthRole::Chair),
            Role::ViceChair => Some(AuthRole::ViceChair),
            Role::Treasurer => Some(AuthRole::Treasurer),
            Role::Secretary => Some(AuthRole::Secretary),
            Role::GroupLeader => Some(AuthRole::BoardMember),
            Role::Volunteer | Role::CareRecipient => None,
        }
    }
}

/// The roles of a sign-in for `member` (None: a viewer outside the roster) on `day`: the member's
/// board roles in force that day, while they are a member; `[viewer]` when there are none.
pub(crate) fn roles_on(conn: &Connection, club_id: i64, member: Option<i64>, day: NaiveDate) -> Result<Vec<AuthRole>> {
    let mut roles = Vec::new();
    if let Some(member_id) = member {
        let mut stmt = conn.prepare_cached(
            "SELECT r.id, r.role FROM member_role r JOIN member m ON m.id = r.member_id
             WHERE r.member_id = ?1 AND m.club_id = ?2 AND m.joined_on <= ?3
               AND (m.left_on IS NULL OR m.left_on > ?3)
               AND r.from_on <= ?3 AND (r.to_on IS NULL OR r.to_on > ?3)
             ORDER BY r.id",
        )?;
        let rows = stmt.query_map(rusqlite::params![member_id, club_id, day], |r| {
            let id: i64 = r.get(0)?;
            let code: String = r.get(1)?;
            Role::from_code(&code).ok_or_else(|| damaged("member_role", id, "role", &code))
        })?;
        for role in rows {
            if let Some(a) = AuthRole::from_roster(role?) {
                if !roles.contains(&a) {
                    roles.push(a);
                }
            }
        }
    }
    roles.sort_by_key(|r| AuthRole::ALL.iter().position(|x| x == r));
    if roles.is_empty() {
        roles.push(AuthRole::Viewer);
    }
    Ok(roles)
}

/// One sign-in as the `ishc user list` and the window's name buttons show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignIn {
    pub id: i64,
    pub club_id: i64,
    /// The roster member, or none for a viewer from outside the club (a commune officer).
    pub member_id: Option<i64>,
    pub name: String,
    /// The roles as of the store's today.
    pub roles: Vec<AuthRole>,
    /// Wrong PINs in a row since the last right one.
    pub failures: u32,
    pub created_at: String,
}

/// The club's sign-in settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct AuthSettings {
    /// The club's rule lets the chairperson take in and pay out money too.
    pub chair_handles_money: bool,
    /// The window locks after this many idle minutes.
    pub lock_minutes: u32,
}

/// How long a sign-in must wait after `failures` wrong PINs in a row: none before the first, then
/// 1, 2, 4, 8… seconds, at most 15 minutes (a 4-digit PIN then takes months to guess).
pub fn wait_after(failures: u32) -> u64 {
    match failures {
        0 => 0,
        n => 1u64.checked_shl(n - 1).unwrap_or(u64::MAX).min(15 * 60),
    }
}

fn now_text(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

struct Row {
    id: i64,
    member_id: Option<i64>,
    name: String,
    pin_hash: String,
    failures: u32,
    last_failure_at: Option<DateTime<Utc>>,
    created_at: String,
}

const ROW_COLUMNS: &str = "id, member_id, name, pin_hash, failures, last_failure_at, created_at";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let id: i64 = r.get(0)?;
    let failures: i64 = r.get(4)?;
    let last: Option<String> = r.get(5)?;
    let last_failure_at = match last {
        None => None,
        Some(s) => Some(
            DateTime::parse_from_rfc3339(&s).map_err(|_| damaged("sign_in", id, "last_failure_at", &s))?.with_timezone(&Utc),
        ),
    };
    Ok(Row {
        id,
        member_id: r.get(1)?,
        name: r.get(2)?,
        pin_hash: r.get(3)?,
        failures: u32::try_from(failures).map_err(|_| damaged("sign_in", id, "failures", failures))?,
        last_failure_at,
        created_at: r.get(6)?,
    })
}

fn find_by_name(conn: &Connection, club_id: i64, name: &str) -> Result<Option<Row>> {
    Ok(conn
        .query_row(
            &format!("SELECT {ROW_COLUMNS} FROM sign_in WHERE club_id = ?1 AND name_key = ?2 AND removed_at IS NULL"),
            rusqlite::params![club_id, text::fold(name)],
            read_row,
        )
        .optional()?)
}

fn find_by_id(conn: &Connection, club_id: i64, id: i64) -> Result<Row> {
    conn.query_row(
        &format!("SELECT {ROW_COLUMNS} FROM sign_in WHERE club_id = ?1 AND id = ?2 AND removed_at IS NULL"),
        rusqlite::params![club_id, id],
        read_row,
    )
    .optional()?
    .ok_or(CoreError::AuthNotFound { id })
}

/// The club's sign-ins (not removed), in the order they were made.
pub fn list(store: &Store, club_id: i64) -> Result<Vec<SignIn>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT {ROW_COLUMNS} FROM sign_in WHERE club_id = ?1 AND removed_at IS NULL ORDER BY id"
    ))?;
    let rows = stmt.query_map([club_id], read_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|r| {
            Ok(SignIn {
                id: r.id,
                club_id,
                member_id: r.member_id,
                roles: roles_on(conn, club_id, r.member_id, store.today())?,
                name: r.name,
                failures: r.failures,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// No sign-in yet: the chairperson must set a PIN first (`setup_chair`).
pub fn needs_setup(store: &Store, club_id: i64) -> Result<bool> {
    let n: i64 = store.conn().query_row(
        "SELECT count(*) FROM sign_in WHERE club_id = ?1 AND removed_at IS NULL",
        [club_id],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

pub fn settings(store: &Store, club_id: i64) -> Result<AuthSettings> {
    let row: Option<(i64, i64)> = store
        .conn()
        .query_row("SELECT chair_handles_money, lock_minutes FROM auth_setting WHERE club_id = ?1", [club_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((_, lock)) = row else {
        return Ok(AuthSettings { chair_handles_money: false, lock_minutes: 10 });
    };
    let lock_minutes = u32::try_from(lock).map_err(|_| CoreError::DbDamaged {
        table: "auth_setting".into(),
        row: club_id,
        column: "lock_minutes".into(),
        value: lock.to_string(),
    })?;
    Ok(AuthSettings { chair_handles_money: permissions::chair_handles_money(store.conn(), club_id)?, lock_minutes })
}

/// Change the club's sign-in settings (a rule change: chairperson or vice-chair).
pub fn set_settings(store: &mut Store, actor: &Actor, club_id: i64, new: AuthSettings) -> Result<()> {
    if !(1..=240).contains(&new.lock_minutes) {
        return Err(CoreError::invalid(Field::LockMinutes, crate::error::Rule::Range { min: 1, max: 240 }));
    }
    store.write(actor, |w| {
        permissions::require_in(w, club_id, Action::RuleChange)?;
        // An UPDATE, else an INSERT (an upsert would note the row twice for the seal).
        let params = rusqlite::params![club_id, new.chair_handles_money, new.lock_minutes];
        let changed = w.tx.execute(
            "UPDATE auth_setting SET chair_handles_money = ?2, lock_minutes = ?3 WHERE club_id = ?1",
            params,
        )?;
        if changed == 0 {
            w.tx.execute("INSERT INTO auth_setting (club_id, chair_handles_money, lock_minutes) VALUES (?1, ?2, ?3)", params)?;
        }
        w.audit(
            Some(club_id),
            "auth.settings",
            None,
            serde_json::json!({ "chair_handles_money": new.chair_handles_money, "lock_minutes": new.lock_minutes }),
        )
    })
}

/// Sign in by name (as typed: diacritics and case do not matter) with a PIN.
pub fn sign_in(store: &mut Store, club_id: i64, name: &str, pin: &str) -> Result<Actor> {
    sign_in_at(store, club_id, name, pin, Utc::now())
}

/// `sign_in` at a given moment (tests drive the clock).
pub fn sign_in_at(store: &mut Store, club_id: i64, name: &str, pin: &str, now: DateTime<Utc>) -> Result<Actor> {
    let name = text::required(name, Field::Actor, 100)?;
    let Some(row) = find_by_name(store.conn(), club_id, &name)? else {
        store.write(&Actor::system(&name)?, |w| {
            w.audit(Some(club_id), "auth.unknown_name", None, serde_json::json!({ "name": name }))
        })?;
        return Err(CoreError::AuthUnknown { name });
    };
    attempt(store, club_id, row, pin, now)
}

/// Sign in by the sign-in's id (the window's name buttons).
pub fn sign_in_id_at(store: &mut Store, club_id: i64, id: i64, pin: &str, now: DateTime<Utc>) -> Result<Actor> {
    let row = find_by_id(store.conn(), club_id, id)?;
    attempt(store, club_id, row, pin, now)
}

fn attempt(store: &mut Store, club_id: i64, row: Row, pin: &str, now: DateTime<Utc>) -> Result<Actor> {
    // The audit rows of an attempt name who was tried; that person's rights are not used.
    let trying = Actor::system(&row.name)?;
    if let Some(last) = row.last_failure_at {
        let wait = wait_after(row.failures);
        let elapsed = now.signed_duration_since(last).num_milliseconds().max(0) as u64;
        if elapsed < wait * 1000 {
            let left = (wait * 1000 - elapsed).div_ceil(1000);
            store.write(&trying, |w| {
                w.audit(Some(club_id), "auth.too_soon", Some(row.id), serde_json::json!({ "wait_seconds": left }))
            })?;
            return Err(CoreError::AuthTooSoon { name: row.name, wait_seconds: left });
        }
    }
    let ok = pin::check_pin(pin, Field::Pin).is_ok() && pin::matches(pin, &row.pin_hash)?;
    if !ok {
        let failures = row.failures.saturating_add(1);
        store.write(&trying, |w| {
            w.tx.execute(
                "UPDATE sign_in SET failures = ?1, last_failure_at = ?2 WHERE id = ?3",
                rusqlite::params![failures, now_text(now), row.id],
            )?;
            w.audit(Some(club_id), "auth.wrong_pin", Some(row.id), serde_json::json!({ "failures": failures }))
        })?;
        return Err(CoreError::AuthWrongPin { name: row.name, failures, wait_seconds: wait_after(failures) });
    }
    if row.failures > 0 {
        store.write(&trying, |w| {
            w.tx.execute("UPDATE sign_in SET failures = 0, last_failure_at = NULL WHERE id = ?1", [row.id])?;
            w.audit(Some(club_id), "auth.sign_in", Some(row.id), serde_json::json!({ "after_failures": row.failures }))
        })?;
    }
    Ok(Actor::signed_in(row.name, club_id, row.id))
}

/// Who a new sign-in is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A member of the club's roster (their roles come from it).
    Member(i64),
    /// Someone outside the roster who may only look (a commune officer), by name.
    Viewer(String),
}

fn member_name(conn: &Connection, club_id: i64, member_id: i64) -> Result<String> {
    conn.query_row("SELECT full_name FROM member WHERE id = ?1 AND club_id = ?2", [member_id, club_id], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::MemberNotFound { id: member_id })
}

/// The member's current sign-in (id, name), if she has one.
fn sign_in_of_member(conn: &Connection, club_id: i64, member_id: i64) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, name FROM sign_in WHERE club_id = ?1 AND member_id = ?2 AND removed_at IS NULL",
            [club_id, member_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn insert(w: &crate::store::Writer<'_>, club_id: i64, member_id: Option<i64>, name: &str, pin: &str) -> Result<i64> {
    if find_by_name(&w.tx, club_id, name)?.is_some() {
        return Err(CoreError::AuthNameTaken { name: name.to_string() });
    }
    if let Some(m) = member_id {
        if let Some((_, name)) = sign_in_of_member(&w.tx, club_id, m)? {
            return Err(CoreError::AuthNameTaken { name });
        }
    }
    w.tx.execute(
        "INSERT INTO sign_in (club_id, member_id, name, name_key, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![club_id, member_id, name, text::fold(name), pin::hash(pin)?, now_text(Utc::now())],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(Some(club_id), "auth.add", Some(id), serde_json::json!({ "name": name, "member_id": member_id }))?;
    Ok(id)
}

/// Whether the member holds the chair or vice-chair role on `day`.
fn is_chair_on(conn: &Connection, club_id: i64, member_id: i64, day: NaiveDate) -> Result<bool> {
    let roles = roles_on(conn, club_id, Some(member_id), day)?;
    Ok(roles.contains(&AuthRole::Chair) || roles.contains(&AuthRole::ViceChair))
}

fn store_recovery_code(w: &crate::store::Writer<'_>, club_id: i64) -> Result<String> {
    let code = pin::new_recovery_code()?;
    let hash = pin::hash(&pin::normalise_recovery_code(&code)?)?;
    let now = now_text(Utc::now());
    w.tx.execute("UPDATE recovery_code SET replaced_at = ?1 WHERE club_id = ?2 AND replaced_at IS NULL", rusqlite::params![now, club_id])?;
    w.tx.execute(
        "INSERT INTO recovery_code (club_id, code_hash, created_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![club_id, hash, now],
    )?;
    w.audit(Some(club_id), "auth.recovery_code", Some(w.tx.last_insert_rowid()), serde_json::json!({}))?;
    Ok(code)
}

/// What set-up and recovery hand back: the person now signed in and the recovery code, to print or
/// write down at once: it is stored only hashed and never shown again.
#[derive(Debug, Clone)]
pub struct Opened {
    pub actor: Actor,
    pub recovery_code: String,
}

/// The first sign-in of a club (a new club, or books made before sign-ins existed): the chairperson
/// (or vice-chair) of today's roster sets a PIN, and a recovery code is made.
pub fn setup_chair(store: &mut Store, club_id: i64, member_id: i64, new_pin: &str) -> Result<Opened> {
    pin::check_pin(new_pin, Field::NewPin)?;
    if !needs_setup(store, club_id)? {
        return Err(CoreError::AuthSetupDone);
    }
    let name = member_name(store.conn(), club_id, member_id)?;
    if !is_chair_on(store.conn(), club_id, member_id, store.today())? {
        return Err(CoreError::AuthNotChair { name });
    }
    store.write(&Actor::system(&name)?, |w| {
        let id = insert(w, club_id, Some(member_id), &name, new_pin)?;
        let recovery_code = store_recovery_code(w, club_id)?;
        Ok(Opened { actor: Actor::signed_in(name.clone(), club_id, id), recovery_code })
    })
}

/// A new club's first person: the chairperson is put on the roster (with the chair role from the
/// day she joined) and sets her PIN, in one write, and a recovery code is made. Only for a club
/// with no member and no sign-in yet (creating a club makes the chair's sign-in); books that
/// already have a roster use `setup_chair`.
pub fn setup_founder(store: &mut Store, club_id: i64, chair: &MemberInput, new_pin: &str) -> Result<Opened> {
    pin::check_pin(new_pin, Field::NewPin)?;
    if !needs_setup(store, club_id)? {
        return Err(CoreError::AuthSetupDone);
    }
    let mut input = chair.clone();
    if !input.roles.contains(&Role::Chair) {
        input.roles.push(Role::Chair);
    }
    let name = text::required(&input.full_name, Field::MemberFullName, 100)?;
    store.write(&Actor::system(&name)?, |w| {
        let members: i64 = w.tx.query_row("SELECT count(*) FROM member WHERE club_id = ?1", [club_id], |r| r.get(0))?;
        if members > 0 {
            return Err(CoreError::AuthSetupRoster);
        }
        let member_id = crate::roster::member::add_in(w, club_id, &input, false)?;
        let name = member_name(&w.tx, club_id, member_id)?;
        let id = insert(w, club_id, Some(member_id), &name, new_pin)?;
        let recovery_code = store_recovery_code(w, club_id)?;
        Ok(Opened { actor: Actor::signed_in(name, club_id, id), recovery_code })
    })
}

/// Add a sign-in (chairperson or vice-chair). The club must be set up first.
pub fn add(store: &mut Store, actor: &Actor, club_id: i64, who: Who, new_pin: &str) -> Result<i64> {
    pin::check_pin(new_pin, Field::NewPin)?;
    if needs_setup(store, club_id)? {
        return Err(CoreError::AuthSetupNeeded);
    }
    store.write(actor, |w| {
        permissions::require_in(w, club_id, Action::SignInManage)?;
        let (member_id, name) = match &who {
            Who::Member(id) => (Some(*id), member_name(&w.tx, club_id, *id)?),
            Who::Viewer(name) => (None, text::required(name, Field::Actor, 100)?),
        };
        insert(w, club_id, member_id, &name, new_pin)
    })
}

/// Change one's own PIN: proven with the old one (a wrong old PIN counts as a failed sign-in).
pub fn set_pin(store: &mut Store, club_id: i64, name: &str, old_pin: &str, new_pin: &str) -> Result<()> {
    set_pin_at(store, club_id, name, old_pin, new_pin, Utc::now())
}

pub fn set_pin_at(store: &mut Store, club_id: i64, name: &str, old_pin: &str, new_pin: &str, now: DateTime<Utc>) -> Result<()> {
    pin::check_pin(new_pin, Field::NewPin)?;
    let actor = sign_in_at(store, club_id, name, old_pin, now)?;
    let Some((_, id)) = actor.sign_in() else {
        return Err(CoreError::AuthUnknown { name: name.to_string() });
    };
    store.write(&actor, |w| {
        w.tx.execute("UPDATE sign_in SET pin_hash = ?1 WHERE id = ?2", rusqlite::params![pin::hash(new_pin)?, id])?;
        w.audit(Some(club_id), "auth.set_pin", Some(id), serde_json::json!({}))
    })
}

/// Reset someone's forgotten PIN (chairperson or vice-chair; audited). Their failures are cleared.
pub fn reset_pin(store: &mut Store, actor: &Actor, club_id: i64, id: i64, new_pin: &str) -> Result<()> {
    pin::check_pin(new_pin, Field::NewPin)?;
    store.write(actor, |w| {
        permissions::require_in(w, club_id, Action::SignInManage)?;
        let row = find_by_id(&w.tx, club_id, id)?;
        w.tx.execute(
            "UPDATE sign_in SET pin_hash = ?1, failures = 0, last_failure_at = NULL WHERE id = ?2",
            rusqlite::params![pin::hash(new_pin)?, row.id],
        )?;
        w.audit(Some(club_id), "auth.reset_pin", Some(row.id), serde_json::json!({ "name": row.name }))
    })
}

/// Remove a sign-in (chairperson or vice-chair). The row stays, marked removed, as the audit trail
/// names it; the person can no longer sign in.
pub fn remove(store: &mut Store, actor: &Actor, club_id: i64, id: i64) -> Result<()> {
    store.write(actor, |w| {
        permissions::require_in(w, club_id, Action::SignInManage)?;
        let row = find_by_id(&w.tx, club_id, id)?;
        w.tx.execute("UPDATE sign_in SET removed_at = ?1 WHERE id = ?2", rusqlite::params![now_text(Utc::now()), row.id])?;
        w.audit(Some(club_id), "auth.remove", Some(row.id), serde_json::json!({ "name": row.name }))
    })
}

/// Every PIN lost: the recovery code from set-up lets the chairperson or vice-chair of today's
/// roster set a new PIN (their sign-in is made if it was removed). The code is used up: a new one
/// is returned, to print. A wrong code is audited.
pub fn recover(store: &mut Store, club_id: i64, code: &str, member_id: i64, new_pin: &str) -> Result<Opened> {
    pin::check_pin(new_pin, Field::NewPin)?;
    let code = pin::normalise_recovery_code(code)?;
    let name = member_name(store.conn(), club_id, member_id)?;
    let stored: Option<String> = store
        .conn()
        .query_row("SELECT code_hash FROM recovery_code WHERE club_id = ?1 AND replaced_at IS NULL", [club_id], |r| r.get(0))
        .optional()?;
    let Some(stored) = stored else {
        return Err(CoreError::AuthNoRecovery);
    };
    if !pin::matches(&code, &stored)? {
        store.write(&Actor::system(&name)?, |w| {
            w.audit(Some(club_id), "auth.wrong_recovery", None, serde_json::json!({ "member_id": member_id }))
        })?;
        return Err(CoreError::AuthWrongRecovery);
    }
    if !is_chair_on(store.conn(), club_id, member_id, store.today())? {
        return Err(CoreError::AuthNotChair { name });
    }
    store.write(&Actor::system(&name)?, |w| {
        let id = match sign_in_of_member(&w.tx, club_id, member_id)?.map(|(id, _)| id) {
            Some(id) => {
                w.tx.execute(
                    "UPDATE sign_in SET pin_hash = ?1, failures = 0, last_failure_at = NULL WHERE id = ?2",
                    rusqlite::params![pin::hash(new_pin)?, id],
                )?;
                id
            }
            None => insert(w, club_id, Some(member_id), &name, new_pin)?,
        };
        w.audit(Some(club_id), "auth.recover", Some(id), serde_json::json!({ "name": name }))?;
        let recovery_code = store_recovery_code(w, club_id)?;
        Ok(Opened { actor: Actor::signed_in(name.clone(), club_id, id), recovery_code })
    })
}

/// The demo builder's sign-ins (`demo`): for each `(role, PIN)`, the first member holding that role
/// on `day` gets a sign-in with that PIN; a role nobody holds is skipped. The recovery code is
/// `recovery_code`. Inside the demo's own write, audited as the demo. Never for real books.
pub(crate) fn seed_in(
    w: &crate::store::Writer<'_>,
    club_id: i64,
    day: NaiveDate,
    pins: &[(AuthRole, &str)],
    recovery_code: &str,
) -> Result<Vec<(AuthRole, String)>> {
    let mut made = Vec::new();
    let mut stmt = w.tx.prepare(
        "SELECT m.id, m.full_name FROM member m WHERE m.club_id = ?1 ORDER BY m.id",
    )?;
    let members: Vec<(i64, String)> =
        stmt.query_map([club_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    for (role, pin) in pins {
        pin::check_pin(pin, Field::NewPin)?;
        for (id, name) in &members {
            if roles_on(&w.tx, club_id, Some(*id), day)?.contains(role) && !made.iter().any(|(_, n)| n == name) {
                insert(w, club_id, Some(*id), name, pin)?;
                made.push((*role, name.clone()));
                break;
            }
        }
    }
    let code = pin::normalise_recovery_code(recovery_code)?;
    w.tx.execute(
        "INSERT INTO recovery_code (club_id, code_hash, created_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![club_id, pin::hash(&code)?, now_text(Utc::now())],
    )?;
    w.audit(Some(club_id), "auth.recovery_code", Some(w.tx.last_insert_rowid()), serde_json::json!({}))?;
    Ok(made)
}
