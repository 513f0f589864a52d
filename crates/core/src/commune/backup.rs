//! The inbox's own backups: local generations in `backups/` beside the inbox ledger, made and pruned
//! exactly as the club's books' (`store::backup::generation`: the same names, the same keep rule),
//! each one a whole SQLite image written atomically, read back, and checked as this inbox (it opens
//! as a commune ledger and `check::check` finds every bundle as received) before it counts. A copy
//! that does not check is removed, never left to be mistaken for a good one.
//!
//! An inbox is not encrypted on the laptop (it holds the clubs' signed public reports and the unit's
//! key, itself encrypted with the passphrase), so neither are its generations.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::ledger::CommuneStore;
use crate::error::{CoreError, Result};
use crate::store::backup::{self, AutoBackup, BackupClub, BackupInfo};

/// The file the inbox's ledger lives in (an inbox in memory has nowhere to keep generations).
fn ledger_path(store: &CommuneStore) -> Result<PathBuf> {
    store.conn.path().filter(|p| !p.is_empty()).map(PathBuf::from).ok_or(CoreError::BackupFolderMissing { path: String::new() })
}

/// A new generation of the inbox in `backups/` beside it, then the older ones the keep rule no
/// longer wants removed. `now` is the laptop's local time.
pub fn auto_backup(store: &CommuneStore, now: NaiveDateTime) -> Result<AutoBackup> {
    let ledger = ledger_path(store)?;
    let dir = backup::backups_dir(&ledger);
    backup::generation(Some(&ledger), &dir, now, |path| write_checked(store, path))
}

/// `auto_backup` when the newest generation is `max_age` old or older, or there is none (what the
/// window runs every hour while it is open). `None` when a recent one exists.
pub fn auto_backup_if_due(store: &CommuneStore, now: NaiveDateTime, max_age: chrono::Duration) -> Result<Option<AutoBackup>> {
    let ledger = ledger_path(store)?;
    if backup::generation_due(Some(&ledger), &backup::backups_dir(&ledger), now, max_age)? {
        auto_backup(store, now).map(Some)
    } else {
        Ok(None)
    }
}

/// The generations of the inbox, newest first.
pub fn generations(store: &CommuneStore) -> Result<Vec<backup::Generation>> {
    let ledger = ledger_path(store)?;
    backup::generations(Some(&ledger), &backup::backups_dir(&ledger))
}

/// Snapshot, atomic write, read back, check.
fn write_checked(store: &CommuneStore, path: &Path) -> Result<BackupInfo> {
    let shown = path.display().to_string();
    if path.exists() {
        return Err(CoreError::BackupExists { path: shown });
    }
    // The image is held in memory: an inbox too large for that is refused before it is copied.
    let size: i64 = store.conn.query_row("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", [], |r| r.get(0))?;
    if size as u64 > backup::MAX_BACKUP_BYTES {
        return Err(CoreError::BackupTooLarge { path: shown, max_mib: backup::MAX_BACKUP_BYTES / (1024 * 1024) });
    }
    let bytes = backup::snapshot(&store.conn)?;
    backup::write_new(path, &bytes)?;
    backup::read_back_checked(path, &bytes, |back| {
        let copy = CommuneStore::from_image(&back, &shown)?;
        let report = super::check::check(&copy)?;
        if !report.ok {
            return Err(CoreError::BackupCheckFailed { path: shown.clone(), count: report.problems.len() as u32, problems: report.problems });
        }
        let clubs = super::register::list(&copy)?.into_iter().map(|c| BackupClub { id: c.id, name: c.name }).collect();
        Ok(BackupInfo {
            path: shown.clone(),
            file_name: backup::file_name(path),
            bytes: back.len() as u64,
            encrypted: false,
            schema_version: super::ledger::LATEST,
            clubs,
            members: 0,
        })
    })
}
