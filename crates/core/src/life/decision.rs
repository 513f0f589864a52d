//! What a meeting decided: the kinds of decision, a decision as typed, and the one way one is
//! written (`decide_in`), whether with its meeting (`meeting::add_in`), afterwards (`decide`), or by
//! the loan register when a meeting approves, reschedules or writes off a loan
//! (`decide_existing_in`).
//!
//! Invariants:
//! - a decision belongs to a meeting of this club that is in the books (`held_on` finds it or says
//!   `meeting.not_found`);
//! - its text is required, unless the loan register says it as a notice (`decide_noted_in`: a
//!   `decision.text.*` key and raw parameters, the text empty; the core builds no sentence); a loan
//!   decision names the borrower; an amount is money in range;
//! - a decision about a member who was not at the meeting is kept, flagged (`member_absent`) and
//!   reported as a `meeting.decision_member_absent` notice (boards sometimes decide in absence).
//!
//! Arrows: `meeting` and `loans` import this file; it imports neither.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::permissions::Action;
use crate::books;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::notice::Notice;
use crate::roster::member::{self, Person};
use crate::store::audit::Actor;
use crate::store::{Store, Writer};
use crate::text;
use crate::codes::coded_enum;

coded_enum! {
    pub enum DecisionKind {
        LoanApproval = "loan_approval",
        LoanReschedule = "loan_reschedule",
        LoanWriteOff = "loan_write_off",
        /// Admitting a member.
        Admission = "admission",
        Spending = "spending",
        Other = "other",
    }
}

impl DecisionKind {
    /// Its code, `-` read as `_` (`loan-write-off`).
    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::from_code(&s.replace('-', "_"))
    }
    /// Loan decisions name the borrower.
    pub fn needs_member(self) -> bool {
        matches!(self, DecisionKind::LoanApproval | DecisionKind::LoanReschedule | DecisionKind::LoanWriteOff)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecisionInput {
    pub kind: DecisionKind,
    /// For a loan approval: the application in the loan register this meeting approves (the loan
    /// then carries this decision; the member and amount are the application's).
    #[serde(default)]
    #[ts(optional)]
    pub loan_id: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub member_id: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub amount: Option<i64>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    pub kind: DecisionKind,
    pub member: Option<Person>,
    pub amount: Option<i64>,
    /// What was typed (empty for a decision the loan register wrote, which has `text_notice`).
    pub text: String,
    /// What the register wrote (`decision.text.loan_approval` with `{loan_id, amount, full_name}`…),
    /// put into words by the reader; `None` for a typed decision and for those written before.
    pub text_notice: Option<Notice>,
    /// The member the decision is about was not at the meeting.
    pub member_absent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DecisionSaved {
    pub decision: Decision,
    pub warnings: Vec<Notice>,
}

/// Add a decision to a meeting already in the books (minutes are sometimes completed later).
pub fn decide(store: &mut Store, actor: &Actor, club_id: i64, meeting_id: i64, input: &DecisionInput) -> Result<DecisionSaved> {
    let (id, warning) = store.act(actor, club_id, Action::MeetingWrite, |w| decide_existing_in(w, club_id, meeting_id, input))?;
    let decision = decisions(store.conn(), meeting_id)?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(CoreError::MeetingNotFound { id: meeting_id })?;
    Ok(DecisionSaved { decision, warnings: warning.into_iter().collect() })
}

/// The day of a meeting of this club that is in the books; `meeting.not_found` for any other id
/// (one of another club included).
pub(crate) fn held_on(conn: &rusqlite::Connection, club_id: i64, meeting_id: i64) -> Result<NaiveDate> {
    conn.query_row("SELECT held_on FROM meeting WHERE id = ?1 AND club_id = ?2", params![meeting_id, club_id], |r| r.get(0))
        .optional()?
        .ok_or(CoreError::MeetingNotFound { id: meeting_id })
}

/// The decision's id, checked to belong to a meeting of this club that is in the books.
pub(crate) fn decide_existing_in(
    w: &mut Writer<'_>,
    club_id: i64,
    meeting_id: i64,
    input: &DecisionInput,
) -> Result<(i64, Option<Notice>)> {
    let day = held_on(&w.tx, club_id, meeting_id)?;
    let present = attendance(&w.tx, meeting_id)?;
    decide_in(w, club_id, meeting_id, day, &present, input, None)
}

/// A decision the loan register writes: nothing typed (`input.text` empty), what it says is
/// `notice` (a `decision.text.*` key and raw parameters); the core builds no sentence.
pub(crate) fn decide_noted_in(
    w: &mut Writer<'_>,
    club_id: i64,
    meeting_id: i64,
    input: &DecisionInput,
    notice: Notice,
) -> Result<(i64, Option<Notice>)> {
    let day = held_on(&w.tx, club_id, meeting_id)?;
    let present = attendance(&w.tx, meeting_id)?;
    decide_in(w, club_id, meeting_id, day, &present, input, Some(notice))
}

fn attendance(conn: &rusqlite::Connection, meeting_id: i64) -> Result<BTreeSet<i64>> {
    let mut stmt = conn.prepare("SELECT member_id FROM meeting_attendance WHERE meeting_id = ?1")?;
    let ids = stmt.query_map([meeting_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Write one decision of the meeting held on `day` with these members `present`. Its text is
/// required unless the core says what it is (`notice`).
pub(super) fn decide_in(
    w: &mut Writer<'_>,
    club_id: i64,
    meeting_id: i64,
    day: NaiveDate,
    present: &BTreeSet<i64>,
    d: &DecisionInput,
    notice: Option<Notice>,
) -> Result<(i64, Option<Notice>)> {
    let text = if notice.is_some() {
        text::bounded(&d.text, Field::DecisionText, 1000)?
    } else {
        text::required(&d.text, Field::DecisionText, 1000)?
    };
    if d.kind.needs_member() && d.member_id.is_none() {
        return Err(CoreError::invalid(Field::DecisionMember, Rule::Required));
    }
    if let Some(a) = d.amount {
        crate::parse::money_in(Field::DecisionAmount, a, 1, books::MAX_AMOUNT)?;
    }
    let mut warning = None;
    let mut absent = false;
    if let Some(m) = d.member_id {
        // A loan is rescheduled or written off for a borrower who may have left or died since.
        let name = if matches!(d.kind, DecisionKind::LoanReschedule | DecisionKind::LoanWriteOff) {
            w.tx.query_row("SELECT full_name FROM member WHERE id = ?1 AND club_id = ?2", params![m, club_id], |r| r.get(0))
                .optional()?
                .ok_or(CoreError::MemberNotFound { id: m })?
        } else {
            member::on_day(&w.tx, club_id, m, day)?
        };
        if !present.contains(&m) {
            absent = true;
            warning = Some(Notice {
                code: "meeting.decision_member_absent".into(),
                params: serde_json::json!({ "member_id": m, "full_name": name, "held_on": day }),
            });
        }
    }
    let (text_code, text_params) = match &notice {
        Some(n) => (Some(n.code.as_str()), Some(n.params.to_string())),
        None => (None, None),
    };
    w.tx.execute(
        "INSERT INTO decision (meeting_id, kind, member_id, amount, text, member_absent, created_at, text_code, text_params)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![meeting_id, d.kind.code(), d.member_id, d.amount, text, absent, chrono::Utc::now().to_rfc3339(), text_code, text_params],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(
        Some(club_id),
        "meeting.decide",
        Some(id),
        serde_json::json!({ "meeting_id": meeting_id, "kind": d.kind.code(), "member_id": d.member_id, "amount": d.amount }),
    )?;
    Ok((id, warning))
}

/// The decisions of a meeting, in the order they were written.
pub(super) fn decisions(conn: &rusqlite::Connection, meeting_id: i64) -> Result<Vec<Decision>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.kind, d.member_id, m.full_name, d.amount, d.text, d.member_absent, d.text_code, d.text_params
         FROM decision d LEFT JOIN member m ON m.id = d.member_id WHERE d.meeting_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([meeting_id], |r| {
        let member_id: Option<i64> = r.get(2)?;
        let name: Option<String> = r.get(3)?;
        let id: i64 = r.get(0)?;
        let kind: String = r.get(1)?;
        Ok(Decision {
            id,
            meeting_id,
            kind: DecisionKind::parse(&kind).ok_or_else(|| damaged("decision", id, "kind", &kind))?,
            member: member_id.zip(name).map(|(id, full_name)| Person { id, full_name }),
            amount: r.get(4)?,
            text: r.get(5)?,
            text_notice: crate::notice::stored("decision", id, ["text_code", "text_params"], r.get(7)?, r.get(8)?)?,
            member_absent: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
