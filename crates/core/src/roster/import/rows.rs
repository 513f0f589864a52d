//! Mapping the sheet's rows to members: which column is which (Vietnamese or English headers, with
//! or without diacritics), and one row as a `MemberInput`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sheet::HEADER_SEARCH_ROWS;
use super::{Cell, ImportOptions, Table};
use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::member::{poverty_standard_on, Flag, FlagInput, MemberInput, Role, Sex};
use crate::text;

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

/// A date as clubs write it (`crate::parse::date`: dd/mm/yyyy, d/m/yy, yyyy-mm-dd), or a date cell.
pub fn parse_date_cell(cell: &Cell, field: Field) -> Result<NaiveDate> {
    match cell {
        Cell::Date(d) => Ok(*d),
        _ => crate::parse::date(&cell.text(), field),
    }
}

/// A birth: a bare year, or a full date (`crate::parse::birth`), or a date cell.
fn parse_birth_cell(cell: &Cell) -> Result<(i32, Option<NaiveDate>)> {
    match cell {
        Cell::Date(d) => Ok((d.year(), Some(*d))),
        _ => crate::parse::birth(&cell.text()),
    }
}

fn truthy(cell: &Cell) -> bool {
    let t = text::fold(&cell.text());
    !t.is_empty() && !matches!(t.as_str(), "0" | "khong" | "no" | "false" | "-")
}

fn parse_sex_cell(cell: &Cell) -> Result<Sex> {
    crate::parse::sex(&cell.text())
}

pub(super) fn header_row(table: &Table) -> Option<(usize, Vec<Option<Column>>)> {
    table.rows.iter().take(HEADER_SEARCH_ROWS).enumerate().find_map(|(i, row)| {
        let cols: Vec<Option<Column>> = row.iter().map(|c| column_for(&c.text())).collect();
        cols.contains(&Some(Column::FullName)).then_some((i, cols))
    })
}

/// One sheet row as a member. A poor / near-poor mark without a standard column is taken as decided
/// under the standard in force on `today`: a sheet describes members as they are now.
pub(super) fn row_input(cells: &[Cell], cols: &[Option<Column>], opts: &ImportOptions, today: NaiveDate) -> Result<MemberInput> {
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
