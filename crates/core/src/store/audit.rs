//! Who did what, and when. Every write goes through `Store::write`, which names the acting board
//! member; each domain change leaves one row in the append-only `audit_log` in the same transaction.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{damaged, Field, Result};
use crate::store::Store;
use crate::text;

/// Who is acting: a cleaned name for the audit trail, and how they came to act.
///
/// Only `auth::sign_in` (and `auth::setup_chair`, `auth::recover`) make a signed-in actor, whose
/// rights `auth::permissions` reads from the roster at each write; `Actor::system` names an
/// audited path of the program itself (the demo builder). `Actor::new` is the name typed before
/// sign-ins existed: it has no rights in the permission table (see ARCHITECTURE.md, auth).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
    kind: ActorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ActorKind {
    /// A name only, not proven by a PIN.
    Named,
    /// Signed in with a PIN (or the recovery code) as this sign-in of this club.
    SignedIn { club_id: i64, sign_in_id: i64 },
    /// The program itself, on a named path (`demo`): every permission, every act audited.
    System,
}

impl Actor {
    pub fn new(name: &str) -> Result<Actor> {
        text::required(name, Field::Actor, 100).map(|name| Actor { name, kind: ActorKind::Named })
    }

    /// The program acting on a named, audited path (the demo builder): never reachable from what a
    /// person types.
    pub(crate) fn system(name: &str) -> Result<Actor> {
        text::required(name, Field::Actor, 100).map(|name| Actor { name, kind: ActorKind::System })
    }

    pub(crate) fn signed_in(name: String, club_id: i64, sign_in_id: i64) -> Actor {
        Actor { name, kind: ActorKind::SignedIn { club_id, sign_in_id } }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn kind(&self) -> &ActorKind {
        &self.kind
    }

    /// The sign-in this actor proved, if any: `(club, sign-in id)`.
    pub fn sign_in(&self) -> Option<(i64, i64)> {
        match self.kind {
            ActorKind::SignedIn { club_id, sign_in_id } => Some((club_id, sign_in_id)),
            _ => None,
        }
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
