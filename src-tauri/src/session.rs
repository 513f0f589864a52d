//! The open books of this window: the store (once it exists), and the lock that keeps a second
//! window from writing the same file (two windows writing one ledger is how entries get lost).

use std::fs::File;
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::NaiveDate;
use ishc_core::store::backup::{self, AutoBackup, RestoreRequest, Restored};
use ishc_core::commune::CommuneStore;
use ishc_core::{Actor, CoreError, OpenMode, Store};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "AppStatus")]
pub enum Status {
    Ready,
    NoClub,
    Busy,
    Error,
    /// The file is a commune ledger (`ishc commune init`): the window shows the commune's pages.
    Commune,
}

pub struct Session {
    pub db_path: PathBuf,
    pub today: Option<NaiveDate>,
    pub store: Mutex<Option<Store>>,
    pub startup_error: Option<CoreError>,
    pub busy: bool,
    /// Why the last automatic backup of this session failed (none when it worked): the backup page
    /// says it, since nobody is watching when the timer or the closing window runs one.
    pub last_auto_error: Mutex<Option<CoreError>>,
    /// Who is signed in at this window: made only by the core's `auth` (a PIN or the recovery code)
    /// and used for every write. Locking the window forgets it (`lock`), so a locked window cannot
    /// write even if its page were somehow shown.
    actor: Mutex<Option<Actor>>,
    /// `ISHC_IDLE_SECONDS`: the idle time before the window locks, overriding the club's
    /// lock_minutes (for the end-to-end tests; nobody sets it in the village).
    pub idle_seconds: Option<u32>,
    /// The commune's inbox, when the file opened is a commune ledger, or once the first screen
    /// made one (then `store` stays empty).
    pub commune: Mutex<Option<CommuneStore>>,
    /// The commune officer's name for the audit rows, typed once on the commune's first screen
    /// (the commune ledger has no sign-ins yet: `Actor::new`, as `ishc commune --as` does).
    pub officer: Mutex<Option<Actor>>,
    /// How far the running import of bundles is: (done, total), read by the window's progress bar.
    pub import_progress: Mutex<(usize, usize)>,
    // Held for the life of the process; the OS releases it if the app dies.
    _lock: Option<File>,
}

pub fn db_path_from_env() -> PathBuf {
    std::env::var_os("ISHC_DB").map(PathBuf::from).unwrap_or_else(ishc_core::store::default_path)
}

/// `ISHC_IDLE_SECONDS` (1 to 86400) overrides the club's lock minutes, for the end-to-end tests.
pub fn idle_seconds_from_env() -> Option<u32> {
    std::env::var("ISHC_IDLE_SECONDS").ok().and_then(|s| s.parse().ok()).filter(|n| (1..=86_400).contains(n))
}

/// `ISHC_TODAY` fixes "today" for demos and end-to-end tests.
pub fn today_from_env() -> Option<NaiveDate> {
    std::env::var("ISHC_TODAY").ok().and_then(|s| s.parse().ok())
}

impl Session {
    pub fn start(db_path: PathBuf, today: Option<NaiveDate>) -> Session {
        let shown = db_path.display().to_string();
        let mut session =
            Session {
            db_path: db_path.clone(),
            today,
            store: Mutex::new(None),
            startup_error: None,
            busy: false,
            last_auto_error: Mutex::new(None),
            actor: Mutex::new(None),
            idle_seconds: idle_seconds_from_env(),
            commune: Mutex::new(None),
            officer: Mutex::new(None),
            import_progress: Mutex::new((0, 0)),
            _lock: None,
        };
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
            // Not a club ledger: a commune ledger opens the commune's pages; anything else keeps
            // the club's refusal. (`CommuneStore::open` refuses a club or foreign file untouched.)
            Err(e @ CoreError::DbCorrupt { .. }) => match CommuneStore::open(&db_path, false) {
                Ok(mut commune) => {
                    if let Some(t) = today {
                        commune.set_today(t);
                    }
                    session.commune = Mutex::new(Some(commune));
                }
                Err(_) => session.startup_error = Some(e),
            },
            Err(e) => session.startup_error = Some(e),
        }
        session
    }

    /// Run `f` on the open commune ledger (a club's window has none: `commune.missing`).
    pub fn with_commune<T>(&self, f: impl FnOnce(&mut CommuneStore) -> Result<T, CoreError>) -> Result<T, CoreError> {
        if self.busy {
            return Err(CoreError::DbInUse { path: self.db_path.display().to_string() });
        }
        if let Some(e) = &self.startup_error {
            return Err(e.clone());
        }
        let mut guard = self.commune.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?;
        f(guard.as_mut().ok_or(CoreError::CommuneMissing)?)
    }

    /// Whether this window is a commune's (district's, province's) inbox.
    pub fn is_commune(&self) -> Result<bool, CoreError> {
        Ok(self.commune.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?.is_some())
    }

    /// First start on a laptop that keeps an inbox, not a club's books: make the inbox ledger at
    /// this window's path (`commune::ledger::create`, which leaves no file when refused), name its
    /// officer, and turn the window into the inbox's. Refused once a club's books or an inbox are
    /// open here.
    pub fn create_commune(
        &self,
        officer: Actor,
        input: &ishc_core::commune::CommuneInput,
        passphrase: &str,
    ) -> Result<ishc_core::commune::Commune, CoreError> {
        if self.busy {
            return Err(CoreError::DbInUse { path: self.db_path.display().to_string() });
        }
        if let Some(e) = &self.startup_error {
            return Err(e.clone());
        }
        let club = self.store.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?;
        let mut inbox = self.commune.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?;
        if club.is_some() {
            return Err(CoreError::CommuneWrongFile { path: self.db_path.display().to_string() });
        }
        if let Some(open) = inbox.as_ref() {
            return Err(CoreError::CommuneExists { name: open.commune()?.name });
        }
        let (mut store, made) = ishc_core::commune::ledger::create(&self.db_path, &officer, input, passphrase)?;
        if let Some(t) = self.today {
            store.set_today(t);
        }
        *inbox = Some(store);
        *self.officer.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })? = Some(officer);
        Ok(made)
    }

    /// The officer named on the commune's first screen, for a write.
    pub fn officer(&self) -> Result<Actor, CoreError> {
        self.officer_named()?.ok_or(CoreError::AuthSignedOut)
    }

    /// The officer named on the commune's first screen, if any yet.
    pub fn officer_named(&self) -> Result<Option<Actor>, CoreError> {
        Ok(self.officer.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?.clone())
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

impl Session {
    /// The signed-in person for a write; nobody signed in is `auth.signed_out`.
    pub fn actor(&self) -> Result<Actor, CoreError> {
        self.signed_in()?.ok_or(CoreError::AuthSignedOut)
    }

    /// The signed-in person, if any.
    pub fn signed_in(&self) -> Result<Option<Actor>, CoreError> {
        Ok(self.actor.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?.clone())
    }

    /// Remember who signed in (only an actor the core's `auth` made is signed in), or forget them
    /// (`None`: the window locks, or the user switches).
    pub fn set_actor(&self, actor: Option<Actor>) -> Result<(), CoreError> {
        *self.actor.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })? = actor;
        Ok(())
    }
}

/// How often the open window looks whether a day has passed since the newest local backup, and the
/// age that makes one due. (Closing the window always makes one.)
pub const AUTO_BACKUP_CHECK: std::time::Duration = std::time::Duration::from_secs(60 * 60);
pub const AUTO_BACKUP_AFTER: chrono::Duration = chrono::Duration::days(1);

impl Session {
    /// A local backup of the open books (or the open inbox) into `backups/` beside them
    /// (`store::backup`, `commune::backup`): always when `due_only` is false (the window closes,
    /// "Sao lưu ngay"), else only when the newest is a day old. Nothing to do before the first club
    /// exists, or in a second window (the first one backs the books up). The outcome is remembered
    /// for the page.
    pub fn auto_backup(&self, due_only: bool) -> Result<Option<AutoBackup>, CoreError> {
        if self.busy {
            // Another window has these books: it makes their backups.
            return Ok(None);
        }
        let now = chrono::Local::now().naive_local();
        // An inbox's generations are made the same way, beside its own file (`commune::backup`).
        let result = if self.is_commune()? {
            self.with_commune(|c| {
                if due_only {
                    ishc_core::commune::backup::auto_backup_if_due(c, now, AUTO_BACKUP_AFTER)
                } else {
                    ishc_core::commune::backup::auto_backup(c, now).map(Some)
                }
            })
        } else {
            self.with_store(false, |st| {
                if due_only {
                    backup::auto_backup_if_due(st, None, now, AUTO_BACKUP_AFTER)
                } else {
                    backup::auto_backup(st, None, now).map(Some)
                }
            })
        };
        let result = match result {
            Err(CoreError::NoClub) => Ok(None),
            other => other,
        };
        if let Ok(mut last) = self.last_auto_error.lock() {
            *last = result.as_ref().err().cloned();
        }
        result
    }

    /// Restore the books from a backup: the window's store is closed first (the file is swapped
    /// under it), then whatever books are there afterwards are opened again — the restored ones, or
    /// the same ones when the backup was refused.
    pub fn restore(
        &self,
        file: &std::path::Path,
        passphrase: Option<&str>,
        confirmed: bool,
        actor: &ishc_core::Actor,
    ) -> Result<Restored, CoreError> {
        if self.busy {
            return Err(CoreError::DbInUse { path: self.db_path.display().to_string() });
        }
        if let Some(e) = &self.startup_error {
            return Err(e.clone());
        }
        let mut guard = self.store.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?;
        drop(guard.take());
        let now = chrono::Local::now().naive_local();
        let today = self.today.unwrap_or_else(|| now.date());
        let req = RestoreRequest { ledger: &self.db_path, file, passphrase, confirmed, now, today };
        let result = backup::restore(&req, actor);
        match Store::open(&self.db_path, OpenMode::Existing) {
            Ok(mut store) => {
                if let Some(t) = self.today {
                    store.set_today(t);
                }
                *guard = Some(store);
            }
            Err(CoreError::DbNotFound { .. }) => {}
            // The restore's own error says more than the reopening's.
            Err(e) => return Err(result.err().unwrap_or(e)),
        }
        if result.is_ok() {
            // The restored books have their own sign-ins: the person stays signed in only if they
            // hold the same sign-in (same club, id and name), else whoever signs in next does so
            // to the restored books (another club's sign-in 1 is not ours).
            let still = match (guard.as_ref(), actor.sign_in()) {
                (Some(store), Some((club_id, id))) => match ishc_core::auth::list(store, club_id) {
                    Ok(all) => all.iter().any(|s| s.id == id && s.name == actor.name()),
                    // Sign-ins that cannot be read sign nobody in: the sign-in screen then says why.
                    Err(_) => false,
                },
                _ => false,
            };
            if !still {
                self.set_actor(None)?;
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_screen_makes_an_inbox_and_the_window_becomes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("so-sach.sqlite");
        let session = Session::start(path.clone(), None);
        assert!(!session.is_commune().unwrap());
        let input = ishc_core::commune::CommuneInput {
            level: ishc_core::commune::Level::Province,
            name: "Tỉnh Thanh Hóa".into(),
            district: String::new(),
            province: String::new(),
            deadline_day: 10,
            deadline_month: 12,
        };
        let officer = Actor::new("Cán bộ tỉnh").unwrap();
        // Refused: nothing is made, the window stays on its first screen.
        assert_eq!(session.create_commune(officer.clone(), &input, "ngắn").unwrap_err().code(), "input.invalid");
        assert!(!session.is_commune().unwrap() && !path.exists());
        let made = session.create_commune(officer.clone(), &input, "mật khẩu của tỉnh").unwrap();
        assert_eq!(made.name, "Tỉnh Thanh Hóa");
        assert!(session.is_commune().unwrap());
        assert_eq!(session.officer().unwrap().name(), "Cán bộ tỉnh", "named once, on the same screen");
        assert_eq!(session.with_commune(|c| c.commune()).unwrap().level, ishc_core::commune::Level::Province);
        assert_eq!(session.create_commune(officer, &input, "mật khẩu của tỉnh").unwrap_err().code(), "commune.exists");
        // The inbox is backed up as the books are: closing the window makes a generation beside it,
        // the hourly look finds it recent.
        let made = session.auto_backup(false).unwrap().unwrap();
        assert!(made.made.file_name.starts_with("so-sach-") && made.folder == dir.path().join("backups").display().to_string());
        assert!(session.auto_backup(true).unwrap().is_none());
        drop(session);
        // The next start opens it as an inbox.
        assert_eq!(Session::start(path, None).with_commune(|c| c.commune()).unwrap().name, "Tỉnh Thanh Hóa");
    }

    #[test]
    fn a_commune_ledger_opens_the_commune_pages_and_a_club_ledger_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("xa.sqlite");
        {
            let mut c = CommuneStore::open(&path, true).unwrap();
            let input = ishc_core::commune::CommuneInput {
                level: ishc_core::commune::Level::Commune,
                name: "Xã Quảng Hòa".into(),
                district: String::new(),
                province: "Tỉnh Thanh Hóa".into(),
                deadline_day: 10,
                deadline_month: 12,
            };
            ishc_core::commune::ledger::init(&mut c, &Actor::new("Cán bộ xã").unwrap(), &input, "mật khẩu của xã").unwrap();
        }
        let session = Session::start(path, None);
        assert!(session.startup_error.is_none());
        assert!(session.store.lock().unwrap().is_none(), "no club store on a commune ledger");
        assert_eq!(session.with_commune(|c| c.commune()).unwrap().name, "Xã Quảng Hòa");
        assert_eq!(session.officer().unwrap_err().code(), "auth.signed_out", "nobody named yet");
        drop(session);
        let (_club_dir, club_db, today) = demo_books(4);
        let club = Session::start(club_db, Some(today));
        assert!(!club.is_commune().unwrap());
        assert_eq!(club.with_commune(|c| c.commune()).unwrap_err().code(), "commune.missing");
        drop(club);
    }

    #[test]
    fn a_second_session_on_the_same_books_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        let first = Session::start(db.clone(), None);
        assert!(!first.busy);
        let second = Session::start(db.clone(), None);
        assert!(second.busy);
        assert_eq!(second.with_store(true, |_| Ok(())).unwrap_err().code(), "db.in_use");
        drop(first);
        assert!(!Session::start(db, None).busy);
    }

    #[test]
    fn the_window_restores_by_closing_swapping_and_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        {
            let mut store = Store::open(&db, OpenMode::CreateIfMissing).unwrap();
            store.set_today(today);
            ishc_core::demo::build(&mut store, ishc_core::demo::DemoOptions { years: 1, members: 12, seed: 3 }).unwrap();
        }
        let session = Session::start(db.clone(), Some(today));
        let count = || session.with_store(false, |st| Ok(ishc_core::roster::club::list(st)?.len())).unwrap();
        let made = session.auto_backup(false).unwrap().expect("a backup");
        assert!(session.auto_backup(true).unwrap().is_none(), "one was made a moment ago");
        assert!(session.last_auto_error.lock().unwrap().is_none());
        // A restore is the chair's (or vice-chair's), signed in on these books.
        let actor = session
            .with_store(false, |st| {
                let club = ishc_core::roster::club::list(st)?[0].id;
                let chair = ishc_core::auth::list(st, club)?.into_iter().find(|s| s.roles == vec![ishc_core::auth::AuthRole::Chair]).unwrap();
                ishc_core::auth::sign_in(st, club, &chair.name, "1111")
            })
            .unwrap();
        let done = session.restore(std::path::Path::new(&made.made.path), None, false, &actor).unwrap();
        assert!(done.kept_as.is_some());
        assert_eq!(count(), 1, "the restored books are open in the window");
        // A refused backup leaves the window on its books.
        let err = session.restore(&dir.path().join("none.sqlite"), None, false, &actor).unwrap_err();
        assert_eq!(err.code(), "file.unreadable");
        assert_eq!(count(), 1);
        drop(session);
    }

    /// Demo books in a scratch folder, removed when the returned `TempDir` is dropped.
    fn demo_books(seed: u64) -> (tempfile::TempDir, PathBuf, NaiveDate) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        let today: NaiveDate = "2026-11-22".parse().unwrap();
        let mut store = Store::open(&db, OpenMode::CreateIfMissing).unwrap();
        store.set_today(today);
        ishc_core::demo::build(&mut store, ishc_core::demo::DemoOptions { years: 1, members: 12, seed }).unwrap();
        (dir, db, today)
    }

    /// The chairperson of the demo books, signed in with her demo PIN.
    fn sign_in_chair(session: &Session) -> Actor {
        session
            .with_store(false, |st| {
                let club = ishc_core::roster::club::list(st)?[0].id;
                let chair = ishc_core::auth::list(st, club)?
                    .into_iter()
                    .find(|s| s.roles.contains(&ishc_core::auth::AuthRole::Chair))
                    .expect("the demo has a chairperson's sign-in");
                ishc_core::auth::sign_in(st, club, &chair.name, "1111")
            })
            .unwrap()
    }

    #[test]
    fn the_session_writes_only_as_whoever_signed_in_and_forgets_them_on_lock() {
        let (_dir, db, today) = demo_books(5);
        let session = Session::start(db, Some(today));
        assert_eq!(session.actor().unwrap_err().code(), "auth.signed_out", "nobody is signed in at start");
        let chair = sign_in_chair(&session);
        assert!(chair.sign_in().is_some());
        session.set_actor(Some(chair.clone())).unwrap();
        assert_eq!(session.actor().unwrap(), chair);
        session.set_actor(None).unwrap();
        assert_eq!(session.actor().unwrap_err().code(), "auth.signed_out", "locking forgets her");
        drop(session);
    }

    #[test]
    fn a_restore_of_the_same_books_keeps_the_sign_in_and_another_clubs_forgets_it() {
        let (_dir, db, today) = demo_books(6);
        let session = Session::start(db, Some(today));
        let chair = sign_in_chair(&session);
        session.set_actor(Some(chair.clone())).unwrap();
        let ours = session.auto_backup(false).unwrap().expect("a backup");
        session.restore(std::path::Path::new(&ours.made.path), None, false, &chair).unwrap();
        assert_eq!(session.actor().unwrap(), chair, "the same books: still signed in");
        // Another club's books (other names), whose sign-in with the same id is someone else.
        let (_other_dir, other_db, _) = demo_books(7);
        let other = Store::open(&other_db, OpenMode::Existing).unwrap();
        let theirs = backup::auto_backup(&other, None, chrono::Local::now().naive_local()).unwrap();
        drop(other);
        session.restore(std::path::Path::new(&theirs.made.path), None, true, &chair).unwrap();
        assert_eq!(session.actor().unwrap_err().code(), "auth.signed_out", "another club's books: nobody is signed in");
        drop(session);
    }
}
