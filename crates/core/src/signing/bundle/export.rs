//! Packing, signing and writing a bundle to the stick, then reading it back and verifying it before
//! the sequence number is used up.

use std::io;
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};

use super::*;
use crate::auth::permissions::Action;
use crate::books;
use crate::error::{CoreError, Field, Rule};
use crate::files::{self, Opener, Overwrite, WriteError};
use crate::roster::club;
use crate::store::audit::Actor;
use crate::text;

/// Write `bytes` as `dir/name` through `files::write_atomic_via`, never over a file of the name
/// (`bundle.exists`): the name only ever holds the whole file, and any failure leaves nothing.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8], open: &mut Opener<'_>) -> Result<PathBuf> {
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
pub(crate) fn validate(req: &BundleRequest) -> Result<()> {
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
    let result = store.act(actor, club_id, Action::ReportSend, |w| {
        let last: Option<(u32, String)> = w
            .tx
            .query_row(
                "SELECT sequence, sha256 FROM bundle WHERE club_id = ?1 ORDER BY sequence DESC LIMIT 1",
                [club_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let sequence = last.as_ref().map(|(s, _)| s + 1).unwrap_or(1);
        let sender = Sender { name: &club.name, commune: &club.commune, district: &club.district, province: &club.province };
        let head = books::chain_head(&w.tx, club_id)?;
        let sealed = seal(&signer, &sender, &req, sequence, last.map(|(_, sha)| sha), head, out_dir, &mut written, open)?;
        let Sealed { path, file_name: name, sha256, size, manifest, manifest_bytes, signature } = sealed;
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
        Ok(Exported { path, file_name: name, sequence, sha256, size, manifest })
    });
    unrecorded_removed(result, written)
}

/// The bundle is on the stick but its sending was not recorded: it is deleted, or, if even that
/// fails, the person hears that it is there and must not be handed in.
pub(crate) fn unrecorded_removed<T>(result: Result<T>, written: Option<PathBuf>) -> Result<T> {
    match (result, written) {
        (Err(first), Some(path)) => match crate::files::remove_leftover(&path) {
            None => Err(first),
            Some(note) => Err(CoreError::BundleWriteFailed { path: path.display().to_string(), detail: format!("{first}; {note}") }),
        },
        (result, _) => result,
    }
}

/// Who a bundle says it comes from: a club, or a commune (district) sending its roll-up.
pub(crate) struct Sender<'a> {
    pub name: &'a str,
    pub commune: &'a str,
    pub district: &'a str,
    pub province: &'a str,
}

/// A bundle written to the stick, read back and verified, not yet recorded.
pub(crate) struct Sealed {
    pub path: PathBuf,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    pub manifest: Manifest,
    pub manifest_bytes: Vec<u8>,
    pub signature: String,
}

/// Build the manifest of `req`'s files, sign it with `signer`, pack the canonical zip, write it to
/// `out_dir` atomically (never over a file of the name), read it back from disk and verify it with
/// the signer's public key. `written` is set as soon as the file exists, so the caller can remove it
/// if recording fails (`unrecorded_removed`). The one packing of a bundle: a club's report bundle
/// and a commune's roll-up bundle are both made here.
#[allow(clippy::too_many_arguments)]
pub(crate) fn seal(
    signer: &key::Unlocked,
    sender: &Sender<'_>,
    req: &BundleRequest,
    sequence: u32,
    previous: Option<String>,
    ledger_head: String,
    out_dir: &Path,
    written: &mut Option<PathBuf>,
    open: &mut Opener<'_>,
) -> Result<Sealed> {
    let club_pub = signer.key.public_key_file.clone();
    let files = manifest_files(&req.files, &club_pub);
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        club: ManifestClub {
            name: sender.name.to_string(),
            commune: sender.commune.to_string(),
            district: sender.district.to_string(),
            province: sender.province.to_string(),
            key_id: signer.key.key_id.clone(),
            key_fingerprint: signer.key.fingerprint.clone(),
        },
        period: ManifestPeriod { label: req.period_label.clone(), from: req.period_from, to: req.period_to },
        sequence,
        previous_bundle_sha256: previous,
        ledger_head,
        created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        app_version: crate::VERSION.into(),
        includes_personal_data: req.includes_personal_data,
        key_rotation: signer.rotation.clone(),
        files,
    };
    let mut manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| CoreError::BundleBadManifest { detail: e.to_string() })?;
    manifest_bytes.push(b'\n');
    let trusted = format!("ishc bundle club={} period={} seq={}", signer.key.key_id, req.period_label, sequence);
    let signature = key::sign(signer, &manifest_bytes, &trusted)?;
    let reports: Vec<(&str, &[u8])> = req.files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
    let entries = canonical_entries(&manifest_bytes, signature.as_bytes(), club_pub.as_bytes(), &reports);
    let name = file_name(sender.name, &req.period_label, sequence);
    let zip = build_zip(&entries)
        .map_err(|detail| CoreError::BundleWriteFailed { path: out_dir.join(&name).display().to_string(), detail })?;
    let path = write_atomically(out_dir, &name, &zip, open)?;
    *written = Some(path.clone());
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
    Ok(Sealed { path, file_name: name, sha256: sha256_hex(&back), size: back.len() as u64, manifest, manifest_bytes, signature })
}

