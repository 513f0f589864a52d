use std::sync::LazyLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::Value;

use super::plan::{self, NotMeasurable, PlanMeasure, PlanPreset};
use super::*;
use crate::demo::{self, DemoOptions};
use crate::reporting::{self, xlsx::lookup, ReportOptions};
use crate::roster::composition::Status;
use crate::store::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Real club reports, made by the app from demo books: a year (with the standard) and a month.
static TEMPLATES: LazyLock<Vec<Report>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for seed in [7u64, 11] {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(d("2026-11-22"));
        let s = demo::build(&mut store, DemoOptions { years: 2, members: 40, seed }).unwrap();
        for p in ["2025", "2026-10"] {
            let r = reporting::build(&store, s.club_id, &Period::parse(p).unwrap(), &ReportOptions::default()).unwrap();
            // What the commune receives is the JSON, read back.
            out.push(parse_report(&r.to_json().unwrap(), "report.json").unwrap());
        }
    }
    out
});

fn request(period: &str, hamlets: Option<u32>) -> RollupRequest {
    RollupRequest {
        commune: "Xã Quảng Hòa".into(),
        district: "Huyện Quảng Trạch".into(),
        province: "Hà Tĩnh".into(),
        period: Period::parse(period).unwrap(),
        hamlets,
        generated_on: d("2026-11-22"),
    }
}

fn ha_tinh() -> PlanPreset {
    plan::find_builtin(plan::DEFAULT_PLAN).unwrap()
}

/// The figures one generated club report varies in; everything else comes from a real report.
#[derive(Debug, Clone)]
struct Figures {
    template: usize,
    hamlet: u8,
    women_older: u32,
    women_younger: u32,
    men_older: u32,
    men_younger: u32,
    volunteers: u32,
    all_within: bool,
    months_with_meeting: u32,
    areas_covered: u32,
    theme: u32,
    held: u32,
    ever_borrowed: u32,
    outstanding: i64,
    par30: i64,
    disbursed: i64,
    fund_totals: [i64; 2],
    care: (u32, u32),
    standard: (u32, u32),
    board: (i64, i64),
}

fn arb_figures() -> impl Strategy<Value = Figures> {
    (
        (0usize..4, 0u8..12, 0u32..40, 0u32..30, 0u32..25, 0u32..20, 0u32..12, any::<bool>()),
        (0u32..=12, 0u32..=8, 0u32..3, 0u32..40, 0u32..70),
        (0i64..200_000_000, 0i64..=100, 0i64..300_000_000, -5_000_000i64..400_000_000, 0i64..80_000_000),
        (0u32..10, 0u32..10, 0u32..16, 0u32..16, 0i64..6, 0i64..6),
    )
        .prop_map(|(a, b, c, e)| Figures {
            template: a.0,
            hamlet: a.1,
            women_older: a.2,
            women_younger: a.3,
            men_older: a.4,
            men_younger: a.5,
            volunteers: a.6,
            all_within: a.7,
            months_with_meeting: b.0,
            areas_covered: b.1,
            theme: b.2,
            held: b.3,
            ever_borrowed: b.4,
            outstanding: c.0,
            par30: c.0 * c.1 / 100,
            disbursed: c.2,
            fund_totals: [c.3, c.4],
            care: (e.0.max(e.1), e.0.min(e.1)),
            standard: (e.2.min(e.3), e.2.max(e.3)),
            board: (e.4.min(e.5), e.4.max(e.5)),
        })
}

fn club(i: usize, f: &Figures) -> ClubInput {
    let mut r = TEMPLATES[f.template].clone();
    let e = &mut r.members.end;
    e.women = f.women_older + f.women_younger;
    e.men = f.men_older + f.men_younger;
    e.members = e.women + e.men;
    e.older = f.women_older + f.men_older;
    e.younger = f.women_younger + f.men_younger;
    e.older_women = f.women_older;
    e.volunteers = f.volunteers.min(e.members);
    e.poor = f.hamlet as u32;
    r.members.all_within = f.all_within;
    let months = r.meetings.months;
    r.meetings.months_with_meeting = f.months_with_meeting.min(months);
    r.meetings.areas_covered = f.areas_covered;
    r.meetings.held = f.held;
    for (k, t) in r.meetings.themes.iter_mut().enumerate() {
        t.count = (k as u32 == f.theme) as u32 * f.held;
    }
    r.loans.at_end.members = r.members.end.members;
    r.loans.at_end.members_ever_borrowed = f.ever_borrowed.min(r.members.end.members);
    r.loans.at_end.outstanding = f.outstanding;
    r.loans.at_end.par30 = f.par30;
    r.loans.at_end.par90 = f.par30 / 2;
    r.loans.disbursed_amount = f.disbursed;
    for (fund, total) in r.funds.iter_mut().zip(f.fund_totals) {
        fund.closing.total = total;
        fund.closing.cash = total / 3;
        fund.receipts_total = total.abs() / 2;
    }
    r.activities.care_recipients = f.care.0;
    r.activities.care_recipients_visited = f.care.1;
    if let Some(st) = r.standard.as_mut() {
        st.met = f.standard.0;
        st.judged = f.standard.1;
        let c = st.criteria.iter_mut().find(|c| c.id == "board.trained").unwrap();
        c.value = f.board.0;
        c.of = Some(f.board.1);
    }
    ClubInput { name: format!("CLB số {i}"), hamlet: format!("Thôn {}", f.hamlet), report: r }
}

fn num(v: &Value, path: &str) -> i64 {
    match lookup(v, path) {
        Some(Value::Number(n)) => n.as_i64().unwrap(),
        Some(Value::Bool(b)) => *b as i64,
        other => panic!("{path}: {other:?}"),
    }
}

/// The roll-up's figure at `rollup_path` is the sum over the clubs' report.json of `report_path`.
const SUMS: &[(&str, &str)] = &[
    ("totals.members.members", "members.end.members"),
    ("totals.members.women", "members.end.women"),
    ("totals.members.men", "members.end.men"),
    ("totals.members.older", "members.end.older"),
    ("totals.members.younger", "members.end.younger"),
    ("totals.members.older_women", "members.end.older_women"),
    ("totals.members.poor", "members.end.poor"),
    ("totals.members.volunteers", "members.end.volunteers"),
    ("totals.sex_age.older_women", "members.end.older_women"),
    ("totals.volunteers", "members.end.volunteers"),
    ("totals.clubs_within_targets", "members.all_within"),
    ("totals.meetings_held", "meetings.held"),
    ("totals.loan_members", "loans.at_end.members"),
    ("totals.members_ever_borrowed", "loans.at_end.members_ever_borrowed"),
    ("totals.loans_active", "loans.at_end.active_loans"),
    ("totals.loans_disbursed_count", "loans.disbursed_count"),
    ("totals.loans_disbursed", "loans.disbursed_amount"),
    ("totals.loans_outstanding", "loans.at_end.outstanding"),
    ("totals.par30", "loans.at_end.par30"),
    ("totals.par90", "loans.at_end.par90"),
    ("totals.care_recipients", "activities.care_recipients"),
    ("totals.care_recipients_visited", "activities.care_recipients_visited"),
    ("totals.members_visited", "activities.members_visited"),
    ("totals.funds.0.closing.total", "funds.0.closing.total"),
    ("totals.funds.0.closing.cash", "funds.0.closing.cash"),
    ("totals.funds.0.receipts_total", "funds.0.receipts_total"),
    ("totals.funds.1.closing.total", "funds.1.closing.total"),
    ("totals.funds.1.payments_total", "funds.1.payments_total"),
];

/// `pct` is `part / whole` rounded half up to one decimal: |pct × 10 − 1000 × part / whole| ≤ ½,
/// checked in integers.
fn pct_is_rounded(r: &Ratio) -> bool {
    match r.pct {
        None => r.whole == 0,
        Some(p) => {
            let t = (p * 10.0).round() as i128;
            let (part, whole) = (r.part as i128, r.whole as i128);
            (2 * t - 1) * whole <= 2000 * part && 2000 * part < (2 * t + 1) * whole
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_figure_is_the_sum_or_ratio_of_sums_of_the_clubs_figures(figs in proptest::collection::vec(arb_figures(), 0..40), hamlets in proptest::option::of(1u32..30)) {
        // One period for all: the templates are of two periods, so keep those of the first club's.
        let period = figs.first().map(|f| TEMPLATES[f.template].period.label.clone()).unwrap_or_else(|| "2025".into());
        let clubs: Vec<ClubInput> = figs
            .iter()
            .enumerate()
            .map(|(i, f)| club(i, f))
            .filter(|c| c.report.period.label == period)
            .collect();
        let r = roll_up(&request(&period, hamlets), &clubs, &ha_tinh()).unwrap();
        let json: Value = serde_json::from_slice(&r.to_json().unwrap()).unwrap();
        let reports: Vec<Value> = clubs.iter().map(|c| serde_json::from_slice(&c.report.to_json().unwrap()).unwrap()).collect();
        prop_assert_eq!(num(&json, "totals.clubs"), clubs.len() as i64);
        for (ours, theirs) in SUMS {
            let sum: i64 = reports.iter().map(|v| num(v, theirs)).sum();
            prop_assert_eq!(num(&json, ours), sum, "{} ≠ Σ {}", ours, theirs);
        }
        // Derived per club, then summed.
        let sum = |f: &dyn Fn(&ClubInput) -> i64| clubs.iter().map(f).sum::<i64>();
        let t = &r.totals;
        prop_assert_eq!(t.sex_age.older_men as i64, sum(&|c| (c.report.members.end.older - c.report.members.end.older_women) as i64));
        prop_assert_eq!(t.sex_age.younger_women as i64, sum(&|c| (c.report.members.end.women - c.report.members.end.older_women) as i64));
        prop_assert_eq!(t.sex_age.older_women + t.sex_age.older_men + t.sex_age.younger_women + t.sex_age.younger_men, t.members.members);
        prop_assert_eq!(t.clubs_meeting_monthly as i64, sum(&|c| (c.report.meetings.months > 0 && c.report.meetings.months_with_meeting == c.report.meetings.months) as i64));
        prop_assert_eq!(t.clubs_all_areas_monthly as i64, sum(&|c| (meets_monthly(&c.report) && c.report.meetings.areas_covered == 8) as i64));
        prop_assert_eq!(t.clubs_with_themes as i64, sum(&|c| c.report.meetings.themes.iter().any(|x| x.count > 0) as i64));
        prop_assert_eq!(t.clubs_assessed_standard as i64, sum(&|c| c.report.standard.is_some() as i64));
        prop_assert_eq!(t.clubs_meeting_standard as i64, sum(&|c| c.report.standard.as_ref().is_some_and(|s| s.judged > 0 && s.met == s.judged) as i64));
        prop_assert_eq!(t.funds_total, sum(&|c| c.report.funds.iter().map(|f| f.closing.total).sum()));
        let hamlet_set: std::collections::BTreeSet<&str> = clubs.iter().map(|c| c.hamlet.as_str()).collect();
        prop_assert_eq!(t.hamlets_with_club as usize, hamlet_set.len());
        // Ratios: of the sums, never an average of the clubs' ratios; rounded half up.
        for (ratio, part, whole) in [
            (t.share_older, t.members.older as i64, t.members.members as i64),
            (t.share_women, t.members.women as i64, t.members.members as i64),
            (t.share_older_women, t.members.older_women as i64, t.members.members as i64),
            (t.share_borrowed, t.members_ever_borrowed as i64, t.loan_members as i64),
            (t.par30_ratio, t.par30, t.loans_outstanding),
        ] {
            prop_assert_eq!((ratio.part, ratio.whole), (part, whole));
            prop_assert!(pct_is_rounded(&ratio), "{:?}", ratio);
        }
        let yearly = period == "2025";
        match t.board {
            Some(b) => {
                prop_assert!(yearly);
                prop_assert_eq!(b.part, sum(&|c| board_trained(&c.report).unwrap().0));
                prop_assert_eq!(b.whole, sum(&|c| board_trained(&c.report).unwrap().1));
            }
            None => prop_assert!(!yearly),
        }
        // The side-by-side table is the clubs' own figures.
        prop_assert_eq!(r.clubs.len(), clubs.len());
        for (row, c) in r.clubs.iter().zip(&clubs) {
            prop_assert_eq!(&row.members, &c.report.members.end);
            prop_assert_eq!(row.loans_outstanding, c.report.loans.at_end.outstanding);
            prop_assert_eq!(row.standard_met, c.report.standard.as_ref().map(|s| s.met));
        }
        // Each plan line's figure is one of the ratios above, and its status agrees with its band.
        for l in &r.plan.lines {
            if let (Some(f), Some(s)) = (l.figure, l.status) {
                let inside = if f.whole == 0 { l.min_pct == 0 } else {
                    f.part * 100 >= l.min_pct as i64 * f.whole && f.part * 100 <= l.max_pct as i64 * f.whole
                };
                prop_assert_eq!(s == Status::Within, inside, "{:?}", l);
                if let Some(x) = l.short_by {
                    prop_assert!(s == Status::Below);
                    if l.unit != plan::PlanUnit::Members {
                        prop_assert!((f.part + x) * 100 >= l.min_pct as i64 * f.whole);
                        prop_assert!((f.part + x - 1) * 100 < l.min_pct as i64 * f.whole);
                    } else {
                        prop_assert!((f.part + x) * 100 >= l.min_pct as i64 * (f.whole + x));
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// One level up: the district's roll-up of its communes' roll-ups has the totals of rolling all
    /// their clubs up at once, so every figure still traces to the clubs' reports.
    #[test]
    fn a_district_s_figures_are_those_of_all_its_communes_clubs(
        figs in proptest::collection::vec(arb_figures(), 0..40),
        cuts in proptest::collection::vec(0usize..40, 0..4),
    ) {
        let period = figs.first().map(|f| TEMPLATES[f.template].period.label.clone()).unwrap_or_else(|| "2025".into());
        let clubs: Vec<ClubInput> = figs.iter().enumerate().map(|(i, f)| club(i, f)).filter(|c| c.report.period.label == period).collect();
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (clubs.len() + 1)).collect();
        bounds.push(0);
        bounds.push(clubs.len());
        bounds.sort();
        let parts: Vec<PartInput> = bounds
            .windows(2)
            .enumerate()
            .map(|(k, w)| PartInput { name: format!("Xã số {k}"), rollup: roll_up(&request(&period, None), &clubs[w[0]..w[1]], &ha_tinh()).unwrap() })
            .collect();
        // The roll-ups travel as JSON: read them back as the district does.
        let parts: Vec<PartInput> = parts
            .into_iter()
            .map(|p| PartInput { name: p.name, rollup: serde_json::from_slice(&p.rollup.to_json().unwrap()).unwrap() })
            .collect();
        let district = roll_up_parts(&request(&period, None), "district", "commune", &parts, &ha_tinh()).unwrap();
        let mut all = roll_up(&request(&period, None), &clubs, &ha_tinh()).unwrap().totals;
        // Hamlets belong to one commune each: the district counts each commune's hamlets.
        all.hamlets_with_club = parts.iter().map(|p| p.rollup.totals.hamlets_with_club).sum();
        prop_assert_eq!(&district.totals, &all);
        prop_assert_eq!(district.level.as_str(), "district");
        prop_assert_eq!(district.parts.len(), parts.len());
        prop_assert!(district.clubs.is_empty());
        for (row, p) in district.parts.iter().zip(&parts) {
            prop_assert_eq!(&row.totals, &p.rollup.totals);
        }
    }
}

#[test]
fn a_district_refuses_a_part_of_another_level_period_or_with_figures_that_disagree() {
    let clubs: Vec<ClubInput> = TEMPLATES
        .iter()
        .filter(|r| r.period.label == "2025")
        .enumerate()
        .map(|(i, r)| ClubInput { name: format!("CLB {i}"), hamlet: format!("Thôn {i}"), report: r.clone() })
        .collect();
    let commune = roll_up(&request("2025", Some(4)), &clubs, &ha_tinh()).unwrap();
    let part = |name: &str, r: &Rollup| PartInput { name: name.into(), rollup: r.clone() };
    let req = request("2025", None);
    let code = |e: crate::error::CoreError| e.code();
    let ok = roll_up_parts(&req, "district", "commune", &[part("Xã A", &commune), part("Xã B", &commune)], &ha_tinh()).unwrap();
    assert_eq!(ok.totals.clubs, 2 * commune.totals.clubs);
    assert_eq!(ok.totals.funds_total, 2 * commune.totals.funds_total);
    assert_eq!(ok.totals.hamlets_with_club, 2 * commune.totals.hamlets_with_club);
    // A district's roll-up is not a commune's: a province takes it, a district does not.
    let e = roll_up_parts(&req, "district", "commune", &[part("Huyện", &ok)], &ha_tinh()).unwrap_err();
    assert_eq!(code(e), "rollup.bad_report");
    let province = roll_up_parts(&req, "province", "district", &[part("Huyện", &ok)], &ha_tinh()).unwrap();
    assert_eq!(province.totals, ok.totals);
    // The same commune twice, another period, figures that do not add up: refused by name.
    let e = roll_up_parts(&req, "district", "commune", &[part("Xã A", &commune), part("xã  a", &commune)], &ha_tinh()).unwrap_err();
    assert_eq!(code(e), "rollup.duplicate_club");
    let e = roll_up_parts(&request("2026", None), "district", "commune", &[part("Xã A", &commune)], &ha_tinh()).unwrap_err();
    assert_eq!(code(e), "rollup.wrong_period");
    let mut bad = commune.clone();
    bad.totals.members.women += 1;
    let e = roll_up_parts(&req, "district", "commune", &[part("Xã A", &bad)], &ha_tinh()).unwrap_err();
    assert_eq!(code(e), "rollup.bad_report");
    let mut bad = commune.clone();
    bad.totals.funds_total += 1;
    let e = roll_up_parts(&req, "district", "commune", &[part("Xã A", &bad)], &ha_tinh()).unwrap_err();
    assert!(format!("{e:?}").contains("funds_total"), "{e:?}");
    let mut bad = commune.clone();
    bad.totals.funds[0].closing.total = i64::MAX - 1;
    bad.totals.funds_total = bad.totals.funds.iter().fold(0i64, |s, f| s.saturating_add(f.closing.total));
    let twice = roll_up_parts(&req, "district", "commune", &[part("Xã A", &bad), part("Xã B", &bad)], &ha_tinh());
    assert!(twice.is_err(), "an overflowing sum is refused, not wrapped");
}

#[test]
fn real_reports_roll_up_and_agree_with_their_clubs() {
    let clubs: Vec<ClubInput> = TEMPLATES
        .iter()
        .filter(|r| r.period.label == "2025")
        .enumerate()
        .map(|(i, r)| ClubInput { name: format!("CLB {i}"), hamlet: "Thôn Đông".into(), report: r.clone() })
        .collect();
    assert_eq!(clubs.len(), 2);
    let r = roll_up(&request("2025", Some(10)), &clubs, &ha_tinh()).unwrap();
    let members: u32 = clubs.iter().map(|c| c.report.members.end.members).sum();
    assert!(members > 0);
    assert_eq!(r.totals.members.members, members);
    assert_eq!(r.totals.funds.len(), 2);
    assert_eq!(r.totals.funds[0].fund, "income");
    assert_eq!(r.totals.funds[0].clubs, 2);
    // One hamlet of ten has a club: 10 %, below the 35 % floor; three more hamlets reach 40 %.
    let h = r.plan.lines.iter().find(|l| l.measure == PlanMeasure::HamletsWithClub).unwrap();
    assert_eq!(h.figure, Some(Ratio { part: 1, whole: 10, pct: Some(10.0) }));
    assert_eq!((h.status, h.short_by), (Some(Status::Below), Some(3)));
    // Members in need are not in the club reports: not measurable, never invented.
    let n = r.plan.lines.iter().find(|l| l.measure == PlanMeasure::InNeedSupported).unwrap();
    assert_eq!((n.not_measurable, n.figure, n.status), (Some(NotMeasurable::NotInReports), None, None));
    // A yearly roll-up judges board training; a monthly one cannot.
    let b = r.plan.lines.iter().find(|l| l.measure == PlanMeasure::BoardTrained).unwrap();
    assert!(b.status.is_some());
    let monthly: Vec<ClubInput> = TEMPLATES
        .iter()
        .filter(|r| r.period.label == "2026-10")
        .enumerate()
        .map(|(i, r)| ClubInput { name: format!("CLB {i}"), hamlet: format!("Thôn {i}"), report: r.clone() })
        .collect();
    let m = roll_up(&request("2026-10", None), &monthly, &ha_tinh()).unwrap();
    let b = m.plan.lines.iter().find(|l| l.measure == PlanMeasure::BoardTrained).unwrap();
    assert_eq!(b.not_measurable, Some(NotMeasurable::YearlyOnly));
    let h = m.plan.lines.iter().find(|l| l.measure == PlanMeasure::HamletsWithClub).unwrap();
    assert_eq!(h.not_measurable, Some(NotMeasurable::HamletsUnknown));
    assert_eq!(m.plan.judged + 3, m.plan.lines.len() as u32);
}

#[test]
fn a_report_of_another_period_a_club_twice_or_inconsistent_counts_are_refused() {
    let r = TEMPLATES[0].clone();
    let c = |name: &str, hamlet: &str| ClubInput { name: name.into(), hamlet: hamlet.into(), report: r.clone() };
    let e = roll_up(&request("2026", None), &[c("A", "X")], &ha_tinh()).unwrap_err();
    assert_eq!(e.code(), "rollup.wrong_period");
    // The same club, written with another case or decomposed diacritics, is still the same club.
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Thôn Đông").collect();
    let e = roll_up(&request("2025", None), &[c("CLB Hòa", "Thôn Đông"), c("clb hòa", &nfd)], &ha_tinh()).unwrap_err();
    assert_eq!(e.code(), "rollup.duplicate_club");
    // Diacritics matter: Hòa and Hóa are two clubs.
    let two = roll_up(&request("2025", None), &[c("CLB Hòa", "Thôn Đông"), c("CLB Hóa", "Thôn Đông")], &ha_tinh()).unwrap();
    assert_eq!((two.totals.clubs, two.totals.hamlets_with_club), (2, 1));
    let mut bad = c("A", "X");
    bad.report.members.end.older_women = bad.report.members.end.women + 1;
    assert_eq!(roll_up(&request("2025", None), &[bad], &ha_tinh()).unwrap_err().code(), "rollup.bad_report");
}

#[test]
fn sums_that_would_overflow_are_refused_not_wrapped() {
    let mut a = TEMPLATES[0].clone();
    a.loans.at_end.outstanding = i64::MAX;
    let mut b = a.clone();
    b.loans.at_end.outstanding = 1;
    let clubs = [
        ClubInput { name: "A".into(), hamlet: "X".into(), report: a.clone() },
        ClubInput { name: "B".into(), hamlet: "Y".into(), report: b },
    ];
    let e = roll_up(&request("2025", None), &clubs, &ha_tinh()).unwrap_err();
    assert_eq!(e.to_json()["params"]["figure"], "loans_outstanding");
    // A count: members (consistent, so the club is not refused for its counts first).
    let mut big = a.clone();
    big.loans.at_end.outstanding = 0;
    let e = &mut big.members.end;
    *e = crate::roster::composition::Counts { members: u32::MAX, women: u32::MAX, older: u32::MAX, older_women: u32::MAX, ..Default::default() };
    let clubs = [
        ClubInput { name: "A".into(), hamlet: "X".into(), report: big.clone() },
        ClubInput { name: "B".into(), hamlet: "Y".into(), report: big },
    ];
    assert_eq!(roll_up(&request("2025", None), &clubs, &ha_tinh()).unwrap_err().code(), "rollup.overflow");
}

#[test]
fn a_club_report_file_is_read_strictly() {
    let json = TEMPLATES[0].to_json().unwrap();
    assert!(parse_report(&json, "a.json").is_ok());
    let mut v: Value = serde_json::from_slice(&json).unwrap();
    v["format"] = "something-else".into();
    assert_eq!(parse_report(&serde_json::to_vec(&v).unwrap(), "a.json").unwrap_err().code(), "rollup.bad_report");
    assert_eq!(parse_report(b"{\"format\":", "a.json").unwrap_err().code(), "rollup.bad_report");
    assert_eq!(parse_report(&json[..json.len() / 2], "a.json").unwrap_err().code(), "rollup.bad_report");
}

#[test]
fn ratios_round_half_up_from_integers() {
    assert_eq!(Ratio::of(1, 3).pct, Some(33.3));
    assert_eq!(Ratio::of(2, 3).pct, Some(66.7));
    assert_eq!(Ratio::of(1, 8).pct, Some(12.5));
    assert_eq!(Ratio::of(1, 16).pct, Some(6.3)); // 6.25 → 6.3 (half up)
    assert_eq!(Ratio::of(1, 2000).pct, Some(0.1)); // 0.05 → 0.1
    assert_eq!(Ratio::of(1, 2001).pct, Some(0.0));
    assert_eq!(Ratio::of(0, 0).pct, None);
    assert_eq!(Ratio::of(i64::MAX, i64::MAX).pct, Some(100.0));
    assert_eq!(Ratio::of(-1, 16).pct, Some(-6.3));
}

#[test]
fn the_built_in_plan_is_ha_tinh_2030_and_a_commune_s_own_plan_is_read_strictly() {
    let p = ha_tinh();
    plan::validate(&p).unwrap();
    assert!(p.builtin);
    let band = |m| p.targets.iter().find(|t| t.measure == m).map(|t| (t.min_pct, t.max_pct));
    assert_eq!(band(PlanMeasure::AllAreasMonthly), Some((60, 100)));
    assert_eq!(band(PlanMeasure::Themes), Some((50, 100)));
    assert_eq!(band(PlanMeasure::BoardTrained), Some((100, 100)));
    assert_eq!(band(PlanMeasure::InNeedSupported), Some((55, 100)));
    assert_eq!(band(PlanMeasure::OlderWomen), Some((50, 60)));
    assert_eq!(band(PlanMeasure::HamletsWithClub), Some((35, 100)));

    let own = include_str!("../../../../../assets/plans/ha-tinh-2030.json").replace("ha-tinh-2030", "xa-quang-hoa");
    let parsed = plan::parse(own.as_bytes()).unwrap();
    assert_eq!((parsed.id.as_str(), parsed.builtin), ("xa-quang-hoa", false));
    let bad = own.replace("\"themes\"", "\"theme\"");
    assert_eq!(plan::parse(bad.as_bytes()).unwrap_err().code(), "rollup.bad_plan");
    let bad = own.replace("\"targets\"", "\"extra\": 1, \"targets\"");
    assert_eq!(plan::parse(bad.as_bytes()).unwrap_err().code(), "rollup.bad_plan");
    let bad = own.replace("\"themes\"", "\"older_women\"");
    assert_eq!(plan::parse(bad.as_bytes()).unwrap_err().code(), "rollup.duplicate_target");
    let bad = own.replace("\"min_pct\": 50, \"max_pct\": 60", "\"min_pct\": 70, \"max_pct\": 60");
    assert_eq!(plan::parse(bad.as_bytes()).unwrap_err().code(), "input.invalid");
}

#[test]
fn plan_lines_say_what_is_missing() {
    let mut t = Totals { clubs: 10, clubs_all_areas_monthly: 4, clubs_with_themes: 5, ..Default::default() };
    t.members.members = 100;
    t.members.older_women = 62;
    t.share_older_women = Ratio::of(62, 100);
    let lines = plan::judge(&ha_tinh(), &t, Some(20)).lines;
    let get = |m| lines.iter().find(|l| l.measure == m).unwrap().clone();
    // 4 of 10 clubs, floor 60 %: two more clubs.
    let a = get(PlanMeasure::AllAreasMonthly);
    assert_eq!((a.status, a.short_by, a.unit), (Some(Status::Below), Some(2), plan::PlanUnit::Clubs));
    assert_eq!(get(PlanMeasure::Themes).status, Some(Status::Within));
    // 62 older women of 100, ceiling 60 %: four new members who are not older women (62/104 ≤ 60 %).
    let o = get(PlanMeasure::OlderWomen);
    assert_eq!((o.status, o.over_by), (Some(Status::Above), Some(4)));
    let words = html::verdict(crate::i18n::Lang::Vi, &o);
    assert_eq!(words, "Vượt mức: cần thêm 4 thành viên không phải nữ cao tuổi");
    assert_eq!(html::verdict(crate::i18n::Lang::Vi, &a), "Chưa đạt: còn thiếu 2 câu lạc bộ");
    assert_eq!(html::verdict(crate::i18n::Lang::En, &get(PlanMeasure::Themes)), "Met");
    // No club at all has a hamlet: 0 of 20.
    let h = get(PlanMeasure::HamletsWithClub);
    assert_eq!((h.status, h.short_by), (Some(Status::Below), Some(7)));
}

#[test]
fn the_published_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schema/rollup-v1.schema.json");
    let schema = json_schema();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &schema).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == schema, "docs/schema/rollup-v1.schema.json is stale: run UPDATE_SNAPSHOTS=1 cargo test -p ishc-core rollup");
    // Every field of the roll-up's JSON is described by the schema.
    let v: Value = serde_json::from_str(&schema).unwrap();
    let props = v["properties"].as_object().unwrap();
    for k in ["format", "period", "totals", "plan", "clubs"] {
        assert!(props.contains_key(k), "{k}");
    }
}

fn sample(period: &str) -> Rollup {
    let clubs: Vec<ClubInput> = TEMPLATES
        .iter()
        .filter(|r| r.period.label == period)
        .enumerate()
        .map(|(i, r)| ClubInput { name: format!("CLB Hòa <{i}>"), hamlet: format!("Thôn {i}"), report: r.clone() })
        .collect();
    roll_up(&request(period, Some(12)), &clubs, &ha_tinh()).unwrap()
}

/// A district's roll-up of two communes' (the sample, under two names).
fn district_sample() -> Rollup {
    let c = sample("2025");
    let parts = vec![PartInput { name: "Xã <Hòa>".into(), rollup: c.clone() }, PartInput { name: "Xã Trung".into(), rollup: c }];
    roll_up_parts(&request("2025", Some(30)), "district", "commune", &parts, &ha_tinh()).unwrap()
}

/// The shape DHIS2 documents for `dataValueSets`: `dataSet`, `period`, `orgUnit` (strings) and
/// `dataValues`, a list of `{dataElement, categoryOptionCombo?, value}` with the value a string;
/// periods `yyyy`, `yyyyQn` or `yyyyMM`. Optional top-level keys DHIS2 also accepts are allowed.
fn check_documented_shape(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("not an object")?;
    for k in o.keys() {
        if !["dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo", "dataValues"].contains(&k.as_str()) {
            return Err(format!("unknown key {k}"));
        }
    }
    for k in ["dataSet", "period", "orgUnit"] {
        if o.get(k).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(format!("{k} missing"));
        }
    }
    let p = o["period"].as_str().unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let period_ok = (p.len() == 4 && digits(p))
        || (p.len() == 6 && &p[4..5] == "Q" && digits(&p[..4]) && ["1", "2", "3", "4"].contains(&&p[5..]))
        || (p.len() == 6 && digits(p) && (1..=12).contains(&p[4..].parse::<u32>().unwrap_or(0)));
    if !period_ok {
        return Err(format!("period {p}"));
    }
    for dv in o.get("dataValues").and_then(Value::as_array).ok_or("dataValues missing")? {
        let d = dv.as_object().ok_or("data value not an object")?;
        for k in d.keys() {
            if !["dataElement", "categoryOptionCombo", "attributeOptionCombo", "value", "comment"].contains(&k.as_str()) {
                return Err(format!("unknown data value key {k}"));
            }
        }
        if !d.get("dataElement").is_some_and(Value::is_string) || !d.get("value").is_some_and(Value::is_string) {
            return Err(format!("bad data value {dv}"));
        }
        if d.get("categoryOptionCombo").is_some_and(|c| !c.is_string()) {
            return Err(format!("bad categoryOptionCombo {dv}"));
        }
    }
    Ok(())
}

#[test]
fn the_dhis2_export_has_the_documented_shape_and_the_roll_up_s_figures() {
    // The documented example itself passes the check (so the check is of DHIS2's shape).
    let documented: Value = serde_json::from_str(
        r#"{"dataSet":"pBOMPrpg1QX","completeDate":"2014-02-03","period":"201401","orgUnit":"DiszpKrYNg8",
            "dataValues":[{"dataElement":"f7n9E0hX8qk","value":"1"},{"dataElement":"Ix2HsbDMLea","categoryOptionCombo":"bRowv6yZOF2","value":"2"}]}"#,
    )
    .unwrap();
    check_documented_shape(&documented).unwrap();
    assert!(check_documented_shape(&serde_json::json!({"dataSet": "x", "period": "2026-11", "orgUnit": "y", "dataValues": []})).is_err());

    let mapping = dhis2::parse_mapping(dhis2::DEFAULT_MAPPING.as_bytes()).unwrap();
    // The default mapping names every figure once.
    assert_eq!(mapping.mappings.len(), dhis2::Figure::ALL.len());
    for (period, id) in [("2025", "2025"), ("2026-10", "202610")] {
        let r = sample(period);
        let bytes = dhis2::render(&r, &mapping, "DiszpKrYNg8").unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        check_documented_shape(&v).unwrap();
        assert_eq!(v["period"], id);
        assert_eq!(v["orgUnit"], "DiszpKrYNg8");
        let values: Vec<(String, i64)> = v["dataValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["dataElement"].as_str().unwrap().to_string(), d["value"].as_str().unwrap().parse().unwrap()))
            .collect();
        let get = |de: &str| values.iter().find(|(d, _)| d == de).map(|(_, v)| *v);
        assert_eq!(get("ISHC_CLUBS"), Some(r.totals.clubs as i64));
        assert_eq!(get("ISHC_MEMBERS"), Some(r.totals.members.members as i64));
        assert_eq!(get("ISHC_PAR30"), Some(r.totals.par30));
        assert_eq!(get("ISHC_INCOME_FUND_TOTAL"), Some(r.totals.funds[0].closing.total));
        // Board training is sent from a yearly roll-up only; never as a made-up 0.
        assert_eq!(get("ISHC_BOARD_MEMBERS"), r.totals.board.map(|b| b.whole));
        assert_eq!(get("ISHC_BOARD_MEMBERS").is_some(), period == "2025");
    }
    let q = Period::parse("2026-Q4").unwrap();
    assert_eq!(dhis2::period_id(&q), "2026Q4");
    assert_eq!(dhis2::data_value_set(&sample("2025"), &mapping, "bad unit!").unwrap_err().code(), "rollup.bad_mapping");
}

#[test]
fn a_mapping_file_is_read_strictly() {
    let good = r#"{"format":"ishc-dhis2-mapping","version":1,"data_set":"DS1","mappings":[
        {"figure":"women","data_element":"MEMBERS","category_option_combo":"F"},
        {"figure":"men","data_element":"MEMBERS","category_option_combo":"M"}]}"#;
    let m = dhis2::parse_mapping(good.as_bytes()).unwrap();
    assert_eq!(m.mappings.len(), 2);
    let code = |s: &str| dhis2::parse_mapping(s.as_bytes()).unwrap_err().code();
    assert_eq!(code(&good.replace("\"men\"", "\"mens\"")), "rollup.unknown_figure");
    assert_eq!(code(&good.replace("\"men\"", "\"women\"")), "rollup.duplicate_mapping");
    assert_eq!(code(&good.replace("\"M\"", "\"F\"")), "rollup.duplicate_mapping");
    assert_eq!(code(&good.replace("\"data_set\"", "\"extra\":1,\"data_set\"")), "rollup.bad_mapping");
    assert_eq!(code(&good.replace("ishc-dhis2-mapping", "other")), "rollup.bad_mapping");
    assert_eq!(code(&good.replace("\"DS1\"", "\"DS 1\"")), "rollup.bad_mapping");
    assert_eq!(code(&good.replace("\"MEMBERS\",\"category", "\"\",\"category")), "rollup.bad_mapping");
    assert_eq!(code("[]"), "rollup.bad_mapping");
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

#[test]
fn the_html_page_shows_the_json_figures_and_needs_no_network() {
    for (lang, district) in [(crate::i18n::Lang::Vi, false), (crate::i18n::Lang::En, false), (crate::i18n::Lang::Vi, true), (crate::i18n::Lang::En, true)] {
        let r = if district { district_sample() } else { sample("2025") };
        let json: Value = serde_json::from_slice(&r.to_json().unwrap()).unwrap();
        let page = html::render(&r, lang);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("https://") && !page.contains("<script") && !page.contains("<link"));
        // Names are escaped, never markup; one level up the communes are listed, not clubs.
        if district {
            assert!(page.contains("Xã &lt;Hòa&gt;") && !page.contains("Xã <Hòa>"));
            assert!(page.contains("data-figure=\"parts.1.totals.funds_total\""));
            assert!(!page.contains("CLB Hòa"));
        } else {
            assert!(page.contains("CLB Hòa &lt;0&gt;") && !page.contains("CLB Hòa <0>"));
        }
        let mut checked = 0;
        for part in page.split("data-figure=\"").skip(1) {
            let (path, rest) = part.split_once('"').unwrap();
            let shown = html_unescape(rest.split_once('>').unwrap().1.split('<').next().unwrap());
            let Some(v) = lookup(&json, path) else {
                assert_eq!(path, "commune");
                continue;
            };
            let digits: String = shown.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '-').collect();
            if path.ends_with(".pct") {
                let want = v.as_f64().map(|p| format!("{p:.1}").replace('.', ","));
                assert_eq!(Some(digits), want, "{path}: {shown}");
            } else {
                assert_eq!(digits.replace('.', "").parse::<i64>().ok(), v.as_i64(), "{path}: {shown}");
            }
            checked += 1;
        }
        assert!(checked > 40, "{checked}");
        // Every word from the catalogue: no key left unsaid.
        assert!(!page.contains("rollup."), "a catalogue key is shown as is");
        assert!(page.contains("<svg"));
    }
}

fn cell_f64(c: &calamine::Data) -> Option<f64> {
    match c {
        calamine::Data::Float(f) => Some(*f),
        calamine::Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

#[test]
fn the_spreadsheet_holds_the_json_figures_as_numbers() {
    use calamine::{Reader, Xlsx};
    for (r, sheets) in [(sample("2025"), 3), (district_sample(), 4)] {
        let json: Value = serde_json::from_slice(&r.to_json().unwrap()).unwrap();
        let bytes = xlsx::render(&r, crate::i18n::Lang::Vi).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        assert_eq!(names.len(), sheets);
        let mut checked = 0;
        for name in names {
            let range = book.worksheet_range(&name).unwrap();
            let rows: Vec<Vec<calamine::Data>> = range.rows().map(|r| r.to_vec()).collect();
            let mut codes: Vec<String> = Vec::new();
            for row in &rows {
                let texts: Vec<String> = row.iter().map(|c| c.to_string()).collect();
                if texts.first().is_some_and(|t| t.is_empty()) && texts.iter().skip(1).any(|t| !t.is_empty()) {
                    codes = texts;
                    continue;
                }
                let Some(path) = texts.iter().rev().find(|t| !t.is_empty()) else { continue };
                let Some(base) = lookup(&json, path) else { continue };
                for (i, code) in codes.iter().enumerate().skip(1) {
                    let want = if code == "=" { Some(base) } else { lookup(base, code) };
                    let (Some(want), Some(got)) = (want.and_then(Value::as_f64), row.get(i).and_then(cell_f64)) else { continue };
                    assert_eq!(got, want, "{name} {path} {code}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 60, "{checked}");
    }
}

#[test]
fn every_plan_code_has_words_in_both_languages() {
    use crate::i18n::{t, Lang};
    let keys = plan::PlanMeasure::ALL
        .iter()
        .map(|m| format!("rollup.measure.{}", m.code()))
        .chain(plan::PlanUnit::ALL.iter().map(|u| format!("rollup.unit.{}", u.code())))
        .chain(plan::PlanMeasure::ALL.iter().map(|m| format!("rollup.group.{}", m.code())))
        .chain(NotMeasurable::ALL.iter().map(|n| format!("rollup.not_measurable.{}", n.code())));
    for key in keys {
        for lang in [Lang::Vi, Lang::En] {
            assert_ne!(t(lang, &key), key, "{lang:?} has no words for {key}");
        }
    }
    // The error naming a measure says it in words.
    let m = crate::i18n::error_message(Lang::Vi, &crate::error::CoreError::RollupDuplicateTarget { measure: "older_women".into() });
    assert!(m.contains("Nữ cao tuổi") && !m.contains("older_women"), "{m}");
}
