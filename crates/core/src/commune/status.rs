//! Who reported for a period, and the roll-up's entry point: each registered club's latest accepted
//! `report.json` for the period (a corrected report — a higher sequence for the same period —
//! replaces the earlier one here; both stay in the ledger), with the day it arrived.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::ledger::CommuneStore;
use crate::error::{damaged, Result};
use crate::reporting::{Period, PeriodKind, Report};

/// A club's report as the commune holds it: the published `Report` when it reads as one (this
/// app's format), else the JSON as it came (another version), so nothing is dropped unseen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(untagged)]
pub enum ReportBody {
    Parsed(Box<Report>),
    Raw(serde_json::Value),
}

/// One club's latest accepted report for a period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClubReport {
    pub club_id: i64,
    pub club: String,
    pub hamlet: String,
    pub sequence: u32,
    pub sha256: String,
    /// The commune's day the bundle arrived.
    pub received_on: NaiveDate,
    /// How many bundles the commune holds for this period from the club (more than 1: corrected).
    pub versions: u32,
    /// None when the bundle carried no `report.json`.
    pub report: Option<ReportBody>,
}

const LATEST: &str = "SELECT r.id, r.club_id, c.name, c.hamlet, r.sequence, r.sha256, r.received_on, r.report_json,
        (SELECT count(*) FROM received x WHERE x.club_id = r.club_id AND x.period_from = ?1 AND x.period_to = ?2)
    FROM received r JOIN club c ON c.id = r.club_id
    WHERE r.period_from = ?1 AND r.period_to = ?2
      AND r.sequence = (SELECT max(y.sequence) FROM received y WHERE y.club_id = r.club_id AND y.period_from = ?1 AND y.period_to = ?2)
    ORDER BY r.club_id";

/// One `LATEST` row: the inbox's latest bundle from a club (a commune, a district) for the period.
struct Latest {
    id: i64,
    club_id: i64,
    club: String,
    hamlet: String,
    sequence: u32,
    sha256: String,
    received_on: NaiveDate,
    versions: u32,
    /// The bundle's `report.json`, as text.
    json: Option<String>,
}

/// Hand each registered sender's latest bundle for `period` to `f`, one at a time, in the order of
/// their registration: the one reader of `LATEST` that the status, the report list and both
/// roll-ups share. `report.json` is read only `with_json` (the status needs only the dates).
fn each_latest(store: &CommuneStore, period: &Period, with_json: bool, mut f: impl FnMut(Latest) -> Result<()>) -> Result<()> {
    let mut stmt = store.conn.prepare_cached(LATEST)?;
    let mut rows = stmt.query([period.from.to_string(), period.to.to_string()])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let on: String = r.get(6)?;
        // A stored day that does not read is damage, not a club that did not report.
        let received_on = on.parse::<NaiveDate>().map_err(|_| damaged("received", id, "received_on", &on))?;
        f(Latest {
            id,
            club_id: r.get(1)?,
            club: r.get(2)?,
            hamlet: r.get(3)?,
            sequence: r.get(4)?,
            sha256: r.get(5)?,
            received_on,
            versions: r.get(8)?,
            json: if with_json { r.get(7)? } else { None },
        })?;
    }
    Ok(())
}

/// Hand each club's latest report for `period` to `f`, one at a time (one parsed report in memory
/// at a time, however many clubs).
pub fn each_latest_report(store: &CommuneStore, period: &Period, mut f: impl FnMut(ClubReport) -> Result<()>) -> Result<()> {
    each_latest(store, period, true, |l| {
        let report = match l.json {
            None => None,
            Some(text) => Some(match serde_json::from_str::<Report>(&text) {
                Ok(rep) => ReportBody::Parsed(Box::new(rep)),
                Err(_) => ReportBody::Raw(serde_json::from_str(&text).map_err(|_| damaged("received", l.id, "report_json", "not JSON"))?),
            }),
        };
        f(ClubReport {
            club_id: l.club_id,
            club: l.club,
            hamlet: l.hamlet,
            sequence: l.sequence,
            sha256: l.sha256,
            received_on: l.received_on,
            versions: l.versions,
            report,
        })
    })
}

/// Every club's latest report for `period` (see `each_latest_report` to go one at a time).
pub fn latest_reports(store: &CommuneStore, period: &Period) -> Result<Vec<ClubReport>> {
    let mut out = Vec::new();
    each_latest_report(store, period, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// The roll-up's inputs for `period`, straight from the inbox and handed to `f` one at a time:
/// each registered club's latest accepted report, under the name and hamlet the commune
/// registered. A club whose latest report this app cannot read (another format version, or a
/// bundle without `report.json`) is refused by name (`rollup.bad_report`): leaving it out would
/// make the totals silently short.
pub fn each_club_input(store: &CommuneStore, period: &Period, mut f: impl FnMut(super::rollup::ClubInput) -> Result<()>) -> Result<()> {
    each_latest_report(store, period, |c| match c.report {
        Some(ReportBody::Parsed(report)) => f(super::rollup::ClubInput { name: c.club, hamlet: c.hamlet, report: *report }),
        Some(ReportBody::Raw(_)) => {
            Err(crate::error::CoreError::RollupBadReport { name: c.club, detail: "format_version".into() })
        }
        None => Err(crate::error::CoreError::RollupBadReport { name: c.club, detail: "report.json".into() }),
    })
}

/// One level up, the roll-up's inputs for `period`, handed to `f` one at a time: each registered
/// commune's (district's) latest accepted roll-up, under the name it was registered with. One that
/// does not read as a roll-up of this app is refused by name (`rollup.bad_report`), as a club's
/// report is.
pub fn each_part_input(store: &CommuneStore, period: &Period, mut f: impl FnMut(super::rollup::PartInput) -> Result<()>) -> Result<()> {
    each_latest(store, period, true, |l| {
        let Some(text) = l.json else {
            return Err(crate::error::CoreError::RollupBadReport { name: l.club, detail: "report.json".into() });
        };
        let rollup = serde_json::from_str::<super::rollup::Rollup>(&text)
            .map_err(|e| crate::error::CoreError::RollupBadReport { name: l.club.clone(), detail: e.to_string() })?;
        f(super::rollup::PartInput { name: l.club, rollup })
    })
}

/// Where a club stands for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Arrived on or before the deadline.
    OnTime,
    /// Arrived after the deadline.
    Late,
    /// Not arrived, and the deadline has passed.
    Missing,
    /// Not arrived, and the deadline is still to come.
    NotYetDue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClubStatus {
    pub club_id: i64,
    pub club: String,
    pub hamlet: String,
    pub state: ReportState,
    pub received_on: Option<NaiveDate>,
    pub sequence: Option<u32>,
    pub versions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PeriodStatus {
    pub period: Period,
    pub deadline: NaiveDate,
    pub today: NaiveDate,
    pub clubs: Vec<ClubStatus>,
    pub reported: u32,
    pub missing: u32,
}

/// The deadline of a period's report: for a year, the commune's day and month of that year (10
/// December unless set otherwise); for a month or quarter, that day of the month after it ends (the
/// month's last day when it has fewer days).
pub fn deadline(period: &Period, day: u32, month: u32) -> NaiveDate {
    let last_of = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).unwrap_or(period.to)
    };
    let (y, m) = match period.kind {
        PeriodKind::Year => (period.year, month),
        _ => {
            let next = period.to.succ_opt().unwrap_or(period.to);
            (next.year(), next.month())
        }
    };
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| last_of(y, m))
}

/// Each registered club for `period`: reported on time or late (with the day it arrived), or
/// missing once the deadline has passed.
pub fn status(store: &CommuneStore, period: &Period) -> Result<PeriodStatus> {
    let commune = store.commune()?;
    let due = deadline(period, commune.deadline_day, commune.deadline_month);
    let today = store.today();
    let mut latest = std::collections::BTreeMap::new();
    each_latest(store, period, false, |l| {
        latest.insert(l.club_id, (l.received_on, l.sequence, l.versions));
        Ok(())
    })?;
    let mut clubs = Vec::new();
    let (mut reported, mut missing) = (0, 0);
    for c in super::register::list(store)? {
        let (state, received_on, sequence, versions) = match latest.get(&c.id) {
            Some((on, seq, n)) => {
                reported += 1;
                (if *on <= due { ReportState::OnTime } else { ReportState::Late }, Some(*on), Some(*seq), *n)
            }
            None if today > due => {
                missing += 1;
                (ReportState::Missing, None, None, 0)
            }
            None => (ReportState::NotYetDue, None, None, 0),
        };
        clubs.push(ClubStatus { club_id: c.id, club: c.name, hamlet: c.hamlet, state, received_on, sequence, versions });
    }
    Ok(PeriodStatus { period: period.clone(), deadline: due, today, clubs, reported, missing })
}
