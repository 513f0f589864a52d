//! The period report the commune receives. Every figure comes from the functions the other commands
//! use (composition, balances, the ledger summary, the loan portfolio, the standard), so the report
//! cannot disagree with them. These types ARE the published format: `docs/schema/report-v1.schema.json`
//! is generated from them (a test keeps it current), and `FORMAT_VERSION` changes when a field's
//! meaning changes. Renderings of one `Report`: `html.rs` (the printable page), `xlsx.rs` (a sheet per
//! section), and `to_json`.
//!
//! Counts, not names: unless `ReportOptions::with_members` is set, nothing in a report names or
//! identifies a person (no names, no member ids, no birth dates). Health details never enter the books.
//!
//! The rooms: `period` (what a period is), `types` (the report's parts: the published format),
//! `build` (the report from the books), `html`, `xlsx` (its renderings) and `card` (the club's
//! printable key card, a rendering too: every word from the catalogue, every datum escaped by maud).

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Field, Result, Rule};
use crate::store::Store;

mod build;
pub mod card;
pub mod html;
pub mod notice;
pub mod statement;
mod period;
#[cfg(test)]
mod tests;
mod types;
pub mod xlsx;

pub use build::build;
pub use period::{Period, PeriodKind};
pub use types::*;

pub const FORMAT: &str = "ishc-report";
pub const FORMAT_VERSION: u32 = 1;

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
