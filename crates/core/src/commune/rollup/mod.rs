//! The commune's roll-up of its clubs' reports for one period: PURE functions, no storage. The input
//! is each club's `report.json` (the club report's own types, `reporting::Report`) with the name and
//! hamlet the commune registered it under; the output is `Rollup`, whose types ARE the published
//! format (`docs/schema/rollup-v1.schema.json` is generated from them; a test keeps it current).
//!
//! Every figure is traceable: a count or a sum of money is the sum of the clubs' figures of the same
//! name, and a ratio is the ratio of two such sums (`Ratio`), never an average of the clubs' ratios.
//! Money is whole đồng in `i64`, added with checked arithmetic (`rollup.overflow` rather than a wrong
//! total). Ratios keep their integer part and whole; their per cent is rounded half up to one decimal
//! from those integers (`Ratio::of`).
//!
//! The rooms: `types` (the published format), `plan` (the commune's targets, `PlanPreset`, and their
//! judgement), `dhis2` (the `dataValueSets` export through an editable mapping), `html` and `xlsx`
//! (renderings, as the club report's).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::error::{CoreError, Result};
use crate::reporting::{Period, Report};

pub mod dhis2;
pub mod html;
mod parts;
pub mod plan;
#[cfg(test)]
mod tests;
mod types;
pub mod xlsx;

pub use parts::{roll_up_parts, PartInput, PartSums};
pub use types::*;

pub const FORMAT: &str = "ishc-rollup";
pub const FORMAT_VERSION: u32 = 1;
/// A club's `report.json` is read up to this size (a year's report with its member list is ~100 KiB).
pub const MAX_REPORT_FILE: u64 = 4 * 1024 * 1024;

/// One club's report as the commune holds it: the name and hamlet the commune registered, and the
/// club's latest accepted `report.json` for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct ClubInput {
    pub name: String,
    pub hamlet: String,
    pub report: Report,
}

/// Who rolls up, and what only the commune knows.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupRequest {
    pub commune: String,
    pub district: String,
    pub province: String,
    pub period: Period,
    /// The commune's count of hamlets (thôn, xóm, tổ dân phố): needed for "hamlets with a club".
    pub hamlets: Option<u32>,
    pub generated_on: NaiveDate,
}

/// Parse one club's `report.json` strictly: an `ishc-report` of the version this app reads.
pub fn parse_report(bytes: &[u8], name: &str) -> Result<Report> {
    let r: Report = serde_json::from_slice(bytes).map_err(|e| CoreError::RollupBadReport { name: name.to_string(), detail: e.to_string() })?;
    if r.format != crate::reporting::FORMAT || r.format_version != crate::reporting::FORMAT_VERSION {
        return Err(CoreError::RollupBadReport {
            name: name.to_string(),
            detail: format!("{} {}", r.format, r.format_version),
        });
    }
    Ok(r)
}

/// Money added up, or `rollup.overflow` naming the figure.
pub(crate) fn add(sum: i64, x: i64, figure: &str) -> Result<i64> {
    sum.checked_add(x).ok_or_else(|| CoreError::RollupOverflow { figure: figure.to_string() })
}

/// A count added up, or `rollup.overflow` naming the figure.
pub(crate) fn inc(sum: &mut u32, x: u32, figure: &str) -> Result<()> {
    *sum = sum.checked_add(x).ok_or_else(|| CoreError::RollupOverflow { figure: figure.to_string() })?;
    Ok(())
}

/// A club report whose member counts contradict each other (more older women than women, sexes
/// that do not add up to the members) is refused, not rolled up: its figures cannot all be right.
fn consistent(c: &ClubInput) -> Result<()> {
    let e = &c.report.members.end;
    let ok = e.women.checked_add(e.men) == Some(e.members)
        && e.older.checked_add(e.younger) == Some(e.members)
        && e.older_women <= e.older.min(e.women)
        && e.volunteers <= e.members;
    if ok {
        Ok(())
    } else {
        Err(CoreError::RollupBadReport { name: c.name.clone(), detail: "members.end".into() })
    }
}

/// How two names are compared to be the same club or hamlet: NFC, lower case, spaces collapsed. Not
/// `text::fold`, which drops diacritics: "Hòa" and "Hóa" are two places.
pub(crate) fn same_name(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect::<String>().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Did the club's meetings of the period take up every month (and at least one)?
pub fn meets_monthly(r: &Report) -> bool {
    r.meetings.months > 0 && r.meetings.months_with_meeting >= r.meetings.months
}

/// Did the club cover all eight areas in the period and meet every month (Hà Tĩnh's first target)?
pub fn all_areas_monthly(r: &Report) -> bool {
    meets_monthly(r) && r.meetings.areas_covered >= 8
}

/// Did a meeting of the period take up at least one of the 2025–2035 themes?
pub fn took_up_themes(r: &Report) -> bool {
    r.meetings.themes.iter().any(|t| t.count > 0)
}

/// The board members on the last day and those trained in the year, from the standard
/// self-assessment (yearly reports only).
pub fn board_trained(r: &Report) -> Option<(i64, i64)> {
    let st = r.standard.as_ref()?;
    let c = st.criteria.iter().find(|c| c.id == "board.trained")?;
    Some((c.value, c.of.unwrap_or(0)))
}

/// Every criterion with a threshold met (and at least one judged).
pub fn meets_standard(r: &Report) -> Option<bool> {
    r.standard.as_ref().map(|s| s.judged > 0 && s.met >= s.judged)
}

/// Roll the clubs up. Refuses a report of another period (`rollup.wrong_period`) and the same
/// registered club twice (`rollup.duplicate_club`): either would count a club wrongly.
pub fn roll_up(req: &RollupRequest, clubs: &[ClubInput], plan: &plan::PlanPreset) -> Result<Rollup> {
    let mut sums = ClubSums::new(&req.period);
    for c in clubs {
        sums.add(c)?;
    }
    sums.finish(req, plan)
}

/// A commune's roll-up being added up one club at a time, so that a caller reading the clubs'
/// reports from the inbox holds one parsed report at a time, however many clubs (`roll_up` is this
/// over a slice). What it keeps grows with the clubs, not with their reports: the running totals,
/// the names seen, and the one `ClubRow` per club the roll-up lists.
pub struct ClubSums {
    period: Period,
    seen: BTreeSet<(String, String)>,
    t: Totals,
    older_ages: BTreeSet<u32>,
    hamlets: BTreeSet<String>,
    funds: Vec<FundTotal>,
    rows: Vec<ClubRow>,
    board: Option<(i64, i64)>,
}

impl ClubSums {
    /// Nothing added yet for `period`. Both funds are always there, the income fund first, even
    /// with no club (a fund no club reports is 0).
    pub fn new(period: &Period) -> ClubSums {
        ClubSums {
            period: period.clone(),
            seen: BTreeSet::new(),
            t: Totals::default(),
            older_ages: BTreeSet::new(),
            hamlets: BTreeSet::new(),
            funds: crate::books::Fund::ALL.iter().map(|f| FundTotal { fund: f.code().to_string(), ..Default::default() }).collect(),
            rows: Vec::new(),
            board: Some((0, 0)),
        }
    }

    /// Add one club. Refused: a report of another period (`rollup.wrong_period`), a club already
    /// added (`rollup.duplicate_club`), member counts that contradict each other
    /// (`rollup.bad_report`), a sum that would overflow (`rollup.overflow`). A refusal refuses the
    /// whole roll-up (the sums may hold part of that club, so they are dropped, not finished).
    pub fn add(&mut self, c: &ClubInput) -> Result<()> {
        if c.report.period.label != self.period.label {
            return Err(CoreError::RollupWrongPeriod {
                name: c.name.clone(),
                found: c.report.period.label.clone(),
                expected: self.period.label.clone(),
            });
        }
        if !self.seen.insert((same_name(&c.name), same_name(&c.hamlet))) {
            return Err(CoreError::RollupDuplicateClub { name: c.name.clone(), hamlet: c.hamlet.clone() });
        }
        consistent(c)?;
        let r = &c.report;
        let e = &r.members.end;
        let t = &mut self.t;
        inc(&mut t.clubs, 1, "clubs")?;
        self.older_ages.insert(r.members.older_age);
        if !c.hamlet.trim().is_empty() {
            self.hamlets.insert(same_name(&c.hamlet));
        }
        add_counts(&mut t.members, e)?;
        // `consistent` made these differences non-negative.
        let sa = &mut t.sex_age;
        inc(&mut sa.older_women, e.older_women, "older_women")?;
        inc(&mut sa.older_men, e.older - e.older_women, "older_men")?;
        inc(&mut sa.younger_women, e.women - e.older_women, "younger_women")?;
        inc(&mut sa.younger_men, e.men - (e.older - e.older_women), "younger_men")?;
        t.clubs_within_targets += r.members.all_within as u32;
        if let Some(met) = meets_standard(r) {
            t.clubs_assessed_standard += 1;
            t.clubs_meeting_standard += met as u32;
        }
        t.clubs_meeting_monthly += meets_monthly(r) as u32;
        t.clubs_all_areas_monthly += all_areas_monthly(r) as u32;
        t.clubs_with_themes += took_up_themes(r) as u32;
        inc(&mut t.meetings_held, r.meetings.held, "meetings_held")?;
        inc(&mut t.loan_members, r.loans.at_end.members, "loan_members")?;
        inc(&mut t.members_ever_borrowed, r.loans.at_end.members_ever_borrowed, "members_ever_borrowed")?;
        inc(&mut t.loans_active, r.loans.at_end.active_loans, "loans_active")?;
        inc(&mut t.loans_disbursed_count, r.loans.disbursed_count, "loans_disbursed_count")?;
        t.loans_disbursed = add(t.loans_disbursed, r.loans.disbursed_amount, "loans_disbursed")?;
        t.loans_outstanding = add(t.loans_outstanding, r.loans.at_end.outstanding, "loans_outstanding")?;
        t.par30 = add(t.par30, r.loans.at_end.par30, "par30")?;
        t.par90 = add(t.par90, r.loans.at_end.par90, "par90")?;
        inc(&mut t.care_recipients, r.activities.care_recipients, "care_recipients")?;
        inc(&mut t.care_recipients_visited, r.activities.care_recipients_visited, "care_recipients_visited")?;
        inc(&mut t.members_visited, r.activities.members_visited, "members_visited")?;
        self.board = match (self.board, board_trained(r)) {
            (Some((a, b)), Some((x, y))) => Some((add(a, x, "board_trained")?, add(b, y, "board_members")?)),
            _ => None,
        };
        for f in &r.funds {
            let ft = fund_of(&mut self.funds, &f.fund);
            ft.clubs += 1;
            add_fund(ft, f.opening.total, f.receipts_total, f.payments_total, &f.closing)?;
        }
        self.rows.push(ClubRow::of(c));
        Ok(())
    }

    /// The roll-up of the clubs added, judged against `plan`.
    pub fn finish(mut self, req: &RollupRequest, plan: &plan::PlanPreset) -> Result<Rollup> {
        self.t.hamlets_with_club = self.hamlets.len() as u32;
        finish(&mut self.t, self.funds, self.older_ages, self.board)?;
        Ok(Rollup::made(req, "commune", self.t, plan, self.rows, Vec::new()))
    }
}

impl Rollup {
    /// A roll-up of `req` at `level` with its totals judged against `plan`: the one place the
    /// published type is put together, whoever rolled up.
    pub(crate) fn made(req: &RollupRequest, level: &str, totals: Totals, plan: &plan::PlanPreset, clubs: Vec<ClubRow>, parts: Vec<PartRow>) -> Rollup {
        let judged = plan::judge(plan, &totals, req.hamlets);
        Rollup {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            level: level.into(),
            commune: req.commune.clone(),
            district: req.district.clone(),
            province: req.province.clone(),
            period: req.period.clone(),
            generated_on: req.generated_on,
            app_version: env!("CARGO_PKG_VERSION").into(),
            hamlets: req.hamlets,
            totals,
            plan: judged,
            clubs,
            parts,
        }
    }
}

/// Every member count of `e` added to `m`, each checked.
pub(crate) fn add_counts(m: &mut crate::roster::composition::Counts, e: &crate::roster::composition::Counts) -> Result<()> {
    inc(&mut m.members, e.members, "members")?;
    inc(&mut m.women, e.women, "women")?;
    inc(&mut m.men, e.men, "men")?;
    inc(&mut m.older, e.older, "older")?;
    inc(&mut m.younger, e.younger, "younger")?;
    inc(&mut m.older_women, e.older_women, "older_women")?;
    inc(&mut m.disadvantaged, e.disadvantaged, "disadvantaged")?;
    inc(&mut m.poor, e.poor, "poor")?;
    inc(&mut m.near_poor, e.near_poor, "near_poor")?;
    inc(&mut m.disability, e.disability, "disability")?;
    inc(&mut m.living_alone, e.living_alone, "living_alone")?;
    inc(&mut m.ethnic_minority, e.ethnic_minority, "ethnic_minority")?;
    inc(&mut m.volunteers, e.volunteers, "volunteers")?;
    Ok(())
}

/// The running total of the fund `code` (added at the end when no one reported it yet).
pub(crate) fn fund_of<'a>(funds: &'a mut Vec<FundTotal>, code: &str) -> &'a mut FundTotal {
    let i = match funds.iter().position(|x| x.fund == code) {
        Some(i) => i,
        None => {
            funds.push(FundTotal { fund: code.to_string(), ..Default::default() });
            funds.len() - 1
        }
    };
    &mut funds[i]
}

/// One fund's figures added to its running total, each checked.
pub(crate) fn add_fund(ft: &mut FundTotal, opening: i64, receipts: i64, payments: i64, closing: &crate::reporting::Position) -> Result<()> {
    let fig = |k: &str| format!("funds.{}.{k}", ft.fund);
    ft.opening_total = add(ft.opening_total, opening, &fig("opening_total"))?;
    ft.receipts_total = add(ft.receipts_total, receipts, &fig("receipts_total"))?;
    ft.payments_total = add(ft.payments_total, payments, &fig("payments_total"))?;
    ft.closing.cash = add(ft.closing.cash, closing.cash, &fig("cash"))?;
    ft.closing.bank = add(ft.closing.bank, closing.bank, &fig("bank"))?;
    ft.closing.loans = add(ft.closing.loans, closing.loans, &fig("loans"))?;
    ft.closing.total = add(ft.closing.total, closing.total, &fig("total"))?;
    Ok(())
}

/// What every roll-up computes from its sums, at any level: the funds in order (income first) and
/// their total, the ages counted as older, and every ratio from the integer sums it is made of.
pub(crate) fn finish(
    t: &mut Totals,
    mut funds: Vec<FundTotal>,
    older_ages: BTreeSet<u32>,
    board: Option<(i64, i64)>,
) -> Result<()> {
    funds.sort_by_key(|f| (f.fund != "income", f.fund.clone()));
    t.funds_total = funds.iter().try_fold(0i64, |s, f| add(s, f.closing.total, "funds_total"))?;
    t.funds = funds;
    t.volunteers = t.members.volunteers;
    t.older_ages = older_ages.into_iter().collect();
    t.share_older = Ratio::of(t.members.older as i64, t.members.members as i64);
    t.share_women = Ratio::of(t.members.women as i64, t.members.members as i64);
    t.share_older_women = Ratio::of(t.members.older_women as i64, t.members.members as i64);
    t.share_borrowed = Ratio::of(t.members_ever_borrowed as i64, t.loan_members as i64);
    t.par30_ratio = Ratio::of(t.par30, t.loans_outstanding);
    t.board = board.map(|(trained, members)| Ratio::of(trained, members));
    Ok(())
}

impl Rollup {
    /// `report.json` of the roll-up: pretty, UTF-8, ending in a newline.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut out = serde_json::to_vec_pretty(self).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
        out.push(b'\n');
        Ok(out)
    }
}

/// The JSON Schema of the roll-up's `report.json`, as published in `docs/schema/rollup-v1.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Rollup);
    // Serialising a schema (maps of strings and numbers) cannot fail.
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The roll-up's renderings, by file extension; `dhis2` is JSON for DHIS2 (`dhis2::render`).
pub const FORMATS: [&str; 4] = ["json", "html", "xlsx", "dhis2"];

/// The bytes of one rendering: `json`, `html` or `xlsx` (DHIS2 needs its mapping: `dhis2::render`).
pub fn render(r: &Rollup, format: &str, lang: crate::i18n::Lang) -> Result<Vec<u8>> {
    match format {
        "json" => r.to_json(),
        "html" => Ok(html::render(r, lang).into_bytes()),
        "xlsx" => xlsx::render(r, lang),
        _ => Err(CoreError::invalid(
            crate::error::Field::ReportFormat,
            crate::error::Rule::OneOf { allowed: FORMATS.iter().map(|f| f.to_string()).collect() },
        )),
    }
}

/// A club's report as the commune holds it before there is a register: the name and hamlet are the
/// report's own (`club.name`, `club.hamlet`).
pub fn club_from_report(report: Report) -> ClubInput {
    ClubInput { name: report.club.name.clone(), hamlet: report.club.hamlet.clone(), report }
}
