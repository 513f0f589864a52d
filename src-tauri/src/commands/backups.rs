//! Backups beside the books and on a stick, and restoring one.

use ishc_core::store::backup::{self, AutoBackup, BackupFile, BackupInfo, Generation, Restored};
use ishc_core::CoreError;
use serde::Serialize;
use tauri::State;

use crate::session::Session;

use super::{Api, ApiError};

/// The local backups beside the books, and how the last automatic one went.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct BackupState {
    folder: String,
    generations: Vec<Generation>,
    /// Why the last automatic backup of this session failed (none when it worked or none ran yet).
    last_auto_error: Option<ApiError>,
}

#[tauri::command]
pub fn backup_state(s: State<'_, Session>) -> Api<BackupState> {
    let folder = backup::backups_dir(&s.db_path);
    let generations = backup::generations(Some(&s.db_path), &folder)?;
    let last = s.last_auto_error.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?.clone();
    Ok(BackupState { folder: folder.display().to_string(), generations, last_auto_error: last.map(ApiError::from) })
}

/// A local backup now (the same as when the window closes).
#[tauri::command]
pub fn backup_now(s: State<'_, Session>) -> Api<Option<AutoBackup>> {
    Ok(s.auto_backup(false)?)
}

/// An encrypted backup onto the USB stick (or a folder typed).
#[tauri::command]
pub fn backup_export(s: State<'_, Session>, dir: String, passphrase: String) -> Api<BackupInfo> {
    Ok(s.with_store(false, |st| backup::backup_to_stick(st, std::path::Path::new(&dir), &passphrase, st.today()))?)
}

/// The backups on a stick (by their names; nothing is opened).
#[tauri::command]
pub fn backup_files(dir: String) -> Api<Vec<BackupFile>> {
    Ok(backup::backup_files(std::path::Path::new(&dir))?)
}

#[tauri::command]
pub fn backup_restore(
    s: State<'_, Session>,
    path: String,
    passphrase: Option<String>,
    confirmed: bool,
) -> Api<Restored> {
    Ok(s.restore(std::path::Path::new(&path), passphrase.as_deref().filter(|p| !p.is_empty()), confirmed, &s.actor()?)?)
}
