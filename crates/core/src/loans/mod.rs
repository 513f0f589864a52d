//! Member loans from the income-generation fund: the club's rules (kept with the date they took
//! effect), the waiting list, approval at a meeting, disbursement, the schedule, repayments,
//! arrears, portfolio at risk, reschedule and write-off.
//!
//! Invariants:
//! - money moves only through `books` (disbursement PC, repayment PT, write-off DC), in the same
//!   transaction as the register's row, so the `loans` account of the income fund equals the
//!   register's outstanding principal at every date (a property test checks it);
//! - interest is counted on a cash basis: it is income when paid; unpaid interest is owed, not booked;
//! - a repayment goes to penalty, then interest due, then principal that fell due; what is left pays
//!   the next instalment (its interest, then its principal, then the following one), unless the
//!   treasurer chose to prepay principal; the payoff settles the loan either way; more than the
//!   payoff is refused (the surplus belongs on a receipt); each payment records the instalments it
//!   went to;
//! - a loan is read and changed only through the club it belongs to (`loan_in`: `loan.not_found`
//!   for another club's id);
//! - approval, reschedule and write-off are decisions of a meeting in the books; a reschedule adds a
//!   schedule version and never rewrites the earlier one;
//! - interest on instalments not yet due is not owed when the loan is paid off early; a partial
//!   prepayment lowers the principal still owed, and the schedule's later interest stays as agreed
//!   until the board reschedules.
//!
//! Files: `rules.rs` (the rules with the date they took effect, and what they refuse), `register.rs`
//! (apply, approval at a meeting, disbursement, withdraw), `repay.rs`
//! (repayments and how a payment is split, reschedule, write-off), `portfolio.rs` (where a loan
//! stands on a day: the card, the list, the waiting list, arrears and PAR), `schedule.rs` (pure
//! arithmetic). The loan itself and its status are here, shared by all of them.
//!
//! Arrows: `register` and `repay` write a meeting's decision through `life::decision` (never
//! `life::meeting`, which calls `approve_in` when a meeting approves a loan); people are
//! `roster::member::Person`; days and members are checked by `roster::club::check_day` and
//! `roster::member::on_day`. Inside: `register` → `rules`; `repay` → `register`, `portfolio`;
//! `portfolio` → `rules`; all → this file and `schedule`.

mod portfolio;
mod register;
mod repay;
mod rules;
pub mod schedule;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::codes::coded_enum;

use crate::books;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::roster::member::Person;
use crate::store::Store;

pub use portfolio::{
    card, list, portfolio, waiting_list, LineState, LoanCard, LoanRow, LoanState, PaidInstalment, Payment, Portfolio, ScheduleLine,
    WaitingRow,
};
pub(crate) use portfolio::card_in;
pub use register::{apply, approve, disburse, withdraw, ApplyInput, LoanSaved};
pub(crate) use register::{apply_in, approve_in, disburse_in};
pub use repay::{repay, reschedule, write_off, RepayMode, RepaySaved};
pub(crate) use repay::{repay_in, write_off_in};
pub use rules::{rules_history, rules_on, set_rules, LoanRules, LoanTerms};
pub(crate) use rules::{stored_method, stored_rate, stored_repayment, stored_terms};
pub use schedule::{Instalment, Method, Repayment, Terms};

coded_enum! {
    pub enum Purpose {
        Livestock = "livestock",
        Crops = "crops",
        Trade = "trade",
        Services = "services",
        Other = "other",
    }
}

impl Purpose {
    /// Its code, spaces around it allowed.
    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::from_code(s.trim())
    }
}

coded_enum! {
    pub enum LoanStatus {
        Applied = "applied",
        Approved = "approved",
        Disbursed = "disbursed",
        Repaid = "repaid",
        WrittenOff = "written_off",
        Withdrawn = "withdrawn",
    }
}

fn bad(field: Field, rule: Rule) -> CoreError {
    CoreError::invalid(field, rule)
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
        let held_on: Option<NaiveDate> = crate::store::day_opt(r, 13)?;
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
            applied_on: crate::store::day(r, 4)?,
            amount: r.get(5)?,
            purpose: Purpose::parse(&purpose).ok_or_else(|| damaged("loan", id, "purpose", &purpose))?,
            months: r.get(7)?,
            in_kind: r.get(8)?,
            note: r.get(9)?,
            status: LoanStatus::from_code(&status).ok_or_else(|| damaged("loan", id, "status", &status))?,
            approval: match (decision, meeting_id, held_on) {
                (Some(decision_id), Some(meeting_id), Some(held_on)) => Some(Approval { decision_id, meeting_id, held_on }),
                _ => None,
            },
            disbursed_on: crate::store::day_opt(r, 14)?,
            voucher: r.get(15)?,
            terms,
            written_off_on: crate::store::day_opt(r, 17)?,
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

/// Refuse a step the loan's status does not allow.
fn want(loan: &Loan, status: LoanStatus) -> Result<()> {
    if loan.status != status {
        return Err(CoreError::LoanWrongStatus { id: loan.id, status: loan.status.code().into(), needed: status.code().into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
