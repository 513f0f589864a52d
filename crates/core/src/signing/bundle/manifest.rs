//! The bundle's types: what is packed (`BundleRequest`), the signed `Manifest` (the published
//! format: `deny_unknown_fields`, a change of meaning is a new `FORMAT_VERSION`), what `export` and
//! `verify_bytes` return, and a row of the register.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::notice::Notice;
use crate::signing::key::RotationProof;

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
    /// The key the checker gave did not sign the bundle, but it endorsed the key that did: the club
    /// changed keys, and the bundle carries the given key's signed statement naming the new one
    /// (`fingerprint` is the signing key's, `previous_fingerprint` the given key's).
    EndorsedByGivenKey,
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

