use std::fs::{self, File, OpenOptions};
use std::io::{self, Cursor, Read, Write};
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::*;
use crate::books;
use crate::error::{CoreError, Field, Rule};
use crate::store::audit::Actor;
use crate::files::Sink;
use crate::signing::key::ClubKey;
use crate::books::{Fund, ReceiptInput, Source, Via};
use crate::life::meeting::tests::club_with;

const PASS: &str = "mật khẩu câu lạc bộ";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn keyed_club() -> (Store, Actor, i64, ClubKey) {
    let (mut store, actor, club, _members) = club_with(5);
    let key = key::create(&mut store, &actor, club, PASS).unwrap();
    (store, actor, club, key)
}

fn files() -> Vec<BundleFile> {
    vec![
        BundleFile { name: "report.xlsx".into(), bytes: b"PK\x03\x04 pretend spreadsheet \x00\x01\x02".to_vec() },
        BundleFile { name: "report.json".into(), bytes: r#"{"club":"CLB Đông Hòa","members":5}"#.as_bytes().to_vec() },
        BundleFile { name: "report.html".into(), bytes: "<!DOCTYPE html><p>Báo cáo năm 2026</p>".as_bytes().to_vec() },
    ]
}

fn request(label: &str) -> BundleRequest {
    BundleRequest {
        period_label: label.into(),
        period_from: d("2026-01-01"),
        period_to: d("2026-12-31"),
        files: files(),
        includes_personal_data: false,
    }
}

fn export_one(store: &mut Store, actor: &Actor, club: i64, dir: &Path, label: &str) -> Exported {
    export(store, actor, club, PASS, request(label), dir).unwrap()
}

/// Every entry of a zip, in order (test side: read with the zip crate directly).
fn entries_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let list: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
    build_zip(&list).unwrap()
}

fn problem(report: &VerifyReport) -> (String, serde_json::Value) {
    assert!(!report.ok, "expected a problem, the bundle verified");
    let p = report.problem.clone().expect("a failed report names its problem");
    (p.code, p.params)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort();
    names
}

fn a_bundle() -> (tempfile::TempDir, Store, Actor, i64, ClubKey, Exported, Vec<u8>) {
    let (mut store, actor, club, key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    let exported = export_one(&mut store, &actor, club, dir.path(), "2026");
    let bytes = fs::read(&exported.path).unwrap();
    (dir, store, actor, club, key, exported, bytes)
}

#[test]
fn export_then_verify_round_trip() {
    let (dir, store, _actor, club, key, exported, bytes) = a_bundle();
    assert_eq!(exported.file_name, "ishc-clb-dong-hoa-2026-0001.zip");
    assert_eq!(exported.path, dir.path().join(&exported.file_name));
    assert_eq!(listing(dir.path()), vec![exported.file_name.clone()], "no temporary file is left");
    assert_eq!((exported.sequence, exported.size), (1, bytes.len() as u64));
    assert_eq!(exported.sha256, sha256_hex(&bytes));

    let m = &exported.manifest;
    assert_eq!((m.format.as_str(), m.format_version, m.sequence), ("ishc-report-bundle", 2, 1));
    assert_eq!(m.club.name, "CLB Đông Hòa");
    assert_eq!((m.club.key_id.as_str(), m.club.key_fingerprint.as_str()), (key.key_id.as_str(), key.fingerprint.as_str()));
    assert_eq!(m.period, ManifestPeriod { label: "2026".into(), from: d("2026-01-01"), to: d("2026-12-31") });
    assert_eq!(m.previous_bundle_sha256, None);
    assert_eq!(m.ledger_head, books::GENESIS, "no journal entry yet");
    assert_eq!(m.app_version, crate::VERSION);
    assert!(chrono::DateTime::parse_from_rfc3339(&m.created_at).is_ok() && m.created_at.ends_with('Z'));
    assert_eq!(m.key_rotation, None);
    let names: Vec<&str> = m.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["club.pub", "report.html", "report.json", "report.xlsx"]);
    for f in files() {
        let listed = m.files.iter().find(|g| g.name == f.name).unwrap();
        assert_eq!((listed.size, listed.sha256.clone()), (f.bytes.len() as u64, sha256_hex(&f.bytes)));
    }

    // The zip: canonical order, STORED, 1980-01-01, plain 0644 files.
    let entries = entries_of(&bytes);
    let order: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(order, ["manifest.json", "manifest.json.minisig", "club.pub", "report.html", "report.json", "report.xlsx"]);
    assert_eq!(entries[2].1, key.public_key_file.as_bytes());
    assert_eq!(serde_json::from_slice::<Manifest>(&entries[0].1).unwrap(), exported.manifest);
    let sig = String::from_utf8(entries[1].1.clone()).unwrap();
    assert!(sig.contains(&format!("trusted comment: ishc bundle club={} period=2026 seq=1", key.key_id)), "{sig}");
    let mut archive = ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
    for i in 0..archive.len() {
        let f = archive.by_index(i).unwrap();
        assert_eq!(f.compression(), CompressionMethod::Stored);
        assert_eq!(f.last_modified(), Some(DateTime::default()));
        assert_eq!(f.unix_mode(), Some(0o100644));
    }

    // The commune's check: with the card's key, with the bare base64, and trusting club.pub.
    for given in [Some(key.public_key_file.as_str()), Some(key.public_key.as_str()), None] {
        let report = verify_file(&exported.path, given).unwrap();
        assert!(report.ok, "{:?}", report.problem);
        assert_eq!(report.problem, None);
        assert_eq!(report.key_id.as_deref(), Some(key.key_id.as_str()));
        assert_eq!(report.fingerprint.as_deref(), Some(key.fingerprint.as_str()));
        let against = if given.is_some() { CheckedAgainst::GivenKey } else { CheckedAgainst::BundleKey };
        assert_eq!(report.checked_against, against);
        assert_eq!(serde_json::to_value(report.checked_against).unwrap(), if given.is_some() { "given_key" } else { "bundle_key" });
        assert_eq!(report.manifest.as_ref(), Some(&exported.manifest));
        assert_eq!(report.files, order);
    }

    let register = list(&store, club).unwrap();
    assert_eq!(register.len(), 1);
    assert_eq!(
        (register[0].sequence, register[0].file_name.as_str(), register[0].sha256.as_str(), register[0].key_id.as_str()),
        (1, exported.file_name.as_str(), exported.sha256.as_str(), key.key_id.as_str())
    );
    assert_eq!(register[0].manifest_sha256, sha256_hex(&entries[0].1));
    let trail = crate::store::audit::list(&store, club, 1).unwrap();
    assert_eq!(trail[0].action, "bundle.export");
    assert_eq!(trail[0].detail["sequence"], 1);
}

#[test]
fn bundles_are_numbered_and_chained_and_name_the_ledger_head() {
    let (mut store, actor, club, key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    let mut previous: Option<Vec<u8>> = None;
    for n in 1..=3u32 {
        let receipt = ReceiptInput {
            fund: Fund::Activity,
            amount: 100_000 * n as i64,
            source: Source::Community,
            date: d("2026-03-01"),
            member_id: None,
            memo: String::new(),
            via: Via::Cash,
        };
        let entry = books::receipt(&mut store, &actor, club, &receipt).unwrap();
        let e = export_one(&mut store, &actor, club, dir.path(), &format!("2026-q{n}"));
        let bytes = fs::read(&e.path).unwrap();
        assert_eq!(e.sequence, n);
        assert_eq!(e.file_name, format!("ishc-clb-dong-hoa-2026-q{n}-{n:04}.zip"));
        assert_eq!(e.manifest.sequence, n);
        assert_eq!(e.manifest.previous_bundle_sha256, previous.as_ref().map(|b| sha256_hex(b)));
        assert_eq!(e.manifest.ledger_head, entry.hash, "the head is the newest journal entry");
        assert!(verify_bytes(&bytes, Some(&key.public_key_file)).ok);
        previous = Some(bytes);
    }
    let seqs: Vec<u32> = list(&store, club).unwrap().iter().map(|b| b.sequence).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(listing(dir.path()).len(), 3);
}

#[test]
fn refusals_write_nothing_and_record_nothing() {
    let (mut store, actor, club, key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    let err = export(&mut store, &actor, club, "wrong passphrase", request("2026"), dir.path()).unwrap_err();
    assert_eq!(err, CoreError::KeyWrongPassphrase { field: Field::Passphrase });
    let missing = dir.path().join("no-such-stick");
    let err = export(&mut store, &actor, club, PASS, request("2026"), &missing).unwrap_err();
    assert_eq!(err, CoreError::BundleFolderMissing { path: missing.display().to_string() });
    assert!(crate::i18n::error_message(crate::i18n::Lang::Vi, &err).contains(&missing.display().to_string()));

    let mut bad = Vec::new();
    let with = |f: &dyn Fn(&mut BundleRequest)| {
        let mut r = request("2026");
        f(&mut r);
        r
    };
    bad.push((with(&|r| r.period_label = "2026/27".into()), CoreError::invalid(Field::BundlePeriod, Rule::Characters { example: "2026-q3".into() })));
    bad.push((with(&|r| r.period_label = String::new()), CoreError::invalid(Field::BundlePeriod, Rule::Required)));
    bad.push((with(&|r| r.period_to = d("2025-12-31")), CoreError::invalid(Field::BundlePeriodTo, Rule::BeforeDate { other: "2026-01-01".into() })));
    bad.push((with(&|r| r.files.clear()), CoreError::BundleEmpty));
    bad.push((with(&|r| r.files[0].name = "club.pub".into()), CoreError::BundleUnsafePath { name: "club.pub".into() }));
    bad.push((with(&|r| r.files[0].name = "../report.xlsx".into()), CoreError::BundleUnsafePath { name: "../report.xlsx".into() }));
    bad.push((with(&|r| r.files[0].name = "report.json".into()), CoreError::BundleDuplicate { name: "report.json".into() }));
    bad.push((
        with(&|r| r.files[1].bytes = vec![0; MAX_ENTRY_BYTES as usize + 1]),
        CoreError::BundleTooLarge { name: "report.json".into(), max_mib: 16 },
    ));
    for (req, want) in bad {
        assert_eq!(export(&mut store, &actor, club, PASS, req, dir.path()).unwrap_err(), want);
    }
    // A file of that name already on the stick is not overwritten.
    fs::write(dir.path().join("ishc-clb-dong-hoa-2026-0001.zip"), b"older copy").unwrap();
    let err = export(&mut store, &actor, club, PASS, request("2026"), dir.path()).unwrap_err();
    assert_eq!(err.code(), "bundle.exists");
    assert_eq!(fs::read(dir.path().join("ishc-clb-dong-hoa-2026-0001.zip")).unwrap(), b"older copy");
    assert_eq!(listing(dir.path()), ["ishc-clb-dong-hoa-2026-0001.zip"]);
    assert!(list(&store, club).unwrap().is_empty());
    assert!(!crate::store::audit::list(&store, club, 50).unwrap().iter().any(|e| e.action == "bundle.export"));

    // A club without a key cannot sign.
    let (mut bare, actor2, club2, _) = club_with(3);
    assert_eq!(export(&mut bare, &actor2, club2, PASS, request("2026"), dir.path()).unwrap_err(), CoreError::KeyMissing { club_id: club2 });
    let _ = key;
}

/// A writer that takes `left` bytes and then fails as a USB stick pulled out mid-write does.
struct PulledStick {
    file: File,
    left: usize,
    fail_sync: bool,
}

impl Write for PulledStick {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("No such device (the stick was pulled out)"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        self.file.write(&buf[..n])
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Sink for PulledStick {
    fn sync(&mut self) -> io::Result<()> {
        if self.fail_sync {
            return Err(io::Error::other("Input/output error"));
        }
        self.file.sync_all()
    }
}

#[test]
fn a_stick_pulled_out_mid_write_leaves_no_bundle_and_keeps_the_sequence() {
    let (mut store, actor, club, key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    for (left, fail_sync) in [(0, false), (100, false), (1500, false), (usize::MAX, true)] {
        let mut open = |p: &Path| -> io::Result<Box<dyn Sink>> {
            let file = OpenOptions::new().write(true).create_new(true).open(p)?;
            Ok(Box::new(PulledStick { file, left, fail_sync }))
        };
        let err = export_with(&mut store, &actor, club, PASS, request("2026"), dir.path(), &mut open).unwrap_err();
        let CoreError::BundleWriteFailed { path, detail } = &err else { panic!("{err:?}") };
        assert!(path.ends_with("ishc-clb-dong-hoa-2026-0001.zip"), "{path}");
        assert!(detail.contains(if fail_sync { "Input/output error" } else { "No such device" }), "{detail}");
        assert!(crate::i18n::error_message(crate::i18n::Lang::Vi, &err).contains(detail.as_str()));
        assert!(listing(dir.path()).is_empty(), "after {left} bytes: {:?}", listing(dir.path()));
        assert!(list(&store, club).unwrap().is_empty());
    }
    // A stick that is write-protected: the folder is named.
    let mut locked = |_: &Path| -> io::Result<Box<dyn Sink>> { Err(io::Error::from(io::ErrorKind::PermissionDenied)) };
    let err = export_with(&mut store, &actor, club, PASS, request("2026"), dir.path(), &mut locked).unwrap_err();
    let CoreError::BundleFolderNotWritable { path, .. } = &err else { panic!("{err:?}") };
    assert_eq!(path, &dir.path().display().to_string());
    assert!(listing(dir.path()).is_empty());
    assert!(!crate::store::audit::list(&store, club, 50).unwrap().iter().any(|e| e.action == "bundle.export"));
    // Plugged in again: the same number, 1, is used.
    let e = export_one(&mut store, &actor, club, dir.path(), "2026");
    assert_eq!(e.sequence, 1);
    assert!(verify_file(&e.path, Some(&key.public_key)).unwrap().ok);
}

/// A stick that silently stores something else: the read-back catches it.
struct Corrupting {
    file: File,
    at: usize,
    seen: usize,
}

impl Write for Corrupting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut b = buf.to_vec();
        if (self.seen..self.seen + b.len()).contains(&self.at) {
            b[self.at - self.seen] ^= 0x20;
        }
        self.seen += b.len();
        self.file.write_all(&b)?;
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Sink for Corrupting {
    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_all()
    }
}

#[test]
fn a_file_that_reads_back_wrong_is_removed_and_not_recorded() {
    let (mut store, actor, club, _key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    let mut open = |p: &Path| -> io::Result<Box<dyn Sink>> {
        Ok(Box::new(Corrupting { file: OpenOptions::new().write(true).create_new(true).open(p)?, at: 700, seen: 0 }))
    };
    let err = export_with(&mut store, &actor, club, PASS, request("2026"), dir.path(), &mut open).unwrap_err();
    assert_eq!(err.code(), "bundle.readback_failed");
    assert!(listing(dir.path()).is_empty());
    assert!(list(&store, club).unwrap().is_empty());
    assert_eq!(export_one(&mut store, &actor, club, dir.path(), "2026").sequence, 1);
}

#[test]
fn every_single_byte_changed_is_found() {
    let (_dir, _store, _actor, _club, key, _e, bytes) = a_bundle();
    let started = std::time::Instant::now();
    let mut copy = bytes.clone();
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            copy[i] ^= flip;
            let report = verify_bytes(&copy, Some(&key.public_key_file));
            assert!(!report.ok, "flipping bit {flip:#x} of byte {i} of {} went unnoticed", bytes.len());
            assert!(report.problem.is_some());
            copy[i] ^= flip;
        }
    }
    // And without the card's key, trusting the bundle's own club.pub.
    for i in 0..bytes.len() {
        copy[i] ^= 0xFF;
        assert!(!verify_bytes(&copy, None).ok, "changing byte {i} went unnoticed without --key");
        copy[i] ^= 0xFF;
    }
    assert_eq!(copy, bytes);
    eprintln!("every_single_byte_changed_is_found: {} bytes × 3 changes in {:?}", bytes.len(), started.elapsed());
}

/// Rebuild the bundle with `f` applied to its entries (a consistent, well-formed zip).
fn altered(bytes: &[u8], f: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut entries = entries_of(bytes);
    f(&mut entries);
    rezip(&entries)
}

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries.iter_mut().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn tampering_is_named_precisely() {
    let (_dir, store, _actor, club, key, _e, bytes) = a_bundle();
    let pk = Some(key.public_key_file.as_str());
    let name = |n: &str| serde_json::json!({ "name": n });

    let changed = altered(&bytes, |e| entry(e, "report.html").extend_from_slice("<p>thêm</p>".as_bytes()));
    let report = verify_bytes(&changed, pk);
    assert_eq!(problem(&report), ("bundle.digest_mismatch".into(), name("report.html")));
    assert!(report.manifest.is_some(), "the signed manifest is shown even when a file is wrong");

    let changed = altered(&bytes, |e| {
        let m = String::from_utf8(entry(e, "manifest.json").clone()).unwrap();
        *entry(e, "manifest.json") = m.replace("\"includes_personal_data\": false", "\"includes_personal_data\": true").into_bytes();
    });
    let (code, params) = problem(&verify_bytes(&changed, pk));
    assert_eq!((code.as_str(), &params["name"]), ("bundle.bad_signature", &serde_json::json!("manifest.json")));

    let changed = altered(&bytes, |e| e.retain(|(n, _)| n != "report.xlsx"));
    assert_eq!(problem(&verify_bytes(&changed, pk)), ("bundle.missing".into(), name("report.xlsx")));

    let changed = altered(&bytes, |e| e.push(("notes.txt".into(), b"extra".to_vec())));
    assert_eq!(problem(&verify_bytes(&changed, pk)), ("bundle.extra".into(), name("notes.txt")));

    let changed = altered(&bytes, |e| e.iter_mut().find(|(n, _)| n == "report.json").unwrap().0 = "report2.json".into());
    assert_eq!(problem(&verify_bytes(&changed, pk)), ("bundle.missing".into(), name("report.json")));

    for gone in ["manifest.json", "manifest.json.minisig", "club.pub"] {
        let changed = altered(&bytes, |e| e.retain(|(n, _)| n != gone));
        assert_eq!(problem(&verify_bytes(&changed, pk)), ("bundle.missing".into(), name(gone)));
    }

    // Same files in another order, or with another date: only the container differs.
    let changed = altered(&bytes, |e| e.swap(3, 4));
    assert_eq!(problem(&verify_bytes(&changed, pk)).0, "bundle.altered_container");
    let entries = entries_of(&bytes);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let later = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::from_date_and_time(2026, 11, 22, 8, 0, 0).unwrap())
        .unix_permissions(0o644)
        .system(System::Unix);
    for (n, data) in &entries {
        zip.start_file(n.as_str(), later).unwrap();
        zip.write_all(data).unwrap();
    }
    let redated = zip.finish().unwrap().into_inner();
    assert_eq!(problem(&verify_bytes(&redated, pk)).0, "bundle.altered_container");
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (n, data) in &entries {
        zip.start_file(n.as_str(), later.last_modified_time(DateTime::default())).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.set_comment("harmless?").unwrap();
    let commented = zip.finish().unwrap().into_inner();
    assert_eq!(problem(&verify_bytes(&commented, pk)).0, "bundle.altered_container");

    // A stored byte changed in place: the CRC names the damaged file.
    let at = bytes.windows(8).position(|w| w == b"pretend ").unwrap();
    let mut damaged = bytes.clone();
    damaged[at] ^= 0x01;
    let (code, params) = problem(&verify_bytes(&damaged, pk));
    assert_eq!((code.as_str(), &params["name"]), ("bundle.damaged", &serde_json::json!("report.xlsx")));

    // Half a bundle (a copy cut short).
    let (code, _) = problem(&verify_bytes(&bytes[..bytes.len() / 2], pk));
    assert_eq!(code, "bundle.not_zip");
    assert_eq!(problem(&verify_bytes(b"just some text", pk)).0, "bundle.not_zip");
    let _ = (store, club);
}

#[test]
fn the_key_decides_whose_bundle_it_is() {
    let (_dir, _store, _actor, _club, key, _e, bytes) = a_bundle();
    // Another club's key given as the card's: refused, naming both.
    let (_d2, mut other_store, other_actor, other_club, other_key, other_export, other_bytes) = a_bundle();
    let (code, params) = problem(&verify_bytes(&bytes, Some(&other_key.public_key_file)));
    assert_eq!(code, "bundle.key_mismatch");
    assert_eq!(params, serde_json::json!({ "expected": other_key.fingerprint, "found": key.fingerprint }));
    assert!(verify_bytes(&other_bytes, Some(&other_key.public_key)).ok);

    // Someone re-signs an edited manifest with their own key and ships their own club.pub: on its
    // own it is self-consistent (hence the card), against the card's key it is refused.
    let forger = key::unlock(&other_store, other_club, PASS).unwrap();
    let forged = altered(&bytes, |e| {
        let mut m: Manifest = serde_json::from_slice(entry(e, "manifest.json")).unwrap();
        m.club.key_id = forger.key.key_id.clone();
        m.club.key_fingerprint = forger.key.fingerprint.clone();
        m.files.iter_mut().find(|f| f.name == "club.pub").unwrap().sha256 = sha256_hex(forger.key.public_key_file.as_bytes());
        m.files.iter_mut().find(|f| f.name == "club.pub").unwrap().size = forger.key.public_key_file.len() as u64;
        let mut text = serde_json::to_vec_pretty(&m).unwrap();
        text.push(b'\n');
        *entry(e, "manifest.json.minisig") = key::sign(&forger, &text, "forged").unwrap().into_bytes();
        *entry(e, "manifest.json") = text;
        *entry(e, "club.pub") = forger.key.public_key_file.clone().into_bytes();
    });
    let alone = verify_bytes(&forged, None);
    assert!(alone.ok, "{:?}", alone.problem);
    assert_eq!(alone.key_id.as_deref(), Some(forger.key.key_id.as_str()));
    assert_ne!(alone.key_id.as_deref(), Some(key.key_id.as_str()), "the fingerprint shown is not the card's");
    let (code, params) = problem(&verify_bytes(&forged, Some(&key.public_key_file)));
    assert_eq!(code, "bundle.key_mismatch");
    assert_eq!(params["expected"], key.fingerprint);

    // The right club.pub but a manifest signed by another key.
    let swapped_sig = altered(&bytes, |e| {
        let text = entry(e, "manifest.json").clone();
        *entry(e, "manifest.json.minisig") = key::sign(&forger, &text, "forged").unwrap().into_bytes();
    });
    assert_eq!(problem(&verify_bytes(&swapped_sig, Some(&key.public_key))).0, "bundle.bad_signature");

    // Not a key at all.
    assert_eq!(problem(&verify_bytes(&bytes, Some("RWQ not a key"))).0, "key.invalid");
    let _ = (other_export, &mut other_store, other_actor);
}

/// Sign `manifest` (any text) with the club key and pack it with the bundle's other files.
fn resigned(store: &Store, club: i64, bytes: &[u8], manifest: &[u8]) -> Vec<u8> {
    resigned_with(store, club, PASS, bytes, manifest)
}

fn resigned_with(store: &Store, club: i64, passphrase: &str, bytes: &[u8], manifest: &[u8]) -> Vec<u8> {
    let signer = key::unlock(store, club, passphrase).unwrap();
    altered(bytes, |e| {
        *entry(e, "manifest.json.minisig") = key::sign(&signer, manifest, "test").unwrap().into_bytes();
        *entry(e, "manifest.json") = manifest.to_vec();
    })
}

#[test]
fn a_signed_manifest_must_still_be_well_formed() {
    let (_dir, store, _actor, club, key, exported, bytes) = a_bundle();
    let pk = Some(key.public_key.as_str());
    let mut v = serde_json::to_value(&exported.manifest).unwrap();
    v["format_version"] = serde_json::json!(FORMAT_VERSION + 1);
    let (code, params) = problem(&verify_bytes(&resigned(&store, club, &bytes, v.to_string().as_bytes()), pk));
    assert_eq!((code.as_str(), params["version"].as_str()), ("bundle.unknown_version", Some("3")));
    // Version 1 put the key id where the fingerprint goes: such a bundle is refused, not misread.
    v["format_version"] = serde_json::json!(1);
    let (code, params) = problem(&verify_bytes(&resigned(&store, club, &bytes, v.to_string().as_bytes()), pk));
    assert_eq!((code.as_str(), params["version"].as_str()), ("bundle.unknown_version", Some("1")));

    let mut v = serde_json::to_value(&exported.manifest).unwrap();
    v["surprise"] = serde_json::json!(true);
    let (code, params) = problem(&verify_bytes(&resigned(&store, club, &bytes, v.to_string().as_bytes()), pk));
    assert_eq!(code, "bundle.bad_manifest");
    assert!(params["detail"].as_str().unwrap().contains("surprise"), "{params}");

    let (code, _) = problem(&verify_bytes(&resigned(&store, club, &bytes, b"{ not json"), pk));
    assert_eq!(code, "bundle.bad_manifest");

    let mut m = exported.manifest.clone();
    m.club.key_id = "0123456789ABCDEF".into();
    let (code, params) =
        problem(&verify_bytes(&resigned(&store, club, &bytes, &serde_json::to_vec_pretty(&m).unwrap()), pk));
    assert_eq!(code, "bundle.key_id_mismatch");
    assert_eq!(params, serde_json::json!({ "manifest_key_id": "0123456789ABCDEF", "key_id": key.key_id }));

    // The old meaning of the field (the key id in groups) is not the fingerprint.
    let mut m = exported.manifest.clone();
    let id = &key.key_id;
    m.club.key_fingerprint = format!("{} {} {} {}", &id[..4], &id[4..8], &id[8..12], &id[12..]);
    let (code, params) =
        problem(&verify_bytes(&resigned(&store, club, &bytes, &serde_json::to_vec_pretty(&m).unwrap()), pk));
    assert_eq!(code, "bundle.fingerprint_mismatch");
    assert_eq!(params, serde_json::json!({ "manifest_fingerprint": m.club.key_fingerprint, "fingerprint": key.fingerprint }));
}

/// The attack of issue 12: a key of the forger's own carrying the club's key id, a changed report
/// re-signed with it, the bundle rebuilt the canonical way. The fingerprint tells it apart.
#[test]
fn a_key_with_the_clubs_key_id_does_not_pass_for_the_clubs_key() {
    let (_dir, _store, _actor, _club, key, exported, bytes) = a_bundle();
    let real = key::parse_public_key(&key.public_key).unwrap();
    let (fake, fake_sk) = key::tests::impostor_with_key_id_of(&real);
    let fake_fingerprint = key::fingerprint(&fake);
    assert_eq!(key::key_id_of(&fake), key.key_id);
    assert_ne!(fake_fingerprint, key.fingerprint, "the fingerprints differ though the key ids are equal");

    let forge = |claimed_fingerprint: &str| {
        let fake_pub = key::public_key_file(&key.key_id, "CLB Đông Hòa", &fake.to_base64());
        let report = r#"{"club":"CLB Đông Hòa","members":500}"#.as_bytes().to_vec();
        let mut m = exported.manifest.clone();
        m.club.key_fingerprint = claimed_fingerprint.to_string();
        for (name, data) in [("report.json", &report), ("club.pub", &fake_pub.as_bytes().to_vec())] {
            let f = m.files.iter_mut().find(|f| f.name == name).unwrap();
            (f.size, f.sha256) = (data.len() as u64, sha256_hex(data));
        }
        let mut text = serde_json::to_vec_pretty(&m).unwrap();
        text.push(b'\n');
        let sig = minisign::sign(Some(&fake), &fake_sk, Cursor::new(&text), Some("forged"), None).unwrap().into_string();
        altered(&bytes, |e| {
            *entry(e, "report.json") = report.clone();
            *entry(e, "club.pub") = fake_pub.clone().into_bytes();
            *entry(e, "manifest.json.minisig") = sig.into_bytes();
            *entry(e, "manifest.json") = text;
        })
    };

    // Claiming the card's fingerprint: the verifier recomputes it from the key and refuses.
    let (code, params) = problem(&verify_bytes(&forge(&key.fingerprint), None));
    assert_eq!(code, "bundle.fingerprint_mismatch");
    assert_eq!(params, serde_json::json!({ "manifest_fingerprint": key.fingerprint, "fingerprint": fake_fingerprint }));

    // Giving its own fingerprint: self-consistent, so it passes alone — but it says it was checked
    // against the bundle's own key, and shows the impostor's fingerprint, not the card's.
    let forged = forge(&fake_fingerprint);
    let alone = verify_bytes(&forged, None);
    assert!(alone.ok, "{:?}", alone.problem);
    assert_eq!(alone.checked_against, CheckedAgainst::BundleKey);
    assert_eq!(alone.key_id.as_deref(), Some(key.key_id.as_str()), "the key id alone cannot tell");
    assert_eq!(alone.fingerprint.as_deref(), Some(fake_fingerprint.as_str()));
    assert_ne!(alone.fingerprint.as_deref(), Some(key.fingerprint.as_str()));

    // With the card's key: refused, naming both fingerprints, which differ.
    for given in [key.public_key_file.as_str(), key.public_key.as_str()] {
        let report = verify_bytes(&forged, Some(given));
        assert_eq!(report.checked_against, CheckedAgainst::GivenKey);
        let (code, params) = problem(&report);
        assert_eq!(code, "bundle.key_mismatch");
        assert_eq!(params, serde_json::json!({ "expected": key.fingerprint, "found": fake_fingerprint }));
        let err = CoreError::BundleKeyMismatch { expected: key.fingerprint.clone(), found: fake_fingerprint.clone() };
        for lang in [crate::i18n::Lang::Vi, crate::i18n::Lang::En] {
            let said = crate::i18n::error_message(lang, &err);
            assert!(said.contains(&key.fingerprint) && said.contains(&fake_fingerprint), "{said}");
        }
    }
}

/// A zip with the given entries written however the test likes.
fn zip_with(f: impl FnOnce(&mut ZipWriter<Cursor<Vec<u8>>>)) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    f(&mut zip);
    zip.finish().unwrap().into_inner()
}

fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

#[test]
fn hostile_zips_are_refused_without_writing_anything() {
    let (_dir, _store, _actor, _club, key, _e, _bytes) = a_bundle();
    let pk = Some(key.public_key.as_str());
    let work = tempfile::tempdir().unwrap();
    let escape_name = format!("ishc-escape-{}", std::process::id());
    let cases: Vec<(&str, Vec<u8>, &str, String)> = vec![
        (
            "parent",
            zip_with(|z| {
                z.start_file(format!("../{escape_name}"), stored()).unwrap();
                z.write_all(b"x").unwrap();
            }),
            "bundle.unsafe_path",
            format!("../{escape_name}"),
        ),
        (
            "absolute",
            zip_with(|z| {
                z.start_file("/tmp/evil", stored()).unwrap();
                z.write_all(b"x").unwrap();
            }),
            "bundle.unsafe_path",
            "/tmp/evil".into(),
        ),
        (
            "drive",
            zip_with(|z| {
                z.start_file("C:evil", stored()).unwrap();
                z.write_all(b"x").unwrap();
            }),
            "bundle.unsafe_path",
            "C:evil".into(),
        ),
        (
            "backslash",
            zip_with(|z| {
                z.start_file("a\\..\\evil", stored()).unwrap();
                z.write_all(b"x").unwrap();
            }),
            "bundle.unsafe_path",
            "a\\..\\evil".into(),
        ),
        (
            "symlink",
            zip_with(|z| z.add_symlink("club.pub", "/etc/passwd", stored()).unwrap()),
            "bundle.link",
            "club.pub".into(),
        ),
        ("folder", zip_with(|z| z.add_directory("reports/", stored()).unwrap()), "bundle.directory", "reports/".into()),
        (
            "declared bomb",
            zip_with(|z| {
                z.start_file("report.json", SimpleFileOptions::default().compression_method(CompressionMethod::Deflated))
                    .unwrap();
                z.write_all(&vec![0u8; 20 * 1024 * 1024]).unwrap();
            }),
            "bundle.too_large",
            "report.json".into(),
        ),
    ];
    for (what, zip, want, name) in cases {
        let path = work.path().join(format!("{what}.zip"));
        fs::write(&path, &zip).unwrap();
        let report = verify_file(&path, pk).unwrap();
        let (code, params) = problem(&report);
        assert_eq!((code.as_str(), params["name"].as_str()), (want, Some(name.as_str())), "{what}");
    }
    // A bomb whose header lies: 20 MiB of zeros declared as 1 KiB. Reading stops at the limit.
    let mut bomb = zip_with(|z| {
        z.start_file("report.json", SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)).unwrap();
        z.write_all(&vec![0u8; 20 * 1024 * 1024]).unwrap();
    });
    let size = (20u32 * 1024 * 1024).to_le_bytes();
    let lie = 1024u32.to_le_bytes();
    let mut patched = 0;
    for at in 22..bomb.len() - 4 {
        // Uncompressed size in the local header (offset 22) and the central directory (offset 24).
        let local = bomb[at - 22..at - 18] == *b"PK\x03\x04";
        let central = at >= 24 && bomb[at - 24..at - 20] == *b"PK\x01\x02";
        if bomb[at..at + 4] == size && (local || central) {
            bomb[at..at + 4].copy_from_slice(&lie);
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers now claim 1 KiB");
    // Refused at the declared size: the reader stops at 1 KiB instead of inflating 20 MiB.
    let (code, params) = problem(&verify_bytes(&bomb, pk));
    assert_eq!((code.as_str(), params["name"].as_str()), ("bundle.damaged", Some("report.json")));

    // The same name twice in the central directory.
    let twice = zip_with(|z| {
        for n in ["aaaa.txt", "bbbb.txt"] {
            z.start_file(n, stored()).unwrap();
            z.write_all(b"same").unwrap();
        }
    });
    let mut twice = twice;
    for at in 0..twice.len() - 8 {
        if &twice[at..at + 8] == b"bbbb.txt" {
            twice[at..at + 8].copy_from_slice(b"aaaa.txt");
        }
    }
    assert_eq!(problem(&verify_bytes(&twice, pk)), ("bundle.duplicate".into(), serde_json::json!({ "name": "aaaa.txt" })));

    // More entries than any bundle has.
    let many = zip_with(|z| {
        for i in 0..=MAX_ENTRIES {
            z.start_file(format!("f{i}.txt"), stored()).unwrap();
        }
    });
    assert_eq!(problem(&verify_bytes(&many, pk)), ("bundle.too_many_files".into(), serde_json::json!({ "count": 33, "max": 32 })));

    // Nothing was unpacked anywhere: the folder holds only what the test wrote, and the escape
    // target beside it does not exist.
    let mut expected: Vec<String> =
        ["parent", "absolute", "drive", "backslash", "symlink", "folder", "declared bomb"].iter().map(|w| format!("{w}.zip")).collect();
    expected.sort();
    assert_eq!(listing(work.path()), expected);
    assert!(!work.path().parent().unwrap().join(&escape_name).exists());
}

#[test]
fn a_file_too_large_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.zip");
    let f = File::create(&path).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    let report = verify_file(&path, None).unwrap();
    assert_eq!(problem(&report), ("bundle.total_too_large".into(), serde_json::json!({ "max_mib": 65 })));
    let err = verify_file(&dir.path().join("none.zip"), None).unwrap_err();
    assert_eq!(err.code(), "bundle.read_failed");
    // A FIFO would block the reader forever: refused before it is opened.
    let fifo = dir.path().join("bundle.zip");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    assert_eq!(verify_file(&fifo, None).unwrap_err(), CoreError::FileNotRegular { path: fifo.display().to_string() });
}

#[test]
fn after_a_rotation_bundles_carry_the_old_keys_word_for_the_new() {
    let (mut store, actor, club, old_key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    let before = export_one(&mut store, &actor, club, dir.path(), "2025");
    let rot = key::rotate(&mut store, &actor, club, PASS, "mật khẩu mới của câu lạc bộ").unwrap();
    assert_eq!(export(&mut store, &actor, club, PASS, request("2026"), dir.path()).unwrap_err().code(), "key.wrong_passphrase");
    let after = export(&mut store, &actor, club, "mật khẩu mới của câu lạc bộ", request("2026"), dir.path()).unwrap();
    assert_eq!(after.sequence, 2, "the sequence runs on across keys");
    assert_eq!(after.manifest.previous_bundle_sha256.as_deref(), Some(before.sha256.as_str()));
    let proof = after.manifest.key_rotation.clone().expect("the rotation travels with the bundle");
    assert_eq!(proof, rot.proof);
    assert_eq!(proof.previous_key_id, old_key.key_id);
    assert_eq!(key::check_rotation(&proof, &rot.new.key_id, &rot.new.public_key), Ok(()));
    // The statement verifies with the old public key alone.
    let old_pk = key::parse_public_key(&old_key.public_key_file).unwrap();
    assert_eq!(key::verify_signature(&old_pk, proof.statement.as_bytes(), &proof.signature), Ok(()));

    let report = verify_file(&after.path, Some(&rot.new.public_key_file)).unwrap();
    assert!(report.ok, "{:?}", report.problem);
    assert_eq!(report.key_id.as_deref(), Some(rot.new.key_id.as_str()));
    assert_eq!(report.fingerprint.as_deref(), Some(rot.new.fingerprint.as_str()));
    assert_eq!(report.previous_fingerprint.as_deref(), Some(old_key.fingerprint.as_str()));
    assert_eq!(report.checked_against, CheckedAgainst::GivenKey);
    // With the old card's key, the new bundle is accepted: the old key endorsed the key that
    // signed. The report names both, by fingerprint (the signer's and the endorser's).
    let endorsed = verify_file(&after.path, Some(&old_key.public_key_file)).unwrap();
    assert!(endorsed.ok, "{:?}", endorsed.problem);
    assert_eq!(endorsed.checked_against, CheckedAgainst::EndorsedByGivenKey);
    assert_eq!(endorsed.fingerprint.as_deref(), Some(rot.new.fingerprint.as_str()));
    assert_eq!(endorsed.previous_fingerprint.as_deref(), Some(old_key.fingerprint.as_str()));
    assert_ne!(rot.new.fingerprint, old_key.fingerprint);
    // The old bundle still checks with the old key, and not with the new one.
    assert!(verify_file(&before.path, Some(&old_key.public_key_file)).unwrap().ok);
    assert_eq!(problem(&verify_file(&before.path, Some(&rot.new.public_key_file)).unwrap()).0, "bundle.key_mismatch");
    // A key that is neither the signer nor its endorser is refused, naming both fingerprints.
    let (_s2, _a2, _c2, stranger) = keyed_club();
    let (code, params) = problem(&verify_file(&after.path, Some(&stranger.public_key_file)).unwrap());
    assert_eq!(code, "bundle.key_mismatch");
    assert_eq!(params["expected"], stranger.fingerprint.as_str());
    assert_eq!(params["found"], rot.new.fingerprint.as_str());

    // A rotation proof that does not name this key is refused, even when the manifest is signed.
    let bytes = fs::read(&after.path).unwrap();
    let mut m = after.manifest.clone();
    if let Some(p) = m.key_rotation.as_mut() {
        p.statement = p.statement.replace("old key:", "old  key:");
    }
    let forged = resigned_with(&store, club, "mật khẩu mới của câu lạc bộ", &bytes, &serde_json::to_vec_pretty(&m).unwrap());
    assert_eq!(problem(&verify_bytes(&forged, Some(&rot.new.public_key))).0, "bundle.bad_rotation");
    // Checked against the old key, the same forgery is refused too: the endorsement must hold.
    assert_eq!(problem(&verify_bytes(&forged, Some(&old_key.public_key))).0, "bundle.bad_rotation");
}

/// An outsider copies the club's rotation proof (the old key's signed word) into a bundle signed
/// with a key of their own: checked against the old card's key, it is refused, because the old
/// key's statement names another new key.
#[test]
fn a_copied_rotation_proof_does_not_endorse_an_outsiders_key() {
    let (mut store, actor, club, old_key) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    export_one(&mut store, &actor, club, dir.path(), "2025");
    let rot = key::rotate(&mut store, &actor, club, PASS, "mật khẩu mới của câu lạc bộ").unwrap();
    // The outsider: another club's key, which signs a bundle carrying the copied proof.
    let (mut other, other_actor, other_club, _other_key) = keyed_club();
    let out = export(&mut other, &other_actor, other_club, PASS, request("2026"), dir.path()).unwrap();
    let bytes = fs::read(&out.path).unwrap();
    let mut m = out.manifest.clone();
    m.key_rotation = Some(rot.proof.clone());
    let forged = resigned_with(&other, other_club, PASS, &bytes, &serde_json::to_vec_pretty(&m).unwrap());
    let report = verify_bytes(&forged, Some(&old_key.public_key_file));
    assert_eq!(problem(&report).0, "bundle.bad_rotation");
    assert_ne!(report.checked_against, CheckedAgainst::GivenKey);
}

#[test]
fn the_reference_minisign_tool_accepts_the_signature() {
    let (_dir, _store, _actor, _club, key, exported, bytes) = a_bundle();
    let work = tempfile::tempdir().unwrap();
    for (name, data) in entries_of(&bytes) {
        if ["manifest.json", "manifest.json.minisig", "club.pub"].contains(&name.as_str()) {
            fs::write(work.path().join(&name), data).unwrap();
        }
    }
    let run = || {
        Command::new("minisign")
            .args(["-Vm", "manifest.json", "-p", "club.pub"])
            .current_dir(work.path())
            .output()
            .expect("minisign is installed by scripts/setup.sh (Debian package minisign)")
    };
    let out = run();
    assert!(out.status.success(), "minisign refused: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("ishc bundle club={} period=2026 seq=1", key.key_id)), "{said}");
    // The card's public key alone (bare base64 with -P) checks it too.
    let out = Command::new("minisign")
        .args(["-Vm", "manifest.json", "-P", &key.public_key])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let manifest = work.path().join("manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replace(&format!("\"sequence\": {}", exported.sequence), "\"sequence\": 7")).unwrap();
    assert_ne!(fs::read_to_string(&manifest).unwrap(), text);
    assert!(!run().status.success(), "minisign accepted an altered manifest");
}

#[test]
fn the_container_format_is_pinned() {
    // The verifier rebuilds the zip and compares bytes, so a change in how the zip crate writes
    // would make every bundle already handed over fail to verify. Pin the bytes.
    let zip = build_zip(&[("manifest.json", b"{}\n"), ("manifest.json.minisig", b"sig\n"), ("club.pub", b"pub\n"), ("a.json", b"[]")])
        .unwrap();
    assert_eq!(zip.len(), 435);
    assert_eq!(sha256_hex(&zip), "4a6140541681aa40e9624ab82c5c69e5e61759bf486b1795111844938a9bff1d");
}

#[test]
fn slugs_and_file_names_are_plain_ascii() {
    assert_eq!(slug("CLB Liên thế hệ tự giúp nhau thôn Đông Hòa"), "clb-lien-the-he-tu-giup-nhau-thon-dong-hoa");
    assert_eq!(slug("  Câu lạc bộ (Số 2) !! "), "cau-lac-bo-so-2");
    assert_eq!(slug("???"), "club");
    assert_eq!(file_name("CLB Đông Hòa", "2026-q3", 12), "ishc-clb-dong-hoa-2026-q3-0012.zip");
}

#[test]
fn every_key_and_bundle_problem_is_said_in_both_languages() {
    use crate::i18n::{error_message, Lang};
    let s = || "report.json".to_string();
    let errors = [
        CoreError::KeyExists { club_id: 1, key_id: "3F2A9B1C7D4E0A55".into() },
        CoreError::KeyMissing { club_id: 1 },
        CoreError::KeyWrongPassphrase { field: Field::Passphrase },
        CoreError::KeyInvalid { detail: "base64".into() },
        CoreError::KeyDamaged { key_id: "3F2A9B1C7D4E0A55".into(), detail: "x".into() },
        CoreError::KeyFailed { detail: "x".into() },
        CoreError::BundleEmpty,
        CoreError::BundleFolderMissing { path: "/media/usb".into() },
        CoreError::BundleFolderNotWritable { path: "/media/usb".into(), detail: "Read-only file system".into() },
        CoreError::BundleExists { path: "/media/usb/a.zip".into() },
        CoreError::BundleWriteFailed { path: "/media/usb/a.zip".into(), detail: "No space left on device".into() },
        CoreError::BundleReadbackFailed { path: "/media/usb/a.zip".into(), detail: "x".into() },
        CoreError::BundleReadFailed { path: "a.zip".into(), detail: "x".into() },
        CoreError::BundleNotZip { detail: "x".into() },
        CoreError::BundleTooManyFiles { count: 40, max: 32 },
        CoreError::BundleTooLarge { name: s(), max_mib: 16 },
        CoreError::BundleTotalTooLarge { max_mib: 64 },
        CoreError::BundleUnsafePath { name: "../x".into() },
        CoreError::BundleDirectory { name: "a/".into() },
        CoreError::BundleLink { name: s() },
        CoreError::BundleDuplicate { name: s() },
        CoreError::BundleDamaged { name: s(), detail: "Invalid checksum".into() },
        CoreError::BundleMissing { name: s() },
        CoreError::BundleBadPublicKey { name: "club.pub".into(), detail: "x".into() },
        CoreError::BundleKeyMismatch {
            expected: "3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13".into(),
            found: "0123 4567 89AB CDEF 0123 4567 89AB CDEF".into(),
        },
        CoreError::BundleBadSignature { name: "manifest.json".into(), detail: "x".into() },
        CoreError::BundleBadManifest { detail: "x".into() },
        CoreError::BundleUnknownVersion { format: FORMAT.into(), version: "2".into() },
        CoreError::BundleKeyIdMismatch { manifest_key_id: "A".into(), key_id: "B".into() },
        CoreError::BundleFingerprintMismatch {
            manifest_fingerprint: "3F2A 9B1C 7D4E 0A55".into(),
            fingerprint: "3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13".into(),
        },
        CoreError::BundleBadRotation { detail: "x".into() },
        CoreError::BundleDigestMismatch { name: s() },
        CoreError::BundleExtra { name: s() },
        CoreError::BundleAlteredContainer,
        CoreError::invalid(Field::BundlePeriod, Rule::Characters { example: "2026-q3".into() }),
        CoreError::invalid(Field::BundlePeriodTo, Rule::BeforeDate { other: "2026-01-01".into() }),
        CoreError::invalid(Field::NewPassphrase, Rule::TooShort { min: 8 }),
    ];
    for e in &errors {
        let code = e.code();
        assert!(code.starts_with("key.") || code.starts_with("bundle.") || code == "input.invalid", "{code}");
        let (vi, en) = (error_message(Lang::Vi, e), error_message(Lang::En, e));
        for m in [&vi, &en] {
            assert!(!m.starts_with("error.") && !m.contains('{') && !m.contains("field.") && !m.contains("rule."), "{code}: {m}");
        }
        assert_ne!(vi, en, "{code} has English words");
        // Whatever names a file, a folder or a key is in the sentence.
        let params = e.to_json()["params"].clone();
        for v in params.as_object().into_iter().flat_map(|p| p.iter()).filter(|(k, _)| *k != "field").map(|(_, v)| v) {
            if let Some(text) = v.as_str().filter(|t| t.contains('.') || t.contains('/') || t.len() == 16) {
                assert!(vi.contains(text), "{code}: {vi} lacks {text}");
            }
        }
    }
}

#[test]
fn bundle_files_offers_the_zips_of_a_folder_newest_first_and_names_a_missing_folder() {
    let (mut store, actor, club, _) = keyed_club();
    let dir = tempfile::tempdir().unwrap();
    let first = export_one(&mut store, &actor, club, dir.path(), "2025");
    fs::write(dir.path().join("notes.txt"), b"not a bundle").unwrap();
    fs::write(dir.path().join(".hidden.zip"), b"hidden").unwrap();
    fs::create_dir(dir.path().join("folder.zip")).unwrap();
    // Written later: listed first, whatever its name.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(dir.path().join("AAA-COPY.ZIP"), b"a later copy").unwrap();
    let found = bundle_files(dir.path()).unwrap();
    let names: Vec<&str> = found.iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["AAA-COPY.ZIP", first.file_name.as_str()]);
    assert_eq!(found[1].bytes, fs::metadata(&first.path).unwrap().len());
    assert!(verify_file(Path::new(&found[1].path), None).unwrap().ok, "a listed bundle is checked like a typed path");
    let gone = dir.path().join("not-plugged-in");
    match bundle_files(&gone) {
        Err(CoreError::BundleFolderMissing { path }) => assert_eq!(path, gone.display().to_string()),
        other => panic!("{other:?}"),
    }
}
