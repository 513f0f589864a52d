//! The roster. Members are never deleted: leaving sets a date and a reason, and flags and roles are
//! date ranges, so every figure can be asked "as of a date".

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::audit::Actor;
use crate::roster::club;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::store::{Store, Writer};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub enum Sex {
    F,
    M,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::F => "F",
            Sex::M => "M",
        }
    }
    pub(crate) fn from_code(s: &str) -> Option<Sex> {
        match s {
            "F" => Some(Sex::F),
            "M" => Some(Sex::M),
            _ => None,
        }
    }
}

/// Disadvantage recorded over time. Ethnic minority is not a flag: it follows from ethnicity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Poor,
    NearPoor,
    Disability,
    LivingAlone,
}

impl Flag {
    pub const ALL: [Flag; 4] = [Flag::Poor, Flag::NearPoor, Flag::Disability, Flag::LivingAlone];
    pub fn code(self) -> &'static str {
        match self {
            Flag::Poor => "poor",
            Flag::NearPoor => "near_poor",
            Flag::Disability => "disability",
            Flag::LivingAlone => "living_alone",
        }
    }
    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == s)
    }
    /// Poor and near-poor status is decided under a national standard that changes.
    pub fn needs_standard(self) -> bool {
        matches!(self, Flag::Poor | Flag::NearPoor)
    }
}

/// The national poverty standard in force on a day (Decree 07/2021 for 2022–2025, a new one from
/// 2026): what a poor or near-poor status is recorded under when nobody says otherwise.
pub fn poverty_standard_on(day: NaiveDate) -> &'static str {
    if day.year() >= 2026 {
        "Chuẩn nghèo 2026–2030"
    } else if day.year() >= 2022 {
        "NĐ 07/2021/NĐ-CP (2022–2025)"
    } else {
        "QĐ 59/2015/QĐ-TTg (2016–2021)"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Chair,
    ViceChair,
    Treasurer,
    Secretary,
    GroupLeader,
    Volunteer,
    CareRecipient,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Chair,
        Role::ViceChair,
        Role::Treasurer,
        Role::Secretary,
        Role::GroupLeader,
        Role::Volunteer,
        Role::CareRecipient,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::ViceChair => "vice_chair",
            Role::Treasurer => "treasurer",
            Role::Secretary => "secretary",
            Role::GroupLeader => "group_leader",
            Role::Volunteer => "volunteer",
            Role::CareRecipient => "care_recipient",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
    pub fn is_board(self) -> bool {
        matches!(self, Role::Chair | Role::ViceChair | Role::Treasurer | Role::Secretary)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    Moved,
    Died,
    Withdrew,
    Other,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 4] = [LeaveReason::Moved, LeaveReason::Died, LeaveReason::Withdrew, LeaveReason::Other];
    pub fn code(self) -> &'static str {
        match self {
            LeaveReason::Moved => "moved",
            LeaveReason::Died => "died",
            LeaveReason::Withdrew => "withdrew",
            LeaveReason::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<LeaveReason> {
        LeaveReason::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// A date range `[from_on, to_on)`: in force from the first day, no longer on the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Span<T> {
    pub id: i64,
    pub what: T,
    pub from_on: NaiveDate,
    pub to_on: Option<NaiveDate>,
    /// For poor / near-poor: the national standard the status was decided under.
    pub standard: Option<String>,
}

impl<T> Span<T> {
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.from_on <= day && self.to_on.is_none_or(|t| day < t)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Member {
    pub id: i64,
    pub club_id: i64,
    pub full_name: String,
    pub sex: Sex,
    pub birth_year: i32,
    pub birth_date: Option<NaiveDate>,
    pub ethnicity: String,
    pub hamlet: String,
    pub phone: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub leave_reason: Option<LeaveReason>,
    /// When the member agreed that the club may hold their data.
    pub consent_on: Option<NaiveDate>,
    pub flags: Vec<Span<Flag>>,
    pub roles: Vec<Span<Role>>,
}

impl Member {
    pub fn is_member_on(&self, day: NaiveDate) -> bool {
        self.joined_on <= day && self.left_on.is_none_or(|l| day < l)
    }
    /// Age in whole years on `day`; with only a birth year, the year's difference (as the commune counts).
    pub fn age_on(&self, day: NaiveDate) -> i32 {
        match self.birth_date {
            Some(b) => {
                let mut age = day.year() - b.year();
                if (day.month(), day.day()) < (b.month(), b.day()) {
                    age -= 1;
                }
                age
            }
            None => day.year() - self.birth_year,
        }
    }
    pub fn has_flag_on(&self, flag: Flag, day: NaiveDate) -> bool {
        self.flags.iter().any(|s| s.what == flag && s.active_on(day))
    }
    pub fn has_role_on(&self, role: Role, day: NaiveDate) -> bool {
        self.roles.iter().any(|s| s.what == role && s.active_on(day))
    }
    pub fn is_ethnic_minority(&self) -> bool {
        text::fold(&self.ethnicity) != "kinh"
    }
}

/// A member where a record names one (who chaired, who borrowed, who was visited): the id and the
/// name, read with that record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Person {
    pub id: i64,
    pub full_name: String,
}

/// What a person fills in to add a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberInput {
    pub full_name: String,
    pub sex: Sex,
    pub birth_year: i32,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default = "default_ethnicity")]
    pub ethnicity: String,
    #[serde(default)]
    pub hamlet: String,
    #[serde(default)]
    pub phone: String,
    pub joined_on: NaiveDate,
    #[serde(default)]
    pub consent_on: Option<NaiveDate>,
    #[serde(default)]
    pub flags: Vec<FlagInput>,
    #[serde(default)]
    pub roles: Vec<Role>,
}

fn default_ethnicity() -> String {
    "Kinh".into()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FlagInput {
    pub flag: Flag,
    #[serde(default)]
    pub standard: Option<String>,
}

impl MemberInput {
    pub fn new(full_name: &str, sex: Sex, birth_year: i32, joined_on: NaiveDate) -> Self {
        MemberInput {
            full_name: full_name.into(),
            sex,
            birth_year,
            birth_date: None,
            ethnicity: default_ethnicity(),
            hamlet: String::new(),
            phone: String::new(),
            joined_on,
            consent_on: Some(joined_on),
            flags: vec![],
            roles: vec![],
        }
    }
}

/// Changes to a member's own details; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberPatch {
    pub full_name: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub birth_date: Option<NaiveDate>,
    pub ethnicity: Option<String>,
    pub hamlet: Option<String>,
    pub phone: Option<String>,
    pub consent_on: Option<NaiveDate>,
}

/// The one rule for "a member on that day": in this club, joined on or before `day`, not left on or
/// before it. Returns the member's name. Used by the ledger (dues, receipts), meetings, activities
/// and loans alike.
pub(crate) fn on_day(conn: &rusqlite::Connection, club_id: i64, id: i64, day: NaiveDate) -> Result<String> {
    let row: Option<(i64, String, NaiveDate, Option<NaiveDate>)> = conn
        .query_row("SELECT club_id, full_name, joined_on, left_on FROM member WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
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
        params![club_id, day],
        |r| r.get(0),
    )?)
}

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
    let id = store.write(actor, |w| add_in(w, club_id, input, allow_duplicate))?;
    get(store, id)
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

/// The member as the writer sees it, refusing one who has left when `must_be_active`.
fn load_for_change(w: &Writer<'_>, id: i64, must_be_active: bool) -> Result<(i64, NaiveDate)> {
    let row: Option<(i64, NaiveDate, Option<NaiveDate>)> = w
        .tx
        .query_row("SELECT club_id, joined_on, left_on FROM member WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (club_id, joined_on, left_on) = row.ok_or(CoreError::MemberNotFound { id })?;
    if let (true, Some(l)) = (must_be_active, left_on) {
        return Err(CoreError::MemberHasLeft { id, left_on: l.to_string() });
    }
    Ok((club_id, joined_on))
}

pub fn edit(store: &mut Store, actor: &Actor, id: i64, patch: &MemberPatch) -> Result<Member> {
    let current = get(store, id)?;
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
    store.write(actor, |w| {
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
        w.audit(Some(current.club_id), "member.edit", Some(id), serde_json::to_value(patch).unwrap_or_default())
    })?;
    get(store, id)
}

/// Record that a member left. Their open roles and flags end the same day; nothing is deleted.
pub fn leave(store: &mut Store, actor: &Actor, id: i64, on: NaiveDate, reason: LeaveReason) -> Result<Member> {
    store.write(actor, |w| leave_in(w, id, on, reason))?;
    get(store, id)
}

pub(crate) fn leave_in(w: &mut Writer<'_>, id: i64, on: NaiveDate, reason: LeaveReason) -> Result<()> {
    let (club_id, joined_on) = load_for_change(w, id, true)?;
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
pub fn set_flag(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    flag: Flag,
    active: bool,
    on: NaiveDate,
    standard: Option<&str>,
) -> Result<Member> {
    store.write(actor, |w| set_flag_in(w, id, flag, active, on, standard))?;
    get(store, id)
}

pub(crate) fn set_flag_in(
    w: &mut Writer<'_>,
    id: i64,
    flag: Flag,
    active: bool,
    on: NaiveDate,
    standard: Option<&str>,
) -> Result<()> {
    let (club_id, joined_on) = load_for_change(w, id, true)?;
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

pub fn set_role(store: &mut Store, actor: &Actor, id: i64, role: Role, active: bool, on: NaiveDate) -> Result<Member> {
    store.write(actor, |w| set_role_in(w, id, role, active, on))?;
    get(store, id)
}

pub(crate) fn set_role_in(w: &mut Writer<'_>, id: i64, role: Role, active: bool, on: NaiveDate) -> Result<()> {
    let (club_id, joined_on) = load_for_change(w, id, true)?;
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

pub fn get(store: &Store, id: i64) -> Result<Member> {
    let club_id: i64 = store
        .conn()
        .query_row("SELECT club_id FROM member WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::MemberNotFound { id })?;
    load_club(store, club_id)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(CoreError::MemberNotFound { id })
}

/// Every member the club ever had, with their flags and roles, in id order.
pub fn load_club(store: &Store, club_id: i64) -> Result<Vec<Member>> {
    load_club_conn(store.conn(), club_id)
}

/// `load_club` inside a write in progress.
pub(crate) fn load_club_conn(conn: &rusqlite::Connection, club_id: i64) -> Result<Vec<Member>> {
    let mut flags: HashMap<i64, Vec<Span<Flag>>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT f.id, f.member_id, f.flag, f.from_on, f.to_on, f.standard FROM member_flag f
         JOIN member m ON m.id = f.member_id WHERE m.club_id = ?1 ORDER BY f.id",
    )?;
    for row in stmt.query_map([club_id], |r| {
        let flag: String = r.get(2)?;
        let id: i64 = r.get(0)?;
        Ok((r.get::<_, i64>(1)?, Span {
            id,
            what: Flag::parse(&flag).ok_or_else(|| damaged("member_flag", id, "flag", &flag))?,
            from_on: r.get(3)?,
            to_on: r.get(4)?,
            standard: r.get(5)?,
        }))
    })? {
        let (member_id, span) = row?;
        flags.entry(member_id).or_default().push(span);
    }
    let mut roles: HashMap<i64, Vec<Span<Role>>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT r.id, r.member_id, r.role, r.from_on, r.to_on FROM member_role r
         JOIN member m ON m.id = r.member_id WHERE m.club_id = ?1 ORDER BY r.id",
    )?;
    for row in stmt.query_map([club_id], |r| {
        let role: String = r.get(2)?;
        let id: i64 = r.get(0)?;
        Ok((r.get::<_, i64>(1)?, Span {
            id,
            what: Role::parse(&role).ok_or_else(|| damaged("member_role", id, "role", &role))?,
            from_on: r.get(3)?,
            to_on: r.get(4)?,
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
            birth_date: r.get(5)?,
            ethnicity: r.get(6)?,
            hamlet: r.get(7)?,
            phone: r.get(8)?,
            joined_on: r.get(9)?,
            left_on: r.get(10)?,
            leave_reason: match reason {
                Some(r) => Some(LeaveReason::parse(&r).ok_or_else(|| damaged("member", id, "leave_reason", &r))?),
                None => None,
            },
            consent_on: r.get(12)?,
            flags: flags.remove(&id).unwrap_or_default(),
            roles: roles.remove(&id).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What to list: members on a day (default: today), optionally searched and filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ListQuery {
    pub at: Option<NaiveDate>,
    pub search: Option<String>,
    pub flag: Option<Flag>,
    /// Also list those who had left by the day (for the history view).
    #[serde(default)]
    pub include_left: bool,
}

/// One line of the roster, with what was true on the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RosterRow {
    pub id: i64,
    pub full_name: String,
    pub sex: Sex,
    pub birth_year: i32,
    pub age: i32,
    pub older: bool,
    pub hamlet: String,
    pub phone: String,
    pub ethnicity: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub leave_reason: Option<LeaveReason>,
    pub active: bool,
    pub flags: Vec<Flag>,
    pub ethnic_minority: bool,
    pub roles: Vec<Role>,
    pub consent: bool,
}

/// The roster as of a day, sorted the Vietnamese way. `older_age` is the preset's threshold.
pub fn list(store: &Store, club_id: i64, query: &ListQuery) -> Result<Vec<RosterRow>> {
    club::get(store, club_id)?;
    let day = query.at.unwrap_or(store.today());
    let older_age = crate::roster::preset::find(store, &club::get(store, club_id)?.target_preset)
        .map(|p| p.older_age)
        .unwrap_or(60);
    let search = query.search.as_deref().map(text::fold).filter(|s| !s.is_empty());
    let mut rows: Vec<RosterRow> = load_club(store, club_id)?
        .into_iter()
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
                full_name: m.full_name,
                sex: m.sex,
                birth_year: m.birth_year,
                hamlet: m.hamlet,
                phone: m.phone,
                ethnicity: m.ethnicity,
                joined_on: m.joined_on,
                left_on: m.left_on,
                leave_reason: m.leave_reason,
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| (text::name_key(&r.full_name), r.id));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::club::ClubInput;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn setup() -> (Store, Actor, i64) {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(d("2026-11-22"));
        let actor = Actor::new("Lê Thị Hoa").unwrap();
        let club = club::create(&mut store, &actor, &ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", d("2019-03-01"))).unwrap();
        (store, actor, club.id)
    }

    #[test]
    fn add_stores_nfc_and_search_ignores_diacritics() {
        let (mut store, actor, club) = setup();
        let input = MemberInput::new("Nguye\u{0302}\u{0303}n Thi\u{0323} Lan", Sex::F, 1955, d("2020-01-01"));
        let m = add(&mut store, &actor, club, &input, false).unwrap();
        assert_eq!(m.full_name, "Nguyễn Thị Lan");
        let q = |s: &str| ListQuery { search: Some(s.into()), ..Default::default() };
        assert_eq!(list(&store, club, &q("nguyen thi")).unwrap().len(), 1);
        assert_eq!(list(&store, club, &q("NGUYỄN")).unwrap().len(), 1);
        assert_eq!(list(&store, club, &q("tran")).unwrap().len(), 0);
    }

    #[test]
    fn duplicate_name_and_year_is_refused_unless_confirmed() {
        let (mut store, actor, club) = setup();
        let first = add(&mut store, &actor, club, &MemberInput::new("Nguyễn Thị Lan", Sex::F, 1955, d("2020-01-01")), false).unwrap();
        let again = MemberInput::new("nguyen thi lan", Sex::F, 1955, d("2021-01-01"));
        let err = add(&mut store, &actor, club, &again, false).unwrap_err();
        assert_eq!(err, CoreError::MemberDuplicate { full_name: "nguyen thi lan".into(), birth_year: 1955, existing_id: first.id });
        add(&mut store, &actor, club, &again, true).unwrap();
        assert_eq!(list(&store, club, &ListQuery::default()).unwrap().len(), 2);
    }

    #[test]
    fn bad_input_names_the_field_and_writes_nothing() {
        let (mut store, actor, club) = setup();
        let ok = MemberInput::new("Trần Văn Nam", Sex::M, 1980, d("2020-01-01"));
        let cases = [
            (MemberInput { full_name: " ".into(), ..ok.clone() }, Field::MemberFullName),
            (MemberInput { birth_year: 2030, ..ok.clone() }, Field::MemberBirth),
            (MemberInput { birth_date: Some(d("1981-02-03")), ..ok.clone() }, Field::MemberBirth),
            (MemberInput { joined_on: d("2018-01-01"), ..ok.clone() }, Field::MemberJoinedOn),
            (MemberInput { joined_on: d("2027-01-01"), ..ok.clone() }, Field::MemberJoinedOn),
            (MemberInput { phone: "12ab".into(), ..ok.clone() }, Field::MemberPhone),
            (MemberInput { flags: vec![FlagInput { flag: Flag::Poor, standard: None }], ..ok.clone() }, Field::MemberFlag),
        ];
        for (input, field) in cases {
            match add(&mut store, &actor, club, &input, false) {
                Err(CoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("expected {field:?} error, got {other:?}"),
            }
        }
        assert!(load_club(&store, club).unwrap().is_empty());
        assert_eq!(crate::store::audit::list(&store, club, 100).unwrap().len(), 1);
    }

    #[test]
    fn leaving_keeps_history_and_ends_roles() {
        let (mut store, actor, club) = setup();
        let mut input = MemberInput::new("Phạm Thị Hằng", Sex::F, 1950, d("2020-01-01"));
        input.roles = vec![Role::Volunteer];
        input.flags = vec![FlagInput { flag: Flag::NearPoor, standard: Some("NĐ 07/2021".into()) }];
        let m = add(&mut store, &actor, club, &input, false).unwrap();
        let err = leave(&mut store, &actor, m.id, d("2019-12-31"), LeaveReason::Moved).unwrap_err();
        assert!(matches!(err, CoreError::Invalid { field: Field::MemberLeftOn, .. }));
        let m = leave(&mut store, &actor, m.id, d("2024-06-01"), LeaveReason::Moved).unwrap();
        assert!(m.is_member_on(d("2024-05-31")) && !m.is_member_on(d("2024-06-01")));
        assert!(m.has_role_on(Role::Volunteer, d("2024-05-31")) && !m.has_role_on(Role::Volunteer, d("2024-06-01")));
        assert_eq!(m.flags[0].standard.as_deref(), Some("NĐ 07/2021"));
        let before = ListQuery { at: Some(d("2023-01-01")), ..Default::default() };
        assert_eq!(list(&store, club, &before).unwrap().len(), 1);
        assert_eq!(list(&store, club, &ListQuery::default()).unwrap().len(), 0);
        let err = leave(&mut store, &actor, m.id, d("2025-01-01"), LeaveReason::Moved).unwrap_err();
        assert_eq!(err, CoreError::MemberHasLeft { id: m.id, left_on: "2024-06-01".into() });
    }

    #[test]
    fn flags_and_roles_are_date_ranges() {
        let (mut store, actor, club) = setup();
        let m = add(&mut store, &actor, club, &MemberInput::new("Lò Văn Páo", Sex::M, 1960, d("2020-01-01")), false).unwrap();
        set_flag(&mut store, &actor, m.id, Flag::Poor, true, d("2022-01-01"), Some("NĐ 07/2021")).unwrap();
        let m = set_flag(&mut store, &actor, m.id, Flag::Poor, false, d("2025-01-01"), None).unwrap();
        assert!(!m.has_flag_on(Flag::Poor, d("2021-12-31")));
        assert!(m.has_flag_on(Flag::Poor, d("2024-12-31")));
        assert!(!m.has_flag_on(Flag::Poor, d("2025-01-01")));
        let m = set_role(&mut store, &actor, m.id, Role::Chair, true, d("2023-01-01")).unwrap();
        assert!(m.has_role_on(Role::Chair, d("2026-01-01")));
        let err = set_role(&mut store, &actor, m.id, Role::Chair, false, d("2022-01-01")).unwrap_err();
        assert!(matches!(err, CoreError::Invalid { field: Field::MemberRole, .. }));
    }

    #[test]
    fn age_uses_birth_date_when_known() {
        let (mut store, actor, club) = setup();
        let mut input = MemberInput::new("Đỗ Văn Tâm", Sex::M, 1966, d("2020-01-01"));
        input.birth_date = Some(d("1966-12-01"));
        let m = add(&mut store, &actor, club, &input, false).unwrap();
        assert_eq!(m.age_on(d("2026-11-30")), 59);
        assert_eq!(m.age_on(d("2026-12-01")), 60);
        let m2 = add(&mut store, &actor, club, &MemberInput::new("Đỗ Văn Hùng", Sex::M, 1966, d("2020-01-01")), false).unwrap();
        assert_eq!(m2.age_on(d("2026-01-01")), 60);
    }

    #[test]
    fn list_sorts_the_vietnamese_way() {
        let (mut store, actor, club) = setup();
        for name in ["Trần Văn Bình", "Nguyễn Thị Ân", "Lê Thị An", "Phạm Văn Đức", "Hoàng Văn Dũng"] {
            add(&mut store, &actor, club, &MemberInput::new(name, Sex::M, 1970, d("2020-01-01")), false).unwrap();
        }
        let names: Vec<String> = list(&store, club, &ListQuery::default()).unwrap().into_iter().map(|r| r.full_name).collect();
        assert_eq!(names, vec!["Lê Thị An", "Nguyễn Thị Ân", "Trần Văn Bình", "Hoàng Văn Dũng", "Phạm Văn Đức"]);
    }
}
