//! Where a loan stands on a day (the card: schedule, payments, arrears, payoff), every loan's
//! (the list), who waits for one (the waiting list), and the portfolio: PAR30/PAR90, repayment
//! rate, the share of members who ever borrowed.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::coded_enum;

use super::rules::rules_on;
use super::schedule;
use super::{load_loans, loan_in, Loan, LoanStatus};
use crate::books::{self, Fund};
use crate::error::{damaged, CoreError, Result};
use crate::roster::member::{self, Flag};
use crate::store::{day, Store};

coded_enum! {
    pub enum LineState {
        Paid = "paid",
        /// Due and partly paid, not yet late.
        Partial = "partial",
        /// Due today or later.
        Future = "future",
        /// Past its due date and not fully paid.
        Late = "late",
    }
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

pub(super) struct Version {
    pub(super) version: u32,
    pub(super) starts_on: NaiveDate,
    principal: i64,
}

pub(super) fn versions(conn: &rusqlite::Connection, id: i64) -> Result<Vec<Version>> {
    let mut stmt = conn.prepare_cached("SELECT version, starts_on, principal FROM loan_schedule_version WHERE loan_id = ?1 ORDER BY version")?;
    let rows = stmt
        .query_map([id], |r| Ok(Version { version: r.get(0)?, starts_on: day(r, 1)?, principal: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One stored instalment: number, due date, principal, interest.
type Inst = (u32, NaiveDate, i64, i64);

pub(super) fn instalments(conn: &rusqlite::Connection, id: i64, version: u32) -> Result<Vec<Inst>> {
    let mut stmt = conn.prepare_cached("SELECT no, due_on, principal, interest FROM loan_instalment WHERE loan_id = ?1 AND version = ?2 ORDER BY no")?;
    let rows = stmt.query_map(params![id, version], |r| Ok((r.get(0)?, day(r, 1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
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
                Payment { id: pid, paid_on: day(r, 2)?, penalty: r.get(3)?, interest: r.get(4)?, principal: r.get(5)?, voucher: r.get(6)?, instalments },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What was paid in one version, spread over its lines oldest first (principal and interest each):
/// per line, the principal and the interest paid.
pub(super) fn spread(rows: &[(u32, NaiveDate, i64, i64)], paid_principal: i64, paid_interest: i64) -> Result<Vec<(i64, i64)>> {
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

pub(super) fn card_conn(conn: &rusqlite::Connection, club_id: i64, id: i64, at: NaiveDate) -> Result<LoanCard> {
    let loan = loan_in(conn, club_id, id)?;
    if !loan.disbursed_on.is_some_and(|d| d <= at) {
        return Ok(LoanCard { loan, state: None, schedule: Vec::new(), earlier: Vec::new(), payments: Vec::new() });
    }
    let all_versions = versions(conn, id)?;
    let pays = payments(conn, id, at)?;
    card_from(loan, all_versions, pays, |version| instalments(conn, id, version), at)
}

/// The schedule version in force on `at`: the last one started by then.
fn current_version(all_versions: &[Version], at: NaiveDate) -> Option<&Version> {
    all_versions.iter().rfind(|v| v.starts_on <= at).or(all_versions.first())
}

/// Is the loan settled on `at` (written off by then, or repaid with no principal left)? A settled
/// loan has nothing late, due or next: its state needs no schedule line except what fell due.
fn is_settled(loan: &Loan, current: &Version, pays: &[(u32, Payment)], at: NaiveDate) -> Result<bool> {
    if loan.written_off_on.is_some_and(|d| d <= at) {
        return Ok(true);
    }
    let pp = books::sum_amounts(pays.iter().filter(|(v, _)| *v == current.version).map(|(_, p)| p.principal))?;
    Ok(loan.status == LoanStatus::Repaid && current.principal.checked_sub(pp).ok_or(CoreError::LedgerOverflow)? == 0)
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
    let current = current_version(&all_versions, at).unwrap_or(first);
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
    let settled = is_settled(&loan, current, &pays, at)?;
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
pub struct LoanRow {
    pub loan: Loan,
    pub state: Option<LoanState>,
}

/// Every loan with where it stood on `at`, newest first.
pub fn list(store: &Store, club_id: i64, at: NaiveDate) -> Result<Vec<LoanRow>> {
    store.snapshot(|| list_in(store, club_id, at))
}

fn list_in(store: &Store, club_id: i64, at: NaiveDate) -> Result<Vec<LoanRow>> {
    let conn = store.conn();
    let loans = load_loans(conn, "WHERE l.club_id = ?1 AND l.applied_on <= ?2 ORDER BY l.applied_on DESC, l.id DESC", params![club_id, at])?;
    // The club's schedules, instalments and payments in three reads, not three per loan: the same
    // rows `card` reads for one loan, in the same order, grouped by loan.
    let mut rows = ClubLoanRows::read(conn, club_id, at)?;
    // A loan settled by `at` (most of a long-lived club's) needs only what fell due before the day,
    // per schedule version: one summed line stands for its instalments, so its thirty years of lines
    // are not read. `is_settled` is the card's own test, so the card computes the same state.
    let mut open = Vec::new();
    for loan in loans.iter().filter(|l| l.disbursed_on.is_some_and(|d| d <= at)) {
        let versions = rows.versions.get(&loan.id).map(Vec::as_slice).unwrap_or_default();
        let pays = rows.payments.get(&loan.id).map(Vec::as_slice).unwrap_or_default();
        let settled = match current_version(versions, at) {
            Some(current) => is_settled(loan, current, pays, at)?,
            None => false,
        };
        if !settled {
            open.push(loan.id);
        }
    }
    rows.read_instalments(conn, at, &open)?;
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

/// Every loan's schedule versions, instalments and payments up to a day, for a whole club (the
/// payments without their vouchers and instalments: what a state needs, not a card's lines).
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
            Ok((r.get::<_, i64>(0)?, Version { version: r.get(1)?, starts_on: day(r, 2)?, principal: r.get(3)? }))
        })? {
            let (loan_id, v) = row?;
            versions.entry(loan_id).or_default().push(v);
        }
        // The list shows each loan's state, never its lines: the payments' vouchers and the
        // instalments each paid (a JSON column) are the card's, and are not read here.
        // Straight from `loan_payment_loan_amounts`, which carries the amounts; each loan's
        // payments are put in the card's order (day, then id) here: SQLite's sort of the whole
        // club's payments cost as much as reading them.
        let mut payments: HashMap<i64, Vec<(u32, Payment)>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT p.loan_id, p.version, p.id, p.paid_on, p.penalty, p.interest, p.principal
             FROM loan l JOIN loan_payment p ON p.loan_id = l.id
             WHERE l.club_id = ?1 AND l.disbursed_on <= ?2 AND p.paid_on <= ?2",
        )?;
        for row in stmt.query_map(params![club_id, at], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                Payment {
                    id: r.get(2)?,
                    paid_on: day(r, 3)?,
                    penalty: r.get(4)?,
                    interest: r.get(5)?,
                    principal: r.get(6)?,
                    voucher: String::new(),
                    instalments: Vec::new(),
                },
            ))
        })? {
            let (loan_id, version, p) = row?;
            payments.entry(loan_id).or_default().push((version, p));
        }
        for pays in payments.values_mut() {
            pays.sort_by_key(|(_, p)| (p.paid_on, p.id));
        }
        Ok(ClubLoanRows { versions, instalments: HashMap::new(), payments })
    }

    /// The instalments: every line of the loans in `open`; for the others (settled by `at`), one
    /// line per schedule version summing the instalments due before `at`, dated the day before
    /// (none for a version with nothing due yet). The sums are one range of the primary key per
    /// version: grouping the club's instalments in one query sorted them all first.
    fn read_instalments(&mut self, conn: &rusqlite::Connection, at: NaiveDate, open: &[i64]) -> Result<()> {
        let open_json = serde_json::to_string(open).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
        let mut stmt = conn.prepare_cached(
            "SELECT i.loan_id, i.version, i.no, i.due_on, i.principal, i.interest
             FROM loan_instalment i WHERE i.loan_id IN (SELECT value FROM json_each(?1)) ORDER BY i.loan_id, i.version, i.no",
        )?;
        for row in stmt.query_map([&open_json], |r| {
            Ok(((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?), (r.get(2)?, day(r, 3)?, r.get(4)?, r.get(5)?)))
        })? {
            let (key, line) = row?;
            self.instalments.entry(key).or_default().push(line);
        }
        let day_before = at.pred_opt().unwrap_or(at);
        let mut due = conn.prepare_cached(
            "SELECT count(*), coalesce(sum(principal), 0), coalesce(sum(interest), 0)
             FROM loan_instalment WHERE loan_id = ?1 AND version = ?2 AND due_on < ?3",
        )?;
        let open: std::collections::HashSet<i64> = open.iter().copied().collect();
        for (loan_id, versions) in self.versions.iter().filter(|(id, _)| !open.contains(id)) {
            for v in versions {
                let (lines, principal, interest): (i64, i64, i64) =
                    due.query_row(params![loan_id, v.version, at], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                if lines > 0 {
                    self.instalments.entry((*loan_id, v.version)).or_default().push((1u32, day_before, principal, interest));
                }
            }
        }
        Ok(())
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
    store.snapshot(|| portfolio_in(store, club_id, at))
}

fn portfolio_in(store: &Store, club_id: i64, at: NaiveDate) -> Result<Portfolio> {
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
    let members: Vec<i64> = member::load_club(store, club_id)?.iter().filter(|m| m.is_member_on(at)).map(|m| m.id).collect();
    let ever_now = members.iter().filter(|m| ever.contains(m)).count() as i64;
    // The club's preset is stored data: one that cannot be found is said, as the report says it.
    let band = crate::roster::preset::find(store, &club.target_preset)?.borrowed_pct;
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
