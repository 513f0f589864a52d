//! The roll-up's types: they ARE the published format (`docs/schema/rollup-v1.schema.json` is
//! generated from them). Counts, not names: a club appears by its name and hamlet, a person never.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::plan::PlanJudgement;
use super::ClubInput;
use crate::reporting::{AreaLine, CodeCount, Period, Position};
use crate::roster::composition::{Counts, TargetStatus};

/// A share as the two integer sums it is made of. `pct` is `part / whole` in per cent, rounded half
/// up to one decimal from the integers (`(part × 2000 + whole) div (2 × whole)` tenths); null when
/// `whole` is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ratio {
    pub part: i64,
    pub whole: i64,
    pub pct: Option<f64>,
}

impl Ratio {
    pub fn of(part: i64, whole: i64) -> Ratio {
        Ratio { part, whole, pct: tenths(part, whole).map(|t| t as f64 / 10.0) }
    }
}

/// `part / whole` in tenths of a per cent, rounded half up (half away from zero for a negative
/// part), computed in i128 so that no sum of đồng can overflow it.
pub fn tenths(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let (p, w) = (part as i128 * 1000, whole as i128);
    let (p, w) = if w < 0 { (-p, -w) } else { (p, w) };
    let q = if p >= 0 { (2 * p + w) / (2 * w) } else { -((-2 * p + w) / (2 * w)) };
    i64::try_from(q).ok()
}

/// Members on the last day by sex and age group (each club's own threshold of "older").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SexAge {
    pub older_women: u32,
    pub older_men: u32,
    pub younger_women: u32,
    pub younger_men: u32,
}

/// One fund summed over the clubs that keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FundTotal {
    /// `income` or `activity`.
    pub fund: String,
    pub clubs: u32,
    pub opening_total: i64,
    pub receipts_total: i64,
    pub payments_total: i64,
    pub closing: Position,
}

/// The commune's totals: each a sum of the clubs' `report.json` figures named in its comment, or a
/// ratio of two such sums.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Totals {
    pub clubs: u32,
    /// Sum of `members.end`.
    pub members: Counts,
    pub sex_age: SexAge,
    /// The ages from which the clubs count a member as older (`members.older_age`): more than one
    /// value means the clubs' "older" are not counted alike.
    pub older_ages: Vec<u32>,
    pub share_older: Ratio,
    pub share_women: Ratio,
    pub share_older_women: Ratio,
    /// Clubs with `members.all_within`: inside their own composition targets.
    pub clubs_within_targets: u32,
    /// Clubs whose report carries the standard self-assessment (yearly reports), and those of them
    /// meeting every criterion judged (`standard.met == standard.judged > 0`).
    pub clubs_assessed_standard: u32,
    pub clubs_meeting_standard: u32,
    /// Clubs with a regular meeting in every month of the period (`meetings.months_with_meeting ==
    /// meetings.months > 0`).
    pub clubs_meeting_monthly: u32,
    /// Clubs meeting monthly whose meetings covered all eight areas (`meetings.areas_covered == 8`).
    pub clubs_all_areas_monthly: u32,
    /// Clubs with a meeting on a 2025–2035 theme (`meetings.themes`: digital, green, start-up).
    pub clubs_with_themes: u32,
    pub meetings_held: u32,
    /// Sum of `loans.at_end.members` and `loans.at_end.members_ever_borrowed`.
    pub loan_members: u32,
    pub members_ever_borrowed: u32,
    pub share_borrowed: Ratio,
    pub loans_active: u32,
    pub loans_disbursed_count: u32,
    pub loans_disbursed: i64,
    pub loans_outstanding: i64,
    pub par30: i64,
    pub par90: i64,
    /// PAR30: `par30 / loans_outstanding`.
    pub par30_ratio: Ratio,
    /// Both funds, the income fund first.
    pub funds: Vec<FundTotal>,
    /// Sum of the funds' closing totals.
    pub funds_total: i64,
    /// Sum of `members.end.volunteers`.
    pub volunteers: u32,
    /// Sum of `activities.care_recipients` (members cared for at home on the last day), of those
    /// visited in the period, and of the different members visited at home.
    pub care_recipients: u32,
    pub care_recipients_visited: u32,
    pub members_visited: u32,
    /// Board members trained in the year over board members (`standard` criterion `board.trained`):
    /// null unless every club's report carries it (yearly reports).
    pub board: Option<Ratio>,
    /// Different hamlets among the clubs' registered hamlets.
    pub hamlets_with_club: u32,
}

/// One fund of one club at the end of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClubFund {
    pub fund: String,
    pub closing: Position,
}

/// One club side by side with the others: its figures copied from its `report.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClubRow {
    pub name: String,
    pub hamlet: String,
    pub as_of: NaiveDate,
    pub preset_id: String,
    pub older_age: u32,
    pub members: Counts,
    pub targets: Vec<TargetStatus>,
    pub all_within: bool,
    pub meetings_held: u32,
    pub months: u32,
    pub months_with_meeting: u32,
    pub areas: Vec<AreaLine>,
    pub areas_covered: u32,
    pub themes: Vec<CodeCount>,
    pub funds: Vec<ClubFund>,
    pub loans_outstanding: i64,
    pub par30: i64,
    pub par30_pct: f64,
    pub loan_members: u32,
    pub members_ever_borrowed: u32,
    pub care_recipients: u32,
    /// The standard self-assessment: criteria met of those judged (yearly reports only).
    pub standard_met: Option<u32>,
    pub standard_judged: Option<u32>,
}

impl ClubRow {
    pub fn of(c: &ClubInput) -> ClubRow {
        let r = &c.report;
        ClubRow {
            name: c.name.clone(),
            hamlet: c.hamlet.clone(),
            as_of: r.as_of,
            preset_id: r.members.preset_id.clone(),
            older_age: r.members.older_age,
            members: r.members.end.clone(),
            targets: r.members.targets.clone(),
            all_within: r.members.all_within,
            meetings_held: r.meetings.held,
            months: r.meetings.months,
            months_with_meeting: r.meetings.months_with_meeting,
            areas: r.meetings.areas.clone(),
            areas_covered: r.meetings.areas_covered,
            themes: r.meetings.themes.clone(),
            funds: r.funds.iter().map(|f| ClubFund { fund: f.fund.clone(), closing: f.closing.clone() }).collect(),
            loans_outstanding: r.loans.at_end.outstanding,
            par30: r.loans.at_end.par30,
            par30_pct: r.loans.at_end.par30_pct,
            loan_members: r.loans.at_end.members,
            members_ever_borrowed: r.loans.at_end.members_ever_borrowed,
            care_recipients: r.activities.care_recipients,
            standard_met: r.standard.as_ref().map(|s| s.met),
            standard_judged: r.standard.as_ref().map(|s| s.judged),
        }
    }
}

/// One commune (or district) side by side with the others in a district's (or province's) roll-up:
/// its name and the totals of its own signed roll-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartRow {
    /// The name the receiving level registered it under.
    pub name: String,
    /// `commune` or `district`.
    pub level: String,
    pub totals: Totals,
}

/// A commune's roll-up of its clubs' reports for one period (or a district's of its communes'
/// roll-ups, or a province's of its districts'), as `report.json` (format `ishc-rollup`, version 1).
/// Money is whole đồng; per cents have one decimal, rounded half up from the integer sums they are
/// the ratio of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rollup {
    /// Always `ishc-rollup`.
    pub format: String,
    pub format_version: u32,
    /// Who rolled up: `commune` (from its clubs' reports), `district` (from its communes' roll-ups)
    /// or `province` (from its districts'). Absent in roll-ups made before levels: `commune`.
    #[serde(default = "commune_level")]
    pub level: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub period: Period,
    pub generated_on: NaiveDate,
    pub app_version: String,
    /// The commune's count of hamlets, when given.
    pub hamlets: Option<u32>,
    pub totals: Totals,
    /// The totals against the plan's targets.
    pub plan: PlanJudgement,
    /// Every club side by side, in the order given (a commune's roll-up; empty one level up).
    pub clubs: Vec<ClubRow>,
    /// Every commune (or district) side by side, with its totals (one level up; empty for a commune).
    #[serde(default)]
    pub parts: Vec<PartRow>,
}

fn commune_level() -> String {
    "commune".into()
}
