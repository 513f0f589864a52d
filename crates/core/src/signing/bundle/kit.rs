//! Bundles made without a ledger, for tests and benchmarks of the commune inbox: a key held in memory
//! (never stored, never encrypted: minisign's scrypt would make thousands of bundles take hours), a
//! manifest built as `export` builds it, and the same canonical container. Whatever it makes is
//! checked by `verify_bytes` like any bundle, so it cannot make a bundle the verifier would not.
//! Not for the app: nothing here is reachable from the CLI or the window.

use std::io::Cursor;

use chrono::NaiveDate;
use minisign::{KeyPair, PublicKey, SecretKey};

use super::*;
use crate::error::CoreError;
use crate::signing::key::{self, RotationProof};

/// A signing key in memory, with the proof of the key it replaced, if any.
pub struct KitKey {
    pk: PublicKey,
    sk: SecretKey,
    rotation: Option<RotationProof>,
}

/// Where the bundles say the club is.
#[derive(Debug, Clone)]
pub struct KitClub {
    pub name: String,
    pub commune: String,
    pub district: String,
    pub province: String,
}

fn failed(e: minisign::PError) -> CoreError {
    CoreError::KeyFailed { detail: e.to_string() }
}

impl KitKey {
    pub fn generate() -> Result<KitKey> {
        let kp = KeyPair::generate_unencrypted_keypair().map_err(failed)?;
        Ok(KitKey { pk: kp.pk, sk: kp.sk, rotation: None })
    }

    pub fn fingerprint(&self) -> String {
        key::fingerprint(&self.pk)
    }

    /// The text of the club's `.pub` file.
    pub fn public_key_file(&self, club_name: &str) -> String {
        key::public_key_file(&key::key_id_of(&self.pk), club_name, &self.pk.to_base64())
    }

    fn sign(&self, data: &[u8], trusted: &str) -> Result<String> {
        Ok(minisign::sign(Some(&self.pk), &self.sk, Cursor::new(data), Some(trusted), Some("signature from ishc kit key"))
            .map_err(failed)?
            .into_string())
    }

    /// A new key, endorsed by this one as `key::rotate` does it.
    pub fn rotate(&self, club_name: &str) -> Result<KitKey> {
        let mut next = KitKey::generate()?;
        let (old_id, new_id) = (key::key_id_of(&self.pk), key::key_id_of(&next.pk));
        let statement = key::rotation_statement(club_name, &old_id, &new_id, &next.pk.to_base64(), "2026-01-01T00:00:00Z");
        let signature = self.sign(statement.as_bytes(), "ishc key rotation")?;
        next.rotation = Some(RotationProof {
            previous_key_id: old_id,
            previous_public_key: self.pk.to_base64(),
            statement,
            signature,
        });
        Ok(next)
    }

    /// A signed bundle, as `export` would write it, for these files.
    #[allow(clippy::too_many_arguments)]
    pub fn bundle(
        &self,
        club: &KitClub,
        label: &str,
        from: NaiveDate,
        to: NaiveDate,
        sequence: u32,
        previous: Option<String>,
        reports: &[BundleFile],
    ) -> Result<Vec<u8>> {
        let club_pub = self.public_key_file(&club.name);
        let files = manifest_files(&reports, &club_pub);
        let manifest = Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            club: ManifestClub {
                name: club.name.clone(),
                commune: club.commune.clone(),
                district: club.district.clone(),
                province: club.province.clone(),
                key_id: key::key_id_of(&self.pk),
                key_fingerprint: self.fingerprint(),
            },
            period: ManifestPeriod { label: label.into(), from, to },
            sequence,
            previous_bundle_sha256: previous,
            ledger_head: crate::store::GENESIS.into(),
            created_at: "2026-11-22T08:00:00Z".into(),
            app_version: crate::VERSION.into(),
            includes_personal_data: false,
            key_rotation: self.rotation.clone(),
            files,
        };
        let mut manifest_bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| CoreError::BundleBadManifest { detail: e.to_string() })?;
        manifest_bytes.push(b'\n');
        let signature = self.sign(&manifest_bytes, &format!("ishc bundle seq={sequence}"))?;
        let list: Vec<(&str, &[u8])> = reports.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
        build_zip(&canonical_entries(&manifest_bytes, signature.as_bytes(), club_pub.as_bytes(), &list))
            .map_err(|detail| CoreError::BundleWriteFailed { path: String::new(), detail })
    }
}

/// SHA-256 of a bundle's bytes, lower-case hex (what the next bundle names as its previous).
pub fn digest(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}
