//! The inbox's own report, upward: the roll-up of a period made from what the inbox holds (a
//! commune's from its clubs' reports, a district's from its communes' roll-ups), and the signed
//! roll-up bundle the level above imports exactly as a commune imports its clubs' bundles.
//!
//! **Invariants:**
//! - `roll_up_inbox` is the one way from the inbox to a roll-up: the CLI, the window and the
//!   bundle all call it, so the figures shown, saved and sent are the same.
//! - A roll-up bundle is packed, signed, written, read back and verified by the same code as a
//!   club's (`signing::bundle::seal`), with the commune's key; its sequence is only used up once the
//!   file checked out, and the bundles chain (`previous_bundle_sha256`) as a club's do. The `sent`
//!   table keeps each one's manifest and signature, append-only.
//! - The manifest's `ledger_head` is all zeros: an inbox keeps no journal chain of its own.

use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;

use super::ledger::{now, CommuneStore, Level};
use super::rollup::{self, plan::PlanPreset, Rollup, RollupRequest};
use super::status;
use crate::error::{CoreError, Result};
use crate::files::{self, Opener};
use crate::i18n::Lang;
use crate::reporting::Period;
use crate::signing::bundle::{self, BundleFile, BundleRequest, Exported, Sealed, Sender};
use crate::signing::key;
use crate::store::audit::Actor;

/// The roll-up of `period` from the inbox: a commune's of its registered clubs' latest reports, a
/// district's (province's) of its registered communes' (districts') latest roll-ups. `hamlets` is
/// the unit's own count of hamlets (for "hamlets with a club").
pub fn roll_up_inbox(store: &CommuneStore, period: &Period, hamlets: Option<u32>, plan: &PlanPreset) -> Result<Rollup> {
    let c = store.commune()?;
    let req = RollupRequest {
        commune: if c.level == Level::Commune { c.name.clone() } else { String::new() },
        district: c.district.clone(),
        province: c.province.clone(),
        period: period.clone(),
        hamlets,
        generated_on: store.today(),
    };
    // Each report is added as it is read: one parsed report in memory at a time.
    match c.level.below() {
        None => {
            let mut sums = rollup::ClubSums::new(period);
            status::each_club_input(store, period, |club| sums.add(&club))?;
            sums.finish(&req, plan)
        }
        Some(below) => {
            let mut sums = rollup::PartSums::new(period, c.level.code(), below.code());
            status::each_part_input(store, period, |part| sums.add(&part))?;
            sums.finish(&req, plan)
        }
    }
}

/// A roll-up bundle sent, as the `sent` table keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct SentBundle {
    pub sequence: u32,
    pub period: String,
    pub file_name: String,
    pub sha256: String,
    pub created_at: String,
    pub created_by: String,
}

/// Every roll-up bundle sent, oldest first.
pub fn sent(store: &CommuneStore) -> Result<Vec<SentBundle>> {
    let mut stmt = store
        .conn
        .prepare_cached("SELECT sequence, period_label, file_name, sha256, created_at, created_by FROM sent ORDER BY sequence")?;
    let rows = stmt.query_map([], |r| {
        Ok(SentBundle {
            sequence: r.get(0)?,
            period: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            created_at: r.get(4)?,
            created_by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Make the signed roll-up bundle of `period` in `out_dir` (a USB stick): `report.json` (the
/// roll-up, format `ishc-rollup`) and `report.html` (its A4 page in `lang`), signed with the
/// commune's key unlocked by `passphrase`, numbered after the last one sent and naming its digest.
#[allow(clippy::too_many_arguments)]
pub fn export(
    store: &mut CommuneStore,
    actor: &Actor,
    period: &Period,
    hamlets: Option<u32>,
    plan: &PlanPreset,
    lang: Lang,
    passphrase: &str,
    out_dir: &Path,
) -> Result<Exported> {
    export_with(store, actor, period, hamlets, plan, lang, passphrase, out_dir, &mut files::create_new)
}

/// `export` with the way the file is opened passed in (tests simulate a failing stick).
#[allow(clippy::too_many_arguments)]
pub(crate) fn export_with(
    store: &mut CommuneStore,
    actor: &Actor,
    period: &Period,
    hamlets: Option<u32>,
    plan: &PlanPreset,
    lang: Lang,
    passphrase: &str,
    out_dir: &Path,
    open: &mut Opener<'_>,
) -> Result<Exported> {
    let c = store.commune()?;
    let r = roll_up_inbox(store, period, hamlets, plan)?;
    let req = BundleRequest {
        period_label: period.label.clone(),
        period_from: period.from,
        period_to: period.to,
        files: vec![
            BundleFile { name: "report.json".into(), bytes: r.to_json()? },
            BundleFile { name: "report.html".into(), bytes: rollup::html::render(&r, lang).into_bytes() },
        ],
        includes_personal_data: false,
    };
    bundle::validate(&req)?;
    let (public_key, secret_box, created_at, created_by): (String, String, String, String) = store.conn.query_row(
        "SELECT public_key, secret_box, created_at, created_by FROM commune_key WHERE id = (SELECT max(id) FROM commune_key)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let signer = key::unlock_stored(&public_key, &secret_box, &c.name, (&created_at, &created_by), passphrase)?;
    if !out_dir.is_dir() {
        return Err(CoreError::BundleFolderMissing { path: out_dir.display().to_string() });
    }
    let sender = match c.level {
        Level::Commune => Sender { name: &c.name, commune: &c.name, district: &c.district, province: &c.province },
        Level::District => Sender { name: &c.name, commune: "", district: &c.name, province: &c.province },
        Level::Province => Sender { name: &c.name, commune: "", district: "", province: &c.province },
    };
    let mut written: Option<PathBuf> = None;
    let result = store.write(actor, |w| {
        let last: Option<(u32, String)> = w
            .tx
            .query_row("SELECT sequence, sha256 FROM sent ORDER BY sequence DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let sequence = last.as_ref().map_or(1, |(s, _)| s + 1);
        let previous = last.map(|(_, sha)| sha);
        let sealed = bundle::seal(&signer, &sender, &req, sequence, previous, crate::store::GENESIS.into(), out_dir, &mut written, open)?;
        let Sealed { path, file_name, sha256, size, manifest, manifest_bytes, signature } = sealed;
        w.tx.execute(
            "INSERT INTO sent (sequence, sha256, period_label, file_name, key_id, created_at, created_by, manifest, manifest_signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                sequence,
                sha256,
                period.label,
                file_name,
                signer.key.key_id,
                now(),
                w.actor.name(),
                String::from_utf8_lossy(&manifest_bytes),
                signature,
            ],
        )?;
        w.audit(
            "commune.rollup_export",
            Some(1),
            serde_json::json!({ "sequence": sequence, "period": period.label, "file_name": file_name, "sha256": sha256 }),
        )?;
        Ok(Exported { path, file_name, sequence, sha256, size, manifest })
    });
    bundle::unrecorded_removed(result, written)
}

/// One rendering of a roll-up and the extension it is saved under: `json`, `html`, `xlsx`, or
/// `dhis2` (DHIS2 `dataValueSets` through `mapping` for the unit `org_unit`, which it needs).
pub fn rendering(
    r: &Rollup,
    format: &str,
    mapping: &rollup::dhis2::MappingSet,
    org_unit: Option<&str>,
    lang: Lang,
) -> Result<(Vec<u8>, &'static str)> {
    match format {
        "dhis2" => {
            let org = org_unit
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .ok_or_else(|| CoreError::invalid(crate::error::Field::RollupOrgUnit, crate::error::Rule::Required))?;
            Ok((rollup::dhis2::render(r, mapping, org)?, "dhis2.json"))
        }
        f => {
            // `render` refuses anything but json, html and xlsx, naming the field.
            let bytes = rollup::render(r, f, lang)?;
            Ok((bytes, if f == "json" { "json" } else if f == "html" { "html" } else { "xlsx" }))
        }
    }
}

/// Save a roll-up's rendering in `dir` as `<unit>-<period>-tong-hop.<ext>` (`save_numbered`).
pub fn save_rendering(dir: &Path, unit: &str, period: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
    save_numbered(dir, &format!("{}-{period}-tong-hop", bundle::slug(unit)), ext, bytes)
}

/// Save the unit's public key in `dir` as `<unit>-khoa.pub` (`save_numbered`), for the level above
/// to register with the fingerprint it reads from the unit.
pub fn save_public_key(store: &CommuneStore, dir: &Path) -> Result<PathBuf> {
    let k = super::ledger::public_key_file(store)?;
    save_numbered(dir, &format!("{}-khoa", bundle::slug(&k.name)), "pub", k.public_key_file.as_bytes())
}

/// Save `bytes` in `dir` as `<stem>.<ext>`, never over a file: a name taken gets `-2`, `-3`…
/// (`files::numbered_name`). Returns the path written.
pub fn save_numbered(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
    if dir.as_os_str().is_empty() || !dir.is_dir() {
        return Err(CoreError::BundleFolderMissing { path: dir.display().to_string() });
    }
    let name = |n: u32| dir.join(if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") });
    let path = files::numbered_name(name, |p| !p.exists() && !files::partial_name(p).exists())
        .ok_or_else(|| CoreError::BundleExists { path: dir.join(format!("{stem}.{ext}")).display().to_string() })?;
    files::write_atomic(&path, bytes, files::Overwrite::Refuse)
        .map_err(|e| CoreError::BundleWriteFailed { path: path.display().to_string(), detail: e.to_string() })?;
    Ok(path)
}
