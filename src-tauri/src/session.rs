//! The open books of this window: the store (once it exists), and the lock that keeps a second
//! window from writing the same file (two windows writing one ledger is how entries get lost).

use std::fs::File;
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::NaiveDate;
use ishc_core::{CoreError, OpenMode, Store};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "AppStatus")]
pub enum Status {
    Ready,
    NoClub,
    Busy,
    Error,
}

pub struct Session {
    pub db_path: PathBuf,
    pub today: Option<NaiveDate>,
    pub store: Mutex<Option<Store>>,
    pub startup_error: Option<CoreError>,
    pub busy: bool,
    // Held for the life of the process; the OS releases it if the app dies.
    _lock: Option<File>,
}

pub fn db_path_from_env() -> PathBuf {
    std::env::var_os("ISHC_DB").map(PathBuf::from).unwrap_or_else(ishc_core::store::default_path)
}

/// `ISHC_TODAY` fixes "today" for demos and end-to-end tests.
pub fn today_from_env() -> Option<NaiveDate> {
    std::env::var("ISHC_TODAY").ok().and_then(|s| s.parse().ok())
}

impl Session {
    pub fn start(db_path: PathBuf, today: Option<NaiveDate>) -> Session {
        let shown = db_path.display().to_string();
        let mut session =
            Session { db_path: db_path.clone(), today, store: Mutex::new(None), startup_error: None, busy: false, _lock: None };
        // The lock is the core's (`store::lock`), so `ishc restore` sees it too.
        match ishc_core::store::lock::try_lock(&db_path) {
            Ok(Some(lock)) => session._lock = Some(lock),
            Ok(None) => {
                session.busy = true;
                return session;
            }
            Err(_) => {
                session.startup_error = Some(CoreError::DbReadOnly { path: shown });
                return session;
            }
        }
        match Store::open(&db_path, OpenMode::Existing) {
            Ok(mut store) => {
                if let Some(t) = today {
                    store.set_today(t);
                }
                session.store = Mutex::new(Some(store));
            }
            // First run: the setup page creates the file with the club.
            Err(CoreError::DbNotFound { .. }) => {}
            Err(e) => session.startup_error = Some(e),
        }
        session
    }

    /// Run `f` on the open store, creating the file first when `create` (the setup page) asks for it.
    pub fn with_store<T>(&self, create: bool, f: impl FnOnce(&mut Store) -> Result<T, CoreError>) -> Result<T, CoreError> {
        if self.busy {
            return Err(CoreError::DbInUse { path: self.db_path.display().to_string() });
        }
        if let Some(e) = &self.startup_error {
            return Err(e.clone());
        }
        let mut guard = self.store.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?;
        if guard.is_none() {
            if !create {
                return Err(CoreError::NoClub);
            }
            let mut store = Store::open(&self.db_path, OpenMode::CreateIfMissing)?;
            if let Some(t) = self.today {
                store.set_today(t);
            }
            *guard = Some(store);
        }
        f(guard.as_mut().expect("store was just opened"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_session_on_the_same_books_is_busy() {
        let dir = std::env::temp_dir().join(format!("ishc-lock-{}", std::process::id()));
        let db = dir.join("ledger.sqlite");
        let first = Session::start(db.clone(), None);
        assert!(!first.busy);
        let second = Session::start(db.clone(), None);
        assert!(second.busy);
        assert_eq!(second.with_store(true, |_| Ok(())).unwrap_err().code(), "db.in_use");
        drop(first);
        assert!(!Session::start(db, None).busy);
        let _ = std::fs::remove_dir_all(dir);
    }
}
