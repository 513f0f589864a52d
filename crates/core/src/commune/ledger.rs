//! The commune's own ledger: a SQLite file marked `ISCM` (never a club ledger, which is `ISHC`), its
//! schema as an ordered list of steps (`user_version` counts them, pending steps in one transaction),
//! WAL and `synchronous=FULL` like the club ledger, every write in one immediate transaction with its
//! row in the append-only `audit_log`. The commune's signing key is made here with the key module's
//! generator (minisign, encrypted with the officer's passphrase).

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Field, Result, Rule};
use crate::signing::key;
use crate::store::audit::Actor;
use crate::text;

/// 'ISCM' in ASCII: marks a SQLite file as a commune ledger.
pub const APPLICATION_ID: i64 = 0x4953_434D;

/// The schema, step by step. Never edit a step that has shipped: add one.
pub const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE commune (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL, district TEXT NOT NULL, province TEXT NOT NULL,
    deadline_day INTEGER NOT NULL CHECK (deadline_day BETWEEN 1 AND 31),
    deadline_month INTEGER NOT NULL CHECK (deadline_month BETWEEN 1 AND 12),
    created_at TEXT NOT NULL, created_by TEXT NOT NULL
);
CREATE TABLE commune_key (
    id INTEGER PRIMARY KEY,
    key_id TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE, secret_box TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL
);
CREATE TABLE club (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL, hamlet TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,
    registered_at TEXT NOT NULL, registered_by TEXT NOT NULL
);
CREATE TABLE club_key (
    id INTEGER PRIMARY KEY,
    club_id INTEGER NOT NULL REFERENCES club(id),
    key_id TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL UNIQUE,
    how TEXT NOT NULL CHECK (how IN ('card', 'rotation')),
    replaces INTEGER REFERENCES club_key(id),
    from_sequence INTEGER,
    added_at TEXT NOT NULL, added_by TEXT NOT NULL,
    retired_at TEXT, retired_at_sequence INTEGER
);
CREATE UNIQUE INDEX club_key_current ON club_key(club_id) WHERE retired_at IS NULL;
CREATE TABLE received (
    id INTEGER PRIMARY KEY,
    club_id INTEGER NOT NULL REFERENCES club(id),
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    sha256 TEXT NOT NULL UNIQUE,
    previous_sha256 TEXT,
    period_label TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL, received_on TEXT NOT NULL, received_by TEXT NOT NULL,
    source TEXT NOT NULL,
    gap_before INTEGER NOT NULL CHECK (gap_before IN (0, 1)),
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    report_json TEXT,
    UNIQUE (club_id, sequence)
);
CREATE INDEX received_period ON received(period_from, period_to, club_id, sequence);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, entity_id INTEGER, detail TEXT NOT NULL
);
CREATE TRIGGER received_no_update BEFORE UPDATE ON received
    BEGIN SELECT RAISE(ABORT, 'received bundles are kept as received'); END;
CREATE TRIGGER received_no_delete BEFORE DELETE ON received
    BEGIN SELECT RAISE(ABORT, 'received bundles are kept as received'); END;
CREATE TRIGGER received_no_replace BEFORE INSERT ON received
    WHEN EXISTS (SELECT 1 FROM received WHERE id = NEW.id OR sha256 = NEW.sha256
                 OR (club_id = NEW.club_id AND sequence = NEW.sequence))
    BEGIN SELECT RAISE(ABORT, 'received bundles are kept as received'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER club_no_delete BEFORE DELETE ON club BEGIN SELECT RAISE(ABORT, 'clubs are never deleted'); END;
CREATE TRIGGER club_key_no_delete BEFORE DELETE ON club_key BEGIN SELECT RAISE(ABORT, 'keys are never deleted'); END;
CREATE TRIGGER club_key_retire_once BEFORE UPDATE ON club_key
    WHEN OLD.retired_at IS NOT NULL OR NEW.retired_at IS NULL
      OR NEW.id IS NOT OLD.id OR NEW.club_id IS NOT OLD.club_id OR NEW.public_key IS NOT OLD.public_key
      OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.key_id IS NOT OLD.key_id OR NEW.how IS NOT OLD.how
      OR NEW.replaces IS NOT OLD.replaces OR NEW.from_sequence IS NOT OLD.from_sequence
    BEGIN SELECT RAISE(ABORT, 'a key is only ever retired, once'); END;
CREATE TRIGGER club_key_no_replace BEFORE INSERT ON club_key
    WHEN EXISTS (SELECT 1 FROM club_key WHERE id = NEW.id OR public_key = NEW.public_key)
    BEGIN SELECT RAISE(ABORT, 'keys are never replaced'); END;
"#, r#"
ALTER TABLE commune ADD COLUMN level TEXT NOT NULL DEFAULT 'commune' CHECK (level IN ('commune', 'district', 'province'));
CREATE TABLE sent (
    id INTEGER PRIMARY KEY,
    sequence INTEGER NOT NULL UNIQUE CHECK (sequence >= 1),
    sha256 TEXT NOT NULL UNIQUE,
    period_label TEXT NOT NULL,
    file_name TEXT NOT NULL,
    key_id TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    manifest TEXT NOT NULL, manifest_signature TEXT NOT NULL
);
CREATE TRIGGER sent_no_update BEFORE UPDATE ON sent BEGIN SELECT RAISE(ABORT, 'sent bundles are kept as sent'); END;
CREATE TRIGGER sent_no_delete BEFORE DELETE ON sent BEGIN SELECT RAISE(ABORT, 'sent bundles are kept as sent'); END;
CREATE TRIGGER commune_level_fixed BEFORE UPDATE OF level ON commune WHEN NEW.level IS NOT OLD.level
    BEGIN SELECT RAISE(ABORT, 'an inbox keeps its level'); END;
"#];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Where the commune ledger lives when nobody says: beside the club ledger's default,
/// `commune.sqlite` in the platform's data folder. `ISHC_COMMUNE_DB` and `--db` override it.
pub fn default_path() -> PathBuf {
    crate::store::default_path().with_file_name("commune.sqlite")
}

/// Which level an inbox is, and so what it receives: a commune receives its clubs' report bundles,
/// a district its communes' roll-up bundles, a province its districts'. The same code one level up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Commune,
    District,
    Province,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Commune, Level::District, Level::Province];

    pub fn code(self) -> &'static str {
        match self {
            Level::Commune => "commune",
            Level::District => "district",
            Level::Province => "province",
        }
    }

    /// `commune`, `district` or `province`; anything else is refused naming the field.
    pub fn parse(s: &str) -> Result<Level> {
        Level::ALL.into_iter().find(|l| l.code() == s.trim()).ok_or_else(|| {
            CoreError::invalid(Field::CommuneLevel, Rule::OneOf { allowed: Level::ALL.iter().map(|l| l.code().to_string()).collect() })
        })
    }

    /// The level whose roll-ups this one receives (None for a commune, which receives clubs' reports).
    pub fn below(self) -> Option<Level> {
        match self {
            Level::Commune => None,
            Level::District => Some(Level::Commune),
            Level::Province => Some(Level::District),
        }
    }
}

/// The commune's profile (or the district's, or the province's: `level`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Commune {
    pub level: Level,
    pub name: String,
    pub district: String,
    pub province: String,
    /// The yearly report is due on this day and month of the year it covers (default 10 December).
    pub deadline_day: u32,
    pub deadline_month: u32,
    /// The commune's signing key (for its own roll-up bundles): its fingerprint.
    pub key_fingerprint: String,
    pub created_at: String,
}

/// What `init` needs (the window's first screen sends it as it is).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, TS)]
pub struct CommuneInput {
    pub level: Level,
    pub name: String,
    pub district: String,
    pub province: String,
    pub deadline_day: u32,
    pub deadline_month: u32,
}

pub struct CommuneStore {
    pub(crate) conn: Connection,
    today: NaiveDate,
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl CommuneStore {
    /// Open the commune ledger at `path` (`create`: make the file if it is missing). A club ledger, a
    /// foreign or a newer file is refused before anything is written to it.
    pub fn open(path: &Path, create: bool) -> Result<CommuneStore> {
        let (conn, shown) = crate::store::open_file(path, create)?;
        Self::prepare(conn, &shown)
    }

    pub fn open_in_memory() -> Result<CommuneStore> {
        Self::prepare(Connection::open_in_memory()?, ":memory:")
    }

    /// An inbox from a whole SQLite image (a backup read back), in memory: nothing on disk is
    /// touched. Refused as `open` refuses a file: a club ledger, a foreign or a newer image.
    pub(crate) fn from_image(bytes: &[u8], shown: &str) -> Result<CommuneStore> {
        let mut conn = Connection::open_in_memory()?;
        conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), false)
            .map_err(|e| CoreError::BackupDamaged { path: shown.to_string(), detail: e.to_string() })?;
        Self::prepare(conn, shown)
    }

    fn prepare(mut conn: Connection, shown: &str) -> Result<CommuneStore> {
        let h = crate::store::header(&conn, shown)?;
        if h.app_id == crate::store::migrations::APPLICATION_ID {
            return Err(CoreError::CommuneWrongFile { path: shown.to_string() });
        }
        if h.app_id != APPLICATION_ID && (h.app_id != 0 || h.tables > 0) {
            return Err(CoreError::DbCorrupt { path: shown.to_string(), detail: "not a commune ledger".into() });
        }
        if h.version > LATEST {
            return Err(CoreError::DbTooNew { found: h.version, supported: LATEST });
        }
        crate::store::set_money_settings(&conn, shown)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current < LATEST {
            for step in &MIGRATIONS[current as usize..] {
                tx.execute_batch(step)?;
            }
            tx.execute_batch(&format!("PRAGMA user_version = {LATEST}; PRAGMA application_id = {APPLICATION_ID};"))?;
        }
        tx.commit()?;
        Ok(CommuneStore { conn, today: chrono::Local::now().date_naive() })
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn set_today(&mut self, today: NaiveDate) {
        self.today = today;
    }

    /// Run `f` in one immediate transaction: all of it lands, or none.
    pub(crate) fn write<T>(&mut self, actor: &Actor, f: impl FnOnce(&mut CommuneWriter<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = CommuneWriter { tx, actor: actor.clone() };
        let out = f(&mut w)?;
        w.tx.commit()?;
        Ok(out)
    }

    /// The commune's profile; `commune.missing` before `init`.
    pub fn commune(&self) -> Result<Commune> {
        read_commune(&self.conn)
    }
}

/// The commune's public key as a `.pub` file (what the level above registers, with the
/// fingerprint read from the commune), and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublicKeyFile {
    pub name: String,
    pub fingerprint: String,
    pub public_key_file: String,
}

pub fn public_key_file(store: &CommuneStore) -> Result<PublicKeyFile> {
    let c = store.commune()?;
    let public_key: String =
        store.conn.query_row("SELECT public_key FROM commune_key WHERE id = (SELECT max(id) FROM commune_key)", [], |r| r.get(0))?;
    let pk = key::parse_public_key(&public_key)?;
    Ok(PublicKeyFile { fingerprint: key::fingerprint(&pk), public_key_file: key::public_key_file(&key::key_id_of(&pk), &c.name, &public_key), name: c.name })
}

fn read_commune(conn: &Connection) -> Result<Commune> {
    conn.query_row(
        "SELECT c.name, c.district, c.province, c.deadline_day, c.deadline_month, c.created_at, k.public_key, c.level
         FROM commune c JOIN commune_key k ON k.id = (SELECT max(id) FROM commune_key) WHERE c.id = 1",
        [],
        |r| {
            let public_key: String = r.get(6)?;
            let key_fingerprint = key::fingerprint_of_text(&public_key)
                .map_err(|_| crate::error::damaged("commune_key", 1, "public_key", &public_key))?;
            let level: String = r.get(7)?;
            let level = Level::parse(&level).map_err(|_| crate::error::damaged("commune", 1, "level", &level))?;
            Ok(Commune {
                level,
                name: r.get(0)?,
                district: r.get(1)?,
                province: r.get(2)?,
                deadline_day: r.get(3)?,
                deadline_month: r.get(4)?,
                created_at: r.get(5)?,
                key_fingerprint,
            })
        },
    )
    .optional()?
    .ok_or(CoreError::CommuneMissing)
}

/// A write in progress on the commune ledger.
pub struct CommuneWriter<'a> {
    pub(crate) tx: Transaction<'a>,
    pub(crate) actor: Actor,
}

impl CommuneWriter<'_> {
    /// One row in the commune's audit trail, in the same transaction as the change.
    pub(crate) fn audit(&self, action: &str, entity_id: Option<i64>, detail: serde_json::Value) -> Result<()> {
        self.tx.execute(
            "INSERT INTO audit_log (at, actor, action, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now(), self.actor.name(), action, entity_id, detail.to_string()],
        )?;
        Ok(())
    }
}

/// A day of the year the year's report is due: a day every year has (29/02 is refused).
fn check_deadline(day: u32, month: u32) -> Result<(u32, u32)> {
    if NaiveDate::from_ymd_opt(2025, month, day).is_none() {
        return Err(CoreError::invalid(Field::ClubReportDeadline, Rule::Unknown { value: format!("{day:02}/{month:02}") }));
    }
    Ok((day, month))
}

/// Change the day the year's report is due (the provincial plans say 10 or 13 December). Who is
/// late is always judged by the deadline set now, for every period; the change is audited with
/// the old and the new day.
pub fn set_deadline(store: &mut CommuneStore, actor: &Actor, day: u32, month: u32) -> Result<Commune> {
    let (d, m) = check_deadline(day, month)?;
    store.write(actor, |w| {
        // The day it replaces, read in the same transaction as the change the audit row describes.
        let before = read_commune(&w.tx)?;
        w.tx.execute("UPDATE commune SET deadline_day = ?1, deadline_month = ?2 WHERE id = 1", params![d, m])?;
        w.audit(
            "commune.deadline",
            Some(1),
            serde_json::json!({ "from": format!("{:02}/{:02}", before.deadline_day, before.deadline_month), "to": format!("{d:02}/{m:02}") }),
        )?;
        read_commune(&w.tx)
    })
}

/// Make the commune: its profile and its signing key (encrypted with `passphrase`), in one
/// transaction. Refused (`commune.exists`) when the file already holds a commune.
pub fn init(store: &mut CommuneStore, actor: &Actor, input: &CommuneInput, passphrase: &str) -> Result<Commune> {
    // A district is named as its own district, a province as its own province: `import` judges
    // whose bundles are ours by those fields.
    let (name_field, district_field) = match input.level {
        Level::Commune => (Field::ClubCommune, Field::ClubDistrict),
        Level::District | Level::Province => (Field::CommuneLevelName, Field::ClubDistrict),
    };
    let name = text::required(&input.name, name_field, 100)?;
    let (district, province) = match input.level {
        Level::Commune => (text::bounded(&input.district, district_field, 100)?, text::required(&input.province, Field::ClubProvince, 100)?),
        Level::District => (name.clone(), text::required(&input.province, Field::ClubProvince, 100)?),
        Level::Province => (String::new(), name.clone()),
    };
    let (d, m) = check_deadline(input.deadline_day, input.deadline_month)?;
    let passphrase = key::check_passphrase(passphrase, Field::Passphrase)?;
    if let Ok(existing) = store.commune() {
        return Err(CoreError::CommuneExists { name: existing.name });
    }
    let (pk, secret_box) = key::generate(&passphrase, "ishc commune key (encrypted with the officer's passphrase)")?;
    store.write(actor, |w| {
        let at = now();
        w.tx.execute(
            "INSERT INTO commune (id, name, district, province, deadline_day, deadline_month, created_at, created_by, level)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![name, district, province, d, m, at, w.actor.name(), input.level.code()],
        )?;
        w.tx.execute(
            "INSERT INTO commune_key (key_id, public_key, secret_box, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key::key_id_of(&pk), pk.to_base64(), secret_box, at, w.actor.name()],
        )?;
        w.audit(
            "commune.init",
            Some(1),
            serde_json::json!({
                "level": input.level.code(), "name": name, "district": district, "province": province, "fingerprint": key::fingerprint(&pk),
            }),
        )?;
        read_commune(&w.tx)
    })
}

/// Make a new inbox ledger at `path` with its commune (`init`), as the window's first screen does
/// on a laptop that keeps no books yet. When the file was not there before and anything is
/// refused (a field, the passphrase, the disk), the file made for it is removed again, so the next
/// start does not open an inbox with no commune in it. A file already there is left as it was
/// found: a club ledger is refused (`commune.wrong_file`), a commune's is `commune.exists`.
pub fn create(path: &Path, actor: &Actor, input: &CommuneInput, passphrase: &str) -> Result<(CommuneStore, Commune)> {
    let existed = path.exists();
    let made = CommuneStore::open(path, true).and_then(|mut store| {
        let c = init(&mut store, actor, input, passphrase)?;
        Ok((store, c))
    });
    if made.is_err() && !existed {
        // The connection is closed by now; SQLite's side files go with the file.
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            match std::fs::remove_file(&side) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(CoreError::FileUnreadable { path: Path::new(&side).display().to_string(), detail: e.to_string() }),
            }
        }
    }
    made
}
