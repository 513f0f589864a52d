//! The commune's check (`ishc verify`), also the exporter's read-back: in memory only, through hard
//! limits, stopping at the first problem with its own code.

use std::io::{Cursor, Read};
use std::path::Path;

use zip::ZipArchive;

use super::*;
use crate::error::CoreError;
use crate::files;
use crate::notice::Notice;

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
                // After a rotation the bundle is signed by the new key and carries the old key's
                // signed word for it: the given (old) key endorses the signing key. The signature
                // is checked with the bundle's key below and the endorsement in step 4.
                Ok(b) if rotation_from(manifest_bytes).as_ref() == Some(&given) => {
                    found.checked_against = CheckedAgainst::EndorsedByGivenKey;
                    let b = b.clone();
                    return finish(bytes, b, manifest_bytes, signature_bytes, club_pub_bytes, &entries, Some(&given), found);
                }
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
    finish(bytes, pk, manifest_bytes, signature_bytes, club_pub_bytes, &entries, None, found)
}

/// The old public key a manifest's key change names, if the manifest reads as one (unsigned yet:
/// this only picks which key to check with; the signature and the endorsement are checked after).
fn rotation_from(manifest_bytes: &[u8]) -> Option<minisign::PublicKey> {
    #[derive(serde::Deserialize)]
    struct Peek {
        key_rotation: Option<key::RotationProof>,
    }
    let peek: Peek = serde_json::from_slice(manifest_bytes).ok()?;
    minisign::PublicKey::from_base64(peek.key_rotation?.previous_public_key.trim()).ok()
}

/// Steps 3 (the signature) to 6, with the key `pk` that signed. `endorser`: the key given to check
/// with, when it is not `pk` but the key the bundle's key change names as the one it replaced.
#[allow(clippy::too_many_arguments)]
fn finish(
    bytes: &[u8],
    pk: minisign::PublicKey,
    manifest_bytes: &[u8],
    signature_bytes: &[u8],
    club_pub_bytes: &[u8],
    entries: &[(String, Vec<u8>)],
    endorser: Option<&minisign::PublicKey>,
    found: &mut Found,
) -> Result<()> {
    let get = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, d)| d.as_slice());
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
    if let Some(endorser) = endorser {
        // The endorsement must be by the key given: the proof checked above names it.
        let named = manifest.key_rotation.as_ref().and_then(|p| key::parse_public_key(&p.previous_public_key).ok());
        if named.as_ref() != Some(endorser) {
            return Err(CoreError::BundleKeyMismatch { expected: key::fingerprint(endorser), found: fingerprint.clone() });
        }
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
    for (name, _) in entries {
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

