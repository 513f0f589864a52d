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
    let mut accounts = Vec::new();
    for (fund, account, sums) in account_sums(store.conn(), club_id, &[at])? {
        accounts.push(AccountBalance { fund, account, amount: sums[0] });
    }
    Ok(balances_of(at, accounts))
}

/// The balances on two days (a period's opening and closing), each account's postings read once
/// for both: the same figures as `balances` on each day.
pub fn balances_on_two_days(store: &Store, club_id: i64, before: NaiveDate, at: NaiveDate) -> Result<(Balances, Balances)> {
    club::get(store, club_id)?;
    let mut first = Vec::new();
    let mut second = Vec::new();
    for (fund, account, sums) in account_sums(store.conn(), club_id, &[before, at])? {
        first.push(AccountBalance { fund, account, amount: sums[0] });
        second.push(AccountBalance { fund, account, amount: sums[1] });
    }
    Ok((balances_of(before, first), balances_of(at, second)))
}

type Stored = rusqlite::types::Value;

/// Every account the club's postings name, as (fund, account) in the order of the
/// `posting_balance` index, found one after the other by a seek into it (a club has a few dozen).
/// Each comes with its fund and account as stored, to seek past them whatever their type.
struct Accounts<'c> {
    conn: &'c rusqlite::Connection,
    club_id: i64,
    after: Option<(Stored, Stored)>,
}

impl Accounts<'_> {
    fn next(&mut self) -> Result<Option<(Stored, Stored)>> {
        let found = match &self.after {
            None => self
                .conn
                .prepare_cached("SELECT fund, account FROM posting WHERE club_id = ?1 ORDER BY fund, account LIMIT 1")?
                .query_row(params![self.club_id], |r| Ok((r.get(0)?, r.get(1)?))),
            // The next account of the same fund, else the first of the next fund: two seeks. The
            // row value `(fund, account) > (?2, ?3)` reads the same, but SQLite seeks on the fund
            // only and walks the rest of it.
            Some((f, a)) => match rusqlite::OptionalExtension::optional(
                self.conn
                    .prepare_cached(
                        "SELECT fund, account FROM posting WHERE club_id = ?1 AND fund = ?2 AND account > ?3
                         ORDER BY fund, account LIMIT 1",
                    )?
                    .query_row(params![self.club_id, f, a], |r| Ok((r.get(0)?, r.get(1)?))),
            )? {
                Some(found) => Ok(found),
                None => self
                    .conn
                    .prepare_cached("SELECT fund, account FROM posting WHERE club_id = ?1 AND fund > ?2 ORDER BY fund, account LIMIT 1")?
                    .query_row(params![self.club_id, f], |r| Ok((r.get(0)?, r.get(1)?))),
            },
        };
        let found = rusqlite::OptionalExtension::optional(found)?;
        self.after = found.clone();
        Ok(found)
    }

    /// The account's fund and account parsed; a value the app never writes is damage, named by
    /// the first posting that holds it.
    fn parse(&self, fund: &Stored, account: &Stored) -> Result<(Fund, Account)> {
        if let (Stored::Text(f), Stored::Text(a)) = (fund, account) {
            if let (Some(f), Some(a)) = (Fund::parse(f), Account::parse(a)) {
                return Ok((f, a));
            }
        }
        let id: i64 = self.conn.query_row(
            "SELECT min(id) FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = ?3",
            params![self.club_id, fund, account],
            |r| r.get(0),
        )?;
        let text = |v: &Stored| match v {
            Stored::Text(t) => t.clone(),
            other => format!("{other:?}"),
        };
        let f = stored_fund("posting", id, &text(fund))?;
        Ok((f, stored_account("posting", id, &text(account))?))
    }
}

/// Each account of the club's postings with the sum of its amounts up to the end of each of
/// `days` (in the order given). One account at a time, each of its postings read once, in ranges
/// of the `posting_balance` index between the days: one pass over all postings grouped by
/// account cost about three times as much (a 30-year club's report read its 8,000 postings so).
fn account_sums(conn: &rusqlite::Connection, club_id: i64, days: &[NaiveDate]) -> Result<Vec<(Fund, Account, Vec<i64>)>> {
    let mut order: Vec<usize> = (0..days.len()).collect();
    order.sort_by_key(|i| days[*i]);
    let mut accounts = Accounts { conn, club_id, after: None };
    let mut out = Vec::new();
    while let Some((fund, account)) = accounts.next()? {
        let (f, a) = accounts.parse(&fund, &account)?;
        let mut sums = vec![0i64; days.len()];
        let mut running = 0i64;
        let mut since: Option<NaiveDate> = None;
        for &i in &order {
            let part: i64 = match since {
                None => conn
                    .prepare_cached(
                        "SELECT coalesce(sum(amount), 0) FROM posting
                         WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date <= ?4",
                    )?
                    .query_row(params![club_id, fund, account, days[i]], |r| r.get(0))?,
                Some(from) if from == days[i] => 0,
                Some(from) => conn
                    .prepare_cached(
                        "SELECT coalesce(sum(amount), 0) FROM posting
                         WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date > ?4 AND date <= ?5",
                    )?
                    .query_row(params![club_id, fund, account, from, days[i]], |r| r.get(0))?,
            };
            running = running.checked_add(part).ok_or(CoreError::LedgerOverflow)?;
            sums[i] = running;
            since = Some(days[i]);
        }
        out.push((f, a, sums));
    }
    Ok(out)
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
    let conn = store.conn();
    let mut receipts = Vec::new();
    let mut payments = Vec::new();
    let mut accounts = Accounts { conn, club_id, after: None };
    while let Some((fund, account)) = accounts.next()? {
        // Income and expense accounts only, as `LIKE 'income:%'` and `'expense:%'` pick them
        // (ASCII letters in either case), before anything is parsed; of each, only the period's
        // range of the index is read.
        let named = |prefix: &str| match &account {
            Stored::Text(t) => t.len() >= prefix.len() && t.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()),
            _ => false,
        };
        if !(named("income:") || named("expense:")) {
            continue;
        }
        let (f, a) = accounts.parse(&fund, &account)?;
        let amount: i64 = conn
            .prepare_cached(
                "SELECT coalesce(sum(amount), 0) FROM posting
                 WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date BETWEEN ?4 AND ?5",
            )?
            .query_row(params![club_id, fund, account, from, to], |r| r.get(0))?;
        if amount == 0 {
            continue;
        }
        if a.is_income() {
            receipts.push((f, a.leaf().to_string(), -amount));
        } else if a.is_expense() {
            payments.push((f, a.leaf().to_string(), amount));
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
