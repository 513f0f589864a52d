//! The fuzz corpus, replayed: every input under `fuzz/corpus/<target>/` (the seeds made from real
//! files, what the coverage-guided runs kept, and every input that once crashed a reader) goes
//! through the same harness the libFuzzer targets run (`fuzz/src/lib.rs`, included by path), as an
//! ordinary test. So `make test` holds the readers to "no panic on anything ever found" without
//! building the instrumented fuzzers; `make fuzz` looks for new inputs (docs/fuzzing.md).
//!
//! `cargo test -p ishc-core --test fuzz_corpus -- --ignored write_seeds` writes the seeds again.

#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod harness;

use std::fs;
use std::path::{Path, PathBuf};

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target)
}

/// Every input of a target's corpus, by name, sorted.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = corpus(target);
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.iter().any(|(n, _)| n.starts_with("seed-")), "{target}: the corpus has lost its seeds");
    out
}

/// Run every input through `f`, naming the input that panics; a hang shows as the test never
/// ending. How long an input takes is the fuzz runs' business (`make fuzz`: `-timeout=10`), not a
/// timed test's: a loaded CI machine must not fail the build.
fn replay<T>(target: &str, f: impl Fn(&[u8]) -> T) -> Vec<(String, T)> {
    inputs(target)
        .into_iter()
        .map(|(name, data)| {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&data)))
                .unwrap_or_else(|_| panic!("{target}/{name} panics the reader"));
            (name, out)
        })
        .collect()
}

#[test]
fn bundle_verify_corpus_never_panics_and_the_real_bundle_verifies() {
    let out = replay("bundle_verify", harness::bundle_verify);
    let (name, [own, given]) = out.iter().find(|(n, _)| n == "seed-demo-2025.zip").expect("the demo bundle is in the corpus");
    assert!(own.ok, "{name}: {:?}", own.problem);
    // Given another key (the fuzzing key), the same bundle is refused, naming the mismatch.
    assert_eq!(given.problem.as_ref().map(|p| p.code.as_str()), Some("bundle.key_mismatch"));
    assert!(out.iter().filter(|(_, [own, _])| !own.ok).count() > 0, "no refused input: the corpus only holds good bundles");
}

#[test]
fn bundle_signed_corpus_never_panics_and_the_resigned_real_bundle_verifies() {
    let out = replay("bundle_signed", harness::bundle_signed);
    let seed = out.iter().find(|(n, _)| n == "seed-demo-2025").expect("the re-signed demo bundle is in the corpus");
    let [own, given] = seed.1.as_ref().expect("the seed packs");
    assert!(own.ok && given.ok, "{:?} {:?}", own.problem, given.problem);
    assert_eq!(own.manifest.as_ref().map(|m| m.files.len()), Some(4), "club.pub and the three renderings");
}

#[test]
fn roster_csv_corpus_never_panics_and_the_real_sheets_import() {
    let out = replay("roster_csv", harness::roster_csv);
    for name in ["seed-title-row-semicolon.csv", "seed-utf16.csv", "seed-windows-1258.csv"] {
        let report = out.iter().find(|(n, _)| n == name).and_then(|(_, r)| r.as_ref()).unwrap_or_else(|| panic!("{name}"));
        assert!(report.ok_rows >= 2 && report.error_rows == 0, "{name}: {report:?}");
    }
}

#[test]
fn roster_xlsx_corpus_never_panics_and_the_real_sheet_imports() {
    let out = replay("roster_xlsx", harness::roster_xlsx);
    let report = out.iter().find(|(n, _)| n == "seed-roster.xlsx").and_then(|(_, r)| r.as_ref()).expect("the seed imports");
    assert_eq!((report.ok_rows, report.error_rows), (3, 0), "{report:?}");
}

// --- The seeds --------------------------------------------------------------------------------

const GOOD_CSV: &str = "DANH SÁCH THÀNH VIÊN CLB LIÊN THẾ HỆ TỰ GIÚP NHAU\n\
    STT;Họ và tên;Giới tính;Năm sinh;Thôn;Ngày vào;Hộ nghèo\n\
    1;Nguyễn Thị Lan;Nữ;1955;Đông Hòa;01/03/2019;x\n\
    2;Trần Văn Bình;Nam;12/5/1960;Đông Hòa;1/6/20;\n\
    3;Lê Thị Ánh;F;1990;Bắc Sơn;2021-01-15;\n";

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = corpus(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

fn roster_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "Danh sách thành viên").unwrap();
    for (c, h) in ["Full name", "Sex", "Born", "Joined", "Hamlet", "Phone", "Poor", "Disability"].iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let rows = [("Nguyễn Thị Lan", "F", 1955.0, (2019, 3, 1)), ("Trần Văn Bình", "M", 1960.0, (2020, 6, 1)), ("Lê Thị Ánh", "Nữ", 1990.0, (2021, 4, 2))];
    for (i, (name, sex, born, (y, m, d))) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, *name).unwrap();
        sheet.write_string(r, 1, *sex).unwrap();
        sheet.write_number(r, 2, *born).unwrap();
        sheet.write_datetime_with_format(r, 3, rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date).unwrap();
        sheet.write_string(r, 4, "Đông Hòa").unwrap();
        sheet.write_string(r, 5, "0912345678").unwrap();
        sheet.write_boolean(r, 6, i == 0).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// Writes the seeds: a real bundle of the demo club (`ishc demo`, then `ishc export`, through the
/// same core calls), the same bundle re-signed with the fuzzing key in the `bundle_signed` layout,
/// real member sheets (the import tests' sheet in three encodings, an XLSX as Excel keeps one, and
/// the report's own XLSX).
#[test]
#[ignore]
fn write_seeds() {
    use std::io::Read;
    use ishc_core::reporting::{self, ReportOptions};
    use ishc_core::store::Store;

    let mut store = Store::open_in_memory().unwrap();
    store.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let demo = ishc_core::demo::build(&mut store, ishc_core::demo::DemoOptions { years: 2, members: 20, seed: 1336 }).unwrap();
    // Signing a bundle is a board member's act: the demo treasurer signs in with her PIN.
    let treasurer = demo.sign_ins.iter().find(|s| s.role == ishc_core::auth::AuthRole::Treasurer).unwrap();
    let actor = ishc_core::auth::sign_in(&mut store, demo.club_id, &treasurer.name, &treasurer.pin).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let done = reporting::export_bundle(
        &mut store,
        &actor,
        demo.club_id,
        ishc_core::demo::DEMO_PASSPHRASE,
        "2025",
        &ReportOptions::default(),
        ishc_core::i18n::Lang::Vi,
        dir.path(),
    )
    .unwrap();
    let bundle = fs::read(&done.path).unwrap();
    write("bundle_verify", "seed-demo-2025.zip", &bundle);

    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bundle)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        entries.push((f.name().unwrap().to_string(), data));
    }
    let get = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, d)| d.clone()).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_slice(&get("manifest.json")).unwrap();
    // The signing key is the harness's, named by placeholders (`harness::placeholders`).
    manifest["club"]["key_id"] = "@FUZZ_KEY_ID@".into();
    manifest["club"]["key_fingerprint"] = "@FUZZ_FINGERPRINT@".into();
    let club_pub_entry = manifest["files"].as_array_mut().unwrap().iter_mut().find(|f| f["name"] == "club.pub").unwrap();
    club_pub_entry["size"] = 987654321.into();
    club_pub_entry["sha256"] = "@FUZZ_PUB_SHA256@".into();
    let files: Vec<(String, Vec<u8>)> = entries
        .iter()
        .filter(|(n, _)| n != "manifest.json" && n != "manifest.json.minisig" && n != "club.pub")
        .cloned()
        .collect();
    let manifest = String::from_utf8(serde_json::to_vec_pretty(&manifest).unwrap()).unwrap().replace("987654321", "@FUZZ_PUB_SIZE@");
    write("bundle_signed", "seed-demo-2025", &harness::join_sections(manifest.as_bytes(), &files));
    // Refused bundles: the real one cut in half, and with one byte changed in a report file.
    write("bundle_verify", "seed-demo-2025-truncated.zip", &bundle[..bundle.len() / 2]);
    let mut changed = bundle.clone();
    let at = changed.len() * 3 / 4;
    changed[at] ^= 0x01;
    write("bundle_verify", "seed-demo-2025-one-byte-changed.zip", &changed);
    write("roster_xlsx", "seed-report-2025.xlsx", &get("report.xlsx"));

    write("roster_csv", "seed-title-row-semicolon.csv", GOOD_CSV.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(GOOD_CSV.replace(';', "\t").encode_utf16().flat_map(|u| u.to_le_bytes()));
    write("roster_csv", "seed-utf16.csv", &utf16);
    // Windows-1258 has ê, ơ, ư… precomposed but writes tones as combining marks (as the import test).
    use unicode_normalization::UnicodeNormalization;
    let tones = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
    let cp1258_form: String = GOOD_CSV
        .replace(';', ",")
        .chars()
        .flat_map(|c| {
            let d: Vec<char> = c.nfd().collect();
            let letter: String = d.iter().filter(|m| !tones.contains(m)).collect::<String>().nfc().collect();
            letter.chars().chain(d.into_iter().filter(|m| tones.contains(m))).collect::<Vec<_>>()
        })
        .collect();
    let (cp1258, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&cp1258_form);
    assert!(!unmappable);
    write("roster_csv", "seed-windows-1258.csv", &cp1258);
    write("roster_xlsx", "seed-roster.xlsx", &roster_xlsx());
}

/// The `backup_restore` seeds: a small demo's local (plain SQLite) backup, the same encrypted for a
/// stick, and both cut short. `cargo test -p ishc-core --test fuzz_corpus -- --ignored write_backup_seeds`.
#[test]
#[ignore]
fn write_backup_seeds() {
    use ishc_core::store::{backup, Store};
    let mut store = Store::open_in_memory().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    store.set_today(today);
    ishc_core::demo::build(&mut store, ishc_core::demo::DemoOptions { years: 1, members: 8, seed: 1336 }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plain = backup::backup_to(&store, &dir.path().join("ledger-plain.sqlite")).unwrap();
    let plain = fs::read(&plain.path).unwrap();
    write("backup_restore", "seed-demo-plain.sqlite", &plain);
    write("backup_restore", "seed-demo-plain-truncated.sqlite", &plain[..plain.len() / 2]);
    let stick = backup::backup_to_stick(&store, dir.path(), harness::BACKUP_PASSPHRASE, today).unwrap();
    let sealed = fs::read(&stick.path).unwrap();
    write("backup_restore", "seed-demo-stick.age", &sealed);
    write("backup_restore", "seed-demo-stick-truncated.age", &sealed[..sealed.len() / 2]);
}

#[test]
fn backup_restore_corpus_never_panics_and_the_real_backups_are_read() {
    let out = replay("backup_restore", harness::backup_restore);
    let get = |name: &str| &out.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} is in the corpus")).1;
    let [with, without] = get("seed-demo-plain.sqlite");
    assert!(with.is_ok() && without.is_ok(), "a plain backup needs no passphrase: {with:?} {without:?}");
    let [with, without] = get("seed-demo-stick.age");
    assert!(!with.as_ref().unwrap().clubs.is_empty() && with.as_ref().unwrap().encrypted);
    assert_eq!(without.as_ref().unwrap_err(), "backup.passphrase_needed");
    for cut in ["seed-demo-plain-truncated.sqlite", "seed-demo-stick-truncated.age"] {
        assert!(get(cut).iter().all(|r| r.is_err()), "{cut} was accepted");
    }
}

#[test]
fn commune_import_corpus_never_panics_and_the_real_bundle_is_accepted() {
    let out = replay("commune_import", harness::commune_import);
    let get = |name: &str| out.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} is in the corpus")).1.clone();
    let real = get("seed-demo-2025.zip").expect("the import reports");
    assert_eq!(real.accepted.len(), 1, "the demo's bundle, its key registered, is accepted: {:?}", real.refused);
    let cut = get("seed-demo-2025-truncated.zip").expect("the import reports");
    assert_eq!(cut.refused.len(), 1);
}
