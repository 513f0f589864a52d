//! The club standard's self-assessment for one year: each criterion with the figure behind it, the
//! threshold (always from the club's target preset, never from code) and whether it is met.
//!
//! The year runs from 1 January (or the founding) to 31 December (or today, for the current year).
//! A month counts once it has ended, or earlier if its regular meeting is already in the books.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::roster::club;
use crate::roster::composition::{self, Status};
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::books::{Area, Fund};
use crate::life::meeting::Topic;
use crate::roster::member::{self, Role};
use crate::roster::preset;
use crate::codes::coded_enum;
use crate::store::Store;

coded_enum! {
    /// How a criterion's figure reads: a count against a count, or a share in per cent of `of`.
    #[derive(schemars::JsonSchema)]
    pub enum Unit {
        Count = "count",
        Pct = "pct",
        /// Met or not, with no figure beyond `value` (1 or 0) and `list`.
        Check = "check",
        /// `value` months out of `of` reached the threshold, which is *per month* (`min` meetings a month).
        Months = "months",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Criterion {
    /// Stable id, e.g. `meetings.monthly`, `composition.women`; its words are `standard.<id>`.
    pub id: String,
    pub unit: Unit,
    pub value: i64,
    /// What `value` is out of (months, meetings, members), where that applies.
    pub of: Option<i64>,
    /// The threshold: a count, or per cent for `Pct`.
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// `None` when the preset sets no threshold for it.
    pub met: Option<bool>,
    /// What is missing or behind the figure, as codes: months without a meeting (`YYYY-MM`), areas
    /// never covered (`a5`), which fund checks failed (`income.not_lent`). Never a person.
    pub list: Vec<String>,
    /// The people behind the figure (care recipients not visited, board members not trained), by
    /// name: for the board's own screen. A report carries only their number unless the member list
    /// was asked for (`reporting::StandardPart`).
    pub people: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
pub struct Standard {
    pub club_id: i64,
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub preset_id: String,
    pub criteria: Vec<Criterion>,
    pub met: u32,
    /// Criteria with a threshold.
    pub judged: u32,
}

fn pct_met(value: i64, of: i64, min_pct: i64) -> bool {
    of > 0 && value * 100 >= min_pct * of || of == 0 && min_pct == 0
}

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Assess `year` against the club's preset (or `preset_id`).
pub fn assess(store: &Store, club_id: i64, year: i32, preset_id: Option<&str>) -> Result<Standard> {
    let club = club::get(store, club_id)?;
    let today = store.today();
    let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(CoreError::invalid(Field::Year, Rule::Range { min: 1900, max: 9999 }))?;
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(start);
    if year < club.founded_on.year() || start > today {
        return Err(CoreError::invalid(
            Field::Year,
            Rule::Range { min: club.founded_on.year() as i64, max: today.year() as i64 },
        ));
    }
    let from = start.max(club.founded_on);
    let to = end.min(today);
    let preset = preset::find(store, preset_id.unwrap_or(&club.target_preset))?;
    let targets = preset.standard;
    let conn = store.conn();
    let mut criteria = Vec::new();

    // Regular meetings (monthly, or the annual one) and what they covered.
    let mut stmt = conn.prepare(
        "SELECT id, held_on FROM meeting WHERE club_id = ?1 AND kind IN ('monthly', 'annual') AND held_on BETWEEN ?2 AND ?3",
    )?;
    let meetings: Vec<(i64, NaiveDate)> =
        stmt.query_map(params![club_id, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut per_month: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for (_, d) in &meetings {
        *per_month.entry(month_key(*d)).or_default() += 1;
    }
    let months: Vec<String> = (from.month()..=to.month())
        .filter_map(|m| {
            let key = format!("{year:04}-{m:02}");
            let month_end = NaiveDate::from_ymd_opt(year, m, 1)
                .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                .and_then(|d| d.pred_opt())?;
            (month_end <= today || per_month.contains_key(&key)).then_some(key)
        })
        .collect();
    let need = targets.map(|t| t.meetings_per_month).unwrap_or(1);
    let missing: Vec<String> = months.iter().filter(|m| per_month.get(*m).copied().unwrap_or(0) < need).cloned().collect();
    criteria.push(Criterion {
        id: "meetings.monthly".into(),
        unit: Unit::Months,
        value: (months.len() - missing.len()) as i64,
        of: Some(months.len() as i64),
        min: targets.map(|t| t.meetings_per_month as i64),
        max: None,
        met: targets.map(|_| missing.is_empty() && !months.is_empty()),
        list: missing,
        people: Vec::new(),
    });

    let mut stmt = conn.prepare("SELECT topic FROM meeting_topic WHERE meeting_id = ?1")?;
    let mut all_eight = 0i64;
    let mut covered: BTreeSet<Area> = BTreeSet::new();
    for (id, _) in &meetings {
        let areas: BTreeSet<Area> = stmt
            .query_map([id], |r| {
                let t: String = r.get(0)?;
                Topic::parse(&t).ok_or_else(|| damaged("meeting_topic", *id, "topic", &t))
            })?
            .collect::<rusqlite::Result<BTreeSet<Topic>>>()?
            .into_iter()
            .filter_map(Topic::area)
            .collect();
        if areas.len() == 8 {
            all_eight += 1;
        }
        covered.extend(areas);
    }
    criteria.push(Criterion {
        id: "meetings.all_areas".into(),
        unit: Unit::Pct,
        value: all_eight,
        of: Some(meetings.len() as i64),
        min: targets.map(|t| t.all_areas_meetings_pct as i64),
        max: None,
        met: targets.map(|t| pct_met(all_eight, meetings.len() as i64, t.all_areas_meetings_pct as i64)),
        list: Vec::new(),
        people: Vec::new(),
    });
    let never: Vec<String> = Topic::AREAS.iter().filter_map(|t| t.area()).filter(|a| !covered.contains(a)).map(|a| a.code().to_string()).collect();
    criteria.push(Criterion {
        id: "areas.never_covered".into(),
        unit: Unit::Count,
        value: never.len() as i64,
        of: Some(8),
        min: None,
        max: targets.map(|_| 0),
        met: targets.map(|_| never.is_empty()),
        list: never,
        people: Vec::new(),
    });

    // Members, composition and volunteers as of the last day assessed.
    let comp = composition::compute(store, club_id, Some(to), Some(&preset.id))?;
    for t in &comp.targets {
        let unit = if t.measure == "members" { Unit::Count } else { Unit::Pct };
        criteria.push(Criterion {
            id: format!("composition.{}", t.measure),
            unit,
            value: t.count as i64,
            of: (unit == Unit::Pct).then_some(t.total as i64),
            min: Some(t.min as i64),
            max: Some(t.max as i64),
            met: Some(t.status == Status::Within),
            list: Vec::new(),
            people: Vec::new(),
        });
    }

    let volunteers = comp.counts.volunteers as i64;
    criteria.push(Criterion {
        id: "composition.volunteers".into(),
        unit: Unit::Count,
        value: volunteers,
        of: None,
        min: preset.volunteers_min.map(i64::from),
        max: None,
        met: preset.volunteers_min.map(|m| volunteers >= m as i64),
        list: Vec::new(),
        people: Vec::new(),
    });

    // Home care: the members who need care, and whether each was visited this year.
    let members = member::load_club(store, club_id)?;
    let recipients: Vec<i64> =
        members.iter().filter(|m| m.is_member_on(to) && m.has_role_on(Role::CareRecipient, to)).map(|m| m.id).collect();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT coalesce(cast(member_id AS TEXT), 'p:' || person) FROM activity
         WHERE club_id = ?1 AND kind = 'home_visit' AND held_on BETWEEN ?2 AND ?3",
    )?;
    let visited: BTreeSet<String> = stmt.query_map(params![club_id, from, to], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let recipients_visited = recipients.iter().filter(|id| visited.contains(&id.to_string())).count() as i64;
    let not_visited: Vec<String> = members
        .iter()
        .filter(|m| recipients.contains(&m.id) && !visited.contains(&m.id.to_string()))
        .map(|m| m.full_name.clone())
        .collect();
    criteria.push(Criterion {
        id: "home_care.visited".into(),
        unit: Unit::Pct,
        value: recipients_visited,
        of: Some(recipients.len() as i64),
        min: targets.map(|t| t.care_recipients_visited_pct as i64),
        max: None,
        met: targets.map(|t| pct_met(recipients_visited, recipients.len() as i64, t.care_recipients_visited_pct as i64)),
        list: Vec::new(),
        people: not_visited,
    });
    criteria.push(Criterion {
        id: "home_care.people".into(),
        unit: Unit::Count,
        value: visited.len() as i64,
        of: None,
        min: None,
        max: None,
        met: None,
        list: Vec::new(),
        people: Vec::new(),
    });

    // Both funds present and used as the rules intend: the income fund lent, the activity fund spent.
    for fund in Fund::ALL {
        // Each an index range (posting_balance: club, fund, account, date), not a scan of every
        // posting the fund ever had.
        let assets = crate::books::sum_amounts(
            [crate::books::Account::Cash, crate::books::Account::Bank, crate::books::Account::Loans]
                .into_iter()
                .map(|a| crate::books::balance_at(store, club_id, fund, a, to))
                .collect::<Result<Vec<i64>>>()?,
        )?;
        let used: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM posting WHERE club_id = ?1 AND fund = ?2 AND account = 'loans'
                                AND date BETWEEN ?4 AND ?3 AND amount > 0)
                 OR EXISTS (SELECT 1 FROM posting WHERE club_id = ?1 AND fund = ?2 AND account >= 'expense:a' AND account < 'expense:b'
                                AND date BETWEEN ?4 AND ?3 AND amount > 0)",
            params![club_id, fund.code(), to, from],
            |r| r.get(0),
        )?;
        let mut list = Vec::new();
        if assets <= 0 {
            list.push(format!("{}.empty", fund.code()));
        }
        if !used {
            list.push(format!("{}.{}", fund.code(), if fund == Fund::Income { "not_lent" } else { "not_spent" }));
        }
        criteria.push(Criterion {
            id: format!("fund.{}", fund.code()),
            unit: Unit::Check,
            value: assets,
            of: None,
            min: None,
            max: None,
            met: Some(list.is_empty()),
            list,
            people: Vec::new(),
        });
    }

    // Members who have ever borrowed from the income fund, among the members on the last day.
    let mut stmt = conn.prepare(
        // From the income fund's loan postings (an index range), each to its entry: not every entry
        // the club ever made (CROSS JOIN keeps that order).
        "SELECT DISTINCT e.member_id FROM posting p CROSS JOIN journal_entry e ON e.id = p.entry_id
         WHERE p.club_id = ?1 AND p.fund = 'income' AND p.account = 'loans' AND p.amount > 0
           AND e.club_id = ?1 AND e.member_id IS NOT NULL AND e.date <= ?2 AND e.kind <> 'reversal'",
    )?;
    let borrowers: BTreeSet<i64> = stmt.query_map(params![club_id, to], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let now: Vec<i64> = members.iter().filter(|m| m.is_member_on(to)).map(|m| m.id).collect();
    let borrowed = now.iter().filter(|id| borrowers.contains(id)).count() as i64;
    criteria.push(Criterion {
        id: "loans.borrowed".into(),
        unit: Unit::Pct,
        value: borrowed,
        of: Some(now.len() as i64),
        min: preset.borrowed_pct.map(|b| b.min as i64),
        max: preset.borrowed_pct.map(|b| b.max as i64),
        met: preset.borrowed_pct.map(|b| pct_met(borrowed, now.len() as i64, b.min as i64)),
        list: Vec::new(),
        people: Vec::new(),
    });

    // Board training: each board member on the last day trained (initial or refresher) this year.
    let board: Vec<&member::Member> =
        members.iter().filter(|m| m.is_member_on(to) && m.roles.iter().any(|r| r.what.is_board() && r.active_on(to))).collect();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT x.member_id FROM activity a JOIN activity_member x ON x.activity_id = a.id
         WHERE a.club_id = ?1 AND a.kind = 'training' AND a.subkind IN ('board_initial', 'board_refresher')
           AND a.held_on BETWEEN ?2 AND ?3",
    )?;
    let trained: BTreeSet<i64> = stmt.query_map(params![club_id, from, to], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let board_trained = board.iter().filter(|m| trained.contains(&m.id)).count() as i64;
    criteria.push(Criterion {
        id: "board.trained".into(),
        unit: Unit::Pct,
        value: board_trained,
        of: Some(board.len() as i64),
        min: targets.map(|t| t.board_trained_pct as i64),
        max: None,
        met: targets.map(|t| pct_met(board_trained, board.len() as i64, t.board_trained_pct as i64)),
        list: Vec::new(),
        people: board.iter().filter(|m| !trained.contains(&m.id)).map(|m| m.full_name.clone()).collect(),
    });

    let judged = criteria.iter().filter(|c| c.met.is_some()).count() as u32;
    let met = criteria.iter().filter(|c| c.met == Some(true)).count() as u32;
    Ok(Standard { club_id, year, from, to, preset_id: preset.id, criteria, met, judged })
}

#[cfg(test)]
mod tests;
