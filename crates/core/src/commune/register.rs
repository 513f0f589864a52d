//! The register of clubs: a club and its key are recorded only when the fingerprint the officer
//! types from the club's printed key card matches the key (`typed_fingerprint`); later keys come
//! from bundles (`import`), each endorsed by the key before it. Keys are never deleted.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::ledger::{now, CommuneStore};
use crate::error::{CoreError, Field, Result, Rule};
use crate::signing::key;
use crate::store::audit::Actor;
use crate::text;

/// What `register` needs: the club, and its public key with the fingerprint typed from its card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClubInput {
    pub name: String,
    pub hamlet: String,
    /// The `.pub` file's text or its base64 line.
    pub public_key: String,
    /// As typed from the card: 32 hex digits, in any case, grouped by spaces or not.
    pub fingerprint: String,
}

/// One key a registered club has had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisteredKey {
    pub fingerprint: String,
    /// minisign's key id: a label only.
    pub key_id: String,
    pub public_key: String,
    /// `card` (typed fingerprint checked at registration) or `rotation` (endorsed by the key before).
    pub how: String,
    /// The first bundle sequence signed with it (a key from a rotation).
    pub from_sequence: Option<u32>,
    pub added_at: String,
    pub retired_at: Option<String>,
    /// The sequence of the bundle that brought the next key: this key signs nothing from there on.
    pub retired_at_sequence: Option<u32>,
}

/// A registered club with its keys (oldest first) and what the commune holds from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisteredClub {
    pub id: i64,
    pub name: String,
    pub hamlet: String,
    pub registered_at: String,
    pub registered_by: String,
    /// The fingerprint of the key in use.
    pub fingerprint: String,
    pub keys: Vec<RegisteredKey>,
    /// Bundles accepted from the club, and the highest sequence held.
    pub bundles: u32,
    pub last_sequence: Option<u32>,
}

/// The 32 hex digits of a fingerprint as typed from the card: spaces (any white space) between
/// digits are ignored and the case does not matter; anything else — a dash, an `O` for a `0`, a
/// digit too many or too few — is refused, never guessed. Returned in the card's form.
pub fn typed_fingerprint(typed: &str) -> Result<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || CoreError::invalid(Field::KeyFingerprint, Rule::Characters { example: "3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13".into() });
    if digits.is_empty() {
        return Err(CoreError::invalid(Field::KeyFingerprint, Rule::Required));
    }
    if digits.len() != key::FINGERPRINT_BYTES * 2 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let upper = digits.to_ascii_uppercase();
    Ok(upper.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" "))
}

/// Register a club with the key on its card. Refused when the typed fingerprint does not match the
/// key (`commune.fingerprint_mismatch`, naming only what was typed: the officer must read the card,
/// not copy the screen), when the key is already registered (`commune.key_registered`) or a club of
/// that name is (`commune.club_exists`). Nothing is written then.
pub fn register(store: &mut CommuneStore, actor: &Actor, input: &ClubInput) -> Result<RegisteredClub> {
    store.commune()?;
    let name = text::required(&input.name, Field::ClubName, 150)?;
    let hamlet = text::bounded(&input.hamlet, Field::ClubHamlet, 100)?;
    let typed = typed_fingerprint(&input.fingerprint)?;
    let pk = key::parse_public_key(&input.public_key)?;
    let fingerprint = key::fingerprint(&pk);
    if typed != fingerprint {
        return Err(CoreError::CommuneFingerprintMismatch { typed });
    }
    let name_key = text::fold(&name);
    let id = store.write(actor, |w| {
        if let Some(club) = club_of_fingerprint(&w.tx, &fingerprint)? {
            return Err(CoreError::CommuneKeyRegistered { club });
        }
        let taken: Option<String> =
            w.tx.query_row("SELECT name FROM club WHERE name_key = ?1", [&name_key], |r| r.get(0)).optional()?;
        if let Some(name) = taken {
            return Err(CoreError::CommuneClubExists { name });
        }
        let at = now();
        w.tx.execute(
            "INSERT INTO club (name, hamlet, name_key, registered_at, registered_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, hamlet, name_key, at, w.actor.name()],
        )?;
        let club_id = w.tx.last_insert_rowid();
        w.tx.execute(
            "INSERT INTO club_key (club_id, key_id, public_key, fingerprint, how, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, 'card', ?5, ?6)",
            params![club_id, key::key_id_of(&pk), pk.to_base64(), fingerprint, at, w.actor.name()],
        )?;
        w.audit("commune.register", Some(club_id), serde_json::json!({ "name": name, "hamlet": hamlet, "fingerprint": fingerprint }))?;
        Ok(club_id)
    })?;
    get(store, id)
}

/// The club name a key is registered to, by fingerprint (current or retired).
pub(crate) fn club_of_fingerprint(conn: &Connection, fingerprint: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT c.name FROM club_key k JOIN club c ON c.id = k.club_id WHERE k.fingerprint = ?1",
            [fingerprint],
            |r| r.get(0),
        )
        .optional()?)
}

fn keys_of(conn: &Connection, club_id: i64) -> Result<Vec<RegisteredKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fingerprint, key_id, public_key, how, from_sequence, added_at, retired_at, retired_at_sequence
         FROM club_key WHERE club_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([club_id], |r| {
        Ok(RegisteredKey {
            fingerprint: r.get(0)?,
            key_id: r.get(1)?,
            public_key: r.get(2)?,
            how: r.get(3)?,
            from_sequence: r.get(4)?,
            added_at: r.get(5)?,
            retired_at: r.get(6)?,
            retired_at_sequence: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One registered club; `commune.club_not_found` otherwise.
pub fn get(store: &CommuneStore, id: i64) -> Result<RegisteredClub> {
    read(store, Some(id))?.pop().ok_or(CoreError::CommuneClubNotFound { id })
}

/// Every registered club, by name (the Vietnamese order).
pub fn list(store: &CommuneStore) -> Result<Vec<RegisteredClub>> {
    read(store, None)
}

/// The registered clubs (only `one`, when given: registering the n-th club reads one, not n).
fn read(store: &CommuneStore, one: Option<i64>) -> Result<Vec<RegisteredClub>> {
    let conn = &store.conn;
    // One club by its primary key, or all of them: two statements, so the one is a key lookup.
    let which = if one.is_some() { "WHERE c.id = ?1" } else { "WHERE ?1 IS NULL" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name, c.hamlet, c.registered_at, c.registered_by,
                (SELECT count(*) FROM received r WHERE r.club_id = c.id),
                (SELECT max(sequence) FROM received r WHERE r.club_id = c.id)
         FROM club c {which} ORDER BY c.id"
    ))?;
    type Row = (i64, String, String, String, String, u32, Option<u32>);
    let rows: Vec<Row> = stmt
        .query_map([one], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, hamlet, registered_at, registered_by, bundles, last_sequence) in rows {
        let keys = keys_of(conn, id)?;
        let current = keys.iter().find(|k| k.retired_at.is_none()).ok_or_else(|| CoreError::DbDamaged {
            table: "club_key".into(),
            row: id,
            column: "retired_at".into(),
            value: "no key in use".into(),
        })?;
        out.push(RegisteredClub {
            id,
            fingerprint: current.fingerprint.clone(),
            name,
            hamlet,
            registered_at,
            registered_by,
            keys,
            bundles,
            last_sequence,
        });
    }
    out.sort_by(|a, b| text::compare_names(&a.name, &b.name).then(a.id.cmp(&b.id)));
    Ok(out)
}
