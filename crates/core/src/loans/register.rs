//! The register: a member applies and joins the waiting list, a meeting approves, the treasurer
//! disburses (the schedule starts), or the application is withdrawn.

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::rules::{check_against_rules, LoanTerms};
use super::schedule::{self, Terms};
use super::{bad, get, loan_in, want, Loan, LoanStatus, Purpose};
use crate::auth::permissions::Action;
use crate::books;
use crate::error::{CoreError, Field, Result, Rule};
use crate::life::decision::{self, DecisionInput, DecisionKind};
use crate::notice::Notice;
use crate::roster::member;
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;

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
/// A member asks for a loan: it joins the waiting list.
pub fn apply(store: &mut Store, actor: &Actor, club_id: i64, input: &ApplyInput) -> Result<Loan> {
    let id = store.act(actor, club_id, Action::LoanApply, |w| apply_in(w, club_id, input))?;
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
    let warnings = store.act(actor, club_id, Action::MeetingWrite, |w| approve_in(w, club_id, id, meeting_id))?;
    Ok(LoanSaved { loan: get(store, club_id, id)?, warnings })
}

pub(crate) fn approve_in(w: &mut Writer<'_>, club_id: i64, id: i64, meeting_id: i64) -> Result<Vec<Notice>> {
    let loan = loan_in(&w.tx, club_id, id)?;
    want(&loan, LoanStatus::Applied)?;
    let held_on = decision::held_on(&w.tx, club_id, meeting_id)?;
    if held_on < loan.applied_on {
        return Err(bad(Field::LoanMeeting, Rule::BeforeDate { other: loan.applied_on.to_string() }));
    }
    let notice = Notice::new(
        "decision.text.loan_approval",
        serde_json::json!({ "loan_id": id, "amount": loan.amount, "full_name": loan.member.full_name }),
    );
    let input = DecisionInput { loan_id: None, kind: DecisionKind::LoanApproval, member_id: Some(loan.member.id), amount: Some(loan.amount), text: String::new() };
    let (decision_id, warning) = decision::decide_noted_in(w, club_id, meeting_id, &input, notice)?;
    w.tx.execute("UPDATE loan SET status = 'approved', approved_decision_id = ?1 WHERE id = ?2", params![decision_id, id])?;
    w.audit(Some(club_id), "loan.approve", Some(id), serde_json::json!({ "meeting_id": meeting_id, "decision_id": decision_id }))?;
    Ok(warning.into_iter().collect())
}

/// Hand the money (or the goods) over: the schedule starts, the fund's cash goes down.
pub fn disburse(store: &mut Store, actor: &Actor, club_id: i64, id: i64, on: NaiveDate) -> Result<Loan> {
    store.act(actor, club_id, Action::Money, |w| disburse_in(w, club_id, id, on))?;
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
    let notice = if loan.in_kind.is_empty() {
        Notice::new("memo.loan_disburse", serde_json::json!({ "loan_id": id, "full_name": loan.member.full_name }))
    } else {
        Notice::new(
            "memo.loan_disburse_in_kind",
            serde_json::json!({ "loan_id": id, "full_name": loan.member.full_name, "in_kind": loan.in_kind }),
        )
    };
    let entry = books::loan_disburse_in(w, club_id, loan.member.id, loan.amount, on, notice)?;
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
pub(super) fn add_version(
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
/// Take an application or approval back (the member no longer needs it).
pub fn withdraw(store: &mut Store, actor: &Actor, club_id: i64, id: i64) -> Result<Loan> {
    store.act(actor, club_id, Action::LoanApply, |w| {
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
