//! Adding and changing members. Every change is one transaction with its audit row; a change to a
//! member names the club it is made in.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};

use super::{get, Flag, LeaveReason, Member, MemberInput, MemberPatch, Role};
use crate::auth::permissions::Action;
use crate::error::{CoreError, Field, Result, Rule};
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;

fn not_future(day: NaiveDate, today: NaiveDate, field: Field) -> Result<()> {
    if day > today {
        return Err(CoreError::invalid(field, Rule::InFuture { today: today.to_string() }));
    }
    Ok(())
}

fn clean_name(name: &str) -> Result<String> {
    text::required(name, Field::MemberFullName, 100)
}

/// Ethnicity is required and short, on add and on edit alike.
fn clean_ethnicity(ethnicity: &str) -> Result<String> {
    text::required(ethnicity, Field::MemberEthnicity, 40)
}

fn clean_hamlet(hamlet: &str) -> Result<String> {
    text::bounded(hamlet, Field::MemberHamlet, 80)
}

fn clean_phone(phone: &str) -> Result<String> {
    let p: String = phone.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect();
    let digits = p.strip_prefix('+').unwrap_or(&p);
    if !p.is_empty() && (!digits.chars().all(|c| c.is_ascii_digit()) || !(8..=15).contains(&digits.len())) {
        return Err(CoreError::invalid(Field::MemberPhone, Rule::Range { min: 8, max: 15 }));
    }
    Ok(p)
}

fn check_birth(year: i32, date: Option<NaiveDate>, today: NaiveDate) -> Result<()> {
    if !(1900..=today.year()).contains(&year) {
        return Err(CoreError::invalid(Field::MemberBirth, Rule::Range { min: 1900, max: today.year() as i64 }));
    }
    if let Some(d) = date {
        not_future(d, today, Field::MemberBirth)?;
        if d.year() != year {
            return Err(CoreError::invalid(Field::MemberBirth, Rule::Unknown { value: d.to_string() }));
        }
    }
    Ok(())
}

fn club_founded(w: &Writer<'_>, club_id: i64) -> Result<NaiveDate> {
    w.tx.query_row("SELECT founded_on FROM club WHERE id = ?1", [club_id], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::ClubNotFound { id: club_id })
}

/// The duplicate check: one lookup in the `member_duplicate` index (club, folded name, birth year),
/// so its cost does not grow with the roster and an import of n rows stays linear. Cached, so an
/// import prepares it once (and a test can read its step counter).
pub(crate) const DUPLICATE_SQL: &str =
    "SELECT id FROM member WHERE club_id = ?1 AND name_folded = ?2 AND birth_year = ?3 LIMIT 1";

/// Add a member. A same-named member born the same year is refused as a likely duplicate unless
/// `allow_duplicate` says the user has confirmed it is a different person.
pub fn add(store: &mut Store, actor: &Actor, club_id: i64, input: &MemberInput, allow_duplicate: bool) -> Result<Member> {
    let id = store.act(actor, club_id, Action::MemberWrite, |w| add_in(w, club_id, input, allow_duplicate))?;
    get(store, club_id, id)
}

pub(crate) fn add_in(w: &mut Writer<'_>, club_id: i64, input: &MemberInput, allow_duplicate: bool) -> Result<i64> {
    let founded = club_founded(w, club_id)?;
    let today = w.today;
    let full_name = clean_name(&input.full_name)?;
    let folded = text::fold(&full_name);
    check_birth(input.birth_year, input.birth_date, today)?;
    let ethnicity = clean_ethnicity(&input.ethnicity)?;
    let hamlet = clean_hamlet(&input.hamlet)?;
    let phone = clean_phone(&input.phone)?;
    if input.joined_on < founded {
        return Err(CoreError::invalid(Field::MemberJoinedOn, Rule::BeforeFounding { founded_on: founded.to_string() }));
    }
    not_future(input.joined_on, today, Field::MemberJoinedOn)?;
    if let Some(c) = input.consent_on {
        not_future(c, today, Field::MemberConsentOn)?;
    }
    if !allow_duplicate {
        let existing: Option<i64> = w
            .tx
            .prepare_cached(DUPLICATE_SQL)?
            .query_row(params![club_id, folded, input.birth_year], |r| r.get(0))
            .optional()?;
        if let Some(existing_id) = existing {
            return Err(CoreError::MemberDuplicate { full_name, birth_year: input.birth_year, existing_id });
        }
    }
    w.tx.execute(
        "INSERT INTO member (club_id, full_name, name_folded, sex, birth_year, birth_date, ethnicity, hamlet, phone,
            joined_on, consent_on, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            club_id,
            full_name,
            folded,
            input.sex.code(),
            input.birth_year,
            input.birth_date,
            ethnicity,
            hamlet,
            phone,
            input.joined_on,
            input.consent_on,
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    for f in &input.flags {
        insert_flag(w, id, f.flag, input.joined_on, f.standard.as_deref())?;
    }
    for r in &input.roles {
        insert_role(w, id, *r, input.joined_on)?;
    }
    w.audit(Some(club_id), "member.add", Some(id), serde_json::json!({ "full_name": full_name }))?;
    Ok(id)
}

fn insert_flag(w: &Writer<'_>, member_id: i64, flag: Flag, from_on: NaiveDate, standard: Option<&str>) -> Result<()> {
    let standard = standard.map(|s| text::bounded(s, Field::MemberFlag, 100)).transpose()?.filter(|s| !s.is_empty());
    if flag.needs_standard() && standard.is_none() {
        return Err(CoreError::invalid(Field::MemberFlag, Rule::Required));
    }
    w.tx.execute(
        "INSERT INTO member_flag (member_id, flag, from_on, standard) VALUES (?1, ?2, ?3, ?4)",
        params![member_id, flag.code(), from_on, standard],
    )?;
    Ok(())
}

fn insert_role(w: &Writer<'_>, member_id: i64, role: Role, from_on: NaiveDate) -> Result<()> {
    w.tx.execute(
        "INSERT INTO member_role (member_id, role, from_on) VALUES (?1, ?2, ?3)",
        params![member_id, role.code(), from_on],
    )?;
    Ok(())
}

/// The member as the writer sees it: a member of this club (one of another club is not found),
/// refusing one who has left when `must_be_active`. Returns the day they joined.
fn load_for_change(w: &Writer<'_>, club_id: i64, id: i64, must_be_active: bool) -> Result<NaiveDate> {
    let row: Option<(i64, NaiveDate, Option<NaiveDate>)> = w
        .tx
        .query_row("SELECT club_id, joined_on, left_on FROM member WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (joined_on, left_on) = match row {
        Some((c, joined_on, left_on)) if c == club_id => (joined_on, left_on),
        _ => return Err(CoreError::MemberNotFound { id }),
    };
    if let (true, Some(l)) = (must_be_active, left_on) {
        return Err(CoreError::MemberHasLeft { id, left_on: l.to_string() });
    }
    Ok(joined_on)
}

pub fn edit(store: &mut Store, actor: &Actor, club_id: i64, id: i64, patch: &MemberPatch) -> Result<Member> {
    let current = get(store, club_id, id)?;
    let today = store.today();
    let full_name = patch.full_name.as_deref().map(clean_name).transpose()?.unwrap_or(current.full_name.clone());
    let birth_year = patch.birth_year.unwrap_or(current.birth_year);
    let birth_date = patch.birth_date.or(current.birth_date.filter(|_| patch.birth_year.is_none()));
    check_birth(birth_year, birth_date, today)?;
    let ethnicity = patch.ethnicity.as_deref().map(clean_ethnicity).transpose()?.unwrap_or(current.ethnicity.clone());
    let hamlet = patch.hamlet.as_deref().map(clean_hamlet).transpose()?.unwrap_or(current.hamlet.clone());
    let phone = patch.phone.as_deref().map(clean_phone).transpose()?.unwrap_or(current.phone.clone());
    if let Some(c) = patch.consent_on {
        not_future(c, today, Field::MemberConsentOn)?;
    }
    store.act(actor, club_id, Action::MemberWrite, |w| {
        w.tx.execute(
            "UPDATE member SET full_name = ?2, name_folded = ?3, sex = ?4, birth_year = ?5, birth_date = ?6,
                ethnicity = ?7, hamlet = ?8, phone = ?9, consent_on = ?10 WHERE id = ?1",
            params![
                id,
                full_name,
                text::fold(&full_name),
                patch.sex.unwrap_or(current.sex).code(),
                birth_year,
                birth_date,
                ethnicity,
                hamlet,
                phone,
                patch.consent_on.or(current.consent_on),
            ],
        )?;
        w.audit(Some(club_id), "member.edit", Some(id), serde_json::to_value(patch).unwrap_or_default())
    })?;
    get(store, club_id, id)
}

/// Record that a member left. Their open roles and flags end the same day; nothing is deleted.
pub fn leave(store: &mut Store, actor: &Actor, club_id: i64, id: i64, on: NaiveDate, reason: LeaveReason) -> Result<Member> {
    store.act(actor, club_id, Action::MemberWrite, |w| leave_in(w, club_id, id, on, reason))?;
    get(store, club_id, id)
}

pub(crate) fn leave_in(w: &mut Writer<'_>, club_id: i64, id: i64, on: NaiveDate, reason: LeaveReason) -> Result<()> {
    let joined_on = load_for_change(w, club_id, id, true)?;
    if on < joined_on {
        return Err(CoreError::invalid(Field::MemberLeftOn, Rule::BeforeDate { other: joined_on.to_string() }));
    }
    not_future(on, w.today, Field::MemberLeftOn)?;
    w.tx.execute("UPDATE member SET left_on = ?2, leave_reason = ?3 WHERE id = ?1", params![id, on, reason.code()])?;
    for table in ["member_flag", "member_role"] {
        w.tx.execute(
            &format!("UPDATE {table} SET to_on = max(from_on, ?2) WHERE member_id = ?1 AND to_on IS NULL"),
            params![id, on],
        )?;
    }
    w.audit(Some(club_id), "member.leave", Some(id), serde_json::json!({ "on": on, "reason": reason.code() }))
}

/// Turn a flag on (from `on`) or off (ending the open range on `on`).
#[allow(clippy::too_many_arguments)]
pub fn set_flag(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    id: i64,
    flag: Flag,
    active: bool,
    on: NaiveDate,
    standard: Option<&str>,
) -> Result<Member> {
    store.act(actor, club_id, Action::MemberWrite, |w| set_flag_in(w, club_id, id, flag, active, on, standard))?;
    get(store, club_id, id)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn set_flag_in(
    w: &mut Writer<'_>,
    club_id: i64,
    id: i64,
    flag: Flag,
    active: bool,
    on: NaiveDate,
    standard: Option<&str>,
) -> Result<()> {
    let joined_on = load_for_change(w, club_id, id, true)?;
    check_change_date(w, joined_on, on, id, "member_flag", flag.code(), "flag")?;
    end_open(w, "member_flag", "flag", id, flag.code(), on)?;
    if active {
        insert_flag(w, id, flag, on, standard)?;
    }
    w.audit(
        Some(club_id),
        "member.flag",
        Some(id),
        serde_json::json!({ "flag": flag.code(), "active": active, "on": on, "standard": standard }),
    )
}

pub fn set_role(store: &mut Store, actor: &Actor, club_id: i64, id: i64, role: Role, active: bool, on: NaiveDate) -> Result<Member> {
    store.act(actor, club_id, Action::RuleChange, |w| set_role_in(w, club_id, id, role, active, on))?;
    get(store, club_id, id)
}

pub(crate) fn set_role_in(w: &mut Writer<'_>, club_id: i64, id: i64, role: Role, active: bool, on: NaiveDate) -> Result<()> {
    let joined_on = load_for_change(w, club_id, id, true)?;
    check_change_date(w, joined_on, on, id, "member_role", role.code(), "role")?;
    end_open(w, "member_role", "role", id, role.code(), on)?;
    if active {
        insert_role(w, id, role, on)?;
    }
    w.audit(Some(club_id), "member.role", Some(id), serde_json::json!({ "role": role.code(), "active": active, "on": on }))
}

/// A change to a flag or role cannot be dated before the member joined, in the future, or before the
/// range it would end.
fn check_change_date(
    w: &Writer<'_>,
    joined_on: NaiveDate,
    on: NaiveDate,
    id: i64,
    table: &str,
    value: &str,
    column: &str,
) -> Result<()> {
    let field = if table == "member_flag" { Field::MemberFlag } else { Field::MemberRole };
    if on < joined_on {
        return Err(CoreError::invalid(field, Rule::BeforeDate { other: joined_on.to_string() }));
    }
    not_future(on, w.today, field)?;
    let open_from: Option<NaiveDate> = w
        .tx
        .query_row(
            &format!("SELECT max(from_on) FROM {table} WHERE member_id = ?1 AND {column} = ?2 AND to_on IS NULL"),
            params![id, value],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(from) = open_from {
        if on < from {
            return Err(CoreError::invalid(field, Rule::BeforeDate { other: from.to_string() }));
        }
    }
    Ok(())
}

fn end_open(w: &Writer<'_>, table: &str, column: &str, id: i64, value: &str, on: NaiveDate) -> Result<()> {
    w.tx.execute(
        &format!("UPDATE {table} SET to_on = ?3 WHERE member_id = ?1 AND {column} = ?2 AND to_on IS NULL"),
        params![id, value, on],
    )?;
    Ok(())
}
