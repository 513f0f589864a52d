//! `ishc commune check`: does the inbox still hold what it received and sent? The triggers refuse a
//! change made through SQL, but someone with the file and a SQLite tool can drop them. The figures
//! the roll-up adds come from `received.report_json`, so each row is checked against the signed
//! bytes kept beside it: the bytes' digest, the bundle's signature with the key recorded for it, the
//! manifest's sequence, period and previous digest, the `report.json` text, and the chain from each
//! bundle to the next of the same club. The roll-up bundles sent are checked against the unit's key.
//! Nothing is written; one bundle's bytes are in memory at a time.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use super::ledger::CommuneStore;
use crate::error::Result;
use crate::notice::Notice;
use crate::signing::bundle;
use crate::signing::key;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "CommuneCheck")]
pub struct CheckReport {
    /// The unit checked (its name).
    pub name: String,
    /// No problem found.
    pub ok: bool,
    /// Received bundles looked at, and roll-up bundles sent.
    pub received: u32,
    pub sent: u32,
    /// Each problem: `commune.check.digest`, `.signature`, `.manifest`, `.report_json`, `.chain`,
    /// `.sent_signature`, with the club (or unit) and sequence. Empty when all is as received.
    pub problems: Vec<Notice>,
}

fn problem(code: &str, club: &str, sequence: u32, detail: &str) -> Notice {
    Notice::new(code, serde_json::json!({ "club": club, "sequence": sequence, "detail": detail }))
}

/// Check every received bundle and every roll-up bundle sent (see the module comment).
pub fn check(store: &CommuneStore) -> Result<CheckReport> {
    let mut problems = Vec::new();
    let keys: HashMap<String, String> = {
        let mut stmt = store.conn.prepare("SELECT fingerprint, public_key FROM club_key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut stmt = store.conn.prepare(
        "SELECT c.name, r.club_id, r.sequence, r.sha256, r.previous_sha256, r.period_label, r.key_fingerprint,
                r.gap_before, r.size, r.bytes, r.report_json
         FROM received r JOIN club c ON c.id = r.club_id ORDER BY r.club_id, r.sequence",
    )?;
    let mut rows = stmt.query([])?;
    let mut received = 0u32;
    // The club and the (sequence, digest) of the row before, for the chain.
    let mut before: Option<(i64, u32, String)> = None;
    while let Some(r) = rows.next()? {
        received += 1;
        let club: String = r.get(0)?;
        let club_id: i64 = r.get(1)?;
        let sequence: u32 = r.get(2)?;
        let sha256: String = r.get(3)?;
        let previous: Option<String> = r.get(4)?;
        let period: String = r.get(5)?;
        let fingerprint: String = r.get(6)?;
        let gap_before: bool = r.get(7)?;
        let size: i64 = r.get(8)?;
        let bytes: Vec<u8> = r.get(9)?;
        let stored_report: Option<String> = r.get(10)?;
        if bundle::sha256_hex(&bytes) != sha256 || size != bytes.len() as i64 {
            problems.push(problem("commune.check.digest", &club, sequence, "bytes"));
        } else {
            match keys.get(&fingerprint) {
                None => problems.push(problem("commune.check.signature", &club, sequence, "key")),
                Some(pk) => {
                    let v = bundle::verify_bytes(&bytes, Some(pk));
                    match (&v.problem, &v.manifest) {
                        (Some(p), _) => problems.push(problem("commune.check.signature", &club, sequence, &p.code)),
                        (None, Some(m)) => {
                            if m.sequence != sequence || m.previous_bundle_sha256 != previous || m.period.label != period {
                                problems.push(problem("commune.check.manifest", &club, sequence, "sequence, period or previous"));
                            }
                        }
                        (None, None) => problems.push(problem("commune.check.signature", &club, sequence, "manifest")),
                    }
                }
            }
            if super::import::report_json(&bytes) != stored_report {
                problems.push(problem("commune.check.report_json", &club, sequence, "report.json"));
            }
        }
        match &before {
            Some((id, seq, sha)) if *id == club_id => {
                if *seq + 1 == sequence {
                    if previous.as_deref() != Some(sha.as_str()) {
                        problems.push(problem("commune.check.chain", &club, sequence, "previous"));
                    }
                } else if !gap_before {
                    problems.push(problem("commune.check.chain", &club, sequence, "gap"));
                }
            }
            // The club's first bundle held: a later one only when the gap was said at import.
            _ if sequence > 1 && !gap_before => problems.push(problem("commune.check.chain", &club, sequence, "gap")),
            _ => {}
        }
        before = Some((club_id, sequence, sha256));
    }

    // The roll-up bundles sent: each manifest signed by the unit's key, each naming the one before.
    let unit = store.commune()?;
    let public_key: String =
        store.conn.query_row("SELECT public_key FROM commune_key WHERE id = (SELECT max(id) FROM commune_key)", [], |r| r.get(0))?;
    let pk = key::parse_public_key(&public_key)?;
    let mut stmt = store.conn.prepare("SELECT sequence, sha256, manifest, manifest_signature FROM sent ORDER BY sequence")?;
    let mut rows = stmt.query([])?;
    let mut sent = 0u32;
    let mut last: Option<String> = None;
    while let Some(r) = rows.next()? {
        sent += 1;
        let sequence: u32 = r.get(0)?;
        let sha256: String = r.get(1)?;
        let manifest: String = r.get(2)?;
        let signature: String = r.get(3)?;
        if key::verify_signature(&pk, manifest.as_bytes(), &signature).is_err() {
            problems.push(problem("commune.check.sent_signature", &unit.name, sequence, "signature"));
        } else {
            let m: std::result::Result<bundle::Manifest, _> = serde_json::from_str(&manifest);
            if !m.is_ok_and(|m| m.sequence == sequence && m.previous_bundle_sha256 == last) {
                problems.push(problem("commune.check.sent_signature", &unit.name, sequence, "sequence or previous"));
            }
        }
        last = Some(sha256);
    }
    Ok(CheckReport { name: unit.name, ok: problems.is_empty(), received, sent, problems })
}
