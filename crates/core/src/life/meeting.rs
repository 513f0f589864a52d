//! The club's meetings: who came, which of the eight activity areas (and the themes of seed 001)
//! the meeting covered, what the board decided, the minutes, and the dues collected in one pass.
//!
//! Invariants:
//! - a meeting is dated within the club's life (`club::check_day`); everyone present, the chair and
//!   the minute-taker were members on the day (`member::on_day`; the chair and the minute-taker are
//!   counted present);
//! - dues collected at a meeting are one ledger receipt (`books::record_dues_in`) written in the
//!   same transaction as the meeting, so the meeting record and the fund ledger never disagree;
//! - its decisions are written in the same transaction: through `decision::decide_in`, or, for a
//!   decision naming a loan application, through the register (`loans::approve_in`), which writes
//!   the decision itself;
//! - a meeting is read through the club it belongs to (`get` says `meeting.not_found` otherwise).
//!
//! Arrows: meeting → decision, meeting → loans → decision; neither imports meeting.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::decision::{self, Decision, DecisionInput, DecisionKind};
use crate::auth::permissions::Action;
use crate::books::{self, Area, Fund};
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::notice::Notice;
use crate::roster::member::{self, Person};
use crate::roster::club;
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;
use crate::codes::coded_enum;

coded_enum! {
    pub enum MeetingKind {
        /// Sinh hoạt định kỳ hằng tháng.
        Monthly = "monthly",
        /// Họp ban chủ nhiệm.
        Board = "board",
        /// Họp bất thường.
        Extraordinary = "extraordinary",
        /// Đại hội / họp tổng kết năm.
        Annual = "annual",
    }
}

impl MeetingKind {
    /// Whether this meeting is the members' regular gathering (what the standard counts per month).
    pub fn is_general(self) -> bool {
        matches!(self, MeetingKind::Monthly | MeetingKind::Annual)
    }
}

/// What a meeting covered: one of the eight activity areas — the ledger's `books::Area`, the value
/// an activity or a payment carries, never `Admin` — or a theme of seed 001. Stored and sent as its
/// code, `a1`…`a8`, `digital`, `green` or `startup`, exactly as before the areas were one enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(type = r#""a1" | "a2" | "a3" | "a4" | "a5" | "a6" | "a7" | "a8" | "digital" | "green" | "startup""#)]
pub enum Topic {
    Area(Area),
    /// Bình dân học vụ số: digital literacy.
    Digital,
    /// Chuyển đổi xanh.
    Green,
    /// Người cao tuổi khởi nghiệp.
    Startup,
}

impl Topic {
    pub const AREAS: [Topic; 8] = [
        Topic::Area(Area::A1), Topic::Area(Area::A2), Topic::Area(Area::A3), Topic::Area(Area::A4),
        Topic::Area(Area::A5), Topic::Area(Area::A6), Topic::Area(Area::A7), Topic::Area(Area::A8),
    ];
    pub const ALL: [Topic; 11] = [
        Topic::Area(Area::A1), Topic::Area(Area::A2), Topic::Area(Area::A3), Topic::Area(Area::A4),
        Topic::Area(Area::A5), Topic::Area(Area::A6), Topic::Area(Area::A7), Topic::Area(Area::A8),
        Topic::Digital, Topic::Green, Topic::Startup,
    ];
    /// The codes of `ALL`, in order (what serde names when it refuses a value).
    const CODES: &'static [&'static str] = &["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "digital", "green", "startup"];
    pub fn code(self) -> &'static str {
        match self {
            Topic::Area(a) => a.code(),
            Topic::Digital => "digital",
            Topic::Green => "green",
            Topic::Startup => "startup",
        }
    }
    /// `1`..`8`, `a1`..`a8`, `digital`, `green` or `startup`.
    pub fn parse(s: &str) -> Option<Topic> {
        let s = s.trim().to_lowercase();
        let s = if s.len() == 1 { format!("a{s}") } else { s };
        Topic::ALL.into_iter().find(|t| t.code() == s)
    }
    /// One of the eight areas (not a theme, and never `Admin`).
    pub fn area(self) -> Option<Area> {
        match self {
            Topic::Area(a) if a != Area::Admin => Some(a),
            _ => None,
        }
    }
    pub fn is_area(self) -> bool {
        self.area().is_some()
    }
    /// The area's index 0..8, for the year grid.
    pub fn area_index(self) -> Option<usize> {
        Topic::AREAS.iter().position(|a| *a == self)
    }
}

impl crate::codes::Coded for Topic {
    const NAME: &'static str = "Topic";
    fn all() -> &'static [Topic] {
        &Topic::ALL
    }
    fn code(self) -> &'static str {
        Topic::code(self)
    }
    fn from_code(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == s)
    }
}

impl Serialize for Topic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Exactly the codes of `ALL`, as the derived form read them (no `3`, no `A3`, no `admin`).
impl<'de> Deserialize<'de> for Topic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Topic, D::Error> {
        let s = String::deserialize(d)?;
        Topic::ALL.into_iter().find(|t| t.code() == s).ok_or_else(|| serde::de::Error::unknown_variant(&s, Topic::CODES))
    }
}

/// Dues collected at the meeting: one month's due from each listed member, in one receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DuesInput {
    pub fund: Fund,
    /// `YYYY-MM`; the meeting's month when empty.
    #[serde(default)]
    pub month: String,
    pub member_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MeetingInput {
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    #[serde(default)]
    pub place: String,
    pub chaired_by: Option<i64>,
    #[serde(default)]
    pub minutes_by: Option<i64>,
    pub present: Vec<i64>,
    #[serde(default)]
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub decisions: Vec<DecisionInput>,
    #[serde(default)]
    #[ts(optional)]
    pub dues: Option<DuesInput>,
    /// The board confirmed a second monthly meeting in the same month; without it such a meeting is
    /// refused with `meeting.second_in_month`, naming the first.
    #[serde(default)]
    pub second_in_month: bool,
}

impl MeetingInput {
    pub fn new(kind: MeetingKind, held_on: NaiveDate, chaired_by: i64, present: Vec<i64>) -> Self {
        MeetingInput {
            kind,
            held_on,
            place: String::new(),
            chaired_by: Some(chaired_by),
            minutes_by: None,
            present,
            topics: Vec::new(),
            minutes: String::new(),
            decisions: Vec::new(),
            dues: None,
            second_in_month: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Meeting {
    pub id: i64,
    pub club_id: i64,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    pub place: String,
    pub chaired_by: Option<Person>,
    pub minutes_by: Option<Person>,
    /// Sorted the Vietnamese way.
    pub present: Vec<Person>,
    /// Members of the club on the day who were not present, sorted the Vietnamese way, so the
    /// record names who was absent as well as who came.
    pub absent: Vec<Person>,
    /// Members of the club on the day, so "45 of 58 present" can be printed.
    pub members_on_day: u32,
    pub topics: Vec<Topic>,
    pub minutes: String,
    pub decisions: Vec<Decision>,
    pub dues_voucher: Option<String>,
    pub dues_total: i64,
    pub dues_count: u32,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MeetingSaved {
    pub meeting: Meeting,
    pub warnings: Vec<Notice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MeetingRow {
    pub id: i64,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    pub place: String,
    pub present: u32,
    pub topics: Vec<Topic>,
    pub decisions: u32,
    pub dues_total: i64,
}

/// The minutes of a meeting hold at most this many characters.
pub const MAX_MINUTES: u32 = 20_000;
/// A minutes file is read up to this many bytes: `MAX_MINUTES` characters of at most 4 bytes each
/// in UTF-8 (the character count is then checked as for typed minutes).
pub const MAX_MINUTES_FILE: u64 = MAX_MINUTES as u64 * 4;

/// Record a meeting, its decisions (approving loans in the register where named) and the dues
/// collected at it, all in one transaction.
pub fn add(store: &mut Store, actor: &Actor, club_id: i64, input: &MeetingInput) -> Result<MeetingSaved> {
    let (id, warnings) = store.act(actor, club_id, Action::MeetingWrite, |w| {
        // Dues collected at the meeting are money: the person recording them must also hold it.
        if input.dues.is_some() {
            crate::auth::permissions::require_in(w, club_id, Action::Money)?;
        }
        add_in(w, club_id, input)
    })?;
    Ok(MeetingSaved { meeting: get(store, club_id, id)?, warnings })
}

pub(crate) fn add_in(w: &mut Writer<'_>, club_id: i64, input: &MeetingInput) -> Result<(i64, Vec<Notice>)> {
    club::check_day(&w.tx, w.today, club_id, input.held_on, Field::MeetingDate)?;
    let day = input.held_on;
    let place = text::bounded(&input.place, Field::MeetingPlace, 200)?;
    let minutes = text::bounded_lines(&input.minutes, Field::MeetingMinutes, MAX_MINUTES)?;
    let topics: BTreeSet<Topic> = input.topics.iter().copied().collect();
    if topics.contains(&Topic::Area(Area::Admin)) {
        // Only a caller in Rust can name it: the window's and the CLI's codes never read as one.
        return Err(CoreError::invalid(Field::MeetingTopic, Rule::OneOf { allowed: Topic::CODES.iter().map(|c| c.to_string()).collect() }));
    }
    let chair = input.chaired_by.ok_or(CoreError::invalid(Field::MeetingChair, Rule::Required))?;
    member::on_day(&w.tx, club_id, chair, day)?;
    if let Some(m) = input.minutes_by {
        member::on_day(&w.tx, club_id, m, day)?;
    }
    let mut present: BTreeSet<i64> = input.present.iter().copied().collect();
    present.insert(chair);
    present.extend(input.minutes_by);
    for id in &present {
        member::on_day(&w.tx, club_id, *id, day)?;
    }
    let same: Option<i64> = w
        .tx
        .query_row(
            "SELECT id FROM meeting WHERE club_id = ?1 AND kind = ?2 AND held_on = ?3",
            params![club_id, input.kind.code(), day],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(existing) = same {
        return Err(CoreError::MeetingDuplicate { existing_id: existing, held_on: day.to_string() });
    }
    // One regular (monthly) meeting a month is the rule of the standard; a second is most often the
    // same meeting typed twice with another date, so it is asked about, never taken silently.
    if input.kind == MeetingKind::Monthly && !input.second_in_month {
        let first = day.with_day(1).ok_or(CoreError::invalid(Field::MeetingDate, Rule::Required))?;
        let earlier: Option<(i64, NaiveDate)> = w
            .tx
            .query_row(
                "SELECT id, held_on FROM meeting WHERE club_id = ?1 AND kind = ?2 AND held_on BETWEEN ?3 AND date(?3, '+1 month', '-1 day')
                 ORDER BY held_on, id LIMIT 1",
                params![club_id, MeetingKind::Monthly.code(), first],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((existing, on)) = earlier {
            return Err(CoreError::MeetingSecondInMonth { existing_id: existing, held_on: on.to_string() });
        }
    }
    let dues_entry = match &input.dues {
        Some(d) if !d.member_ids.is_empty() => {
            let month = if d.month.trim().is_empty() { format!("{:04}-{:02}", day.year(), day.month()) } else { d.month.clone() };
            Some(books::record_dues_in(w, club_id, d.fund, &month, &d.member_ids, day)?)
        }
        _ => None,
    };
    w.tx.execute(
        "INSERT INTO meeting (club_id, kind, held_on, place, chaired_by, minutes_by, minutes, dues_entry_id, actor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            club_id,
            input.kind.code(),
            day,
            place,
            chair,
            input.minutes_by,
            minutes,
            dues_entry.as_ref().map(|e| e.id),
            w.actor.name(),
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    {
        let mut attend = w.tx.prepare_cached("INSERT INTO meeting_attendance (meeting_id, member_id) VALUES (?1, ?2)")?;
        for m in &present {
            attend.execute(params![id, m])?;
        }
        let mut topic = w.tx.prepare_cached("INSERT INTO meeting_topic (meeting_id, topic) VALUES (?1, ?2)")?;
        for t in &topics {
            topic.execute(params![id, t.code()])?;
        }
    }
    let mut warnings = Vec::new();
    for d in &input.decisions {
        match d.loan_id {
            Some(loan_id) if d.kind == DecisionKind::LoanApproval => {
                warnings.extend(crate::loans::approve_in(w, club_id, loan_id, id)?);
            }
            _ => warnings.extend(decision::decide_in(w, club_id, id, day, &present, d, None)?.1),
        }
    }
    w.audit(
        Some(club_id),
        "meeting.add",
        Some(id),
        serde_json::json!({
            "kind": input.kind.code(), "held_on": day, "present": present.len(),
            "topics": topics.iter().map(|t| t.code()).collect::<Vec<_>>(),
            "decisions": input.decisions.len(), "dues_voucher": dues_entry.as_ref().map(|e| e.voucher.clone()),
        }),
    )?;
    Ok((id, warnings))
}

fn person(conn: &rusqlite::Connection, id: Option<i64>) -> Result<Option<Person>> {
    let Some(id) = id else { return Ok(None) };
    let name: String = conn.query_row("SELECT full_name FROM member WHERE id = ?1", [id], |r| r.get(0))?;
    Ok(Some(Person { id, full_name: name }))
}

fn topics_of(conn: &rusqlite::Connection, meeting_id: i64) -> Result<Vec<Topic>> {
    let mut stmt = conn.prepare("SELECT topic FROM meeting_topic WHERE meeting_id = ?1")?;
    let mut out: Vec<Topic> = stmt
        .query_map([meeting_id], |r| {
            let t: String = r.get(0)?;
            Topic::parse(&t).ok_or_else(|| damaged("meeting_topic", meeting_id, "topic", &t))
        })?
        .collect::<rusqlite::Result<_>>()?;
    out.sort();
    Ok(out)
}

/// A meeting of this club; `meeting.not_found` for an id of another club.
pub fn get(store: &Store, club_id: i64, id: i64) -> Result<Meeting> {
    get_conn(store.conn(), club_id, id)
}

fn get_conn(conn: &rusqlite::Connection, club_id: i64, id: i64) -> Result<Meeting> {
    type Row = (String, NaiveDate, String, Option<i64>, Option<i64>, String, Option<i64>, String);
    let row: Row = conn
        .query_row(
            "SELECT kind, held_on, place, chaired_by, minutes_by, minutes, dues_entry_id, actor FROM meeting WHERE id = ?1 AND club_id = ?2",
            params![id, club_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .optional()?
        .ok_or(CoreError::MeetingNotFound { id })?;
    let (kind, held_on, place, chaired_by, minutes_by, minutes, dues_entry_id, actor) = row;
    let mut stmt = conn.prepare(
        "SELECT m.id, m.full_name FROM meeting_attendance a JOIN member m ON m.id = a.member_id WHERE a.meeting_id = ?1",
    )?;
    let mut present: Vec<Person> = stmt
        .query_map([id], |r| Ok(Person { id: r.get(0)?, full_name: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    present.sort_by_cached_key(|p| text::name_key(&p.full_name));
    // Absent: a member on the day (the rule of `member::count_on`) with no attendance row.
    let mut stmt = conn.prepare(
        "SELECT m.id, m.full_name FROM member m
         WHERE m.club_id = ?1 AND m.joined_on <= ?2 AND (m.left_on IS NULL OR m.left_on > ?2)
           AND NOT EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = ?3 AND a.member_id = m.id)",
    )?;
    let mut absent: Vec<Person> = stmt
        .query_map(params![club_id, held_on, id], |r| Ok(Person { id: r.get(0)?, full_name: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    absent.sort_by_cached_key(|p| text::name_key(&p.full_name));
    let members_on_day = member::count_on(conn, club_id, held_on)?;
    let (dues_voucher, dues_total, dues_count) = match dues_entry_id {
        Some(e) => conn.query_row(
            &format!(
                "SELECT {}, coalesce(sum(d.amount), 0), count(d.id) FROM journal_entry e
                 LEFT JOIN dues_payment d ON d.entry_id = e.id WHERE e.id = ?1 GROUP BY e.id",
                books::VOUCHER_LABEL_SQL
            ),
            [e],
            |r| Ok((Some(r.get::<_, String>(0)?), r.get(1)?, r.get(2)?)),
        )?,
        None => (None, 0, 0),
    };
    Ok(Meeting {
        id,
        club_id,
        kind: MeetingKind::from_code(&kind).ok_or_else(|| CoreError::DbDamaged {
            table: "meeting".into(),
            row: id,
            column: "kind".into(),
            value: kind.clone(),
        })?,
        held_on,
        place,
        chaired_by: person(conn, chaired_by)?,
        minutes_by: person(conn, minutes_by)?,
        present,
        absent,
        members_on_day,
        topics: topics_of(conn, id)?,
        minutes,
        decisions: decision::decisions(conn, id)?,
        dues_voucher,
        dues_total,
        dues_count,
        actor,
    })
}

/// Meetings of the club, newest first; one year's when `year` is given.
pub fn list(store: &Store, club_id: i64, year: Option<i32>) -> Result<Vec<MeetingRow>> {
    let (from, to) = match year {
        Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
        None => ("0000-01-01".to_string(), "9999-12-31".to_string()),
    };
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT g.id, g.kind, g.held_on, g.place,
                (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = g.id),
                (SELECT count(*) FROM decision d WHERE d.meeting_id = g.id),
                coalesce((SELECT sum(p.amount) FROM dues_payment p WHERE p.entry_id = g.dues_entry_id), 0),
                coalesce((SELECT group_concat(t.topic) FROM meeting_topic t WHERE t.meeting_id = g.id), '')
         FROM meeting g WHERE g.club_id = ?1 AND g.held_on BETWEEN ?2 AND ?3 ORDER BY g.held_on DESC, g.id DESC",
    )?;
    let rows = stmt.query_map(params![club_id, from, to], |r| {
        let id: i64 = r.get(0)?;
        let kind: String = r.get(1)?;
        let mut topics = Vec::new();
        for t in r.get::<_, String>(7)?.split(',').filter(|t| !t.is_empty()) {
            topics.push(Topic::parse(t).ok_or_else(|| damaged("meeting_topic", id, "topic", t))?);
        }
        topics.sort();
        Ok(MeetingRow {
            id,
            kind: MeetingKind::from_code(&kind).ok_or_else(|| damaged("meeting", id, "kind", &kind))?,
            held_on: r.get(2)?,
            place: r.get(3)?,
            present: r.get(4)?,
            topics,
            decisions: r.get(5)?,
            dues_total: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One month of the year grid: meetings held, and for each of the eight areas whether a meeting
/// covered it and how many activities between meetings belonged to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GridMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub meetings: u32,
    /// Eight booleans, areas 1..8: covered by a meeting that month.
    pub covered: Vec<bool>,
    /// Eight counts, areas 1..8: activities recorded that month.
    pub activities: Vec<u32>,
    /// Seed 001 themes discussed that month.
    pub themes: Vec<Topic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct YearGrid {
    pub year: i32,
    pub months: Vec<GridMonth>,
}

/// The 12-month × 8-area picture of what the club did in `year`.
pub fn year_grid(store: &Store, club_id: i64, year: i32) -> Result<YearGrid> {
    let conn = store.conn();
    let mut months: Vec<GridMonth> = (1..=12)
        .map(|m| GridMonth {
            month: format!("{year:04}-{m:02}"),
            meetings: 0,
            covered: vec![false; 8],
            activities: vec![0; 8],
            themes: Vec::new(),
        })
        .collect();
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    let mut stmt = conn.prepare("SELECT id, held_on FROM meeting WHERE club_id = ?1 AND held_on BETWEEN ?2 AND ?3")?;
    let meetings: Vec<(i64, NaiveDate)> =
        stmt.query_map(params![club_id, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut themes: BTreeMap<usize, BTreeSet<Topic>> = BTreeMap::new();
    for (id, day) in meetings {
        let idx = day.month0() as usize;
        months[idx].meetings += 1;
        for t in topics_of(conn, id)? {
            match t.area_index() {
                Some(a) => months[idx].covered[a] = true,
                None => {
                    themes.entry(idx).or_default().insert(t);
                }
            }
        }
    }
    for (idx, set) in themes {
        months[idx].themes = set.into_iter().collect();
    }
    let mut stmt = conn.prepare(
        "SELECT cast(substr(held_on, 6, 2) AS INTEGER), area, count(*) FROM activity
         WHERE club_id = ?1 AND held_on BETWEEN ?2 AND ?3 GROUP BY 1, 2",
    )?;
    for row in stmt.query_map(params![club_id, from, to], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?)))? {
        let (m, area, n) = row?;
        if let (Some(a), true) = (Area::parse(&area).and_then(|a| Topic::Area(a).area_index()), (1..=12).contains(&m)) {
            months[m as usize - 1].activities[a] += n;
        }
    }
    Ok(YearGrid { year, months })
}

#[cfg(test)]
pub(crate) mod tests;