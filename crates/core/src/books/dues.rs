//! Dues: a month's dues for many members as one receipt, and who is behind.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::counts::{last_day_of_month, parse_month};
use super::post::{check_member, post, posting};
use super::types::{Account, Entry, Fund, Kind, Source};
use crate::auth::permissions::Action;
use crate::error::{CoreError, Field, Result, Rule};
use crate::notice::Notice;
use crate::roster::{club, member};
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;

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
    store.act(actor, club_id, Action::Money, |w| record_dues_in(w, club_id, fund, month, member_ids, date))
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
            // No join: SQLite re-plans a join at every new binding (a probe of the statement's
            // reprepare count showed one per member), and this runs once per member paying.
            .prepare_cached(
                "SELECT (SELECT m.full_name FROM member m WHERE m.id = d.member_id) FROM dues_payment d
                 WHERE d.member_id = ?1 AND d.month = ?2
                   AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.reverses = d.entry_id)",
            )?
            .query_row(params![id, month], |r| r.get(0))
            .optional()?;
        if let Some(full_name) = paid {
            return Err(CoreError::LedgerDuesPaid { member_id: *id, full_name, month });
        }
    }
    let total = due.checked_mul(ids.len() as i64).ok_or(CoreError::LedgerOverflow)?;
    let notice = Notice::new("memo.dues_month", serde_json::json!({ "month": month, "count": ids.len() }));
    let postings = vec![posting(fund, Account::Cash, total), posting(fund, Account::Income(Source::Dues), -total)];
    let entry = post(w, club_id, fund, Kind::Receipt, date, "", Some(notice), None, None, None, postings)?;
    // One statement for every line: each INSERT carries the seal triggers, costly to compile.
    let mut insert = w.tx.prepare_cached("INSERT INTO dues_payment (entry_id, member_id, month, amount) VALUES (?1, ?2, ?3, ?4)")?;
    for id in &ids {
        insert.execute(params![entry.id, id, month, due])?;
    }
    Ok(entry)
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
    store.snapshot(|| dues_grid_in(store, club_id, last_month))
}

fn dues_grid_in(store: &Store, club_id: i64, last_month: &str) -> Result<DuesGrid> {
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
    // Only the grid's twelve months, each member's one range of `dues_payment_member_month` (which
    // carries the receipt): the club's whole history of dues (150,000 lines on a 30-year,
    // 500-member club) is never read. A line counts when its receipt is the club's and has not been
    // reversed; a month's receipt covers many members, so each receipt is asked that once, not once
    // per line.
    let mut lines: Vec<(i64, usize, i64)> = Vec::new();
    let mut receipts: Vec<i64> = Vec::new();
    let mut stmt = store.conn().prepare_cached(
        "SELECT d.member_id, d.month, d.entry_id FROM member m
         JOIN dues_payment d ON d.member_id = m.id AND d.month BETWEEN ?2 AND ?3
         WHERE m.club_id = ?1",
    )?;
    let (first, last) = (&labels[0], &labels[labels.len() - 1]);
    let mut read = stmt.query(params![club_id, first, last])?;
    while let Some(r) = read.next()? {
        let month = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        // BETWEEN on text also lets through what is not one of the twelve labels ("2026-1x").
        if let Some(at) = labels.iter().position(|l| l == month) {
            let entry: i64 = r.get(2)?;
            lines.push((r.get(0)?, at, entry));
            receipts.push(entry);
        }
    }
    receipts.sort_unstable();
    receipts.dedup();
    let ids = serde_json::to_string(&receipts).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT e.id FROM journal_entry e WHERE e.id IN (SELECT value FROM json_each(?2)) AND e.club_id = ?1
           AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.reverses = e.id)",
    )?;
    let counted: std::collections::HashSet<i64> = stmt.query_map(params![club_id, ids], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    // Each member's paid months as bits (month `at` of the twelve is bit `at`): one lookup per
    // member, not one per member and month.
    let mut paid: std::collections::HashMap<i64, u16> = std::collections::HashMap::new();
    for (member, at, entry) in lines {
        if counted.contains(&entry) {
            *paid.entry(member).or_default() |= 1 << at;
        }
    }
    // The day each month is judged on (its last day, or today in the month now running), or None
    // for a month not begun yet: the same for every member.
    let judged: Vec<Option<NaiveDate>> = months
        .iter()
        .map(|(y, m)| {
            let end = last_day_of_month(*y, *m).min(store.today());
            (end >= NaiveDate::from_ymd_opt(*y, *m, 1).unwrap_or(end)).then_some(end)
        })
        .collect();
    let mut rows: Vec<DuesRow> = member::load_club(store, club_id)?
        .iter()
        .filter_map(|mm| {
            let bits = paid.get(&mm.id).copied().unwrap_or(0);
            let states: Vec<String> = judged
                .iter()
                .enumerate()
                .map(|(at, end)| {
                    if bits & (1 << at) != 0 {
                        "paid".to_string()
                    } else if end.is_some_and(|end| mm.is_member_on(end)) {
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
            Some(DuesRow { member_id: mm.id, full_name: mm.full_name.clone(), months: states, behind })
        })
        .collect();
    rows.sort_by_cached_key(|r| text::name_key(&r.full_name));
    Ok(DuesGrid { months: labels, monthly_due: club.monthly_due, rows })
}
