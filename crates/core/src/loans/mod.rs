//! Member loans from the income-generation fund: the club's rules (kept with the date they took
//! effect), the waiting list, approval at a meeting, disbursement, the schedule, repayments,
//! arrears, portfolio at risk, reschedule and write-off.
//!
//! Invariants:
//! - money moves only through `ledger` (disbursement PC, repayment PT, write-off DC), in the same
//!   transaction as the register's row, so the `loans` account of the income fund equals the
//!   register's outstanding principal at every date (a property test checks it);
//! - interest is counted on a cash basis: it is income when paid; unpaid interest is owed, not booked;
//! - a repayment goes to penalty, then interest due, then principal that fell due; what is left pays
//!   the next instalment (its interest, then its principal, then the following one), unless the
//!   treasurer chose to prepay principal; the payoff settles the loan either way; more than the
//!   payoff is refused (the surplus belongs on a receipt); each payment records the instalments it
//!   went to;
//! - approval, reschedule and write-off are decisions of a meeting in the books; a reschedule adds a
//!   schedule version and never rewrites the earlier one;
//! - interest on instalments not yet due is not owed when the loan is paid off early; a partial
//!   prepayment lowers the principal still owed, and the schedule's later interest stays as agreed
//!   until the board reschedules.

pub mod schedule;

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::notice::Notice;
use crate::store::audit::Actor;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::books::{self, Fund};
use crate::life::meeting::{self, DecisionInput, DecisionKind, Person};
use crate::roster::member::{self, Flag};
use crate::store::{Store, Writer};
use crate::text;
pub use schedule::{Instalment, Method, Repayment, Terms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Livestock,
    Crops,
    Trade,
    Services,
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [Purpose::Livestock, Purpose::Crops, Purpose::Trade, Purpose::Services, Purpose::Other];
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Livestock => "livestock",
            Purpose::Crops => "crops",
            Purpose::Trade => "trade",
            Purpose::Services => "services",
            Purpose::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.code() == s.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    Applied,
    Approved,
    Disbursed,
    Repaid,
    WrittenOff,
    Withdrawn,
}

impl LoanStatus {
    pub fn code(self) -> &'static str {
        match self {
            LoanStatus::Applied => "applied",
            LoanStatus::Approved => "approved",
            LoanStatus::Disbursed => "disbursed",
            LoanStatus::Repaid => "repaid",
            LoanStatus::WrittenOff => "written_off",
            LoanStatus::Withdrawn => "withdrawn",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<LoanStatus> {
        match s {
            "applied" => Some(LoanStatus::Applied),
            "approved" => Some(LoanStatus::Approved),
            "disbursed" => Some(LoanStatus::Disbursed),
            "repaid" => Some(LoanStatus::Repaid),
            "written_off" => Some(LoanStatus::WrittenOff),
            "withdrawn" => Some(LoanStatus::Withdrawn),
            _ => None,
        }
    }
}

/// The club's lending rules (quy chế) from a date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanRules {
    pub effective_on: NaiveDate,
    /// Per cent per month; zero is allowed.
    #[ts(type = "string")]
    pub rate_pct_month: Decimal,
    pub method: Method,
    pub repayment: Repayment,
    pub min_months: u32,
    pub max_months: u32,
    /// The most one member may owe from one loan, in đồng.
    pub cap_per_member: i64,
    /// A member may hold only one loan at a time.
    pub one_active: bool,
    /// Per cent per month on late instalments; zero means no penalty.
    #[ts(type = "string")]
    pub penalty_pct_month: Decimal,
    /// Poor and near-poor members first on the waiting list.
    pub poor_first: bool,
}

impl LoanRules {
    /// What a new club starts from: the most common style in clubs, interest monthly at 0,5 % and
    /// the principal at the end, loans up to 10 million for 6 to 36 months, one at a time.
    pub fn default_from(effective_on: NaiveDate) -> LoanRules {
        LoanRules {
            effective_on,
            rate_pct_month: Decimal::new(5, 1),
            method: Method::Flat,
            repayment: Repayment::Bullet { interest_monthly: true },
            min_months: 6,
            max_months: 36,
            cap_per_member: 10_000_000,
            one_active: true,
            penalty_pct_month: Decimal::ZERO,
            poor_first: true,
        }
    }
}

/// The terms a loan was given, copied from the rules in force when it was disbursed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanTerms {
    #[ts(type = "string")]
    pub rate_pct_month: Decimal,
    pub method: Method,
    pub repayment: Repayment,
    pub rounding_unit: i64,
    #[ts(type = "string")]
    pub penalty_pct_month: Decimal,
}

fn bad(field: Field, rule: Rule) -> CoreError {
    CoreError::invalid(field, rule)
}

fn check_rules(r: &LoanRules) -> Result<()> {
    let hundred = Decimal::from(100);
    if r.rate_pct_month.is_sign_negative() || r.rate_pct_month > Decimal::from(10) {
        return Err(bad(Field::LoanRate, Rule::Range { min: 0, max: 10 }));
    }
    if r.penalty_pct_month.is_sign_negative() || r.penalty_pct_month > hundred {
        return Err(bad(Field::LoanPenalty, Rule::Range { min: 0, max: 100 }));
    }
    if !(1..=120).contains(&r.min_months) || r.max_months < r.min_months || r.max_months > 120 {
        return Err(bad(Field::LoanMonths, Rule::Range { min: 1, max: 120 }));
    }
    if let Repayment::Instalments { every } = r.repayment {
        if !(1..=12).contains(&every) {
            return Err(bad(Field::LoanRepayment, Rule::Range { min: 1, max: 12 }));
        }
    }
    crate::parse::money_in(Field::LoanCap, r.cap_per_member, 1, books::MAX_AMOUNT)?;
    Ok(())
}

/// A stored rate (per cent per month, `0.5`): a decimal, not negative. Anything else is damage.
pub(crate) fn stored_rate(s: &str) -> Option<Decimal> {
    s.parse::<Decimal>().ok().filter(|d| !d.is_sign_negative())
}

pub(crate) fn stored_method(s: &str) -> Option<Method> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

pub(crate) fn stored_repayment(s: &str) -> Option<Repayment> {
    serde_json::from_str(s).ok()
}

pub(crate) fn stored_terms(s: &str) -> Option<LoanTerms> {
    serde_json::from_str(s).ok()
}

fn rules_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LoanRules> {
    let id: i64 = r.get(10)?;
    let rate = |col: usize, column: &str| -> rusqlite::Result<Decimal> {
        let s: String = r.get(col)?;
        stored_rate(&s).ok_or_else(|| damaged("loan_rules", id, column, &s))
    };
    let method: String = r.get(2)?;
    let repayment: String = r.get(3)?;
    Ok(LoanRules {
        effective_on: r.get(0)?,
        rate_pct_month: rate(1, "rate_pct_month")?,
        method: stored_method(&method).ok_or_else(|| damaged("loan_rules", id, "method", &method))?,
        repayment: stored_repayment(&repayment).ok_or_else(|| damaged("loan_rules", id, "repayment", &repayment))?,
        min_months: r.get(4)?,
        max_months: r.get(5)?,
        cap_per_member: r.get(6)?,
        one_active: r.get(7)?,
        penalty_pct_month: rate(8, "penalty_pct_month")?,
        poor_first: r.get(9)?,
    })
}

const RULES_COLS: &str =
    "effective_on, rate_pct_month, method, repayment, min_months, max_months, cap_per_member, one_active, penalty_pct_month, poor_first";

fn rules_on_conn(conn: &rusqlite::Connection, club_id: i64, day: NaiveDate) -> Result<LoanRules> {
    let found = conn
        .query_row(
            &format!("SELECT {RULES_COLS}, id FROM loan_rules WHERE club_id = ?1 AND effective_on <= ?2 ORDER BY effective_on DESC, id DESC LIMIT 1"),
            params![club_id, day],
            rules_from_row,
        )
        .optional()?;
    match found {
        Some(r) => Ok(r),
        None => {
            let founded: NaiveDate = conn.query_row("SELECT founded_on FROM club WHERE id = ?1", [club_id], |r| r.get(0))?;
            Ok(LoanRules::default_from(founded))
        }
    }
}

/// The rules in force on `day` (the default rules when the club has set none).
pub fn rules_on(store: &Store, club_id: i64, day: NaiveDate) -> Result<LoanRules> {
    rules_on_conn(store.conn(), club_id, day)
}

/// Every version of the rules, oldest first.
pub fn rules_history(store: &Store, club_id: i64) -> Result<Vec<LoanRules>> {
    let mut stmt = store
        .conn()
        .prepare(&format!("SELECT {RULES_COLS}, id FROM loan_rules WHERE club_id = ?1 ORDER BY effective_on, id"))?;
    let rows = stmt.query_map([club_id], rules_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Adopt new rules from a date (loans already made keep their terms).
pub fn set_rules(store: &mut Store, actor: &Actor, club_id: i64, rules: &LoanRules) -> Result<LoanRules> {
    check_rules(rules)?;
    store.write(actor, |w| {
        crate::roster::club::check_day(&w.tx, w.today, club_id, rules.effective_on, Field::LoanDate)?;
        let method = serde_json::to_value(rules.method).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
        w.tx.execute(
            &format!("INSERT INTO loan_rules (club_id, {RULES_COLS}, actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            params![
                club_id,
                rules.effective_on,
                rules.rate_pct_month.to_string(),
                method.as_str().unwrap_or("flat"),
                serde_json::to_string(&rules.repayment).unwrap_or_default(),
                rules.min_months,
                rules.max_months,
                rules.cap_per_member,
                rules.one_active,
                rules.penalty_pct_month.to_string(),
                rules.poor_first,
                w.actor.name(),
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        w.audit(Some(club_id), "loan.rules", None, serde_json::to_value(rules).unwrap_or_default())?;
        Ok(rules.clone())
    })
}

// ---------------------------------------------------------------------------------------------
// The register

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplyInput {
    pub member_id: i64,
    pub amount: i64,
    pub purpose: Purpose,
    pub months: u32,
    pub applied_on: NaiveDate,
    /// For a loan in kind (a calf, seed, fertiliser): what is given; the amount is its value.
    #[serde(default)]
    pub in_kind: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Approval {
    pub decision_id: i64,
    pub meeting_id: i64,
    pub held_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Loan {
    pub id: i64,
    pub club_id: i64,
    pub member: Person,
    pub applied_on: NaiveDate,
    pub amount: i64,
    pub purpose: Purpose,
    pub months: u32,
    pub in_kind: String,
    pub note: String,
    pub status: LoanStatus,
    pub approval: Option<Approval>,
    pub disbursed_on: Option<NaiveDate>,
    pub voucher: Option<String>,
    pub terms: Option<LoanTerms>,
    pub written_off_on: Option<NaiveDate>,
}

fn load_loans(conn: &rusqlite::Connection, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Loan>> {
    let sql = format!(
        "SELECT l.id, l.club_id, l.member_id, m.full_name, l.applied_on, l.amount, l.purpose, l.months, l.in_kind, l.note,
                l.status, l.approved_decision_id, d.meeting_id, g.held_on, l.disbursed_on,
                CASE WHEN e.id IS NOT NULL THEN {} END, l.terms, l.written_off_on
         FROM loan l JOIN member m ON m.id = l.member_id
         LEFT JOIN decision d ON d.id = l.approved_decision_id LEFT JOIN meeting g ON g.id = d.meeting_id
         LEFT JOIN journal_entry e ON e.id = l.disburse_entry_id {filter}",
        books::VOUCHER_LABEL_SQL
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| {
        let decision: Option<i64> = r.get(11)?;
        let meeting_id: Option<i64> = r.get(12)?;
        let held_on: Option<NaiveDate> = r.get(13)?;
        let id: i64 = r.get(0)?;
        let terms = match r.get::<_, Option<String>>(16)? {
            Some(t) => Some(stored_terms(&t).ok_or_else(|| damaged("loan", id, "terms", &t))?),
            None => None,
        };
        let purpose: String = r.get(6)?;
        let status: String = r.get(10)?;
        Ok(Loan {
            id,
            club_id: r.get(1)?,
            member: Person { id: r.get(2)?, full_name: r.get(3)? },
            applied_on: r.get(4)?,
            amount: r.get(5)?,
            purpose: Purpose::parse(&purpose).ok_or_else(|| damaged("loan", id, "purpose", &purpose))?,
            months: r.get(7)?,
            in_kind: r.get(8)?,
            note: r.get(9)?,
            status: LoanStatus::parse(&status).ok_or_else(|| damaged("loan", id, "status", &status))?,
            approval: match (decision, meeting_id, held_on) {
                (Some(decision_id), Some(meeting_id), Some(held_on)) => Some(Approval { decision_id, meeting_id, held_on }),
                _ => None,
            },
            disbursed_on: r.get(14)?,
            voucher: r.get(15)?,
            terms,
            written_off_on: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn loan_in(conn: &rusqlite::Connection, club_id: i64, id: i64) -> Result<Loan> {
    load_loans(conn, "WHERE l.id = ?1 AND l.club_id = ?2", params![id, club_id])?
        .pop()
        .ok_or(CoreError::LoanNotFound { id })
}

pub fn get(store: &Store, club_id: i64, id: i64) -> Result<Loan> {
    loan_in(store.conn(), club_id, id)
}

fn want(loan: &Loan, status: LoanStatus) -> Result<()> {
    if loan.status != status {
        return Err(CoreError::LoanWrongStatus { id: loan.id, status: loan.status.code().into(), needed: status.code().into() });
    }
    Ok(())
}

/// Refuse what the rules in force on `day` do not allow: the term, the cap, a second loan.
fn check_against_rules(w: &Writer<'_>, club_id: i64, loan_id: Option<i64>, member_id: i64, amount: i64, months: u32, day: NaiveDate) -> Result<LoanRules> {
    let rules = rules_on_conn(&w.tx, club_id, day)?;
    if !(rules.min_months..=rules.max_months).contains(&months) {
        return Err(bad(Field::LoanMonths, Rule::Range { min: rules.min_months as i64, max: rules.max_months as i64 }));
    }
    if let Repayment::Instalments { every } = rules.repayment {
        if months % every != 0 {
            return Err(bad(Field::LoanMonths, Rule::Range { min: every as i64, max: rules.max_months as i64 }));
        }
    }
    if amount > rules.cap_per_member {
        return Err(CoreError::LoanOverCap { amount, cap: rules.cap_per_member });
    }
    if rules.one_active {
        let other: Option<i64> = w
            .tx
            .query_row(
                "SELECT id FROM loan WHERE club_id = ?1 AND member_id = ?2 AND status = 'disbursed' AND id IS NOT ?3 LIMIT 1",
                params![club_id, member_id, loan_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            let full_name: String = w.tx.query_row("SELECT full_name FROM member WHERE id = ?1", [member_id], |r| r.get(0))?;
            return Err(CoreError::LoanAlreadyActive { member_id, full_name, loan_id: other });
        }
    }
    Ok(rules)
}

/// A member asks for a loan: it joins the waiting list.
pub fn apply(store: &mut Store, actor: &Actor, club_id: i64, input: &ApplyInput) -> Result<Loan> {
    let id = store.write(actor, |w| apply_in(w, club_id, input))?;
    get(store, club_id, id)
}

pub(crate) fn apply_in(w: &mut Writer<'_>, club_id: i64, input: &ApplyInput) -> Result<i64> {
    crate::roster::club::check_day(&w.tx, w.today, club_id, input.applied_on, Field::LoanDate)?;
    crate::parse::money_in(Field::LoanAmount, input.amount, 1, books::MAX_AMOUNT)?;
    member::on_day(&w.tx, club_id, input.member_id, input.applied_on)?;
    let in_kind = text::bounded(&input.in_kind, Field::LoanInKind, 200)?;
    let note = text::bounded(&input.note, Field::LoanNote, 500)?;
    check_against_rules(w, club_id, None, input.member_id, input.amount, input.months, input.applied_on)?;
    w.tx.execute(
        "INSERT INTO loan (club_id, member_id, applied_on, amount, purpose, months, in_kind, note, status, actor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'applied', ?9, ?10)",
        params![
            club_id,
            input.member_id,
            input.applied_on,
            input.amount,
            input.purpose.code(),
            input.months,
            in_kind,
            note,
            w.actor.name(),
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(Some(club_id), "loan.apply", Some(id), serde_json::json!({ "member_id": input.member_id, "amount": input.amount }))?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LoanSaved {
    pub loan: Loan,
    pub warnings: Vec<Notice>,
}

/// The board approves the loan at a meeting: a decision of that meeting.
pub fn approve(store: &mut Store, actor: &Actor, club_id: i64, id: i64, meeting_id: i64) -> Result<LoanSaved> {
    let warnings = store.write(actor, |w| approve_in(w, club_id, id, meeting_id))?;
    Ok(LoanSaved { loan: get(store, club_id, id)?, warnings })
}

fn meeting_day(w: &Writer<'_>, club_id: i64, meeting_id: i64) -> Result<NaiveDate> {
    w.tx.query_row("SELECT held_on FROM meeting WHERE id = ?1 AND club_id = ?2", params![meeting_id, club_id], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::MeetingNotFound { id: meeting_id })
}

pub(crate) fn approve_in(w: &mut Writer<'_>, club_id: i64, id: i64, meeting_id: i64) -> Result<Vec<Notice>> {
    let loan = loan_in(&w.tx, club_id, id)?;
    want(&loan, LoanStatus::Applied)?;
    let held_on = meeting_day(w, club_id, meeting_id)?;
    if held_on < loan.applied_on {
        return Err(bad(Field::LoanMeeting, Rule::BeforeDate { other: loan.applied_on.to_string() }));
    }
    let text = format!("Duyệt cho vay {} ({})", crate::format::money(loan.amount), loan.member.full_name);
    let input = DecisionInput { loan_id: None, kind: DecisionKind::LoanApproval, member_id: Some(loan.member.id), amount: Some(loan.amount), text };
    let (decision_id, warning) = meeting::decide_existing_in(w, club_id, meeting_id, &input)?;
    w.tx.execute("UPDATE loan SET status = 'approved', approved_decision_id = ?1 WHERE id = ?2", params![decision_id, id])?;
    w.audit(Some(club_id), "loan.approve", Some(id), serde_json::json!({ "meeting_id": meeting_id, "decision_id": decision_id }))?;
    Ok(warning.into_iter().collect())
}

/// Hand the money (or the goods) over: the schedule starts, the fund's cash goes down.
pub fn disburse(store: &mut Store, actor: &Actor, club_id: i64, id: i64, on: NaiveDate) -> Result<Loan> {
    store.write(actor, |w| disburse_in(w, club_id, id, on))?;
    get(store, club_id, id)
}

pub(crate) fn disburse_in(w: &mut Writer<'_>, club_id: i64, id: i64, on: NaiveDate) -> Result<()> {
    let loan = loan_in(&w.tx, club_id, id)?;
    want(&loan, LoanStatus::Approved)?;
    if let Some(a) = &loan.approval {
        if on < a.held_on {
            return Err(bad(Field::LoanDate, Rule::BeforeDate { other: a.held_on.to_string() }));
        }
    }
    let rules = check_against_rules(w, club_id, Some(id), loan.member.id, loan.amount, loan.months, on)?;
    let unit: i64 = w.tx.query_row("SELECT rounding_unit FROM club WHERE id = ?1", [club_id], |r| r.get(0))?;
    let terms = LoanTerms {
        rate_pct_month: rules.rate_pct_month,
        method: rules.method,
        repayment: rules.repayment,
        rounding_unit: unit,
        penalty_pct_month: rules.penalty_pct_month,
    };
    let what = if loan.in_kind.is_empty() { String::new() } else { format!(" — {}", loan.in_kind) };
    let memo = format!("Giải ngân khoản vay số {id}: {}{what}", loan.member.full_name);
    let entry = books::loan_disburse_in(w, club_id, loan.member.id, loan.amount, on, &memo)?;
    let terms_json = serde_json::to_string(&terms).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
    w.tx.execute(
        "UPDATE loan SET status = 'disbursed', disbursed_on = ?1, disburse_entry_id = ?2, terms = ?3 WHERE id = ?4",
        params![on, entry.id, terms_json, id],
    )?;
    add_version(w, id, 1, on, loan.amount, loan.months, &terms, None, 0)?;
    w.audit(Some(club_id), "loan.disburse", Some(id), serde_json::json!({ "voucher": entry.voucher, "amount": loan.amount }))?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_version(
    w: &Writer<'_>,
    id: i64,
    version: i64,
    starts_on: NaiveDate,
    principal: i64,
    months: u32,
    terms: &LoanTerms,
    decision_id: Option<i64>,
    carried_interest: i64,
) -> Result<()> {
    let t = Terms {
        principal,
        rate_pct_month: terms.rate_pct_month,
        months,
        method: terms.method,
        repayment: terms.repayment,
        rounding_unit: terms.rounding_unit,
        start: starts_on,
    };
    let lines = schedule::schedule(&t);
    if lines.is_empty() {
        return Err(bad(Field::LoanMonths, Rule::Range { min: 1, max: 120 }));
    }
    let body = serde_json::json!({ "months": months, "terms": terms }).to_string();
    w.tx.execute(
        "INSERT INTO loan_schedule_version (loan_id, version, starts_on, principal, terms, decision_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, version, starts_on, principal, body, decision_id],
    )?;
    for x in &lines {
        let interest = if x.no == 1 { x.interest + carried_interest } else { x.interest };
        w.tx.execute(
            "INSERT INTO loan_instalment (loan_id, version, no, due_on, principal, interest) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, version, x.no, x.due_on, x.principal, interest],
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Where a loan stands on a day

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    Paid,
    /// Due and partly paid, not yet late.
    Partial,
    /// Due today or later.
    Future,
    /// Past its due date and not fully paid.
    Late,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleLine {
    pub version: u32,
    pub no: u32,
    pub due_on: NaiveDate,
    pub principal: i64,
    pub interest: i64,
    pub total: i64,
    pub paid: i64,
    pub left: i64,
    pub state: LineState,
    /// Vouchers of the payments that went to this instalment, oldest first.
    pub paid_by: Vec<String>,
}

/// What one payment paid of one instalment (of the payment's schedule version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaidInstalment {
    pub no: u32,
    pub interest: i64,
    pub principal: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Payment {
    pub id: i64,
    pub paid_on: NaiveDate,
    pub penalty: i64,
    pub interest: i64,
    pub principal: i64,
    pub voucher: String,
    /// The instalments it paid (empty for payments recorded before this was kept).
    pub instalments: Vec<PaidInstalment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LoanState {
    pub at: NaiveDate,
    /// Principal still owed (0 once written off).
    pub principal_out: i64,
    /// Interest of instalments due by the day and not yet paid.
    pub interest_due: i64,
    pub penalty_due: i64,
    /// Principal and interest past their due date and unpaid.
    pub overdue: i64,
    /// Days since the oldest unpaid instalment fell due (0 when none is late).
    pub days_past_due: i64,
    /// What would settle the loan today: penalty + interest due + all principal.
    pub payoff: i64,
    pub paid_principal: i64,
    pub paid_interest: i64,
    pub paid_penalty: i64,
    pub written_off: i64,
    pub next_due: Option<NaiveDate>,
    pub next_amount: i64,
    /// Principal and interest of every instalment (of every schedule version) due before the day.
    pub fell_due: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LoanCard {
    pub loan: Loan,
    pub state: Option<LoanState>,
    /// The schedule in force on the day, with what was paid against each line.
    pub schedule: Vec<ScheduleLine>,
    /// Earlier schedules replaced by a reschedule, as they stood.
    pub earlier: Vec<ScheduleLine>,
    pub payments: Vec<Payment>,
}

struct Version {
    version: u32,
    starts_on: NaiveDate,
    principal: i64,
}

fn versions(conn: &rusqlite::Connection, id: i64) -> Result<Vec<Version>> {
    let mut stmt = conn.prepare_cached("SELECT version, starts_on, principal FROM loan_schedule_version WHERE loan_id = ?1 ORDER BY version")?;
    let rows = stmt
        .query_map([id], |r| Ok(Version { version: r.get(0)?, starts_on: r.get(1)?, principal: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One stored instalment: number, due date, principal, interest.
type Inst = (u32, NaiveDate, i64, i64);

fn instalments(conn: &rusqlite::Connection, id: i64, version: u32) -> Result<Vec<Inst>> {
    let mut stmt = conn.prepare_cached("SELECT no, due_on, principal, interest FROM loan_instalment WHERE loan_id = ?1 AND version = ?2 ORDER BY no")?;
    let rows = stmt.query_map(params![id, version], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The instalments a stored payment went to (`loan_payment.instalments`, JSON; none for payments
/// recorded before they were kept). A value that does not read is damage, named.
fn stored_instalments(payment_id: i64, stored: Option<String>) -> rusqlite::Result<Vec<PaidInstalment>> {
    match stored {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(&s).map_err(|_| damaged("loan_payment", payment_id, "instalments", &s)),
    }
}

fn payments(conn: &rusqlite::Connection, id: i64, at: NaiveDate) -> Result<Vec<(u32, Payment)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.version, p.id, p.paid_on, p.penalty, p.interest, p.principal, {}, p.instalments
         FROM loan_payment p JOIN journal_entry e ON e.id = p.entry_id WHERE p.loan_id = ?1 AND p.paid_on <= ?2 ORDER BY p.paid_on, p.id",
        books::VOUCHER_LABEL_SQL
    ))?;
    let rows = stmt
        .query_map(params![id, at], |r| {
            let pid: i64 = r.get(1)?;
            let instalments = stored_instalments(pid, r.get(7)?)?;
            Ok((
                r.get(0)?,
                Payment { id: pid, paid_on: r.get(2)?, penalty: r.get(3)?, interest: r.get(4)?, principal: r.get(5)?, voucher: r.get(6)?, instalments },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What was paid in one version, spread over its lines oldest first (principal and interest each):
/// per line, the principal and the interest paid.
fn spread(rows: &[(u32, NaiveDate, i64, i64)], paid_principal: i64, paid_interest: i64) -> Result<Vec<(i64, i64)>> {
    let (mut pp, mut pi) = (paid_principal, paid_interest);
    // Stored instalments come from a file that may be damaged: every sum is checked.
    let over = || CoreError::LedgerOverflow;
    rows.iter()
        .map(|(_, _, principal, interest)| {
            let p = pp.min(*principal).max(0);
            let i = pi.min(*interest).max(0);
            pp = pp.checked_sub(p).ok_or_else(over)?;
            pi = pi.checked_sub(i).ok_or_else(over)?;
            Ok((p, i))
        })
        .collect()
}

/// Apply what was paid in one version to its lines, oldest first (principal and interest each).
fn lines_of(
    version: u32,
    rows: &[(u32, NaiveDate, i64, i64)],
    pays: &[(u32, Payment)],
    at: NaiveDate,
) -> Result<Vec<ScheduleLine>> {
    let mine = || pays.iter().filter(|(v, _)| *v == version).map(|(_, p)| p);
    let paid_principal = books::sum_amounts(mine().map(|p| p.principal))?;
    let paid_interest = books::sum_amounts(mine().map(|p| p.interest))?;
    let over = || CoreError::LedgerOverflow;
    rows.iter()
        .zip(spread(rows, paid_principal, paid_interest)?)
        .map(|((no, due_on, principal, interest), (p, i))| {
            let total = principal.checked_add(*interest).ok_or_else(over)?;
            let paid = p.checked_add(i).ok_or_else(over)?;
            let left = total.checked_sub(paid).ok_or_else(over)?;
            let state = if left == 0 {
                LineState::Paid
            } else if *due_on < at {
                LineState::Late
            } else if paid > 0 {
                LineState::Partial
            } else {
                LineState::Future
            };
            let paid_by = mine().filter(|p| p.instalments.iter().any(|x| x.no == *no)).map(|p| p.voucher.clone()).collect();
            Ok(ScheduleLine { version, no: *no, due_on: *due_on, principal: *principal, interest: *interest, total, paid, left, state, paid_by })
        })
        .collect()
}

fn months_late(days: i64) -> i64 {
    days / 30
}

/// The loan card as of `at`: the schedule in force with what was paid, the payments, and the state.
pub fn card(store: &Store, club_id: i64, id: i64, at: NaiveDate) -> Result<LoanCard> {
    card_conn(store.conn(), club_id, id, at)
}

pub(crate) fn card_in(conn: &rusqlite::Connection, club_id: i64, id: i64, at: NaiveDate) -> Result<LoanCard> {
    card_conn(conn, club_id, id, at)
}

fn card_conn(conn: &rusqlite::Connection, club_id: i64, id: i64, at: NaiveDate) -> Result<LoanCard> {
    let loan = loan_in(conn, club_id, id)?;
    if !loan.disbursed_on.is_some_and(|d| d <= at) {
        return Ok(LoanCard { loan, state: None, schedule: Vec::new(), earlier: Vec::new(), payments: Vec::new() });
    }
    let all_versions = versions(conn, id)?;
    let pays = payments(conn, id, at)?;
    card_from(loan, all_versions, pays, |version| instalments(conn, id, version), at)
}

/// The card computed from what was read: the loan, its schedule versions (by version), its payments
/// up to `at` (by date, then id) and a way to get a version's instalments (by number). The one
/// computation behind `card` and `list`, whichever way the rows were read.
fn card_from(
    loan: Loan,
    all_versions: Vec<Version>,
    pays: Vec<(u32, Payment)>,
    mut instalments: impl FnMut(u32) -> Result<Vec<Inst>>,
    at: NaiveDate,
) -> Result<LoanCard> {
    let id = loan.id;
    if !loan.disbursed_on.is_some_and(|d| d <= at) {
        return Ok(LoanCard { loan, state: None, schedule: Vec::new(), earlier: Vec::new(), payments: Vec::new() });
    }
    // A disbursed loan always has a first schedule version: none is damage.
    let first = all_versions.first().ok_or_else(|| CoreError::DbDamaged {
        table: "loan_schedule_version".into(),
        row: id,
        column: "loan_id".into(),
        value: String::new(),
    })?;
    let current = all_versions.iter().rfind(|v| v.starts_on <= at).unwrap_or(first);
    let mut earlier = Vec::new();
    for v in all_versions.iter().filter(|v| v.version < current.version) {
        earlier.extend(lines_of(v.version, &instalments(v.version)?, &pays, at)?);
    }
    let in_current =
        |f: fn(&Payment) -> i64| books::sum_amounts(pays.iter().filter(|(ver, _)| *ver == current.version).map(|(_, p)| f(p)));
    let (pp, pi, ppen) = (in_current(|p| p.principal)?, in_current(|p| p.interest)?, in_current(|p| p.penalty)?);
    let rows = instalments(current.version)?;
    let lines = lines_of(current.version, &rows, &pays, at)?;
    let written_off_now = loan.written_off_on.is_some_and(|d| d <= at);
    let principal_left = current.principal.checked_sub(pp).ok_or(CoreError::LedgerOverflow)?;
    let written_off = if written_off_now { principal_left } else { 0 };
    let principal_out = principal_left - written_off;
    let settled = written_off_now || (loan.status == LoanStatus::Repaid && principal_out == 0);
    let due_interest = books::sum_amounts(rows.iter().filter(|r| r.1 <= at).map(|r| r.3))?;
    let interest_due = if settled { 0 } else { due_interest.checked_sub(pi).ok_or(CoreError::LedgerOverflow)?.max(0) };
    let late: Vec<&ScheduleLine> = if settled { Vec::new() } else { lines.iter().filter(|l| l.state == LineState::Late).collect() };
    let overdue = books::sum_amounts(late.iter().map(|l| l.left))?;
    let days_past_due = late.first().map(|l| (at - l.due_on).num_days()).unwrap_or(0);
    let penalty_rate = loan.terms.as_ref().map(|t| t.penalty_pct_month).unwrap_or_default() / Decimal::from(100);
    let unit = loan.terms.as_ref().map(|t| t.rounding_unit).unwrap_or(1);
    let accrued: i64 = late
        .iter()
        .map(|l| schedule::round_to(Decimal::from(l.left) * penalty_rate * Decimal::from(months_late((at - l.due_on).num_days())), unit))
        .sum();
    let penalty_due = (accrued - ppen).max(0);
    let next = if settled { None } else { lines.iter().find(|l| l.left > 0 && l.due_on >= at) };
    let all_paid = |f: fn(&Payment) -> i64| books::sum_amounts(pays.iter().map(|(_, p)| f(p)));
    let state = LoanState {
        at,
        principal_out,
        interest_due,
        penalty_due,
        overdue,
        days_past_due,
        payoff: books::sum_amounts([penalty_due, interest_due, principal_out])?,
        paid_principal: all_paid(|p| p.principal)?,
        paid_interest: all_paid(|p| p.interest)?,
        paid_penalty: all_paid(|p| p.penalty)?,
        written_off,
        next_due: next.map(|l| l.due_on),
        next_amount: next.map(|l| l.left).unwrap_or(0),
        fell_due: books::sum_amounts(lines.iter().chain(&earlier).filter(|l| l.due_on < at).map(|l| l.total))?,
    };
    Ok(LoanCard { loan, state: Some(state), schedule: lines, earlier, payments: pays.into_iter().map(|(_, p)| p).collect() })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepaySaved {
    pub card: LoanCard,
    pub voucher: String,
    pub penalty: i64,
    pub interest: i64,
    pub principal: i64,
    /// The instalments this payment went to.
    pub instalments: Vec<PaidInstalment>,
}

/// What a repayment beyond what is due pays for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RepayMode {
    /// The next instalment not yet paid: its interest, then its principal, then the following one.
    #[default]
    NextInstalment,
    /// Principal only (trả trước gốc); the schedule's later interest stays as agreed.
    PrepayPrincipal,
}

/// A repayment: penalty first, then interest due, then principal that fell due; the rest as `mode`
/// says. The payoff settles the loan; more than the payoff is refused.
pub fn repay(store: &mut Store, actor: &Actor, club_id: i64, id: i64, amount: i64, on: NaiveDate, mode: RepayMode) -> Result<RepaySaved> {
    let r = store.write(actor, |w| repay_in(w, club_id, id, amount, on, mode))?;
    Ok(RepaySaved { card: card(store, club_id, id, on)?, voucher: r.voucher, penalty: r.penalty, interest: r.interest, principal: r.principal, instalments: r.instalments })
}

pub(crate) struct Repaid {
    pub voucher: String,
    pub penalty: i64,
    pub interest: i64,
    pub principal: i64,
    pub instalments: Vec<PaidInstalment>,
}

/// How `rest` (what is left after penalty and interest due) is split into interest paid ahead and
/// principal, walking the version's lines from the oldest unpaid one: the principal of lines that
/// fell due by `on`, then for each later line its interest, then its principal.
fn walk_next(rows: &[(u32, NaiveDate, i64, i64)], before: &[(i64, i64)], on: NaiveDate, rest: i64) -> (i64, i64) {
    let (mut rest, mut interest, mut principal) = (rest, 0i64, 0i64);
    for ((_, due_on, p, i), (pp, pi)) in rows.iter().zip(before) {
        if rest == 0 {
            break;
        }
        if *due_on > on {
            let take = rest.min(i - pi).max(0);
            interest += take;
            rest -= take;
        }
        let take = rest.min(p - pp).max(0);
        principal += take;
        rest -= take;
    }
    // Nothing is left once every line is paid (rest is below the principal still owed); whatever
    // a damaged schedule leaves over is principal.
    (interest, principal + rest)
}

pub(crate) fn repay_in(w: &mut Writer<'_>, club_id: i64, id: i64, amount: i64, on: NaiveDate, mode: RepayMode) -> Result<Repaid> {
    crate::parse::money_in(Field::LoanRepayAmount, amount, 1, books::MAX_AMOUNT)?;
    let loan = loan_in(&w.tx, club_id, id)?;
    want(&loan, LoanStatus::Disbursed)?;
    let disbursed = loan.disbursed_on.unwrap_or(on);
    if on < disbursed {
        return Err(bad(Field::LoanDate, Rule::BeforeDate { other: disbursed.to_string() }));
    }
    let last: Option<NaiveDate> = w.tx.query_row("SELECT max(paid_on) FROM loan_payment WHERE loan_id = ?1", [id], |r| r.get(0))?;
    if let Some(l) = last.filter(|l| on < *l) {
        return Err(bad(Field::LoanDate, Rule::BeforeDate { other: l.to_string() }));
    }
    let state = card_conn(&w.tx, club_id, id, on)?.state.ok_or(CoreError::LoanNotFound { id })?;
    if amount > state.payoff {
        return Err(CoreError::LoanOverpaid { id, owed: state.payoff, amount });
    }
    let penalty = amount.min(state.penalty_due);
    let mut interest = (amount - penalty).min(state.interest_due);
    let rest = amount - penalty - interest;
    // The schedule version in force on the day (the card's), with what was paid on each line.
    let version: u32 = w.tx.query_row("SELECT max(version) FROM loan_schedule_version WHERE loan_id = ?1 AND starts_on <= ?2", params![id, on], |r| r.get(0))?;
    let rows = instalments(&w.tx, id, version)?;
    let (pp, pi): (i64, i64) = w.tx.query_row(
        "SELECT coalesce(sum(principal), 0), coalesce(sum(interest), 0) FROM loan_payment WHERE loan_id = ?1 AND version = ?2",
        params![id, version],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let before = spread(&rows, pp, pi)?;
    let principal = if mode == RepayMode::PrepayPrincipal || rest >= state.principal_out {
        // Principal only; the payoff (everything due and all the principal) settles the loan,
        // and interest not yet due is not owed.
        rest
    } else {
        let after_interest = spread(&rows, pp, pi + interest)?;
        let (ahead, principal) = walk_next(&rows, &after_interest, on, rest);
        interest += ahead;
        principal
    };
    let after = spread(&rows, pp + principal, pi + interest)?;
    let paid: Vec<PaidInstalment> = rows
        .iter()
        .zip(before.iter().zip(&after))
        .map(|((no, ..), ((p0, i0), (p1, i1)))| PaidInstalment { no: *no, interest: i1 - i0, principal: p1 - p0 })
        .filter(|x| x.interest + x.principal > 0)
        .collect();
    let memo = format!("Trả nợ khoản vay số {id}: {}", loan.member.full_name);
    let entry = books::loan_repay_in(w, club_id, loan.member.id, on, penalty, interest, principal, &memo)?;
    let paid_json = serde_json::to_string(&paid).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
    w.tx.execute(
        "INSERT INTO loan_payment (loan_id, version, paid_on, penalty, interest, principal, entry_id, instalments) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, version, on, penalty, interest, principal, entry.id, paid_json],
    )?;
    if principal == state.principal_out {
        w.tx.execute("UPDATE loan SET status = 'repaid' WHERE id = ?1", [id])?;
    }
    let mode_code = serde_json::to_value(mode).unwrap_or_default();
    w.audit(Some(club_id), "loan.repay", Some(id), serde_json::json!({ "voucher": entry.voucher, "amount": amount, "mode": mode_code }))?;
    Ok(Repaid { voucher: entry.voucher, penalty, interest, principal, instalments: paid })
}

/// A new schedule from what is still owed, by decision of a meeting; unpaid interest due is carried
/// into the first new instalment. The earlier schedule and its payments stay as they were.
pub fn reschedule(store: &mut Store, actor: &Actor, club_id: i64, id: i64, meeting_id: i64, on: NaiveDate, months: u32) -> Result<LoanSaved> {
    let warnings = store.write(actor, |w| {
        let loan = loan_in(&w.tx, club_id, id)?;
        want(&loan, LoanStatus::Disbursed)?;
        let held_on = meeting_day(w, club_id, meeting_id)?;
        crate::roster::club::check_day(&w.tx, w.today, club_id, on, Field::LoanDate)?;
        if on < held_on {
            return Err(bad(Field::LoanDate, Rule::BeforeDate { other: held_on.to_string() }));
        }
        let all = versions(&w.tx, id)?;
        let last = all.last().map(|v| (v.version, v.starts_on)).unwrap_or((1, on));
        let last_paid: Option<NaiveDate> = w.tx.query_row("SELECT max(paid_on) FROM loan_payment WHERE loan_id = ?1", [id], |r| r.get(0))?;
        let floor = last_paid.map_or(last.1, |p| p.max(last.1));
        if on <= floor {
            return Err(bad(Field::LoanDate, Rule::BeforeDate { other: floor.to_string() }));
        }
        if !(1..=120).contains(&months) {
            return Err(bad(Field::LoanMonths, Rule::Range { min: 1, max: 120 }));
        }
        let state = card_conn(&w.tx, club_id, id, on)?.state.ok_or(CoreError::LoanNotFound { id })?;
        if state.principal_out == 0 {
            return Err(CoreError::LoanNothingOwed { id });
        }
        let terms = loan.terms.clone().ok_or(CoreError::LoanNotFound { id })?;
        let text = format!("Điều chỉnh kỳ hạn khoản vay số {id}: còn nợ {} trả trong {months} tháng", crate::format::money(state.principal_out));
        let input = DecisionInput { loan_id: None, kind: DecisionKind::LoanReschedule, member_id: Some(loan.member.id), amount: Some(state.principal_out), text };
        let (decision_id, warning) = meeting::decide_existing_in(w, club_id, meeting_id, &input)?;
        add_version(w, id, last.0 as i64 + 1, on, state.principal_out, months, &terms, Some(decision_id), state.interest_due + state.penalty_due)?;
        w.audit(Some(club_id), "loan.reschedule", Some(id), serde_json::json!({ "decision_id": decision_id, "months": months }))?;
        Ok(warning.into_iter().collect::<Vec<_>>())
    })?;
    Ok(LoanSaved { loan: get(store, club_id, id)?, warnings })
}

/// Write the principal still owed off as a loss to the fund, by decision of a meeting.
pub fn write_off(store: &mut Store, actor: &Actor, club_id: i64, id: i64, meeting_id: i64, on: NaiveDate, reason: &str) -> Result<LoanSaved> {
    let warnings = store.write(actor, |w| write_off_in(w, club_id, id, meeting_id, on, reason))?;
    Ok(LoanSaved { loan: get(store, club_id, id)?, warnings })
}

pub(crate) fn write_off_in(w: &mut Writer<'_>, club_id: i64, id: i64, meeting_id: i64, on: NaiveDate, reason: &str) -> Result<Vec<Notice>> {
    let loan = loan_in(&w.tx, club_id, id)?;
    want(&loan, LoanStatus::Disbursed)?;
    let held_on = meeting_day(w, club_id, meeting_id)?;
    if on < held_on {
        return Err(bad(Field::LoanDate, Rule::BeforeDate { other: held_on.to_string() }));
    }
    // Written off as it stands after every payment received: never before the last one.
    let last_paid: Option<NaiveDate> = w.tx.query_row("SELECT max(paid_on) FROM loan_payment WHERE loan_id = ?1", [id], |r| r.get(0))?;
    if let Some(p) = last_paid.filter(|p| on < *p) {
        return Err(bad(Field::LoanDate, Rule::BeforeDate { other: p.to_string() }));
    }
    let state = card_conn(&w.tx, club_id, id, on)?.state.ok_or(CoreError::LoanNotFound { id })?;
    if state.principal_out == 0 {
        return Err(CoreError::LoanNothingOwed { id });
    }
    let entry = books::loan_write_off_in(w, club_id, loan.member.id, state.principal_out, on, reason)?;
    let text = format!("Xóa nợ khoản vay số {id}: {} — {}", crate::format::money(state.principal_out), text::clean(reason));
    let input = DecisionInput { loan_id: None, kind: DecisionKind::LoanWriteOff, member_id: Some(loan.member.id), amount: Some(state.principal_out), text };
    let (decision_id, warning) = meeting::decide_existing_in(w, club_id, meeting_id, &input)?;
    w.tx.execute(
        "UPDATE loan SET status = 'written_off', written_off_on = ?1, write_off_decision_id = ?2, write_off_entry_id = ?3 WHERE id = ?4",
        params![on, decision_id, entry.id, id],
    )?;
    w.audit(Some(club_id), "loan.write_off", Some(id), serde_json::json!({ "voucher": entry.voucher, "amount": state.principal_out }))?;
    Ok(warning.into_iter().collect())
}

/// Take an application or approval back (the member no longer needs it).
pub fn withdraw(store: &mut Store, actor: &Actor, club_id: i64, id: i64) -> Result<Loan> {
    store.write(actor, |w| {
        let loan = loan_in(&w.tx, club_id, id)?;
        if !matches!(loan.status, LoanStatus::Applied | LoanStatus::Approved) {
            want(&loan, LoanStatus::Applied)?;
        }
        w.tx.execute("UPDATE loan SET status = 'withdrawn' WHERE id = ?1", [id])?;
        w.audit(Some(club_id), "loan.withdraw", Some(id), serde_json::json!({}))?;
        Ok(())
    })?;
    get(store, club_id, id)
}

// ---------------------------------------------------------------------------------------------
// Lists

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LoanRow {
    pub loan: Loan,
    pub state: Option<LoanState>,
}

/// Every loan with where it stood on `at`, newest first.
pub fn list(store: &Store, club_id: i64, at: NaiveDate) -> Result<Vec<LoanRow>> {
    let conn = store.conn();
    let loans = load_loans(conn, "WHERE l.club_id = ?1 AND l.applied_on <= ?2 ORDER BY l.applied_on DESC, l.id DESC", params![club_id, at])?;
    // The club's schedules, instalments and payments in three reads, not three per loan: the same
    // rows `card` reads for one loan, in the same order, grouped by loan.
    let mut rows = ClubLoanRows::read(conn, club_id, at)?;
    loans
        .into_iter()
        .map(|loan| {
            let id = loan.id;
            let versions = rows.versions.remove(&id).unwrap_or_default();
            let pays = rows.payments.remove(&id).unwrap_or_default();
            let inst = &rows.instalments;
            let c = card_from(loan, versions, pays, |version| Ok(inst.get(&(id, version)).cloned().unwrap_or_default()), at)?;
            Ok(LoanRow { loan: c.loan, state: c.state })
        })
        .collect()
}

/// Every loan's schedule versions, instalments and payments up to a day, for a whole club.
struct ClubLoanRows {
    versions: HashMap<i64, Vec<Version>>,
    instalments: HashMap<(i64, u32), Vec<Inst>>,
    payments: HashMap<i64, Vec<(u32, Payment)>>,
}

impl ClubLoanRows {
    fn read(conn: &rusqlite::Connection, club_id: i64, at: NaiveDate) -> Result<ClubLoanRows> {
        let mut versions: HashMap<i64, Vec<Version>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT v.loan_id, v.version, v.starts_on, v.principal FROM loan l JOIN loan_schedule_version v ON v.loan_id = l.id
             WHERE l.club_id = ?1 AND l.disbursed_on <= ?2 ORDER BY v.loan_id, v.version",
        )?;
        for row in stmt.query_map(params![club_id, at], |r| {
            Ok((r.get::<_, i64>(0)?, Version { version: r.get(1)?, starts_on: r.get(2)?, principal: r.get(3)? }))
        })? {
            let (loan_id, v) = row?;
            versions.entry(loan_id).or_default().push(v);
        }
        let mut instalments: HashMap<(i64, u32), Vec<Inst>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT i.loan_id, i.version, i.no, i.due_on, i.principal, i.interest FROM loan l JOIN loan_instalment i ON i.loan_id = l.id
             WHERE l.club_id = ?1 AND l.disbursed_on <= ?2 ORDER BY i.loan_id, i.version, i.no",
        )?;
        for row in stmt.query_map(params![club_id, at], |r| {
            Ok(((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?), (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        })? {
            let (key, line) = row?;
            instalments.entry(key).or_default().push(line);
        }
        let mut payments: HashMap<i64, Vec<(u32, Payment)>> = HashMap::new();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.loan_id, p.version, p.id, p.paid_on, p.penalty, p.interest, p.principal, {}, p.instalments
             FROM loan l JOIN loan_payment p ON p.loan_id = l.id JOIN journal_entry e ON e.id = p.entry_id
             WHERE l.club_id = ?1 AND l.disbursed_on <= ?2 AND p.paid_on <= ?2 ORDER BY p.loan_id, p.paid_on, p.id",
            books::VOUCHER_LABEL_SQL
        ))?;
        for row in stmt.query_map(params![club_id, at], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                Payment {
                    id: r.get(2)?,
                    paid_on: r.get(3)?,
                    penalty: r.get(4)?,
                    interest: r.get(5)?,
                    principal: r.get(6)?,
                    voucher: r.get(7)?,
                    instalments: stored_instalments(r.get(2)?, r.get(8)?)?,
                },
            ))
        })? {
            let (loan_id, version, p) = row?;
            payments.entry(loan_id).or_default().push((version, p));
        }
        Ok(ClubLoanRows { versions, instalments, payments })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WaitingRow {
    pub loan: Loan,
    pub place: u32,
    /// Poor or near-poor on the day, when the rules put them first.
    pub priority: bool,
}

/// Applications not yet disbursed, in the order the board should lend: priority first (when the
/// rules say so), then the date asked.
pub fn waiting_list(store: &Store, club_id: i64, at: NaiveDate) -> Result<Vec<WaitingRow>> {
    let rules = rules_on(store, club_id, at)?;
    let members = member::load_club(store, club_id)?;
    let mut rows: Vec<WaitingRow> = load_loans(
        store.conn(),
        "WHERE l.club_id = ?1 AND l.status IN ('applied', 'approved') AND l.applied_on <= ?2 ORDER BY l.applied_on, l.id",
        params![club_id, at],
    )?
    .into_iter()
    .map(|loan| {
        let poor = members
            .iter()
            .find(|m| m.id == loan.member.id)
            .is_some_and(|m| m.has_flag_on(Flag::Poor, at) || m.has_flag_on(Flag::NearPoor, at));
        WaitingRow { loan, place: 0, priority: rules.poor_first && poor }
    })
    .collect();
    rows.sort_by_key(|r| (!r.priority, r.loan.applied_on, r.loan.id));
    for (i, r) in rows.iter_mut().enumerate() {
        r.place = i as u32 + 1;
    }
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Portfolio {
    pub at: NaiveDate,
    pub active_loans: u32,
    pub borrowers: u32,
    pub outstanding: i64,
    pub overdue: i64,
    /// Principal outstanding of loans with an instalment more than 30 (90) days late.
    pub par30: i64,
    pub par90: i64,
    /// Per cent of `outstanding`, one decimal.
    pub par30_pct: f64,
    pub par90_pct: f64,
    /// Of what fell due by the day, the per cent paid.
    pub repayment_rate_pct: f64,
    pub disbursed_total: i64,
    pub written_off_total: i64,
    pub interest_received: i64,
    /// Members on the day, and those of them who have ever had a loan.
    pub members: u32,
    pub members_ever_borrowed: u32,
    pub ever_borrowed_pct: f64,
    /// The preset's target for that share.
    pub target_min_pct: Option<u32>,
    pub target_max_pct: Option<u32>,
    /// Cash the income fund has on the day (what can still be lent).
    pub cash_available: i64,
    pub waiting: u32,
}

fn pct1(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Portfolio at risk, repayment rate, and the share of members who have borrowed, as of `at`.
pub fn portfolio(store: &Store, club_id: i64, at: NaiveDate) -> Result<Portfolio> {
    let club = crate::roster::club::get(store, club_id)?;
    let rows = list(store, club_id, at)?;
    let (mut active, mut outstanding, mut overdue, mut par30, mut par90) = (0u32, 0i64, 0i64, 0i64, 0i64);
    let (mut disbursed, mut written_off, mut interest) = (0i64, 0i64, 0i64);
    let (mut fell_due, mut borrowers) = (0i64, std::collections::BTreeSet::new());
    let mut ever = std::collections::BTreeSet::new();
    for r in &rows {
        let Some(s) = &r.state else { continue };
        let add = |acc: &mut i64, v: i64| -> Result<()> {
            *acc = acc.checked_add(v).ok_or(CoreError::LedgerOverflow)?;
            Ok(())
        };
        add(&mut disbursed, r.loan.amount)?;
        add(&mut written_off, s.written_off)?;
        add(&mut interest, s.paid_interest)?;
        ever.insert(r.loan.member.id);
        if s.principal_out > 0 {
            active += 1;
            borrowers.insert(r.loan.member.id);
            add(&mut outstanding, s.principal_out)?;
            add(&mut overdue, s.overdue)?;
            if s.days_past_due > 30 {
                add(&mut par30, s.principal_out)?;
            }
            if s.days_past_due > 90 {
                add(&mut par90, s.principal_out)?;
            }
        }
        if r.loan.written_off_on.is_none_or(|d| d > at) {
            add(&mut fell_due, s.fell_due)?;
        }
    }
    let members: Vec<i64> = member::load_club(store, club_id)?.into_iter().filter(|m| m.is_member_on(at)).map(|m| m.id).collect();
    let ever_now = members.iter().filter(|m| ever.contains(m)).count() as i64;
    let preset = crate::roster::preset::find(store, &club.target_preset).ok();
    let band = preset.and_then(|p| p.borrowed_pct);
    Ok(Portfolio {
        at,
        active_loans: active,
        borrowers: borrowers.len() as u32,
        outstanding,
        overdue,
        par30,
        par90,
        par30_pct: pct1(par30, outstanding),
        par90_pct: pct1(par90, outstanding),
        repayment_rate_pct: if fell_due == 0 { 100.0 } else { pct1((fell_due - overdue).max(0), fell_due) },
        disbursed_total: disbursed,
        written_off_total: written_off,
        interest_received: interest,
        members: members.len() as u32,
        members_ever_borrowed: ever_now as u32,
        ever_borrowed_pct: pct1(ever_now, members.len() as i64),
        target_min_pct: band.map(|b| b.min),
        target_max_pct: band.map(|b| b.max),
        cash_available: books::balance_at(store, club_id, Fund::Income, books::Account::Cash, at)?,
        waiting: waiting_list(store, club_id, at)?.len() as u32,
    })
}

#[cfg(test)]
mod tests;
