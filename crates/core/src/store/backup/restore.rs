//! Restore: a backup checked first, then swapped in whole, the replaced books kept beside them.
//! (Split from `backup.rs`, whose private readers it shares through `super`.)

use super::*;

/// Restore the books at `req.ledger` from the backup `req.file` (see the module comment). The caller
/// holds the books' lock (`store::lock`) and has no store open on them.
pub fn restore(req: &RestoreRequest<'_>, actor: &Actor) -> Result<Restored> {
    let shown_file = req.file.display().to_string();
    let shown_ledger = req.ledger.display().to_string();
    // 1. The backup, checked in memory: nothing is touched if it fails.
    let raw = read_file(req.file)?;
    let size = raw.len() as u64;
    let (bytes, encrypted) = plaintext(raw, &shown_file, req.passphrase)?;
    let (mut restored, info) = open_checked(bytes, req.file, encrypted, size, req.today)?;
    // 2. The books it replaces: the same clubs, or a confirmation.
    let current = if req.ledger.exists() {
        match current_clubs(req.ledger) {
            Ok(c) => Some(c),
            // Confirmed: the person was told the books cannot be read (`backup.current_unreadable`).
            Err(_) if req.confirmed => None,
            Err(e) => return Err(CoreError::BackupCurrentUnreadable { path: shown_ledger, detail: e.to_string() }),
        }
    } else {
        Some(Vec::new())
    };
    // Books that open and have sign-ins are replaced only by their chair or vice-chair, signed in
    // on them. Books that cannot be read (the reason to restore), or none yet, have no one to ask.
    if let Some(clubs) = &current {
        require_restorer(req.ledger, clubs, actor, req.today)?;
    }
    let replaced = current.clone().unwrap_or_default();
    let mut ours = info.clubs.clone();
    ours.sort();
    let mut theirs = replaced.clone();
    theirs.sort();
    if !theirs.is_empty() && ours != theirs && !req.confirmed {
        return Err(CoreError::BackupOtherClub {
            backup: ours.into_iter().map(|c| c.name).collect(),
            current: theirs.into_iter().map(|c| c.name).collect(),
        });
    }
    // 3. The restore is recorded in the restored books, sealed like every write.
    let kept = if req.ledger.exists() { Some(kept_name(req.ledger, req.now)?) } else { None };
    let detail = serde_json::json!({
        "file": shown_file,
        "encrypted": encrypted,
        "backup_schema_version": info.schema_version,
        "kept_as": kept.as_ref().map(|p| p.display().to_string()),
        "replaced_clubs": replaced.iter().map(|c| &c.name).collect::<Vec<_>>(),
    });
    restored.write(actor, |w| {
        if info.clubs.is_empty() {
            return w.audit(None, "backup.restore", None, detail.clone());
        }
        for c in &info.clubs {
            w.audit(Some(c.id), "backup.restore", None, detail.clone())?;
        }
        Ok(())
    })?;
    let schema_version = restored.schema_version()?;
    let mut image = restored.conn.serialize(MAIN_DB)?.to_vec();
    drop(restored);
    rollback_header(&mut image);
    // 4. The swap.
    let kept_as = swap_in(req.ledger, &image, kept.as_deref(), current.is_some())?;
    // 5. The books open as they should.
    drop(Store::open(req.ledger, crate::store::OpenMode::Existing)?);
    Ok(Restored {
        ledger: shown_ledger,
        from: shown_file,
        encrypted,
        kept_as: kept_as.map(|p| p.display().to_string()),
        backup_schema_version: info.schema_version,
        schema_version,
        clubs: info.clubs,
        members: info.members,
        replaced_clubs: replaced,
    })
}

/// The clubs of the books a restore would replace, read without writing anything (read-only: a
/// read-write open of a damaged file may have SQLite delete the log beside it, which is kept).
fn current_clubs(ledger: &Path) -> Result<Vec<BackupClub>> {
    let shown = ledger.display().to_string();
    let corrupt = |e: rusqlite::Error| CoreError::DbCorrupt { path: shown.clone(), detail: e.to_string() };
    let conn = Connection::open_with_flags(ledger, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(corrupt)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(corrupt)?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(corrupt)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(corrupt)?;
    if version == 0 && app_id == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(corrupt)?;
        if tables == 0 {
            return Ok(Vec::new());
        }
    }
    if app_id != migrations::APPLICATION_ID {
        return Err(CoreError::DbCorrupt { path: shown, detail: "not a club ledger".into() });
    }
    if version > migrations::LATEST {
        return Err(CoreError::DbTooNew { found: version, supported: migrations::LATEST });
    }
    // `id` and `name` are in every version of the club table.
    let mut stmt = conn.prepare("SELECT id, name FROM club ORDER BY id").map_err(corrupt)?;
    let rows = stmt.query_map([], |r| Ok(BackupClub { id: r.get(0)?, name: r.get(1)? })).map_err(corrupt)?;
    rows.collect::<rusqlite::Result<_>>().map_err(corrupt)
}

/// Refuse the restore (`auth.forbidden`, naming the roles) unless `actor` may replace the books of
/// each of `clubs` that has sign-ins: `Action::Restore`, judged on the current books, read-only.
fn require_restorer(ledger: &Path, clubs: &[BackupClub], actor: &Actor, today: NaiveDate) -> Result<()> {
    if clubs.is_empty() {
        return Ok(());
    }
    let shown = ledger.display().to_string();
    let corrupt = |e: rusqlite::Error| CoreError::DbCorrupt { path: shown.clone(), detail: e.to_string() };
    let conn = Connection::open_with_flags(ledger, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(corrupt)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(corrupt)?;
    // Books from before sign-ins have no `sign_in` table: nobody to ask there.
    let has_table: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sign_in'", [], |r| r.get(0)).map_err(corrupt)?;
    if has_table == 0 {
        return Ok(());
    }
    for c in clubs {
        let active: i64 = conn
            .query_row("SELECT count(*) FROM sign_in WHERE club_id = ?1 AND removed_at IS NULL", [c.id], |r| r.get(0))
            .map_err(corrupt)?;
        if active > 0 {
            crate::auth::permissions::require_on(&conn, actor, c.id, crate::auth::permissions::Action::Restore, today)?;
        }
    }
    Ok(())
}

/// `ledger.sqlite` → `ledger.sqlite.before-restore-20261127-101500` (`-2`… if taken).
fn kept_name(ledger: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let name = file_name(ledger);
    let base = format!("{name}.before-restore-{}", now.format("%Y%m%d-%H%M%S"));
    files::numbered_name(|n| ledger.with_file_name(if n == 1 { base.clone() } else { format!("{base}-{n}") }), |p| !p.exists())
        .ok_or_else(|| CoreError::BackupExists { path: ledger.with_file_name(&base).display().to_string() })
}

/// SQLite's files beside a database: its write-ahead log, its index, a rollback journal.
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Put `image` in place of the books at `ledger`, keeping the old file (and any log beside it) as
/// `kept`. At every moment `ledger` names either the old books or the new ones, whole.
fn swap_in(ledger: &Path, image: &[u8], kept: Option<&Path>, readable: bool) -> Result<Option<PathBuf>> {
    let shown = ledger.display().to_string();
    let failed = |detail: String| CoreError::BackupRestoreFailed { path: shown.clone(), detail };
    let staging = ledger.with_file_name(format!(".{}.restoring", file_name(ledger)));
    files::write_atomic(&staging, image, files::Overwrite::Replace).map_err(|e| failed(e.to_string()))?;
    let back = fs::read(&staging).map_err(|e| failed(e.to_string()));
    if back.as_deref().ok() != Some(image) {
        let detail = match back {
            Err(CoreError::BackupRestoreFailed { detail, .. }) => detail,
            _ => "the file read back differs from what was written".into(),
        };
        return Err(failed(with_leftover(detail, &staging)));
    }
    let dir = ledger.parent().filter(|d| !d.as_os_str().is_empty()).map(Path::to_path_buf);
    let Some(kept) = kept.filter(|_| ledger.exists()) else {
        // No books yet (a new laptop): nothing to keep.
        fs::rename(&staging, ledger).map_err(|e| failed(with_leftover(e.to_string(), &staging)))?;
        sync_dir(dir.as_deref());
        return Ok(None);
    };
    let result = (|| -> io::Result<()> {
        if readable {
            // Fold the write-ahead log into the file, so the kept file is whole by itself.
            settle(ledger)?;
        }
        if fs::hard_link(ledger, kept).is_err() {
            fs::copy(ledger, kept)?;
            fs::File::open(kept)?.sync_all()?;
        }
        let mut moved = Vec::new();
        for s in SIDECARS {
            let from = with_suffix(ledger, s);
            if from.exists() {
                let to = with_suffix(kept, s);
                if let Err(e) = fs::rename(&from, &to) {
                    return Err(undo(&moved, kept, e));
                }
                moved.push((from, to));
            }
        }
        if let Err(e) = fs::rename(&staging, ledger) {
            return Err(undo(&moved, kept, e));
        }
        Ok(())
    })();
    if let Err(e) = result {
        return Err(failed(with_leftover(e.to_string(), &staging)));
    }
    sync_dir(dir.as_deref());
    Ok(Some(kept.to_path_buf()))
}

/// `detail`, with the failure to remove the staging copy after it added when there is one.
fn with_leftover(detail: String, staging: &Path) -> String {
    match files::remove_leftover(staging) {
        None => detail,
        Some(note) => format!("{detail}; {note}"),
    }
}

/// Put the logs back and drop the kept copy: the swap did not happen. What cannot be put back is
/// returned with the swap's own failure (the books themselves were not touched: the staging copy
/// was never renamed into place).
fn undo(moved: &[(PathBuf, PathBuf)], kept: &Path, why: io::Error) -> io::Error {
    let mut notes = Vec::new();
    for (from, to) in moved {
        if let Err(e) = fs::rename(to, from) {
            notes.push(format!("{} could not be put back as {}: {e}", to.display(), from.display()));
        }
    }
    notes.extend(files::remove_leftover(kept));
    if notes.is_empty() {
        why
    } else {
        io::Error::new(why.kind(), format!("{why}; {}", notes.join("; ")))
    }
}

/// Checkpoint the books' write-ahead log into the file and leave WAL mode, so the file holds every
/// committed write by itself (the next `Store::open` turns WAL on again).
fn settle(ledger: &Path) -> io::Result<()> {
    let mode = (|| -> rusqlite::Result<String> {
        let conn = Connection::open_with_flags(ledger, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
    })()
    .map_err(io::Error::other)?;
    if mode != "delete" {
        return Err(io::Error::other(format!("the journal mode stayed {mode}")));
    }
    Ok(())
}

/// Make the renames durable (`platform::sync_dir`). Called once the books are in place: a folder
/// that then fails to sync cannot undo the restore, and the files themselves were synced, so the
/// restore stands and is reported done.
fn sync_dir(dir: Option<&Path>) {
    if let Some(dir) = dir {
        let _ = crate::platform::sync_dir(dir);
    }
}

