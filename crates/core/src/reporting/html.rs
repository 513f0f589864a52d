//! `report.html`: one self-contained page (inline CSS and SVG charts, no script, no network) that
//! prints on A4. Every figure cell carries `data-figure="<path in report.json>"` so a test (and a
//! curious officer) can check the page against the JSON. All words come from the catalogue.

use chrono::Datelike;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{Period, PeriodKind, Report};
use crate::format::{date, money};
use crate::i18n::{fill, t, Lang};
use crate::life::standard::Unit;

/// The page's look: one file shared with the window's preview (`ui/src/main.ts` imports it).
pub const CSS: &str = include_str!("../../../../assets/report.css");

fn roman(q: u32) -> &'static str {
    ["I", "II", "III", "IV"].get(q.saturating_sub(1) as usize).copied().unwrap_or("?")
}

/// "Quý IV/2026", "Tháng 11/2026", "Năm 2026" (and the English forms).
pub fn period_title(lang: Lang, p: &Period) -> String {
    match p.kind {
        PeriodKind::Month => fill(&t(lang, "report.period.month"), &serde_json::json!({"month": p.from.month(), "year": p.year})),
        PeriodKind::Quarter => fill(
            &t(lang, "report.period.quarter"),
            &serde_json::json!({"quarter": roman(p.from.month().div_ceil(3)), "year": p.year}),
        ),
        PeriodKind::Year => fill(&t(lang, "report.period.year"), &serde_json::json!({"year": p.year})),
    }
}

pub(crate) fn pct(v: f64) -> String {
    format!("{v:.1}").replace('.', ",") + " %"
}

/// Horizontal bars: each row a label, a value in per cent, and an optional band [min, max].
pub(crate) fn bars(rows: &[(String, f64, Option<(u32, u32)>)]) -> Markup {
    let row_h = 22.0;
    let label_w = 250.0;
    let bar_w = 400.0;
    let height = row_h * rows.len() as f64 + 24.0;
    // The chart's text alternative: every bar in words, as a reader without the picture needs it.
    let alt = rows.iter().map(|(label, value, _)| format!("{label}: {}", pct(*value))).collect::<Vec<_>>().join("; ");
    html! {
        svg.chart width="680" height=(height) viewBox={"0 0 680 " (height)} role="img" aria-label=(alt) xmlns="http://www.w3.org/2000/svg" {
            title { (alt) }
            @for (i, (label, value, band)) in rows.iter().enumerate() {
                @let y = i as f64 * row_h + 4.0;
                text x=(label_w - 6.0) y=(y + 14.0) text-anchor="end" font-size="11" { (label) }
                rect x=(label_w) y=(y) width=(bar_w) height="16" fill="#f2f2f2" stroke="#ccc" {}
                @if let Some((lo, hi)) = band {
                    rect x=(label_w + bar_w * *lo as f64 / 100.0) y=(y) width=(bar_w * (hi.saturating_sub(*lo)) as f64 / 100.0) height="16" fill="#cfe8cf" {}
                }
                rect x=(label_w) y=(y + 4.0) width=(bar_w * value.clamp(0.0, 100.0) / 100.0) height="8" fill="#335" {}
                text x=(label_w + bar_w + 6.0) y=(y + 13.0) font-size="11" { (pct(*value)) }
            }
            @for tick in [0u32, 25, 50, 75, 100] {
                text x=(label_w + bar_w * tick as f64 / 100.0) y=(height - 4.0) text-anchor="middle" font-size="9" fill="#555" { (tick) "%" }
            }
        }
    }
}

/// Vertical bars of counts (meetings per area).
pub(crate) fn columns(rows: &[(String, u32)]) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let w = 70.0;
    let h = 120.0;
    let alt = rows.iter().map(|(label, n)| format!("{label}: {n}")).collect::<Vec<_>>().join("; ");
    html! {
        svg.chart width=(w * rows.len() as f64 + 10.0) height=(h + 36.0) role="img" aria-label=(alt) xmlns="http://www.w3.org/2000/svg" {
            title { (alt) }
            @for (i, (label, n)) in rows.iter().enumerate() {
                @let bh = h * *n as f64 / max;
                @let x = i as f64 * w + 10.0;
                rect x=(x) y=(h - bh + 14.0) width=(w - 20.0) height=(bh) fill="#557" {}
                text x=(x + (w - 20.0) / 2.0) y=(h - bh + 10.0) text-anchor="middle" font-size="11" { (n) }
                text x=(x + (w - 20.0) / 2.0) y=(h + 28.0) text-anchor="middle" font-size="11" { (label) }
            }
        }
    }
}

/// One self-contained page around `body`: the printed pages' shared head (language, title, the
/// report's CSS inline; no script, no network). The report, the roll-up, the public fund notice and
/// a member's statement are all made by it.
pub fn page(lang: Lang, title: &str, body: Markup) -> String {
    let lang_code = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    html! {
        (DOCTYPE)
        html lang=(lang_code) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

pub fn render(report: &Report, lang: Lang) -> String {
    let title = format!("{} — {} — {}", t(lang, "report.title"), report.club.name, period_title(lang, &report.period));
    page(lang, &title, fragment_markup(report, lang))
}

/// The report without the page around it: what the window's preview shows.
pub fn fragment(report: &Report, lang: Lang) -> String {
    fragment_markup(report, lang).into_string()
}

fn fragment_markup(report: &Report, lang: Lang) -> Markup {
    let tr = |key: &str| t(lang, key);
    let r = report;
    let c = &r.club;
    let address = [c.hamlet.as_str(), c.commune.as_str(), c.district.as_str(), c.province.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let m = &r.members;
    let measure_rows: Vec<(String, f64, Option<(u32, u32)>)> = m
        .targets
        .iter()
        .filter(|ts| ts.measure != "members")
        .map(|ts| (tr(&format!("measure.{}", ts.measure)), ts.pct, Some((ts.min, ts.max))))
        .collect();
    let area_cols: Vec<(String, u32)> =
        r.meetings.areas.iter().map(|a| (a.area.trim_start_matches('a').to_string(), a.meetings)).collect();
    html! {
            div.report-doc {
                header {
                    div.kind { (tr("report.club_kind")) }
                    h1 { (tr("report.title")) " — " (period_title(lang, &r.period)) }
                    p { strong data-figure="club.name" { (c.name) } }
                    p { (address) }
                    p {
                        (fill(&tr("report.period_dates"), &serde_json::json!({"from": date(r.period.from), "to": date(r.period.to)})))
                        ". " (fill(&tr("report.as_of"), &serde_json::json!({"date": date(r.as_of)})))
                    }
                }
                @if r.includes_personal_data {
                    p.notice.personal { (tr("report.with_members")) }
                } @else {
                    p.notice { (tr("report.counts_only")) }
                }

                h2 { (tr("report.s.club")) }
                table {
                    tr { th { (tr("report.founded")) } td data-figure="club.founded_on" { (date(c.founded_on)) } }
                    tr { th { (tr("report.preset")) } td { (match lang { Lang::Vi => &m.preset_name_vi, Lang::En => &m.preset_name_en }) } }
                }
                table {
                    tr { th { (tr("report.board_role")) } th.num { (tr("report.holders")) } @if r.includes_personal_data { th { (tr("report.names")) } } }
                    @for (i, b) in c.board.iter().enumerate() {
                        tr {
                            td { (tr(&format!("role.{}", b.role))) }
                            td.num data-figure={"club.board." (i) ".holders"} { (b.holders) }
                            @if let Some(names) = &b.names { td { (names.join(", ")) } }
                        }
                    }
                }

                h2 { (tr("report.s.members")) }
                table {
                    tr { th { (tr("report.start")) } th { (tr("report.joined")) } th { (tr("report.left")) } th { (tr("report.end")) } }
                    tr {
                        td.num data-figure="members.start.members" { (m.start.members) }
                        td.num data-figure="members.joined" { (m.joined) }
                        td.num data-figure="members.left" { (m.left) }
                        td.num data-figure="members.end.members" { (m.end.members) }
                    }
                }
                @if !m.left_by_reason.is_empty() {
                    p { (tr("report.left_reasons")) ": "
                        @for (i, lr) in m.left_by_reason.iter().enumerate() {
                            @if i > 0 { ", " }
                            (tr(&format!("reason.{}", lr.code))) " " span data-figure={"members.left_by_reason." (i) ".count"} { (lr.count) }
                        }
                    }
                }
                table {
                    tr { th { (tr("report.measure")) } th.num { (tr("report.count")) } th.num { (tr("report.pct")) } th.num { (tr("report.target")) } th { (tr("report.status")) } }
                    @for (i, ts) in m.targets.iter().enumerate() {
                        tr {
                            td { (tr(&format!("measure.{}", ts.measure))) }
                            td.num data-figure={"members.targets." (i) ".count"} { (ts.count) }
                            td.num { @if ts.measure != "members" { (pct(ts.pct)) } }
                            td.num { @if ts.measure == "members" { (ts.min) "–" (ts.max) } @else { (ts.min) "–" (ts.max) " %" } }
                            td class=(ts.status.code()) {
                                (tr(&format!("status.{}", ts.status.code())))
                            }
                        }
                    }
                }
                @if !measure_rows.is_empty() { (bars(&measure_rows)) }
                p { (tr("report.consent")) ": " span data-figure="members.consent_recorded" { (m.consent_recorded) } " / " (m.end.members) }

                h2 { (tr("report.s.meetings")) }
                @let mt = &r.meetings;
                table {
                    tr { th { (tr("report.held")) } td.num data-figure="meetings.held" { (mt.held) } }
                    @for (i, k) in mt.by_kind.iter().enumerate() {
                        @if k.count > 0 {
                            tr { td { " · " (tr(&format!("meeting_kind.{}", k.code))) } td.num data-figure={"meetings.by_kind." (i) ".count"} { (k.count) } }
                        }
                    }
                    tr { th { (tr("report.months_with_meeting")) } td.num { span data-figure="meetings.months_with_meeting" { (mt.months_with_meeting) } " / " span data-figure="meetings.months" { (mt.months) } } }
                    tr { th { (tr("report.average_present")) } td.num data-figure="meetings.average_present" { (format!("{:.1}", mt.average_present).replace('.', ",")) } }
                    tr { th { (tr("report.areas_covered")) } td.num { span data-figure="meetings.areas_covered" { (mt.areas_covered) } " / 8" } }
                    tr { th { (tr("report.decisions")) } td.num data-figure="meetings.decisions" { (mt.decisions) } }
                    tr { td { " · " (tr("report.loan_approvals")) } td.num data-figure="meetings.loan_approvals" { (mt.loan_approvals) } }
                }
                table {
                    tr { th { (tr("report.area")) } th.num { (tr("report.meetings")) } th.num { (tr("report.activities")) } }
                    @for (i, a) in mt.areas.iter().enumerate() {
                        tr {
                            td { (tr(&format!("area.{}", a.area))) }
                            td.num data-figure={"meetings.areas." (i) ".meetings"} { (a.meetings) }
                            td.num data-figure={"meetings.areas." (i) ".activities"} { (a.activities) }
                        }
                    }
                    @for (i, th_) in mt.themes.iter().enumerate() {
                        tr { td { (tr(&format!("topic.{}", th_.code))) } td.num data-figure={"meetings.themes." (i) ".count"} { (th_.count) } td {} }
                    }
                }
                (columns(&area_cols))

                h2 { (tr("report.s.activities")) }
                @let ac = &r.activities;
                table {
                    tr { th { (tr("report.kind")) } th.num { (tr("report.times")) } th.num { (tr("report.people")) } th.num { (tr("report.value")) } }
                    @for (i, a) in ac.by_kind.iter().enumerate() {
                        tr {
                            td { (tr(&format!("activity.{}", a.kind))) }
                            td.num data-figure={"activities.by_kind." (i) ".count"} { (a.count) }
                            td.num data-figure={"activities.by_kind." (i) ".people"} { (a.people) }
                            td.num data-figure={"activities.by_kind." (i) ".value"} { (money(a.value)) }
                        }
                    }
                }
                p { (tr("report.members_visited")) ": " span data-figure="activities.members_visited" { (ac.members_visited) } }
                p { (tr("report.care_visited")) ": " span data-figure="activities.care_recipients_visited" { (ac.care_recipients_visited) } " / " span data-figure="activities.care_recipients" { (ac.care_recipients) } }

                h2 { (tr("report.s.funds")) }
                (funds_markup(&r.funds, lang))

                h2 { (tr("report.s.loans")) }
                @let l = &r.loans;
                @let pf = &l.at_end;
                table {
                    tr { th { (tr("report.disbursed")) } td.num { span data-figure="loans.disbursed_count" { (l.disbursed_count) } " · " span data-figure="loans.disbursed_amount" { (money(l.disbursed_amount)) } } }
                    tr { th { (tr("report.repaid")) } td.num data-figure="loans.repaid_principal" { (money(l.repaid_principal)) } }
                    tr { th { (tr("report.interest")) } td.num data-figure="loans.interest_received" { (money(l.interest_received)) } }
                    tr { th { (tr("report.penalty")) } td.num data-figure="loans.penalty_received" { (money(l.penalty_received)) } }
                    tr { th { (tr("report.written_off")) } td.num data-figure="loans.written_off" { (money(l.written_off)) } }
                    tr.total { td { (tr("report.outstanding")) } td.num data-figure="loans.at_end.outstanding" { (money(pf.outstanding)) } }
                    tr { th { (tr("report.active_loans")) } td.num data-figure="loans.at_end.active_loans" { (pf.active_loans) } }
                    tr { th { (tr("report.par30")) } td.num { span data-figure="loans.at_end.par30" { (money(pf.par30)) } " (" span data-figure="loans.at_end.par30_pct" { (pct(pf.par30_pct)) } ")" } }
                    tr { th { (tr("report.par90")) } td.num { span data-figure="loans.at_end.par90" { (money(pf.par90)) } " (" span data-figure="loans.at_end.par90_pct" { (pct(pf.par90_pct)) } ")" } }
                    tr { th { (tr("report.repayment_rate")) } td.num data-figure="loans.at_end.repayment_rate_pct" { (pct(pf.repayment_rate_pct)) } }
                    tr { th { (tr("report.ever_borrowed")) } td.num {
                        span data-figure="loans.at_end.members_ever_borrowed" { (pf.members_ever_borrowed) } " / " (pf.members)
                        " (" span data-figure="loans.at_end.ever_borrowed_pct" { (pct(pf.ever_borrowed_pct)) } ")"
                        @if let (Some(lo), Some(hi)) = (pf.target_min_pct, pf.target_max_pct) { " — " (tr("report.target")) " " (lo) "–" (hi) " %" }
                    } }
                    tr { th { (tr("report.waiting")) } td.num data-figure="loans.at_end.waiting" { (pf.waiting) } }
                }

                @if let Some(st) = &r.standard {
                    h2 { (fill(&tr("report.s.standard"), &serde_json::json!({"year": st.year}))) }
                    p { (tr("report.standard_met")) ": " span data-figure="standard.met" { (st.met) } " / " span data-figure="standard.judged" { (st.judged) } }
                    table {
                        tr { th { (tr("report.criterion")) } th.num { (tr("report.result")) } th.num { (tr("report.threshold")) } th { (tr("report.judgement")) } }
                        @for (i, cr) in st.criteria.iter().enumerate() {
                            tr {
                                td { (tr(&format!("standard.{}", cr.id))) }
                                td.num {
                                    span data-figure={"standard.criteria." (i) ".value"} {
                                        @if cr.unit == Unit::Check { (money(cr.value)) } @else { (cr.value) }
                                    }
                                    @if let Some(of) = cr.of { " / " (of) }
                                }
                                td.num {
                                    @match (cr.min, cr.max) {
                                        (Some(lo), None) if cr.unit == Unit::Months => { (fill(&tr("standard.per_month"), &serde_json::json!({"min": lo}))) },
                                        (Some(lo), Some(hi)) => { (lo) "–" (hi) @if cr.unit == Unit::Pct { " %" } },
                                        (Some(lo), None) => { "≥ " (lo) @if cr.unit == Unit::Pct { " %" } },
                                        (None, Some(hi)) => { "≤ " (hi) @if cr.unit == Unit::Pct { " %" } },
                                        (None, None) => {},
                                    }
                                }
                                @match cr.met {
                                    Some(true) => td.yes { (tr("report.met")) },
                                    Some(false) => td.no { (tr("report.not_met")) },
                                    None => td { "—" },
                                }
                            }
                        }
                    }
                }

                @if let Some(list) = &r.member_list {
                    h2 { (tr("report.s.member_list")) }
                    table {
                        tr { th.num { "#" } th { (tr("report.name")) } th { (tr("report.sex")) } th.num { (tr("report.birth_year")) } th { (tr("report.hamlet")) } th { (tr("report.joined_on")) } th { (tr("report.left_on")) } }
                        @for (i, ml) in list.iter().enumerate() {
                            tr {
                                td.num { (i + 1) }
                                td data-figure={"member_list." (i) ".full_name"} { (ml.full_name) }
                                td { (tr(&format!("sex.{}", ml.sex))) }
                                td.num { (ml.birth_year) }
                                td { (ml.hamlet) }
                                td { (date(ml.joined_on)) }
                                td { @if let Some(d) = ml.left_on { (date(d)) } }
                            }
                        }
                    }
                }

                div.signatures {
                    div { strong { (tr("report.sign.maker")) } br; (tr("report.sign.note")) }
                    div { (fill(&tr("report.sign.place_date"), &serde_json::json!({"commune": c.commune, "date": date(r.generated_on)}))) br; strong { (tr("report.sign.chair")) } br; (tr("report.sign.note")) }
                }
                footer { (fill(&tr("report.footer"), &serde_json::json!({"version": r.app_version, "date": date(r.generated_on)}))) }
            }
    }
}

/// Each fund's opening and closing balances, receipts by source, payments by area and last count:
/// the report's fund section, and the public fund notice's (`reporting::notice`).
pub(crate) fn funds_markup(funds: &[super::FundPart], lang: Lang) -> Markup {
    let tr = |key: &str| t(lang, key);
    html! {
        @for (fi, f) in funds.iter().enumerate() {
            h3 { (tr(&format!("fund.{}", f.fund))) }
            table {
                tr { th { (tr("report.balance")) } th.num { (tr("report.cash")) } th.num { (tr("report.bank")) } th.num { (tr("report.loans_out")) } th.num { (tr("report.total")) } }
                tr {
                    td { (tr("report.opening")) }
                    td.num data-figure={"funds." (fi) ".opening.cash"} { (money(f.opening.cash)) }
                    td.num data-figure={"funds." (fi) ".opening.bank"} { (money(f.opening.bank)) }
                    td.num data-figure={"funds." (fi) ".opening.loans"} { (money(f.opening.loans)) }
                    td.num data-figure={"funds." (fi) ".opening.total"} { (money(f.opening.total)) }
                }
                tr.total {
                    td { (tr("report.closing")) }
                    td.num data-figure={"funds." (fi) ".closing.cash"} { (money(f.closing.cash)) }
                    td.num data-figure={"funds." (fi) ".closing.bank"} { (money(f.closing.bank)) }
                    td.num data-figure={"funds." (fi) ".closing.loans"} { (money(f.closing.loans)) }
                    td.num data-figure={"funds." (fi) ".closing.total"} { (money(f.closing.total)) }
                }
            }
            table {
                tr { th { (tr("report.receipts")) } th.num { } }
                @for (i, x) in f.receipts.iter().enumerate() {
                    tr { td { (tr(&format!("source.{}", x.code))) } td.num data-figure={"funds." (fi) ".receipts." (i) ".amount"} { (money(x.amount)) } }
                }
                tr.total { td { (tr("report.total")) } td.num data-figure={"funds." (fi) ".receipts_total"} { (money(f.receipts_total)) } }
                tr { th { (tr("report.payments")) } th.num { } }
                @for (i, x) in f.payments.iter().enumerate() {
                    tr { td { (tr(&format!("area.{}", x.code))) } td.num data-figure={"funds." (fi) ".payments." (i) ".amount"} { (money(x.amount)) } }
                }
                tr.total { td { (tr("report.total")) } td.num data-figure={"funds." (fi) ".payments_total"} { (money(f.payments_total)) } }
                @if f.transfers_in != 0 {
                    tr { td { (tr("report.transfers")) } td.num data-figure={"funds." (fi) ".transfers_in"} { (money(f.transfers_in)) } }
                }
                @if f.capital_added != 0 {
                    tr { td { (tr("report.capital")) } td.num data-figure={"funds." (fi) ".capital_added"} { (money(f.capital_added)) } }
                }
            }
            @match &f.last_count {
                Some(cl) => p {
                    (tr("report.last_count")) " " (date(cl.date)) ": "
                    (tr("report.book")) " " span data-figure={"funds." (fi) ".last_count.book"} { (money(cl.book)) } ", "
                    (tr("report.counted")) " " span data-figure={"funds." (fi) ".last_count.counted"} { (money(cl.counted)) } ", "
                    (tr("report.difference")) " " span data-figure={"funds." (fi) ".last_count.difference"} { (money(cl.difference)) }
                },
                None => p { (tr("report.no_count")) },
            }
        }
    }
}
