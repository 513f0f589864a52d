//! Importing the member sheets clubs already keep (CSV or XLSX). The dry run and the real import are
//! the same code: every row goes through `member::add_in` inside one transaction, which is rolled back
//! for a dry run, or when any row is wrong. So the report is exactly what would happen, and an import
//! lands whole or not at all.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::audit::Actor;
use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::member::{self, poverty_standard_on, Flag, FlagInput, MemberInput, Role, Sex};
use crate::store::Store;
use crate::text;

/// A cell as read from the sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => text::clean(s),
            Cell::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }
    fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// The sheet as rows of cells, with how it was read.
#[derive(Debug, Clone)]
pub struct Table {
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<char>,
    pub rows: Vec<Vec<Cell>>,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    FullName,
    Sex,
    Birth,
    /// "Năm sinh — Nam": the birth year written under the member's sex, as many paper forms do.
    BirthIfMale,
    BirthIfFemale,
    Ethnicity,
    Hamlet,
    Phone,
    JoinedOn,
    Consent,
    Poor,
    NearPoor,
    Disability,
    LivingAlone,
    /// A free-text status column ("Hộ nghèo", "cận nghèo, khuyết tật").
    Status,
    Standard,
    Volunteer,
}

/// Which column a header names, in Vietnamese (with or without diacritics) or English.
pub fn column_for(header: &str) -> Option<Column> {
    let h: String = text::fold(header)
        .chars()
        .map(|c| if c.is_alphanumeric() || c == ' ' { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    use Column::*;
    let exact = match h.as_str() {
        "ho va ten" | "ho ten" | "ten" | "ho va ten thanh vien" | "name" | "full name" | "member" => Some(FullName),
        "gioi tinh" | "gioi" | "sex" | "gender" => Some(Sex),
        "nam sinh" | "ngay sinh" | "ngay thang nam sinh" | "birth" | "born" | "birth year" | "year of birth"
        | "date of birth" | "birth date" => Some(Birth),
        "nam" | "nam sinh nam" | "male" => Some(BirthIfMale),
        "nu" | "nam sinh nu" | "female" => Some(BirthIfFemale),
        "dan toc" | "ethnicity" | "ethnic group" => Some(Ethnicity),
        "thon" | "xom" | "thon xom" | "dia chi" | "hamlet" | "village" | "address" => Some(Hamlet),
        "dien thoai" | "so dien thoai" | "sdt" | "dt" | "phone" | "phone number" => Some(Phone),
        "ngay vao" | "ngay tham gia" | "ngay vao clb" | "ngay vao cau lac bo" | "joined" | "join date" | "date joined"
        | "joined on" => Some(JoinedOn),
        "dong y" | "dong y luu thong tin" | "consent" | "ngay dong y" => Some(Consent),
        "ho ngheo" | "ngheo" | "poor" | "poor household" => Some(Poor),
        "ho can ngheo" | "can ngheo" | "near poor" | "near poor household" => Some(NearPoor),
        "khuyet tat" | "disability" | "disabled" => Some(Disability),
        "song mot minh" | "neo don" | "song don than" | "living alone" | "lives alone" => Some(LivingAlone),
        "dien" | "hoan canh" | "dien hoan canh" | "hoan canh kho khan" | "status" | "disadvantage" => Some(Status),
        "chuan ngheo" | "poverty standard" => Some(Standard),
        "tinh nguyen vien" | "tnv" | "volunteer" => Some(Volunteer),
        _ => None,
    };
    exact.or_else(|| {
        if h.starts_with("ho va ten") || h.starts_with("ho ten") {
            Some(FullName)
        } else if h.starts_with("ngay sinh") || h.starts_with("nam sinh") {
            Some(Birth)
        } else {
            None
        }
    })
}

/// The limits on a sheet, checked before anything grows with the file: a club has a few hundred
/// members, so these leave room for ten times that and refuse what could only exhaust the laptop.
pub mod limits {
    /// The file itself (CSV or XLSX), refused before it is read.
    pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
    /// Member rows (rows with something in them) below the header row.
    pub const MAX_ROWS: u32 = 5_000;
    /// Rows of the sheet read at all, counting title, header and empty rows: content below is refused.
    pub const MAX_SHEET_ROWS: u32 = 10_000;
    /// Columns read: content to the right is refused.
    pub const MAX_COLUMNS: u32 = 64;
    /// What an XLSX (a zip) may unpack to, all its parts together, checked on the zip's directory
    /// before any part is unpacked (the zip reader stops at a part's declared size).
    pub const MAX_UNZIPPED_BYTES: u64 = 32 * 1024 * 1024;
}
use limits::*;

/// How many rows from the top may hold titles before the header (see `header_row`).
const HEADER_SEARCH_ROWS: usize = 15;

/// A cell's name as a spreadsheet shows it: row and column counted from 0 → `D1048576`.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row as u64 + 1).to_string()
}

fn out_of_range(row: u32, col: u32) -> CoreError {
    CoreError::ImportCellOutOfRange { cell: cell_name(row, col), max_rows: MAX_SHEET_ROWS, max_columns: MAX_COLUMNS }
}

/// Counts rows with content as they are read, so an oversized sheet is refused while it is read.
struct RowBudget(usize);

impl RowBudget {
    fn take(&mut self, row: &[Cell]) -> Result<()> {
        if row.iter().any(|c| !c.is_empty()) {
            self.0 += 1;
            // The header and title rows above it come on top of the member rows.
            if self.0 > MAX_ROWS as usize + HEADER_SEARCH_ROWS {
                return Err(CoreError::ImportTooManyRows { max: MAX_ROWS });
            }
        }
        Ok(())
    }
}

/// Decode a CSV's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _, _) = enc.decode(bytes);
        return (s.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "UTF-8");
    }
    let (s, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
    (s.into_owned(), "windows-1258")
}

/// The delimiter used most over the first lines (a title row above the header has none).
fn sniff_delimiter(s: &str) -> char {
    let head: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).take(5).collect();
    let count = |c: char| head.iter().map(|l| l.matches(c).count()).sum::<usize>();
    [';', '\t', ','].into_iter().max_by_key(|c| (count(*c), *c == ',')).unwrap_or(',')
}

/// Refuse bytes over the file cap: the window hands over bytes, the CLI a path (`read_file`).
fn check_size(bytes: &[u8], file_name: &str) -> Result<()> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(CoreError::FileTooLarge { path: file_name.to_string(), max_kib: MAX_FILE_BYTES.div_ceil(1024) });
    }
    Ok(())
}

pub fn read_csv(bytes: &[u8]) -> Result<Table> {
    check_size(bytes, "")?;
    let (s, encoding) = decode(bytes);
    let delimiter = sniff_delimiter(&s);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(s.as_bytes());
    let mut rows = Vec::new();
    let mut budget = RowBudget(0);
    for record in reader.records() {
        let record = record.map_err(|e| CoreError::ImportUnreadable { detail: e.to_string() })?;
        if rows.len() >= MAX_SHEET_ROWS as usize {
            return Err(CoreError::ImportTooManyRows { max: MAX_ROWS });
        }
        if let Some(col) = record.iter().skip(MAX_COLUMNS as usize).position(|c| !c.trim().is_empty()) {
            return Err(out_of_range(rows.len() as u32, MAX_COLUMNS + col as u32));
        }
        let row: Vec<Cell> = record
            .iter()
            .take(MAX_COLUMNS as usize)
            .map(|c| if c.trim().is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) })
            .collect();
        budget.take(&row)?;
        rows.push(row);
    }
    Ok(Table { format: "csv".into(), encoding: encoding.into(), delimiter: Some(delimiter), rows })
}

/// Refuse a workbook whose parts would unpack to more than `MAX_UNZIPPED_BYTES`, from the sizes the
/// zip's directory declares (the zip reader then refuses a part that inflates beyond its declared
/// size), before calamine unpacks anything.
fn check_unzipped_size(bytes: &[u8]) -> Result<()> {
    let too_large = || CoreError::ImportSheetTooLarge { max_mib: MAX_UNZIPPED_BYTES / (1024 * 1024) };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| CoreError::ImportUnreadable { detail: e.to_string() })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| CoreError::ImportUnreadable { detail: e.to_string() })?;
        total = total.checked_add(part.size()).ok_or_else(too_large)?;
        if total > MAX_UNZIPPED_BYTES {
            return Err(too_large());
        }
    }
    Ok(())
}

fn cell_from(d: calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Text(if b { "x".into() } else { String::new() }),
        Data::DateTime(dt) => dt.as_datetime().map(|t| Cell::Date(t.date())).unwrap_or(Cell::Empty),
        Data::DateTimeIso(s) => s.get(..10).and_then(|d| d.parse().ok()).map(Cell::Date).unwrap_or(Cell::Empty),
        other => Cell::Text(other.to_string()),
    }
}

/// The first sheet of an XLSX, cell by cell (never the whole declared dimension at once, which a
/// sheet naming `XFD1048576` would make 17 billion cells): a cell with content outside the first
/// `MAX_SHEET_ROWS` × `MAX_COLUMNS` is refused by name, and the rows are counted as they come.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    use calamine::Reader;
    check_size(bytes, "")?;
    check_unzipped_size(bytes)?;
    let unreadable = |e: String| CoreError::ImportUnreadable { detail: e };
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let first = book.sheet_names().into_iter().next().ok_or_else(|| unreadable("no sheet".into()))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| unreadable(e.to_string()))?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    while let Some(c) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
        let (row, col) = c.get_position();
        let cell = cell_from(c.get_value().clone().into());
        if cell.is_empty() {
            continue; // formatting only: nothing to read, wherever it is
        }
        if row >= MAX_SHEET_ROWS || col >= MAX_COLUMNS {
            return Err(out_of_range(row, col));
        }
        let (row, col) = (row as usize, col as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let line = &mut rows[row];
        if line.len() <= col {
            line.resize(col + 1, Cell::Empty);
        }
        line[col] = cell;
    }
    // Cells may come in any order: count rows once they are whole.
    let mut budget = RowBudget(0);
    for row in &rows {
        budget.take(row)?;
    }
    Ok(Table { format: "xlsx".into(), encoding: "xlsx".into(), delimiter: None, rows })
}

/// Read a sheet by its name's extension (`.xlsx` as a workbook, anything else as CSV). Older
/// workbook formats (`.xls`, `.ods`) are refused by name: they cannot be read cell by cell within
/// the limits, and Excel or LibreOffice saves them as XLSX.
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<Table> {
    check_size(bytes, file_name)?;
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes)
    } else if let Some(ext) = [".xls", ".xlsb", ".ods"].iter().find(|e| lower.ends_with(**e)) {
        Err(CoreError::ImportFormat { extension: ext.trim_start_matches('.').to_string() })
    } else {
        read_csv(bytes)
    }
}

/// Read a sheet from a path: a regular file of at most `MAX_FILE_BYTES`, checked before it is read
/// (a FIFO or `/dev/zero` is refused), then as `read_table`.
pub fn read_file(path: &std::path::Path) -> Result<Table> {
    let bytes = crate::files::read_capped(path, MAX_FILE_BYTES)?;
    read_table(&bytes, &path.to_string_lossy())
}

/// A date as clubs write it: dd/mm/yyyy, d/m/yy, yyyy-mm-dd, or a date cell.
pub fn parse_date_cell(cell: &Cell, field: Field) -> Result<NaiveDate> {
    let bad = || CoreError::invalid(field, Rule::DateFormat);
    match cell {
        Cell::Date(d) => Ok(*d),
        _ => {
            let s = cell.text();
            if let Ok(d) = s.parse::<NaiveDate>() {
                return Ok(d);
            }
            let parts: Vec<&str> = s.split(['/', '.', '-']).map(str::trim).collect();
            if parts.len() != 3 {
                return Err(bad());
            }
            let num = |p: &str| p.parse::<i32>().map_err(|_| bad());
            let (d, m, mut y) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
            if parts[2].len() == 2 {
                // Two-digit years: 00–(this year) are 2000s, the rest 1900s (birth dates).
                y += if y <= chrono::Local::now().year() % 100 { 2000 } else { 1900 };
            }
            NaiveDate::from_ymd_opt(y, m as u32, d as u32).ok_or_else(bad)
        }
    }
}

/// A birth: a bare year, or a full date.
fn parse_birth_cell(cell: &Cell) -> Result<(i32, Option<NaiveDate>)> {
    let s = cell.text();
    if let Ok(y) = s.parse::<i32>() {
        return Ok((y, None));
    }
    let d = parse_date_cell(cell, Field::MemberBirth)?;
    Ok((d.year(), Some(d)))
}

fn truthy(cell: &Cell) -> bool {
    let t = text::fold(&cell.text());
    !t.is_empty() && !matches!(t.as_str(), "0" | "khong" | "no" | "false" | "-")
}

fn parse_sex_cell(cell: &Cell) -> Result<Sex> {
    match text::fold(&cell.text()).as_str() {
        "nu" | "f" | "female" | "x nu" => Ok(Sex::F),
        "nam" | "m" | "male" => Ok(Sex::M),
        _ => Err(CoreError::invalid(Field::MemberSex, Rule::OneOf { allowed: vec!["Nam".into(), "Nữ".into(), "M".into(), "F".into()] })),
    }
}

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

fn header_row(table: &Table) -> Option<(usize, Vec<Option<Column>>)> {
    table.rows.iter().take(HEADER_SEARCH_ROWS).enumerate().find_map(|(i, row)| {
        let cols: Vec<Option<Column>> = row.iter().map(|c| column_for(&c.text())).collect();
        cols.contains(&Some(Column::FullName)).then_some((i, cols))
    })
}

/// One sheet row as a member. A poor / near-poor mark without a standard column is taken as decided
/// under the standard in force on `today`: a sheet describes members as they are now.
fn row_input(cells: &[Cell], cols: &[Option<Column>], opts: &ImportOptions, today: NaiveDate) -> Result<MemberInput> {
    let get = |want: Column| cols.iter().position(|c| *c == Some(want)).and_then(|i| cells.get(i)).filter(|c| !c.is_empty());
    let full_name = get(Column::FullName).map(Cell::text).unwrap_or_default();
    let (mut sex, mut birth) = (None, None);
    if let Some(c) = get(Column::BirthIfMale) {
        sex = Some(Sex::M);
        birth = Some(parse_birth_cell(c)?);
    }
    if let Some(c) = get(Column::BirthIfFemale) {
        sex = Some(Sex::F);
        birth = Some(parse_birth_cell(c)?);
    }
    if let Some(c) = get(Column::Sex) {
        sex = Some(parse_sex_cell(c)?);
    }
    if let Some(c) = get(Column::Birth) {
        birth = Some(parse_birth_cell(c)?);
    }
    let sex = sex.ok_or(CoreError::invalid(Field::MemberSex, Rule::Required))?;
    let (birth_year, birth_date) = birth.ok_or(CoreError::invalid(Field::MemberBirth, Rule::Required))?;
    let joined_on = match get(Column::JoinedOn) {
        Some(c) => parse_date_cell(c, Field::MemberJoinedOn)?,
        None => opts.default_joined_on.ok_or(CoreError::invalid(Field::MemberJoinedOn, Rule::Required))?,
    };
    let consent_on = match get(Column::Consent) {
        Some(c) => match parse_date_cell(c, Field::MemberConsentOn) {
            Ok(d) => Some(d),
            Err(_) if truthy(c) => Some(joined_on),
            Err(_) => None,
        },
        None => None,
    };
    let mut flags: Vec<Flag> = Vec::new();
    for (col, flag) in [
        (Column::Poor, Flag::Poor),
        (Column::NearPoor, Flag::NearPoor),
        (Column::Disability, Flag::Disability),
        (Column::LivingAlone, Flag::LivingAlone),
    ] {
        if get(col).is_some_and(truthy) {
            flags.push(flag);
        }
    }
    if let Some(status) = get(Column::Status) {
        let s = text::fold(&status.text());
        if s.contains("can ngheo") || s.contains("near poor") {
            flags.push(Flag::NearPoor);
        } else if s.contains("ngheo") || s.contains("poor") {
            flags.push(Flag::Poor);
        }
        if s.contains("khuyet tat") || s.contains("disab") {
            flags.push(Flag::Disability);
        }
        if s.contains("mot minh") || s.contains("neo don") || s.contains("alone") {
            flags.push(Flag::LivingAlone);
        }
    }
    flags.dedup();
    let standard = get(Column::Standard).map(Cell::text).unwrap_or_else(|| poverty_standard_on(today).to_string());
    Ok(MemberInput {
        full_name,
        sex,
        birth_year,
        birth_date,
        ethnicity: get(Column::Ethnicity).map(Cell::text).unwrap_or_else(|| "Kinh".into()),
        hamlet: get(Column::Hamlet).map(Cell::text).unwrap_or_default(),
        phone: get(Column::Phone).map(Cell::text).unwrap_or_default(),
        joined_on,
        consent_on,
        flags: flags
            .into_iter()
            .map(|flag| FlagInput { flag, standard: flag.needs_standard().then(|| standard.clone()) })
            .collect(),
        roles: if get(Column::Volunteer).is_some_and(truthy) { vec![Role::Volunteer] } else { vec![] },
    })
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
    let report = store.write_or_roll_back(actor, |w| {
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
mod tests {
    use super::*;
    use crate::roster::club::{self, ClubInput};
    use crate::roster::member::ListQuery;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn setup() -> (Store, Actor, i64) {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(d("2026-11-22"));
        let actor = Actor::new("Lê Thị Hoa").unwrap();
        let club = club::create(&mut store, &actor, &ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", d("2019-03-01"))).unwrap();
        (store, actor, club.id)
    }

    fn count(store: &Store, club: i64) -> usize {
        member::list(store, club, &ListQuery { include_left: true, ..Default::default() }).unwrap().len()
    }

    const GOOD_CSV: &str = "DANH SÁCH THÀNH VIÊN CLB LIÊN THẾ HỆ TỰ GIÚP NHAU\n\
        STT;Họ và tên;Giới tính;Năm sinh;Thôn;Ngày vào;Hộ nghèo\n\
        1;Nguyễn Thị Lan;Nữ;1955;Đông Hòa;01/03/2019;x\n\
        2;Trần Văn Bình;Nam;12/5/1960;Đông Hòa;1/6/20;\n\
        3;Lê Thị Ánh;F;1990;Bắc Sơn;2021-01-15;\n";

    #[test]
    fn semicolon_csv_with_title_row_imports_after_confirmation_only() {
        let (mut store, actor, club) = setup();
        let table = read_csv(GOOD_CSV.as_bytes()).unwrap();
        assert_eq!(table.delimiter, Some(';'));
        let dry = import(&mut store, &actor, club, &table, &ImportOptions::default(), false).unwrap();
        assert_eq!((dry.ok_rows, dry.error_rows, dry.committed, dry.header_line), (3, 0, false, 2));
        assert_eq!(count(&store, club), 0, "a dry run writes nothing");
        let m = dry.rows[1].member.clone().unwrap();
        assert_eq!((m.birth_year, m.birth_date, m.joined_on), (1960, Some(d("1960-05-12")), d("2020-06-01")));
        assert_eq!(dry.rows[0].member.as_ref().unwrap().flags[0].flag, Flag::Poor);
        let done = import(&mut store, &actor, club, &table, &ImportOptions::default(), true).unwrap();
        assert!(done.committed);
        assert_eq!(count(&store, club), 3);
    }

    #[test]
    fn one_bad_row_means_nothing_is_imported() {
        let (mut store, actor, club) = setup();
        let csv = "Họ và tên,Giới tính,Năm sinh,Ngày vào\nNguyễn Thị Lan,Nữ,1955,01/03/2019\nTrần Văn Bình,X,1960,01/03/2019\n\
                   Lê Văn Cường,Nam,1970,01/01/2030\nLê Thị Duyên,Nữ,,01/03/2019\n";
        let table = read_csv(csv.as_bytes()).unwrap();
        let dry = import(&mut store, &actor, club, &table, &ImportOptions::default(), false).unwrap();
        assert_eq!((dry.ok_rows, dry.error_rows), (1, 3));
        let field = |i: usize| match dry.rows[i].error.clone() {
            Some(CoreError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!((field(1), field(2), field(3)), (Field::MemberSex, Field::MemberJoinedOn, Field::MemberBirth));
        assert_eq!(dry.rows[1].line, 3);
        let err = import(&mut store, &actor, club, &table, &ImportOptions::default(), true).unwrap_err();
        assert_eq!(err, CoreError::ImportHasErrors { error_rows: 3 });
        assert_eq!(count(&store, club), 0);
    }

    #[test]
    fn duplicates_inside_the_file_and_against_the_books_are_caught() {
        let (mut store, actor, club) = setup();
        member::add(&mut store, &actor, club, &MemberInput::new("Nguyễn Thị Lan", Sex::F, 1955, d("2019-03-01")), false).unwrap();
        let csv = "Name,Sex,Born,Joined\nnguyen thi lan,F,1955,2019-03-01\nPhạm Văn Tú,M,1980,2019-03-01\nPham Van Tu,M,1980,2019-03-01\n";
        let dry = import(&mut store, &actor, club, &read_csv(csv.as_bytes()).unwrap(), &ImportOptions::default(), false).unwrap();
        let codes: Vec<String> = dry.rows.iter().map(|r| r.error.as_ref().map(|e| e.code()).unwrap_or_default()).collect();
        assert_eq!(codes, vec!["member.duplicate", "", "member.duplicate"]);
    }

    #[test]
    fn windows_1258_and_utf16_and_bom_are_read() {
        let text = "Họ và tên,Giới tính,Năm sinh,Ngày vào\nNguyễn Thị Đào,Nữ,1950,01/03/2019\n";
        // Windows-1258 has ê, ơ, ư… precomposed but writes tones as combining marks.
        use unicode_normalization::UnicodeNormalization;
        let tones = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
        let cp1258_form: String = text
            .chars()
            .flat_map(|c| {
                let d: Vec<char> = c.nfd().collect();
                let letter: String = d.iter().filter(|m| !tones.contains(m)).collect::<String>().nfc().collect();
                letter.chars().chain(d.into_iter().filter(|m| tones.contains(m))).collect::<Vec<_>>()
            })
            .collect();
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&cp1258_form);
        assert!(!unmappable);
        let t = read_csv(&bytes).unwrap();
        assert_eq!(t.encoding, "windows-1258");
        assert_eq!(text::clean(&t.rows[1][0].text()), "Nguyễn Thị Đào");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let t = read_csv(&bom).unwrap();
        assert_eq!(t.rows[0][0].text(), "Họ và tên");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let t = read_csv(&utf16).unwrap();
        assert_eq!(t.encoding, "UTF-16LE");
        assert_eq!(t.rows[1][0].text(), "Nguyễn Thị Đào");
    }

    #[test]
    fn birth_year_under_the_sex_column_as_paper_forms_do() {
        let (mut store, actor, club) = setup();
        let csv = "TT,Họ và tên,Năm sinh Nam,Năm sinh Nữ,Dân tộc,Diện\n1,Lò Văn Páo,1958,,Thái,hộ cận nghèo\n2,Hà Thị Nụ,,1962,Mường,Nghèo; khuyết tật\n";
        let opts = ImportOptions { default_joined_on: Some(d("2020-01-01")), ..Default::default() };
        let r = import(&mut store, &actor, club, &read_csv(csv.as_bytes()).unwrap(), &opts, true).unwrap();
        let a = r.rows[0].member.clone().unwrap();
        let b = r.rows[1].member.clone().unwrap();
        assert_eq!((a.sex, a.birth_year, a.ethnicity.as_str()), (Sex::M, 1958, "Thái"));
        assert_eq!(a.flags.iter().map(|f| f.flag).collect::<Vec<_>>(), vec![Flag::NearPoor]);
        assert_eq!((b.sex, b.birth_year), (Sex::F, 1962));
        assert_eq!(b.flags.iter().map(|f| f.flag).collect::<Vec<_>>(), vec![Flag::Poor, Flag::Disability]);
        assert_eq!(b.flags[0].standard.as_deref(), Some("Chuẩn nghèo 2026–2030"));
    }

    #[test]
    fn no_name_column_or_no_rows_is_refused() {
        let (mut store, actor, club) = setup();
        let t = read_csv(b"a,b,c\n1,2,3\n").unwrap();
        assert_eq!(import(&mut store, &actor, club, &t, &ImportOptions::default(), false).unwrap_err(), CoreError::ImportNoHeader);
        let t = read_csv("Họ và tên,Năm sinh\n".as_bytes()).unwrap();
        assert_eq!(import(&mut store, &actor, club, &t, &ImportOptions::default(), false).unwrap_err(), CoreError::ImportEmpty);
    }

    #[test]
    fn xlsx_with_english_headers_in_any_order_and_date_cells() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        for (c, h) in ["Joined", "Sex", "Full name", "Year of birth", "Phone"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        let joined = rust_xlsxwriter::ExcelDateTime::from_ymd(2021, 4, 2).unwrap();
        sheet.write_datetime_with_format(1, 0, &joined, &date_format).unwrap();
        sheet.write_string(1, 1, "M").unwrap();
        sheet.write_string(1, 2, "Đặng Văn Khánh").unwrap();
        sheet.write_number(1, 3, 1949.0).unwrap();
        sheet.write_string(1, 4, "0912 345 678").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let (mut store, actor, club) = setup();
        let t = read_table(&bytes, "danh-sach.xlsx").unwrap();
        let r = import(&mut store, &actor, club, &t, &ImportOptions::default(), true).unwrap();
        let m = r.rows[0].member.clone().unwrap();
        assert_eq!((m.full_name.as_str(), m.sex, m.birth_year, m.joined_on), ("Đặng Văn Khánh", Sex::M, 1949, d("2021-04-02")));
        let stored = member::list(&store, club, &ListQuery::default()).unwrap();
        assert_eq!(stored[0].phone, "0912345678");
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        let err = read_table(b"PK\x03\x04 not really a zip", "x.xlsx").unwrap_err();
        assert_eq!(err.code(), "import.unreadable");
    }

    /// A real XLSX with a header, one member, and one more cell written at `cell` (row, column).
    fn xlsx_with_cell_at(row: u32, col: u16) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["Nguyễn Thị Lan", "Nữ", "1955", "01/03/2019"].iter().enumerate() {
            sheet.write_string(1, c as u16, *v).unwrap();
        }
        sheet.write_string(row, col, "x").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_cell_far_down_or_right_is_refused_by_name_before_anything_is_allocated() {
        // The sheet declares `A1:XFD1048576`: reading its whole range would ask for 549 GB.
        let bytes = xlsx_with_cell_at(1_048_575, 16_383);
        assert!(bytes.len() < 10_000, "a small file: {} bytes", bytes.len());
        let started = std::time::Instant::now();
        let err = read_table(&bytes, "danh-sach.xlsx").unwrap_err();
        assert_eq!(
            err,
            CoreError::ImportCellOutOfRange { cell: "XFD1048576".into(), max_rows: MAX_SHEET_ROWS, max_columns: MAX_COLUMNS }
        );
        let err = read_table(&xlsx_with_cell_at(1_048_575, 3), "danh-sach.xlsx").unwrap_err();
        assert_eq!(err, CoreError::ImportCellOutOfRange { cell: "D1048576".into(), max_rows: 10_000, max_columns: 64 });
        let err = read_table(&xlsx_with_cell_at(5, 64), "danh-sach.xlsx").unwrap_err();
        assert_eq!(err.code(), "import.cell_out_of_range");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        // Within the area, the same sheet reads: the stray cell is just another cell.
        let t = read_table(&xlsx_with_cell_at(9_999, 63), "danh-sach.xlsx").unwrap();
        assert_eq!((t.rows.len(), t.rows[9_999].len()), (10_000, 64));
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    #[test]
    fn an_xlsx_that_unpacks_beyond_the_cap_is_refused_before_it_is_unpacked() {
        use std::io::{Read, Write};
        // A real workbook whose sheet XML is padded with 33 MiB of spaces: a few dozen KiB zipped.
        let small = xlsx_with_cell_at(2, 0);
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(small)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for i in 0..src.len() {
            let mut part = src.by_index(i).unwrap();
            let name = part.name().unwrap().to_string();
            let mut body = Vec::new();
            part.read_to_end(&mut body).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                let text = String::from_utf8(body).unwrap();
                let at = text.find("<sheetData").unwrap();
                body = format!("{}{}{}", &text[..at], " ".repeat(33 << 20), &text[at..]).into_bytes();
            }
            out.start_file(name, opts).unwrap();
            out.write_all(&body).unwrap();
        }
        let bomb = out.finish().unwrap().into_inner();
        assert!(bomb.len() < MAX_FILE_BYTES as usize / 8, "{} bytes", bomb.len());
        assert_eq!(read_table(&bomb, "bom.xlsx").unwrap_err(), CoreError::ImportSheetTooLarge { max_mib: 32 });
    }

    /// A CSV with a header and `n` members, the last one with no sex when `last_bad`.
    fn csv_of(n: usize, last_bad: bool) -> String {
        let mut csv = String::from("Họ và tên,Giới tính,Năm sinh,Ngày vào\n");
        for i in 0..n {
            let sex = if last_bad && i + 1 == n { "" } else if i % 2 == 0 { "Nữ" } else { "Nam" };
            csv.push_str(&format!("Thành Viên Số {i},{sex},{},01/03/2019\n", 1940 + i % 60));
        }
        csv
    }

    #[test]
    fn a_csv_at_the_row_cap_imports_whole_or_not_at_all_and_one_row_more_is_refused() {
        let (mut store, actor, club) = setup();
        let opts = ImportOptions::default();
        let bad = read_csv(csv_of(MAX_ROWS as usize, true).as_bytes()).unwrap();
        let err = import(&mut store, &actor, club, &bad, &opts, true).unwrap_err();
        assert_eq!(err, CoreError::ImportHasErrors { error_rows: 1 });
        assert_eq!(count(&store, club), 0, "4,999 good rows and one bad: nothing lands");
        let good = read_csv(csv_of(MAX_ROWS as usize, false).as_bytes()).unwrap();
        let done = import(&mut store, &actor, club, &good, &opts, true).unwrap();
        assert_eq!((done.ok_rows, done.committed), (MAX_ROWS, true));
        assert_eq!(count(&store, club), MAX_ROWS as usize);

        let (mut store, actor, club) = setup();
        let over = read_csv(csv_of(MAX_ROWS as usize + 1, false).as_bytes()).unwrap();
        assert_eq!(import(&mut store, &actor, club, &over, &opts, false).unwrap_err(), CoreError::ImportTooManyRows { max: 5_000 });
        assert_eq!(count(&store, club), 0);
    }

    #[test]
    fn a_long_csv_is_refused_while_it_is_read() {
        // 200,000 short lines (under the file cap): the reader stops at the cap, it does not read on.
        let csv = "Họ và tên;Năm sinh\n".to_string() + &"A;1\n".repeat(200_000);
        assert!(csv.len() as u64 <= MAX_FILE_BYTES);
        assert_eq!(read_csv(csv.as_bytes()).unwrap_err(), CoreError::ImportTooManyRows { max: MAX_ROWS });
        // Blank lines count against the sheet's rows too, without being kept.
        let blank = "Họ và tên;Năm sinh\n".to_string() + &";\n".repeat(MAX_SHEET_ROWS as usize);
        assert_eq!(read_csv(blank.as_bytes()).unwrap_err().code(), "import.too_many_rows");
        // A field with content past the last column read is named.
        let wide = format!("Họ và tên{}x\n", ",".repeat(70));
        assert_eq!(
            read_csv(wide.as_bytes()).unwrap_err(),
            CoreError::ImportCellOutOfRange { cell: "BS1".into(), max_rows: MAX_SHEET_ROWS, max_columns: MAX_COLUMNS }
        );
        // A file over the cap is refused by its length, whatever it holds.
        let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert_eq!(
            read_table(&big, "to.csv").unwrap_err(),
            CoreError::FileTooLarge { path: "to.csv".into(), max_kib: 4096 }
        );
    }

    #[test]
    fn files_from_outside_are_read_capped_and_old_workbooks_are_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_file(std::path::Path::new("/dev/zero")), Err(CoreError::FileNotRegular { .. })));
        let fifo = dir.path().join("pipe.csv");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(matches!(read_file(&fifo), Err(CoreError::FileNotRegular { .. })));
        let big = dir.path().join("big.csv");
        std::fs::write(&big, vec![b'a'; MAX_FILE_BYTES as usize + 1]).unwrap();
        assert!(matches!(read_file(&big), Err(CoreError::FileTooLarge { max_kib: 4096, .. })));
        let good = dir.path().join("ok.csv");
        std::fs::write(&good, GOOD_CSV).unwrap();
        assert_eq!(read_file(&good).unwrap().rows.len(), 5);
        assert_eq!(read_table(b"\xD0\xCF\x11\xE0", "cu.XLS").unwrap_err(), CoreError::ImportFormat { extension: "xls".into() });
        assert_eq!(read_table(b"PK", "a.ods").unwrap_err().code(), "import.format");
    }

    /// Linear without timing: the duplicate check of one row takes as many SQLite steps with 2,000
    /// members in the club as with 20 (it read every member before, so an import of n rows took n²).
    #[test]
    fn the_duplicate_check_does_not_grow_with_the_roster() {
        use rusqlite::StatementStatus;
        let steps_with = |members: usize| {
            let (mut store, actor, club) = setup();
            let table = read_csv(csv_of(members, false).as_bytes()).unwrap();
            import(&mut store, &actor, club, &table, &ImportOptions::default(), true).unwrap();
            let probe = read_csv("Họ và tên,Giới tính,Năm sinh,Ngày vào\nNgười Mới,Nữ,1950,01/03/2019\n".as_bytes()).unwrap();
            store.conn().prepare_cached(member::DUPLICATE_SQL).unwrap().reset_status(StatementStatus::VmStep);
            import(&mut store, &actor, club, &probe, &ImportOptions::default(), false).unwrap();
            let steps = store.conn().prepare_cached(member::DUPLICATE_SQL).unwrap().get_status(StatementStatus::VmStep);
            steps
        };
        let (small, large) = (steps_with(20), steps_with(2_000));
        assert!(small > 0, "the duplicate check ran");
        assert!(large <= small + 10, "{small} steps with 20 members, {large} with 2,000");
    }

    #[test]
    fn headers_are_recognised_with_or_without_diacritics() {
        assert_eq!(column_for("Họ và tên (*)"), Some(Column::FullName));
        assert_eq!(column_for("HO VA TEN"), Some(Column::FullName));
        assert_eq!(column_for("Ngày sinh"), Some(Column::Birth));
        assert_eq!(column_for("Giới tính"), Some(Column::Sex));
        assert_eq!(column_for("Số điện thoại"), Some(Column::Phone));
        assert_eq!(column_for("Nữ"), Some(Column::BirthIfFemale));
        assert_eq!(column_for("STT"), None);
    }
}
