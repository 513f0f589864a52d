//! Reports: every figure is a sum of postings, never a second copy of the numbers.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::post::voucher_label;
use super::types::{stored_account, stored_fund, Account, Fund};
use crate::error::{CoreError, Field, Result, Rule};
use crate::notice::{self, Notice};
use crate::roster::club;
use crate::store::Store;

pub(super) fn balance_of(conn: &rusqlite::Connection, club_id: i64, fund: Fund, account: Account, at: NaiveDate) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(amount), 0) FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date <= ?4",
        params![club_id, fund.code(), account.as_str(), at],
        |r| r.get(0),
    )?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountBalance {
    pub fund: Fund,
    #[ts(type = "string")]
    pub account: Account,
    /// Debit positive. Income and capital show negative here; `FundBalance` gives them as people read them.
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FundBalance {
    pub fund: Fund,
    pub cash: i64,
    pub bank: i64,
    pub loans: i64,
    /// cash + bank + loans.
    pub assets: i64,
    /// Opening capital, as a positive number.
    pub capital: i64,
    /// Net money moved in from the other fund (negative: moved out).
    pub transfers_in: i64,
    pub income: i64,
    pub expenses: i64,
    /// income − expenses.
    pub surplus: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Balances {
    pub at: NaiveDate,
    pub funds: Vec<FundBalance>,
    pub accounts: Vec<AccountBalance>,
    /// Both funds' cash on hand together (the cash box).
    pub cash_total: i64,
}

pub fn balances(store: &Store, club_id: i64, at: Option<NaiveDate>) -> Result<Balances> {
    club::get(store, club_id)?;
    let at = at.unwrap_or(store.today());
    let mut stmt = store.conn().prepare(
        "SELECT fund, account, sum(amount), min(id) FROM posting WHERE club_id = ?1 AND date <= ?2
         GROUP BY fund, account ORDER BY fund, account",
    )?;
    let accounts = stmt
        .query_map(params![club_id, at], |r| {
            let fund = stored_fund("posting", r.get(3)?, &r.get::<_, String>(0)?)?;
            let account = stored_account("posting", r.get(3)?, &r.get::<_, String>(1)?)?;
            Ok(AccountBalance { fund, account, amount: r.get(2)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(balances_of(at, accounts))
}

/// The balances on two days (a period's opening and closing), read in one pass over the postings
/// instead of two: the same figures as `balances` on each day.
pub fn balances_on_two_days(store: &Store, club_id: i64, before: NaiveDate, at: NaiveDate) -> Result<(Balances, Balances)> {
    club::get(store, club_id)?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT fund, account, sum(CASE WHEN date <= ?2 THEN amount ELSE 0 END), sum(CASE WHEN date <= ?3 THEN amount ELSE 0 END),
                min(id) FROM posting
         WHERE club_id = ?1 AND date <= max(?2, ?3) GROUP BY fund, account ORDER BY fund, account",
    )?;
    let mut first = Vec::new();
    let mut second = Vec::new();
    for row in stmt.query_map(params![club_id, before, at], |r| {
        let fund = stored_fund("posting", r.get(4)?, &r.get::<_, String>(0)?)?;
        let account = stored_account("posting", r.get(4)?, &r.get::<_, String>(1)?)?;
        Ok((AccountBalance { fund, account, amount: r.get(2)? }, AccountBalance { fund, account, amount: r.get(3)? }))
    })? {
        let (a, b) = row?;
        first.push(a);
        second.push(b);
    }
    Ok((balances_of(before, first), balances_of(at, second)))
}

/// Each fund's position and flows from its accounts' balances on `at` (accounts at zero left out).
fn balances_of(at: NaiveDate, accounts: Vec<AccountBalance>) -> Balances {
    let accounts: Vec<AccountBalance> = accounts.into_iter().filter(|a| a.amount != 0).collect();
    let funds = Fund::ALL
        .into_iter()
        .map(|fund| {
            let sum = |pred: &dyn Fn(Account) -> bool| {
                accounts.iter().filter(|a| a.fund == fund && pred(a.account)).map(|a| a.amount).sum::<i64>()
            };
            let cash = sum(&|a| a == Account::Cash);
            let bank = sum(&|a| a == Account::Bank);
            let loans = sum(&|a| a == Account::Loans);
            let income = -sum(&|a| a.is_income());
            let expenses = sum(&|a| a.is_expense());
            FundBalance {
                fund,
                cash,
                bank,
                loans,
                assets: cash + bank + loans,
                capital: -sum(&|a| a == Account::Capital),
                transfers_in: -sum(&|a| a == Account::Transfer),
                income,
                expenses,
                surplus: income - expenses,
            }
        })
        .collect::<Vec<_>>();
    let cash_total = funds.iter().map(|f| f.cash).sum();
    Balances { at, funds, accounts, cash_total }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CashbookLine {
    pub entry_id: i64,
    pub voucher: String,
    pub date: NaiveDate,
    /// What a person typed; with `memo_notice`, what the core says (as on `Entry`).
    pub memo: String,
    pub memo_notice: Option<Notice>,
    pub fund: Fund,
    pub money_in: i64,
    pub money_out: i64,
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Cashbook {
    pub fund: Option<Fund>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: i64,
    pub lines: Vec<CashbookLine>,
    pub total_in: i64,
    pub total_out: i64,
    pub closing: i64,
}

/// Sổ quỹ tiền mặt: opening balance, each voucher that moved cash, running balance, closing.
/// `fund` None: both funds' cash together (one cash box).
pub fn cashbook(store: &Store, club_id: i64, fund: Option<Fund>, from: NaiveDate, to: NaiveDate) -> Result<Cashbook> {
    club::get(store, club_id)?;
    if to < from {
        return Err(CoreError::invalid(Field::LedgerDate, Rule::BeforeDate { other: from.to_string() }));
    }
    let funds: Vec<Fund> = fund.map(|f| vec![f]).unwrap_or(Fund::ALL.to_vec());
    let day_before = from.pred_opt().unwrap_or(from);
    let mut opening = 0;
    for f in &funds {
        opening += balance_of(store.conn(), club_id, *f, Account::Cash, day_before)?;
    }
    // One query over the posting index: each entry that moved cash in the funds asked, in date order.
    let fund_filter = match fund {
        Some(f) => format!("AND p.fund = '{}'", f.code()),
        None => String::new(),
    };
    let mut stmt = store.conn().prepare(&format!(
        "SELECT e.id, e.series, e.fund, e.voucher_year, e.voucher_no, e.date, e.memo, sum(p.amount), e.memo_code, e.memo_params
         FROM posting p JOIN journal_entry e ON e.id = p.entry_id
         WHERE p.club_id = ?1 AND p.account = ?4 AND p.date BETWEEN ?2 AND ?3 {fund_filter}
         GROUP BY e.id HAVING sum(p.amount) != 0 ORDER BY e.date, e.id"
    ))?;
    let mut rows: Vec<(NaiveDate, i64, CashbookLine)> = Vec::new();
    for row in stmt.query_map(params![club_id, from, to, Account::Cash.as_str()], |r| {
        let series: String = r.get(1)?;
        let id: i64 = r.get(0)?;
        let fund = stored_fund("journal_entry", id, &r.get::<_, String>(2)?)?;
        let delta: i64 = r.get(7)?;
        let date: NaiveDate = r.get(5)?;
        Ok((date, id, CashbookLine {
            entry_id: id,
            voucher: voucher_label(&series, fund, r.get(3)?, r.get(4)?),
            date,
            memo: r.get(6)?,
            memo_notice: notice::stored("journal_entry", id, ["memo_code", "memo_params"], r.get(8)?, r.get(9)?)?,
            fund,
            money_in: delta.max(0),
            money_out: (-delta).max(0),
            balance: 0,
        }))
    })? {
        rows.push(row?);
    }
    rows.sort_by_key(|(d, id, _)| (*d, *id));
    let mut running = opening;
    let mut lines = Vec::with_capacity(rows.len());
    for (_, _, mut line) in rows {
        running += line.money_in - line.money_out;
        line.balance = running;
        lines.push(line);
    }
    let total_in = lines.iter().map(|l| l.money_in).sum();
    let total_out = lines.iter().map(|l| l.money_out).sum();
    Ok(Cashbook { fund, from, to, opening, lines, total_in, total_out, closing: running })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PeriodSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// (fund, source, amount) received in the period, net of reversals.
    pub receipts: Vec<(Fund, String, i64)>,
    /// (fund, area, amount) paid in the period, net of reversals.
    pub payments: Vec<(Fund, String, i64)>,
}

/// Receipts by source and payments by area over a period.
pub fn summary(store: &Store, club_id: i64, from: NaiveDate, to: NaiveDate) -> Result<PeriodSummary> {
    let mut stmt = store.conn().prepare(
        "SELECT fund, account, sum(amount), min(id) FROM posting
         WHERE club_id = ?1 AND date BETWEEN ?2 AND ?3 AND (account LIKE 'income:%' OR account LIKE 'expense:%')
         GROUP BY fund, account ORDER BY fund, account",
    )?;
    let mut receipts = Vec::new();
    let mut payments = Vec::new();
    for row in stmt.query_map(params![club_id, from, to], |r| {
        let fund = stored_fund("posting", r.get(3)?, &r.get::<_, String>(0)?)?;
        Ok((fund, stored_account("posting", r.get(3)?, &r.get::<_, String>(1)?)?, r.get::<_, i64>(2)?))
    })? {
        let (fund, account, amount) = row?;
        if amount == 0 {
            continue;
        }
        if account.is_income() {
            receipts.push((fund, account.leaf().to_string(), -amount));
        } else if account.is_expense() {
            payments.push((fund, account.leaf().to_string(), amount));
        }
    }
    Ok(PeriodSummary { from, to, receipts, payments })
}

/// The sum of amounts of money, checked: an overflow (only a damaged file can hold such amounts) is
/// `LedgerOverflow`, never a wrapped number.
pub fn sum_amounts(amounts: impl IntoIterator<Item = i64>) -> Result<i64> {
    amounts.into_iter().try_fold(0i64, |acc, a| acc.checked_add(a)).ok_or(CoreError::LedgerOverflow)
}

/// The book balance of one fund's account at the end of `at`.
pub fn balance_at(store: &Store, club_id: i64, fund: Fund, account: Account, at: NaiveDate) -> Result<i64> {
    balance_of(store.conn(), club_id, fund, account, at)
}
