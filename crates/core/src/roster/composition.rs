//! Who the club is on a given day, against a target preset, and what would bring it inside.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::coded_enum;

use crate::roster::club;
use crate::error::Result;
use crate::roster::member::{self, Flag, Member, Role, Sex};
use crate::roster::preset::{self, Band, Measure, TargetPreset};
use crate::store::Store;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Counts {
    pub members: u32,
    pub women: u32,
    pub men: u32,
    pub older: u32,
    pub younger: u32,
    pub older_women: u32,
    /// Members with at least one disadvantage (a flag, or an ethnic minority).
    pub disadvantaged: u32,
    pub poor: u32,
    pub near_poor: u32,
    pub disability: u32,
    pub living_alone: u32,
    pub ethnic_minority: u32,
    pub volunteers: u32,
}

impl Counts {
    pub fn of(&self, m: Measure) -> u32 {
        match m {
            Measure::Women => self.women,
            Measure::Men => self.men,
            Measure::Older => self.older,
            Measure::Younger => self.younger,
            Measure::OlderWomen => self.older_women,
            Measure::Disadvantaged => self.disadvantaged,
            Measure::Poor => self.poor,
            Measure::NearPoor => self.near_poor,
            Measure::Disability => self.disability,
            Measure::LivingAlone => self.living_alone,
            Measure::EthnicMinority => self.ethnic_minority,
            Measure::Volunteers => self.volunteers,
        }
    }
}

/// Count the members on `day`. Pure: the same members and day always give the same counts.
pub fn count(members: &[Member], day: NaiveDate, older_age: u32) -> Counts {
    let mut c = Counts::default();
    for m in members.iter().filter(|m| m.is_member_on(day)) {
        let woman = m.sex == Sex::F;
        let older = m.age_on(day) >= older_age as i32;
        let flags: Vec<Flag> = Flag::ALL.into_iter().filter(|f| m.has_flag_on(*f, day)).collect();
        let minority = m.is_ethnic_minority();
        c.members += 1;
        c.women += woman as u32;
        c.men += !woman as u32;
        c.older += older as u32;
        c.younger += !older as u32;
        c.older_women += (older && woman) as u32;
        c.disadvantaged += (!flags.is_empty() || minority) as u32;
        c.poor += flags.contains(&Flag::Poor) as u32;
        c.near_poor += flags.contains(&Flag::NearPoor) as u32;
        c.disability += flags.contains(&Flag::Disability) as u32;
        c.living_alone += flags.contains(&Flag::LivingAlone) as u32;
        c.ethnic_minority += minority as u32;
        c.volunteers += m.has_role_on(Role::Volunteer, day) as u32;
    }
    c
}

// The code (`below`, `within`, `above`) is what is serialised, and the catalogue's `status.<code>`.
// (A doc comment here would enter the published report schema.)
coded_enum! {
    #[derive(schemars::JsonSchema)]
    pub enum Status {
        Below = "below",
        Within = "within",
        Above = "above",
    }
}

/// What would bring a figure inside its band: add `add` people (of the sex and age group named,
/// where it matters), or the club is `over_by` members above its size band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Fix {
    pub add: u32,
    pub sex: Option<Sex>,
    pub older: Option<bool>,
    pub over_by: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct TargetStatus {
    /// `members` for the club's size, otherwise a ratio's measure.
    pub measure: String,
    pub count: u32,
    pub total: u32,
    /// Per cent of members, one decimal (display only: statuses are decided in whole numbers).
    pub pct: f64,
    pub min: u32,
    pub max: u32,
    pub status: Status,
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Composition {
    pub club_id: i64,
    pub at: NaiveDate,
    pub preset_id: String,
    pub preset_name_vi: String,
    pub preset_name_en: String,
    pub older_age: u32,
    pub counts: Counts,
    pub targets: Vec<TargetStatus>,
    pub all_within: bool,
}

/// The sex and age group a measure describes (None where it does not decide one).
fn traits(m: Measure) -> (Option<Sex>, Option<bool>) {
    match m {
        Measure::Women => (Some(Sex::F), None),
        Measure::Men => (Some(Sex::M), None),
        Measure::Older => (None, Some(true)),
        Measure::Younger => (None, Some(false)),
        Measure::OlderWomen => (Some(Sex::F), Some(true)),
        _ => (None, None),
    }
}

/// Smallest x with (k + x) * 100 >= lo * (n + x): people of the kind to add to reach the floor.
fn to_reach_floor(k: u32, n: u32, lo: u32) -> u32 {
    if n == 0 {
        return (lo > 0) as u32;
    }
    if lo >= 100 {
        return if k == n { 0 } else { u32::MAX };
    }
    let (k, n, lo) = (k as u64, n as u64, lo as u64);
    let need = (lo * n).saturating_sub(100 * k);
    need.div_ceil(100 - lo) as u32
}

/// Smallest x with k * 100 <= hi * (n + x): people not of the kind to add to come under the ceiling.
fn to_get_under_ceiling(k: u32, n: u32, hi: u32) -> u32 {
    if hi == 0 {
        return if k == 0 { 0 } else { u32::MAX };
    }
    let (k, n, hi) = (k as u64, n as u64, hi as u64);
    let need = (100 * k).saturating_sub(hi * n);
    need.div_ceil(hi) as u32
}

/// Judge counts against a preset. Where a ratio is out, the fix also names the sex or age group that
/// helps another ratio that is out (e.g. "women under 60" when older members are already too many).
pub fn judge(counts: &Counts, preset: &TargetPreset) -> Vec<TargetStatus> {
    let n = counts.members;
    let pct = |k: u32| if n == 0 { 0.0 } else { (k as f64 * 1000.0 / n as f64).round() / 10.0 };
    let status_of = |k: u32, lo: u32, hi: u32| {
        if k * 100 < lo * n || (n == 0 && lo > 0) {
            Status::Below
        } else if k * 100 > hi * n {
            Status::Above
        } else {
            Status::Within
        }
    };
    let statuses: Vec<(Measure, Status)> = preset
        .ratios
        .iter()
        .map(|r| (r.measure, status_of(counts.of(r.measure), r.min_pct, r.max_pct)))
        .collect();
    // Which sex / age group the club wants more of, judging by the other ratios that are out.
    let wanted = |skip: Measure| -> (Option<Sex>, Option<bool>) {
        let mut sex = None;
        let mut older = None;
        for (m, s) in &statuses {
            if *m == skip || *s == Status::Within {
                continue;
            }
            let (ms, mo) = traits(*m);
            let flip = *s == Status::Above;
            if let Some(x) = ms {
                sex = sex.or(Some(if flip { if x == Sex::F { Sex::M } else { Sex::F } } else { x }));
            }
            if let Some(x) = mo {
                older = older.or(Some(x != flip));
            }
        }
        (sex, older)
    };
    let mut out = Vec::new();
    if let Some(Band { min, max }) = preset.members {
        let status = if n < min { Status::Below } else if n > max { Status::Above } else { Status::Within };
        let fix = match status {
            Status::Below => {
                let (sex, older) = wanted(Measure::Volunteers);
                Some(Fix { add: min - n, sex, older, over_by: 0 })
            }
            Status::Above => Some(Fix { add: 0, sex: None, older: None, over_by: n - max }),
            Status::Within => None,
        };
        out.push(TargetStatus {
            measure: "members".into(),
            count: n,
            total: n,
            pct: 100.0,
            min,
            max,
            status,
            fix,
        });
    }
    for (r, (_, status)) in preset.ratios.iter().zip(&statuses) {
        let k = counts.of(r.measure);
        let (own_sex, own_older) = traits(r.measure);
        let (want_sex, want_older) = wanted(r.measure);
        let fix = match status {
            Status::Within => None,
            Status::Below => Some(Fix {
                add: to_reach_floor(k, n, r.min_pct),
                sex: own_sex.or(want_sex),
                older: own_older.or(want_older),
                over_by: 0,
            }),
            Status::Above => {
                // Add people who are not of this kind: the other sex, or the other age group.
                let sex = match (r.measure, own_sex) {
                    (Measure::OlderWomen, _) => want_sex,
                    (_, Some(Sex::F)) => Some(Sex::M),
                    (_, Some(Sex::M)) => Some(Sex::F),
                    _ => want_sex,
                };
                let older = match (r.measure, own_older) {
                    (Measure::OlderWomen, _) => want_older.or(Some(false)),
                    (_, Some(o)) => Some(!o),
                    _ => want_older,
                };
                Some(Fix { add: to_get_under_ceiling(k, n, r.max_pct), sex, older, over_by: 0 })
            }
        };
        out.push(TargetStatus {
            measure: r.measure.code().into(),
            count: k,
            total: n,
            pct: pct(k),
            min: r.min_pct,
            max: r.max_pct,
            status: *status,
            fix,
        });
    }
    out
}

/// The club's composition on `at` (default today) against `preset_id` (default: the club's preset).
pub fn compute(store: &Store, club_id: i64, at: Option<NaiveDate>, preset_id: Option<&str>) -> Result<Composition> {
    let club = club::get(store, club_id)?;
    let preset = preset::find(store, preset_id.unwrap_or(&club.target_preset))?;
    let members = member::load_club(store, club_id)?;
    let at = at.unwrap_or(store.today());
    let counts = count(&members, at, preset.older_age);
    let targets = judge(&counts, &preset);
    Ok(Composition {
        club_id,
        at,
        all_within: targets.iter().all(|t| t.status == Status::Within),
        preset_id: preset.id,
        preset_name_vi: preset.name_vi,
        preset_name_en: preset.name_en,
        older_age: preset.older_age,
        counts,
        targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::preset::RatioTarget;

    fn preset(ratios: Vec<(Measure, u32, u32)>) -> TargetPreset {
        TargetPreset {
            id: "t".into(),
            name_vi: "t".into(),
            name_en: "t".into(),
            source: String::new(),
            older_age: 60,
            members: Some(Band { min: 50, max: 70 }),
            ratios: ratios.into_iter().map(|(measure, min_pct, max_pct)| RatioTarget { measure, min_pct, max_pct }).collect(),
            volunteers_min: None,
            borrowed_pct: None,
            standard: None,
            builtin: false,
        }
    }

    fn counts(members: u32, women: u32, older: u32) -> Counts {
        Counts { members, women, men: members - women, older, younger: members - older, ..Default::default() }
    }

    #[test]
    fn floor_and_ceiling_arithmetic() {
        // 27 women of 50 (54 %): 10 more women make 37 of 60 = 61.7 %; 9 would make 36/59 = 61.0 %... check.
        let x = to_reach_floor(27, 50, 60);
        assert!((27 + x) * 100 >= 60 * (50 + x));
        assert!((27 + x - 1) * 100 < 60 * (50 + x - 1));
        let y = to_get_under_ceiling(40, 50, 70);
        assert!(40 * 100 <= 70 * (50 + y));
        assert!(40 * 100 > 70 * (50 + y - 1));
        assert_eq!(to_reach_floor(30, 50, 60), 0);
    }

    #[test]
    fn statuses_are_exact_at_the_band_edges() {
        let p = preset(vec![(Measure::Women, 60, 70)]);
        let at = |women| judge(&counts(50, women, 30), &p)[1].status;
        assert_eq!(at(29), Status::Below);
        assert_eq!(at(30), Status::Within);
        assert_eq!(at(35), Status::Within);
        assert_eq!(at(36), Status::Above);
    }

    #[test]
    fn fix_names_the_group_that_helps_other_ratios() {
        // Too few women and too many older people: the fix for women is "women under 60".
        let p = preset(vec![(Measure::Women, 60, 70), (Measure::Older, 60, 70)]);
        let t = judge(&counts(55, 30, 42), &p);
        let women = &t[1];
        assert_eq!(women.status, Status::Below);
        let fix = women.fix.clone().unwrap();
        assert_eq!((fix.sex, fix.older), (Some(Sex::F), Some(false)));
        assert!((30 + fix.add) * 100 >= 60 * (55 + fix.add));
        // Too many older people: add younger ones (women, since women are short).
        let older = t[2].fix.clone().unwrap();
        assert_eq!((older.sex, older.older), (Some(Sex::F), Some(false)));
    }

    #[test]
    fn size_band() {
        let p = preset(vec![]);
        let t = judge(&counts(45, 30, 30), &p);
        assert_eq!((t[0].status, t[0].fix.as_ref().unwrap().add), (Status::Below, 5));
        let t = judge(&counts(74, 50, 50), &p);
        assert_eq!((t[0].status, t[0].fix.as_ref().unwrap().over_by), (Status::Above, 4));
    }

    #[test]
    fn empty_club_is_below_not_a_division_by_zero() {
        let p = preset(vec![(Measure::Women, 60, 70)]);
        let t = judge(&Counts::default(), &p);
        assert_eq!(t[1].status, Status::Below);
        assert_eq!(t[1].pct, 0.0);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::roster::member::{Span, Role};
    use chrono::Duration;
    use proptest::prelude::*;

    fn base() -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
    }

    /// Any member history: born 1930–2000, joined within ten years, perhaps left later, perhaps
    /// poor or a volunteer for part of the time.
    fn arb_member() -> impl Strategy<Value = Member> {
        (
            any::<bool>(),
            1930i32..2000,
            proptest::option::of((1u32..=12, 1u32..=28)),
            0i64..3650,
            proptest::option::of(0i64..3650),
            proptest::option::of((0i64..3650, proptest::option::of(0i64..3650))),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(woman, year, md, join, stay, poor, volunteer, minority)| {
                let joined_on = base() + Duration::days(join);
                let left_on = stay.map(|s| joined_on + Duration::days(s));
                let span = |from: i64, len: Option<i64>| {
                    let from_on = joined_on + Duration::days(from % 400);
                    (from_on, len.map(|l| from_on + Duration::days(l + 1)))
                };
                let flags = poor
                    .map(|(f, l)| {
                        let (from_on, to_on) = span(f, l);
                        vec![Span { id: 1, what: Flag::Poor, from_on, to_on, standard: Some("x".into()) }]
                    })
                    .unwrap_or_default();
                let roles = if volunteer {
                    vec![Span { id: 1, what: Role::Volunteer, from_on: joined_on, to_on: left_on, standard: None }]
                } else {
                    vec![]
                };
                Member {
                    id: 0,
                    club_id: 1,
                    full_name: "X".into(),
                    sex: if woman { Sex::F } else { Sex::M },
                    birth_year: year,
                    birth_date: md.and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d)),
                    ethnicity: if minority { "Mường".into() } else { "Kinh".into() },
                    hamlet: String::new(),
                    phone: String::new(),
                    joined_on,
                    left_on,
                    leave_reason: left_on.map(|_| crate::roster::member::LeaveReason::Moved),
                    consent_on: None,
                    flags,
                    roles,
                }
            })
    }

    proptest! {
        #[test]
        fn counts_always_add_up(members in proptest::collection::vec(arb_member(), 0..80), day in 0i64..4200, age in 50u32..66) {
            let at = base() + Duration::days(day);
            let c = count(&members, at, age);
            prop_assert_eq!(c.women + c.men, c.members);
            prop_assert_eq!(c.older + c.younger, c.members);
            prop_assert!(c.older_women <= c.older.min(c.women));
            prop_assert!(c.disadvantaged <= c.members);
            prop_assert!(c.poor <= c.disadvantaged && c.ethnic_minority <= c.disadvantaged);
            prop_assert!(c.volunteers <= c.members);
        }

        #[test]
        fn as_of_a_date_only_members_of_that_day_count(members in proptest::collection::vec(arb_member(), 0..80), day in 0i64..4200) {
            let at = base() + Duration::days(day);
            let c = count(&members, at, 60);
            let expected = members.iter().filter(|m| m.joined_on <= at && m.left_on.is_none_or(|l| at < l)).count() as u32;
            prop_assert_eq!(c.members, expected);
            // Adding members who join after the day, or who left before it, changes nothing.
            let mut more = members.clone();
            for m in &members {
                let mut later = m.clone();
                later.joined_on = at + Duration::days(1);
                later.left_on = None;
                more.push(later);
                let mut gone = m.clone();
                gone.joined_on = at - Duration::days(30);
                gone.left_on = Some(at);
                more.push(gone);
            }
            prop_assert_eq!(count(&more, at, 60), c);
        }

        #[test]
        fn statuses_agree_with_the_band(k in 0u32..120, extra in 0u32..120, lo in 0u32..=100, width in 0u32..=100) {
            let n = k + extra;
            let hi = (lo + width).min(100);
            let preset = TargetPreset {
                id: "p".into(), name_vi: String::new(), name_en: String::new(), source: String::new(), older_age: 60,
                members: None,
                ratios: vec![crate::roster::preset::RatioTarget { measure: Measure::Women, min_pct: lo, max_pct: hi }],
                volunteers_min: None, borrowed_pct: None, standard: None, builtin: false,
            };
            let counts = Counts { members: n, women: k, men: extra, ..Default::default() };
            let t = &judge(&counts, &preset)[0];
            let inside = n > 0 && k * 100 >= lo * n && k * 100 <= hi * n || (n == 0 && lo == 0);
            prop_assert_eq!(t.status == Status::Within, inside);
            if let Some(fix) = &t.fix {
                // Following the fix brings the ratio inside the band.
                if t.status == Status::Below && fix.add != u32::MAX {
                    prop_assert!((k + fix.add) * 100 >= lo * (n + fix.add));
                }
                if t.status == Status::Above && fix.add != u32::MAX {
                    prop_assert!(k * 100 <= hi * (n + fix.add));
                }
            }
        }
    }
}
