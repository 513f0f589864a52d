//! The seal chain: one SHA-256 chain over every domain write, so a row changed, added or deleted
//! behind the app's back (the `sqlite3` shell, a hex editor, `INSERT OR REPLACE`) is found by
//! `ishc check`, whatever table it is in.
//!
//! - Every row of a sealed table (`SEALED`) has a *digest*: SHA-256 of its non-NULL columns, each
//!   length-prefixed with its name and type (so a later `ADD COLUMN … NULL` leaves old digests
//!   unchanged).
//! - The app's own connection carries TEMP triggers (`install`, before its first write) that note each inserted, updated
//!   or deleted row of a sealed table in `temp.seal_dirty`. A connection the app did not open (an
//!   attacker's) has none, so its changes are never sealed.
//! - `Store::write` empties the list when a write starts and, before it commits, `flush`es it: for
//!   each row whose digest differs from its latest seal, one `seal` row `(table, key, digest,
//!   hash)` is appended, `hash = SHA-256(previous hash ⏎ table ⏎ key ⏎ digest)` (a deleted row's
//!   digest is `-`). The `seal` table is append-only (triggers, REPLACE included).
//! - `verify` recomputes the chain and compares every row with its latest seal: a changed row, a
//!   row without a seal, a sealed row that is gone, a seal changed or deleted.
//! - Ledgers made before the seals were sealed whole by the migration step that introduced them.
//!
//! A file can always be rewritten whole, seals included, by someone who has it and this code: the
//! anchors held outside the file (signed bundles at the commune, printed month-close sheets) are
//! what catch that. See ARCHITECTURE.md, "What catches what".

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::{CoreError, Result};
use crate::store::GENESIS;

/// A sealed table and the columns of its key (its `id`, or its primary key when it has no rowid).
pub(crate) struct Sealed {
    pub table: &'static str,
    pub key: &'static [&'static str],
}

const ID: &[&str] = &["id"];

/// Every table that holds the books. A new table of the books is added here (and sealed by its
/// migration step, like `migrations::SEAL_STEP` did for the tables that existed then).
pub(crate) const SEALED: &[Sealed] = &[
    Sealed { table: "club", key: ID },
    Sealed { table: "audit_log", key: ID },
    Sealed { table: "member", key: ID },
    Sealed { table: "member_flag", key: ID },
    Sealed { table: "member_role", key: ID },
    Sealed { table: "target_preset", key: ID },
    Sealed { table: "journal_entry", key: ID },
    Sealed { table: "posting", key: ID },
    Sealed { table: "dues_payment", key: ID },
    Sealed { table: "balance_assertion", key: ID },
    Sealed { table: "month_close", key: ID },
    Sealed { table: "meeting", key: ID },
    Sealed { table: "meeting_attendance", key: &["meeting_id", "member_id"] },
    Sealed { table: "meeting_topic", key: &["meeting_id", "topic"] },
    Sealed { table: "decision", key: ID },
    Sealed { table: "activity", key: ID },
    Sealed { table: "activity_member", key: &["activity_id", "member_id"] },
    Sealed { table: "loan_rules", key: ID },
    Sealed { table: "loan", key: ID },
    Sealed { table: "loan_schedule_version", key: &["loan_id", "version"] },
    Sealed { table: "loan_instalment", key: &["loan_id", "version", "no"] },
    Sealed { table: "loan_payment", key: ID },
    Sealed { table: "sign_in", key: ID },
    Sealed { table: "auth_setting", key: &["club_id"] },
    Sealed { table: "recovery_code", key: ID },
    Sealed { table: "club_key", key: ID },
    Sealed { table: "bundle", key: ID },
];

/// The digest recorded for a row that was deleted.
const GONE: &str = "-";

/// `a || '/' || b` over `prefix.` columns: the key as text.
fn key_sql(s: &Sealed, prefix: &str) -> String {
    let cols = s.key.iter().map(|c| format!("{prefix}\"{c}\"")).collect::<Vec<_>>().join(" || '/' || ");
    format!("CAST({cols} AS TEXT)")
}

/// Create, on the app's own connection, the list of rows changed in the write in progress and the
/// TEMP triggers that fill it. Idempotent.
pub(crate) fn install(conn: &Connection) -> Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS seal_dirty (tbl TEXT NOT NULL, row_key TEXT NOT NULL,
            PRIMARY KEY (tbl, row_key)) WITHOUT ROWID;\n",
    );
    for s in SEALED {
        let t = s.table;
        let (new, old) = (key_sql(s, "NEW."), key_sql(s, "OLD."));
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS seal_dirty_{t}_insert AFTER INSERT ON \"{t}\"
                BEGIN INSERT OR IGNORE INTO seal_dirty VALUES ('{t}', {new}); END;
             CREATE TEMP TRIGGER IF NOT EXISTS seal_dirty_{t}_update AFTER UPDATE ON \"{t}\"
                BEGIN INSERT OR IGNORE INTO seal_dirty VALUES ('{t}', {new});
                      INSERT OR IGNORE INTO seal_dirty VALUES ('{t}', {old}); END;
             CREATE TEMP TRIGGER IF NOT EXISTS seal_dirty_{t}_delete AFTER DELETE ON \"{t}\"
                BEGIN INSERT OR IGNORE INTO seal_dirty VALUES ('{t}', {old}); END;\n"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Forget rows noted outside a write (a write starts from a clean list).
pub(crate) fn reset(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM temp.seal_dirty", [])?;
    Ok(())
}

/// The digest of a row's content: SHA-256 over its non-NULL columns in schema order, each as
/// `name`, a type tag and the value, length-prefixed (a later `ADD COLUMN … NULL` leaves it as it was).
fn digest_of(row: &rusqlite::Row<'_>, names: &[String], skip: usize) -> rusqlite::Result<String> {
    let mut h = Sha256::new();
    let mut field = |tag: u8, name: &str, bytes: &[u8]| {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update([tag]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    for (i, name) in names.iter().enumerate().skip(skip) {
        match row.get_ref(i)? {
            ValueRef::Null => {}
            ValueRef::Integer(n) => field(b'i', name, &n.to_le_bytes()),
            ValueRef::Real(f) => field(b'r', name, &f.to_le_bytes()),
            ValueRef::Text(t) => field(b't', name, t),
            ValueRef::Blob(b) => field(b'b', name, b),
        }
    }
    Ok(hex(&h.finalize()))
}

fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(DIGITS[(x >> 4) as usize] as char);
        s.push(DIGITS[(x & 15) as usize] as char);
    }
    s
}

fn chain(prev: &str, table: &str, key: &str, digest: &str) -> String {
    let mut h = Sha256::new();
    for (i, part) in [prev, table, key, digest].into_iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

fn sealed(table: &str) -> Option<&'static Sealed> {
    SEALED.iter().find(|s| s.table == table)
}

/// The digest of one row now, or `GONE`.
fn digest_now(conn: &Connection, s: &Sealed, key: &str) -> Result<String> {
    let parts: Vec<&str> = key.splitn(s.key.len(), '/').collect();
    let filter = s.key.iter().enumerate().map(|(i, c)| format!("\"{c}\" = ?{}", i + 1)).collect::<Vec<_>>().join(" AND ");
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM \"{}\" WHERE {filter}", s.table))?;
    let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let found = stmt
        .query_row(rusqlite::params_from_iter(parts.iter()), |r| digest_of(r, &names, 0))
        .optional()?;
    Ok(found.unwrap_or_else(|| GONE.to_string()))
}

fn head(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row("SELECT hash FROM seal ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string()))
}

fn append(conn: &Connection, prev: &str, table: &str, key: &str, digest: &str) -> Result<String> {
    let hash = chain(prev, table, key, digest);
    conn.prepare_cached("INSERT INTO seal (tbl, row_key, digest, hash) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![table, key, digest, hash])?;
    Ok(hash)
}

/// Seal every row noted in this write whose content changed since its last seal.
pub(crate) fn flush(conn: &Connection) -> Result<()> {
    let dirty: Vec<(String, String)> = conn
        .prepare_cached("SELECT tbl, row_key FROM temp.seal_dirty ORDER BY tbl, row_key")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if dirty.is_empty() {
        return Ok(());
    }
    // Every change is audited: a write that touched the books but left no audit row is refused
    // before anything is sealed or committed (the caller's transaction then rolls back).
    if !dirty.iter().any(|(t, _)| t == "audit_log") {
        let table = dirty.iter().find(|(t, _)| t != "seal").map(|(t, _)| t.clone()).unwrap_or_default();
        return Err(CoreError::DbUnaudited { table });
    }
    let mut prev = head(conn)?;
    for (table, key) in dirty {
        let Some(s) = sealed(&table) else { continue };
        let digest = digest_now(conn, s, &key)?;
        let last: Option<String> = conn
            .prepare_cached("SELECT digest FROM seal WHERE tbl = ?1 AND row_key = ?2 ORDER BY id DESC LIMIT 1")?
            .query_row(params![table, key], |r| r.get(0))
            .optional()?;
        if last.as_deref() == Some(digest.as_str()) || (last.is_none() && digest == GONE) {
            continue;
        }
        prev = append(conn, &prev, &table, &key, &digest)?;
    }
    reset(conn)
}

/// Every row of a sealed table with its key and digest, in key order.
fn scan(conn: &Connection, s: &Sealed, mut f: impl FnMut(String, String)) -> Result<()> {
    let order = s.key.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let mut stmt = conn.prepare(&format!("SELECT {}, * FROM \"{}\" ORDER BY {order}", key_sql(s, ""), s.table))?;
    let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        f(key, digest_of(r, &names, 1)?);
    }
    Ok(())
}

/// Seal every row of every sealed table (the migration step that introduced seals, in its
/// transaction: the books as they stood then are taken as they are).
pub(crate) fn seal_all(conn: &Connection) -> Result<()> {
    let mut prev = head(conn)?;
    for s in SEALED {
        // A table a later step creates (empty when it is made) is not there yet.
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
            [s.table],
            |r| r.get(0),
        )?;
        if !exists {
            continue;
        }
        let mut rows = Vec::new();
        scan(conn, s, |k, d| rows.push((k, d)))?;
        for (key, digest) in rows {
            prev = append(conn, &prev, s.table, &key, &digest)?;
        }
    }
    Ok(())
}

/// A row that does not match the seal chain, or a break in the chain itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SealProblem {
    /// The seal with this id does not chain to the one before it (seals changed or deleted).
    Broken { seal: i64 },
    /// The row differs from what the app last wrote.
    Changed { table: String, row: String },
    /// The app never wrote this row.
    Unsealed { table: String, row: String },
    /// The app wrote this row and it is gone.
    Missing { table: String, row: String },
}

/// Recompute the chain and compare every row of the books with its latest seal.
pub(crate) fn verify(conn: &Connection) -> Result<Vec<SealProblem>> {
    let mut problems = Vec::new();
    let mut latest: HashMap<(String, String), String> = HashMap::new();
    let mut prev = GENESIS.to_string();
    let mut broken = false;
    let mut stmt = conn.prepare("SELECT id, tbl, row_key, digest, hash FROM seal ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, table, key, digest, hash): (i64, String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        if !broken && chain(&prev, &table, &key, &digest) != hash {
            problems.push(SealProblem::Broken { seal: id });
            broken = true;
        }
        prev = hash;
        latest.insert((table, key), digest);
    }
    for s in SEALED {
        let mut found = Vec::new();
        scan(conn, s, |k, d| found.push((k, d)))?;
        for (key, digest) in found {
            match latest.remove(&(s.table.to_string(), key.clone())) {
                Some(sealed) if sealed == digest => {}
                Some(sealed) if sealed == GONE => problems.push(SealProblem::Unsealed { table: s.table.into(), row: key }),
                Some(_) => problems.push(SealProblem::Changed { table: s.table.into(), row: key }),
                None => problems.push(SealProblem::Unsealed { table: s.table.into(), row: key }),
            }
        }
    }
    let mut missing: Vec<(String, String)> =
        latest.into_iter().filter(|(_, d)| d != GONE).map(|(k, _)| k).collect();
    missing.sort();
    for (table, row) in missing {
        problems.push(SealProblem::Missing { table, row });
    }
    Ok(problems)
}
