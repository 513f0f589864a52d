//! Reading the sheet: bytes to rows of cells. CSV in UTF-8 (with or without BOM), UTF-16 or
//! Windows-1258, any of `,;\t`; XLSX cell by cell. Nothing grows with the file before it is bounded
//! (`limits`).

use chrono::NaiveDate;

use crate::error::{CoreError, Result};
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
    pub(super) fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => text::clean(s),
            // Whole numbers print without ".0"; only where i64 holds them exactly (a cast would
            // saturate and show another number).
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }
    pub(super) fn is_empty(&self) -> bool {
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
pub(super) const HEADER_SEARCH_ROWS: usize = 15;

/// A cell's name as a spreadsheet shows it: row and column counted from 0 → `D1048576`.
pub(super) fn cell_name(row: u32, col: u32) -> String {
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
        Data::DateTime(dt) => excel_date(dt),
        // Not a date we can read: kept as written, so the date rule refuses it with the row named.
        Data::DateTimeIso(s) => match s.get(..10).and_then(|d| d.parse().ok()) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(s),
        },
        other => Cell::Text(other.to_string()),
    }
}

/// Excel's serial dates: day 0 is 30/12/1899 (1900 system) and the last, 2,958,465, is 31/12/9999.
const EXCEL_LAST_SERIAL_DAY: f64 = 2_958_465.0;

/// A date-formatted cell. Its serial number is read as a date only within Excel's range: calamine's
/// conversion panics on a serial far below it (chrono's `TimeDelta::milliseconds` out of bounds:
/// `-1e300` in a date cell, found while writing the fuzz harness, `fuzz/corpus/roster_xlsx/crash-*`), and a number outside is no date anyway. Anything else is
/// kept as the number it is, so the date rule refuses it with the row named, never silently empty.
fn excel_date(dt: calamine::ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if (0.0..=EXCEL_LAST_SERIAL_DAY).contains(&serial) {
        if let Some(t) = dt.as_datetime() {
            return Cell::Date(t.date());
        }
    }
    Cell::Number(serial)
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
