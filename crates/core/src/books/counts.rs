//! Cash counts, bank checks and the balance assertions they leave; month close.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::post::{check_date, post, posting, MAX_AMOUNT};
use super::reports::balance_of;
use super::types::{stored_account, stored_fund, Account, CountInput, CountResult, Fund, Kind, MonthClose};
use serde::Serialize;
use ts_rs::TS;
use crate::auth::permissions::Action;
use crate::error::{CoreError, Field, Result, Rule};
use crate::notice::Notice;
use crate::roster::member::{self, Role};
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;

/// Banknotes and coins a cash count may list, 500.000 đ down to 500 đ.
pub const DENOMINATIONS: [i64; 10] = [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500];

/// The most notes of one kind a cash box can hold in a count.
pub use crate::parse::MAX_NOTES_OF_A_KIND;

/// Count the cash box against the book. A difference is never absorbed: it becomes an adjusting
/// entry with the reason, who counted and who witnessed; the count leaves a balance assertion.
pub fn cash_count(store: &mut Store, actor: &Actor, club_id: i64, input: &CountInput) -> Result<CountResult> {
    store.act(actor, club_id, Action::Money, |w| cash_count_in(w, club_id, input))
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
    assert_balance(w, club_id, input.fund, Account::Cash, input.date, counted, &notes, input)
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

/// Check the bank statement's balance against the book, the same way as a cash count.
pub fn bank_check(store: &mut Store, actor: &Actor, club_id: i64, input: &CountInput, statement: i64) -> Result<CountResult> {
    crate::parse::money_in(Field::LedgerAmount, statement, 0, MAX_AMOUNT * 10)?;
    store.act(actor, club_id, Action::Money, |w| assert_balance(w, club_id, input.fund, Account::Bank, input.date, statement, "{}", input))
}

#[allow(clippy::too_many_arguments)]
fn assert_balance(
    w: &mut Writer<'_>,
    club_id: i64,
    fund: Fund,
    account: Account,
    date: NaiveDate,
    counted: i64,
    notes: &str,
    input: &CountInput,
) -> Result<CountResult> {
    let counted_by = text::required(&input.counted_by, Field::LedgerCountedBy, 100)?;
    let witness = text::bounded(&input.witness, Field::LedgerWitness, 100)?;
    if witness.is_empty() || text::fold(&witness) == text::fold(&counted_by) {
        return Err(CoreError::invalid(Field::LedgerWitness, Rule::Required));
    }
    check_date(w, club_id, &[fund], date)?;
    let book = balance_of(&w.tx, club_id, fund, account, date)?;
    let difference = counted - book;
    let adjustment = if difference != 0 {
        let reason = text::required(&input.reason, Field::LedgerReason, 300)?;
        let postings = if difference > 0 {
            vec![posting(fund, account, difference), posting(fund, Account::CountSurplus, -difference)]
        } else {
            vec![posting(fund, Account::CountShortage, -difference), posting(fund, account, difference)]
        };
        let code = if account == Account::Cash { "memo.cash_count" } else { "memo.bank_check" };
        let notice = Notice::new(code, serde_json::json!({ "counted_by": counted_by, "witness": witness }));
        Some(post(w, club_id, fund, Kind::CountAdjustment, date, "", Some(notice), None, None, Some(&reason), postings)?)
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
            account.as_str(),
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
    w.audit(Some(club_id), "ledger.count", Some(id), serde_json::json!({ "fund": fund.code(), "account": account.as_str(), "counted": counted, "book": book }))?;
    Ok(CountResult { id, fund, account, date, book, counted, difference, adjustment })
}

/// One cash count or bank check as the history shows it: what the book said, what was counted or
/// on the statement, the difference, and how it was explained (the adjusting entry's reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CountRow {
    pub id: i64,
    pub fund: Fund,
    /// `cash` (a count of the cash box) or `bank` (a bank check).
    #[ts(type = "string")]
    pub account: Account,
    pub date: NaiveDate,
    pub book: i64,
    pub counted: i64,
    pub difference: i64,
    pub counted_by: String,
    pub witness: String,
    /// The adjusting voucher, when there was a difference.
    pub voucher: Option<String>,
    /// Why the difference arose, as recorded with the adjusting voucher.
    pub reason: Option<String>,
}

/// Every cash count and bank check of the club, newest first.
pub fn counts(store: &Store, club_id: i64) -> Result<Vec<CountRow>> {
    let sql = format!(
        "SELECT a.id, a.fund, a.account, a.date, a.book_before, a.counted, a.counted_by, a.witness, {}, e.reason
         FROM balance_assertion a LEFT JOIN journal_entry e ON e.id = a.adjustment_entry_id
         WHERE a.club_id = ?1 ORDER BY a.date DESC, a.id DESC",
        super::VOUCHER_LABEL_SQL
    );
    let mut stmt = store.conn().prepare(&sql)?;
    let rows = stmt.query_map([club_id], |r| {
        let id: i64 = r.get(0)?;
        let fund: String = r.get(1)?;
        let account: String = r.get(2)?;
        let book: i64 = r.get(4)?;
        let counted: i64 = r.get(5)?;
        let voucher: Option<String> = r.get(8)?;
        Ok(CountRow {
            id,
            fund: stored_fund("balance_assertion", id, &fund)?,
            account: stored_account("balance_assertion", id, &account)?,
            date: r.get(3)?,
            book,
            counted,
            difference: counted.checked_sub(book).ok_or(rusqlite::Error::IntegralValueOutOfRange(4, book))?,
            counted_by: r.get(6)?,
            witness: r.get(7)?,
            voucher,
            reason: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
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


/// Close a month: the treasurer closes it after a cash count of each fund in it; the chairperson and
/// one more board member confirm. Nothing can then be dated in it or before it.
///
/// Each countersigner confirms with their own PIN: `confirmed_by` are people signed in to this
/// club (`auth::sign_in`), not typed names; the names they signed in with are what the close keeps.
pub fn close_month(store: &mut Store, actor: &Actor, club_id: i64, month: &str, confirmed_by: &[Actor]) -> Result<MonthClose> {
    let names = confirmed_by
        .iter()
        .map(|c| match c.sign_in() {
            Some((club, _)) if club == club_id => Ok(c.name().to_string()),
            _ => Err(CoreError::LedgerConfirmerSignedOut { name: c.name().to_string() }),
        })
        .collect::<Result<Vec<_>>>()?;
    store.act(actor, club_id, Action::MonthClose, |w| close_month_in(w, club_id, month, &names))
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
    // Stored in the close (`confirmed_by`): the one stored-text rule, as every name the books keep.
    let confirmers: Vec<String> = confirmed_by
        .iter()
        .map(|c| text::bounded(c, Field::LedgerConfirmedBy, 100))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect();
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
            "SELECT EXISTS (SELECT 1 FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = ?3 AND date <= ?4)",
            params![club_id, fund.code(), Account::Cash.as_str(), end],
            |r| r.get(0),
        )?;
        let counted: bool = w.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM balance_assertion WHERE club_id = ?1 AND fund = ?2 AND account = ?3
             AND date BETWEEN ?4 AND ?5)",
            params![club_id, fund.code(), Account::Cash.as_str(), start, end],
            |r| r.get(0),
        )?;
        if has_money && !counted {
            return Err(CoreError::LedgerCloseNeedsCount { fund: fund.code().into(), month: month.clone() });
        }
    }
    let (chain_head, entries) = super::post::chain_head_and_count(&w.tx, club_id)?;
    w.tx.execute(
        "INSERT INTO month_close (club_id, month, closed_by, confirmed_by, chain_head, entries, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![club_id, month, closer, confirmers.join("; "), chain_head, entries, chrono::Utc::now().to_rfc3339()],
    )?;
    w.audit(Some(club_id), "ledger.close", None, serde_json::json!({ "month": month, "confirmed_by": confirmers }))?;
    Ok(MonthClose { month, closed_by: closer, confirmed_by: confirmers, chain_head, entries })
}
