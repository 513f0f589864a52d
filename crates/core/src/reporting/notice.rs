//! The public fund notice (công khai quỹ): one page the treasurer prints each month for the culture
//! house's board. Both funds' opening balance, receipts by source, payments by area and closing
//! balance (the report's own fund section, `html::funds_markup`), the loans outstanding with counts
//! and never a name, and the ledger's chain code, so that anyone can later check, with
//! `check_code`, that the month was not rewritten.
//!
//! The chain code is the first 16 hex digits of the hash of the journal's last entry when the
//! notice was made (for a closed month: the head the close recorded, which never changes). Every
//! entry's hash covers the one before it (`store::seal`), so the code is still found in the books
//! exactly as long as nothing up to that entry was changed.

use chrono::{Datelike, NaiveDate};
use maud::html;
use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

use super::html::{funds_markup, page, period_title};
use super::{build, FundPart, Period, PeriodKind, ReportOptions};
use crate::error::{CoreError, Field, Result, Rule};
use crate::format::{date, money};
use crate::i18n::{fill, t, Lang};
use crate::loans::Portfolio;
use crate::store::Store;

/// Hex digits of an entry's hash the printed code shows (64 bits: no accidental match).
pub const CODE_DIGITS: usize = 16;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FundNotice {
    pub club_name: String,
    pub hamlet: String,
    pub commune: String,
    /// `YYYY-MM`.
    pub month: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub made_on: NaiveDate,
    pub funds: Vec<FundPart>,
    /// Loans at the month's end: counts and sums, no names.
    pub loans: Portfolio,
    /// Journal entries in the books when the code was taken.
    pub entries: i64,
    /// `ABCD EF01 2345 6789`: the chain head's first 16 hex digits, in groups of four.
    pub chain_code: String,
    /// The month is closed: the code is the one its close recorded.
    pub closed: bool,
}

/// The notice for `month` (`YYYY-MM` or `MM/YYYY`), as of today for a month still running.
pub fn fund_notice(store: &Store, club_id: i64, month: &str) -> Result<FundNotice> {
    let (y, m) = crate::books::parse_month(month)?;
    let period = Period::month(y, m)
        .ok_or_else(|| CoreError::invalid(Field::LedgerMonth, Rule::MonthFormat))?;
    debug_assert_eq!(period.kind, PeriodKind::Month);
    let report = build(store, club_id, &period, &ReportOptions::default())?;
    let conn = store.conn();
    let closed: Option<(String, i64)> = conn
        .query_row(
            "SELECT chain_head, entries FROM month_close WHERE club_id = ?1 AND month = ?2",
            rusqlite::params![club_id, period.label],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (head, entries, is_closed) = match closed {
        Some((head, entries)) => (head, entries, true),
        None => {
            let (head, entries) = crate::books::chain_head_and_count(conn, club_id)?;
            (head, entries, false)
        }
    };
    Ok(FundNotice {
        club_name: report.club.name.clone(),
        hamlet: report.club.hamlet.clone(),
        commune: report.club.commune.clone(),
        month: period.label.clone(),
        from: period.from,
        to: period.to,
        made_on: store.today(),
        funds: report.funds,
        loans: report.loans.at_end,
        entries,
        chain_code: show_code(&head),
        closed: is_closed,
    })
}

/// What the window's preview shows: the page without its head, and the code printed on it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoticePreview {
    pub month: String,
    pub chain_code: String,
    pub html: String,
}

/// The notice of `month` for the window's preview.
pub fn notice_preview(store: &Store, club_id: i64, month: &str, lang: Lang) -> Result<NoticePreview> {
    let n = fund_notice(store, club_id, month)?;
    let html = fund_notice_fragment(&n, lang);
    Ok(NoticePreview { month: n.month, chain_code: n.chain_code, html })
}

/// `abcd…` → `ABCD EF01 2345 6789`.
fn show_code(hash: &str) -> String {
    let digits: Vec<char> = hash
        .chars()
        .take(CODE_DIGITS)
        .flat_map(char::to_uppercase)
        .collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a printed code is found in the books today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CodeFound {
    /// The entry whose hash the code is, and its place in the journal (1 = the first entry); none
    /// for the code of empty books.
    pub entry_id: Option<i64>,
    pub position: i64,
    pub date: Option<NaiveDate>,
}

/// Look for a printed chain code in the books: found, the books up to that entry are as they were
/// when it was printed; `None`, they were rewritten since (or the code was mistyped). Spaces and
/// case do not matter; anything but 16 hex digits is refused.
pub fn check_code(store: &Store, club_id: i64, code: &str) -> Result<Option<CodeFound>> {
    let digits: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if digits.len() != CODE_DIGITS || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(CoreError::invalid(
            Field::ChainCode,
            Rule::Characters {
                example: "ABCD EF01 2345 6789".into(),
            },
        ));
    }
    if crate::store::GENESIS.starts_with(&digits) {
        let empty: i64 = store.conn().query_row(
            "SELECT count(*) FROM journal_entry WHERE club_id = ?1",
            [club_id],
            |r| r.get(0),
        )?;
        return Ok((empty == 0).then_some(CodeFound {
            entry_id: None,
            position: 0,
            date: None,
        }));
    }
    let found: Option<(i64, NaiveDate)> = store
        .conn()
        .query_row(
            "SELECT id, date FROM journal_entry WHERE club_id = ?1 AND substr(hash, 1, ?2) = ?3",
            rusqlite::params![club_id, CODE_DIGITS as i64, digits],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, day)) = found else {
        return Ok(None);
    };
    let position: i64 = store.conn().query_row(
        "SELECT count(*) FROM journal_entry WHERE club_id = ?1 AND id <= ?2",
        [club_id, id],
        |r| r.get(0),
    )?;
    Ok(Some(CodeFound {
        entry_id: Some(id),
        position,
        date: Some(day),
    }))
}

fn markup(n: &FundNotice, lang: Lang) -> (String, maud::Markup) {
    let tr = |key: &str| t(lang, key);
    let when = match Period::month(n.from.year(), n.from.month()) {
        Some(p) => period_title(lang, &p),
        None => n.month.clone(),
    };
    let title = format!("{} — {} — {}", tr("notice.title"), n.club_name, when);
    let place = [n.hamlet.as_str(), n.commune.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let l = &n.loans;
    let body = html! {
                div.report-doc.fund-notice {
                    header {
                        div.kind { (tr("report.club_kind")) }
                        h1 { (tr("notice.title")) " — " (when) }
                        p { strong { (n.club_name) } }
                        @if !place.is_empty() { p { (place) } }
                        p { (fill(&tr("report.period_dates"), &serde_json::json!({"from": date(n.from), "to": date(n.to)}))) }
                    }
                    (funds_markup(&n.funds, lang))
                    h2 { (tr("notice.loans")) }
                    table {
                        tr { th { (tr("report.active_loans")) } td.num data-figure="loans.active_loans" { (l.active_loans) } }
                        tr { th { (tr("notice.borrowers")) } td.num data-figure="loans.borrowers" { (l.borrowers) } }
                        tr.total { td { (tr("report.outstanding")) } td.num data-figure="loans.outstanding" { (money(l.outstanding)) } }
                        tr { th { (tr("notice.overdue")) } td.num data-figure="loans.overdue" { (money(l.overdue)) } }
                    }
                    p.notice { (tr("notice.no_names")) }
                    h2 { (tr("notice.code")) }
                    p.chain-code data-figure="chain_code" { (n.chain_code) }
                    p {
                        (fill(&tr(if n.closed { "notice.code_closed" } else { "notice.code_open" }), &serde_json::json!({"entries": n.entries})))
                        " " (tr("notice.code_check"))
                    }
                    div.signatures {
                        div { strong { (tr("notice.sign.treasurer")) } br; (tr("report.sign.note")) }
                        div { (fill(&tr("report.sign.place_date"), &serde_json::json!({"commune": n.commune, "date": date(n.made_on)}))) br; strong { (tr("report.sign.chair")) } br; (tr("report.sign.note")) }
                    }
                }
    };
    (title, body)
}

/// The page without its head: what the window's preview shows (the report's CSS is the window's).
pub fn fund_notice_fragment(n: &FundNotice, lang: Lang) -> String {
    markup(n, lang).1.into_string()
}

/// The notice as one page that prints on A4 (the report's look, no script, no network).
pub fn fund_notice_html(n: &FundNotice, lang: Lang) -> String {
    let (title, body) = markup(n, lang);
    page(lang, &title, body)
}
