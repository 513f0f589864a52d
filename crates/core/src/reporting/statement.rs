//! A member's own statement (her passbook): one printable page for one member that answers "have I
//! paid?" without opening the books to everyone — the dues month by month, her loans with their
//! schedule and payments, and the support and visits she received. Every figure comes from the
//! function the matching command uses (`books::dues_grid`, `loans::card`, `activity::list`), so the
//! statement never says something the books do not.

use chrono::{Datelike, NaiveDate};
use maud::html;
use serde::Serialize;
use ts_rs::TS;

use super::html::page;
use crate::books::{self, DuesRow};
use crate::error::{CoreError, Field, Result, Rule};
use crate::format::{date, money};
use crate::i18n::{fill, t, Lang};
use crate::life::activity::{self, Activity, ActivityQuery};
use crate::loans::{self, LoanCard};
use crate::roster::{club, member};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MemberStatement {
    pub club_name: String,
    pub hamlet: String,
    pub commune: String,
    pub member_id: i64,
    pub full_name: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub year: i32,
    /// The day the figures are as of: the year's last day, or today while the year runs.
    pub as_of: NaiveDate,
    pub monthly_due: i64,
    /// `YYYY-MM` for each month of the year up to `as_of`.
    pub months: Vec<String>,
    /// One per month: `paid`, `due` (a member that month, not paid) or `none`.
    pub dues: Vec<String>,
    /// Months due and not paid.
    pub behind: u32,
    /// Her loans (every one she has had up to `as_of`), each with its schedule and payments.
    pub loans: Vec<LoanCard>,
    /// What she received in the year: visits, health checks, support, newest first.
    pub received: Vec<Activity>,
}

/// The statement of member `member_id` for `year`.
pub fn member_statement(
    store: &Store,
    club_id: i64,
    member_id: i64,
    year: i32,
) -> Result<MemberStatement> {
    let c = club::get(store, club_id)?;
    let m = member::get(store, club_id, member_id)?;
    let today = store.today();
    if year < c.founded_on.year() || year > today.year() {
        return Err(CoreError::invalid(
            Field::Year,
            Rule::Range {
                min: i64::from(c.founded_on.year()),
                max: i64::from(today.year()),
            },
        ));
    }
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| CoreError::invalid(Field::Year, Rule::FourDigitYear))?;
    let as_of = year_end.min(today);
    // The dues grid's twelve months end with the statement's last month; only this year's are kept.
    let grid = books::dues_grid(
        store,
        club_id,
        &format!("{:04}-{:02}", as_of.year(), as_of.month()),
    )?;
    let row: Option<&DuesRow> = grid.rows.iter().find(|r| r.member_id == member_id);
    let mut months = Vec::new();
    let mut dues = Vec::new();
    for (i, label) in grid.months.iter().enumerate() {
        if label.starts_with(&format!("{year:04}-")) {
            months.push(label.clone());
            dues.push(
                row.and_then(|r| r.months.get(i).cloned())
                    .unwrap_or_else(|| "none".into()),
            );
        }
    }
    let behind = dues.iter().filter(|s| *s == "due").count() as u32;
    let mut cards = Vec::new();
    for r in loans::list(store, club_id, as_of)?
        .into_iter()
        .filter(|r| r.loan.member.id == member_id)
    {
        cards.push(loans::card(store, club_id, r.loan.id, as_of)?);
    }
    let received = activity::list(
        store,
        club_id,
        &ActivityQuery {
            year: Some(year),
            kind: None,
        },
    )?
    .into_iter()
    .filter(|a| a.member.as_ref().is_some_and(|p| p.id == member_id) && a.held_on <= as_of)
    .collect();
    Ok(MemberStatement {
        club_name: c.name,
        hamlet: c.hamlet,
        commune: c.commune,
        member_id,
        full_name: m.full_name,
        joined_on: m.joined_on,
        left_on: m.left_on,
        year,
        as_of,
        monthly_due: grid.monthly_due,
        months,
        dues,
        behind,
        loans: cards,
        received,
    })
}

fn markup(s: &MemberStatement, lang: Lang) -> (String, maud::Markup) {
    let tr = |key: &str| t(lang, key);
    let title = format!("{} — {} — {}", tr("statement.title"), s.full_name, s.year);
    let month_no = |label: &str| {
        label
            .get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let body = html! {
                div.report-doc.statement {
                    header {
                        div.kind { (s.club_name) @if !s.hamlet.is_empty() { " — " (s.hamlet) } }
                        h1 { (tr("statement.title")) " — " (fill(&tr("report.period.year"), &serde_json::json!({"year": s.year}))) }
                        p { strong data-figure="full_name" { (s.full_name) } }
                        p {
                            (tr("field.member.joined_on")) ": " (date(s.joined_on))
                            @if let Some(left) = s.left_on { " · " (tr("field.member.left_on")) ": " (date(left)) }
                            " · " (fill(&tr("report.as_of"), &serde_json::json!({"date": date(s.as_of)})))
                        }
                    }
                    h2 { (tr("statement.dues")) }
                    @if s.monthly_due > 0 {
                        p { (fill(&tr("statement.monthly_due"), &serde_json::json!({"amount": money(s.monthly_due)}))) }
                    }
                    table.dues {
                        tr { @for m in &s.months { th.num { (fill(&tr("statement.month_short"), &serde_json::json!({"month": month_no(m)}))) } } }
                        tr {
                            @for (i, state) in s.dues.iter().enumerate() {
                                td.num data-figure={"dues." (i)} class={"dues-" (state)} { (tr(&format!("statement.dues.{state}"))) }
                            }
                        }
                    }
                    p data-figure="behind" {
                        @if s.behind == 0 { (tr("statement.all_paid")) }
                        @else { (fill(&tr("statement.behind"), &serde_json::json!({"months": s.behind}))) }
                    }
                    h2 { (tr("statement.loans")) }
                    @if s.loans.is_empty() { p { (tr("statement.no_loans")) } }
                    @for (li, card) in s.loans.iter().enumerate() {
                        @let l = &card.loan;
                        h3 {
                            (money(l.amount)) " · " (tr(&format!("purpose.{}", l.purpose.code())))
                            @if !l.in_kind.is_empty() { " (" (l.in_kind) ")" }
                            " · " (tr(&format!("loan.status.{}", l.status.code())))
                        }
                        p {
                            (tr("statement.applied")) ": " (date(l.applied_on))
                            @if let Some(d) = l.disbursed_on { " · " (tr("statement.disbursed")) ": " (date(d)) }
                            @if let Some(st) = &card.state {
                                " · " (tr("report.outstanding")) ": " span data-figure={"loans." (li) ".state.principal_out"} { (money(st.principal_out)) }
                            }
                        }
                        @if !card.schedule.is_empty() {
                            table {
                                tr {
                                    th.num { (tr("statement.instalment")) } th { (tr("statement.due_on")) } th.num { (tr("statement.principal")) }
                                    th.num { (tr("statement.interest")) } th.num { (tr("statement.paid")) } th { (tr("statement.state")) }
                                }
                                @for line in &card.schedule {
                                    tr {
                                        td.num { (line.no) } td { (date(line.due_on)) } td.num { (money(line.principal)) }
                                        td.num { (money(line.interest)) } td.num { (money(line.paid)) }
                                        td { (tr(&format!("loan.line.{}", line.state.code()))) }
                                    }
                                }
                            }
                        }
                        @if !card.payments.is_empty() {
                            table {
                                tr { th { (tr("statement.paid_on")) } th { (tr("statement.voucher")) } th.num { (tr("statement.principal")) } th.num { (tr("statement.interest")) } th.num { (tr("statement.penalty")) } }
                                @for p in &card.payments {
                                    tr { td { (date(p.paid_on)) } td { (p.voucher) } td.num { (money(p.principal)) } td.num { (money(p.interest)) } td.num { (money(p.penalty)) } }
                                }
                            }
                        }
                    }
                    h2 { (tr("statement.received")) }
                    @if s.received.is_empty() { p { (tr("statement.none_received")) } }
                    @else {
                        table {
                            tr { th { (tr("statement.date")) } th { (tr("statement.what")) } th.num { (tr("statement.value")) } }
                            @for a in &s.received {
                                tr {
                                    td { (date(a.held_on)) }
                                    td { (tr(&format!("activity.{}", a.kind.code()))) @if !a.note.is_empty() { " — " (a.note) } }
                                    td.num { @if a.value > 0 { (money(a.value)) } }
                                }
                            }
                        }
                    }
                    div.signatures {
                        div { strong { (tr("notice.sign.treasurer")) } br; (tr("report.sign.note")) }
                        div { strong { (tr("statement.sign.member")) } br; (tr("report.sign.note")) }
                    }
                }
    };
    (title, body)
}

/// The page without its head: what the window's preview shows (the report's CSS is the window's).
pub fn member_statement_fragment(s: &MemberStatement, lang: Lang) -> String {
    markup(s, lang).1.into_string()
}

/// The statement as one page that prints on A4 (the report's look, no script, no network).
pub fn member_statement_html(s: &MemberStatement, lang: Lang) -> String {
    let (title, body) = markup(s, lang);
    page(lang, &title, body)
}
