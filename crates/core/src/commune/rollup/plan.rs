//! The plan a commune is judged against: targets are data, not code, like the club composition
//! presets (`roster::preset`). A `PlanPreset` is a JSON file shaped like the built-in
//! `assets/plans/ha-tinh-2030.json`; a commune edits a copy and hands it over (`parse` reads it
//! strictly). Each target is judged as the club composition page judges a ratio
//! (`composition::Status`, with what is missing), or marked not measurable with a reason code when
//! the clubs' reports do not carry the figure: it is never invented.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::types::{Ratio, Totals};
use crate::codes::coded_enum;
use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::composition::{to_get_under_ceiling, to_reach_floor, Status};

coded_enum! {
    /// What a plan target measures across the commune's clubs; its words are `rollup.measure.<code>`.
    #[derive(JsonSchema)]
    pub enum PlanMeasure {
        /// Clubs meeting every month whose meetings covered all eight areas, of the clubs.
        AllAreasMonthly = "all_areas_monthly",
        /// Clubs with a meeting on a 2025–2035 theme, of the clubs.
        Themes = "themes",
        /// Board members trained in the year, of the board members (yearly reports).
        BoardTrained = "board_trained",
        /// Members in need supported with a loan or an income activity: not in the club reports.
        InNeedSupported = "in_need_supported",
        /// Older women, of the members.
        OlderWomen = "older_women",
        /// Women, of the members.
        Women = "women",
        /// Older members, of the members.
        Older = "older",
        /// Members who have ever borrowed, of the members.
        Borrowed = "borrowed",
        /// Hamlets with a club, of the commune's hamlets.
        HamletsWithClub = "hamlets_with_club",
        /// Clubs meeting every month, of the clubs.
        MeetingMonthly = "meeting_monthly",
        /// Clubs inside their composition targets, of the clubs.
        WithinTargets = "within_targets",
        /// Clubs meeting the standard, of the clubs assessed (yearly reports).
        MeetingStandard = "meeting_standard",
        /// Principal of loans more than 30 days late, of the principal outstanding (đồng).
        Par30 = "par30",
    }
}

coded_enum! {
    /// Why a target cannot be judged from the clubs' reports; words `rollup.not_measurable.<code>`.
    #[derive(JsonSchema)]
    pub enum NotMeasurable {
        /// The club report does not carry the figure.
        NotInReports = "not_in_reports",
        /// The figure is in yearly reports only (the standard self-assessment).
        YearlyOnly = "yearly_only",
        /// The commune's count of hamlets was not given.
        HamletsUnknown = "hamlets_unknown",
    }
}

coded_enum! {
    /// What `short_by` and `over_by` count; words `rollup.unit.<code>`.
    #[derive(JsonSchema)]
    pub enum PlanUnit {
        Clubs = "clubs",
        Members = "members",
        BoardMembers = "board_members",
        Hamlets = "hamlets",
        Dong = "dong",
    }
}

impl PlanMeasure {
    pub fn unit(self) -> PlanUnit {
        match self {
            PlanMeasure::AllAreasMonthly | PlanMeasure::Themes | PlanMeasure::MeetingMonthly | PlanMeasure::WithinTargets | PlanMeasure::MeetingStandard => PlanUnit::Clubs,
            PlanMeasure::BoardTrained => PlanUnit::BoardMembers,
            PlanMeasure::InNeedSupported | PlanMeasure::OlderWomen | PlanMeasure::Women | PlanMeasure::Older | PlanMeasure::Borrowed => PlanUnit::Members,
            PlanMeasure::HamletsWithClub => PlanUnit::Hamlets,
            PlanMeasure::Par30 => PlanUnit::Dong,
        }
    }

    /// Does reaching the target add new members (so the whole grows), as a composition target does?
    /// Otherwise the whole is fixed and `part` itself must change.
    fn grows_whole(self) -> bool {
        matches!(self, PlanMeasure::OlderWomen | PlanMeasure::Women | PlanMeasure::Older)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanTarget {
    pub measure: PlanMeasure,
    pub min_pct: u32,
    pub max_pct: u32,
}

/// A plan's targets for a commune's clubs, e.g. Hà Tĩnh's to 2030.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanPreset {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub source: String,
    pub targets: Vec<PlanTarget>,
    #[serde(default)]
    pub builtin: bool,
}

const BUILTIN: &[&str] = &[include_str!("../../../../../assets/plans/ha-tinh-2030.json")];

pub const DEFAULT_PLAN: &str = "ha-tinh-2030";
/// A plan file is read up to this size; the built-in one is about 1 KiB.
pub const MAX_PLAN_FILE: u64 = 64 * 1024;

/// The built-in plans. Each is checked by `validate` in a test, so the parse cannot fail.
pub fn builtin() -> Vec<PlanPreset> {
    BUILTIN
        .iter()
        .filter_map(|s| serde_json::from_str::<PlanPreset>(s).ok())
        .map(|mut p| {
            p.builtin = true;
            p
        })
        .collect()
}

pub fn find_builtin(id: &str) -> Result<PlanPreset> {
    builtin().into_iter().find(|p| p.id == id).ok_or_else(|| CoreError::PresetUnknown { name: id.to_string() })
}

/// Check a plan: an id of lowercase letters, digits and `-`; a Vietnamese name; bands inside
/// 0–100 with min ≤ max; each measure at most once (two targets for one figure could disagree).
pub fn validate(p: &PlanPreset) -> Result<()> {
    let bad = |rule| Err(CoreError::invalid(Field::Preset, rule));
    let id_ok = !p.id.is_empty() && p.id.len() <= 40 && p.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return bad(Rule::Characters { example: "ha-tinh-2030".into() });
    }
    if p.name_vi.trim().is_empty() {
        return bad(Rule::Required);
    }
    for t in &p.targets {
        if t.min_pct > t.max_pct || t.max_pct > 100 {
            return bad(Rule::Range { min: 0, max: 100 });
        }
    }
    for (i, t) in p.targets.iter().enumerate() {
        if p.targets[..i].iter().any(|u| u.measure == t.measure) {
            return Err(CoreError::RollupDuplicateTarget { measure: t.measure.code().into() });
        }
    }
    Ok(())
}

/// A commune's own plan file, read strictly: unknown fields or measures are refused, not ignored.
pub fn parse(bytes: &[u8]) -> Result<PlanPreset> {
    let mut p: PlanPreset = serde_json::from_slice(bytes).map_err(|e| CoreError::RollupBadPlan { detail: e.to_string() })?;
    p.builtin = false;
    validate(&p)?;
    Ok(p)
}

/// One target judged: the figure, the band, and "within" or what is missing; or why it cannot be
/// judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanLine {
    pub measure: PlanMeasure,
    pub unit: PlanUnit,
    pub figure: Option<Ratio>,
    pub min_pct: u32,
    pub max_pct: u32,
    /// Null when not measurable.
    pub status: Option<Status>,
    /// Below the floor: this many more `unit` would reach it. For members' shares, that many new
    /// members of the kind; otherwise that many more of the same whole (clubs, board members,
    /// hamlets). Null where no number helps (no clubs, or a floor of 100 % that new members cannot
    /// reach).
    pub short_by: Option<i64>,
    /// Above the ceiling: for members' shares, this many new members not of the kind; otherwise
    /// this many fewer `unit` (đồng of PAR30).
    pub over_by: Option<i64>,
    pub not_measurable: Option<NotMeasurable>,
}

/// The plan with its lines, as the roll-up carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanJudgement {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub lines: Vec<PlanLine>,
    /// Lines within their band, and lines that could be judged.
    pub met: u32,
    pub judged: u32,
}

fn figure(m: PlanMeasure, t: &Totals, hamlets: Option<u32>) -> std::result::Result<Ratio, NotMeasurable> {
    let clubs = t.clubs as i64;
    Ok(match m {
        PlanMeasure::AllAreasMonthly => Ratio::of(t.clubs_all_areas_monthly as i64, clubs),
        PlanMeasure::Themes => Ratio::of(t.clubs_with_themes as i64, clubs),
        PlanMeasure::BoardTrained => t.board.ok_or(NotMeasurable::YearlyOnly)?,
        PlanMeasure::InNeedSupported => return Err(NotMeasurable::NotInReports),
        PlanMeasure::OlderWomen => t.share_older_women,
        PlanMeasure::Women => t.share_women,
        PlanMeasure::Older => t.share_older,
        PlanMeasure::Borrowed => t.share_borrowed,
        PlanMeasure::HamletsWithClub => Ratio::of(t.hamlets_with_club as i64, hamlets.ok_or(NotMeasurable::HamletsUnknown)? as i64),
        PlanMeasure::MeetingMonthly => Ratio::of(t.clubs_meeting_monthly as i64, clubs),
        PlanMeasure::WithinTargets => Ratio::of(t.clubs_within_targets as i64, clubs),
        PlanMeasure::MeetingStandard => {
            if t.clubs_assessed_standard < t.clubs || t.clubs == 0 {
                return Err(NotMeasurable::YearlyOnly);
            }
            Ratio::of(t.clubs_meeting_standard as i64, t.clubs_assessed_standard as i64)
        }
        PlanMeasure::Par30 => t.par30_ratio,
    })
}

/// Smallest x ≥ 0 with (part + x) × 100 ≥ lo × whole, the whole fixed.
fn fixed_floor(part: i64, whole: i64, lo: u32) -> i64 {
    let need = (lo as i128 * whole as i128 - 100 * part as i128).max(0);
    i64::try_from((need + 99) / 100).unwrap_or(i64::MAX)
}

/// Smallest x ≥ 0 with (part − x) × 100 ≤ hi × whole, the whole fixed.
fn fixed_ceiling(part: i64, whole: i64, hi: u32) -> i64 {
    let over = (100 * part as i128 - hi as i128 * whole as i128).max(0);
    i64::try_from((over + 99) / 100).unwrap_or(i64::MAX)
}

fn line(target: &PlanTarget, t: &Totals, hamlets: Option<u32>) -> PlanLine {
    let (lo, hi) = (target.min_pct, target.max_pct);
    let mut out = PlanLine {
        measure: target.measure,
        unit: target.measure.unit(),
        figure: None,
        min_pct: lo,
        max_pct: hi,
        status: None,
        short_by: None,
        over_by: None,
        not_measurable: None,
    };
    let r = match figure(target.measure, t, hamlets) {
        Ok(r) => r,
        Err(why) => {
            out.not_measurable = Some(why);
            return out;
        }
    };
    out.figure = Some(r);
    let (k, n) = (r.part as i128, r.whole as i128);
    let status = if n == 0 {
        if lo > 0 { Status::Below } else { Status::Within }
    } else if k * 100 < lo as i128 * n {
        Status::Below
    } else if k * 100 > hi as i128 * n {
        Status::Above
    } else {
        Status::Within
    };
    out.status = Some(status);
    let grows = target.measure.grows_whole();
    let as_u32 = |x: i64| u32::try_from(x).ok();
    match status {
        Status::Within => {}
        Status::Below if n == 0 => {}
        Status::Below if grows => {
            out.short_by = as_u32(r.part)
                .zip(as_u32(r.whole))
                .map(|(k, n)| to_reach_floor(k, n, lo))
                .filter(|x| *x != u32::MAX)
                .map(i64::from);
        }
        Status::Below => out.short_by = Some(fixed_floor(r.part, r.whole, lo)),
        Status::Above if grows => {
            out.over_by = as_u32(r.part)
                .zip(as_u32(r.whole))
                .map(|(k, n)| to_get_under_ceiling(k, n, hi))
                .filter(|x| *x != u32::MAX)
                .map(i64::from);
        }
        Status::Above => out.over_by = Some(fixed_ceiling(r.part, r.whole, hi)),
    }
    out
}

/// Judge the totals against the plan, target by target.
pub fn judge(plan: &PlanPreset, totals: &Totals, hamlets: Option<u32>) -> PlanJudgement {
    let lines: Vec<PlanLine> = plan.targets.iter().map(|t| line(t, totals, hamlets)).collect();
    PlanJudgement {
        id: plan.id.clone(),
        name_vi: plan.name_vi.clone(),
        name_en: plan.name_en.clone(),
        met: lines.iter().filter(|l| l.status == Some(Status::Within)).count() as u32,
        judged: lines.iter().filter(|l| l.status.is_some()).count() as u32,
        lines,
    }
}
