//! Member loans: rules, applications, approval, disbursement, repayment, cards, portfolio.

use chrono::NaiveDate;
use ishc_core::loans::{self, ApplyInput, Loan, LoanCard, LoanRow, LoanRules, LoanSaved, Portfolio, RepayMode, RepaySaved, WaitingRow};
use tauri::State;

use crate::session::Session;

use super::Api;

#[tauri::command]
pub fn loan_rules(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<LoanRules> {
    Ok(s.with_store(false, |st| loans::rules_on(st, club_id, at))?)
}

#[tauri::command]
pub fn loan_set_rules(s: State<'_, Session>, club_id: i64, rules: LoanRules) -> Api<LoanRules> {
    Ok(s.with_store(false, |st| loans::set_rules(st, &s.actor()?, club_id, &rules))?)
}

#[tauri::command]
pub fn loan_apply(s: State<'_, Session>, club_id: i64, input: ApplyInput) -> Api<Loan> {
    Ok(s.with_store(false, |st| loans::apply(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn loan_approve(s: State<'_, Session>, club_id: i64, id: i64, meeting_id: i64) -> Api<LoanSaved> {
    Ok(s.with_store(false, |st| loans::approve(st, &s.actor()?, club_id, id, meeting_id))?)
}

#[tauri::command]
pub fn loan_disburse(s: State<'_, Session>, club_id: i64, id: i64, on: NaiveDate) -> Api<Loan> {
    Ok(s.with_store(false, |st| loans::disburse(st, &s.actor()?, club_id, id, on))?)
}

#[tauri::command]
pub fn loan_repay(s: State<'_, Session>, club_id: i64, id: i64, amount: i64, on: NaiveDate, mode: RepayMode) -> Api<RepaySaved> {
    Ok(s.with_store(false, |st| loans::repay(st, &s.actor()?, club_id, id, amount, on, mode))?)
}

#[tauri::command]
pub fn loan_card(s: State<'_, Session>, club_id: i64, id: i64, at: NaiveDate) -> Api<LoanCard> {
    Ok(s.with_store(false, |st| loans::card(st, club_id, id, at))?)
}

#[tauri::command]
pub fn loan_list(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<Vec<LoanRow>> {
    Ok(s.with_store(false, |st| loans::list(st, club_id, at))?)
}

#[tauri::command]
pub fn loan_waiting(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<Vec<WaitingRow>> {
    Ok(s.with_store(false, |st| loans::waiting_list(st, club_id, at))?)
}

#[tauri::command]
pub fn loan_portfolio(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<Portfolio> {
    Ok(s.with_store(false, |st| loans::portfolio(st, club_id, at))?)
}
