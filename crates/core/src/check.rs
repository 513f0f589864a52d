//! `ishc check`: SQLite's own integrity check, then every domain invariant the core knows. Each
//! problem is a code with parameters, like an error, so the CLI and the window can explain it.

use serde::Serialize;
use ts_rs::TS;

use crate::club;
use crate::error::Result;
use crate::member;
use crate::preset;
use crate::store::Store;
use crate::text;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Problem {
    pub code: String,
    pub params: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CheckReport {
    pub ok: bool,
    pub schema_version: i64,
    pub clubs: u32,
    pub members: u32,
    pub problems: Vec<Problem>,
}

fn problem(code: &str, params: serde_json::Value) -> Problem {
    Problem { code: code.into(), params }
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
            if text::clean(&name) != name {
                problems.push(problem("check.member_name_nfc", serde_json::json!({ "member": id })));
            }
            if text::fold(&name) != folded {
                problems.push(problem("check.member_search_key", serde_json::json!({ "member": id })));
            }
        }
        for p in crate::ledger::verify(store, c.id)? {
            problems.push(problem(&p.code, p.params));
        }
        for m in member::load_club(store, c.id)? {
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
mod tests {
    use super::*;
    use crate::demo::{self, DemoOptions};

    #[test]
    fn a_change_behind_the_apps_back_is_found() {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today("2026-11-22".parse().unwrap());
        demo::build(&mut store, DemoOptions { years: 3, members: 20, seed: 1 }).unwrap();
        assert!(run(&store).unwrap().ok);
        store.conn().execute("UPDATE member SET joined_on = '2000-01-01' WHERE id = 3", []).unwrap();
        store
            .conn()
            .execute("UPDATE member SET full_name = 'Nguye' || char(770, 771) || 'n Văn A' WHERE id = 4", [])
            .unwrap();
        let report = run(&store).unwrap();
        assert!(!report.ok);
        let codes: Vec<&str> = report.problems.iter().map(|p| p.code.as_str()).collect();
        assert!(codes.contains(&"check.member_before_founding"), "{codes:?}");
        assert!(codes.contains(&"check.member_name_nfc"), "{codes:?}");
        assert!(codes.contains(&"check.member_search_key"), "{codes:?}");
    }
}
