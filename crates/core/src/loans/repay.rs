//! Repayments and how a payment is split (penalty, interest due, principal fallen due, then the
//! next instalment or principal only), and the two changes a meeting decides: reschedule and
//! write-off.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::auth::permissions::Action;
use crate::codes::coded_enum;

use super::portfolio::{card, card_conn, instalments, spread, versions, LoanCard, PaidInstalment};
use super::register::{add_version, LoanSaved};
use super::{bad, get, loan_in, want, LoanStatus};
use crate::books;
use crate::error::{CoreError, Field, Result, Rule};
use crate::life::decision::{self, DecisionInput, DecisionKind};
use crate::notice::Notice;
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;

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

coded_enum! {
    /// What a repayment beyond what is due pays for.
    #[derive(Default)]
    pub enum RepayMode {
        /// The next instalment not yet paid: its interest, then its principal, then the following one.
        #[default]
        NextInstalment = "next_instalment",
        /// Principal only (trả trước gốc); the schedule's later interest stays as agreed.
        PrepayPrincipal = "prepay_principal",
    }
}

/// A repayment: penalty first, then interest due, then principal that fell due; the rest as `mode`
/// says. The payoff settles the loan; more than the payoff is refused.
pub fn repay(store: &mut Store, actor: &Actor, club_id: i64, id: i64, amount: i64, on: NaiveDate, mode: RepayMode) -> Result<RepaySaved> {
    let r = store.act(actor, club_id, Action::Money, |w| repay_in(w, club_id, id, amount, on, mode))?;
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
    let notice = Notice::new("memo.loan_repay", serde_json::json!({ "loan_id": id, "full_name": loan.member.full_name }));
    let entry = books::loan_repay_in(w, club_id, loan.member.id, on, penalty, interest, principal, notice)?;
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
    let warnings = store.act(actor, club_id, Action::Reschedule, |w| {
        let loan = loan_in(&w.tx, club_id, id)?;
        want(&loan, LoanStatus::Disbursed)?;
        let held_on = decision::held_on(&w.tx, club_id, meeting_id)?;
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
        let notice = Notice::new(
            "decision.text.loan_reschedule",
            serde_json::json!({ "loan_id": id, "amount": state.principal_out, "months": months }),
        );
        let input = DecisionInput { loan_id: None, kind: DecisionKind::LoanReschedule, member_id: Some(loan.member.id), amount: Some(state.principal_out), text: String::new() };
        let (decision_id, warning) = decision::decide_noted_in(w, club_id, meeting_id, &input, notice)?;
        add_version(w, id, last.0 as i64 + 1, on, state.principal_out, months, &terms, Some(decision_id), state.interest_due + state.penalty_due)?;
        w.audit(Some(club_id), "loan.reschedule", Some(id), serde_json::json!({ "decision_id": decision_id, "months": months }))?;
        Ok(warning.into_iter().collect::<Vec<_>>())
    })?;
    Ok(LoanSaved { loan: get(store, club_id, id)?, warnings })
}

/// Write the principal still owed off as a loss to the fund, by decision of a meeting.
pub fn write_off(store: &mut Store, actor: &Actor, club_id: i64, id: i64, meeting_id: i64, on: NaiveDate, reason: &str) -> Result<LoanSaved> {
    let warnings = store.act(actor, club_id, Action::WriteOff, |w| write_off_in(w, club_id, id, meeting_id, on, reason))?;
    Ok(LoanSaved { loan: get(store, club_id, id)?, warnings })
}

pub(crate) fn write_off_in(w: &mut Writer<'_>, club_id: i64, id: i64, meeting_id: i64, on: NaiveDate, reason: &str) -> Result<Vec<Notice>> {
    let loan = loan_in(&w.tx, club_id, id)?;
    want(&loan, LoanStatus::Disbursed)?;
    let held_on = decision::held_on(&w.tx, club_id, meeting_id)?;
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
    // The reason as stored on the voucher (the same rule and limit `books::loan_write_off_in` applies).
    let reason = text::required(reason, Field::LoanReason, 300)?;
    let entry = books::loan_write_off_in(w, club_id, id, loan.member.id, state.principal_out, on, &reason)?;
    let notice = Notice::new(
        "decision.text.loan_write_off",
        serde_json::json!({ "loan_id": id, "amount": state.principal_out, "reason": reason }),
    );
    let input = DecisionInput { loan_id: None, kind: DecisionKind::LoanWriteOff, member_id: Some(loan.member.id), amount: Some(state.principal_out), text: String::new() };
    let (decision_id, warning) = decision::decide_noted_in(w, club_id, meeting_id, &input, notice)?;
    w.tx.execute(
        "UPDATE loan SET status = 'written_off', written_off_on = ?1, write_off_decision_id = ?2, write_off_entry_id = ?3 WHERE id = ?4",
        params![on, decision_id, entry.id, id],
    )?;
    w.audit(Some(club_id), "loan.write_off", Some(id), serde_json::json!({ "voucher": entry.voucher, "amount": state.principal_out }))?;
    Ok(warning.into_iter().collect())
}
