//! What the club does between meetings: home-care visits, health checks, community support,
//! rights and entitlements help, trainings and events. Each belongs to one of the eight areas.
//!
//! Invariants:
//! - an activity is dated on or after the founding and not in the future; every member it names
//!   (the person helped, the volunteer, the participants) was a member on the day;
//! - money an activity moves is a ledger voucher written in the same transaction and linked here:
//!   money given (support, a training's cost) is a payment in the activity's area, money raised at
//!   an event is a fundraising receipt;
//! - a health check records who and when, never a medical detail: it carries no free text.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::permissions::Action;
use crate::store::audit::Actor;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::books::{self, Area, Fund, PaymentInput, ReceiptInput, Source, Via};
use crate::roster::member::{self, Person};
use crate::roster::club;
use crate::store::{Store, Writer};
use crate::notice::Notice;
use crate::text;
use crate::codes::coded_enum;

coded_enum! {
    pub enum ActivityKind {
        HomeVisit = "home_visit",
        HealthCheck = "health_check",
        Support = "support",
        Rights = "rights",
        Training = "training",
        Event = "event",
    }
}

impl ActivityKind {
    /// Accepts `home-visit` as well as `home_visit`.
    pub fn parse(s: &str) -> Option<ActivityKind> {
        ActivityKind::from_code(&s.trim().replace('-', "_"))
    }
    /// The finer kinds each activity may name; empty when it has none.
    pub fn subkinds(self) -> &'static [&'static str] {
        match self {
            ActivityKind::HomeVisit | ActivityKind::HealthCheck => &[],
            ActivityKind::Support => &["money", "in_kind", "labour", "other"],
            ActivityKind::Rights => &["pension", "health_insurance", "social_allowance", "legal", "other"],
            ActivityKind::Training => &["board_initial", "board_refresher", "members", "other"],
            ActivityKind::Event => &["culture", "sport", "visit", "fundraising", "other"],
        }
    }
    /// Which of the eight areas the activity belongs to.
    pub fn area(self, subkind: &str) -> Area {
        match self {
            ActivityKind::HomeVisit => Area::A3,
            ActivityKind::HealthCheck => Area::A2,
            ActivityKind::Support => Area::A4,
            ActivityKind::Rights => Area::A5,
            ActivityKind::Training => Area::A6,
            ActivityKind::Event if subkind == "fundraising" => Area::A8,
            ActivityKind::Event => Area::A7,
        }
    }
    /// Whether the activity is about one person (a member, or someone named in `person`).
    fn needs_subject(self) -> bool {
        matches!(self, ActivityKind::HomeVisit | ActivityKind::Support | ActivityKind::Rights)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    #[serde(default)]
    pub subkind: String,
    pub held_on: NaiveDate,
    /// The member cared for, helped or supported.
    #[serde(default)]
    #[ts(optional)]
    pub member_id: Option<i64>,
    /// Or someone who is not a member, by name.
    #[serde(default)]
    pub person: String,
    /// The volunteer or board member who did it.
    #[serde(default)]
    #[ts(optional)]
    pub by_member_id: Option<i64>,
    /// Members who took part (a training's trainees, the members whose health was checked).
    #[serde(default)]
    pub participants: Vec<i64>,
    /// How many people took part, when not listed one by one.
    #[serde(default)]
    pub people: u32,
    /// Value in đồng of what was given or raised.
    #[serde(default)]
    pub value: i64,
    /// Post `value` to this fund: a payment (given) or, for an event, a fundraising receipt.
    #[serde(default)]
    #[ts(optional)]
    pub fund: Option<Fund>,
    #[serde(default)]
    pub note: String,
}

impl ActivityInput {
    pub fn new(kind: ActivityKind, held_on: NaiveDate) -> Self {
        ActivityInput {
            kind,
            subkind: String::new(),
            held_on,
            member_id: None,
            person: String::new(),
            by_member_id: None,
            participants: Vec::new(),
            people: 0,
            value: 0,
            fund: None,
            note: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Activity {
    pub id: i64,
    pub kind: ActivityKind,
    pub subkind: String,
    pub held_on: NaiveDate,
    pub area: Area,
    pub member: Option<Person>,
    pub person: String,
    pub by: Option<Person>,
    pub participants: Vec<Person>,
    pub people: u32,
    pub value: i64,
    pub voucher: Option<String>,
    pub note: String,
}

/// Record an activity (and the voucher for any money it moved) in one transaction.
pub fn add(store: &mut Store, actor: &Actor, club_id: i64, input: &ActivityInput) -> Result<Activity> {
    let id = store.act(actor, club_id, Action::ActivityWrite, |w| {
        // An activity that posts money (support given, funds raised) is money too.
        if input.fund.is_some() && input.value > 0 {
            crate::auth::permissions::require_in(w, club_id, Action::Money)?;
        }
        add_in(w, club_id, input)
    })?;
    get(store, club_id, id)
}

pub(crate) fn add_in(w: &mut Writer<'_>, club_id: i64, input: &ActivityInput) -> Result<i64> {
    let kind = input.kind;
    let day = input.held_on;
    club::check_day(&w.tx, w.today, club_id, day, Field::ActivityDate)?;
    let subkind = input.subkind.trim().to_lowercase().replace('-', "_");
    let allowed = kind.subkinds();
    if allowed.is_empty() {
        if !subkind.is_empty() {
            return Err(CoreError::invalid(Field::ActivitySubkind, Rule::OneOf { allowed: vec![] }));
        }
    } else if !allowed.contains(&subkind.as_str()) {
        return Err(CoreError::invalid(
            Field::ActivitySubkind,
            Rule::OneOf { allowed: allowed.iter().map(|s| s.to_string()).collect() },
        ));
    }
    let person = text::bounded(&input.person, Field::ActivityPerson, 100)?;
    if kind.needs_subject() && input.member_id.is_none() && person.is_empty() {
        return Err(CoreError::invalid(Field::ActivityPerson, Rule::Required));
    }
    if input.member_id.is_some() && !person.is_empty() {
        return Err(CoreError::invalid(Field::ActivityPerson, Rule::OneOf { allowed: vec!["member_id".into(), "person".into()] }));
    }
    if let Some(m) = input.member_id {
        member::on_day(&w.tx, club_id, m, day)?;
    }
    if kind == ActivityKind::HomeVisit && input.by_member_id.is_none() {
        return Err(CoreError::invalid(Field::ActivityBy, Rule::Required));
    }
    if let Some(b) = input.by_member_id {
        member::on_day(&w.tx, club_id, b, day)?;
    }
    let participants: BTreeSet<i64> = input.participants.iter().copied().collect();
    for p in &participants {
        member::on_day(&w.tx, club_id, *p, day)?;
    }
    if input.people > 10_000 {
        return Err(CoreError::invalid(Field::ActivityPeople, Rule::Range { min: 0, max: 10_000 }));
    }
    let people = input.people.max(participants.len() as u32);
    if matches!(kind, ActivityKind::HealthCheck | ActivityKind::Training) && people == 0 {
        return Err(CoreError::invalid(Field::ActivityPeople, Rule::Range { min: 1, max: 10_000 }));
    }
    let note = text::bounded_lines(&input.note, Field::ActivityNote, 1000)?;
    if kind == ActivityKind::HealthCheck && !note.is_empty() {
        // Health data is sensitive: the books keep that a check happened, never what it found.
        return Err(CoreError::invalid(Field::ActivityNote, Rule::NotAllowed));
    }
    if matches!(kind, ActivityKind::Support | ActivityKind::Training) && note.is_empty() && subkind != "money" {
        return Err(CoreError::invalid(Field::ActivityNote, Rule::Required));
    }
    crate::parse::money_in(Field::ActivityValue, input.value, 0, books::MAX_AMOUNT)?;
    if (kind == ActivityKind::Support && subkind == "money" || kind == ActivityKind::Event && subkind == "fundraising")
        && input.fund.is_some()
        && input.value == 0
    {
        return Err(CoreError::invalid(Field::ActivityValue, Rule::MoneyRange { min_amount: 1, max_amount: books::MAX_AMOUNT }));
    }
    let area = kind.area(&subkind);
    // The voucher's memo is what was typed, on one line of at most 300 characters (the ledger's
    // `text::bounded` rule for a memo): the note's lines joined, cut to fit. What kind of money it
    // was is the voucher's notice (`memo.fundraising`, `memo.support`…), said by the reader.
    let memo: String = note.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ").chars().take(300).collect();
    let noticed = |code: &str| Some(Notice::new(code, serde_json::json!({})));
    let entry = match input.fund.filter(|_| input.value > 0) {
        Some(fund) if kind == ActivityKind::Event => Some(books::receipt_noted_in(
            w,
            club_id,
            &ReceiptInput {
                fund,
                amount: input.value,
                source: Source::Fundraising,
                date: day,
                member_id: None,
                memo: memo.clone(),
                via: Via::Cash,
            },
            noticed("memo.fundraising"),
        )?),
        Some(fund) => Some(books::payment_noted_in(
            w,
            club_id,
            &PaymentInput {
                fund,
                amount: input.value,
                area,
                date: day,
                member_id: input.member_id,
                memo: memo.clone(),
                via: Via::Cash,
            },
            noticed(match kind {
                ActivityKind::Support => "memo.support",
                ActivityKind::Training => "memo.training",
                ActivityKind::HomeVisit => "memo.home_visit",
                ActivityKind::Rights => "memo.rights",
                _ => "memo.activity",
            }),
        )?),
        None => None,
    };
    w.tx.execute(
        "INSERT INTO activity (club_id, kind, subkind, held_on, area, member_id, person, by_member_id, people, value,
                               entry_id, note, actor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            club_id,
            kind.code(),
            subkind,
            day,
            area.code(),
            input.member_id,
            person,
            input.by_member_id,
            people,
            input.value,
            entry.as_ref().map(|e| e.id),
            note,
            w.actor.name(),
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    for p in &participants {
        w.tx.execute("INSERT INTO activity_member (activity_id, member_id) VALUES (?1, ?2)", params![id, p])?;
    }
    w.audit(
        Some(club_id),
        "activity.add",
        Some(id),
        serde_json::json!({ "kind": kind.code(), "held_on": day, "voucher": entry.as_ref().map(|e| e.voucher.clone()) }),
    )?;
    Ok(id)
}

fn load(conn: &rusqlite::Connection, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Activity>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT a.id, a.kind, a.subkind, a.held_on, a.area, a.member_id, m.full_name, a.person,
                a.by_member_id, b.full_name, a.people, a.value, CASE WHEN e.id IS NOT NULL THEN {} END, a.note
         FROM activity a LEFT JOIN member m ON m.id = a.member_id LEFT JOIN member b ON b.id = a.by_member_id
         LEFT JOIN journal_entry e ON e.id = a.entry_id {filter}",
        books::VOUCHER_LABEL_SQL
    ))?;
    let rows: Vec<Activity> = stmt
        .query_map(args, |r| {
            let who = |id: Option<i64>, name: Option<String>| id.zip(name).map(|(id, full_name)| Person { id, full_name });
            let id: i64 = r.get(0)?;
            let kind: String = r.get(1)?;
            let area: String = r.get(4)?;
            Ok(Activity {
                id,
                kind: ActivityKind::parse(&kind).ok_or_else(|| damaged("activity", id, "kind", &kind))?,
                subkind: r.get(2)?,
                held_on: r.get(3)?,
                area: Area::parse(&area).ok_or_else(|| damaged("activity", id, "area", &area))?,
                member: who(r.get(5)?, r.get(6)?),
                person: r.get(7)?,
                by: who(r.get(8)?, r.get(9)?),
                participants: Vec::new(),
                people: r.get(10)?,
                value: r.get(11)?,
                voucher: r.get(12)?,
                note: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT m.id, m.full_name FROM activity_member x JOIN member m ON m.id = x.member_id WHERE x.activity_id = ?1",
    )?;
    rows.into_iter()
        .map(|mut a| {
            a.participants = stmt
                .query_map([a.id], |r| Ok(Person { id: r.get(0)?, full_name: r.get(1)? }))?
                .collect::<rusqlite::Result<_>>()?;
            a.participants.sort_by_cached_key(|x| text::name_key(&x.full_name));
            Ok(a)
        })
        .collect()
}

/// One activity of the club (another club's id is not found: every by-id read takes its club).
pub fn get(store: &Store, club_id: i64, id: i64) -> Result<Activity> {
    load(store.conn(), "WHERE a.id = ?1 AND a.club_id = ?2", rusqlite::params![id, club_id])?
        .pop()
        .ok_or(CoreError::ActivityNotFound { id })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActivityQuery {
    #[serde(default)]
    #[ts(optional)]
    pub year: Option<i32>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<ActivityKind>,
}

/// The club's activities, newest first.
pub fn list(store: &Store, club_id: i64, q: &ActivityQuery) -> Result<Vec<Activity>> {
    let (from, to) = match q.year {
        Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
        None => ("0000-01-01".to_string(), "9999-12-31".to_string()),
    };
    let kind = q.kind.map(|k| k.code()).unwrap_or("%");
    load(
        store.conn(),
        "WHERE a.club_id = ?1 AND a.held_on BETWEEN ?2 AND ?3 AND a.kind LIKE ?4 ORDER BY a.held_on DESC, a.id DESC",
        params![club_id, from, to, kind],
    )
}

#[cfg(test)]
mod tests;
