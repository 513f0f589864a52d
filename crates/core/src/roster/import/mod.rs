//! Importing the member sheets clubs already keep (CSV or XLSX). The dry run and the real import are
//! the same code: every row goes through `member::add_in` inside one transaction, which is rolled back
//! for a dry run, or when any row is wrong. So the report is exactly what would happen, and an import
//! lands whole or not at all.
//!
//! `sheet` reads the file into cells within `limits` (decoding, delimiters, XLSX cell by cell);
//! `rows` finds the header and maps each row to a `MemberInput`, reading dates, births and sex with
//! the one grammar in `crate::parse`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::roster::member::{self, MemberInput};
use crate::store::audit::Actor;
use crate::store::Store;
use crate::text;

mod rows;
mod sheet;

pub use rows::{column_for, parse_date_cell, Column};
pub use sheet::{limits, read_csv, read_file, read_table, read_xlsx, Cell, Table};
use limits::MAX_ROWS;
use rows::{header_row, row_input};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportOptions {
    /// The join date for rows that have none (many sheets only list current members).
    pub default_joined_on: Option<NaiveDate>,
    /// Import rows that look like members already in the books (same name and birth year).
    #[serde(default)]
    pub allow_duplicates: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ColumnUse {
    pub header: String,
    pub column: Option<Column>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportRow {
    /// The row's number in the sheet, counting from 1 as a spreadsheet shows it.
    pub line: u32,
    pub full_name: String,
    pub member: Option<MemberInput>,
    pub error: Option<CoreError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportReport {
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub header_line: u32,
    pub columns: Vec<ColumnUse>,
    pub rows: Vec<ImportRow>,
    pub ok_rows: u32,
    pub error_rows: u32,
    /// True only when the members are now in the books.
    pub committed: bool,
}

/// Check every row against every rule and, when `commit` and nothing is wrong, add them all.
pub fn import(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    table: &Table,
    opts: &ImportOptions,
    commit: bool,
) -> Result<ImportReport> {
    crate::roster::club::get(store, club_id)?;
    let (header_idx, cols) = header_row(table).ok_or(CoreError::ImportNoHeader)?;
    let columns = table.rows[header_idx]
        .iter()
        .zip(&cols)
        .map(|(h, c)| ColumnUse { header: h.text(), column: *c })
        .collect();
    let body: Vec<(u32, &Vec<Cell>)> = table
        .rows
        .iter()
        .enumerate()
        .skip(header_idx + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .map(|(i, r)| (i as u32 + 1, r))
        .collect();
    if body.is_empty() {
        return Err(CoreError::ImportEmpty);
    }
    if body.len() > MAX_ROWS as usize {
        return Err(CoreError::ImportTooManyRows { max: MAX_ROWS });
    }
    // A dry run (the preview) changes nothing and needs no right; adding the members does.
    let report = store.write_or_roll_back(actor, |w| {
        if commit {
            crate::auth::permissions::require_in(w, club_id, crate::auth::permissions::Action::MemberWrite)?;
        }
        let mut rows = Vec::new();
        for (line, cells) in &body {
            let input = row_input(cells, &cols, opts, w.today);
            let full_name = match &input {
                Ok(i) => text::clean(&i.full_name),
                Err(_) => cols
                    .iter()
                    .position(|c| *c == Some(Column::FullName))
                    .and_then(|i| cells.get(i))
                    .map(Cell::text)
                    .unwrap_or_default(),
            };
            let result = input.and_then(|input| {
                // Each row in its own savepoint: a refused row leaves nothing half-written.
                w.tx.execute_batch("SAVEPOINT import_row")?;
                match member::add_in(w, club_id, &input, opts.allow_duplicates) {
                    Ok(_) => {
                        w.tx.execute_batch("RELEASE import_row")?;
                        Ok(input)
                    }
                    Err(e) => {
                        w.tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
                        Err(e)
                    }
                }
            });
            rows.push(match result {
                Ok(m) => ImportRow { line: *line, full_name, member: Some(m), error: None },
                Err(e) => ImportRow { line: *line, full_name, member: None, error: Some(e) },
            });
        }
        let error_rows = rows.iter().filter(|r| r.error.is_some()).count() as u32;
        let ok_rows = rows.len() as u32 - error_rows;
        let keep = commit && error_rows == 0;
        if keep {
            w.audit(Some(club_id), "member.import", None, serde_json::json!({ "rows": ok_rows }))?;
        }
        Ok((
            ImportReport {
                format: table.format.clone(),
                encoding: table.encoding.clone(),
                delimiter: table.delimiter.map(|d| d.to_string()),
                header_line: header_idx as u32 + 1,
                columns,
                rows,
                ok_rows,
                error_rows,
                committed: keep,
            },
            keep,
        ))
    })?;
    if commit && report.error_rows > 0 {
        return Err(CoreError::ImportHasErrors { error_rows: report.error_rows });
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
