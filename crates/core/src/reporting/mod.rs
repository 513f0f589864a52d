//! The period report the commune receives. Every figure comes from the functions the other commands
//! use (composition, balances, the ledger summary, the loan portfolio, the standard), so the report
//! cannot disagree with them. These types ARE the published format: `docs/schema/report-v1.schema.json`
//! is generated from them (a test keeps it current), and `FORMAT_VERSION` changes when a field's
//! meaning changes. Renderings of one `Report`: `html.rs` (the printable page), `xlsx.rs` (a sheet per
//! section), and `to_json`.
//!
//! Counts, not names: unless `ReportOptions::with_members` is set, nothing in a report names or
//! identifies a person (no names, no member ids, no birth dates). Health details never enter the books.

use chrono::{Datelike, NaiveDate};
use rusqlite::params;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::roster::club;
use crate::roster::composition::{self, Counts, TargetStatus};
use crate::error::{CoreError, Field, Result, Rule};
use crate::books::{self, Fund};
use crate::loans::{self, Portfolio};
use crate::life::meeting::Topic;
use crate::roster::member::{self, Role};
use crate::roster::preset;
use crate::life::standard::{self, Standard};
use crate::store::Store;

pub mod card;
pub mod html;
pub mod xlsx;
#[cfg(test)]
mod tests;

pub const FORMAT: &str = "ishc-report";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

/// A calendar month, quarter or year, written `2026-11`, `2026-Q4` or `2026`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Period {
    pub label: String,
    pub kind: PeriodKind,
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn bad_period(s: &str) -> CoreError {
    CoreError::invalid(Field::ReportPeriod, Rule::Unknown { value: s.to_string() })
}

fn last_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

impl Period {
    pub fn month(year: i32, month: u32) -> Option<Period> {
        Some(Period {
            label: format!("{year:04}-{month:02}"),
            kind: PeriodKind::Month,
            year,
            from: NaiveDate::from_ymd_opt(year, month, 1)?,
            to: last_of_month(year, month)?,
        })
    }
    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        Some(Period {
            label: format!("{year:04}-Q{q}"),
            kind: PeriodKind::Quarter,
            year,
            from: NaiveDate::from_ymd_opt(year, q * 3 - 2, 1)?,
            to: last_of_month(year, q * 3)?,
        })
    }
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            label: format!("{year:04}"),
            kind: PeriodKind::Year,
            year,
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }
    /// `2026`, `2026-11`, `2026-Q4` (also `2026-q4`, `11/2026`, `Q4/2026`).
    pub fn parse(s: &str) -> Result<Period> {
        let t = s.trim().to_ascii_uppercase();
        let year_of = |y: &str| y.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y) && y.to_string().len() == 4);
        let (y, rest) = if let Some((a, b)) = t.split_once('-') {
            (a.to_string(), Some(b.to_string()))
        } else if let Some((a, b)) = t.split_once('/') {
            (b.to_string(), Some(a.to_string()))
        } else {
            (t.clone(), None)
        };
        let year = year_of(&y).ok_or_else(|| bad_period(s))?;
        let p = match rest {
            None => Period::year(year),
            Some(r) if r.starts_with('Q') => r[1..].parse::<u32>().ok().and_then(|q| Period::quarter(year, q)),
            Some(r) => r.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).and_then(|m| Period::month(year, m)),
        };
        p.ok_or_else(|| bad_period(s))
    }
}

/// What goes into a report beyond the counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportOptions {
    /// Add the member list (names, sex, birth year, dates). Only where the commune asks for it; the
    /// report says so on its first page.
    #[serde(default)]
    pub with_members: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct BoardLine {
    /// `chair`, `vice_chair`, `treasurer`, `secretary`.
    pub role: String,
    pub holders: u32,
    /// Only in a report made with the member list.
    pub names: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ClubPart {
    pub name: String,
    pub hamlet: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub founded_on: NaiveDate,
    pub board: Vec<BoardLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CodeCount {
    pub code: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MembersPart {
    pub preset_id: String,
    pub preset_name_vi: String,
    pub preset_name_en: String,
    pub older_age: u32,
    /// Members on the day before the period began.
    pub start: Counts,
    pub joined: u32,
    pub joined_women: u32,
    pub left: u32,
    /// `moved`, `died`, `withdrew`, `other`.
    pub left_by_reason: Vec<CodeCount>,
    /// Members on `as_of`: start + joined − left.
    pub end: Counts,
    /// The end counts against the target preset.
    pub targets: Vec<TargetStatus>,
    pub all_within: bool,
    /// Members on `as_of` whose consent to the club holding their data is recorded.
    pub consent_recorded: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct AreaLine {
    /// `a1` … `a8`.
    pub area: String,
    /// Regular and other meetings that covered it.
    pub meetings: u32,
    /// Activities recorded under it.
    pub activities: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MeetingsPart {
    pub held: u32,
    /// `monthly`, `board`, `extraordinary`, `annual`.
    pub by_kind: Vec<CodeCount>,
    /// Months of the period (up to `as_of`) and those with a regular (monthly or annual) meeting.
    pub months: u32,
    pub months_with_meeting: u32,
    /// Average members present at a regular meeting, one decimal.
    pub average_present: f64,
    pub areas: Vec<AreaLine>,
    /// Of the eight areas, how many a meeting covered.
    pub areas_covered: u32,
    /// `digital`, `green`, `startup`: meetings that took up the theme.
    pub themes: Vec<CodeCount>,
    pub decisions: u32,
    pub loan_approvals: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ActivityLine {
    /// `home_visit`, `health_check`, `support`, `rights`, `training`, `event`.
    pub kind: String,
    pub count: u32,
    /// People who took part or were reached, as recorded.
    pub people: u32,
    /// Money or goods given or raised, đồng.
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ActivitiesPart {
    pub by_kind: Vec<ActivityLine>,
    /// Different members visited at home.
    pub members_visited: u32,
    /// Members cared for on `as_of`, and how many of them were visited in the period.
    pub care_recipients: u32,
    pub care_recipients_visited: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Position {
    pub cash: i64,
    pub bank: i64,
    /// Principal lent out and not yet repaid.
    pub loans: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CodeAmount {
    pub code: String,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CountLine {
    pub date: NaiveDate,
    /// `cash` or `bank`.
    pub account: String,
    pub book: i64,
    pub counted: i64,
    /// counted − book.
    pub difference: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct FundPart {
    /// `income` (the income-generation fund that lends) or `activity`.
    pub fund: String,
    /// At the end of the day before the period.
    pub opening: Position,
    /// By source: `dues`, `community`, `interest`, `penalty`, …
    pub receipts: Vec<CodeAmount>,
    pub receipts_total: i64,
    /// By area `a1`…`a8`, `admin`, and `write_off`, `count_shortage`.
    pub payments: Vec<CodeAmount>,
    pub payments_total: i64,
    /// Net moved in from the other fund (negative: out).
    pub transfers_in: i64,
    /// New opening capital put in.
    pub capital_added: i64,
    /// opening.total + receipts − payments + transfers_in + capital_added.
    pub closing: Position,
    /// The last cash count (or bank check) in the period.
    pub last_count: Option<CountLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct LoansPart {
    pub disbursed_count: u32,
    pub disbursed_amount: i64,
    pub repaid_principal: i64,
    pub interest_received: i64,
    pub penalty_received: i64,
    pub written_off: i64,
    /// The portfolio on `as_of` (outstanding, PAR30, PAR90, share of members who have borrowed).
    pub at_end: Portfolio,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MemberLine {
    pub full_name: String,
    /// `F` or `M`.
    pub sex: String,
    pub birth_year: i32,
    pub hamlet: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

/// One period's report of an Intergenerational Self-Help Club, as `report.json` (format `ishc-report`,
/// version 1). Money is in whole đồng; dates are ISO `YYYY-MM-DD` in the club's calendar; per cents
/// have one decimal. Counts, not names: `member_list` and board `names` are null unless the club chose
/// to include them, and `includes_personal_data` then says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Report {
    /// Always `ishc-report`.
    pub format: String,
    pub format_version: u32,
    pub period: Period,
    /// Figures are as of this day: the period's last day, or the day the report was made while the
    /// period still runs.
    pub as_of: NaiveDate,
    pub generated_on: NaiveDate,
    pub app_version: String,
    /// True only when the member list was asked for; the first page then says so.
    pub includes_personal_data: bool,
    pub club: ClubPart,
    pub members: MembersPart,
    pub meetings: MeetingsPart,
    pub activities: ActivitiesPart,
    pub funds: Vec<FundPart>,
    pub loans: LoansPart,
    /// The standard self-assessment: in a yearly report only.
    pub standard: Option<StandardPart>,
    pub member_list: Option<Vec<MemberLine>>,
}

/// One criterion of the standard as the report carries it: the figures and the codes behind them;
/// the people behind them only as a number, and by name only with the member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CriterionPart {
    pub id: String,
    pub unit: standard::Unit,
    pub value: i64,
    pub of: Option<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub met: Option<bool>,
    /// Codes only: months (`YYYY-MM`), areas (`a5`), fund checks (`income.not_lent`).
    pub list: Vec<String>,
    /// How many people are behind the figure (care recipients not visited, board members not trained).
    pub people_count: u32,
    /// Their names: null unless the member list was asked for.
    pub people: Option<Vec<String>>,
}

/// The standard self-assessment as the report carries it (see `CriterionPart`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StandardPart {
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub preset_id: String,
    pub criteria: Vec<CriterionPart>,
    pub met: u32,
    pub judged: u32,
}

impl StandardPart {
    /// The report's view of `standard::assess`: the same figures, names only `with_members`.
    pub fn of(st: &Standard, with_members: bool) -> StandardPart {
        StandardPart {
            year: st.year,
            from: st.from,
            to: st.to,
            preset_id: st.preset_id.clone(),
            criteria: st
                .criteria
                .iter()
                .map(|c| CriterionPart {
                    id: c.id.clone(),
                    unit: c.unit,
                    value: c.value,
                    of: c.of,
                    min: c.min,
                    max: c.max,
                    met: c.met,
                    list: c.list.clone(),
                    people_count: c.people.len() as u32,
                    people: with_members.then(|| c.people.clone()),
                })
                .collect(),
            met: st.met,
            judged: st.judged,
        }
    }
}

impl Report {
    /// `report.json`: pretty, UTF-8, ending in a newline.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut out = serde_json::to_vec_pretty(self).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
        out.push(b'\n');
        Ok(out)
    }

    /// The bytes of one rendering: `json`, `html` or `xlsx`.
    pub fn render(&self, format: &str, lang: crate::i18n::Lang) -> Result<Vec<u8>> {
        match format {
            "json" => self.to_json(),
            "html" => Ok(html::render(self, lang).into_bytes()),
            "xlsx" => xlsx::render(self, lang),
            _ => Err(CoreError::invalid(Field::ReportFormat, Rule::OneOf { allowed: FORMATS.iter().map(|f| f.to_string()).collect() })),
        }
    }
}

/// The renderings of a report, by the name of their file extension.
pub const FORMATS: [&str; 3] = ["json", "html", "xlsx"];

/// What the window shows before anything leaves the laptop: the report as a page fragment (styled by
/// `assets/report.css`), with what it covers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Preview {
    pub period: Period,
    pub as_of: NaiveDate,
    pub includes_personal_data: bool,
    pub html: String,
}

pub fn preview(store: &Store, club_id: i64, period: &str, opts: &ReportOptions, lang: crate::i18n::Lang) -> Result<Preview> {
    let period = Period::parse(period)?;
    let r = build(store, club_id, &period, opts)?;
    Ok(Preview { html: html::fragment(&r, lang), period, as_of: r.as_of, includes_personal_data: r.includes_personal_data })
}

/// One rendering written to `dir` (atomically) as `<club>-<period>-bao-cao.<ext>`; returns the path.
pub fn save(store: &Store, club_id: i64, period: &str, opts: &ReportOptions, lang: crate::i18n::Lang, format: &str, dir: &std::path::Path) -> Result<String> {
    let period = Period::parse(period)?;
    let r = build(store, club_id, &period, opts)?;
    let bytes = r.render(format, lang)?;
    let slug = crate::signing::bundle::slug(&r.club.name);
    let path = dir.join(format!("{slug}-{}-bao-cao.{format}", period.label));
    if !dir.is_dir() {
        return Err(CoreError::BundleFolderMissing { path: dir.display().to_string() });
    }
    crate::files::write_atomic(&path, &bytes, crate::files::Overwrite::Replace)
        .map_err(|e| CoreError::BundleWriteFailed { path: path.display().to_string(), detail: e.to_string() })?;
    Ok(path.display().to_string())
}

/// The period's report in its three renderings (`report.json`, `report.html`, `report.xlsx`), signed
/// with the club's key and written to `out_dir` (see `bundle::export` for the safe write and the
/// read-back). Nothing is recorded unless the bundle on the stick verifies.
#[allow(clippy::too_many_arguments)]
pub fn export_bundle(
    store: &mut Store,
    actor: &crate::store::audit::Actor,
    club_id: i64,
    passphrase: &str,
    period: &str,
    opts: &ReportOptions,
    lang: crate::i18n::Lang,
    out_dir: &std::path::Path,
) -> Result<crate::signing::bundle::Exported> {
    let period = Period::parse(period)?;
    let r = build(store, club_id, &period, opts)?;
    let files = FORMATS
        .iter()
        .map(|f| Ok(crate::signing::bundle::BundleFile { name: format!("report.{f}"), bytes: r.render(f, lang)? }))
        .collect::<Result<Vec<_>>>()?;
    let req = crate::signing::bundle::BundleRequest {
        period_label: period.label.clone(),
        period_from: period.from,
        period_to: period.to,
        files,
        includes_personal_data: r.includes_personal_data,
    };
    crate::signing::bundle::export(store, actor, club_id, passphrase, req, out_dir)
}

/// The JSON Schema of `report.json`, as published in `docs/schema/report-v1.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    ((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1) as u32
}

/// Build the report of `period` for the club.
pub fn build(store: &Store, club_id: i64, period: &Period, opts: &ReportOptions) -> Result<Report> {
    let club = club::get(store, club_id)?;
    let today = store.today();
    if period.from > today {
        return Err(CoreError::invalid(Field::ReportPeriod, Rule::InFuture { today: today.to_string() }));
    }
    if period.to < club.founded_on {
        return Err(CoreError::invalid(Field::ReportPeriod, Rule::BeforeFounding { founded_on: club.founded_on.to_string() }));
    }
    let as_of = period.to.min(today);
    let before = period.from.pred_opt().unwrap_or(period.from);
    let conn = store.conn();

    // Members and composition.
    let preset = preset::find(store, &club.target_preset)?;
    let members = member::load_club(store, club_id)?;
    let comp = composition::compute(store, club_id, Some(as_of), None)?;
    let start = composition::count(&members, before, preset.older_age);
    let in_period = |d: NaiveDate| period.from <= d && d <= as_of;
    let joined: Vec<&member::Member> = members.iter().filter(|m| in_period(m.joined_on)).collect();
    let left: Vec<&member::Member> = members.iter().filter(|m| m.left_on.is_some_and(in_period)).collect();
    let mut left_by_reason: Vec<CodeCount> = Vec::new();
    for reason in ["moved", "died", "withdrew", "other"] {
        let n = left.iter().filter(|m| m.leave_reason.map(|r| r.code()).unwrap_or("other") == reason).count() as u32;
        if n > 0 {
            left_by_reason.push(CodeCount { code: reason.into(), count: n });
        }
    }
    let on_end: Vec<&member::Member> = members.iter().filter(|m| m.is_member_on(as_of)).collect();
    let members_part = MembersPart {
        preset_id: comp.preset_id.clone(),
        preset_name_vi: comp.preset_name_vi.clone(),
        preset_name_en: comp.preset_name_en.clone(),
        older_age: comp.older_age,
        start,
        joined: joined.len() as u32,
        joined_women: joined.iter().filter(|m| m.sex == member::Sex::F).count() as u32,
        left: left.len() as u32,
        left_by_reason,
        end: comp.counts.clone(),
        targets: comp.targets.clone(),
        all_within: comp.all_within,
        consent_recorded: on_end.iter().filter(|m| m.consent_on.is_some_and(|c| c <= as_of)).count() as u32,
    };

    // The board on the last day.
    let board = [Role::Chair, Role::ViceChair, Role::Treasurer, Role::Secretary]
        .into_iter()
        .map(|role| {
            let holders: Vec<&&member::Member> = on_end.iter().filter(|m| m.has_role_on(role, as_of)).collect();
            BoardLine {
                role: role.code().into(),
                holders: holders.len() as u32,
                names: opts.with_members.then(|| holders.iter().map(|m| m.full_name.clone()).collect()),
            }
        })
        .collect();
    let club_part = ClubPart {
        name: club.name.clone(),
        hamlet: club.hamlet.clone(),
        commune: club.commune.clone(),
        district: club.district.clone(),
        province: club.province.clone(),
        founded_on: club.founded_on,
        board,
    };

    let meetings = meetings_part(store, club_id, period.from, as_of)?;
    let activities = activities_part(store, club_id, period.from, as_of, &on_end)?;

    // Funds: positions from the balances, flows from the period summary.
    let opening = books::balances(store, club_id, Some(before))?;
    let closing = books::balances(store, club_id, Some(as_of))?;
    let summary = books::summary(store, club_id, period.from, as_of)?;
    let mut funds = Vec::new();
    for fund in Fund::ALL {
        let pos = |b: &books::Balances| {
            b.funds
                .iter()
                .find(|f| f.fund == fund)
                .map(|f| Position { cash: f.cash, bank: f.bank, loans: f.loans, total: f.assets })
                .unwrap_or(Position { cash: 0, bank: 0, loans: 0, total: 0 })
        };
        let flow = |b: &books::Balances, what: fn(&books::FundBalance) -> i64| {
            b.funds.iter().find(|f| f.fund == fund).map(what).unwrap_or(0)
        };
        let receipts: Vec<CodeAmount> = summary
            .receipts
            .iter()
            .filter(|(f, _, _)| *f == fund)
            .map(|(_, code, amount)| CodeAmount { code: code.clone(), amount: *amount })
            .collect();
        let payments: Vec<CodeAmount> = summary
            .payments
            .iter()
            .filter(|(f, _, _)| *f == fund)
            .map(|(_, code, amount)| CodeAmount { code: code.clone(), amount: *amount })
            .collect();
        funds.push(FundPart {
            fund: fund.code().into(),
            opening: pos(&opening),
            receipts_total: books::sum_amounts(receipts.iter().map(|r| r.amount))?,
            receipts,
            payments_total: books::sum_amounts(payments.iter().map(|p| p.amount))?,
            payments,
            transfers_in: flow(&closing, |f| f.transfers_in) - flow(&opening, |f| f.transfers_in),
            capital_added: flow(&closing, |f| f.capital) - flow(&opening, |f| f.capital),
            closing: pos(&closing),
            last_count: last_count(store, club_id, fund, period.from, as_of)?,
        });
    }

    // Loans: what moved in the period, and the portfolio on the last day.
    let (disbursed_count, disbursed_amount): (u32, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(amount), 0) FROM loan WHERE club_id = ?1 AND disbursed_on BETWEEN ?2 AND ?3",
        params![club_id, period.from, as_of],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (repaid_principal, interest_received, penalty_received): (i64, i64, i64) = conn.query_row(
        "SELECT coalesce(sum(p.principal), 0), coalesce(sum(p.interest), 0), coalesce(sum(p.penalty), 0)
         FROM loan_payment p JOIN loan l ON l.id = p.loan_id
         WHERE l.club_id = ?1 AND p.paid_on BETWEEN ?2 AND ?3",
        params![club_id, period.from, as_of],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let written_off =
        books::sum_amounts(summary.payments.iter().filter(|(f, code, _)| *f == Fund::Income && code == "write_off").map(|(_, _, a)| *a))?;
    let loans = LoansPart {
        disbursed_count,
        disbursed_amount,
        repaid_principal,
        interest_received,
        penalty_received,
        written_off,
        at_end: loans::portfolio(store, club_id, as_of)?,
    };

    let standard = match period.kind {
        PeriodKind::Year => Some(StandardPart::of(&standard::assess(store, club_id, period.year, None)?, opts.with_members)),
        _ => None,
    };
    let member_list = opts.with_members.then(|| {
        members
            .iter()
            .filter(|m| m.joined_on <= as_of && m.left_on.is_none_or(|l| l >= period.from))
            .map(|m| MemberLine {
                full_name: m.full_name.clone(),
                sex: m.sex.code().into(),
                birth_year: m.birth_year,
                hamlet: m.hamlet.clone(),
                joined_on: m.joined_on,
                left_on: m.left_on.filter(|l| *l <= as_of),
            })
            .collect()
    });

    Ok(Report {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        period: period.clone(),
        as_of,
        generated_on: today,
        app_version: env!("CARGO_PKG_VERSION").into(),
        includes_personal_data: opts.with_members,
        club: club_part,
        members: members_part,
        meetings,
        activities,
        funds,
        loans,
        standard,
        member_list,
    })
}

fn meetings_part(store: &Store, club_id: i64, from: NaiveDate, to: NaiveDate) -> Result<MeetingsPart> {
    let conn = store.conn();
    let mut by_kind = Vec::new();
    let mut held = 0;
    for kind in crate::life::meeting::MeetingKind::ALL {
        let n: u32 = conn.query_row(
            "SELECT count(*) FROM meeting WHERE club_id = ?1 AND kind = ?2 AND held_on BETWEEN ?3 AND ?4",
            params![club_id, kind.code(), from, to],
            |r| r.get(0),
        )?;
        held += n;
        by_kind.push(CodeCount { code: kind.code().into(), count: n });
    }
    let months_with_meeting: u32 = conn.query_row(
        "SELECT count(DISTINCT substr(held_on, 1, 7)) FROM meeting
         WHERE club_id = ?1 AND kind IN ('monthly', 'annual') AND held_on BETWEEN ?2 AND ?3",
        params![club_id, from, to],
        |r| r.get(0),
    )?;
    let (regular, present): (u32, u32) = conn.query_row(
        "SELECT count(DISTINCT m.id), count(a.member_id) FROM meeting m
         LEFT JOIN meeting_attendance a ON a.meeting_id = m.id
         WHERE m.club_id = ?1 AND m.kind IN ('monthly', 'annual') AND m.held_on BETWEEN ?2 AND ?3",
        params![club_id, from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let topic_count = |topic: &str| -> Result<u32> {
        Ok(conn.query_row(
            "SELECT count(*) FROM meeting_topic t JOIN meeting m ON m.id = t.meeting_id
             WHERE m.club_id = ?1 AND t.topic = ?2 AND m.held_on BETWEEN ?3 AND ?4",
            params![club_id, topic, from, to],
            |r| r.get(0),
        )?)
    };
    let mut areas = Vec::new();
    for topic in Topic::AREAS {
        let activities: u32 = conn.query_row(
            "SELECT count(*) FROM activity WHERE club_id = ?1 AND area = ?2 AND held_on BETWEEN ?3 AND ?4",
            params![club_id, topic.code(), from, to],
            |r| r.get(0),
        )?;
        areas.push(AreaLine { area: topic.code().into(), meetings: topic_count(topic.code())?, activities });
    }
    let mut themes = Vec::new();
    for topic in Topic::ALL.into_iter().filter(|t| !t.is_area()) {
        themes.push(CodeCount { code: topic.code().into(), count: topic_count(topic.code())? });
    }
    let (decisions, loan_approvals): (u32, u32) = conn.query_row(
        "SELECT count(*), coalesce(sum(d.kind = 'loan_approval'), 0) FROM decision d JOIN meeting m ON m.id = d.meeting_id
         WHERE m.club_id = ?1 AND m.held_on BETWEEN ?2 AND ?3",
        params![club_id, from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(MeetingsPart {
        held,
        by_kind,
        months: months_between(from, to),
        months_with_meeting,
        average_present: if regular == 0 { 0.0 } else { (present as f64 * 10.0 / regular as f64).round() / 10.0 },
        areas_covered: areas.iter().filter(|a| a.meetings > 0).count() as u32,
        areas,
        themes,
        decisions,
        loan_approvals,
    })
}

fn activities_part(
    store: &Store,
    club_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    on_end: &[&member::Member],
) -> Result<ActivitiesPart> {
    let conn = store.conn();
    let mut by_kind = Vec::new();
    for kind in crate::life::activity::ActivityKind::ALL {
        let (count, people, value): (u32, u32, i64) = conn.query_row(
            "SELECT count(*), coalesce(sum(people), 0), coalesce(sum(value), 0) FROM activity
             WHERE club_id = ?1 AND kind = ?2 AND held_on BETWEEN ?3 AND ?4",
            params![club_id, kind.code(), from, to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        by_kind.push(ActivityLine { kind: kind.code().into(), count, people, value });
    }
    let mut stmt = conn.prepare(
        "SELECT DISTINCT member_id FROM activity
         WHERE club_id = ?1 AND kind = 'home_visit' AND member_id IS NOT NULL AND held_on BETWEEN ?2 AND ?3",
    )?;
    let visited: std::collections::BTreeSet<i64> =
        stmt.query_map(params![club_id, from, to], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    let recipients: Vec<i64> = on_end.iter().filter(|m| m.has_role_on(Role::CareRecipient, to)).map(|m| m.id).collect();
    Ok(ActivitiesPart {
        by_kind,
        members_visited: visited.len() as u32,
        care_recipients: recipients.len() as u32,
        care_recipients_visited: recipients.iter().filter(|id| visited.contains(id)).count() as u32,
    })
}

fn last_count(store: &Store, club_id: i64, fund: Fund, from: NaiveDate, to: NaiveDate) -> Result<Option<CountLine>> {
    let mut stmt = store.conn().prepare(
        "SELECT date, account, book_before, counted FROM balance_assertion
         WHERE club_id = ?1 AND fund = ?2 AND date BETWEEN ?3 AND ?4 ORDER BY date DESC, id DESC LIMIT 1",
    )?;
    let mut rows = stmt.query_map(params![club_id, fund.code(), from, to], |r| {
        let book: i64 = r.get(2)?;
        let counted: i64 = r.get(3)?;
        Ok(CountLine { date: r.get(0)?, account: r.get(1)?, book, counted, difference: counted - book })
    })?;
    Ok(rows.next().transpose()?)
}
