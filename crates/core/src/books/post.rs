//! The one writer of postings: `post` checks, numbers, chains and writes a balanced entry.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::reports::balance_of;
use super::types::{Account, Entry, Fund, Kind, Posting};
use crate::error::{CoreError, Field, Result, Rule};
use crate::notice::Notice;
use crate::roster::{club, member};
use crate::store::Writer;

/// The largest single amount a voucher may carry: 10 billion đồng (far above any club's fund).
pub const MAX_AMOUNT: i64 = 10_000_000_000;
/// The chain head of a club with no journal entry yet: what the first entry's `prev_hash` names.
pub use crate::store::GENESIS;

/// The hash of the club's newest journal entry (`GENESIS` when there is none): one value that
/// commits to the whole journal, named in month closes and report bundles.
pub(crate) fn chain_head(conn: &rusqlite::Connection, club_id: i64) -> Result<String> {
    Ok(conn
        .query_row("SELECT hash FROM journal_entry WHERE club_id = ?1 ORDER BY id DESC LIMIT 1", [club_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string()))
}

/// The chain head and how many entries it commits to: what a month close records and what the
/// public fund notice prints for a month not yet closed.
pub(crate) fn chain_head_and_count(conn: &rusqlite::Connection, club_id: i64) -> Result<(String, i64)> {
    let entries: i64 = conn.query_row("SELECT count(*) FROM journal_entry WHERE club_id = ?1", [club_id], |r| r.get(0))?;
    Ok((chain_head(conn, club_id)?, entries))
}

/// `voucher_label` in SQL, over a `journal_entry` aliased `e` (for modules that list linked vouchers).
pub(crate) const VOUCHER_LABEL_SQL: &str = "(e.series || '-' || CASE e.fund WHEN 'income' THEN 'TN' ELSE 'HD' END
    || '-' || e.voucher_year || '-' || printf('%04d', e.voucher_no))";

pub(super) fn voucher_label(series: &str, fund: Fund, year: i32, no: i64) -> String {
    format!("{series}-{}-{year}-{no:04}", fund.short())
}

/// The digest that chains an entry to the one before it. The memo's notice (`memo_code`,
/// `memo_params`) is in the canonical JSON only when the entry has one, so entries written before
/// there were notices hash as they always did.
pub(super) fn entry_hash(prev: &str, e: &EntryCore, postings: &[Posting]) -> String {
    let mut canonical = serde_json::json!({
        "club_id": e.club_id, "fund": e.fund.code(), "series": e.kind.series(), "year": e.year, "no": e.no,
        "kind": e.kind.code(), "date": e.date, "memo": e.memo, "member_id": e.member_id, "reverses": e.reverses,
        "reason": e.reason, "actor": e.actor, "created_at": e.created_at,
        "postings": postings.iter().map(|p| (p.fund.code(), p.account.as_str(), p.amount)).collect::<Vec<_>>(),
    });
    if let (Some(n), Some(map)) = (&e.memo_notice, canonical.as_object_mut()) {
        map.insert("memo_code".into(), serde_json::Value::String(n.code.clone()));
        map.insert("memo_params".into(), n.params.clone());
    }
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.to_string().as_bytes());
    format!("{:x}", h.finalize())
}

/// The fields of an entry that the hash covers.
pub(super) struct EntryCore {
    pub(super) club_id: i64,
    pub(super) fund: Fund,
    pub(super) kind: Kind,
    pub(super) year: i32,
    pub(super) no: i64,
    pub(super) date: NaiveDate,
    pub(super) memo: String,
    /// What the core composed, as a catalogue key and its parameters (the edges say it).
    pub(super) memo_notice: Option<Notice>,
    pub(super) member_id: Option<i64>,
    pub(super) reverses: Option<i64>,
    pub(super) reason: Option<String>,
    pub(super) actor: String,
    pub(super) created_at: String,
}

pub(super) fn check_amount(amount: i64) -> Result<()> {
    crate::parse::money_in(Field::LedgerAmount, amount, 1, MAX_AMOUNT).map(|_| ())
}


fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Refuse a date in the future, before the club, in a closed month, or on/before a count of `fund`.
pub(super) fn check_date(w: &Writer<'_>, club_id: i64, funds: &[Fund], date: NaiveDate) -> Result<()> {
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
fn lowest_balance_from(w: &Writer<'_>, club_id: i64, fund: Fund, account: Account, from: NaiveDate) -> Result<i64> {
    let before = balance_of(&w.tx, club_id, fund, account, from)?;
    let mut stmt = w.tx.prepare(
        "SELECT date, sum(amount) FROM posting
         WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date > ?4 GROUP BY date ORDER BY date",
    )?;
    let mut running = before;
    let mut lowest = before;
    for row in stmt.query_map(params![club_id, fund.code(), account.as_str(), from], |r| r.get::<_, i64>(1))? {
        running = running.checked_add(row?).ok_or(CoreError::LedgerOverflow)?;
        lowest = lowest.min(running);
    }
    Ok(lowest)
}

/// Write one balanced entry, numbered and chained. Every voucher goes through here. `memo` is only
/// what a person typed; what the core has to say about the voucher is `notice` (a `memo.*` key and
/// raw parameters), never a sentence.
#[allow(clippy::too_many_arguments)]
pub(super) fn post(
    w: &mut Writer<'_>,
    club_id: i64,
    fund: Fund,
    kind: Kind,
    date: NaiveDate,
    memo: &str,
    notice: Option<Notice>,
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
    for p in postings.iter().filter(|p| p.amount < 0 && matches!(p.account, Account::Cash | Account::Bank)) {
        let lowest = lowest_balance_from(w, club_id, p.fund, p.account, date)?;
        if lowest < -p.amount {
            return Err(CoreError::LedgerCashShort {
                fund: p.fund.code().into(),
                account: p.account.as_str().into(),
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
    let prev = chain_head(&w.tx, club_id)?;
    let core = EntryCore {
        club_id,
        fund,
        kind,
        year,
        no,
        date,
        memo: memo.to_string(),
        memo_notice: notice,
        member_id,
        reverses,
        reason: reason.map(str::to_string),
        actor: w.actor.name().to_string(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    let hash = entry_hash(&prev, &core, &postings);
    let (memo_code, memo_params) = match &core.memo_notice {
        Some(n) => (Some(n.code.as_str()), Some(n.params.to_string())),
        None => (None, None),
    };
    w.tx.execute(
        "INSERT INTO journal_entry (club_id, fund, series, voucher_year, voucher_no, kind, date, memo, member_id,
            reverses, reason, actor, created_at, prev_hash, hash, memo_code, memo_params)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
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
            hash,
            memo_code,
            memo_params
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    for p in &postings {
        w.tx.execute(
            "INSERT INTO posting (entry_id, club_id, date, fund, account, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, club_id, date, p.fund.code(), p.account.as_str(), p.amount],
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
        memo_notice: core.memo_notice,
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

pub(super) fn posting(fund: Fund, account: Account, amount: i64) -> Posting {
    Posting { fund, account, amount }
}

pub(super) fn check_member(w: &Writer<'_>, club_id: i64, member_id: Option<i64>, date: NaiveDate) -> Result<()> {
    match member_id {
        Some(id) => member::on_day(&w.tx, club_id, id, date).map(|_| ()),
        None => Ok(()),
    }
}
