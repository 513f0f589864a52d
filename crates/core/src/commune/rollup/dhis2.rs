//! The roll-up as DHIS2 `dataValueSets` JSON, the aggregate format national information systems
//! import: `{dataSet, period, orgUnit, dataValues: [{dataElement, categoryOptionCombo?, value}]}`,
//! values as strings, periods in DHIS2's ISO forms (`2026`, `2026Q4`, `202611`).
//!
//! Which figure goes to which data element is the province's choice, written in a mapping file
//! shaped like `assets/dhis2/mapping.json` (the default, with placeholder codes to replace). The file
//! is read strictly: unknown fields and unknown figure names are refused, and so are a figure mapped
//! twice or two figures sent to the same data element and category option combo (DHIS2 would keep
//! one and drop the other). Only counts and sums are sent: a ratio is an indicator DHIS2 computes
//! from two of them, so no rounded per cent leaves the commune. A figure that is not measurable
//! (board training outside a yearly report) is left out, never sent as 0.

use serde::{Deserialize, Serialize};

use super::types::{Rollup, Totals};
use crate::codes::coded_enum;
use crate::error::{CoreError, Result};
use crate::reporting::{Period, PeriodKind};

pub const MAPPING_FORMAT: &str = "ishc-dhis2-mapping";
pub const DEFAULT_MAPPING: &str = include_str!("../../../../../assets/dhis2/mapping.json");
/// A mapping file is read up to this size; the default is about 4 KiB.
pub const MAX_MAPPING_FILE: u64 = 256 * 1024;

coded_enum! {
    /// A roll-up figure a mapping can send: each names a count or a sum of `totals`.
    pub enum Figure {
        Clubs = "clubs",
        Members = "members",
        Women = "women",
        Men = "men",
        Older = "older",
        Younger = "younger",
        OlderWomen = "older_women",
        OlderMen = "older_men",
        YoungerWomen = "younger_women",
        YoungerMen = "younger_men",
        Disadvantaged = "disadvantaged",
        Poor = "poor",
        NearPoor = "near_poor",
        Disability = "disability",
        LivingAlone = "living_alone",
        EthnicMinority = "ethnic_minority",
        Volunteers = "volunteers",
        ClubsWithinTargets = "clubs_within_targets",
        ClubsAssessedStandard = "clubs_assessed_standard",
        ClubsMeetingStandard = "clubs_meeting_standard",
        ClubsMeetingMonthly = "clubs_meeting_monthly",
        ClubsAllAreasMonthly = "clubs_all_areas_monthly",
        ClubsWithThemes = "clubs_with_themes",
        MeetingsHeld = "meetings_held",
        LoanMembers = "loan_members",
        MembersEverBorrowed = "members_ever_borrowed",
        LoansActive = "loans_active",
        LoansDisbursedCount = "loans_disbursed_count",
        LoansDisbursed = "loans_disbursed",
        LoansOutstanding = "loans_outstanding",
        Par30 = "par30",
        Par90 = "par90",
        IncomeFundTotal = "income_fund_total",
        ActivityFundTotal = "activity_fund_total",
        FundsTotal = "funds_total",
        CareRecipients = "care_recipients",
        CareRecipientsVisited = "care_recipients_visited",
        MembersVisited = "members_visited",
        BoardMembers = "board_members",
        BoardTrained = "board_trained",
        HamletsWithClub = "hamlets_with_club",
    }
}

impl Figure {
    /// The figure's value, or None when it is not measurable for this roll-up.
    pub fn value(self, t: &Totals) -> Option<i64> {
        let m = &t.members;
        let fund = |code: &str| t.funds.iter().find(|f| f.fund == code).map(|f| f.closing.total).unwrap_or(0);
        Some(match self {
            Figure::Clubs => t.clubs as i64,
            Figure::Members => m.members as i64,
            Figure::Women => m.women as i64,
            Figure::Men => m.men as i64,
            Figure::Older => m.older as i64,
            Figure::Younger => m.younger as i64,
            Figure::OlderWomen => t.sex_age.older_women as i64,
            Figure::OlderMen => t.sex_age.older_men as i64,
            Figure::YoungerWomen => t.sex_age.younger_women as i64,
            Figure::YoungerMen => t.sex_age.younger_men as i64,
            Figure::Disadvantaged => m.disadvantaged as i64,
            Figure::Poor => m.poor as i64,
            Figure::NearPoor => m.near_poor as i64,
            Figure::Disability => m.disability as i64,
            Figure::LivingAlone => m.living_alone as i64,
            Figure::EthnicMinority => m.ethnic_minority as i64,
            Figure::Volunteers => t.volunteers as i64,
            Figure::ClubsWithinTargets => t.clubs_within_targets as i64,
            Figure::ClubsAssessedStandard => t.clubs_assessed_standard as i64,
            Figure::ClubsMeetingStandard => t.clubs_meeting_standard as i64,
            Figure::ClubsMeetingMonthly => t.clubs_meeting_monthly as i64,
            Figure::ClubsAllAreasMonthly => t.clubs_all_areas_monthly as i64,
            Figure::ClubsWithThemes => t.clubs_with_themes as i64,
            Figure::MeetingsHeld => t.meetings_held as i64,
            Figure::LoanMembers => t.loan_members as i64,
            Figure::MembersEverBorrowed => t.members_ever_borrowed as i64,
            Figure::LoansActive => t.loans_active as i64,
            Figure::LoansDisbursedCount => t.loans_disbursed_count as i64,
            Figure::LoansDisbursed => t.loans_disbursed,
            Figure::LoansOutstanding => t.loans_outstanding,
            Figure::Par30 => t.par30,
            Figure::Par90 => t.par90,
            Figure::IncomeFundTotal => fund("income"),
            Figure::ActivityFundTotal => fund("activity"),
            Figure::FundsTotal => t.funds_total,
            Figure::CareRecipients => t.care_recipients as i64,
            Figure::CareRecipientsVisited => t.care_recipients_visited as i64,
            Figure::MembersVisited => t.members_visited as i64,
            Figure::BoardMembers => t.board?.whole,
            Figure::BoardTrained => t.board?.part,
            Figure::HamletsWithClub => t.hamlets_with_club as i64,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    format: String,
    version: u32,
    data_set: String,
    mappings: Vec<MappingLine>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingLine {
    figure: String,
    data_element: String,
    #[serde(default)]
    category_option_combo: Option<String>,
}

/// One figure's destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub figure: Figure,
    pub data_element: String,
    pub category_option_combo: Option<String>,
}

/// A parsed, checked mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingSet {
    pub data_set: String,
    pub mappings: Vec<Mapping>,
}

/// A DHIS2 identifier as a mapping may use it: a UID (`f7n9E0hX8qk`) or a code (`ISHC_CLUBS`), 1–64
/// letters, digits, `_`, `-` or `.`.
fn check_id(s: &str, what: &str) -> Result<()> {
    let ok = !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(CoreError::RollupBadMapping { detail: format!("{what}: {s:?}") })
    }
}

/// Read a mapping file strictly (see the module's comment).
pub fn parse_mapping(bytes: &[u8]) -> Result<MappingSet> {
    let f: MappingFile = serde_json::from_slice(bytes).map_err(|e| CoreError::RollupBadMapping { detail: e.to_string() })?;
    if f.format != MAPPING_FORMAT || f.version != 1 {
        return Err(CoreError::RollupBadMapping { detail: format!("format {} version {}", f.format, f.version) });
    }
    check_id(&f.data_set, "data_set")?;
    let mut out: Vec<Mapping> = Vec::new();
    for l in f.mappings {
        let figure = Figure::from_code(&l.figure).ok_or_else(|| CoreError::RollupUnknownFigure { figure: l.figure.clone() })?;
        check_id(&l.data_element, "data_element")?;
        if let Some(c) = &l.category_option_combo {
            check_id(c, "category_option_combo")?;
        }
        if out.iter().any(|m| m.figure == figure) {
            return Err(CoreError::RollupDuplicateMapping { what: l.figure });
        }
        if out.iter().any(|m| m.data_element == l.data_element && m.category_option_combo == l.category_option_combo) {
            let what = match &l.category_option_combo {
                Some(c) => format!("{}/{c}", l.data_element),
                None => l.data_element.clone(),
            };
            return Err(CoreError::RollupDuplicateMapping { what });
        }
        out.push(Mapping { figure, data_element: l.data_element, category_option_combo: l.category_option_combo });
    }
    Ok(MappingSet { data_set: f.data_set, mappings: out })
}

/// DHIS2's period identifier: `2026`, `2026Q4`, `202611`.
pub fn period_id(p: &Period) -> String {
    use chrono::Datelike;
    match p.kind {
        PeriodKind::Year => format!("{:04}", p.year),
        PeriodKind::Quarter => format!("{:04}Q{}", p.year, p.from.month().div_ceil(3)),
        PeriodKind::Month => format!("{:04}{:02}", p.year, p.from.month()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataValue {
    pub data_element: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub category_option_combo: Option<String>,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataValueSet {
    pub data_set: String,
    pub period: String,
    pub org_unit: String,
    pub data_values: Vec<DataValue>,
}

/// The roll-up as one data value set for the commune's organisation unit (its DHIS2 UID or code).
pub fn data_value_set(r: &Rollup, mapping: &MappingSet, org_unit: &str) -> Result<DataValueSet> {
    check_id(org_unit, "org_unit")?;
    Ok(DataValueSet {
        data_set: mapping.data_set.clone(),
        period: period_id(&r.period),
        org_unit: org_unit.to_string(),
        data_values: mapping
            .mappings
            .iter()
            .filter_map(|m| {
                m.figure.value(&r.totals).map(|v| DataValue {
                    data_element: m.data_element.clone(),
                    category_option_combo: m.category_option_combo.clone(),
                    value: v.to_string(),
                })
            })
            .collect(),
    })
}

/// The data value set as JSON bytes: pretty, ending in a newline.
pub fn render(r: &Rollup, mapping: &MappingSet, org_unit: &str) -> Result<Vec<u8>> {
    let set = data_value_set(r, mapping, org_unit)?;
    let mut out = serde_json::to_vec_pretty(&set).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
    out.push(b'\n');
    Ok(out)
}
