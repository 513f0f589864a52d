//! The one SQLite file that holds an installation's books. Opening it checks what it is before
//! anything is written, then migrates it forward in one transaction.
//!
//! Invariants this folder owns:
//! - Every write goes through `Store::write` in one transaction and leaves its audit row (`audit`).
//! - The schema only moves forward, all pending steps in one transaction (`migrations`).
//! - Every domain row is covered by the seal chain, so a change behind the app's back is found
//!   (`seal`).

pub mod audit;
pub mod backup;
pub mod lock;
pub mod migrations;
pub(crate) mod seal;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::store::audit::Actor;
use crate::error::{CoreError, Result};
use migrations::APPLICATION_ID;

/// The head of an empty hash chain (the journal's per club, the seal chain's): 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub struct Store {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
    today: NaiveDate,
    /// Whether this connection has the seal chain's TEMP triggers (installed before its first write:
    /// a read-only command never needs them, and creating 72 triggers is most of its start-up).
    sealing: bool,
    /// Reads kept while the books are unchanged (`memo`): the window asks for the same roster on
    /// every page, and a report asks for it six times.
    memo: std::cell::RefCell<Memo>,
}

/// What a memo was read from: SQLite's `data_version` (moves when another connection commits) and
/// this connection's `total_changes` (moves with every row it writes, rolled back or not).
type Stamp = (i64, u64);
type Memo = std::collections::HashMap<(&'static str, i64), (Stamp, std::sync::Arc<dyn std::any::Any + Send + Sync>)>;

/// Whether `open` may create a new, empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    Existing,
    CreateIfMissing,
}

/// Where the books live when nobody says: the platform's data folder (on Linux
/// `~/.local/share/ishc/ledger.sqlite`). `ISHC_DB` and `--db` override it.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("vn", "ISHC", "ishc")
        .map(|d| d.data_dir().join("ledger.sqlite"))
        .unwrap_or_else(|| PathBuf::from("ishc-ledger.sqlite"))
}

impl Store {
    /// `read` once per club while the books are unchanged: the same value again until any row is
    /// written on this connection or another connection commits. Only for reads of whole tables
    /// of a club that nothing but rows of this file decides (not today's date, not a setting
    /// outside the file).
    pub(crate) fn memo<T: std::any::Any + Send + Sync>(
        &self,
        what: &'static str,
        club_id: i64,
        read: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<std::sync::Arc<T>> {
        let data_version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let stamp = (data_version, self.conn.total_changes());
        if let Some((at, value)) = self.memo.borrow().get(&(what, club_id)) {
            if *at == stamp {
                if let Ok(v) = value.clone().downcast::<T>() {
                    return Ok(v);
                }
            }
        }
        let value = std::sync::Arc::new(read(&self.conn)?);
        self.memo.borrow_mut().insert((what, club_id), (stamp, value.clone()));
        Ok(value)
    }

    /// Open the database at `path`. A missing file is an error unless `mode` allows creating it; a
    /// read-only, foreign, damaged or newer file is refused before anything is written to it.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let (conn, shown) = open_file(path, mode == OpenMode::CreateIfMissing)?;
        let mut store = Store { conn, path: Some(path.to_path_buf()), today: chrono::Local::now().date_naive(), sealing: false, memo: Default::default() };
        store.prepare(&shown)?;
        Ok(store)
    }

    /// A private, in-memory database: for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: None, today: chrono::Local::now().date_naive(), sealing: false, memo: Default::default() };
        store.prepare(":memory:")?;
        Ok(store)
    }

    fn prepare(&mut self, shown: &str) -> Result<()> {
        // Read the header first: a foreign or damaged file fails here, untouched.
        let h = header(&self.conn, shown)?;
        if h.app_id != APPLICATION_ID && (h.app_id != 0 || h.tables > 0) {
            return Err(CoreError::DbCorrupt { path: shown.to_string(), detail: "not a club ledger".into() });
        }
        if h.version > migrations::LATEST {
            return Err(CoreError::DbTooNew { found: h.version, supported: migrations::LATEST });
        }
        set_money_settings(&self.conn, shown)?;
        migrations::migrate(&mut self.conn)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The club's calendar date used for "not in the future" checks. Fixed by tests and demos.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn set_today(&mut self, today: NaiveDate) {
        self.today = today;
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Run `f` in one immediate transaction that also records who acted: all of it lands, or none.
    /// Refused when a safeguard of the books is missing (`missing_triggers`); every row the write
    /// touched is sealed before it commits (`seal.rs`).
    /// Domain writes use `act`, which asks the permission table first; `write` itself is for the
    /// sign-ins' own bookkeeping, a new club's founding and the program's named paths.
    pub(crate) fn write<T>(&mut self, actor: &Actor, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let mut w = self.begin(actor)?;
        let out = f(&mut w)?;
        crate::store::seal::flush(&w.tx)?;
        w.tx.commit()?;
        Ok(out)
    }

    /// **Every domain write of a club goes through here**: `write`, refused unless the actor holds
    /// a role the permission table (`auth::permissions`) gives `action`, read inside the same
    /// transaction as of its day, so a role that has ended has ended its rights.
    pub(crate) fn act<T>(
        &mut self,
        actor: &Actor,
        club_id: i64,
        action: crate::auth::permissions::Action,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write(actor, |w| {
            crate::auth::permissions::require_in(w, club_id, action)?;
            f(w)
        })
    }

    fn begin(&mut self, actor: &Actor) -> Result<Writer<'_>> {
        if !self.sealing {
            crate::store::seal::install(&self.conn)?;
            self.sealing = true;
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(name) = missing_triggers(&tx)?.into_iter().next() {
            return Err(CoreError::DbTriggerMissing { name });
        }
        crate::store::seal::reset(&tx)?;
        Ok(Writer { tx, actor: actor.clone(), today: self.today })
    }

    /// Like `write`, but `f` decides whether the transaction lands: `(value, true)` commits,
    /// `(value, false)` rolls everything back (a dry run that went through every rule).
    pub(crate) fn write_or_roll_back<T>(
        &mut self,
        actor: &Actor,
        f: impl FnOnce(&mut Writer<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let mut w = self.begin(actor)?;
        let (out, keep) = f(&mut w)?;
        if keep {
            crate::store::seal::flush(&w.tx)?;
            w.tx.commit()?;
        } else {
            w.tx.rollback()?;
        }
        Ok(out)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run a whole read (a page of the window, a report) as one read transaction: every query
    /// sees the same books, even while another window or command commits, and the file's locks
    /// are taken once. Outside a transaction each statement took and dropped them itself (a
    /// 30-year club's report made 1,200 lock and stat calls for its 200 statements). Inside a
    /// write or another read it simply runs. `read` must not write.
    pub(crate) fn snapshot<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return read();
        }
        /// Ends the read transaction however `read` ends, a panic included: a transaction left
        /// open would refuse every later write on this connection (the window keeps it for hours).
        struct Open<'c>(&'c Connection);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                if !self.0.is_autocommit() {
                    // Nothing was written: rolling back only lets the snapshot go, and cannot
                    // lose anything; an error here has no one to tell.
                    let _ = self.0.execute_batch("ROLLBACK");
                }
            }
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let open = Open(&self.conn);
        let out = read();
        let end = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        drop(open);
        let value = out?;
        end?;
        Ok(value)
    }
}

/// The triggers a fully migrated ledger has (name → SQL), from the migrations themselves.
fn expected_triggers() -> Result<&'static BTreeMap<String, String>> {
    static EXPECTED: OnceLock<std::result::Result<BTreeMap<String, String>, String>> = OnceLock::new();
    let expected = EXPECTED.get_or_init(|| {
        let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
        migrations::migrate(&mut conn).map_err(|e| e.to_string())?;
        triggers(&conn).map_err(|e| e.to_string())
    });
    expected.as_ref().map_err(|detail| CoreError::Storage { detail: detail.clone() })
}

fn triggers(conn: &Connection) -> Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger'")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How the file's triggers differ from those its migrations made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TriggerDiff {
    pub missing: Vec<String>,
    pub changed: Vec<String>,
    pub unexpected: Vec<String>,
}

pub(crate) fn trigger_diff(conn: &Connection) -> Result<TriggerDiff> {
    let expected = expected_triggers()?;
    let found = triggers(conn)?;
    let mut diff = TriggerDiff::default();
    for (name, sql) in expected {
        match found.get(name) {
            None => diff.missing.push(name.clone()),
            Some(s) if s != sql => diff.changed.push(name.clone()),
            Some(_) => {}
        }
    }
    diff.unexpected = found.keys().filter(|n| !expected.contains_key(*n)).cloned().collect();
    Ok(diff)
}

/// The guarding triggers that are gone or were changed: the store refuses to write then.
fn missing_triggers(conn: &Connection) -> Result<Vec<String>> {
    let diff = trigger_diff(conn)?;
    Ok(diff.missing.into_iter().chain(diff.changed).collect())
}

/// A write in progress: the transaction, who is acting, and the audit trail they leave.
pub struct Writer<'a> {
    pub(crate) tx: Transaction<'a>,
    pub(crate) actor: Actor,
    pub(crate) today: NaiveDate,
}

impl Writer<'_> {
    /// Record one change in the audit trail, inside the same transaction as the change.
    pub(crate) fn audit(
        &self,
        club_id: Option<i64>,
        action: &str,
        entity_id: Option<i64>,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO audit_log (at, actor, club_id, action, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                self.actor.name(),
                club_id,
                action,
                entity_id,
                detail.to_string()
            ],
        )?;
        Ok(())
    }
}

/// Open a ledger file (the club's or the commune's) for writing: a missing file is `db.not_found`
/// unless `create`, a folder is refused, a read-only file or folder is `db.read_only`, anything else
/// SQLite cannot open is `db.corrupt`. Returns the connection and the path as shown to a person.
/// The one way every ledger file is opened, so the two kinds of books cannot drift apart.
pub(crate) fn open_file(path: &Path, create: bool) -> Result<(Connection, String)> {
    let shown = path.display().to_string();
    let exists = path.exists();
    if !exists && !create {
        return Err(CoreError::DbNotFound { path: shown });
    }
    if exists && path.is_dir() {
        return Err(CoreError::DbCorrupt { path: shown, detail: "is a folder".into() });
    }
    if !exists {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|_| CoreError::DbReadOnly { path: shown.clone() })?;
        }
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) if !exists => CoreError::DbNotFound { path: shown.clone() },
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::ReadOnly) => {
            CoreError::DbReadOnly { path: shown.clone() }
        }
        _ => CoreError::DbCorrupt { path: shown.clone(), detail: e.to_string() },
    })?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(CoreError::DbReadOnly { path: shown });
    }
    Ok((conn, shown))
}

/// A stored day (`YYYY-MM-DD`, as rusqlite writes a `NaiveDate`) from column `i`. The ten-byte form
/// the app writes is read directly and validated by chrono's `from_ymd_opt`; anything else goes
/// through rusqlite's own conversion (chrono's `%F` parse), so what is accepted and the error for
/// what is not are the same as `row.get::<_, NaiveDate>(i)`. That parse runs the strftime machinery
/// for every value (about 1,000 instructions): a roster of 1,000 members reads 8,000 dates.
pub(crate) fn day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => match iso_day(t) {
            Some(d) => Ok(d),
            None => r.get(i),
        },
        _ => r.get(i),
    }
}

/// `day` for a column that may be NULL.
pub(crate) fn day_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        rusqlite::types::ValueRef::Text(t) => match iso_day(t) {
            Some(d) => Ok(Some(d)),
            None => r.get(i),
        },
        _ => r.get(i),
    }
}

/// Exactly `YYYY-MM-DD` (four, two and two ASCII digits) naming a real day, else `None`.
fn iso_day(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |digits: &[u8]| digits.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')));
    NaiveDate::from_ymd_opt(i32::try_from(num(&b[0..4])?).ok()?, num(&b[5..7])?, num(&b[8..10])?)
}

/// What a ledger file says it is, read before anything is written to it.
pub(crate) struct Header {
    pub version: i64,
    pub app_id: i64,
    pub tables: i64,
}

pub(crate) fn header(conn: &Connection, shown: &str) -> Result<Header> {
    let corrupt = |e: rusqlite::Error| CoreError::DbCorrupt { path: shown.to_string(), detail: e.to_string() };
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(corrupt)?;
    let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(corrupt)?;
    let tables = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(corrupt)?;
    Ok(Header { version, app_id, tables })
}

/// Money: WAL for crash safety, FULL sync so a committed write survives a power cut, foreign keys
/// on, and a writer that finds the books busy waits 5 s before it is told so. Every ledger, both kinds.
pub(crate) fn set_money_settings(conn: &Connection, shown: &str) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // rusqlite keeps 16 prepared statements by default; sealing a write alone prepares one per
    // table touched (24 tables), so a write's statements pushed each other out and were compiled
    // again, seal triggers and all, for every row (most of a long history's build time).
    conn.set_prepared_statement_cache_capacity(256);
    // The query planner's stability guarantee: one plan per statement, whatever is bound to it.
    // Without it the bundled SQLite (3.54) marks a parameter it might plan around and compiles the
    // statement again at every new binding: a lookup by (table, key) in a loop over rows was
    // compiled once per row (about 40 % of building a 30-year demo, by `perf`).
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(|e| CoreError::DbCorrupt { path: shown.to_string(), detail: e.to_string() })?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(|e| CoreError::DbCorrupt { path: shown.to_string(), detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_is_compiled_once_whatever_is_bound_to_it() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::build(&mut store, crate::demo::DemoOptions { years: 1, members: 12, seed: 5 }).unwrap();
        for sql in [
            "SELECT digest FROM seal WHERE tbl = ?1 AND row_key = ?2 ORDER BY id DESC LIMIT 1",
            "SELECT max(id) FROM journal_entry WHERE club_id = ?1 AND ?2 = ?2",
            "SELECT count(*) FROM loan l JOIN member m ON m.id = l.member_id WHERE l.club_id = ?1 AND ?2 = ?2",
        ] {
            for i in 0..5i64 {
                let mut stmt = store.conn().prepare_cached(sql).unwrap();
                let key = i.to_string();
                rusqlite::OptionalExtension::optional(stmt.query_row(rusqlite::params![i, key], |_| Ok(()))).unwrap();
                assert_eq!(stmt.get_status(rusqlite::StatementStatus::RePrepare), 0, "{sql} after {i} bindings");
            }
        }
    }

    #[test]
    fn a_memo_is_read_again_after_any_write_here_or_a_commit_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memo.sqlite");
        let store = Store::open(&path, OpenMode::CreateIfMissing).unwrap();
        store.conn().execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
        let reads = std::cell::Cell::new(0);
        let sum = |s: &Store| {
            *s.memo("t", 1, |c| {
                reads.set(reads.get() + 1);
                Ok(c.query_row("SELECT sum(x) FROM t", [], |r| r.get::<_, i64>(0))?)
            })
            .unwrap()
        };
        assert_eq!((sum(&store), sum(&store), reads.get()), (1, 1, 1), "unchanged books: read once");
        // Another club's memo is its own.
        assert_eq!(*store.memo("t", 2, |_| Ok(7i64)).unwrap(), 7);
        assert_eq!(sum(&store), 1);
        // A write on this connection, even one rolled back, reads again.
        store.conn().execute("INSERT INTO t VALUES (2)", []).unwrap();
        assert_eq!((sum(&store), reads.get()), (3, 2));
        store.conn().execute_batch("BEGIN; INSERT INTO t VALUES (100); ROLLBACK;").unwrap();
        assert_eq!((sum(&store), reads.get()), (3, 3));
        // Another connection's commit (another window, the CLI) reads again.
        let other = Connection::open(&path).unwrap();
        other.execute("INSERT INTO t VALUES (4)", []).unwrap();
        assert_eq!((sum(&store), reads.get()), (7, 4));
        assert_eq!((sum(&store), reads.get()), (7, 4));
    }

    #[test]
    fn a_read_sees_one_state_of_the_books_while_another_connection_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.sqlite");
        let store = Store::open(&path, OpenMode::CreateIfMissing).unwrap();
        store.conn().execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
        let other = Connection::open(&path).unwrap();
        let sum = |s: &Store| s.conn().query_row("SELECT sum(x) FROM t", [], |r| r.get::<_, i64>(0)).unwrap();
        let seen = store
            .snapshot(|| {
                let first = sum(&store);
                other.execute("INSERT INTO t VALUES (10)", []).unwrap();
                // Nested (a report reads the portfolio): the same transaction, the same state.
                let nested = store.snapshot(|| Ok(sum(&store))).unwrap();
                Ok((first, nested, sum(&store)))
            })
            .unwrap();
        assert_eq!(seen, (1, 1, 1), "the commit made during the read is not half-seen");
        assert!(store.conn().is_autocommit(), "the read transaction has ended");
        assert_eq!(sum(&store), 11, "the next read sees it");
        // A read that fails ends its transaction too, and its error is the one returned.
        let err = store.snapshot(|| -> Result<()> { Err(CoreError::ClubNotFound { id: 9 }) }).unwrap_err();
        assert_eq!(err.code(), "club.not_found");
        assert!(store.conn().is_autocommit());
        // So does one that panics (a bug): the connection can still write afterwards.
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.snapshot(|| -> Result<()> { panic!("a bug in a read") })
        }));
        assert!(caught.is_err());
        assert!(store.conn().is_autocommit(), "no transaction left open by the panic");
        store.conn().execute("INSERT INTO t VALUES (100)", []).unwrap();
        assert_eq!(sum(&store), 111);
    }

    #[test]
    fn a_stored_day_reads_as_rusqlite_reads_it() {
        let conn = Connection::open_in_memory().unwrap();
        let read = |v: rusqlite::types::Value| {
            conn.query_row("SELECT ?1", [v], |r| Ok((day_opt(r, 0), r.get::<_, Option<NaiveDate>>(0))))
                .unwrap()
        };
        for text in ["2025-12-31", "0001-01-01", "2024-02-29", "2023-02-29", "2025-13-01", "2025-1-05", "2025-01-5 ",
                     "+2025-01-05", "2025/01/05", "20250105", "", "2025-01-0x", "9999-12-31", "２０２５-01-05"] {
            let (ours, theirs) = read(rusqlite::types::Value::Text(text.into()));
            assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{text:?}");
            assert_eq!(ours.is_err(), theirs.is_err(), "{text:?}");
        }
        for v in [rusqlite::types::Value::Null, rusqlite::types::Value::Integer(20250105), rusqlite::types::Value::Real(1.5),
                  rusqlite::types::Value::Blob(b"2025-01-05".to_vec())] {
            let (ours, theirs) = read(v.clone());
            assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{v:?}");
            assert_eq!(ours.is_err(), theirs.is_err(), "{v:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_day_the_app_writes_reads_back_the_same(n in 0i32..3_652_059) {
            let d = NaiveDate::from_num_days_from_ce_opt(n + 1).unwrap();
            let text = d.format("%F").to_string();
            proptest::prop_assert_eq!(iso_day(text.as_bytes()), Some(d));
        }

        #[test]
        fn any_ten_bytes_read_as_chrono_reads_them(b in proptest::collection::vec(proptest::prop_oneof![
            proptest::char::range('0', '9'), proptest::strategy::Just('-'), proptest::char::any()], 10)) {
            let text: String = b.into_iter().collect();
            if let Some(d) = iso_day(text.as_bytes()) {
                proptest::prop_assert_eq!(NaiveDate::parse_from_str(&text, "%F").ok(), Some(d));
            }
        }
    }

    #[test]
    fn pragmas_are_set() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.sqlite"), OpenMode::CreateIfMissing).unwrap();
        let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let sync: i64 = store.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
        assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    }

    /// "Every change is audited" is enforced, not a convention: a write that changes the books
    /// without an audit row is refused and rolled back; the same write with its audit row lands.
    #[test]
    fn a_change_without_an_audit_row_is_refused_and_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.sqlite"), OpenMode::CreateIfMissing).unwrap();
        let actor = Actor::system("Trịnh Thị Loan").unwrap();
        const INSERT: &str = "INSERT INTO club (name, commune, district, province, founded_on, rounding_unit,
             target_preset, report_deadline_day, report_deadline_month, created_at)
             VALUES ('CLB', 'X', 'Y', 'Z', '2020-01-01', 1000, 'qd1336', 10, 12, '2026-01-01T00:00:00Z')";
        let count = |s: &Store| -> i64 { s.conn.query_row("SELECT count(*) FROM club", [], |r| r.get(0)).unwrap() };

        let err = store.write(&actor, |w| Ok(w.tx.execute(INSERT, [])?)).unwrap_err();
        assert_eq!(err, CoreError::DbUnaudited { table: "club".into() });
        assert_eq!(count(&store), 0, "the unaudited row must not land");
        let err = store.write_or_roll_back(&actor, |w| Ok((w.tx.execute(INSERT, [])?, true))).unwrap_err();
        assert_eq!(err.code(), "db.unaudited");
        assert_eq!(count(&store), 0);

        store
            .write(&actor, |w| {
                w.tx.execute(INSERT, [])?;
                w.audit(Some(w.tx.last_insert_rowid()), "club.create", None, serde_json::json!({}))
            })
            .unwrap();
        assert_eq!(count(&store), 1);
        // A write that changes nothing needs no audit row.
        store.write(&actor, |_| Ok(())).unwrap();
    }

    #[test]
    fn missing_file_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("none.sqlite");
        let err = Store::open(&p, OpenMode::Existing).err().unwrap();
        assert_eq!(err.code(), "db.not_found");
        assert!(!p.exists());
    }

    #[test]
    fn garbage_file_is_refused_and_left_as_is() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.sqlite");
        let bytes: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        let err = Store::open(&p, OpenMode::Existing).err().unwrap();
        assert_eq!(err.code(), "db.corrupt");
        assert_eq!(std::fs::read(&p).unwrap(), bytes);
    }

    #[test]
    fn foreign_sqlite_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("other.sqlite");
        Connection::open(&p).unwrap().execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
        let before = std::fs::read(&p).unwrap();
        assert_eq!(Store::open(&p, OpenMode::Existing).err().unwrap().code(), "db.corrupt");
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[test]
    fn newer_schema_is_refused_and_left_as_is() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.sqlite");
        drop(Store::open(&p, OpenMode::CreateIfMissing).unwrap());
        Connection::open(&p).unwrap().execute_batch("PRAGMA user_version = 999;").unwrap();
        let before = std::fs::read(&p).unwrap();
        let err = Store::open(&p, OpenMode::Existing).err().unwrap();
        assert_eq!(err, CoreError::DbTooNew { found: 999, supported: migrations::LATEST });
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }
}
