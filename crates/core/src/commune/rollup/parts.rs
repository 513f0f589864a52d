//! One level up: a district's roll-up of its communes' signed roll-ups (a province's of its
//! districts'). The figures are the parts' totals added up, with the same checked sums and the same
//! ratios as a commune's roll-up of its clubs (`finish`): a district's figure is the sum of the
//! communes' figures, which are the sums of their clubs' figures, so every figure still traces down
//! to the clubs' own reports (a test rolls the same clubs up both ways and compares).

use std::collections::BTreeSet;

use super::{add, add_counts, add_fund, finish, fund_of, inc, plan, same_name, FundTotal, PartRow, Rollup, RollupRequest, Totals};
use crate::error::{CoreError, Result};
use crate::reporting::Period;

/// One commune's (district's) roll-up as the level above holds it: the name it registered the
/// commune under, and the `report.json` of the commune's latest accepted roll-up bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct PartInput {
    pub name: String,
    pub rollup: Rollup,
}

/// A part's totals that contradict each other (sexes or ages that do not add up to the members,
/// funds that do not add up to their total) are refused, not added: they cannot all be right.
fn consistent(p: &PartInput) -> Result<()> {
    let t = &p.rollup.totals;
    let m = &t.members;
    let sa = &t.sex_age;
    let sexes = m.women.checked_add(m.men) == Some(m.members) && m.older.checked_add(m.younger) == Some(m.members);
    let grid = [sa.older_women, sa.older_men, sa.younger_women, sa.younger_men]
        .iter()
        .try_fold(0u32, |s, x| s.checked_add(*x))
        == Some(m.members);
    let funds = t.funds.iter().try_fold(0i64, |s, f| s.checked_add(f.closing.total)) == Some(t.funds_total);
    let counts = t.clubs_meeting_standard <= t.clubs_assessed_standard
        && t.clubs_all_areas_monthly <= t.clubs_meeting_monthly
        && t.clubs_within_targets <= t.clubs
        && t.clubs_meeting_monthly <= t.clubs;
    let bad = |what: &str| Err(CoreError::RollupBadReport { name: p.name.clone(), detail: format!("totals.{what}") });
    if !sexes || !grid {
        return bad("members");
    }
    if !funds {
        return bad("funds_total");
    }
    if !counts {
        return bad("clubs");
    }
    Ok(())
}

/// Roll the parts up. `below` is the level the parts must be (`commune` for a district). Refused:
/// a part of another period (`rollup.wrong_period`), of another level or format
/// (`rollup.bad_report`), or the same part twice (`rollup.duplicate_club`).
pub fn roll_up_parts(req: &RollupRequest, level: &str, below: &str, parts: &[PartInput], plan: &plan::PlanPreset) -> Result<Rollup> {
    let mut sums = PartSums::new(&req.period, level, below);
    for p in parts {
        sums.add(p)?;
    }
    sums.finish(req, plan)
}

/// A district's (province's) roll-up being added up one part at a time, as `ClubSums` is for a
/// commune: only one part's roll-up is in memory at a time when the caller reads them one by one.
pub struct PartSums {
    period: Period,
    level: String,
    below: String,
    seen: BTreeSet<String>,
    t: Totals,
    funds: Vec<FundTotal>,
    older_ages: BTreeSet<u32>,
    board: Option<(i64, i64)>,
    rows: Vec<PartRow>,
}

impl PartSums {
    /// Nothing added yet for `period`, at `level`, from parts of the level `below` it.
    pub fn new(period: &Period, level: &str, below: &str) -> PartSums {
        PartSums {
            period: period.clone(),
            level: level.to_string(),
            below: below.to_string(),
            seen: BTreeSet::new(),
            t: Totals::default(),
            funds: crate::books::Fund::ALL.iter().map(|f| FundTotal { fund: f.code().to_string(), ..Default::default() }).collect(),
            older_ages: BTreeSet::new(),
            board: Some((0, 0)),
            rows: Vec::new(),
        }
    }

    /// Add one part (see `roll_up_parts` for what is refused). A refusal refuses the whole
    /// roll-up: the sums may hold part of that part, so they are dropped, not finished.
    pub fn add(&mut self, p: &PartInput) -> Result<()> {
        let r = &p.rollup;
        if r.format != super::FORMAT || r.format_version != super::FORMAT_VERSION {
            return Err(CoreError::RollupBadReport { name: p.name.clone(), detail: format!("{} {}", r.format, r.format_version) });
        }
        if r.level != self.below {
            return Err(CoreError::RollupBadReport { name: p.name.clone(), detail: format!("level {}", r.level) });
        }
        if r.period.label != self.period.label || r.period.from != self.period.from || r.period.to != self.period.to {
            return Err(CoreError::RollupWrongPeriod {
                name: p.name.clone(),
                found: r.period.label.clone(),
                expected: self.period.label.clone(),
            });
        }
        if !self.seen.insert(same_name(&p.name)) {
            return Err(CoreError::RollupDuplicateClub { name: p.name.clone(), hamlet: String::new() });
        }
        consistent(p)?;

        let s = &r.totals;
        let t = &mut self.t;
        inc(&mut t.clubs, s.clubs, "clubs")?;
        add_counts(&mut t.members, &s.members)?;
        inc(&mut t.sex_age.older_women, s.sex_age.older_women, "older_women")?;
        inc(&mut t.sex_age.older_men, s.sex_age.older_men, "older_men")?;
        inc(&mut t.sex_age.younger_women, s.sex_age.younger_women, "younger_women")?;
        inc(&mut t.sex_age.younger_men, s.sex_age.younger_men, "younger_men")?;
        self.older_ages.extend(s.older_ages.iter().copied());
        inc(&mut t.clubs_within_targets, s.clubs_within_targets, "clubs_within_targets")?;
        inc(&mut t.clubs_assessed_standard, s.clubs_assessed_standard, "clubs_assessed_standard")?;
        inc(&mut t.clubs_meeting_standard, s.clubs_meeting_standard, "clubs_meeting_standard")?;
        inc(&mut t.clubs_meeting_monthly, s.clubs_meeting_monthly, "clubs_meeting_monthly")?;
        inc(&mut t.clubs_all_areas_monthly, s.clubs_all_areas_monthly, "clubs_all_areas_monthly")?;
        inc(&mut t.clubs_with_themes, s.clubs_with_themes, "clubs_with_themes")?;
        inc(&mut t.meetings_held, s.meetings_held, "meetings_held")?;
        inc(&mut t.loan_members, s.loan_members, "loan_members")?;
        inc(&mut t.members_ever_borrowed, s.members_ever_borrowed, "members_ever_borrowed")?;
        inc(&mut t.loans_active, s.loans_active, "loans_active")?;
        inc(&mut t.loans_disbursed_count, s.loans_disbursed_count, "loans_disbursed_count")?;
        t.loans_disbursed = add(t.loans_disbursed, s.loans_disbursed, "loans_disbursed")?;
        t.loans_outstanding = add(t.loans_outstanding, s.loans_outstanding, "loans_outstanding")?;
        t.par30 = add(t.par30, s.par30, "par30")?;
        t.par90 = add(t.par90, s.par90, "par90")?;
        inc(&mut t.care_recipients, s.care_recipients, "care_recipients")?;
        inc(&mut t.care_recipients_visited, s.care_recipients_visited, "care_recipients_visited")?;
        inc(&mut t.members_visited, s.members_visited, "members_visited")?;
        // Hamlets belong to one commune each: the communes' counts add up.
        inc(&mut t.hamlets_with_club, s.hamlets_with_club, "hamlets_with_club")?;
        self.board = match (self.board, s.board) {
            (Some((a, b)), Some(x)) => Some((add(a, x.part, "board_trained")?, add(b, x.whole, "board_members")?)),
            _ => None,
        };
        for f in &s.funds {
            let ft = fund_of(&mut self.funds, &f.fund);
            inc(&mut ft.clubs, f.clubs, "funds.clubs")?;
            add_fund(ft, f.opening_total, f.receipts_total, f.payments_total, &f.closing)?;
        }
        self.rows.push(PartRow { name: p.name.clone(), level: self.below.clone(), totals: s.clone() });
        Ok(())
    }

    /// The roll-up of the parts added, judged against `plan`.
    pub fn finish(mut self, req: &RollupRequest, plan: &plan::PlanPreset) -> Result<Rollup> {
        finish(&mut self.t, self.funds, self.older_ages, self.board)?;
        Ok(Rollup::made(req, &self.level, self.t, plan, Vec::new(), self.rows))
    }
}
