//! The roll-up's `report.html`: one self-contained page (inline CSS and SVG charts, no script, no
//! network) that prints on A4, drawn as the club report is (`reporting::html`: the same look and
//! chart helpers). Every figure cell carries `data-figure="<path in the roll-up's report.json>"`.
//! All words come from the catalogue; every datum is escaped by maud.

use maud::{html, Markup};

use super::plan::{PlanLine, PlanUnit};
use super::types::{Ratio, Rollup};
use crate::format::{date, money};
use crate::i18n::{fill, t, Lang};
use crate::reporting::html::{bars, pct, period_title};

/// One bar of a chart: its words, the per cent, and the band it should be in.
type Bar = (String, f64, Option<(u32, u32)>);

/// A ratio as "12,5 % (5/40)", or "—" when there is nothing to divide by.
fn ratio(r: &Ratio) -> String {
    match r.pct {
        Some(p) => format!("{} ({}/{})", pct(p), r.part, r.whole),
        None => "—".into(),
    }
}

/// A share of money: "0,0 % (0 đ / 47.000.000 đ)".
fn ratio_money(r: &Ratio) -> String {
    match r.pct {
        Some(p) => format!("{} ({} / {})", pct(p), money(r.part), money(r.whole)),
        None => "—".into(),
    }
}

fn amount(unit: PlanUnit, n: i64) -> String {
    if unit == PlanUnit::Dong {
        money(n)
    } else {
        n.to_string()
    }
}

/// The plan line's verdict in words: "Đạt", what is missing, or why it cannot be measured.
pub fn verdict(lang: Lang, l: &PlanLine) -> String {
    let tr = |k: &str| t(lang, k);
    if let Some(why) = l.not_measurable {
        return tr(&format!("rollup.not_measurable.{}", why.code()));
    }
    let unit = tr(&format!("rollup.unit.{}", l.unit.code()));
    let params = |n: i64| {
        serde_json::json!({"n": amount(l.unit, n), "unit": unit, "group": tr(&format!("rollup.group.{}", l.measure.code()))})
    };
    match (l.status, l.short_by, l.over_by) {
        (Some(s), _, _) if s.code() == "within" => tr("rollup.met"),
        (_, Some(n), _) => fill(&tr(&format!("rollup.short.{}", if l.unit == PlanUnit::Members { "members" } else { "fixed" })), &params(n)),
        (_, _, Some(n)) => fill(&tr(&format!("rollup.over.{}", if l.unit == PlanUnit::Members { "members" } else { "fixed" })), &params(n)),
        (Some(s), _, _) => tr(&format!("status.{}", s.code())),
        (None, _, _) => String::new(),
    }
}

/// The page's title by who rolled up: the clubs (a commune), the communes (a district), the districts.
fn title_key(r: &Rollup) -> &'static str {
    match r.level.as_str() {
        "district" => "rollup.title_district",
        "province" => "rollup.title_province",
        _ => "rollup.title",
    }
}

pub fn render(r: &Rollup, lang: Lang) -> String {
    let unit = [r.commune.as_str(), r.district.as_str(), r.province.as_str()].into_iter().find(|s| !s.is_empty()).unwrap_or_default();
    let title = format!("{} — {} — {}", t(lang, title_key(r)), unit, period_title(lang, &r.period));
    crate::reporting::html::page(lang, &title, fragment(r, lang))
}

/// The page without its frame: what a window's preview would show.
pub fn fragment(r: &Rollup, lang: Lang) -> Markup {
    let tr = |k: &str| t(lang, k);
    let tt = &r.totals;
    let place = [r.commune.as_str(), r.district.as_str(), r.province.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    let band_of = |m: &str| r.plan.lines.iter().find(|l| l.measure.code() == m).map(|l| (l.min_pct, l.max_pct));
    let share_rows: Vec<Bar> = [
        ("rollup.share_women", tt.share_women, band_of("women")),
        ("rollup.share_older", tt.share_older, band_of("older")),
        ("rollup.share_older_women", tt.share_older_women, band_of("older_women")),
        ("rollup.share_borrowed", tt.share_borrowed, band_of("borrowed")),
        ("rollup.par30", tt.par30_ratio, band_of("par30")),
    ]
    .into_iter()
    .filter_map(|(k, ratio, band)| ratio.pct.map(|p| (tr(k), p, band)))
    .collect();
    let plan_rows: Vec<Bar> = r
        .plan
        .lines
        .iter()
        .filter_map(|l| Some((tr(&format!("rollup.measure.{}", l.measure.code())), l.figure?.pct?, Some((l.min_pct, l.max_pct)))))
        .collect();
    let plan_name = match lang {
        Lang::Vi => &r.plan.name_vi,
        Lang::En => &r.plan.name_en,
    };
    let count_rows: Vec<(&str, String, String)> = vec![
        ("rollup.clubs", "totals.clubs".into(), tt.clubs.to_string()),
        ("measure.members", "totals.members.members".into(), tt.members.members.to_string()),
        ("rollup.older_women", "totals.sex_age.older_women".into(), tt.sex_age.older_women.to_string()),
        ("rollup.older_men", "totals.sex_age.older_men".into(), tt.sex_age.older_men.to_string()),
        ("rollup.younger_women", "totals.sex_age.younger_women".into(), tt.sex_age.younger_women.to_string()),
        ("rollup.younger_men", "totals.sex_age.younger_men".into(), tt.sex_age.younger_men.to_string()),
        ("measure.disadvantaged", "totals.members.disadvantaged".into(), tt.members.disadvantaged.to_string()),
        ("rollup.clubs_within_targets", "totals.clubs_within_targets".into(), tt.clubs_within_targets.to_string()),
        ("rollup.clubs_meeting_monthly", "totals.clubs_meeting_monthly".into(), tt.clubs_meeting_monthly.to_string()),
        ("rollup.clubs_all_areas_monthly", "totals.clubs_all_areas_monthly".into(), tt.clubs_all_areas_monthly.to_string()),
        ("rollup.clubs_with_themes", "totals.clubs_with_themes".into(), tt.clubs_with_themes.to_string()),
        ("rollup.clubs_assessed_standard", "totals.clubs_assessed_standard".into(), tt.clubs_assessed_standard.to_string()),
        ("rollup.clubs_meeting_standard", "totals.clubs_meeting_standard".into(), tt.clubs_meeting_standard.to_string()),
        ("rollup.meetings_held", "totals.meetings_held".into(), tt.meetings_held.to_string()),
        ("measure.volunteers", "totals.volunteers".into(), tt.volunteers.to_string()),
        ("rollup.care_recipients", "totals.care_recipients".into(), tt.care_recipients.to_string()),
        ("rollup.care_recipients_visited", "totals.care_recipients_visited".into(), tt.care_recipients_visited.to_string()),
        ("rollup.hamlets_with_club", "totals.hamlets_with_club".into(), tt.hamlets_with_club.to_string()),
    ];
    html! {
        div.report-doc {
            header {
                div.kind { (tr("rollup.kind")) }
                h1 { (tr(title_key(r))) " — " (period_title(lang, &r.period)) }
                p { strong data-figure="commune" { (place) } }
                p { (fill(&tr("report.period_dates"), &serde_json::json!({"from": date(r.period.from), "to": date(r.period.to)})))
                    ". " (fill(&tr("rollup.generated_on"), &serde_json::json!({"date": date(r.generated_on)}))) }
            }
            p.notice { (tr(if r.parts.is_empty() { "rollup.traceable" } else { "rollup.traceable_parts" })) }
            @if tt.older_ages.len() > 1 {
                p.notice { (fill(&tr("rollup.older_ages_differ"), &serde_json::json!({"ages": tt.older_ages.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")}))) }
            }

            h2 { (tr("rollup.s.totals")) }
            table {
                tr { th { (tr("report.measure")) } th.num { (tr("rollup.count")) } }
                @for (k, path, v) in &count_rows {
                    tr { td { (tr(k)) } td.num data-figure=(path) { (v) } }
                }
            }
            table {
                tr { th { (tr("report.measure")) } th.num { (tr("report.pct")) } }
                tr { td { (tr("rollup.share_women")) } td.num data-figure="totals.share_women.pct" { (ratio(&tt.share_women)) } }
                tr { td { (tr("rollup.share_older")) } td.num data-figure="totals.share_older.pct" { (ratio(&tt.share_older)) } }
                tr { td { (tr("rollup.share_older_women")) } td.num data-figure="totals.share_older_women.pct" { (ratio(&tt.share_older_women)) } }
                tr { td { (tr("rollup.share_borrowed")) } td.num data-figure="totals.share_borrowed.pct" { (ratio(&tt.share_borrowed)) } }
                tr { td { (tr("rollup.par30")) } td.num data-figure="totals.par30_ratio.pct" { (ratio_money(&tt.par30_ratio)) } }
                @if let Some(b) = &tt.board {
                    tr { td { (tr("rollup.measure.board_trained")) } td.num data-figure="totals.board.pct" { (ratio(b)) } }
                }
            }
            @if !share_rows.is_empty() { (bars(&share_rows)) }

            h2 { (tr("rollup.s.plan")) }
            p { (plan_name) }
            table {
                tr { th { (tr("report.measure")) } th.num { (tr("rollup.figure")) } th.num { (tr("report.target")) } th { (tr("report.status")) } }
                @for (i, l) in r.plan.lines.iter().enumerate() {
                    tr {
                        td { (tr(&format!("rollup.measure.{}", l.measure.code()))) }
                        td.num data-figure=[l.figure.and_then(|f| f.pct).map(|_| format!("plan.lines.{i}.figure.pct"))] {
                            @if let Some(f) = &l.figure { @if l.unit == PlanUnit::Dong { (ratio_money(f)) } @else { (ratio(f)) } } @else { "—" }
                        }
                        td.num { (l.min_pct) "–" (l.max_pct) " %" }
                        td class=(l.status.map(|s| s.code()).unwrap_or("no")) { (verdict(lang, l)) }
                    }
                }
            }
            @if !plan_rows.is_empty() { (bars(&plan_rows)) }

            h2 { (tr("rollup.s.funds")) }
            table {
                tr { th { (tr("rollup.fund")) } th.num { (tr("rollup.clubs")) } th.num { (tr("report.start")) } th.num { (tr("rollup.receipts")) } th.num { (tr("rollup.payments")) } th.num { (tr("report.end")) } }
                @for (i, f) in tt.funds.iter().enumerate() {
                    tr {
                        td { (tr(&format!("fund.{}", f.fund))) }
                        td.num data-figure={"totals.funds." (i) ".clubs"} { (f.clubs) }
                        td.num data-figure={"totals.funds." (i) ".opening_total"} { (money(f.opening_total)) }
                        td.num data-figure={"totals.funds." (i) ".receipts_total"} { (money(f.receipts_total)) }
                        td.num data-figure={"totals.funds." (i) ".payments_total"} { (money(f.payments_total)) }
                        td.num data-figure={"totals.funds." (i) ".closing.total"} { (money(f.closing.total)) }
                    }
                }
                tr.total { td { (tr("rollup.funds_total")) } td {} td {} td {} td {} td.num data-figure="totals.funds_total" { (money(tt.funds_total)) } }
            }
            table {
                tr { th { (tr("rollup.loans_outstanding")) } td.num data-figure="totals.loans_outstanding" { (money(tt.loans_outstanding)) } }
                tr { th { (tr("rollup.par30_amount")) } td.num data-figure="totals.par30" { (money(tt.par30)) } }
                tr { th { (tr("rollup.loans_disbursed")) } td.num data-figure="totals.loans_disbursed" { (money(tt.loans_disbursed)) } }
                tr { th { (tr("rollup.members_ever_borrowed")) } td.num data-figure="totals.members_ever_borrowed" { (tt.members_ever_borrowed) } }
            }

            @if let Some(first) = r.parts.first() {
                h2 { (tr(&format!("rollup.s.parts_{}", first.level))) }
                table.parts style="font-size: 8.5pt" {
                    tr {
                        th { (tr(&format!("rollup.part_{}", first.level))) } th.num { (tr("rollup.clubs")) } th.num { (tr("measure.members")) }
                        th.num { (tr("rollup.share_women")) } th.num { (tr("rollup.share_older")) } th.num { (tr("rollup.clubs_meeting_monthly")) }
                        th.num { (tr("rollup.funds_total")) } th.num { (tr("rollup.loans_outstanding")) } th.num { "PAR30" }
                    }
                    @for (i, p) in r.parts.iter().enumerate() {
                        tr {
                            td { (p.name) }
                            td.num data-figure={"parts." (i) ".totals.clubs"} { (p.totals.clubs) }
                            td.num data-figure={"parts." (i) ".totals.members.members"} { (p.totals.members.members) }
                            td.num { (ratio(&p.totals.share_women)) }
                            td.num { (ratio(&p.totals.share_older)) }
                            td.num data-figure={"parts." (i) ".totals.clubs_meeting_monthly"} { (p.totals.clubs_meeting_monthly) }
                            td.num data-figure={"parts." (i) ".totals.funds_total"} { (money(p.totals.funds_total)) }
                            td.num data-figure={"parts." (i) ".totals.loans_outstanding"} { (money(p.totals.loans_outstanding)) }
                            td.num { @if let Some(x) = p.totals.par30_ratio.pct { (pct(x)) } @else { "—" } }
                        }
                    }
                }
            }
            @if !r.clubs.is_empty() || r.parts.is_empty() {
            h2 { (tr("rollup.s.clubs")) }
            table.clubs style="font-size: 7.5pt" {
                tr {
                    th { (tr("rollup.club")) } th.num { (tr("measure.members")) } th.num { (tr("measure.women")) } th.num { (tr("measure.older")) }
                    th { (tr("rollup.composition")) } th.num { (tr("rollup.months_met")) } th.num { (tr("rollup.areas")) } th.num { (tr("rollup.themes")) }
                    th.num { (tr("fund.income")) } th.num { (tr("fund.activity")) } th.num { (tr("rollup.loans_outstanding")) } th.num { "PAR30" }
                    th.num { (tr("rollup.borrowed")) } th.num { (tr("rollup.standard")) }
                }
                @for (i, c) in r.clubs.iter().enumerate() {
                    tr {
                        td { (c.name) br; small { (c.hamlet) } }
                        td.num data-figure={"clubs." (i) ".members.members"} { (c.members.members) }
                        td.num data-figure={"clubs." (i) ".members.women"} { (c.members.women) }
                        td.num data-figure={"clubs." (i) ".members.older"} { (c.members.older) }
                        td class=(if c.all_within { "within" } else { "below" }) {
                            @if c.all_within { (tr("rollup.met")) } @else {
                                @for ts in c.targets.iter().filter(|ts| ts.status.code() != "within") {
                                    (tr(&format!("measure.{}", ts.measure))) ": " (tr(&format!("status.{}", ts.status.code()))) br;
                                }
                            }
                        }
                        td.num data-figure={"clubs." (i) ".months_with_meeting"} { (c.months_with_meeting) "/" (c.months) }
                        td.num data-figure={"clubs." (i) ".areas_covered"} { (c.areas_covered) "/8" }
                        td.num { (c.themes.iter().filter(|t| t.count > 0).count()) "/" (c.themes.len()) }
                        @for code in ["income", "activity"] {
                            td.num { (c.funds.iter().find(|f| f.fund == code).map(|f| money(f.closing.total)).unwrap_or_default()) }
                        }
                        td.num data-figure={"clubs." (i) ".loans_outstanding"} { (money(c.loans_outstanding)) }
                        td.num { (pct(c.par30_pct)) }
                        td.num data-figure={"clubs." (i) ".members_ever_borrowed"} { (c.members_ever_borrowed) "/" (c.loan_members) }
                        td.num { @if let (Some(m), Some(j)) = (c.standard_met, c.standard_judged) { (m) "/" (j) } @else { "—" } }
                    }
                }
            }
            }
            footer { (fill(&tr("rollup.footer"), &serde_json::json!({"version": r.app_version}))) }
        }
    }
}
