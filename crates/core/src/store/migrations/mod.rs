//! The schema as an ordered list of steps. `PRAGMA user_version` holds how many have run; all
//! pending steps run in one transaction, so a power cut leaves the file at the old version or the new.
//! Never edit a step that has shipped: add a new one. The steps' SQL is in `steps.rs`.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::Result;

mod steps;
#[cfg(test)]
mod tests;

pub use steps::MIGRATIONS;

/// 'ISHC' in ASCII: marks a SQLite file as a club ledger.
pub const APPLICATION_ID: i64 = 0x4953_4843;

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The step that introduced the seal chain: crossing it seals the rows already there.
pub const SEAL_STEP: i64 = 8;

/// Bring `conn` up to `LATEST`. Callers have already refused a newer database.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST)
}

/// Run the steps up to `target` (tests use this to build databases at earlier versions).
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current >= target {
        return Ok(());
    }
    for (i, step) in MIGRATIONS[current as usize..target as usize].iter().enumerate() {
        tx.execute_batch(step)?;
        if current + i as i64 + 1 == SEAL_STEP {
            crate::store::seal::seal_all(&tx)?;
        }
    }
    tx.execute_batch(&format!("PRAGMA user_version = {target}; PRAGMA application_id = {APPLICATION_ID};"))?;
    tx.commit()?;
    Ok(())
}
