//! Who did what, and when. Every write goes through `Store::write`, which names the acting board
//! member; each domain change leaves one row in the append-only `audit_log` in the same transaction.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{damaged, Field, Result};
use crate::store::Store;
use crate::text;

/// The board member acting now (named on the command line or chosen in the window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    pub fn new(name: &str) -> Result<Actor> {
        text::required(name, Field::Actor, 100).map(Actor)
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    pub actor: String,
    pub club_id: Option<i64>,
    /// What was done, e.g. `club.create`, `member.leave`.
    pub action: String,
    pub entity_id: Option<i64>,
    pub detail: serde_json::Value,
}

/// The newest `limit` entries for a club, newest first.
pub fn list(store: &Store, club_id: i64, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = store.conn().prepare(
        "SELECT id, at, actor, club_id, action, entity_id, detail FROM audit_log
         WHERE club_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![club_id, limit], |r| {
        let id: i64 = r.get(0)?;
        let detail: String = r.get(6)?;
        let detail = serde_json::from_str(&detail).map_err(|_| damaged("audit_log", id, "detail", &detail))?;
        Ok(AuditEntry {
            id,
            at: r.get(1)?,
            actor: r.get(2)?,
            club_id: r.get(3)?,
            action: r.get(4)?,
            entity_id: r.get(5)?,
            detail,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_is_required_and_cleaned() {
        assert_eq!(Actor::new("  ").unwrap_err().code(), "input.invalid");
        assert_eq!(Actor::new(" Lê  Thị Hoa ").unwrap().name(), "Lê Thị Hoa");
        assert!(Actor::new(&"x".repeat(101)).is_err());
    }
}
