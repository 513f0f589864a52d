//! The signed report bundle: the club's already-rendered report files packed with a manifest (what
//! each file is, its size and SHA-256, the period, the ledger's chain head, the previous bundle's
//! digest) signed with the club key (`key.rs`), in one zip the board carries to the commune on a USB
//! stick. `verify_bytes` is what the commune runs (`ishc verify`), and what `export` runs on the file
//! it just wrote, read back from the stick.
//!
//! **Invariants:**
//! - The zip is canonical: fixed entry order (`manifest.json`, `manifest.json.minisig`, `club.pub`,
//!   then the report files by name), every entry STORED, dated 1980-01-01, mode 0644, no comments or
//!   extra fields. It is a function of its contents, so the verifier rebuilds it and compares bytes:
//!   any change anywhere (a timestamp, a comment, an extra field no digest covers) is found.
//! - A bundle's sequence number is only consumed once its file has been written, synced, renamed
//!   into place, read back from disk and verified; anything short of that leaves no `.zip` behind and
//!   nothing in the register.
//! - Verifying never writes anything to disk: the zip is read in memory, each entry through a hard
//!   size limit, whatever its header claims.

use std::fs;
use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

use crate::notice::Notice;
use crate::store::audit::Actor;
use crate::roster::club;
use crate::error::{CoreError, Field, Result, Rule};
use crate::files::{self, Opener, Overwrite, WriteError};
use crate::signing::key::{self, RotationProof};
use crate::books;
use crate::store::Store;
use crate::text;

pub const FORMAT: &str = "ishc-report-bundle";
/// 2: `club.key_fingerprint` is the SHA-256 fingerprint of the key (`key::fingerprint`); in 1 it was
/// the key id in groups, which anyone could copy. A version-1 bundle is refused as unknown.
pub const FORMAT_VERSION: u32 = 2;
pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.json.minisig";
pub const CLUB_PUB: &str = "club.pub";
/// At most this many entries in a bundle.
pub const MAX_ENTRIES: usize = 32;
const MIB: u64 = 1024 * 1024;
/// At most this much in one entry, once unpacked (in memory).
pub const MAX_ENTRY_BYTES: u64 = 16 * MIB;
/// At most this much in all entries together.
pub const MAX_TOTAL_BYTES: u64 = 64 * MIB;
/// A bundle file larger than this is refused before it is read (contents plus room for headers).
pub const MAX_FILE_BYTES: u64 = MAX_TOTAL_BYTES + MIB;
/// The longest period label (it is part of the file name).
pub const MAX_LABEL: usize = 32;

/// One rendered report file to pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What to pack: the period the reports cover and the files themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleRequest {
    /// A short label for the period, part of the file name: `2026`, `2026-q3`, `2026-06`.
    pub period_label: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub files: Vec<BundleFile>,
    /// Whether the reports name members (the commune must keep such a bundle as personal data).
    pub includes_personal_data: bool,
}

/// The club as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ManifestClub {
    pub name: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    /// minisign's key id: a label, not proof of anything.
    pub key_id: String,
    /// `key::fingerprint` of the signing key (SHA-256, eight groups of four hex digits): what the
    /// key card shows. The verifier recomputes it from the key and refuses a manifest that differs.
    pub key_fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ManifestPeriod {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    pub name: String,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// `manifest.json`: what the bundle holds, signed by the club key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `ishc-report-bundle`.
    pub format: String,
    pub format_version: u32,
    pub club: ManifestClub,
    pub period: ManifestPeriod,
    /// 1 for the club's first bundle, then one more each time.
    pub sequence: u32,
    /// SHA-256 of the previous bundle's zip file (None for the first): bundles form a chain.
    pub previous_bundle_sha256: Option<String>,
    /// The hash of the club's newest journal entry when the bundle was made (all zeros: none yet).
    pub ledger_head: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub app_version: String,
    pub includes_personal_data: bool,
    /// Present when the signing key replaced an older one: the change, signed by the old key.
    pub key_rotation: Option<RotationProof>,
    /// The report files and `club.pub`, by name.
    pub files: Vec<ManifestFile>,
}

/// A bundle written and recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Exported {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub file_name: String,
    pub sequence: u32,
    /// SHA-256 of the zip file.
    pub sha256: String,
    pub size: u64,
    pub manifest: Manifest,
}

/// Which key a bundle was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckedAgainst {
    /// The `club.pub` the bundle itself carries: this proves the bundle is whole and self-consistent,
    /// and nothing about who signed it. The fingerprint must be compared with the printed key card.
    BundleKey,
    /// A key the checker gave (the card's `club.pub`): the bundle was signed with that key.
    GivenKey,
}

/// What checking a bundle found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VerifyReport {
    pub ok: bool,
    /// The first problem found (checking stops there); None when ok.
    pub problem: Option<Notice>,
    /// The key the signature was checked with: the bundle's own `club.pub` or the one given.
    pub checked_against: CheckedAgainst,
    /// The manifest, once it was read and its signature checked.
    pub manifest: Option<Manifest>,
    /// The key that signed the manifest (once the signature checked out): its key id (a label) and
    /// its fingerprint, recomputed from the key itself (`key::fingerprint`), to compare with the card.
    pub key_id: Option<String>,
    pub fingerprint: Option<String>,
    /// When the bundle carries a key change that checked out: the fingerprint of the old key that
    /// vouched for this one (to compare with the old card).
    pub previous_fingerprint: Option<String>,
    /// The names of the entries in the zip, in order (as far as they were read).
    pub files: Vec<String>,
}

/// A bundle in the club's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BundleRecord {
    pub sequence: u32,
    pub period: String,
    pub file_name: String,
    pub sha256: String,
    pub manifest_sha256: String,
    pub key_id: String,
    pub includes_personal_data: bool,
    pub created_at: String,
    pub created_by: String,
}

/// The club's bundles, first to last.
pub fn list(store: &Store, club_id: i64) -> Result<Vec<BundleRecord>> {
    let mut stmt = store.conn().prepare(
        "SELECT sequence, period, file_name, sha256, manifest_sha256, key_id, includes_personal_data, created_at,
            created_by FROM bundle WHERE club_id = ?1 ORDER BY sequence",
    )?;
    let rows = stmt.query_map([club_id], |r| {
        Ok(BundleRecord {
            sequence: r.get(0)?,
            period: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            manifest_sha256: r.get(4)?,
            key_id: r.get(5)?,
            includes_personal_data: r.get(6)?,
            created_at: r.get(7)?,
            created_by: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A bundle in the register whose signed ledger head can no longer be trusted as an anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegisterProblem {
    /// The kept manifest is not the one whose digest was recorded, or does not name the kept head.
    ManifestChanged { sequence: i64 },
    /// The kept manifest's signature does not check with the club key it names.
    SignatureBad { sequence: i64 },
}

/// The ledger heads the club's sent bundles named (sequence, head), each checked against the
/// manifest kept with it: its digest, the head it names and its signature by the club key. Bundles
/// recorded before the register kept manifests give their head only if ever recorded (none).
pub(crate) fn signed_heads(store: &Store, club_id: i64) -> Result<(Vec<(i64, String)>, Vec<RegisterProblem>)> {
    let mut stmt = store.conn().prepare(
        "SELECT b.sequence, b.manifest_sha256, b.ledger_head, b.manifest, b.manifest_signature, k.public_key
         FROM bundle b LEFT JOIN club_key k ON k.key_id = b.key_id
         WHERE b.club_id = ?1 AND b.ledger_head IS NOT NULL ORDER BY b.sequence",
    )?;
    type Row = (i64, String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = stmt
        .query_map([club_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut heads = Vec::new();
    let mut problems = Vec::new();
    for (sequence, manifest_sha, head, manifest, signature, public_key) in rows {
        heads.push((sequence, head.clone()));
        let Some(manifest) = manifest else {
            problems.push(RegisterProblem::ManifestChanged { sequence });
            continue;
        };
        let named = serde_json::from_str::<Manifest>(&manifest).ok().map(|m| m.ledger_head);
        if sha256_hex(manifest.as_bytes()) != manifest_sha || named.as_deref() != Some(head.as_str()) {
            problems.push(RegisterProblem::ManifestChanged { sequence });
            continue;
        }
        let signed = match (signature, public_key.as_deref().map(key::parse_public_key)) {
            (Some(sig), Some(Ok(pk))) => key::verify_signature(&pk, manifest.as_bytes(), &sig).is_ok(),
            _ => false,
        };
        if !signed {
            problems.push(RegisterProblem::SignatureBad { sequence });
        }
    }
    Ok((heads, problems))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn mib(n: u64) -> u32 {
    (n / MIB) as u32
}

// --- The canonical container -------------------------------------------------------------------

/// The zip of `entries`, in that order: STORED, 1980-01-01, 0644, Unix, no comment, no extra field.
/// The same entries always give the same bytes (a test pins them).
fn build_zip(entries: &[(&str, &[u8])]) -> std::result::Result<Vec<u8>, String> {
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .system(System::Unix)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, opts).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// The canonical entry list: manifest, signature, `club.pub`, then the report files by name.
fn canonical_entries<'a>(
    manifest: &'a [u8],
    signature: &'a [u8],
    club_pub: &'a [u8],
    reports: &[(&'a str, &'a [u8])],
) -> Vec<(&'a str, &'a [u8])> {
    let mut reports = reports.to_vec();
    reports.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = vec![(MANIFEST, manifest), (SIGNATURE, signature), (CLUB_PUB, club_pub)];
    out.extend(reports);
    out
}

/// A name we write: flat, ASCII letters, digits, `.`, `_`, `-`, not hidden, at most 100 characters.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A name the reader refuses whatever it points at: absolute (`/x`, `\x`, `C:`), with a `..`
/// component or a backslash, or with control characters.
fn is_unsafe_path(name: &str) -> bool {
    let bytes = name.as_bytes();
    name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        || name.split('/').any(|part| part == "..")
        || name.chars().any(char::is_control)
}

// --- Export ------------------------------------------------------------------------------------

/// Write `bytes` as `dir/name` through `files::write_atomic_via`, never over a file of the name
/// (`bundle.exists`): the name only ever holds the whole file, and any failure leaves nothing.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8], open: &mut Opener<'_>) -> Result<PathBuf> {
    let final_path = dir.join(name);
    files::write_atomic_via(&final_path, bytes, Overwrite::Refuse, open).map_err(|e| {
        let file = final_path.display().to_string();
        match e {
            WriteError::Exists => CoreError::BundleExists { path: file },
            WriteError::Create(e) => {
                let path = dir.display().to_string();
                match e.kind() {
                    io::ErrorKind::NotFound => CoreError::BundleFolderMissing { path },
                    io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                        CoreError::BundleFolderNotWritable { path, detail: e.to_string() }
                    }
                    _ => CoreError::BundleWriteFailed { path: file, detail: e.to_string() },
                }
            }
            WriteError::Write(e) => CoreError::BundleWriteFailed { path: file, detail: e.to_string() },
        }
    })?;
    Ok(final_path)
}

/// `CLB Liên thế hệ Đông Hòa` → `clb-lien-the-he-dong-hoa`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in text::fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(48).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "club".into()
    } else {
        out
    }
}

/// `ishc-<club slug>-<period label>-<sequence, 4 digits>.zip`.
pub fn file_name(club_name: &str, period_label: &str, sequence: u32) -> String {
    format!("ishc-{}-{}-{:04}.zip", slug(club_name), period_label, sequence)
}

/// Check the request before anything is unlocked or written.
fn validate(req: &BundleRequest) -> Result<()> {
    let label = &req.period_label;
    if label.is_empty() {
        return Err(CoreError::invalid(Field::BundlePeriod, Rule::Required));
    }
    if label.len() > MAX_LABEL {
        return Err(CoreError::invalid(Field::BundlePeriod, Rule::TooLong { max: MAX_LABEL as u32 }));
    }
    if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || label.starts_with('-') {
        return Err(CoreError::invalid(Field::BundlePeriod, Rule::Characters { example: "2026-q3".into() }));
    }
    if req.period_to < req.period_from {
        return Err(CoreError::invalid(Field::BundlePeriodTo, Rule::BeforeDate { other: req.period_from.to_string() }));
    }
    if req.files.is_empty() {
        return Err(CoreError::BundleEmpty);
    }
    if req.files.len() + 3 > MAX_ENTRIES {
        return Err(CoreError::BundleTooManyFiles { count: (req.files.len() + 3) as u32, max: MAX_ENTRIES as u32 });
    }
    let mut total = 0u64;
    for (i, f) in req.files.iter().enumerate() {
        if !is_plain_name(&f.name) || [MANIFEST, SIGNATURE, CLUB_PUB].contains(&f.name.as_str()) {
            return Err(CoreError::BundleUnsafePath { name: f.name.clone() });
        }
        if req.files[..i].iter().any(|g| g.name == f.name) {
            return Err(CoreError::BundleDuplicate { name: f.name.clone() });
        }
        let size = f.bytes.len() as u64;
        if size > MAX_ENTRY_BYTES {
            return Err(CoreError::BundleTooLarge { name: f.name.clone(), max_mib: mib(MAX_ENTRY_BYTES) });
        }
        total += size;
    }
    // Leave a mebibyte for the manifest, signature and key.
    if total > MAX_TOTAL_BYTES - MIB {
        return Err(CoreError::BundleTotalTooLarge { max_mib: mib(MAX_TOTAL_BYTES - MIB) });
    }
    Ok(())
}

/// Pack `req.files` into a signed bundle in `out_dir` (a USB stick, usually) and record it.
///
/// Unlocks the club key with `passphrase`; numbers the bundle after the last recorded one and names
/// that one's digest; writes the zip atomically, reads it back from disk and verifies it with the
/// club's public key; only then records it (with the audit entry, in one transaction). Anything that
/// fails leaves no bundle file and no record: the sequence number is not used up.
pub fn export(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    passphrase: &str,
    req: BundleRequest,
    out_dir: &Path,
) -> Result<Exported> {
    export_with(store, actor, club_id, passphrase, req, out_dir, &mut files::create_new)
}

/// `export` with the way the file is opened passed in (tests simulate a failing stick).
pub(crate) fn export_with(
    store: &mut Store,
    actor: &Actor,
    club_id: i64,
    passphrase: &str,
    req: BundleRequest,
    out_dir: &Path,
    open: &mut Opener<'_>,
) -> Result<Exported> {
    validate(&req)?;
    let club = club::get(store, club_id)?;
    let signer = key::unlock(store, club_id, passphrase)?;
    if !out_dir.is_dir() {
        return Err(CoreError::BundleFolderMissing { path: out_dir.display().to_string() });
    }
    let mut written: Option<PathBuf> = None;
    let result = store.write(actor, |w| {
        let last: Option<(u32, String)> = w
            .tx
            .query_row(
                "SELECT sequence, sha256 FROM bundle WHERE club_id = ?1 ORDER BY sequence DESC LIMIT 1",
                [club_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let sequence = last.as_ref().map(|(s, _)| s + 1).unwrap_or(1);
        let club_pub = signer.key.public_key_file.clone();
        let mut files: Vec<ManifestFile> = req
            .files
            .iter()
            .map(|f| ManifestFile { name: f.name.clone(), size: f.bytes.len() as u64, sha256: sha256_hex(&f.bytes) })
            .collect();
        files.push(ManifestFile {
            name: CLUB_PUB.into(),
            size: club_pub.len() as u64,
            sha256: sha256_hex(club_pub.as_bytes()),
        });
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let manifest = Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            club: ManifestClub {
                name: club.name.clone(),
                commune: club.commune.clone(),
                district: club.district.clone(),
                province: club.province.clone(),
                key_id: signer.key.key_id.clone(),
                key_fingerprint: signer.key.fingerprint.clone(),
            },
            period: ManifestPeriod { label: req.period_label.clone(), from: req.period_from, to: req.period_to },
            sequence,
            previous_bundle_sha256: last.map(|(_, sha)| sha),
            ledger_head: books::chain_head(&w.tx, club_id)?,
            created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            app_version: crate::VERSION.into(),
            includes_personal_data: req.includes_personal_data,
            key_rotation: signer.rotation.clone(),
            files,
        };
        let mut manifest_bytes = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| CoreError::BundleBadManifest { detail: e.to_string() })?;
        manifest_bytes.push(b'\n');
        let trusted = format!("ishc bundle club={} period={} seq={}", signer.key.key_id, req.period_label, sequence);
        let signature = key::sign(&signer, &manifest_bytes, &trusted)?;
        let reports: Vec<(&str, &[u8])> = req.files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
        let entries = canonical_entries(&manifest_bytes, signature.as_bytes(), club_pub.as_bytes(), &reports);
        let name = file_name(&club.name, &req.period_label, sequence);
        let zip = build_zip(&entries)
            .map_err(|detail| CoreError::BundleWriteFailed { path: out_dir.join(&name).display().to_string(), detail })?;
        let path = write_atomically(out_dir, &name, &zip, open)?;
        written = Some(path.clone());
        // Read the file back from disk and check it as the commune will.
        let readback = |detail: String| CoreError::BundleReadbackFailed { path: path.display().to_string(), detail };
        let back = files::read_capped(&path, MAX_FILE_BYTES).map_err(|e| readback(e.to_string()))?;
        if back != zip {
            return Err(readback("the file on disk differs from what was written".into()));
        }
        let report = verify_bytes(&back, Some(&signer.key.public_key));
        if let Some(problem) = report.problem {
            return Err(readback(format!("{} {}", problem.code, problem.params)));
        }
        let sha256 = sha256_hex(&back);
        w.tx.execute(
            "INSERT INTO bundle (club_id, sequence, period, file_name, sha256, manifest_sha256, key_id,
                includes_personal_data, created_at, created_by, ledger_head, manifest, manifest_signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                club_id,
                sequence,
                req.period_label,
                name,
                sha256,
                sha256_hex(&manifest_bytes),
                signer.key.key_id,
                req.includes_personal_data,
                manifest.created_at,
                w.actor.name(),
                manifest.ledger_head,
                String::from_utf8_lossy(&manifest_bytes),
                signature,
            ],
        )?;
        let id = w.tx.last_insert_rowid();
        w.audit(
            Some(club_id),
            "bundle.export",
            Some(id),
            serde_json::json!({
                "sequence": sequence, "period": req.period_label, "file_name": name, "sha256": sha256,
                "key_id": signer.key.key_id, "includes_personal_data": req.includes_personal_data,
            }),
        )?;
        Ok(Exported { path, file_name: name, sequence, sha256, size: back.len() as u64, manifest })
    });
    if result.is_err() {
        if let Some(path) = written {
            let _ = fs::remove_file(path);
        }
    }
    result
}

// --- Verify ------------------------------------------------------------------------------------

/// Check the bundle file at `path` (see `verify_bytes`). It is read through `files::read_capped`:
/// anything but a regular file (a FIFO would wait forever) is the error `file.not_regular`, a file
/// larger than `MAX_FILE_BYTES` is refused before it is read (`bundle.total_too_large`), and a file
/// that cannot be read at all is `bundle.read_failed`.
pub fn verify_file(path: &Path, key: Option<&str>) -> Result<VerifyReport> {
    match files::read_capped(path, MAX_FILE_BYTES) {
        Ok(bytes) => Ok(verify_bytes(&bytes, key)),
        Err(CoreError::FileTooLarge { .. }) => Ok(failed(
            CoreError::BundleTotalTooLarge { max_mib: mib(MAX_FILE_BYTES) },
            Found::new(key.is_some()),
        )),
        Err(CoreError::FileUnreadable { path, detail }) => Err(CoreError::BundleReadFailed { path, detail }),
        Err(e) => Err(e),
    }
}

struct Found {
    checked_against: CheckedAgainst,
    manifest: Option<Manifest>,
    key_id: Option<String>,
    fingerprint: Option<String>,
    previous_fingerprint: Option<String>,
    files: Vec<String>,
}

impl Found {
    fn new(key_given: bool) -> Found {
        Found {
            checked_against: if key_given { CheckedAgainst::GivenKey } else { CheckedAgainst::BundleKey },
            manifest: None,
            key_id: None,
            fingerprint: None,
            previous_fingerprint: None,
            files: Vec::new(),
        }
    }

    fn report(self, problem: Option<Notice>) -> VerifyReport {
        VerifyReport {
            ok: problem.is_none(),
            problem,
            checked_against: self.checked_against,
            manifest: self.manifest,
            key_id: self.key_id,
            fingerprint: self.fingerprint,
            previous_fingerprint: self.previous_fingerprint,
            files: self.files,
        }
    }
}

fn failed(e: CoreError, found: Found) -> VerifyReport {
    let json = e.to_json();
    found.report(Some(Notice {
        code: json["code"].as_str().unwrap_or("unknown").to_string(),
        params: json.get("params").cloned().unwrap_or_else(|| serde_json::json!({})),
    }))
}

/// Check a bundle in memory, stopping at the first thing wrong: (1) a zip of at most 32 plain
/// entries within the size limits, read through a hard limit, none damaged or twice; (2) the
/// manifest, its signature and `club.pub` present; (3) the signature valid with `key` (a `.pub`
/// file's text or bare base64) or, without one, with the bundle's own `club.pub` — and `club.pub`
/// must be that key when one is given; (4) the manifest well-formed, of a known version, naming the
/// signing key by its id and its fingerprint (recomputed from the key), with any key change proven
/// by the old key; (5) every file it lists present with its size and SHA-256, and nothing else;
/// (6) the zip exactly as `export` writes it.
///
/// Without `key`, a valid report proves only that the bundle is whole and signed by the key it
/// carries (`checked_against: bundle_key`): whoever made it, the fingerprint must match the card.
pub fn verify_bytes(bytes: &[u8], key: Option<&str>) -> VerifyReport {
    let mut found = Found::new(key.is_some());
    match check(bytes, key, &mut found) {
        Ok(()) => found.report(None),
        Err(e) => failed(e, found),
    }
}

/// The name of an entry that appears twice in the central directory (`ZipArchive` keeps one).
fn duplicate_name(bytes: &[u8], dir_start: u64) -> Option<String> {
    let mut pos = usize::try_from(dir_start).ok()?;
    let mut seen: Vec<&[u8]> = Vec::new();
    let u16_at = |p: usize| -> Option<usize> { Some(u16::from_le_bytes([*bytes.get(p)?, *bytes.get(p + 1)?]) as usize) };
    for _ in 0..=u16::MAX {
        if bytes.get(pos..pos + 4)? != b"PK\x01\x02" {
            return None;
        }
        let (n, m, k) = (u16_at(pos + 28)?, u16_at(pos + 30)?, u16_at(pos + 32)?);
        let name = bytes.get(pos + 46..pos + 46 + n)?;
        if seen.contains(&name) {
            return Some(String::from_utf8_lossy(name).to_string());
        }
        seen.push(name);
        pos += 46 + n + m + k;
    }
    None
}

fn check(bytes: &[u8], key: Option<&str>, found: &mut Found) -> Result<()> {
    // 1. A zip, within the limits, read in memory through a hard limit.
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(CoreError::BundleTotalTooLarge { max_mib: mib(MAX_FILE_BYTES) });
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| CoreError::BundleNotZip { detail: e.to_string() })?;
    if archive.len() > MAX_ENTRIES {
        return Err(CoreError::BundleTooManyFiles { count: archive.len() as u32, max: MAX_ENTRIES as u32 });
    }
    if archive.has_duplicate_names() {
        let name = duplicate_name(bytes, archive.central_directory_start()).unwrap_or_default();
        return Err(CoreError::BundleDuplicate { name });
    }
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let raw_name = archive.name_for_index(i).and_then(|n| n.ok()).map(|n| n.to_string()).unwrap_or_default();
        let mut entry =
            archive.by_index(i).map_err(|e| CoreError::BundleDamaged { name: raw_name.clone(), detail: e.to_string() })?;
        let name = match std::str::from_utf8(entry.name_raw()) {
            Ok(n) => n.to_string(),
            Err(_) => return Err(CoreError::BundleUnsafePath { name: String::from_utf8_lossy(entry.name_raw()).to_string() }),
        };
        found.files.push(name.clone());
        if is_unsafe_path(&name) {
            return Err(CoreError::BundleUnsafePath { name });
        }
        if entry.is_dir() || name.ends_with('/') {
            return Err(CoreError::BundleDirectory { name });
        }
        // Anything but a regular file (a symlink above all) by its Unix mode.
        if let Some(mode) = entry.unix_mode() {
            let kind = mode & 0o170000;
            if entry.is_symlink() || (kind != 0 && kind != 0o100000) {
                return Err(CoreError::BundleLink { name });
            }
        }
        if entry.encrypted() {
            return Err(CoreError::BundleDamaged { name, detail: "encrypted".into() });
        }
        let declared = entry.size();
        if declared > MAX_ENTRY_BYTES {
            return Err(CoreError::BundleTooLarge { name, max_mib: mib(MAX_ENTRY_BYTES) });
        }
        if total + declared > MAX_TOTAL_BYTES {
            return Err(CoreError::BundleTotalTooLarge { max_mib: mib(MAX_TOTAL_BYTES) });
        }
        // Whatever the header says, never unpack more than the limits allow.
        let limit = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES - total);
        let mut data = Vec::with_capacity(declared as usize);
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|e| CoreError::BundleDamaged { name: name.clone(), detail: e.to_string() })?;
        if data.len() as u64 > limit {
            return Err(if limit == MAX_ENTRY_BYTES {
                CoreError::BundleTooLarge { name, max_mib: mib(MAX_ENTRY_BYTES) }
            } else {
                CoreError::BundleTotalTooLarge { max_mib: mib(MAX_TOTAL_BYTES) }
            });
        }
        if data.len() as u64 != declared {
            return Err(CoreError::BundleDamaged {
                name,
                detail: format!("{} bytes, the header says {declared}", data.len()),
            });
        }
        total += declared;
        entries.push((name, data));
    }
    let get = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, d)| d.as_slice());

    // 2. The manifest, its signature and the key it names.
    let need = |name: &str| get(name).ok_or_else(|| CoreError::BundleMissing { name: name.into() });
    let manifest_bytes = need(MANIFEST)?;
    let signature_bytes = need(SIGNATURE)?;
    let club_pub_bytes = need(CLUB_PUB)?;

    // 3. The key, and the signature of the manifest.
    let bundled = std::str::from_utf8(club_pub_bytes)
        .map_err(|e| CoreError::KeyInvalid { detail: e.to_string() })
        .and_then(key::parse_public_key);
    let pk = match key {
        Some(given) => {
            let given = key::parse_public_key(given)?;
            // Named by fingerprint: two keys can share a key id, never a fingerprint.
            match &bundled {
                Ok(b) if *b == given => {}
                Ok(b) => {
                    return Err(CoreError::BundleKeyMismatch {
                        expected: key::fingerprint(&given),
                        found: key::fingerprint(b),
                    })
                }
                Err(_) => {
                    return Err(CoreError::BundleKeyMismatch { expected: key::fingerprint(&given), found: String::new() })
                }
            }
            given
        }
        None => bundled.map_err(|e| {
            let detail = match e {
                CoreError::KeyInvalid { detail } => detail,
                other => other.to_string(),
            };
            CoreError::BundleBadPublicKey { name: CLUB_PUB.into(), detail }
        })?,
    };
    let signature = std::str::from_utf8(signature_bytes)
        .map_err(|e| CoreError::BundleBadSignature { name: MANIFEST.into(), detail: e.to_string() })?;
    key::verify_signature(&pk, manifest_bytes, signature)
        .map_err(|detail| CoreError::BundleBadSignature { name: MANIFEST.into(), detail })?;
    let key_id = key::key_id_of(&pk);
    let fingerprint = key::fingerprint(&pk);
    found.key_id = Some(key_id.clone());
    found.fingerprint = Some(fingerprint.clone());

    // 4. The manifest itself.
    let value: serde_json::Value =
        serde_json::from_slice(manifest_bytes).map_err(|e| CoreError::BundleBadManifest { detail: e.to_string() })?;
    let format = value.get("format").and_then(|v| v.as_str()).unwrap_or_default();
    let version = value.get("format_version").cloned().unwrap_or(serde_json::Value::Null);
    if format != FORMAT || version.as_u64() != Some(FORMAT_VERSION as u64) {
        return Err(CoreError::BundleUnknownVersion { format: format.into(), version: version.to_string() });
    }
    let manifest: Manifest =
        serde_json::from_slice(manifest_bytes).map_err(|e| CoreError::BundleBadManifest { detail: e.to_string() })?;
    found.manifest = Some(manifest.clone());
    if manifest.club.key_id != key_id {
        return Err(CoreError::BundleKeyIdMismatch { manifest_key_id: manifest.club.key_id.clone(), key_id });
    }
    if manifest.club.key_fingerprint != fingerprint {
        return Err(CoreError::BundleFingerprintMismatch {
            manifest_fingerprint: manifest.club.key_fingerprint.clone(),
            fingerprint,
        });
    }
    if let Some(proof) = &manifest.key_rotation {
        key::check_rotation(proof, &key_id, &pk.to_base64()).map_err(|detail| CoreError::BundleBadRotation { detail })?;
        // check_rotation has read the old key already; a key it could not read is a bad rotation.
        let previous = key::fingerprint_of_text(&proof.previous_public_key)
            .map_err(|e| CoreError::BundleBadRotation { detail: e.to_string() })?;
        found.previous_fingerprint = Some(previous);
    }
    for (i, f) in manifest.files.iter().enumerate() {
        if f.name == MANIFEST || f.name == SIGNATURE || manifest.files[..i].iter().any(|g| g.name == f.name) {
            return Err(CoreError::BundleBadManifest { detail: format!("files lists {} wrongly", f.name) });
        }
    }

    // 5. Every listed file, as signed, and nothing else.
    for f in &manifest.files {
        let data = get(&f.name).ok_or_else(|| CoreError::BundleMissing { name: f.name.clone() })?;
        if data.len() as u64 != f.size || sha256_hex(data) != f.sha256 {
            return Err(CoreError::BundleDigestMismatch { name: f.name.clone() });
        }
    }
    for (name, _) in &entries {
        if name != MANIFEST && name != SIGNATURE && !manifest.files.iter().any(|f| &f.name == name) {
            return Err(CoreError::BundleExtra { name: name.clone() });
        }
    }

    // 6. The container, byte for byte as `export` writes it.
    let reports: Vec<(&str, &[u8])> = entries
        .iter()
        .filter(|(n, _)| n != MANIFEST && n != SIGNATURE && n != CLUB_PUB)
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let rebuilt = build_zip(&canonical_entries(manifest_bytes, signature_bytes, club_pub_bytes, &reports))
        .map_err(|_| CoreError::BundleAlteredContainer)?;
    if rebuilt != bytes {
        return Err(CoreError::BundleAlteredContainer);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
