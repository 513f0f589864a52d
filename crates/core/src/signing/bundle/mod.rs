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
//!   into place (`files::write_atomic`, never over a file of the name), read back from disk and
//!   verified; anything short of that leaves no `.zip` behind and nothing in the register.
//! - Verifying never writes anything to disk: the zip is read in memory, each entry through a hard
//!   size limit, whatever its header claims.
//!
//! The rooms: `manifest` (the types: what is packed, the manifest, what export and verify return),
//! `export` (packing, signing, the write to the stick and its read-back), `verify` (the commune's
//! check, with its limits). The canonical container and the register are here.

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::error::Result;
use crate::signing::key;
use crate::store::Store;

mod export;
#[doc(hidden)]
pub mod kit;
mod manifest;
mod verify;

#[cfg(test)]
use export::export_with;
pub use export::{export, file_name, slug};
pub(crate) use export::{seal, unrecorded_removed, validate, Sealed, Sender};
pub use manifest::{
    BundleFile, BundleRecord, BundleRequest, CheckedAgainst, Exported, Manifest, ManifestClub, ManifestFile, ManifestPeriod,
    VerifyReport,
};
pub use verify::{verify_bytes, verify_file};

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

/// The most bundle files `bundle_files` offers from one folder.
pub const MAX_LISTED: usize = 500;

/// The files directly in `dir` named like bundles (`*.zip`), newest first, at most `MAX_LISTED`,
/// for the window to offer instead of a typed path. Nothing is opened: choosing one is checked by
/// `verify_file` like any path.
pub fn bundle_files(dir: &std::path::Path) -> Result<Vec<crate::files::FoundFile>> {
    let keep = |name: &str| name.to_ascii_lowercase().ends_with(".zip");
    crate::files::files_named(dir, keep, MAX_LISTED, |path| crate::error::CoreError::BundleFolderMissing { path })
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

/// The manifest's list of files: each report file and `club.pub`, with size and digest, by name.
pub(crate) fn manifest_files(reports: &[BundleFile], club_pub: &str) -> Vec<ManifestFile> {
    let mut files: Vec<ManifestFile> = reports
        .iter()
        .map(|f| ManifestFile { name: f.name.clone(), size: f.bytes.len() as u64, sha256: sha256_hex(&f.bytes) })
        .collect();
    files.push(ManifestFile { name: CLUB_PUB.into(), size: club_pub.len() as u64, sha256: sha256_hex(club_pub.as_bytes()) });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
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

#[cfg(test)]
mod tests;
