//! Verification: what `ishc check` re-runs on every ledger.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::post::{entry_hash, EntryCore, GENESIS};
use super::reports::balance_of;
use super::types::{Account, Fund};
use super::vouchers::journal;
use crate::error::{CoreError, Result};
use crate::notice::Notice;
use crate::store::Store;

/// Every invariant of the books, re-checked on what is stored: each problem a `Notice`.
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
                memo_notice: e.memo_notice.clone(),
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
        for account in [Account::Cash, Account::Bank] {
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
                    push("check.balance_overflow", serde_json::json!({ "fund": fund.code(), "account": account.as_str(), "date": day }));
                    break;
                };
                running = next;
                if running < 0 {
                    push("check.negative_balance", serde_json::json!({ "fund": fund.code(), "account": account.as_str(), "date": day, "amount": running }));
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
        let Some(a) = Account::parse(&account) else {
            push("check.damaged_value", serde_json::json!({ "table": "balance_assertion", "row": id, "column": "account", "value": account }));
            continue;
        };
        // SQLite's sum() refuses to overflow (an error, never a wrapped number): a finding here.
        let book = match balance_of(store.conn(), club_id, f, a, date) {
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
        if position.is_none_or(|p| p > intact) {
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
