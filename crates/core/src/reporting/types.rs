//! The report's types: they ARE the published format (`docs/schema/report-v1.schema.json` is
//! generated from them). Counts, not names: the people behind a figure appear only as a count unless
//! `ReportOptions::with_members`.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Period;
use crate::life::standard::{self, Standard};
use crate::loans::Portfolio;
use crate::roster::composition::{Counts, TargetStatus};

/// What goes into a report beyond the counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportOptions {
    /// Add the member list (names, sex, birth year, dates). Only where the commune asks for it; the
    /// report says so on its first page.
    #[serde(default)]
    pub with_members: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct BoardLine {
    /// `chair`, `vice_chair`, `treasurer`, `secretary`.
    pub role: String,
    pub holders: u32,
    /// Only in a report made with the member list.
    pub names: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ClubPart {
    pub name: String,
    pub hamlet: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub founded_on: NaiveDate,
    pub board: Vec<BoardLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CodeCount {
    pub code: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MembersPart {
    pub preset_id: String,
    pub preset_name_vi: String,
    pub preset_name_en: String,
    pub older_age: u32,
    /// Members on the day before the period began.
    pub start: Counts,
    pub joined: u32,
    pub joined_women: u32,
    pub left: u32,
    /// `moved`, `died`, `withdrew`, `other`.
    pub left_by_reason: Vec<CodeCount>,
    /// Members on `as_of`: start + joined − left.
    pub end: Counts,
    /// The end counts against the target preset.
    pub targets: Vec<TargetStatus>,
    pub all_within: bool,
    /// Members on `as_of` whose consent to the club holding their data is recorded.
    pub consent_recorded: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct AreaLine {
    /// `a1` … `a8`.
    pub area: String,
    /// Regular and other meetings that covered it.
    pub meetings: u32,
    /// Activities recorded under it.
    pub activities: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MeetingsPart {
    pub held: u32,
    /// `monthly`, `board`, `extraordinary`, `annual`.
    pub by_kind: Vec<CodeCount>,
    /// Months of the period (up to `as_of`) and those with a regular (monthly or annual) meeting.
    pub months: u32,
    pub months_with_meeting: u32,
    /// Average members present at a regular meeting, one decimal.
    pub average_present: f64,
    pub areas: Vec<AreaLine>,
    /// Of the eight areas, how many a meeting covered.
    pub areas_covered: u32,
    /// `digital`, `green`, `startup`: meetings that took up the theme.
    pub themes: Vec<CodeCount>,
    pub decisions: u32,
    pub loan_approvals: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ActivityLine {
    /// `home_visit`, `health_check`, `support`, `rights`, `training`, `event`.
    pub kind: String,
    pub count: u32,
    /// People who took part or were reached, as recorded.
    pub people: u32,
    /// Money or goods given or raised, đồng.
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ActivitiesPart {
    pub by_kind: Vec<ActivityLine>,
    /// Different members visited at home.
    pub members_visited: u32,
    /// Members cared for on `as_of`, and how many of them were visited in the period.
    pub care_recipients: u32,
    pub care_recipients_visited: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Position {
    pub cash: i64,
    pub bank: i64,
    /// Principal lent out and not yet repaid.
    pub loans: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CodeAmount {
    pub code: String,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CountLine {
    pub date: NaiveDate,
    /// `cash` or `bank`.
    pub account: String,
    pub book: i64,
    pub counted: i64,
    /// counted − book.
    pub difference: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct FundPart {
    /// `income` (the income-generation fund that lends) or `activity`.
    pub fund: String,
    /// At the end of the day before the period.
    pub opening: Position,
    /// By source: `dues`, `community`, `interest`, `penalty`, …
    pub receipts: Vec<CodeAmount>,
    pub receipts_total: i64,
    /// By area `a1`…`a8`, `admin`, and `write_off`, `count_shortage`.
    pub payments: Vec<CodeAmount>,
    pub payments_total: i64,
    /// Net moved in from the other fund (negative: out).
    pub transfers_in: i64,
    /// New opening capital put in.
    pub capital_added: i64,
    /// opening.total + receipts − payments + transfers_in + capital_added.
    pub closing: Position,
    /// The last cash count (or bank check) in the period.
    pub last_count: Option<CountLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct LoansPart {
    pub disbursed_count: u32,
    pub disbursed_amount: i64,
    pub repaid_principal: i64,
    pub interest_received: i64,
    pub penalty_received: i64,
    pub written_off: i64,
    /// The portfolio on `as_of` (outstanding, PAR30, PAR90, share of members who have borrowed).
    pub at_end: Portfolio,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MemberLine {
    pub full_name: String,
    /// `F` or `M`.
    pub sex: String,
    pub birth_year: i32,
    pub hamlet: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

/// One period's report of an Intergenerational Self-Help Club, as `report.json` (format `ishc-report`,
/// version 1). Money is in whole đồng; dates are ISO `YYYY-MM-DD` in the club's calendar; per cents
/// have one decimal. Counts, not names: `member_list` and board `names` are null unless the club chose
/// to include them, and `includes_personal_data` then says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Report {
    /// Always `ishc-report`.
    pub format: String,
    pub format_version: u32,
    pub period: Period,
    /// Figures are as of this day: the period's last day, or the day the report was made while the
    /// period still runs.
    pub as_of: NaiveDate,
    pub generated_on: NaiveDate,
    pub app_version: String,
    /// True only when the member list was asked for; the first page then says so.
    pub includes_personal_data: bool,
    pub club: ClubPart,
    pub members: MembersPart,
    pub meetings: MeetingsPart,
    pub activities: ActivitiesPart,
    pub funds: Vec<FundPart>,
    pub loans: LoansPart,
    /// The standard self-assessment: in a yearly report only.
    pub standard: Option<StandardPart>,
    pub member_list: Option<Vec<MemberLine>>,
}

/// One criterion of the standard as the report carries it: the figures and the codes behind them;
/// the people behind them only as a number, and by name only with the member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CriterionPart {
    pub id: String,
    pub unit: standard::Unit,
    pub value: i64,
    pub of: Option<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub met: Option<bool>,
    /// Codes only: months (`YYYY-MM`), areas (`a5`), fund checks (`income.not_lent`).
    pub list: Vec<String>,
    /// How many people are behind the figure (care recipients not visited, board members not trained).
    pub people_count: u32,
    /// Their names: null unless the member list was asked for.
    pub people: Option<Vec<String>>,
}

/// The standard self-assessment as the report carries it (see `CriterionPart`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StandardPart {
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub preset_id: String,
    pub criteria: Vec<CriterionPart>,
    pub met: u32,
    pub judged: u32,
}

impl StandardPart {
    /// The report's view of `standard::assess`: the same figures, names only `with_members`.
    pub fn of(st: &Standard, with_members: bool) -> StandardPart {
        StandardPart {
            year: st.year,
            from: st.from,
            to: st.to,
            preset_id: st.preset_id.clone(),
            criteria: st
                .criteria
                .iter()
                .map(|c| CriterionPart {
                    id: c.id.clone(),
                    unit: c.unit,
                    value: c.value,
                    of: c.of,
                    min: c.min,
                    max: c.max,
                    met: c.met,
                    list: c.list.clone(),
                    people_count: c.people.len() as u32,
                    people: with_members.then(|| c.people.clone()),
                })
                .collect(),
            met: st.met,
            judged: st.judged,
        }
    }
}
