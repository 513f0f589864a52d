//! Reading the roster: one member, every member of a club, the roster as of a day, and the member
//! rule `on_day` the other rooms call.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Flag, LeaveReason, ListQuery, Member, Role, RosterRow, Sex, Span};
use crate::error::{damaged, CoreError, Result};
use crate::roster::club;
use crate::store::{day, day_opt, Store};
use crate::text;

/// The one rule for "a member on that day": in this club, joined on or before `day`, not left on or
/// before it. Returns the member's name. Used by the ledger (dues, receipts), meetings, activities
/// and loans alike.
pub(crate) fn on_day(conn: &rusqlite::Connection, club_id: i64, id: i64, day: NaiveDate) -> Result<String> {
    let row: Option<(i64, String, NaiveDate, Option<NaiveDate>)> = conn
        .prepare_cached("SELECT club_id, full_name, joined_on, left_on FROM member WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    match row {
        Some((c, name, joined, left)) if c == club_id => {
            if let Some(l) = left.filter(|l| *l <= day) {
                return Err(CoreError::MemberHasLeft { id, left_on: l.to_string() });
            }
            if joined > day {
                return Err(CoreError::MemberNotYet { id, full_name: name, joined_on: joined.to_string() });
            }
            Ok(name)
        }
        _ => Err(CoreError::MemberNotFound { id }),
    }
}

/// How many members the club had on `day`, by the rule of `on_day` (joined on or before it, not
/// left on or before it).
pub(crate) fn count_on(conn: &rusqlite::Connection, club_id: i64, day: NaiveDate) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM member WHERE club_id = ?1 AND joined_on <= ?2 AND (left_on IS NULL OR left_on > ?2)",
        rusqlite::params![club_id, day],
        |r| r.get(0),
    )?)
}

/// One member of this club; a member of another club is not found here (`member.not_found`).
pub fn get(store: &Store, club_id: i64, id: i64) -> Result<Member> {
    load_club(store, club_id)?
        .iter()
        .find(|m| m.id == id)
        .cloned()
        .ok_or(CoreError::MemberNotFound { id })
}

/// Every member the club ever had, with their flags and roles, in id order. Shared, not copied:
/// read once while the books are unchanged (a report and the window's pages ask again and again),
/// and a reader that only looks does not pay for a copy of a thousand members.
pub fn load_club(store: &Store, club_id: i64) -> Result<std::sync::Arc<Vec<Member>>> {
    store.memo("roster", club_id, |conn| load_club_conn(conn, club_id))
}

/// `load_club` inside a write in progress. Flags and roles are read from their own tables in id
/// order (`CROSS JOIN` keeps them the outer loop, so the order is the table's and needs no sort):
/// driven from the roster instead, each of the 1,000 members of a big club was a seek into each
/// table, most finding nothing.
pub(crate) fn load_club_conn(conn: &rusqlite::Connection, club_id: i64) -> Result<Vec<Member>> {
    let mut flags: HashMap<i64, Vec<Span<Flag>>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT f.id, f.member_id, f.flag, f.from_on, f.to_on, f.standard FROM member_flag f
         CROSS JOIN member m ON m.id = f.member_id WHERE m.club_id = ?1 ORDER BY f.id",
    )?;
    for row in stmt.query_map([club_id], |r| {
        let flag: String = r.get(2)?;
        let id: i64 = r.get(0)?;
        Ok((r.get::<_, i64>(1)?, Span {
            id,
            what: Flag::from_code(&flag).ok_or_else(|| damaged("member_flag", id, "flag", &flag))?,
            from_on: day(r, 3)?,
            to_on: day_opt(r, 4)?,
            standard: r.get(5)?,
        }))
    })? {
        let (member_id, span) = row?;
        flags.entry(member_id).or_default().push(span);
    }
    let mut roles: HashMap<i64, Vec<Span<Role>>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT r.id, r.member_id, r.role, r.from_on, r.to_on FROM member_role r
         CROSS JOIN member m ON m.id = r.member_id WHERE m.club_id = ?1 ORDER BY r.id",
    )?;
    for row in stmt.query_map([club_id], |r| {
        let role: String = r.get(2)?;
        let id: i64 = r.get(0)?;
        Ok((r.get::<_, i64>(1)?, Span {
            id,
            what: Role::from_code(&role).ok_or_else(|| damaged("member_role", id, "role", &role))?,
            from_on: day(r, 3)?,
            to_on: day_opt(r, 4)?,
            standard: None,
        }))
    })? {
        let (member_id, span) = row?;
        roles.entry(member_id).or_default().push(span);
    }
    let mut stmt = conn.prepare(
        "SELECT id, club_id, full_name, sex, birth_year, birth_date, ethnicity, hamlet, phone, joined_on, left_on,
            leave_reason, consent_on FROM member WHERE club_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([club_id], |r| {
        let id: i64 = r.get(0)?;
        let sex: String = r.get(3)?;
        let reason: Option<String> = r.get(11)?;
        Ok(Member {
            id,
            club_id: r.get(1)?,
            full_name: r.get(2)?,
            sex: Sex::from_code(&sex).ok_or_else(|| damaged("member", id, "sex", &sex))?,
            birth_year: r.get(4)?,
            birth_date: day_opt(r, 5)?,
            ethnicity: r.get(6)?,
            hamlet: r.get(7)?,
            phone: r.get(8)?,
            joined_on: day(r, 9)?,
            left_on: day_opt(r, 10)?,
            leave_reason: match reason {
                Some(r) => Some(LeaveReason::from_code(&r).ok_or_else(|| damaged("member", id, "leave_reason", &r))?),
                None => None,
            },
            consent_on: day_opt(r, 12)?,
            flags: flags.remove(&id).unwrap_or_default(),
            roles: roles.remove(&id).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The roster as of a day, sorted the Vietnamese way. `older_age` is the preset's threshold.
pub fn list(store: &Store, club_id: i64, query: &ListQuery) -> Result<Vec<RosterRow>> {
    store.snapshot(|| list_in(store, club_id, query))
}

fn list_in(store: &Store, club_id: i64, query: &ListQuery) -> Result<Vec<RosterRow>> {
    club::get(store, club_id)?;
    let day = query.at.unwrap_or(store.today());
    let older_age = crate::roster::preset::find(store, &club::get(store, club_id)?.target_preset)
        .map(|p| p.older_age)
        .unwrap_or(60);
    let search = query.search.as_deref().map(text::fold).filter(|s| !s.is_empty());
    let mut rows: Vec<RosterRow> = load_club(store, club_id)?
        .iter()
        .filter(|m| m.joined_on <= day)
        .filter(|m| query.include_left || m.is_member_on(day))
        .filter(|m| search.as_deref().is_none_or(|q| text::fold(&m.full_name).contains(q)))
        .filter(|m| query.flag.is_none_or(|f| m.has_flag_on(f, day)))
        .map(|m| {
            let age = m.age_on(day);
            RosterRow {
                id: m.id,
                age,
                older: age >= older_age as i32,
                active: m.is_member_on(day),
                flags: Flag::ALL.into_iter().filter(|f| m.has_flag_on(*f, day)).collect(),
                ethnic_minority: m.is_ethnic_minority(),
                roles: Role::ALL.into_iter().filter(|r| m.has_role_on(*r, day)).collect(),
                consent: m.consent_on.is_some_and(|c| c <= day),
                full_name: m.full_name.clone(),
                sex: m.sex,
                birth_year: m.birth_year,
                hamlet: m.hamlet.clone(),
                phone: m.phone.clone(),
                ethnicity: m.ethnicity.clone(),
                joined_on: m.joined_on,
                left_on: m.left_on,
                leave_reason: m.leave_reason,
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| (text::name_key(&r.full_name), r.id));
    Ok(rows)
}
