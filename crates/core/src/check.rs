//! `ishc check`: SQLite's own integrity check, then every domain invariant the core knows. Each
//! problem is a code with parameters, like an error, so the CLI and the window can explain it.

use serde::Serialize;
use ts_rs::TS;

use crate::notice::Notice;
use crate::roster::club;
use crate::error::{CoreError, Result};
use crate::roster::member;
use crate::roster::preset;
use crate::store::seal::SealProblem;
use crate::store::Store;
use crate::text;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CheckReport {
    pub ok: bool,
    pub schema_version: i64,
    pub clubs: u32,
    pub members: u32,
    pub problems: Vec<Notice>,
}

fn problem(code: &str, params: serde_json::Value) -> Notice {
    Notice { code: code.into(), params }
}

type Valid = fn(&str) -> bool;

/// Every stored column the readers parse, with the parser they use: a value it refuses is damage
/// (`CoreError::DbDamaged` when read), found here one by one. (table, row key, column, parser)
fn parsed_columns() -> Vec<(&'static str, &'static str, &'static str, Valid)> {
    use crate::{life::activity, books, loans, life::meeting};
    vec![
        ("journal_entry", "id", "fund", |s| books::Fund::parse(s).is_some()),
        ("journal_entry", "id", "kind", |s| books::Kind::from_code(s).is_some()),
        ("posting", "id", "fund", |s| books::Fund::parse(s).is_some()),
        ("posting", "id", "account", |s| books::Account::parse(s).is_some()),
        ("balance_assertion", "id", "fund", |s| books::Fund::parse(s).is_some()),
        ("balance_assertion", "id", "account", |s| books::Account::parse(s).is_some()),
        ("loan", "id", "status", |s| loans::LoanStatus::from_code(s).is_some()),
        ("loan", "id", "purpose", |s| loans::Purpose::parse(s).is_some()),
        ("loan", "id", "terms", |s| loans::stored_terms(s).is_some()),
        ("loan_rules", "id", "rate_pct_month", |s| loans::stored_rate(s).is_some()),
        ("loan_rules", "id", "penalty_pct_month", |s| loans::stored_rate(s).is_some()),
        ("loan_rules", "id", "method", |s| loans::stored_method(s).is_some()),
        ("loan_rules", "id", "repayment", |s| loans::stored_repayment(s).is_some()),
        ("meeting", "id", "kind", |s| meeting::MeetingKind::from_code(s).is_some()),
        ("meeting_topic", "meeting_id", "topic", |s| meeting::Topic::parse(s).is_some()),
        ("decision", "id", "kind", |s| crate::life::decision::DecisionKind::parse(s).is_some()),
        ("activity", "id", "kind", |s| activity::ActivityKind::parse(s).is_some()),
        ("activity", "id", "area", |s| books::Area::parse(s).is_some()),
        ("member", "id", "sex", |s| member::Sex::from_code(s).is_some()),
        ("member", "id", "leave_reason", |s| member::LeaveReason::from_code(s).is_some()),
        ("member_flag", "id", "flag", |s| member::Flag::from_code(s).is_some()),
        ("member_role", "id", "role", |s| member::Role::from_code(s).is_some()),
        ("audit_log", "id", "detail", |s| serde_json::from_str::<serde_json::Value>(s).is_ok()),
        ("journal_entry", "id", "memo_params", |s| crate::notice::stored_params(s).is_some()),
        ("decision", "id", "text_params", |s| crate::notice::stored_params(s).is_some()),
    ]
}

/// Values the app could not read back, each named by table, row and column.
fn damaged_values(conn: &rusqlite::Connection, problems: &mut Vec<Notice>) -> Result<()> {
    for (table, key, column, valid) in parsed_columns() {
        let mut stmt = conn.prepare(&format!(
            "SELECT \"{key}\", CAST(\"{column}\" AS TEXT) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let value: String = r.get(1)?;
            if !valid(&value) {
                let row: i64 = r.get(0)?;
                problems.push(problem(
                    "check.damaged_value",
                    serde_json::json!({ "table": table, "row": row, "column": column, "value": value }),
                ));
            }
        }
    }
    // A loan that was handed over has a first schedule.
    let mut stmt = conn.prepare(
        "SELECT l.id FROM loan l WHERE l.disbursed_on IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM loan_schedule_version v WHERE v.loan_id = l.id)",
    )?;
    for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
        problems.push(problem(
            "check.damaged_value",
            serde_json::json!({ "table": "loan_schedule_version", "row": id?, "column": "loan_id", "value": "" }),
        ));
    }
    Ok(())
}

/// The triggers that guard the books, against those the migrations make; then the seal chain.
fn tampering(conn: &rusqlite::Connection, problems: &mut Vec<Notice>) -> Result<()> {
    let diff = crate::store::trigger_diff(conn)?;
    for name in diff.missing {
        problems.push(problem("check.trigger_missing", serde_json::json!({ "name": name })));
    }
    for name in diff.changed {
        problems.push(problem("check.trigger_changed", serde_json::json!({ "name": name })));
    }
    for name in diff.unexpected {
        problems.push(problem("check.trigger_unexpected", serde_json::json!({ "name": name })));
    }
    for p in crate::store::seal::verify(conn)? {
        problems.push(match p {
            SealProblem::Broken { seal } => problem("check.seal_broken", serde_json::json!({ "seal": seal })),
            SealProblem::Changed { table, row } => problem("check.row_changed", serde_json::json!({ "table": table, "row": row })),
            SealProblem::Unsealed { table, row } => problem("check.row_unsealed", serde_json::json!({ "table": table, "row": row })),
            SealProblem::Missing { table, row } => problem("check.row_missing", serde_json::json!({ "table": table, "row": row })),
        });
    }
    Ok(())
}

/// A reader that met damage already reported by `damaged_values` is skipped, not fatal.
fn unless_damaged<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(CoreError::DbDamaged { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn run(store: &Store) -> Result<CheckReport> {
    let conn = store.conn();
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            problems.push(problem("check.integrity", serde_json::json!({ "detail": line })));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))? {
        let (table, rowid) = row?;
        problems.push(problem("check.foreign_key", serde_json::json!({ "table": table, "row": rowid })));
    }
    damaged_values(conn, &mut problems)?;
    tampering(conn, &mut problems)?;
    let clubs = club::list(store)?;
    let today = store.today();
    let mut member_count = 0;
    for c in &clubs {
        if preset::find(store, &c.target_preset).is_err() {
            problems.push(problem("check.club_preset", serde_json::json!({ "club": c.id, "preset": c.target_preset })));
        }
        let mut stmt = conn.prepare("SELECT id, full_name, name_folded FROM member WHERE club_id = ?1")?;
        for row in stmt.query_map([c.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
            let (id, name, folded) = row?;
            // The stored-text rule (`text::bounded`), for names written before it existed.
            if text::bounded(&name, crate::error::Field::MemberFullName, u32::MAX).ok().as_deref() != Some(name.as_str()) {
                problems.push(problem("check.member_name_nfc", serde_json::json!({ "member": id })));
            }
            if text::fold(&name) != folded {
                problems.push(problem("check.member_search_key", serde_json::json!({ "member": id })));
            }
        }
        for p in unless_damaged(crate::books::verify(store, c.id))?.unwrap_or_default() {
            problems.push(problem(&p.code, p.params));
        }
        for m in unless_damaged(member::load_club(store, c.id))?.unwrap_or_default().iter() {
            member_count += 1;
            if m.joined_on < c.founded_on {
                problems.push(problem(
                    "check.member_before_founding",
                    serde_json::json!({ "member": m.id, "joined_on": m.joined_on, "founded_on": c.founded_on }),
                ));
            }
            if m.joined_on > today {
                problems.push(problem("check.member_in_future", serde_json::json!({ "member": m.id, "joined_on": m.joined_on })));
            }
            let spans = m
                .flags
                .iter()
                .map(|s| (s.from_on, s.to_on))
                .chain(m.roles.iter().map(|s| (s.from_on, s.to_on)));
            for (from, to) in spans {
                let outside = from < m.joined_on || m.left_on.is_some_and(|l| to.is_none_or(|t| t > l));
                if outside {
                    problems.push(problem("check.member_span_outside", serde_json::json!({ "member": m.id, "from_on": from })));
                }
            }
        }
    }
    Ok(CheckReport {
        ok: problems.is_empty(),
        schema_version: store.schema_version()?,
        clubs: clubs.len() as u32,
        members: member_count,
        problems,
    })
}

#[cfg(test)]
mod tests;
