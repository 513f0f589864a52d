//! The two funds: vouchers, counts and bank checks, dues, the journal, the month close.

use chrono::NaiveDate;
use ishc_core::books::{
    self, Balances, Cashbook, CountInput, CountResult, DuesGrid, Entry, Fund, MonthClose, PaymentInput, ReceiptInput,
};
use ishc_core::auth::{self};
use serde::Deserialize;
use tauri::State;

use crate::session::Session;

use super::Api;

#[tauri::command]
pub fn fund_balances(s: State<'_, Session>, club_id: i64, at: Option<NaiveDate>) -> Api<Balances> {
    Ok(s.with_store(false, |st| books::balances(st, club_id, at))?)
}

#[tauri::command]
pub fn fund_cashbook(s: State<'_, Session>, club_id: i64, fund: Option<Fund>, from: NaiveDate, to: NaiveDate) -> Api<Cashbook> {
    Ok(s.with_store(false, |st| books::cashbook(st, club_id, fund, from, to))?)
}

#[tauri::command]
pub fn fund_receipt(s: State<'_, Session>, club_id: i64, input: ReceiptInput) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::receipt(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn fund_payment(s: State<'_, Session>, club_id: i64, input: PaymentInput) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::payment(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn fund_reverse(s: State<'_, Session>, club_id: i64, voucher: String, on: NaiveDate, reason: String) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::reverse(st, &s.actor()?, club_id, &voucher, on, &reason))?)
}

#[tauri::command]
pub fn fund_count(s: State<'_, Session>, club_id: i64, input: CountInput) -> Api<CountResult> {
    Ok(s.with_store(false, |st| books::cash_count(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn fund_bank_check(s: State<'_, Session>, club_id: i64, input: CountInput, statement: i64) -> Api<CountResult> {
    Ok(s.with_store(false, |st| books::bank_check(st, &s.actor()?, club_id, &input, statement))?)
}

#[tauri::command]
pub fn fund_counts(s: State<'_, Session>, club_id: i64) -> Api<Vec<books::CountRow>> {
    Ok(s.with_store(false, |st| books::counts(st, club_id))?)
}

#[tauri::command]
pub fn fund_dues_grid(s: State<'_, Session>, club_id: i64, month: String) -> Api<DuesGrid> {
    Ok(s.with_store(false, |st| books::dues_grid(st, club_id, &month))?)
}

#[tauri::command]
pub fn fund_dues(
    s: State<'_, Session>,
    club_id: i64,
    fund: Fund,
    month: String,
    member_ids: Vec<i64>,
    on: NaiveDate,
) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::record_dues(st, &s.actor()?, club_id, fund, &month, &member_ids, on))?)
}

#[tauri::command]
pub fn fund_journal(s: State<'_, Session>, club_id: i64, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Api<Vec<Entry>> {
    Ok(s.with_store(false, |st| books::journal(st, club_id, from, to))?)
}

/// A countersigner of a month close: the sign-in she picked and the PIN she typed herself.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct Countersigner {
    sign_in_id: i64,
    pin: String,
}

/// Month close by the signed-in treasurer; each countersigner is signed in here with her own PIN
/// (a wrong one is refused and audited like any sign-in) before the core closes the month.
#[tauri::command]
pub fn fund_close(s: State<'_, Session>, club_id: i64, month: String, countersigners: Vec<Countersigner>) -> Api<MonthClose> {
    let closer = s.actor()?;
    Ok(s.with_store(false, |st| {
        let mut confirmed_by = Vec::with_capacity(countersigners.len());
        for c in &countersigners {
            confirmed_by.push(auth::sign_in_id_at(st, club_id, c.sign_in_id, &c.pin, chrono::Utc::now())?);
        }
        books::close_month(st, &closer, club_id, &month, &confirmed_by)
    })?)
}
