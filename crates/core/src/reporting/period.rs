//! The period a report covers: a month `2026-11`, a quarter `2026-Q4` or a year `2026`.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Field, Result, Rule};

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
