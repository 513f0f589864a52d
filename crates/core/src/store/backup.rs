//! Backups and restore: "never lose the books".
//!
//! - **A backup is a snapshot, written whole, then read back and checked.** The copy is taken with
//!   SQLite's online backup API in one step (one read transaction: a write landing meanwhile is
//!   wholly in it or not at all, and never restarts it), written under a hidden name and renamed
//!   (`files::write_atomic`), then read back from the disk: the bytes must be those written, and the
//!   file must open as ours (`application_id`), not newer than the app, pass `PRAGMA
//!   integrity_check` and `check::run` (what `ishc check` runs). A backup that fails any of it is
//!   deleted and the error says why; success is never reported for a file that was not read back.
//! - **Local generations** (`auto_backup`) stay on the laptop, like the ledger itself: plain SQLite
//!   files in `backups/` beside the ledger, `ledger-YYYY-MM-DD-HHMMSS.sqlite`, pruned by one pure
//!   rule (`keep`): the newest of each of the last 7 days, 4 ISO weeks and 12 months.
//! - **A backup for the USB stick leaves the building**, so it is encrypted: the age format
//!   (age-encryption.org/v1) with a passphrase (scrypt recipient), through the `age` crate, so the
//!   stock `age -d` tool opens it too. `so-sach-<club>-YYYY-MM-DD.ishc-backup.age`.
//! - **A restore checks the backup before it touches anything** (decrypts, ours, not newer, older
//!   migrated in memory, `check` passes), asks for a confirmation when the backup holds other clubs
//!   than the books, records `backup.restore` in the restored books' audit trail (through
//!   `Store::write`, so it is sealed), keeps the file it replaces beside it
//!   (`ledger.sqlite.before-restore-YYYYMMDD-HHMMSS`) and swaps by rename. The caller holds the
//!   books' lock (`store::lock`) and has no store open on them.
//!
//! Every file read from outside is capped (`MAX_BACKUP_BYTES`) before it is read or decrypted.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OpenFlags, MAIN_DB};
use serde::Serialize;
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, Field, Result};
use crate::store::audit::Actor;
use crate::store::{migrations, Store};
use crate::{check, files, roster::club};

/// The largest backup read (or decrypted) at all: a 10-year ledger is about 10 MiB.
pub const MAX_BACKUP_BYTES: u64 = 512 * 1024 * 1024;
/// scrypt's work factor for a stick backup (N = 2^18, 256 MiB, about a second): the stock `age`
/// tool's own choice, fixed so a backup made on a fast machine opens on the village laptop.
pub const SCRYPT_WORK_FACTOR: u8 = 18;
/// The most scrypt work a backup may ask for when it is opened (a hostile file could ask for
/// terabytes of memory).
pub const MAX_SCRYPT_WORK_FACTOR: u8 = 20;
/// How a stick backup's name ends.
pub const STICK_EXTENSION: &str = ".ishc-backup.age";
/// The folder of local generations, beside the ledger.
pub const BACKUPS_FOLDER: &str = "backups";
/// The most files `backup_files` lists in a folder.
pub const MAX_LISTED: usize = 500;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
const STAMP: &str = "%Y-%m-%d-%H%M%S";

/// A club found in a backup (or in the books it would replace).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
pub struct BackupClub {
    pub id: i64,
    pub name: String,
}

/// A backup file that was read back and checked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    pub bytes: u64,
    pub encrypted: bool,
    /// The schema version the backup was made with (an older one is migrated when restored).
    pub schema_version: i64,
    pub clubs: Vec<BackupClub>,
    pub members: u32,
}

/// One local generation in `backups/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Generation {
    pub path: String,
    pub file_name: String,
    /// When it was made, the laptop's local time (from its name).
    pub made_at: NaiveDateTime,
    pub bytes: u64,
}

/// What `auto_backup` did: the backup it made, what is kept now (newest first), what it removed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AutoBackup {
    pub made: BackupInfo,
    pub folder: String,
    pub kept: Vec<Generation>,
    pub removed: Vec<String>,
}

/// A file in a folder (the stick) that looks like a backup, by its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupFile {
    pub path: String,
    pub file_name: String,
    pub bytes: u64,
    pub encrypted: bool,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Restored {
    /// The books restored into.
    pub ledger: String,
    /// The backup restored from.
    pub from: String,
    pub encrypted: bool,
    /// Where the books it replaced were kept (none when there were none).
    pub kept_as: Option<String>,
    /// The backup's schema version, and the books' now (higher when it was migrated).
    pub backup_schema_version: i64,
    pub schema_version: i64,
    pub clubs: Vec<BackupClub>,
    pub members: u32,
    /// The clubs of the books it replaced.
    pub replaced_clubs: Vec<BackupClub>,
}

/// What `restore` is asked to do.
#[derive(Debug, Clone)]
pub struct RestoreRequest<'a> {
    /// The books to replace (they may not exist yet: a new laptop).
    pub ledger: &'a Path,
    /// The backup: a local generation (plain SQLite) or a stick backup (age).
    pub file: &'a Path,
    /// The stick backup's passphrase.
    pub passphrase: Option<&'a str>,
    /// Restore even though the backup holds other clubs than the books, or the books cannot be read
    /// to compare (the window's second click, `--yes`).
    pub confirmed: bool,
    /// The laptop's local time: names the kept file.
    pub now: NaiveDateTime,
    /// The club calendar's today, for the check.
    pub today: NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// Making a backup

/// Write a plain (unencrypted) backup of `store` to `path`, which must not exist: snapshot, atomic
/// write, read back, check. For the laptop only (see `backup_to_stick` for what leaves it).
pub fn backup_to(store: &Store, path: &Path) -> Result<BackupInfo> {
    let shown = path.display().to_string();
    if path.exists() {
        return Err(CoreError::BackupExists { path: shown });
    }
    let bytes = snapshot(&store.conn)?;
    write_new(path, &bytes)?;
    read_back(path, &bytes, None, store.today())
}

/// Write an encrypted backup of `store` for a USB stick into the folder `dir`, named after the
/// first club and `on` (`so-sach-<club>-YYYY-MM-DD.ishc-backup.age`, `-2`… when that exists).
/// The passphrase follows the passphrase rules (at least 8 characters; NFC). The file is read
/// back, decrypted and checked before this returns.
pub fn backup_to_stick(store: &Store, dir: &Path, passphrase: &str, on: NaiveDate) -> Result<BackupInfo> {
    let passphrase = crate::signing::key::check_passphrase(passphrase, Field::BackupPassphrase)?;
    if !dir.is_dir() {
        return Err(CoreError::BackupFolderMissing { path: dir.display().to_string() });
    }
    let clubs = club::list(store)?;
    let slug = clubs.first().map(|c| crate::signing::bundle::slug(&c.name)).unwrap_or_else(|| "clb".into());
    let base = format!("so-sach-{slug}-{}", on.format("%Y-%m-%d"));
    let path = files::numbered_name(
        |n| dir.join(if n == 1 { format!("{base}{STICK_EXTENSION}") } else { format!("{base}-{n}{STICK_EXTENSION}") }),
        |p| !p.exists() && !files::partial_name(p).exists(),
    )
    .ok_or_else(|| CoreError::BackupExists { path: dir.join(format!("{base}{STICK_EXTENSION}")).display().to_string() })?;
    let bytes = snapshot(&store.conn)?;
    let sealed = encrypt(&bytes, &passphrase, &path)?;
    drop(bytes);
    write_new(&path, &sealed)?;
    read_back(&path, &sealed, Some(&passphrase), store.today())
}

/// The books as one self-contained SQLite file image. All pages are copied in one step, so the
/// copy is one consistent moment of the books even while another connection writes.
pub(crate) fn snapshot(conn: &Connection) -> Result<Vec<u8>> {
    let mut mem = Connection::open_in_memory()?;
    {
        let copy = rusqlite::backup::Backup::new(conn, &mut mem)?;
        let mut waited = 0;
        loop {
            match copy.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                // Only when another connection holds a lock that blocks readers (never in WAL).
                _ if waited < 100 => {
                    waited += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => return Err(CoreError::Storage { detail: "the books stayed locked for five seconds".into() }),
            }
        }
    }
    let mut bytes = mem.serialize(MAIN_DB)?.to_vec();
    rollback_header(&mut bytes);
    Ok(bytes)
}

/// The header says WAL (file format versions 2 at offsets 18–19) when the copied books were in WAL
/// mode; a backup is one file with no WAL beside it, so it says "rollback journal" (1), as
/// `PRAGMA journal_mode = DELETE` would after a checkpoint. (An in-memory copy cannot run that
/// pragma; SQLite's file format, section 1.3.3.)
fn rollback_header(bytes: &mut [u8]) {
    if bytes.len() >= 100 && bytes.starts_with(SQLITE_MAGIC) && bytes[18] == 2 && bytes[19] == 2 {
        bytes[18] = 1;
        bytes[19] = 1;
    }
}

/// Write `bytes` as the new file `path` (hidden name, synced, renamed, folder synced).
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(CoreError::BackupFolderMissing { path: dir.display().to_string() });
        }
    }
    files::write_atomic(path, bytes, files::Overwrite::Refuse).map_err(|e| CoreError::BackupWriteFailed { path: shown, detail: e.to_string() })
}

/// Read the file just written back from the disk: the same bytes, and a backup that opens and
/// passes the check. Anything else deletes it.
fn read_back(path: &Path, written: &[u8], passphrase: Option<&str>, today: NaiveDate) -> Result<BackupInfo> {
    read_back_checked(path, written, |back| {
        let size = back.len() as u64;
        let (bytes, encrypted) = plaintext(back, &path.display().to_string(), passphrase)?;
        Ok(open_checked(bytes, path, encrypted, size, today)?.1)
    })
}

/// Read the file just written back from the disk: the same bytes as `written`, then `check` on them
/// (it opens the copy as what it should be). Anything else deletes the file; if even that fails,
/// the person hears both (a bad backup left behind must not be mistaken for a good one). Shared by
/// the club's books and the commune's inbox.
pub(crate) fn read_back_checked(path: &Path, written: &[u8], check: impl FnOnce(Vec<u8>) -> Result<BackupInfo>) -> Result<BackupInfo> {
    let shown = path.display().to_string();
    let result = (|| {
        let back = read_file(path)?;
        if back != written {
            return Err(CoreError::BackupWriteFailed { path: shown.clone(), detail: "the file read back differs from what was written".into() });
        }
        check(back)
    })();
    match result {
        Err(first) => match files::remove_leftover(path) {
            None => Err(first),
            Some(note) => Err(CoreError::BackupWriteFailed { path: shown, detail: format!("{first}; {note}") }),
        },
        ok => ok,
    }
}

fn encrypt(plain: &[u8], passphrase: &str, path: &Path) -> Result<Vec<u8>> {
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(SCRYPT_WORK_FACTOR);
    age::encrypt(&recipient, plain)
        .map_err(|e| CoreError::BackupWriteFailed { path: path.display().to_string(), detail: e.to_string() })
}

// ---------------------------------------------------------------------------------------------
// Reading a backup

/// A backup file's bytes, capped before reading (`backup.too_large`).
fn read_file(path: &Path) -> Result<Vec<u8>> {
    files::read_capped(path, MAX_BACKUP_BYTES).map_err(|e| match e {
        CoreError::FileTooLarge { path, .. } => CoreError::BackupTooLarge { path, max_mib: MAX_BACKUP_BYTES / (1024 * 1024) },
        e => e,
    })
}

/// The SQLite image in `bytes`: decrypted when it is an age file (by its first line, whatever its name).
fn plaintext(bytes: Vec<u8>, shown: &str, passphrase: Option<&str>) -> Result<(Vec<u8>, bool)> {
    if !bytes.starts_with(AGE_MAGIC) {
        return Ok((bytes, false));
    }
    let passphrase = passphrase
        .filter(|p| !p.is_empty())
        .ok_or_else(|| CoreError::BackupPassphraseNeeded { path: shown.to_string(), field: Field::BackupPassphrase })?;
    Ok((decrypt(&bytes, &passphrase.nfc().collect::<String>(), shown)?, true))
}

fn decrypt(sealed: &[u8], passphrase: &str, shown: &str) -> Result<Vec<u8>> {
    use age::DecryptError as E;
    let refused = |e: E| match e {
        E::DecryptionFailed | E::NoMatchingKeys | E::KeyDecryptionFailed => {
            CoreError::BackupWrongPassphrase { path: shown.to_string(), field: Field::BackupPassphrase }
        }
        e => CoreError::BackupUndecryptable { path: shown.to_string(), detail: e.to_string() },
    };
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(refused)?;
    if !decryptor.is_scrypt() {
        return Err(CoreError::BackupUndecryptable { path: shown.to_string(), detail: "not encrypted with a passphrase".into() });
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    let reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(refused)?;
    let mut out = Vec::with_capacity(sealed.len());
    reader
        .take(MAX_BACKUP_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| CoreError::BackupDamaged { path: shown.to_string(), detail: e.to_string() })?;
    if out.len() as u64 > MAX_BACKUP_BYTES {
        return Err(CoreError::BackupTooLarge { path: shown.to_string(), max_mib: MAX_BACKUP_BYTES / (1024 * 1024) });
    }
    Ok(out)
}

/// Open the SQLite image `bytes` in memory and check it: ours, not newer than the app, SQLite's
/// integrity check, migrated when older, then `check::run`. Returns the store (in memory: nothing
/// on disk is touched) and what it holds.
/// `size` is the file's size as read (the ciphertext's, for an encrypted one).
fn open_checked(mut bytes: Vec<u8>, path: &Path, encrypted: bool, size: u64, today: NaiveDate) -> Result<(Store, BackupInfo)> {
    let shown = path.display().to_string();
    if !bytes.starts_with(SQLITE_MAGIC) {
        return Err(CoreError::BackupNotOurs { path: shown });
    }
    rollback_header(&mut bytes);
    let damaged = |e: rusqlite::Error| CoreError::BackupDamaged { path: shown.clone(), detail: e.to_string() };
    let mut conn = Connection::open_in_memory()?;
    let len = bytes.len();
    conn.deserialize_read_exact(MAIN_DB, &bytes[..], len, false).map_err(damaged)?;
    drop(bytes);
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(damaged)?;
    if app_id != migrations::APPLICATION_ID {
        return Err(CoreError::BackupNotOurs { path: shown });
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(damaged)?;
    if version > migrations::LATEST {
        return Err(CoreError::BackupTooNew { path: shown, found: version, supported: migrations::LATEST });
    }
    // SQLite's own check, before a migration writes to the copy.
    let lines: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(damaged)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(damaged)?;
        rows.collect::<rusqlite::Result<_>>().map_err(damaged)?
    };
    if lines != ["ok"] {
        let detail: Vec<String> = lines.into_iter().take(5).collect();
        return Err(CoreError::BackupDamaged { path: shown, detail: detail.join("; ") });
    }
    let mut store = Store { conn, path: None, today, sealing: false, memo: Default::default() };
    store.prepare(&shown).map_err(|e| CoreError::BackupDamaged { path: shown.clone(), detail: e.to_string() })?;
    let report = check::run(&store).map_err(|e| CoreError::BackupDamaged { path: shown.clone(), detail: e.to_string() })?;
    if !report.ok {
        return Err(CoreError::BackupCheckFailed {
            path: shown,
            count: report.problems.len() as u32,
            problems: report.problems.into_iter().take(20).collect(),
        });
    }
    let clubs = club::list(&store)?.into_iter().map(|c| BackupClub { id: c.id, name: c.name }).collect();
    let info = BackupInfo {
        path: shown,
        file_name: file_name(path),
        bytes: size,
        encrypted,
        schema_version: version,
        clubs,
        members: report.members,
    };
    Ok((store, info))
}

/// Read and check the backup at `path` without restoring it: what the window shows before a restore.
pub fn inspect(path: &Path, passphrase: Option<&str>, today: NaiveDate) -> Result<BackupInfo> {
    let shown = path.display().to_string();
    let raw = read_file(path)?;
    let size = raw.len() as u64;
    let (bytes, encrypted) = plaintext(raw, &shown, passphrase)?;
    Ok(open_checked(bytes, path, encrypted, size, today)?.1)
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The files in `dir` that look like backups by their names (stick backups, local generations),
/// most recently written first; at most `MAX_LISTED`. Nothing is opened.
pub fn backup_files(dir: &Path) -> Result<Vec<BackupFile>> {
    let keep = |name: &str| name.ends_with(STICK_EXTENSION) || name.ends_with(".sqlite");
    let found = crate::files::files_named(dir, keep, MAX_LISTED, |path| CoreError::BackupFolderMissing { path })?;
    Ok(found
        .into_iter()
        .map(|f| BackupFile { encrypted: f.file_name.ends_with(STICK_EXTENSION), path: f.path, file_name: f.file_name, bytes: f.bytes })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Local generations

/// `…/ledger.sqlite` → `…/backups`.
pub fn backups_dir(ledger: &Path) -> PathBuf {
    ledger.with_file_name(BACKUPS_FOLDER)
}

fn stem(ledger: Option<&Path>) -> String {
    ledger.and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "ledger".into())
}

/// `ledger-2026-11-27-101500.sqlite` (or `…-101500-2.sqlite`, a second one in the same second) →
/// its time and number.
fn parse_generation(name: &str, stem: &str) -> Option<(NaiveDateTime, u32)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".sqlite")?;
    let (stamp, n) = match rest.get(17..) {
        Some("") | None => (rest, 1),
        Some(tail) => (&rest[..17], tail.strip_prefix('-')?.parse::<u32>().ok().filter(|n| *n >= 2)?),
    };
    if !stamp.is_ascii() {
        return None;
    }
    Some((NaiveDateTime::parse_from_str(stamp, STAMP).ok()?, n))
}

/// The generations of the books at `ledger` in `dir` (default `backups/` beside it), newest first.
pub fn generations(ledger: Option<&Path>, dir: &Path) -> Result<Vec<Generation>> {
    Ok(sorted_generations(ledger, dir)?.into_iter().rev().map(|(_, g)| g).collect())
}

/// Oldest first, with the sort key.
fn sorted_generations(ledger: Option<&Path>, dir: &Path) -> Result<Vec<((NaiveDateTime, u32), Generation)>> {
    let stem = stem(ledger);
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(CoreError::FileUnreadable { path: dir.display().to_string(), detail: e.to_string() }),
    };
    for entry in entries {
        let entry = entry.map_err(|e| CoreError::FileUnreadable { path: dir.display().to_string(), detail: e.to_string() })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(key) = parse_generation(&name, &stem) else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_file() {
            let g = Generation { path: entry.path().display().to_string(), file_name: name, made_at: key.0, bytes: meta.len() };
            out.push((key, g));
        }
    }
    out.sort_by_key(|(k, _)| *k);
    Ok(out)
}

/// **The pruning rule**, pure: of backups made at `made` (oldest first; of two made at the same
/// time the later in the slice counts as newer), which to keep at `now`. Kept: the newest of each
/// of the last 7 days (today and the six before), of each of the last 4 ISO weeks (this one and
/// the three before) and of each of the last 12 months (this one and the eleven before); the
/// newest of all, however old, so there is always one; and any dated after `now` (a clock set
/// wrong: it cannot be placed, so it is never removed).
pub fn keep(made: &[NaiveDateTime], now: NaiveDateTime) -> Vec<bool> {
    use std::collections::HashMap;
    let today = now.date();
    let monday = |d: NaiveDate| d - chrono::Days::new(d.weekday().num_days_from_monday() as u64);
    let month = |d: NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
    let mut keep = vec![false; made.len()];
    let mut newest: HashMap<(u8, i64), usize> = HashMap::new();
    let mut newest_past: Option<usize> = None;
    for (i, t) in made.iter().enumerate() {
        if *t > now {
            keep[i] = true;
            continue;
        }
        if newest_past.is_none_or(|j| made[j] <= *t) {
            newest_past = Some(i);
        }
        let d = t.date();
        let mut buckets = Vec::with_capacity(3);
        if (today - d).num_days() < 7 {
            buckets.push((0, d.num_days_from_ce() as i64));
        }
        if (monday(today) - monday(d)).num_days() / 7 < 4 {
            buckets.push((1, monday(d).num_days_from_ce() as i64));
        }
        if month(today) - month(d) < 12 {
            buckets.push((2, month(d)));
        }
        for b in buckets {
            let j = newest.entry(b).or_insert(i);
            if made[*j] <= *t {
                *j = i;
            }
        }
    }
    for i in newest.into_values().chain(newest_past) {
        keep[i] = true;
    }
    keep
}

/// Make a local generation of `store` in `dir` (default: `backups/` beside the ledger), then remove
/// the generations `keep` no longer wants. `now` is the laptop's local time.
pub fn auto_backup(store: &Store, dir: Option<&Path>, now: NaiveDateTime) -> Result<AutoBackup> {
    let dir = folder(store, dir)?;
    generation(store.path(), &dir, now, |path| backup_to(store, path))
}

/// A new generation of the ledger at `ledger` in `dir`, named `<stem>-<now>.sqlite` (`-2`… in the
/// same second), written and checked by `write` (which refuses a file that exists and removes one
/// that did not check), then the generations `keep` no longer wants removed. Shared by the club's
/// books and the commune's inbox.
pub(crate) fn generation(
    ledger: Option<&Path>,
    dir: &Path,
    now: NaiveDateTime,
    write: impl FnOnce(&Path) -> Result<BackupInfo>,
) -> Result<AutoBackup> {
    fs::create_dir_all(dir).map_err(|e| CoreError::BackupWriteFailed { path: dir.display().to_string(), detail: e.to_string() })?;
    let stem = stem(ledger);
    let base = format!("{stem}-{}", now.format(STAMP));
    let path = files::numbered_name(|n| dir.join(if n == 1 { format!("{base}.sqlite") } else { format!("{base}-{n}.sqlite") }), |p| !p.exists())
        .ok_or_else(|| CoreError::BackupExists { path: dir.join(format!("{base}.sqlite")).display().to_string() })?;
    let made = write(&path)?;
    let all = sorted_generations(ledger, dir)?;
    let times: Vec<NaiveDateTime> = all.iter().map(|(k, _)| k.0).collect();
    let mut kept = Vec::new();
    let mut removed = Vec::new();
    for ((_, g), keep) in all.into_iter().zip(keep(&times, now)) {
        if keep || g.path == made.path {
            kept.push(g);
        } else {
            match fs::remove_file(&g.path) {
                Ok(()) => removed.push(g.path),
                // Another pruner (the CLI beside the window) got there first.
                Err(e) if e.kind() == io::ErrorKind::NotFound => removed.push(g.path),
                Err(e) => return Err(CoreError::BackupPruneFailed { path: g.path, detail: e.to_string() }),
            }
        }
    }
    kept.reverse();
    Ok(AutoBackup { made, folder: dir.display().to_string(), kept, removed })
}

/// Whether a new generation is due: the newest in `dir` is `max_age` old or older, or there is none.
pub(crate) fn generation_due(ledger: Option<&Path>, dir: &Path, now: NaiveDateTime, max_age: chrono::Duration) -> Result<bool> {
    Ok(match generations(ledger, dir)?.into_iter().next() {
        Some(g) => !(g.made_at <= now && now - g.made_at < max_age),
        None => true,
    })
}

/// `auto_backup` when the newest generation is `max_age` old or older (or there is none): what the
/// window runs while it is open. `None` when a recent one exists.
pub fn auto_backup_if_due(
    store: &Store,
    dir: Option<&Path>,
    now: NaiveDateTime,
    max_age: chrono::Duration,
) -> Result<Option<AutoBackup>> {
    let folder = folder(store, dir)?;
    if generation_due(store.path(), &folder, now, max_age)? {
        auto_backup(store, dir, now).map(Some)
    } else {
        Ok(None)
    }
}

/// Where the generations of `store` go.
pub fn folder(store: &Store, dir: Option<&Path>) -> Result<PathBuf> {
    match (dir, store.path()) {
        (Some(d), _) => Ok(d.to_path_buf()),
        (None, Some(ledger)) => Ok(backups_dir(ledger)),
        (None, None) => Err(CoreError::BackupFolderMissing { path: String::new() }),
    }
}

mod restore;
pub use restore::restore;
#[cfg(test)]
use restore::with_suffix;

#[cfg(test)]
mod tests;
