//! The one-writer lock of a ledger: a file beside it (`ledger.sqlite.lock`) locked with the
//! operating system's advisory lock (`File::try_lock`). The window holds it for as long as it runs;
//! `ishc restore` takes it before it swaps the file, so a restore never pulls the books out from
//! under an open window. The OS releases it when the holder dies, so a power cut leaves no stale lock.
//!
//! The lock is per open file: one process taking it twice is refused the second time, so whoever
//! holds it (the window's session) does the restore itself rather than asking for it again.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// `ledger.sqlite` → `ledger.sqlite.lock`, in the same folder.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    db.with_file_name(name)
}

/// Take the lock of the books at `db` (making their folder if needed): `Ok(None)` when another
/// window holds it. Keep the returned file open for as long as the lock is needed.
pub fn try_lock(db: &Path) -> std::io::Result<Option<File>> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(db))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// As `try_lock`, for a command: `db.in_use` when a window holds the books, `db.read_only` when the
/// lock file cannot be made.
pub fn lock_or_refuse(db: &Path) -> Result<File> {
    let shown = db.display().to_string();
    match try_lock(db) {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(CoreError::DbInUse { path: shown }),
        Err(_) => Err(CoreError::DbReadOnly { path: shown }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_held_once_and_released_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        let first = lock_or_refuse(&db).unwrap();
        assert_eq!(lock_path(&db), dir.path().join("ledger.sqlite.lock"));
        assert_eq!(lock_or_refuse(&db).unwrap_err().code(), "db.in_use");
        drop(first);
        lock_or_refuse(&db).unwrap();
    }
}
