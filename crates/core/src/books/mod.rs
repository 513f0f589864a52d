//! The two self-managed funds as a double-entry journal. The treasurer fills vouchers (phiếu thu,
//! phiếu chi); this module posts balanced entries. **Only this module writes postings.**
//!
//! Invariants, each re-checked by `verify` (and so by `ishc check`):
//! - every entry balances within each fund (so each fund's assets = its capital + surplus);
//! - cash and bank never go below zero in a fund, at any date;
//! - the journal is append-only (SQL triggers) and hash-chained per club; a correction is a
//!   reversing entry pointing at the one it reverses;
//! - voucher numbers run 1, 2, 3… per club, fund, series and year, never reused;
//! - a cash count or bank check leaves a dated balance assertion; nothing may be dated on or before
//!   it in that fund, nor in a closed month.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::notice::Notice;
use crate::store::audit::Actor;
use crate::roster::club;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::roster::member::{self, Role};
use crate::store::{Store, Writer};
use crate::text;

/// The largest single amount a voucher may carry: 10 billion đồng (far above any club's fund).
pub const MAX_AMOUNT: i64 = 10_000_000_000;
/// Banknotes and coins a cash count may list, 500.000 đ down to 500 đ.
pub const DENOMINATIONS: [i64; 10] = [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500];
/// The chain head of a club with no journal entry yet: what the first entry's `prev_hash` names.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of the club's newest journal entry (`GENESIS` when there is none): one value that
/// commits to the whole journal, named in month closes and report bundles.
pub(crate) fn chain_head(conn: &rusqlite::Connection, club_id: i64) -> Result<String> {
    Ok(conn
        .query_row("SELECT hash FROM journal_entry WHERE club_id = ?1 ORDER BY id DESC LIMIT 1", [club_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Fund {
    /// Quỹ tăng thu nhập: the revolving loan fund.
    Income,
    /// Quỹ hoạt động.
    Activity,
}

impl Fund {
    pub const ALL: [Fund; 2] = [Fund::Income, Fund::Activity];
    pub fn code(self) -> &'static str {
        match self {
            Fund::Income => "income",
            Fund::Activity => "activity",
        }
    }
    /// The short letters on a voucher number: TN (tăng thu nhập), HĐ (hoạt động).
    pub fn short(self) -> &'static str {
        match self {
            Fund::Income => "TN",
            Fund::Activity => "HD",
        }
    }
    pub fn parse(s: &str) -> Option<Fund> {
        match text::fold(s).as_str() {
            "income" | "tn" | "tang thu nhap" => Some(Fund::Income),
            "activity" | "hd" | "hoat dong" => Some(Fund::Activity),
            _ => None,
        }
    }
}

/// Where money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Dues,
    Community,
    Family,
    Business,
    Charity,
    /// State or older people's association seed money.
    Seed,
    Fundraising,
    Interest,
    Other,
}

impl Source {
    pub const ALL: [Source; 9] = [
        Source::Dues,
        Source::Community,
        Source::Family,
        Source::Business,
        Source::Charity,
        Source::Seed,
        Source::Fundraising,
        Source::Interest,
        Source::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Source::Dues => "dues",
            Source::Community => "community",
            Source::Family => "family",
            Source::Business => "business",
            Source::Charity => "charity",
            Source::Seed => "seed",
            Source::Fundraising => "fundraising",
            Source::Interest => "interest",
            Source::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// What money is spent on: the eight activity areas, or administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    A1,
    A2,
    A3,
    A4,
    A5,
    A6,
    A7,
    A8,
    Admin,
}

impl Area {
    pub const ALL: [Area; 9] = [Area::A1, Area::A2, Area::A3, Area::A4, Area::A5, Area::A6, Area::A7, Area::A8, Area::Admin];
    pub fn code(self) -> &'static str {
        match self {
            Area::A1 => "a1",
            Area::A2 => "a2",
            Area::A3 => "a3",
            Area::A4 => "a4",
            Area::A5 => "a5",
            Area::A6 => "a6",
            Area::A7 => "a7",
            Area::A8 => "a8",
            Area::Admin => "admin",
        }
    }
    /// `1`..`8`, `a1`..`a8` or `admin`.
    pub fn parse(s: &str) -> Option<Area> {
        let s = s.trim().to_lowercase();
        let s = if s.len() == 1 { format!("a{s}") } else { s };
        Area::ALL.into_iter().find(|a| a.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Receipt,
    Payment,
    Transfer,
    Reversal,
    CountAdjustment,
    Opening,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Receipt => "receipt",
            Kind::Payment => "payment",
            Kind::Transfer => "transfer",
            Kind::Reversal => "reversal",
            Kind::CountAdjustment => "count_adjustment",
            Kind::Opening => "opening",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Kind> {
        match s {
            "receipt" => Some(Kind::Receipt),
            "payment" => Some(Kind::Payment),
            "transfer" => Some(Kind::Transfer),
            "reversal" => Some(Kind::Reversal),
            "count_adjustment" => Some(Kind::CountAdjustment),
            "opening" => Some(Kind::Opening),
            _ => None,
        }
    }
    /// Phiếu thu (PT), phiếu chi (PC), chuyển quỹ (CK), điều chỉnh (DC).
    fn series(self) -> &'static str {
        match self {
            Kind::Receipt | Kind::Opening => "PT",
            Kind::Payment => "PC",
            Kind::Transfer => "CK",
            Kind::Reversal | Kind::CountAdjustment => "DC",
        }
    }
}

/// A fund read from `table`'s row `row`: an unknown one is damage, never a default.
pub(crate) fn stored_fund(table: &str, row: i64, value: &str) -> rusqlite::Result<Fund> {
    Fund::parse(value).ok_or_else(|| damaged(table, row, "fund", value))
}

/// Whether an account holds what the fund owns (cash, bank, loans) or where it came from / went.
pub fn is_asset(account: &str) -> bool {
    matches!(account, "cash" | "bank" | "loans")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Posting {
    pub fund: Fund,
    /// `cash`, `bank`, `loans`, `capital`, `transfer`, `income:<source>`, `expense:<area>`,
    /// `income:count_surplus`, `expense:count_shortage`.
    pub account: String,
    /// Đồng; debit positive, credit negative.
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Entry {
    pub id: i64,
    pub club_id: i64,
    /// The number people write and read: `PT-HD-2026-0001`.
    pub voucher: String,
    pub fund: Fund,
    pub kind: Kind,
    pub date: NaiveDate,
    pub memo: String,
    pub member_id: Option<i64>,
    pub reverses: Option<i64>,
    pub reversed_by: Option<i64>,
    pub reason: Option<String>,
    pub actor: String,
    pub created_at: String,
    pub prev_hash: String,
    pub hash: String,
    pub postings: Vec<Posting>,
}

impl Entry {
    /// The money this voucher moved (the sum of its debits).
    pub fn amount(&self) -> i64 {
        self.postings.iter().filter(|p| p.amount > 0).map(|p| p.amount).sum()
    }
}

/// `voucher_label` in SQL, over a `journal_entry` aliased `e` (for modules that list linked vouchers).
pub(crate) const VOUCHER_LABEL_SQL: &str = "(e.series || '-' || CASE e.fund WHEN 'income' THEN 'TN' ELSE 'HD' END
    || '-' || e.voucher_year || '-' || printf('%04d', e.voucher_no))";

fn voucher_label(series: &str, fund: Fund, year: i32, no: i64) -> String {
    format!("{series}-{}-{year}-{no:04}", fund.short())
}

/// The digest that chains an entry to the one before it.
fn entry_hash(prev: &str, e: &EntryCore, postings: &[Posting]) -> String {
    let canonical = serde_json::json!({
        "club_id": e.club_id, "fund": e.fund.code(), "series": e.kind.series(), "year": e.year, "no": e.no,
        "kind": e.kind.code(), "date": e.date, "memo": e.memo, "member_id": e.member_id, "reverses": e.reverses,
        "reason": e.reason, "actor": e.actor, "created_at": e.created_at,
        "postings": postings.iter().map(|p| (p.fund.code(), &p.account, p.amount)).collect::<Vec<_>>(),
    });
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.to_string().as_bytes());
    format!("{:x}", h.finalize())
}

/// The fields of an entry that the hash covers.
struct EntryCore {
    club_id: i64,
    fund: Fund,
    kind: Kind,
    year: i32,
    no: i64,
    date: NaiveDate,
    memo: String,
    member_id: Option<i64>,
    reverses: Option<i64>,
    reason: Option<String>,
    actor: String,
    created_at: String,
}

fn check_amount(amount: i64) -> Result<()> {
    crate::parse::money_in(Field::LedgerAmount, amount, 1, MAX_AMOUNT).map(|_| ())
}


fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Refuse a date in the future, before the club, in a closed month, or on/before a count of `fund`.
fn check_date(w: &Writer<'_>, club_id: i64, funds: &[Fund], date: NaiveDate) -> Result<()> {
    club::check_day(&w.tx, w.today, club_id, date, Field::LedgerDate)?;
    let closed: Option<String> = w.tx.query_row(
        "SELECT max(month) FROM month_close WHERE club_id = ?1",
        [club_id],
        |r| r.get(0),
    )?;
    if let Some(m) = closed {
        if month_of(date) <= m {
            return Err(CoreError::LedgerMonthClosed { month: m, date: date.to_string() });
        }
    }
    for fund in funds {
        let counted: Option<NaiveDate> = w.tx.query_row(
            "SELECT max(date) FROM balance_assertion WHERE club_id = ?1 AND fund = ?2",
            params![club_id, fund.code()],
            |r| r.get(0),
        )?;
        if let Some(c) = counted {
            if date <= c {
                return Err(CoreError::LedgerBeforeCount {
                    fund: fund.code().into(),
                    counted_on: c.to_string(),
                    date: date.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// The lowest balance `account` of `fund` reaches on any day from `from` on.
fn lowest_balance_from(w: &Writer<'_>, club_id: i64, fund: Fund, account: &str, from: NaiveDate) -> Result<i64> {
    let before = balance_of(&w.tx, club_id, fund, account, from)?;
    let mut stmt = w.tx.prepare(
        "SELECT date, sum(amount) FROM posting
         WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date > ?4 GROUP BY date ORDER BY date",
    )?;
    let mut running = before;
    let mut lowest = before;
    for row in stmt.query_map(params![club_id, fund.code(), account, from], |r| r.get::<_, i64>(1))? {
        running = running.checked_add(row?).ok_or(CoreError::LedgerOverflow)?;
        lowest = lowest.min(running);
    }
    Ok(lowest)
}

/// Write one balanced entry, numbered and chained. Every voucher goes through here.
fn post(
    w: &mut Writer<'_>,
    club_id: i64,
    fund: Fund,
    kind: Kind,
    date: NaiveDate,
    memo: &str,
    member_id: Option<i64>,
    reverses: Option<i64>,
    reason: Option<&str>,
    postings: Vec<Posting>,
) -> Result<Entry> {
    // Balanced within each fund, amounts sane.
    let mut per_fund: BTreeMap<Fund, i64> = BTreeMap::new();
    for p in &postings {
        if p.amount == 0 || p.amount.unsigned_abs() > MAX_AMOUNT as u64 {
            return Err(CoreError::invalid(Field::LedgerAmount, Rule::MoneyRange { min_amount: 1, max_amount: MAX_AMOUNT }));
        }
        let s = per_fund.entry(p.fund).or_default();
        *s = s.checked_add(p.amount).ok_or(CoreError::LedgerOverflow)?;
    }
    assert!(per_fund.values().all(|s| *s == 0), "an unbalanced entry is a bug in the ledger module");
    let funds: Vec<Fund> = per_fund.keys().copied().collect();
    check_date(w, club_id, &funds, date)?;
    // Cash and bank may not go below zero on any day from this one on.
    for p in postings.iter().filter(|p| p.amount < 0 && matches!(p.account.as_str(), "cash" | "bank")) {
        let lowest = lowest_balance_from(w, club_id, p.fund, &p.account, date)?;
        if lowest < -p.amount {
            return Err(CoreError::LedgerCashShort {
                fund: p.fund.code().into(),
                account: p.account.clone(),
                on: date.to_string(),
                available: lowest.max(0),
                needed: -p.amount,
            });
        }
    }
    let year = date.year();
    let series = kind.series();
    let no: i64 = w.tx.query_row(
        "SELECT coalesce(max(voucher_no), 0) + 1 FROM journal_entry
         WHERE club_id = ?1 AND fund = ?2 AND series = ?3 AND voucher_year = ?4",
        params![club_id, fund.code(), series, year],
        |r| r.get(0),
    )?;
    let prev: String = w
        .tx
        .query_row("SELECT hash FROM journal_entry WHERE club_id = ?1 ORDER BY id DESC LIMIT 1", [club_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let core = EntryCore {
        club_id,
        fund,
        kind,
        year,
        no,
        date,
        memo: memo.to_string(),
        member_id,
        reverses,
        reason: reason.map(str::to_string),
        actor: w.actor.name().to_string(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    let hash = entry_hash(&prev, &core, &postings);
    w.tx.execute(
        "INSERT INTO journal_entry (club_id, fund, series, voucher_year, voucher_no, kind, date, memo, member_id,
            reverses, reason, actor, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            club_id,
            fund.code(),
            series,
            year,
            no,
            kind.code(),
            date,
            core.memo,
            member_id,
            reverses,
            core.reason,
            core.actor,
            core.created_at,
            prev,
            hash
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    for p in &postings {
        w.tx.execute(
            "INSERT INTO posting (entry_id, club_id, date, fund, account, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, club_id, date, p.fund.code(), p.account, p.amount],
        )?;
    }
    let voucher = voucher_label(series, fund, year, no);
    w.audit(Some(club_id), &format!("ledger.{}", kind.code()), Some(id), serde_json::json!({ "voucher": voucher }))?;
    Ok(Entry {
        id,
        club_id,
        voucher,
        fund,
        kind,
        date,
        memo: core.memo,
        member_id,
        reverses,
        reversed_by: None,
        reason: core.reason,
        actor: core.actor,
        created_at: core.created_at,
        prev_hash: prev,
        hash,
        postings,
    })
}

fn posting(fund: Fund, account: &str, amount: i64) -> Posting {
    Posting { fund, account: account.to_string(), amount }
}

/// Money in or out of the fund through cash (default) or the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    #[default]
    Cash,
    Bank,
}

impl Via {
    fn account(self) -> &'static str {
        match self {
            Via::Cash => "cash",
            Via::Bank => "bank",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptInput {
    pub fund: Fund,
    pub amount: i64,
    pub source: Source,
    pub date: NaiveDate,
    #[serde(default)]
    pub member_id: Option<i64>,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub via: Via,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaymentInput {
    pub fund: Fund,
    pub amount: i64,
    pub area: Area,
    pub date: NaiveDate,
    #[serde(default)]
    pub member_id: Option<i64>,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub via: Via,
}

fn check_member(w: &Writer<'_>, club_id: i64, member_id: Option<i64>, date: NaiveDate) -> Result<()> {
    match member_id {
        Some(id) => member::on_day(&w.tx, club_id, id, date).map(|_| ()),
        None => Ok(()),
    }
}

/// A receipt (phiếu thu): money into the fund from a source.
pub fn receipt(store: &mut Store, actor: &Actor, club_id: i64, input: &ReceiptInput) -> Result<Entry> {
    store.write(actor, |w| receipt_in(w, club_id, input))
}

pub(crate) fn receipt_in(w: &mut Writer<'_>, club_id: i64, input: &ReceiptInput) -> Result<Entry> {
    let income = format!("income:{}", input.source.code());
    let v = Voucher { fund: input.fund, amount: input.amount, date: input.date, member_id: input.member_id, memo: &input.memo };
    money_voucher(w, club_id, Kind::Receipt, v, input.via.account(), &income)
}

/// What a receipt and a payment share: one amount, from one account to another within a fund.
struct Voucher<'a> {
    fund: Fund,
    amount: i64,
    date: NaiveDate,
    member_id: Option<i64>,
    memo: &'a str,
}

fn money_voucher(w: &mut Writer<'_>, club_id: i64, kind: Kind, v: Voucher<'_>, debit: &str, credit: &str) -> Result<Entry> {
    check_amount(v.amount)?;
    let memo = text::bounded(v.memo, Field::LedgerMemo, 300)?;
    check_member(w, club_id, v.member_id, v.date)?;
    let postings = vec![posting(v.fund, debit, v.amount), posting(v.fund, credit, -v.amount)];
    post(w, club_id, v.fund, kind, v.date, &memo, v.member_id, None, None, postings)
}

/// A payment (phiếu chi): money out of the fund for an activity area; refused if the fund lacks it.
pub fn payment(store: &mut Store, actor: &Actor, club_id: i64, input: &PaymentInput) -> Result<Entry> {
    store.write(actor, |w| payment_in(w, club_id, input))
}

pub(crate) fn payment_in(w: &mut Writer<'_>, club_id: i64, input: &PaymentInput) -> Result<Entry> {
    let expense = format!("expense:{}", input.area.code());
    let v = Voucher { fund: input.fund, amount: input.amount, date: input.date, member_id: input.member_id, memo: &input.memo };
    money_voucher(w, club_id, Kind::Payment, v, &expense, input.via.account())
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
    store.write(actor, |w| transfer_in(w, club_id, from, amount, date, memo))
}

pub(crate) fn transfer_in(w: &mut Writer<'_>, club_id: i64, from: Fund, amount: i64, date: NaiveDate, memo: &str) -> Result<Entry> {
    check_amount(amount)?;
    let memo = text::bounded(memo, Field::LedgerMemo, 300)?;
    let to = if from == Fund::Income { Fund::Activity } else { Fund::Income };
    let postings = vec![
        posting(from, "transfer", amount),
        posting(from, "cash", -amount),
        posting(to, "cash", amount),
        posting(to, "transfer", -amount),
    ];
    post(w, club_id, from, Kind::Transfer, date, &memo, None, None, None, postings)
}

/// Open a fund with money it already had before the books (capital), e.g. at migration to the app.
pub fn opening(store: &mut Store, actor: &Actor, club_id: i64, fund: Fund, amount: i64, date: NaiveDate, via: Via) -> Result<Entry> {
    store.write(actor, |w| {
        check_amount(amount)?;
        let postings = vec![posting(fund, via.account(), amount), posting(fund, "capital", -amount)];
        post(w, club_id, fund, Kind::Opening, date, "Số dư đầu kỳ", None, None, None, postings)
    })
}

/// Correct a voucher: a new entry with every posting negated, pointing at the original, with a reason.
pub fn reverse(store: &mut Store, actor: &Actor, club_id: i64, voucher: &str, date: NaiveDate, reason: &str) -> Result<Entry> {
    store.write(actor, |w| reverse_in(w, club_id, voucher, date, reason))
}

pub(crate) fn reverse_in(w: &mut Writer<'_>, club_id: i64, voucher: &str, date: NaiveDate, reason: &str) -> Result<Entry> {
    let reason = text::bounded(reason, Field::LedgerReason, 300)?;
    if reason.is_empty() {
        return Err(CoreError::invalid(Field::LedgerReason, Rule::Required));
    }
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
    let postings = original.postings.iter().map(|p| posting(p.fund, &p.account, -p.amount)).collect();
    let memo = format!("Hủy {}", original.voucher);
    post(w, club_id, original.fund, Kind::Reversal, date, &memo, original.member_id, Some(original.id), Some(&reason), postings)
}

fn load_entries(conn: &rusqlite::Connection, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT e.id, e.club_id, e.fund, e.series, e.voucher_year, e.voucher_no, e.kind, e.date, e.memo, e.member_id,
            e.reverses, (SELECT r.id FROM journal_entry r WHERE r.reverses = e.id), e.reason, e.actor, e.created_at,
            e.prev_hash, e.hash
         FROM journal_entry e WHERE e.club_id = ?1 AND {filter} ORDER BY e.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut entries: Vec<Entry> = stmt
        .query_map(args, |r| {
            let id: i64 = r.get(0)?;
            let fund = stored_fund("journal_entry", id, &r.get::<_, String>(2)?)?;
            let series: String = r.get(3)?;
            let kind: String = r.get(6)?;
            let kind = Kind::parse(&kind).ok_or_else(|| damaged("journal_entry", id, "kind", &kind))?;
            Ok(Entry {
                id,
                club_id: r.get(1)?,
                voucher: voucher_label(&series, fund, r.get(4)?, r.get(5)?),
                fund,
                kind,
                date: r.get(7)?,
                memo: r.get(8)?,
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
        Ok((r.get::<_, i64>(0)?, Posting { fund, account: r.get(2)?, amount: r.get(3)? }))
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
// Cash count, bank check, month close

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CountInput {
    pub fund: Fund,
    pub date: NaiveDate,
    /// Banknote value → how many.
    pub notes: BTreeMap<i64, i64>,
    pub counted_by: String,
    pub witness: String,
    /// Why the cash differs from the book, when it does.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CountResult {
    pub id: i64,
    pub fund: Fund,
    pub account: String,
    pub date: NaiveDate,
    pub book: i64,
    pub counted: i64,
    pub difference: i64,
    pub adjustment: Option<Entry>,
}

/// The sum of amounts of money, checked: an overflow (only a damaged file can hold such amounts) is
/// `LedgerOverflow`, never a wrapped number.
pub fn sum_amounts(amounts: impl IntoIterator<Item = i64>) -> Result<i64> {
    amounts.into_iter().try_fold(0i64, |acc, a| acc.checked_add(a)).ok_or(CoreError::LedgerOverflow)
}

/// The most notes of one kind a cash box can hold in a count.
pub const MAX_NOTES_OF_A_KIND: i64 = 100_000;

/// Count the cash box against the book. A difference is never absorbed: it becomes an adjusting
/// entry with the reason, who counted and who witnessed; the count leaves a balance assertion.
pub fn cash_count(store: &mut Store, actor: &Actor, club_id: i64, input: &CountInput) -> Result<CountResult> {
    store.write(actor, |w| cash_count_in(w, club_id, input))
}

pub(crate) fn cash_count_in(w: &mut Writer<'_>, club_id: i64, input: &CountInput) -> Result<CountResult> {
    let mut counted: i64 = 0;
    if input.notes.is_empty() {
        return Err(CoreError::invalid(Field::LedgerNotes, Rule::Required));
    }
    for (value, n) in &input.notes {
        if !DENOMINATIONS.contains(value) {
            return Err(CoreError::invalid(
                Field::LedgerNotes,
                Rule::OneOf { allowed: DENOMINATIONS.iter().map(|d| d.to_string()).collect() },
            ));
        }
        if !(0..=MAX_NOTES_OF_A_KIND).contains(n) {
            return Err(CoreError::invalid(Field::LedgerNotes, Rule::Range { min: 0, max: MAX_NOTES_OF_A_KIND }));
        }
        counted = value.checked_mul(*n).and_then(|v| counted.checked_add(v)).ok_or(CoreError::LedgerOverflow)?;
    }
    let notes = serde_json::to_string(&input.notes).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
    assert_balance(w, club_id, input.fund, "cash", input.date, counted, &notes, input)
}

/// Break an amount into banknotes, largest first (what a treasurer lays out when counting).
pub fn notes_for(mut amount: i64) -> BTreeMap<i64, i64> {
    let mut notes = BTreeMap::new();
    for d in DENOMINATIONS {
        if amount >= d {
            notes.insert(d, amount / d);
            amount %= d;
        }
    }
    notes
}

/// The book balance of one fund's account at the end of `at`.
pub fn balance_at(store: &Store, club_id: i64, fund: Fund, account: &str, at: NaiveDate) -> Result<i64> {
    balance_of(store.conn(), club_id, fund, account, at)
}

/// Check the bank statement's balance against the book, the same way as a cash count.
pub fn bank_check(store: &mut Store, actor: &Actor, club_id: i64, input: &CountInput, statement: i64) -> Result<CountResult> {
    crate::parse::money_in(Field::LedgerAmount, statement, 0, MAX_AMOUNT * 10)?;
    store.write(actor, |w| assert_balance(w, club_id, input.fund, "bank", input.date, statement, "{}", input))
}

#[allow(clippy::too_many_arguments)]
fn assert_balance(
    w: &mut Writer<'_>,
    club_id: i64,
    fund: Fund,
    account: &str,
    date: NaiveDate,
    counted: i64,
    notes: &str,
    input: &CountInput,
) -> Result<CountResult> {
    let counted_by = text::bounded(&input.counted_by, Field::LedgerCountedBy, 100)?;
    let witness = text::bounded(&input.witness, Field::LedgerWitness, 100)?;
    if counted_by.is_empty() {
        return Err(CoreError::invalid(Field::LedgerCountedBy, Rule::Required));
    }
    if witness.is_empty() || text::fold(&witness) == text::fold(&counted_by) {
        return Err(CoreError::invalid(Field::LedgerWitness, Rule::Required));
    }
    check_date(w, club_id, &[fund], date)?;
    let book = balance_of(&w.tx, club_id, fund, account, date)?;
    let difference = counted - book;
    let adjustment = if difference != 0 {
        let reason = text::bounded(&input.reason, Field::LedgerReason, 300)?;
        if reason.is_empty() {
            return Err(CoreError::invalid(Field::LedgerReason, Rule::Required));
        }
        let postings = if difference > 0 {
            vec![posting(fund, account, difference), posting(fund, "income:count_surplus", -difference)]
        } else {
            vec![posting(fund, "expense:count_shortage", -difference), posting(fund, account, difference)]
        };
        let memo = format!("Kiểm kê {}: {counted_by}, chứng kiến {witness}", if account == "cash" { "quỹ tiền mặt" } else { "số dư ngân hàng" });
        Some(post(w, club_id, fund, Kind::CountAdjustment, date, &memo, None, None, Some(&reason), postings)?)
    } else {
        None
    };
    w.tx.execute(
        "INSERT INTO balance_assertion (club_id, fund, account, date, book_before, counted, denominations, counted_by,
            witness, adjustment_entry_id, actor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            club_id,
            fund.code(),
            account,
            date,
            book,
            counted,
            notes,
            counted_by,
            witness,
            adjustment.as_ref().map(|e| e.id),
            w.actor.name(),
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(Some(club_id), "ledger.count", Some(id), serde_json::json!({ "fund": fund.code(), "account": account, "counted": counted, "book": book }))?;
    Ok(CountResult { id, fund, account: account.into(), date, book, counted, difference, adjustment })
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// Parse `2026-11` (or `11/2026`).
pub fn parse_month(s: &str) -> Result<(i32, u32)> {
    let bad = || CoreError::invalid(Field::LedgerMonth, Rule::MonthFormat);
    let s = s.trim();
    let (y, m) = if let Some((a, b)) = s.split_once('-') {
        (a.parse::<i32>().map_err(|_| bad())?, b.parse::<u32>().map_err(|_| bad())?)
    } else if let Some((a, b)) = s.split_once('/') {
        (b.parse::<i32>().map_err(|_| bad())?, a.parse::<u32>().map_err(|_| bad())?)
    } else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || !(1990..=9999).contains(&y) {
        return Err(bad());
    }
    Ok((y, m))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MonthClose {
    pub month: String,
    pub closed_by: String,
    pub confirmed_by: Vec<String>,
    pub chain_head: String,
    pub entries: i64,
}

/// Close a month: the treasurer closes it after a cash count of each fund in it; the chairperson and
/// one more board member confirm. Nothing can then be dated in it or before it.
pub fn close_month(store: &mut Store, actor: &Actor, club_id: i64, month: &str, confirmed_by: &[String]) -> Result<MonthClose> {
    store.write(actor, |w| close_month_in(w, club_id, month, confirmed_by))
}

pub(crate) fn close_month_in(w: &mut Writer<'_>, club_id: i64, month: &str, confirmed_by: &[String]) -> Result<MonthClose> {
    let (y, m) = parse_month(month)?;
    let month = format!("{y:04}-{m:02}");
    let end = last_day_of_month(y, m);
    if end > w.today {
        return Err(CoreError::LedgerCloseTooEarly { month });
    }
    let members = member::load_club_conn(&w.tx, club_id)?;
    let holds = |name: &str, roles: &[Role]| {
        members.iter().any(|mm| {
            text::fold(&mm.full_name) == text::fold(name)
                && mm.is_member_on(end)
                && roles.iter().any(|r| mm.has_role_on(*r, end))
        })
    };
    let board = [Role::Chair, Role::ViceChair, Role::Treasurer, Role::Secretary];
    let role_err = |name: &str, role: Role| CoreError::LedgerCloseRole { name: name.into(), role: role.code().into(), month: month.clone() };
    let closer = w.actor.name().to_string();
    if !holds(&closer, &[Role::Treasurer]) {
        return Err(role_err(&closer, Role::Treasurer));
    }
    let confirmers: Vec<String> = confirmed_by.iter().map(|c| text::clean(c)).filter(|c| !c.is_empty()).collect();
    let mut distinct: Vec<String> = confirmers.iter().map(|c| text::fold(c)).collect();
    distinct.push(text::fold(&closer));
    distinct.sort();
    distinct.dedup();
    if confirmers.len() != 2 {
        return Err(CoreError::LedgerCloseConfirmers { needed: 2, given: confirmers.len() as u32 });
    }
    // The same person twice, or the treasurer confirming her own close: say that, not a role.
    if distinct.len() != 3 {
        return Err(CoreError::LedgerCloseSamePerson { month: month.clone() });
    }
    let chair = confirmers.iter().find(|c| holds(c, &[Role::Chair])).ok_or_else(|| role_err(&confirmers[0], Role::Chair))?;
    let other = confirmers.iter().find(|c| *c != chair).cloned().unwrap_or_default();
    if !holds(&other, &board) {
        return Err(role_err(&other, Role::ViceChair));
    }
    if w.tx
        .query_row("SELECT 1 FROM month_close WHERE club_id = ?1 AND month >= ?2", params![club_id, month], |_| Ok(()))
        .optional()?
        .is_some()
    {
        return Err(CoreError::LedgerAlreadyClosed { month: month.clone() });
    }
    let start = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(end);
    for fund in Fund::ALL {
        let has_money: bool = w.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = 'cash' AND date <= ?3)",
            params![club_id, fund.code(), end],
            |r| r.get(0),
        )?;
        let counted: bool = w.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM balance_assertion WHERE club_id = ?1 AND fund = ?2 AND account = 'cash'
             AND date BETWEEN ?3 AND ?4)",
            params![club_id, fund.code(), start, end],
            |r| r.get(0),
        )?;
        if has_money && !counted {
            return Err(CoreError::LedgerCloseNeedsCount { fund: fund.code().into(), month: month.clone() });
        }
    }
    let (head, entries): (Option<String>, i64) = w.tx.query_row(
        "SELECT (SELECT hash FROM journal_entry WHERE club_id = ?1 ORDER BY id DESC LIMIT 1),
                (SELECT count(*) FROM journal_entry WHERE club_id = ?1)",
        [club_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let chain_head = head.unwrap_or_else(|| GENESIS.to_string());
    w.tx.execute(
        "INSERT INTO month_close (club_id, month, closed_by, confirmed_by, chain_head, entries, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![club_id, month, closer, confirmers.join("; "), chain_head, entries, chrono::Utc::now().to_rfc3339()],
    )?;
    w.audit(Some(club_id), "ledger.close", None, serde_json::json!({ "month": month, "confirmed_by": confirmers }))?;
    Ok(MonthClose { month, closed_by: closer, confirmed_by: confirmers, chain_head, entries })
}

// ---------------------------------------------------------------------------------------------
// Dues

/// Record one month's dues for many members in one receipt (the club's monthly due each).
pub fn record_dues(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    fund: Fund,
    month: &str,
    member_ids: &[i64],
    date: NaiveDate,
) -> Result<Entry> {
    store.write(actor, |w| record_dues_in(w, club_id, fund, month, member_ids, date))
}

pub(crate) fn record_dues_in(
    w: &mut Writer<'_>,
    club_id: i64,
    fund: Fund,
    month: &str,
    member_ids: &[i64],
    date: NaiveDate,
) -> Result<Entry> {
    let (y, m) = parse_month(month)?;
    let month = format!("{y:04}-{m:02}");
    let due: i64 = w.tx.query_row("SELECT monthly_due FROM club WHERE id = ?1", [club_id], |r| r.get(0))?;
    if due <= 0 {
        return Err(CoreError::invalid(Field::ClubMonthlyDue, Rule::Required));
    }
    let mut ids = member_ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(CoreError::invalid(Field::LedgerMembers, Rule::Required));
    }
    for id in &ids {
        check_member(w, club_id, Some(*id), date)?;
        let paid: Option<String> = w
            .tx
            .query_row(
                "SELECT m.full_name FROM dues_payment d JOIN journal_entry e ON e.id = d.entry_id
                 JOIN member m ON m.id = d.member_id
                 WHERE d.member_id = ?1 AND d.month = ?2
                   AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.reverses = e.id)",
                params![id, month],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(full_name) = paid {
            return Err(CoreError::LedgerDuesPaid { member_id: *id, full_name, month });
        }
    }
    let total = due.checked_mul(ids.len() as i64).ok_or(CoreError::LedgerOverflow)?;
    let memo = format!("Hội phí tháng {m:02}/{y}: {} thành viên", ids.len());
    let postings = vec![posting(fund, "cash", total), posting(fund, "income:dues", -total)];
    let entry = post(w, club_id, fund, Kind::Receipt, date, &memo, None, None, None, postings)?;
    for id in &ids {
        w.tx.execute(
            "INSERT INTO dues_payment (entry_id, member_id, month, amount) VALUES (?1, ?2, ?3, ?4)",
            params![entry.id, id, month, due],
        )?;
    }
    Ok(entry)
}

// ---------------------------------------------------------------------------------------------
// Loans: the only entries that touch the `loans` account, always in the income-generation fund.

/// Hand a loan to a member: loans receivable up, cash down (refused if the fund lacks the cash).
pub(crate) fn loan_disburse_in(w: &mut Writer<'_>, club_id: i64, member_id: i64, amount: i64, date: NaiveDate, memo: &str) -> Result<Entry> {
    check_amount(amount)?;
    check_member(w, club_id, Some(member_id), date)?;
    let postings = vec![posting(Fund::Income, "loans", amount), posting(Fund::Income, "cash", -amount)];
    post(w, club_id, Fund::Income, Kind::Payment, date, memo, Some(member_id), None, None, postings)
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
    memo: &str,
) -> Result<Entry> {
    let total = penalty.checked_add(interest).and_then(|x| x.checked_add(principal)).ok_or(CoreError::LedgerOverflow)?;
    check_amount(total)?;
    let mut postings = vec![posting(Fund::Income, "cash", total)];
    for (account, amount) in [("loans", principal), ("income:interest", interest), ("income:penalty", penalty)] {
        if amount > 0 {
            postings.push(posting(Fund::Income, account, -amount));
        }
    }
    post(w, club_id, Fund::Income, Kind::Receipt, date, memo, Some(member_id), None, None, postings)
}

/// Write a loan's outstanding principal off as a loss to the fund (an adjusting entry, DC).
pub(crate) fn loan_write_off_in(w: &mut Writer<'_>, club_id: i64, member_id: i64, amount: i64, date: NaiveDate, reason: &str) -> Result<Entry> {
    check_amount(amount)?;
    let reason = text::bounded(reason, Field::LoanReason, 300)?;
    if reason.is_empty() {
        return Err(CoreError::invalid(Field::LoanReason, Rule::Required));
    }
    let memo = format!("Xóa nợ: {reason}");
    let postings = vec![posting(Fund::Income, "expense:write_off", amount), posting(Fund::Income, "loans", -amount)];
    post(w, club_id, Fund::Income, Kind::CountAdjustment, date, &memo, Some(member_id), None, Some(&reason), postings)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DuesRow {
    pub member_id: i64,
    pub full_name: String,
    /// One per month: `paid`, `due` (a member that month, not paid) or `none` (not a member).
    pub months: Vec<String>,
    pub behind: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DuesGrid {
    pub months: Vec<String>,
    pub monthly_due: i64,
    pub rows: Vec<DuesRow>,
}

/// Members × the 12 months ending with `last_month`: who paid, who is behind.
pub fn dues_grid(store: &Store, club_id: i64, last_month: &str) -> Result<DuesGrid> {
    let (y, m) = parse_month(last_month)?;
    let club = club::get(store, club_id)?;
    let months: Vec<(i32, u32)> = (0..12)
        .rev()
        .map(|back| {
            let idx = y * 12 + (m as i32 - 1) - back;
            (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
        })
        .collect();
    let labels: Vec<String> = months.iter().map(|(y, m)| format!("{y:04}-{m:02}")).collect();
    let mut paid: std::collections::HashSet<(i64, String)> = std::collections::HashSet::new();
    // Only the grid's twelve months, each member's one range of `dues_payment_member`: the club's
    // whole history of dues (150,000 lines on a 30-year, 500-member club) is never read.
    let mut stmt = store.conn().prepare_cached(
        "SELECT d.member_id, d.month FROM member m
         JOIN dues_payment d ON d.member_id = m.id AND d.month BETWEEN ?2 AND ?3
         JOIN journal_entry e ON e.id = d.entry_id
         WHERE m.club_id = ?1 AND e.club_id = ?1 AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.reverses = e.id)",
    )?;
    let (first, last) = (&labels[0], &labels[labels.len() - 1]);
    for row in stmt.query_map(params![club_id, first, last], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        paid.insert(row?);
    }
    let mut rows: Vec<DuesRow> = member::load_club(store, club_id)?
        .into_iter()
        .filter_map(|mm| {
            let states: Vec<String> = months
                .iter()
                .zip(&labels)
                .map(|((y, m), label)| {
                    let end = last_day_of_month(*y, *m).min(store.today());
                    if paid.contains(&(mm.id, label.clone())) {
                        "paid".to_string()
                    } else if mm.is_member_on(end) && end >= NaiveDate::from_ymd_opt(*y, *m, 1).unwrap_or(end) {
                        "due".to_string()
                    } else {
                        "none".to_string()
                    }
                })
                .collect();
            if states.iter().all(|s| s == "none") {
                return None;
            }
            let behind = states.iter().filter(|s| *s == "due").count() as u32;
            Some(DuesRow { member_id: mm.id, full_name: mm.full_name, months: states, behind })
        })
        .collect();
    rows.sort_by_cached_key(|r| text::name_key(&r.full_name));
    Ok(DuesGrid { months: labels, monthly_due: club.monthly_due, rows })
}

// ---------------------------------------------------------------------------------------------
// Reports: every figure is a sum of postings, never a second copy of the numbers.

fn balance_of(conn: &rusqlite::Connection, club_id: i64, fund: Fund, account: &str, at: NaiveDate) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(amount), 0) FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date <= ?4",
        params![club_id, fund.code(), account, at],
        |r| r.get(0),
    )?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountBalance {
    pub fund: Fund,
    pub account: String,
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
    let accounts: Vec<AccountBalance> = stmt
        .query_map(params![club_id, at], |r| {
            let fund = stored_fund("posting", r.get(3)?, &r.get::<_, String>(0)?)?;
            Ok(AccountBalance { fund, account: r.get(1)?, amount: r.get(2)? })
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|a| a.amount != 0)
        .collect();
    let funds = Fund::ALL
        .into_iter()
        .map(|fund| {
            let sum = |pred: &dyn Fn(&str) -> bool| {
                accounts.iter().filter(|a| a.fund == fund && pred(&a.account)).map(|a| a.amount).sum::<i64>()
            };
            let cash = sum(&|a| a == "cash");
            let bank = sum(&|a| a == "bank");
            let loans = sum(&|a| a == "loans");
            let income = -sum(&|a| a.starts_with("income:"));
            let expenses = sum(&|a| a.starts_with("expense:"));
            FundBalance {
                fund,
                cash,
                bank,
                loans,
                assets: cash + bank + loans,
                capital: -sum(&|a| a == "capital"),
                transfers_in: -sum(&|a| a == "transfer"),
                income,
                expenses,
                surplus: income - expenses,
            }
        })
        .collect::<Vec<_>>();
    let cash_total = funds.iter().map(|f| f.cash).sum();
    Ok(Balances { at, funds, accounts, cash_total })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CashbookLine {
    pub entry_id: i64,
    pub voucher: String,
    pub date: NaiveDate,
    pub memo: String,
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
        opening += balance_of(store.conn(), club_id, *f, "cash", day_before)?;
    }
    // One query over the posting index: each entry that moved cash in the funds asked, in date order.
    let fund_filter = match fund {
        Some(f) => format!("AND p.fund = '{}'", f.code()),
        None => String::new(),
    };
    let mut stmt = store.conn().prepare(&format!(
        "SELECT e.id, e.series, e.fund, e.voucher_year, e.voucher_no, e.date, e.memo, sum(p.amount)
         FROM posting p JOIN journal_entry e ON e.id = p.entry_id
         WHERE p.club_id = ?1 AND p.account = 'cash' AND p.date BETWEEN ?2 AND ?3 {fund_filter}
         GROUP BY e.id HAVING sum(p.amount) != 0 ORDER BY e.date, e.id"
    ))?;
    let mut rows: Vec<(NaiveDate, i64, CashbookLine)> = Vec::new();
    for row in stmt.query_map(params![club_id, from, to], |r| {
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
        Ok((stored_fund("posting", r.get(3)?, &r.get::<_, String>(0)?)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
    })? {
        let (fund, account, amount) = row?;
        if amount == 0 {
            continue;
        }
        if let Some(src) = account.strip_prefix("income:") {
            receipts.push((fund, src.to_string(), -amount));
        } else if let Some(area) = account.strip_prefix("expense:") {
            payments.push((fund, area.to_string(), amount));
        }
    }
    Ok(PeriodSummary { from, to, receipts, payments })
}

// ---------------------------------------------------------------------------------------------
// Verification: what `ishc check` re-runs on every ledger.

pub fn verify(store: &Store, club_id: i64) -> Result<Vec<Notice>> {
    let mut problems = Vec::new();
    let mut push = |code: &str, params: serde_json::Value| problems.push(Notice { code: code.into(), params });
    let entries = journal(store, club_id, None, None)?;
    let mut prev = GENESIS.to_string();
    let mut chain_broken = false;
    // The number of entries from the start that still chain (all of them when nothing broke).
    let mut intact = entries.len();
    for (i, e) in entries.iter().enumerate() {
        // Sums over a damaged file are checked: an amount that overflows is itself a finding.
        let mut per_fund: BTreeMap<Fund, i64> = BTreeMap::new();
        let mut overflow = false;
        for p in &e.postings {
            let slot = per_fund.entry(p.fund).or_default();
            match slot.checked_add(p.amount) {
                Some(v) => *slot = v,
                None => overflow = true,
            }
        }
        if overflow {
            push("check.amount_overflow", serde_json::json!({ "voucher": e.voucher }));
        } else if e.postings.is_empty() || per_fund.values().any(|s| *s != 0) {
            push("check.entry_unbalanced", serde_json::json!({ "voucher": e.voucher }));
        }
        if !chain_broken {
            let (year, no) = {
                // A voucher number that does not read (PT-HD-2026-0001) cannot chain: year 0, number 0.
                let parts: Vec<&str> = e.voucher.split('-').collect();
                (
                    parts.get(2).and_then(|y| y.parse::<i32>().ok()).unwrap_or(0),
                    parts.get(3).and_then(|n| n.parse::<i64>().ok()).unwrap_or(0),
                )
            };
            let core = EntryCore {
                club_id,
                fund: e.fund,
                kind: e.kind,
                year,
                no,
                date: e.date,
                memo: e.memo.clone(),
                member_id: e.member_id,
                reverses: e.reverses,
                reason: e.reason.clone(),
                actor: e.actor.clone(),
                created_at: e.created_at.clone(),
            };
            if e.prev_hash != prev || entry_hash(&prev, &core, &e.postings) != e.hash {
                push("check.chain_broken", serde_json::json!({ "voucher": e.voucher, "date": e.date }));
                chain_broken = true;
                intact = i;
            }
        }
        prev = e.hash.clone();
    }
    // The copies of club and date on postings match their entry.
    let mismatched: i64 = store.conn().query_row(
        "SELECT count(*) FROM posting p JOIN journal_entry e ON e.id = p.entry_id
         WHERE e.club_id = ?1 AND (p.club_id != e.club_id OR p.date != e.date)",
        [club_id],
        |r| r.get(0),
    )?;
    if mismatched > 0 {
        push("check.posting_mismatch", serde_json::json!({ "count": mismatched }));
    }
    // Cash and bank never below zero.
    for fund in Fund::ALL {
        for account in ["cash", "bank"] {
            let mut running: i64 = 0;
            let mut by_day: BTreeMap<NaiveDate, Option<i64>> = BTreeMap::new();
            for e in &entries {
                for p in e.postings.iter().filter(|p| p.fund == fund && p.account == account) {
                    let slot = by_day.entry(e.date).or_insert(Some(0));
                    *slot = slot.and_then(|s| s.checked_add(p.amount));
                }
            }
            for (day, delta) in by_day {
                let Some(next) = delta.and_then(|d| running.checked_add(d)) else {
                    push("check.balance_overflow", serde_json::json!({ "fund": fund.code(), "account": account, "date": day }));
                    break;
                };
                running = next;
                if running < 0 {
                    push("check.negative_balance", serde_json::json!({ "fund": fund.code(), "account": account, "date": day, "amount": running }));
                    break;
                }
            }
        }
    }
    // Every balance assertion still holds.
    let mut stmt = store
        .conn()
        .prepare("SELECT fund, account, date, counted, id FROM balance_assertion WHERE club_id = ?1 ORDER BY id")?;
    let asserts: Vec<(String, String, NaiveDate, i64, i64)> = stmt
        .query_map([club_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<_, _>>()?;
    for (fund, account, date, counted, id) in asserts {
        let Some(f) = Fund::parse(&fund) else {
            push("check.damaged_value", serde_json::json!({ "table": "balance_assertion", "row": id, "column": "fund", "value": fund }));
            continue;
        };
        // SQLite's sum() refuses to overflow (an error, never a wrapped number): a finding here.
        let book = match balance_of(store.conn(), club_id, f, &account, date) {
            Err(CoreError::Storage { detail }) if detail.contains("integer overflow") => {
                push("check.balance_overflow", serde_json::json!({ "fund": fund, "account": account, "date": date }));
                continue;
            }
            other => other?,
        };
        if book != counted {
            push("check.assertion_failed", serde_json::json!({ "fund": fund, "account": account, "date": date, "counted": counted, "book": book }));
        }
    }
    // Every month close points at an entry of the chain.
    let mut stmt = store.conn().prepare("SELECT month, chain_head, entries FROM month_close WHERE club_id = ?1")?;
    let closes: Vec<(String, String, i64)> =
        stmt.query_map([club_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    for (month, head, count) in closes {
        let position = entries.iter().position(|e| e.hash == head).map(|i| i as i64 + 1).unwrap_or(if head == GENESIS { 0 } else { -1 });
        if position != count {
            push("check.close_mismatch", serde_json::json!({ "month": month }));
        }
    }
    // Every head a sent bundle named (signed, and held by the commune) is still a prefix of the
    // chain: the entry exists and the chain up to it recomputes. A deleted newest entry fails here.
    let (heads, register) = crate::signing::bundle::signed_heads(store, club_id)?;
    for (sequence, head) in heads {
        let position =
            if head == GENESIS { Some(0) } else { entries.iter().position(|e| e.hash == head).map(|i| i + 1) };
        if !position.is_some_and(|p| p <= intact) {
            push("check.bundle_head_missing", serde_json::json!({ "sequence": sequence }));
        }
    }
    for p in register {
        match p {
            crate::signing::bundle::RegisterProblem::ManifestChanged { sequence } => {
                push("check.bundle_manifest_changed", serde_json::json!({ "sequence": sequence }))
            }
            crate::signing::bundle::RegisterProblem::SignatureBad { sequence } => {
                push("check.bundle_signature_bad", serde_json::json!({ "sequence": sequence }))
            }
        }
    }
    Ok(problems)
}

// ---------------------------------------------------------------------------------------------
// Export for an accountant's own tools.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Hledger,
    Beancount,
}

/// The account name in an hledger (lower-case top level) or beancount (capitalised) file.
pub fn account_path(fund: Fund, account: &str, beancount: bool) -> String {
    let fund_name = match fund {
        Fund::Income => "IncomeFund",
        Fund::Activity => "ActivityFund",
    };
    let cap = |s: &str| {
        s.split(['_', ':'])
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
            })
            .collect::<String>()
    };
    let (top, leaf) = match account {
        "cash" => ("Assets", "Cash".to_string()),
        "bank" => ("Assets", "Bank".to_string()),
        "loans" => ("Assets", "Loans".to_string()),
        "capital" => ("Equity", "Capital".to_string()),
        "transfer" => ("Equity", "Transfers".to_string()),
        a if a.starts_with("income:") => ("Income", cap(&a["income:".len()..])),
        a if a.starts_with("expense:") => ("Expenses", cap(&a["expense:".len()..])),
        a => ("Equity", cap(a)),
    };
    if beancount {
        format!("{top}:{fund_name}:{leaf}")
    } else {
        format!("{}:{}:{}", top.to_lowercase(), fund_name, leaf)
    }
}

/// The whole journal as an hledger or beancount file; their balance reports agree with ours.
pub fn export(store: &Store, club_id: i64, format: ExportFormat) -> Result<String> {
    let entries = journal(store, club_id, None, None)?;
    let bean = format == ExportFormat::Beancount;
    let mut out = String::new();
    let quote = |s: &str| s.replace('"', "'");
    if bean {
        out.push_str("option \"operating_currency\" \"VND\"\n\n");
        let mut opened: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let first = entries.first().map(|e| e.date).unwrap_or(store.today());
        for e in &entries {
            for p in &e.postings {
                opened.insert(account_path(p.fund, &p.account, true));
            }
        }
        for a in opened {
            out.push_str(&format!("{first} open {a} VND\n"));
        }
        out.push('\n');
    }
    for e in &entries {
        let memo = quote(&e.memo);
        if bean {
            out.push_str(&format!("{} * \"{}\" \"{}\"\n", e.date, e.voucher, memo));
        } else {
            out.push_str(&format!("{} ({}) {}\n", e.date, e.voucher, memo));
        }
        for p in &e.postings {
            let acct = account_path(p.fund, &p.account, bean);
            out.push_str(&format!("    {acct:<40}  {} VND\n", p.amount));
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
