//! Receiving bundles: one file, a folder, or a whole stick. Each bundle is read through a cap,
//! verified with `signing::bundle::verify_bytes` (the code of `ishc verify`) against the club's
//! registered key, checked for continuity with what the commune holds from that club, and kept byte
//! for byte. Bundles are handled one at a time (only one file's bytes are in memory), in batches of
//! `BATCH` per transaction, and each batch's rows are handed to the caller's `ImportSink` once it is
//! committed (a stick of 100,000 bundles holds one batch of rows, not all of them); a bundle whose predecessor is missing is looked at again after the
//! others (a stick's files in any order give the same result), and accepted with `bundle.gap` if its
//! predecessor is still missing then.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::ledger::{now, Commune, CommuneStore, Level};
use crate::error::{CoreError, Result};
use crate::files;
use crate::notice::Notice;
use crate::signing::bundle::{self, CheckedAgainst, Manifest};
use crate::signing::key;
use crate::store::audit::Actor;
use crate::text;

/// Folders are followed at most this deep below a path given.
pub const MAX_DEPTH: usize = 8;
/// At most this many bundle files in one import (the whole country's year is about 110,000).
pub const MAX_FILES: usize = 250_000;
/// At most this many folder entries looked at in one import (a stick full of other things).
pub const MAX_ENTRIES_SEEN: usize = 2_000_000;
/// Bundles accepted per transaction.
pub const BATCH: usize = 256;

/// A bundle counted.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Accepted {
    pub path: String,
    pub club_id: i64,
    pub club: String,
    pub sequence: u32,
    pub period: String,
    pub sha256: String,
    /// What the officer should know: `bundle.gap` (bundles before it are missing),
    /// `commune.key_rotated` (the club's new key, endorsed by the registered one, is now recorded).
    pub flags: Vec<Notice>,
}

/// A file not counted, with the reason: a `bundle.*` code from the check (tampered, not a bundle…)
/// or from the inbox (`bundle.unregistered`, `bundle.other_commune`, `bundle.replay`,
/// `bundle.fork`, `bundle.retired_key`), or `file.not_regular`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Refused {
    pub path: String,
    pub reason: Notice,
    pub club: Option<String>,
    pub sequence: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "CommuneImportReport")]
pub struct ImportReport {
    /// Bundle files looked at.
    pub files: u32,
    pub accepted: Vec<Accepted>,
    pub refused: Vec<Refused>,
}

/// The bundle files under `paths`: a file given is taken as it is; a folder is walked (sorted by
/// name, at most `MAX_DEPTH` deep) for `*.zip` files, hidden names and links skipped, anything
/// that is not a regular file listed as refused. Too many files is refused before anything is read.
pub fn collect(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<Refused>)> {
    let mut found = Vec::new();
    let mut refused = Vec::new();
    let mut seen = 0usize;
    for p in paths {
        let meta = std::fs::symlink_metadata(p).map_err(|_| CoreError::CommunePathMissing { path: p.display().to_string() })?;
        if meta.is_dir() {
            walk(p, 0, &mut found, &mut refused, &mut seen)?;
        } else {
            found.push(p.clone());
        }
        if found.len() > MAX_FILES {
            return Err(CoreError::CommuneTooManyFiles { max: MAX_FILES as u32 });
        }
    }
    Ok((found, refused))
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<PathBuf>, refused: &mut Vec<Refused>, seen: &mut usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let unreadable = |e: std::io::Error| CoreError::FileUnreadable { path: dir.display().to_string(), detail: e.to_string() };
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir).map_err(unreadable)? {
        let e = e.map_err(unreadable)?;
        *seen += 1;
        if *seen > MAX_ENTRIES_SEEN {
            return Err(CoreError::CommuneTooManyFiles { max: MAX_ENTRIES_SEEN as u32 });
        }
        entries.push(e);
    }
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let kind = e.file_type().map_err(unreadable)?;
        let path = e.path();
        if kind.is_symlink() {
            continue;
        } else if kind.is_dir() {
            walk(&path, depth + 1, found, refused, seen)?;
        } else if name.to_ascii_lowercase().ends_with(".zip") {
            if kind.is_file() {
                found.push(path);
                if found.len() > MAX_FILES {
                    return Err(CoreError::CommuneTooManyFiles { max: MAX_FILES as u32 });
                }
            } else {
                let shown = path.display().to_string();
                refused.push(Refused {
                    reason: Notice::new("file.not_regular", serde_json::json!({ "path": shown })),
                    path: shown,
                    club: None,
                    sequence: None,
                });
            }
        }
    }
    Ok(())
}

/// Where an import's rows go as they are decided, so that an import of a whole country's stick
/// holds one batch of rows, not all of them: each bundle's outcome once (an accepted one only after
/// its batch was committed), and the progress after each file.
pub trait ImportSink {
    fn accepted(&mut self, row: Accepted) -> Result<()>;
    fn refused(&mut self, row: Refused) -> Result<()>;
    /// `done` of `total` bundle files looked at.
    fn progress(&mut self, _done: usize, _total: usize) {}
}

/// How many bundles an import looked at, counted and refused (the rows went to its sink).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct ImportCounts {
    pub files: u32,
    pub accepted: u32,
    pub refused: u32,
}

/// An `ImportReport` collects every row (what the window shows), and passes the progress on.
struct Collect<'a> {
    report: ImportReport,
    progress: &'a mut dyn FnMut(usize, usize),
}

impl ImportSink for Collect<'_> {
    fn accepted(&mut self, row: Accepted) -> Result<()> {
        self.report.accepted.push(row);
        Ok(())
    }
    fn refused(&mut self, row: Refused) -> Result<()> {
        self.report.refused.push(row);
        Ok(())
    }
    fn progress(&mut self, done: usize, total: usize) {
        (self.progress)(done, total)
    }
}

/// Import the bundles under `paths` and collect every row (see `import_each`). `progress(done,
/// total)` is called after each file.
pub fn import(
    store: &mut CommuneStore,
    actor: &Actor,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let mut sink = Collect { report: ImportReport { files: 0, accepted: Vec::new(), refused: Vec::new() }, progress };
    let counts = import_each(store, actor, paths, &mut sink)?;
    sink.report.files = counts.files;
    Ok(sink.report)
}

/// Import the bundles under `paths` (see `collect`), handing each bundle's row to `sink` as it is
/// decided. Nothing is counted twice: a bundle already held is `bundle.replay`, so importing the
/// same stick again changes nothing. If a batch cannot be written, the import stops with the error:
/// the batches before it are kept (and were handed over), that batch's rows are not handed over.
pub fn import_each(store: &mut CommuneStore, actor: &Actor, paths: &[PathBuf], sink: &mut dyn ImportSink) -> Result<ImportCounts> {
    let commune = store.commune()?;
    let (files, not_bundles) = collect(paths)?;
    let total = files.len();
    // `collect` refused more than MAX_FILES, so this fits.
    let mut counts = ImportCounts { files: total as u32, ..Default::default() };
    for row in not_bundles {
        counts.refused += 1;
        sink.refused(row)?;
    }
    let today = store.today().to_string();
    let mut deferred: Vec<(u32, PathBuf)> = Vec::new();
    let mut done = 0usize;
    let mut batch = Batch::default();
    for chunk in files.chunks(BATCH) {
        store.write(actor, |w| {
            for path in chunk {
                let outcome = examine(&w.tx, &commune, path, false, &today)?;
                record(w, outcome, path, &mut batch, Some(&mut deferred))?;
                done += 1;
                if done < total || deferred.is_empty() {
                    sink.progress(done.min(total), total);
                }
            }
            Ok(())
        })?;
        batch.hand_over(sink, &mut counts)?;
    }
    // Those whose predecessor was missing, lowest sequence first: now accepted, flagged if still so.
    deferred.sort();
    for chunk in deferred.chunks(BATCH) {
        store.write(actor, |w| {
            for (_, path) in chunk {
                let outcome = examine(&w.tx, &commune, path, true, &today)?;
                record(w, outcome, path, &mut batch, None)?;
            }
            Ok(())
        })?;
        batch.hand_over(sink, &mut counts)?;
    }
    if !deferred.is_empty() {
        sink.progress(total, total);
    }
    Ok(counts)
}

/// The rows of one batch, held until its transaction is committed.
#[derive(Default)]
struct Batch {
    accepted: Vec<Accepted>,
    refused: Vec<Refused>,
}

impl Batch {
    fn hand_over(&mut self, sink: &mut dyn ImportSink, counts: &mut ImportCounts) -> Result<()> {
        for row in self.accepted.drain(..) {
            counts.accepted += 1;
            sink.accepted(row)?;
        }
        for row in self.refused.drain(..) {
            counts.refused += 1;
            sink.refused(row)?;
        }
        Ok(())
    }
}

/// What one examined bundle adds to the batch: an accepted one is audited and listed, a refused
/// one listed with its reason, a deferred one (its predecessor not held yet) kept for the last
/// pass. The last pass never defers; if it did, the import fails rather than lose the file.
fn record(
    w: &crate::commune::ledger::CommuneWriter<'_>,
    outcome: Outcome,
    path: &Path,
    batch: &mut Batch,
    deferred: Option<&mut Vec<(u32, PathBuf)>>,
) -> Result<()> {
    match (outcome, deferred) {
        (Outcome::Accept(a), _) => {
            w.audit("commune.bundle_accept", Some(a.club_id), serde_json::json!({
                "sequence": a.sequence, "sha256": a.sha256, "period": a.period,
            }))?;
            batch.accepted.push(a);
        }
        (Outcome::Refuse(r), _) => batch.refused.push(r),
        (Outcome::Defer(seq), Some(later)) => later.push((seq, path.to_path_buf())),
        (Outcome::Defer(_), None) => {
            return Err(CoreError::Storage { detail: format!("{} was deferred in the last pass", path.display()) })
        }
    }
    Ok(())
}

enum Outcome {
    Accept(Accepted),
    Refuse(Refused),
    /// The bundle's predecessor is not held: look again after the others.
    Defer(u32),
}

/// The club's key a bundle is checked against, as registered.
struct KeyRow {
    id: i64,
    club_id: i64,
    club: String,
    public_key: String,
    retired: bool,
    retired_at_sequence: Option<u32>,
}

fn key_row(tx: &Transaction<'_>, fingerprint: &str) -> Result<Option<KeyRow>> {
    Ok(tx
        .query_row(
            "SELECT k.id, k.club_id, c.name, k.public_key, k.retired_at IS NOT NULL, k.retired_at_sequence
             FROM club_key k JOIN club c ON c.id = k.club_id WHERE k.fingerprint = ?1",
            [fingerprint],
            |r| {
                Ok(KeyRow {
                    id: r.get(0)?,
                    club_id: r.get(1)?,
                    club: r.get(2)?,
                    public_key: r.get(3)?,
                    retired: r.get(4)?,
                    retired_at_sequence: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// A place name compared the way people write it: without case, diacritics or the word for its
/// level (`Xã`, `Phường`, `Thị trấn`, `Huyện`, `Tỉnh`…).
fn place(s: &str) -> String {
    let folded = text::fold(s);
    let mut rest = folded.trim();
    for prefix in ["thi tran ", "thi xa ", "thanh pho ", "tp. ", "tp ", "xa ", "phuong ", "huyen ", "quan ", "tinh "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim();
            break;
        }
    }
    rest.to_string()
}

/// Whether the bundle's sender is under this inbox: a club of this commune, a commune of this
/// district, a district of this province.
fn ours(commune: &Commune, m: &Manifest) -> bool {
    let province_ok = place(&commune.province) == place(&m.club.province);
    match commune.level {
        Level::Commune => {
            let district_ok = commune.district.trim().is_empty()
                || m.club.district.trim().is_empty()
                || place(&commune.district) == place(&m.club.district);
            place(&commune.name) == place(&m.club.commune) && province_ok && district_ok
        }
        Level::District => place(&commune.name) == place(&m.club.district) && province_ok,
        Level::Province => province_ok,
    }
}

/// What a report says it is: `report.json`'s `format`, and its `level` for a roll-up.
#[derive(serde::Deserialize)]
struct Kind {
    format: String,
    level: Option<String>,
}

/// A bundle of the wrong kind for this inbox (`bundle.wrong_level`): a commune takes its clubs'
/// reports, a district its communes' roll-ups, a province its districts'. None when it fits.
fn wrong_kind(commune: &Commune, report_json: Option<&str>) -> Option<serde_json::Value> {
    let kind = report_json.and_then(|t| serde_json::from_str::<Kind>(t).ok());
    let found = match &kind {
        Some(k) if k.format == super::rollup::FORMAT => k.level.clone().unwrap_or_else(|| "commune".into()),
        Some(k) if k.format == crate::reporting::FORMAT => "club".into(),
        Some(k) => k.format.clone(),
        None => "none".into(),
    };
    let expected = commune.level.below().map_or("club", |l| l.code());
    // A club bundle without report.json stays the roll-up's to refuse by name, as before.
    let fits = found == expected || (commune.level == Level::Commune && found == "none");
    (!fits).then(|| serde_json::json!({ "expected": expected, "found": found }))
}

fn refuse(path: &str, code: &str, params: serde_json::Value, club: Option<String>, sequence: Option<u32>) -> Outcome {
    Outcome::Refuse(Refused { path: path.to_string(), reason: Notice::new(code, params), club, sequence })
}

/// The fingerprints a bundle claims, unchecked: of its `club.pub`, and of the old key its manifest's
/// key change names. Only used to pick the registered key to check the bundle against.
fn claimed_keys(bytes: &[u8]) -> (Option<String>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Peek {
        key_rotation: Option<key::RotationProof>,
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return (None, None) };
    let mut read = |name: &str, cap: u64| -> Option<String> {
        let entry = archive.by_name(name).ok()?;
        let mut out = String::new();
        entry.take(cap).read_to_string(&mut out).ok()?;
        Some(out)
    };
    let claimed = read(bundle::CLUB_PUB, key::MAX_PUBLIC_KEY_FILE).and_then(|t| key::fingerprint_of_text(&t).ok());
    let replaced = read(bundle::MANIFEST, bundle::MAX_ENTRY_BYTES)
        .and_then(|t| serde_json::from_str::<Peek>(&t).ok())
        .and_then(|p| p.key_rotation)
        .and_then(|r| key::fingerprint_of_text(&r.previous_public_key).ok());
    (claimed, replaced)
}

/// `report.json` inside a verified bundle, as text (None when the bundle holds none or it is not
/// UTF-8). The bundle was verified, so the entry is within the limits.
pub(crate) fn report_json(bytes: &[u8]) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let entry = archive.by_name("report.json").ok()?;
    let mut out = String::new();
    entry.take(bundle::MAX_ENTRY_BYTES).read_to_string(&mut out).ok()?;
    Some(out)
}

fn examine(tx: &Transaction<'_>, commune: &Commune, path: &Path, last_pass: bool, today: &str) -> Result<Outcome> {
    let shown = path.display().to_string();
    let bytes = match files::read_capped(path, bundle::MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(CoreError::FileTooLarge { .. }) => {
            return Ok(refuse(&shown, "bundle.total_too_large", serde_json::json!({ "max_mib": bundle::MAX_FILE_BYTES / (1024 * 1024) }), None, None))
        }
        Err(CoreError::FileNotRegular { path }) => return Ok(refuse(&shown, "file.not_regular", serde_json::json!({ "path": path }), None, None)),
        Err(CoreError::FileUnreadable { path, detail }) => {
            return Ok(refuse(&shown, "bundle.read_failed", serde_json::json!({ "path": path, "detail": detail }), None, None))
        }
        Err(e) => return Err(e),
    };
    let sha256 = bundle::sha256_hex(&bytes);
    let held: Option<(String, u32)> = tx
        .query_row("SELECT c.name, r.sequence FROM received r JOIN club c ON c.id = r.club_id WHERE r.sha256 = ?1", [&sha256], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((club, sequence)) = held {
        return Ok(refuse(&shown, "bundle.replay", serde_json::json!({ "club": club, "sequence": sequence }), Some(club), Some(sequence)));
    }
    // Which club: the key the bundle says signed it, or the registered key it says that one
    // replaced (read without trusting anything: the check against the registered key follows).
    let (claimed, replaced) = claimed_keys(&bytes);
    let by_claim = match claimed.as_deref() {
        Some(fp) => key_row(tx, fp)?,
        None => None,
    };
    let by_rotation = match (by_claim.is_none(), replaced.as_deref()) {
        (true, Some(fp)) => key_row(tx, fp)?.filter(|k| !k.retired),
        _ => None,
    };
    let (registered, rotated) = match (by_claim, by_rotation) {
        (Some(k), _) => (k, false),
        (None, Some(k)) => (k, true),
        (None, None) => {
            // Not ours to trust: say why, from the bundle's own check.
            let first = bundle::verify_bytes(&bytes, None);
            if let Some(problem) = first.problem {
                return Ok(Outcome::Refuse(Refused { path: shown, reason: problem, club: None, sequence: None }));
            }
            let Some(m) = first.manifest else {
                return Ok(refuse(&shown, "bundle.missing", serde_json::json!({ "name": bundle::MANIFEST }), None, None));
            };
            let code = if ours(commune, &m) { "bundle.unregistered" } else { "bundle.other_commune" };
            let params = serde_json::json!({
                "fingerprint": first.fingerprint, "club": m.club.name, "commune": m.club.commune, "province": m.club.province,
            });
            return Ok(refuse(&shown, code, params, Some(m.club.name.clone()), Some(m.sequence)));
        }
    };
    let club = Some(registered.club.clone());
    // The check of `ishc verify`, against the registered key.
    let report = bundle::verify_bytes(&bytes, Some(&registered.public_key));
    if let Some(problem) = report.problem {
        let sequence = report.manifest.as_ref().map(|m| m.sequence);
        return Ok(Outcome::Refuse(Refused { path: shown, reason: problem, club, sequence }));
    }
    let (Some(manifest), Some(signer)) = (report.manifest.clone(), report.fingerprint.clone()) else {
        return Ok(refuse(&shown, "bundle.missing", serde_json::json!({ "name": bundle::MANIFEST }), club, None));
    };
    let sequence = manifest.sequence;
    let expected = if rotated { CheckedAgainst::EndorsedByGivenKey } else { CheckedAgainst::GivenKey };
    if report.checked_against != expected {
        return Ok(refuse(&shown, "bundle.unregistered", serde_json::json!({ "fingerprint": signer }), club, Some(sequence)));
    }
    if !ours(commune, &manifest) {
        let params = serde_json::json!({ "club": manifest.club.name, "commune": manifest.club.commune, "province": manifest.club.province });
        return Ok(refuse(&shown, "bundle.other_commune", params, club, Some(sequence)));
    }
    let report_text = report_json(&bytes);
    if let Some(mut params) = wrong_kind(commune, report_text.as_deref()) {
        params["club"] = serde_json::json!(registered.club);
        return Ok(refuse(&shown, "bundle.wrong_level", params, club, Some(sequence)));
    }
    if registered.retired && registered.retired_at_sequence.is_none_or(|r| sequence >= r) {
        let params = serde_json::json!({ "fingerprint": signer, "sequence": sequence });
        return Ok(refuse(&shown, "bundle.retired_key", params, club, Some(sequence)));
    }

    // Continuity with the bundles held from the club.
    let mut neighbours = tx.prepare_cached(
        "SELECT sequence, sha256, previous_sha256 FROM received WHERE club_id = ?1 AND sequence BETWEEN ?2 AND ?3",
    )?;
    let near: Vec<(u32, String, Option<String>)> = neighbours
        .query_map(params![registered.club_id, sequence.saturating_sub(1), sequence.saturating_add(1)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let fork = |reason: &str| {
        let params = serde_json::json!({ "club": registered.club, "sequence": sequence, "detail": reason });
        refuse(&shown, "bundle.fork", params, club.clone(), Some(sequence))
    };
    let previous = manifest.previous_bundle_sha256.as_deref();
    if near.iter().any(|(s, _, _)| *s == sequence) {
        return Ok(fork("same_sequence"));
    }
    if sequence == 1 && previous.is_some() {
        return Ok(fork("first_names_previous"));
    }
    let before = near.iter().find(|(s, _, _)| *s + 1 == sequence);
    if let Some((_, sha, _)) = before {
        if Some(sha.as_str()) != previous {
            return Ok(fork("previous_differs"));
        }
    }
    if let Some((_, _, after_prev)) = near.iter().find(|(s, _, _)| *s == sequence + 1) {
        if after_prev.as_deref() != Some(sha256.as_str()) {
            return Ok(fork("next_names_another"));
        }
    }
    let mut flags = Vec::new();
    if sequence > 1 && before.is_none() {
        if !last_pass {
            return Ok(Outcome::Defer(sequence));
        }
        let last_before: Option<u32> = tx.query_row(
            "SELECT max(sequence) FROM received WHERE club_id = ?1 AND sequence < ?2",
            params![registered.club_id, sequence],
            |r| r.get(0),
        )?;
        flags.push(Notice::new(
            "bundle.gap",
            serde_json::json!({ "club": registered.club, "expected": last_before.map_or(1, |s| s + 1), "found": sequence }),
        ));
    }

    // Keep it, and a key change it carries.
    let at = now();
    if rotated {
        let pk = key::parse_public_key(&report_key(&bytes)?)?;
        tx.execute(
            "UPDATE club_key SET retired_at = ?2, retired_at_sequence = ?3 WHERE id = ?1 AND retired_at IS NULL",
            params![registered.id, at, sequence],
        )?;
        tx.execute(
            "INSERT INTO club_key (club_id, key_id, public_key, fingerprint, how, replaces, from_sequence, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, 'rotation', ?5, ?6, ?7, 'import')",
            params![registered.club_id, key::key_id_of(&pk), pk.to_base64(), signer, registered.id, sequence, at],
        )?;
        let old = report.previous_fingerprint.clone().unwrap_or_default();
        flags.push(Notice::new("commune.key_rotated", serde_json::json!({ "club": registered.club, "old": old, "new": signer })));
    }
    tx.execute(
        "INSERT INTO received (club_id, sequence, sha256, previous_sha256, period_label, period_from, period_to,
            key_fingerprint, created_at, received_at, received_on, received_by, source, gap_before, size, bytes, report_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'import', ?12, ?13, ?14, ?15, ?16)",
        params![
            registered.club_id,
            sequence,
            sha256,
            previous,
            manifest.period.label,
            manifest.period.from.to_string(),
            manifest.period.to.to_string(),
            signer,
            manifest.created_at,
            at,
            today,
            shown,
            flags.iter().any(|f| f.code == "bundle.gap"),
            bytes.len() as i64,
            bytes,
            report_text,
        ],
    )?;
    Ok(Outcome::Accept(Accepted {
        path: shown,
        club_id: registered.club_id,
        club: registered.club,
        sequence,
        period: manifest.period.label,
        sha256,
        flags,
    }))
}

/// The `club.pub` text inside a verified bundle.
fn report_key(bytes: &[u8]) -> Result<String> {
    let bad = |detail: String| CoreError::BundleBadPublicKey { name: bundle::CLUB_PUB.into(), detail };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let entry = archive.by_name(bundle::CLUB_PUB).map_err(|e| bad(e.to_string()))?;
    let mut out = String::new();
    entry.take(key::MAX_PUBLIC_KEY_FILE).read_to_string(&mut out).map_err(|e| bad(e.to_string()))?;
    Ok(out)
}
