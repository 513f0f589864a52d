//! What each voucher posts, and reading entries back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::post::{check_amount, check_member, post, posting, voucher_label};
use super::types::{stored_account, stored_fund, Account, Entry, Fund, Kind, PaymentInput, Posting, ReceiptInput, Source, Via};
use crate::auth::permissions::Action;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::notice::{self, Notice};
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;

/// A receipt (phiếu thu): money into the fund from a source.
pub fn receipt(store: &mut Store, actor: &Actor, club_id: i64, input: &ReceiptInput) -> Result<Entry> {
    store.act(actor, club_id, Action::Money, |w| receipt_in(w, club_id, input))
}

pub(crate) fn receipt_in(w: &mut Writer<'_>, club_id: i64, input: &ReceiptInput) -> Result<Entry> {
    receipt_noted_in(w, club_id, input, None)
}

/// A receipt another room writes, with what the core says about it (`memo.*`) beside the typed memo.
pub(crate) fn receipt_noted_in(w: &mut Writer<'_>, club_id: i64, input: &ReceiptInput, notice: Option<Notice>) -> Result<Entry> {
    let v = Voucher { fund: input.fund, amount: input.amount, date: input.date, member_id: input.member_id, memo: &input.memo, notice };
    money_voucher(w, club_id, Kind::Receipt, v, input.via.account(), Account::Income(input.source))
}

/// What a receipt and a payment share: one amount, from one account to another within a fund.
struct Voucher<'a> {
    fund: Fund,
    amount: i64,
    date: NaiveDate,
    member_id: Option<i64>,
    memo: &'a str,
    notice: Option<Notice>,
}

fn money_voucher(w: &mut Writer<'_>, club_id: i64, kind: Kind, v: Voucher<'_>, debit: Account, credit: Account) -> Result<Entry> {
    check_amount(v.amount)?;
    let memo = text::bounded(v.memo, Field::LedgerMemo, 300)?;
    check_member(w, club_id, v.member_id, v.date)?;
    let postings = vec![posting(v.fund, debit, v.amount), posting(v.fund, credit, -v.amount)];
    post(w, club_id, v.fund, kind, v.date, &memo, v.notice, v.member_id, None, None, postings)
}

/// A payment (phiếu chi): money out of the fund for an activity area; refused if the fund lacks it.
pub fn payment(store: &mut Store, actor: &Actor, club_id: i64, input: &PaymentInput) -> Result<Entry> {
    store.act(actor, club_id, Action::Money, |w| payment_in(w, club_id, input))
}

pub(crate) fn payment_in(w: &mut Writer<'_>, club_id: i64, input: &PaymentInput) -> Result<Entry> {
    payment_noted_in(w, club_id, input, None)
}

/// A payment another room writes, with what the core says about it (`memo.*`) beside the typed memo.
pub(crate) fn payment_noted_in(w: &mut Writer<'_>, club_id: i64, input: &PaymentInput, notice: Option<Notice>) -> Result<Entry> {
    let v = Voucher { fund: input.fund, amount: input.amount, date: input.date, member_id: input.member_id, memo: &input.memo, notice };
    money_voucher(w, club_id, Kind::Payment, v, Account::Expense(input.area), input.via.account())
}

/// Move money from one fund to the other: an entry in each fund, both balanced.
pub fn transfer(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    from: Fund,
    amount: i64,
    date: NaiveDate,
    memo: &str,
) -> Result<Entry> {
    store.act(actor, club_id, Action::Money, |w| transfer_in(w, club_id, from, amount, date, memo))
}

pub(crate) fn transfer_in(w: &mut Writer<'_>, club_id: i64, from: Fund, amount: i64, date: NaiveDate, memo: &str) -> Result<Entry> {
    check_amount(amount)?;
    let memo = text::bounded(memo, Field::LedgerMemo, 300)?;
    let to = if from == Fund::Income { Fund::Activity } else { Fund::Income };
    let postings = vec![
        posting(from, Account::Transfer, amount),
        posting(from, Account::Cash, -amount),
        posting(to, Account::Cash, amount),
        posting(to, Account::Transfer, -amount),
    ];
    post(w, club_id, from, Kind::Transfer, date, &memo, None, None, None, None, postings)
}

/// Open a fund with money it already had before the books (capital), e.g. at migration to the app.
pub fn opening(store: &mut Store, actor: &Actor, club_id: i64, fund: Fund, amount: i64, date: NaiveDate, via: Via) -> Result<Entry> {
    store.act(actor, club_id, Action::Money, |w| {
        check_amount(amount)?;
        let postings = vec![posting(fund, via.account(), amount), posting(fund, Account::Capital, -amount)];
        post(w, club_id, fund, Kind::Opening, date, "", Some(Notice::new("memo.opening", serde_json::json!({}))), None, None, None, postings)
    })
}

/// Correct a voucher: a new entry with every posting negated, pointing at the original, with a reason.
pub fn reverse(store: &mut Store, actor: &Actor, club_id: i64, voucher: &str, date: NaiveDate, reason: &str) -> Result<Entry> {
    store.act(actor, club_id, Action::Correction, |w| reverse_in(w, club_id, voucher, date, reason))
}

fn reverse_in(w: &mut Writer<'_>, club_id: i64, voucher: &str, date: NaiveDate, reason: &str) -> Result<Entry> {
    let reason = text::required(reason, Field::LedgerReason, 300)?;
    let original = find_in(&w.tx, club_id, voucher)?;
    if original.kind == Kind::Reversal {
        return Err(CoreError::LedgerReverseReversal { voucher: original.voucher });
    }
    if let Some(by) = original.reversed_by {
        let by = load_entries(&w.tx, "e.id = ?2", params![club_id, by])?.pop().map(|e| e.voucher).unwrap_or_default();
        return Err(CoreError::LedgerAlreadyReversed { voucher: original.voucher, by });
    }
    if date < original.date {
        return Err(CoreError::invalid(Field::LedgerDate, Rule::BeforeDate { other: original.date.to_string() }));
    }
    let postings = original.postings.iter().map(|p| posting(p.fund, p.account, -p.amount)).collect();
    let notice = Notice::new("memo.reversal", serde_json::json!({ "voucher": original.voucher }));
    post(w, club_id, original.fund, Kind::Reversal, date, "", Some(notice), original.member_id, Some(original.id), Some(&reason), postings)
}

fn load_entries(conn: &rusqlite::Connection, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT e.id, e.club_id, e.fund, e.series, e.voucher_year, e.voucher_no, e.kind, e.date, e.memo, e.member_id,
            e.reverses, (SELECT r.id FROM journal_entry r WHERE r.reverses = e.id), e.reason, e.actor, e.created_at,
            e.prev_hash, e.hash, e.memo_code, e.memo_params
         FROM journal_entry e WHERE e.club_id = ?1 AND {filter} ORDER BY e.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut entries: Vec<Entry> = stmt
        .query_map(args, |r| {
            let id: i64 = r.get(0)?;
            let fund = stored_fund("journal_entry", id, &r.get::<_, String>(2)?)?;
            let series: String = r.get(3)?;
            let kind: String = r.get(6)?;
            let kind = Kind::from_code(&kind).ok_or_else(|| damaged("journal_entry", id, "kind", &kind))?;
            Ok(Entry {
                id,
                club_id: r.get(1)?,
                voucher: voucher_label(&series, fund, r.get(4)?, r.get(5)?),
                fund,
                kind,
                date: r.get(7)?,
                memo: r.get(8)?,
                memo_notice: notice::stored("journal_entry", id, ["memo_code", "memo_params"], r.get(17)?, r.get(18)?)?,
                member_id: r.get(9)?,
                reverses: r.get(10)?,
                reversed_by: r.get(11)?,
                reason: r.get(12)?,
                actor: r.get(13)?,
                created_at: r.get(14)?,
                prev_hash: r.get(15)?,
                hash: r.get(16)?,
                postings: vec![],
            })
        })?
        .collect::<Result<_, _>>()?;
    if entries.is_empty() {
        return Ok(entries);
    }
    let (lo, hi) = (entries[0].id, entries[entries.len() - 1].id);
    let mut stmt =
        conn.prepare("SELECT entry_id, fund, account, amount, id FROM posting WHERE entry_id BETWEEN ?1 AND ?2 ORDER BY id")?;
    let mut by_entry: BTreeMap<i64, Vec<Posting>> = BTreeMap::new();
    for row in stmt.query_map(params![lo, hi], |r| {
        let fund = stored_fund("posting", r.get(4)?, &r.get::<_, String>(1)?)?;
        let account = stored_account("posting", r.get(4)?, &r.get::<_, String>(2)?)?;
        Ok((r.get::<_, i64>(0)?, Posting { fund, account, amount: r.get(3)? }))
    })? {
        let (id, p) = row?;
        by_entry.entry(id).or_default().push(p);
    }
    for e in &mut entries {
        e.postings = by_entry.remove(&e.id).unwrap_or_default();
    }
    Ok(entries)
}

/// A voucher by its number (`PT-HD-2026-0001`) or its id.
fn find_in(conn: &rusqlite::Connection, club_id: i64, voucher: &str) -> Result<Entry> {
    let v = voucher.trim().to_uppercase();
    let not_found = || CoreError::LedgerNotFound { voucher: voucher.to_string() };
    let found = if let Ok(id) = v.parse::<i64>() {
        load_entries(conn, "e.id = ?2", params![club_id, id])?
    } else {
        let parts: Vec<&str> = v.split('-').collect();
        if parts.len() != 4 {
            return Err(not_found());
        }
        let fund = Fund::parse(parts[1]).ok_or_else(not_found)?;
        let year: i32 = parts[2].parse().map_err(|_| not_found())?;
        let no: i64 = parts[3].parse().map_err(|_| not_found())?;
        load_entries(
            conn,
            "e.series = ?2 AND e.fund = ?3 AND e.voucher_year = ?4 AND e.voucher_no = ?5",
            params![club_id, parts[0], fund.code(), year, no],
        )?
    };
    found.into_iter().next().ok_or_else(not_found)
}

pub fn find(store: &Store, club_id: i64, voucher: &str) -> Result<Entry> {
    find_in(store.conn(), club_id, voucher)
}

/// Every entry dated within `[from, to]`, in the order they were written.
pub fn journal(store: &Store, club_id: i64, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<Entry>> {
    // Dates are stored as text: keep the open ends inside four-digit years so they compare as text.
    let from = from.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).expect("valid"));
    let to = to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid"));
    load_entries(store.conn(), "e.date BETWEEN ?2 AND ?3", params![club_id, from, to])
}

// ---------------------------------------------------------------------------------------------
// Loans: the only entries that touch the `loans` account, always in the income-generation fund.

/// Hand a loan to a member: loans receivable up, cash down (refused if the fund lacks the cash).
/// `notice` is what the register says about it (`memo.loan_disburse`); nothing is typed.
pub(crate) fn loan_disburse_in(w: &mut Writer<'_>, club_id: i64, member_id: i64, amount: i64, date: NaiveDate, notice: Notice) -> Result<Entry> {
    check_amount(amount)?;
    check_member(w, club_id, Some(member_id), date)?;
    let postings = vec![posting(Fund::Income, Account::Loans, amount), posting(Fund::Income, Account::Cash, -amount)];
    post(w, club_id, Fund::Income, Kind::Payment, date, "", Some(notice), Some(member_id), None, None, postings)
}

/// A repayment: cash in; principal lowers the loans receivable, interest and penalty are fund income.
/// A member who has left still repays, so membership is not checked here.
#[allow(clippy::too_many_arguments)]
pub(crate) fn loan_repay_in(
    w: &mut Writer<'_>,
    club_id: i64,
    member_id: i64,
    date: NaiveDate,
    penalty: i64,
    interest: i64,
    principal: i64,
    notice: Notice,
) -> Result<Entry> {
    let total = penalty.checked_add(interest).and_then(|x| x.checked_add(principal)).ok_or(CoreError::LedgerOverflow)?;
    check_amount(total)?;
    let mut postings = vec![posting(Fund::Income, Account::Cash, total)];
    for (account, amount) in [(Account::Loans, principal), (Account::Income(Source::Interest), interest), (Account::Penalty, penalty)] {
        if amount > 0 {
            postings.push(posting(Fund::Income, account, -amount));
        }
    }
    post(w, club_id, Fund::Income, Kind::Receipt, date, "", Some(notice), Some(member_id), None, None, postings)
}

/// Write a loan's outstanding principal off as a loss to the fund (an adjusting entry, DC). The
/// reason is kept in its column and named in the notice (`memo.loan_write_off` with `loan_id`).
pub(crate) fn loan_write_off_in(
    w: &mut Writer<'_>,
    club_id: i64,
    loan_id: i64,
    member_id: i64,
    amount: i64,
    date: NaiveDate,
    reason: &str,
) -> Result<Entry> {
    check_amount(amount)?;
    let reason = text::required(reason, Field::LoanReason, 300)?;
    let notice = Notice::new("memo.loan_write_off", serde_json::json!({ "loan_id": loan_id, "reason": reason }));
    let postings = vec![posting(Fund::Income, Account::WriteOff, amount), posting(Fund::Income, Account::Loans, -amount)];
    post(w, club_id, Fund::Income, Kind::CountAdjustment, date, "", Some(notice), Some(member_id), None, Some(&reason), postings)
}
