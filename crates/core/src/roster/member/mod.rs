//! The roster. Members are never deleted: leaving sets a date and a reason, and flags and roles are
//! date ranges, so every figure can be asked "as of a date".
//!
//! What a member is (`Member`, its flags, roles and the forms that add, change and list them) is
//! here; `read` loads and lists (and owns the member rule `on_day`), `write` adds and changes. Every
//! function that takes a member's id also takes the club it belongs to, and refuses
//! (`member.not_found`) a member of another club.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::coded_enum;
use crate::text;

mod read;
pub(crate) mod write;

pub use read::{get, list, load_club};
pub(crate) use read::{count_on, load_club_conn, on_day};
pub use write::{add, edit, leave, set_flag, set_role};
pub(crate) use write::{add_in, leave_in, set_flag_in, set_role_in};
#[cfg(test)]
pub(crate) use write::DUPLICATE_SQL;

coded_enum! {
    #[derive(schemars::JsonSchema)]
    pub enum Sex {
        F = "F",
        M = "M",
    }
}

coded_enum! {
    /// Disadvantage recorded over time. Ethnic minority is not a flag: it follows from ethnicity.
    pub enum Flag {
        Poor = "poor",
        NearPoor = "near_poor",
        Disability = "disability",
        LivingAlone = "living_alone",
    }
}

impl Flag {
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

coded_enum! {
    pub enum Role {
        Chair = "chair",
        ViceChair = "vice_chair",
        Treasurer = "treasurer",
        Secretary = "secretary",
        GroupLeader = "group_leader",
        Volunteer = "volunteer",
        CareRecipient = "care_recipient",
    }
}

impl Role {
    pub fn is_board(self) -> bool {
        matches!(self, Role::Chair | Role::ViceChair | Role::Treasurer | Role::Secretary)
    }
}

coded_enum! {
    pub enum LeaveReason {
        Moved = "moved",
        Died = "died",
        Withdrew = "withdrew",
        Other = "other",
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
    /// Any people but the Kinh, however it was typed ("Kinh", "kinh ", "KINH"). Most members are
    /// written "Kinh", which needs no folding (the composition asks this of every member).
    pub fn is_ethnic_minority(&self) -> bool {
        self.ethnicity != "Kinh" && text::fold(&self.ethnicity) != "kinh"
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

#[cfg(test)]
mod tests;
