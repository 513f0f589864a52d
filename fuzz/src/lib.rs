//! The fuzz harness: what each fuzz target does with one input. Each reader of outside data is called
//! the way its real caller calls it, with the real caller's size cap (the readers check it
//! themselves), and what it returns is checked against properties that hold for every input.
//! A panic anywhere, here or in the core, is a finding.
//!
//! Shared by the libFuzzer targets (`fuzz_targets/*.rs`, `make fuzz`) and the core's corpus replay
//! test (`crates/core/tests/fuzz_corpus.rs`, in `make test`), which includes this file by path: so
//! it may use only crates that `ishc-core` itself depends on.

use std::cell::RefCell;
use std::io::{Cursor, Write};

use chrono::NaiveDate;
use ishc_core::roster::club::{self, ClubInput};
use ishc_core::roster::import::{self, ImportOptions, ImportReport};
use ishc_core::roster::member::{self, ListQuery};
use ishc_core::signing::bundle::{self, VerifyReport};
use ishc_core::store::audit::Actor;
use ishc_core::store::Store;

/// A key given to `verify_bytes` that no bundle in the corpus was signed with (made once with
/// `minisign -G` for this harness; only its public half is here).
pub const FUZZ_PUBLIC_KEY: &str = "untrusted comment: minisign public key 124EFB88E58747F1\n\
RWTxR4fliPtOEjF/M9z6yQii1nMDASTkrB8M2t2m2GQ/6orraB1SE/3Y\n";

/// The key the `bundle_signed` target signs with, made afresh by each process. Inputs name it by
/// placeholders (`PLACEHOLDERS`), replaced before signing, so the corpus works with any such key.
pub struct SigningKey {
    sk: minisign::SecretKey,
    pub pub_file: String,
    pub key_id: String,
    pub fingerprint: String,
}

pub fn signing_key() -> &'static SigningKey {
    static KEY: std::sync::OnceLock<SigningKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let kp = minisign::KeyPair::generate_unencrypted_keypair().expect("a key is made in memory");
        let key_id = ishc_core::signing::key::key_id_of(&kp.pk);
        let fingerprint = ishc_core::signing::key::fingerprint(&kp.pk);
        let pub_file = ishc_core::signing::key::public_key_file(&key_id, "CLB fuzz", &kp.pk.to_base64());
        SigningKey { sk: kp.sk, pub_file, key_id, fingerprint }
    })
}

/// What a `bundle_signed` input may say instead of the signing key's values, with what replaces it.
pub fn placeholders() -> [(&'static str, String); 5] {
    let k = signing_key();
    [
        ("@FUZZ_KEY_ID@", k.key_id.clone()),
        ("@FUZZ_FINGERPRINT@", k.fingerprint.clone()),
        ("@FUZZ_PUB_SIZE@", k.pub_file.len().to_string()),
        ("@FUZZ_PUB_SHA256@", format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(k.pub_file.as_bytes()))),
        ("@FUZZ_PUB@", k.pub_file.clone()),
    ]
}

fn substitute(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (from, to) in placeholders() {
        if out.windows(from.len()).any(|w| w == from.as_bytes()) {
            out = split(&out, from.as_bytes()).join(to.as_bytes());
        }
    }
    out
}

/// Separates the sections of a `bundle_signed` input: the manifest, then name and bytes of each file.
pub const SECTION: &[u8] = b"\n@@ishc-fuzz@@\n";

/// What a verify report must be whatever the input: `ok` exactly when no problem is named; an
/// accepted bundle names its key and its manifest; the report serialises (the CLI prints it).
fn check_report(r: &VerifyReport) {
    assert_eq!(r.ok, r.problem.is_none(), "ok and problem disagree: {r:?}");
    if r.ok {
        assert!(r.manifest.is_some() && r.key_id.is_some() && r.fingerprint.is_some(), "accepted without a manifest or key: {r:?}");
    }
    if let Some(p) = &r.problem {
        assert!(!p.code.is_empty() && p.code != "unknown", "a problem without its code: {p:?}");
    }
    serde_json::to_string(r).expect("a verify report serialises");
}

/// `bundle_verify`: any bytes as a bundle file, as `ishc verify FILE` reads it (`verify_file` reads
/// the file capped, then calls `verify_bytes`), with the bundle's own key and with a given one.
pub fn bundle_verify(data: &[u8]) -> [VerifyReport; 2] {
    let own = bundle::verify_bytes(data, None);
    check_report(&own);
    let given = bundle::verify_bytes(data, Some(FUZZ_PUBLIC_KEY));
    check_report(&given);
    // A given key can only take acceptance away: whatever it accepts, the bundle's own key accepts.
    assert!(!given.ok || own.ok, "accepted with the given key, refused with its own");
    [own, given]
}

/// The zip `export` writes (STORED, 1980-01-01, 0644, Unix, no comment or extra field), in the order
/// given; `None` when the zip writer refuses the names (a name twice).
fn pack(entries: &[(&str, &[u8])]) -> Option<Vec<u8>> {
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .system(zip::System::Unix)
        .large_file(false);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, opts).ok()?;
        zip.write_all(bytes).ok()?;
    }
    Some(zip.finish().ok()?.into_inner())
}

fn split<'a>(data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(&rest[..at]);
        rest = &rest[at + sep.len()..];
    }
    parts.push(rest);
    parts
}

/// Split a `bundle_signed` input into the manifest and its files (name, bytes).
pub fn sections(data: &[u8]) -> (&[u8], Vec<(String, &[u8])>) {
    let parts = split(data, SECTION);
    let files = parts[1..].chunks(2).map(|c| (String::from_utf8_lossy(c[0]).into_owned(), *c.get(1).unwrap_or(&&[][..]))).collect();
    (parts[0], files)
}

/// The inverse of `sections`, to write seeds.
pub fn join_sections(manifest: &[u8], files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = manifest.to_vec();
    for (name, bytes) in files {
        out.extend_from_slice(SECTION);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(SECTION);
        out.extend_from_slice(bytes);
    }
    out
}

/// Sign `manifest` with the signing key, as `export` signs with the club's.
pub fn fuzz_sign(manifest: &[u8]) -> String {
    minisign::sign(None, &signing_key().sk, Cursor::new(manifest), None, None).expect("signing in memory cannot fail").to_string()
}

/// `bundle_signed`: whoever makes a bundle can sign it with a key of their own, and `ishc verify`
/// without `--key` checks it with the key it carries. So the manifest and the files are the
/// attacker's, signature included: this target signs the fuzzed manifest with its own key and
/// packs it canonically (a `club.pub` section in the input is packed in canonical order as the
/// third entry would be only by luck; without one, the signing key's is the third entry), to reach what comes after the signature (the manifest's JSON, key ids,
/// rotation proof, digests, extra or missing files, the canonical container).
pub fn bundle_signed(data: &[u8]) -> Option<[VerifyReport; 2]> {
    let (manifest, files) = sections(data);
    let manifest = substitute(manifest);
    let files: Vec<(String, Vec<u8>)> = files.iter().map(|(n, b)| (n.clone(), substitute(b))).collect();
    let signature = fuzz_sign(&manifest);
    let key = signing_key();
    let mut entries = vec![(bundle::MANIFEST, manifest.as_slice()), (bundle::SIGNATURE, signature.as_bytes())];
    // club.pub is the signing key's, unless the input brings its own (then the zip holds both, or
    // the writer refuses the name twice).
    if !files.iter().any(|(n, _)| n == bundle::CLUB_PUB) {
        entries.push((bundle::CLUB_PUB, key.pub_file.as_bytes()));
    }
    let mut reports: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    reports.sort_by(|a, b| a.0.cmp(b.0));
    entries.extend(reports);
    let zip = pack(&entries)?;
    let own = bundle::verify_bytes(&zip, None);
    check_report(&own);
    let given = bundle::verify_bytes(&zip, Some(&key.pub_file));
    check_report(&given);
    // Signed with the key given: the two checks are the same check.
    assert_eq!(own.ok, given.ok, "the bundle's own key and the same key given disagree");
    Some([own, given])
}

struct Club {
    store: Store,
    actor: Actor,
    club: i64,
}

thread_local! {
    /// One ledger in memory per thread, made once: every import here is a dry run, rolled back.
    static CLUB: RefCell<Club> = RefCell::new({
        let mut store = Store::open_in_memory().expect("an in-memory ledger opens");
        store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date"));
        let actor = Actor::new("Lê Thị Hoa").expect("a valid actor");
        let founded = NaiveDate::from_ymd_opt(2019, 3, 1).expect("a valid date");
        let club = club::create(&mut store, &actor, &ClubInput::new("CLB Đông Hòa", "Xã", "Huyện", "Tỉnh", founded))
            .expect("the club is made")
            .id;
        Club { store, actor, club }
    });
}

/// A sheet, read as the window hands it over (`read_table` with the file's name, which checks the
/// 4 MiB cap itself), then imported as a dry run, as `ishc member import --dry-run` does. Odd-length
/// inputs also give a default join date, so rows without one get further.
pub fn roster(data: &[u8], file_name: &str) -> Option<ImportReport> {
    let table = import::read_table(data, file_name).ok()?;
    assert!(table.rows.len() <= import::limits::MAX_SHEET_ROWS as usize, "more rows kept than the cap");
    assert!(table.rows.iter().all(|r| r.len() <= import::limits::MAX_COLUMNS as usize), "more columns kept than the cap");
    let opts = ImportOptions {
        default_joined_on: (data.len() % 2 == 1).then(|| NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date")),
        allow_duplicates: false,
    };
    CLUB.with(|c| {
        let c = &mut *c.borrow_mut();
        let report = import::import(&mut c.store, &c.actor, c.club, &table, &opts, false).ok()?;
        assert!(!report.committed, "a dry run committed");
        assert_eq!(report.ok_rows as usize + report.error_rows as usize, report.rows.len(), "rows miscounted");
        assert!(report.rows.len() <= import::limits::MAX_ROWS as usize, "more member rows than the cap");
        for row in &report.rows {
            assert_eq!(row.member.is_some(), row.error.is_none(), "a row is neither accepted nor refused: {row:?}");
        }
        let all = ListQuery { include_left: true, ..Default::default() };
        assert!(member::list(&c.store, c.club, &all).expect("the roster reads").is_empty(), "a dry run wrote a member");
        serde_json::to_string(&report).expect("an import report serialises");
        Some(report)
    })
}

/// `roster_csv`: any bytes as a `.csv` member sheet.
pub fn roster_csv(data: &[u8]) -> Option<ImportReport> {
    roster(data, "danh-sach.csv")
}

/// `roster_xlsx`: any bytes as a `.xlsx` member sheet.
pub fn roster_xlsx(data: &[u8]) -> Option<ImportReport> {
    roster(data, "danh-sach.xlsx")
}

/// The passphrase the `backup_restore` seeds were encrypted with (a stick backup is age-encrypted).
pub const BACKUP_PASSPHRASE: &str = "mật khẩu sao lưu thử";

thread_local! {
    /// One file per thread that each input is written to: `restore` and the window read a backup
    /// from its path, capped (`backup::inspect` is what they call before anything is replaced).
    static BACKUP_FILE: std::path::PathBuf = {
        let dir = std::env::temp_dir().join(format!("ishc-fuzz-backup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir.join(format!("{:?}.ishc-backup", std::thread::current().id()).replace(['(', ')'], ""))
    };
}

/// `backup_restore`: any bytes as a backup file, read as a restore reads it before it touches the
/// books (decrypted when it is age, capped, opened as SQLite in memory, ours, not newer, migrated,
/// every check of the books). With the passphrase and without. An accepted backup is ours and
/// says what is in it; a refusal is a coded error.
pub fn backup_restore(data: &[u8]) -> [Result<ishc_core::store::backup::BackupInfo, String>; 2] {
    use ishc_core::store::backup;
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date");
    BACKUP_FILE.with(|path| {
        std::fs::write(path, data).expect("the scratch file is written");
        [Some(BACKUP_PASSPHRASE), None].map(|pass| {
            let r = backup::inspect(path, pass, today).map_err(|e| {
                let code = e.code();
                assert!(!code.is_empty(), "an error without a code: {e:?}");
                code.to_string()
            });
            if let Ok(info) = &r {
                assert_eq!(info.bytes, data.len() as u64, "the size said is not the file's");
                assert!(!info.clubs.is_empty(), "a backup accepted with no club in it");
                serde_json::to_string(info).expect("a backup's description serialises");
            }
            r
        })
    })
}

thread_local! {
    /// A commune ledger made once per thread (its key's scrypt is slow), copied fresh for each input
    /// so that one input's bundle is never another's replay; and the stick folder the input goes on.
    static COMMUNE: (std::path::PathBuf, std::path::PathBuf) = {
        use ishc_core::commune::{ledger, CommuneInput, CommuneStore};
        let dir = std::env::temp_dir()
            .join(format!("ishc-fuzz-commune-{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], ""));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let template = dir.join("template.sqlite");
        remove_if_there(&template);
        let mut store = CommuneStore::open(&template, true).expect("a commune ledger is made");
        store.set_today(NaiveDate::from_ymd_opt(2026, 12, 20).expect("a valid date"));
        let input = CommuneInput {
            level: ishc_core::commune::Level::Commune,
            name: "Xã Quảng Hòa".into(),
            district: "Quảng Xương".into(),
            province: "Thanh Hóa".into(),
            deadline_day: 10,
            deadline_month: 12,
        };
        ledger::init(&mut store, &Actor::new("Cán bộ xã").expect("a valid actor"), &input, "mật khẩu của xã thử").expect("the commune is set up");
        drop(store);
        (template, dir)
    };
}

/// Remove a scratch file; its absence is fine, any other failure is the machine's, not a finding.
fn remove_if_there(path: &std::path::Path) {
    if let Err(e) = std::fs::remove_file(path) {
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "the scratch file {} cannot be removed: {e}", path.display());
    }
}

/// The key a bundle carries (`club.pub`, read capped), as the officer would type it from the card.
fn carried_key(data: &[u8]) -> Option<(String, String)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let mut text = String::new();
    zip.by_name(bundle::CLUB_PUB).ok()?.take(4096).read_to_string(&mut text).ok()?;
    let mut manifest = String::new();
    if let Ok(m) = zip.by_name(bundle::MANIFEST) {
        // A manifest that does not read as text leaves the name to the default below.
        if m.take(1 << 20).read_to_string(&mut manifest).is_err() {
            manifest.clear();
        }
    }
    let name = serde_json::from_str::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|m| m["club"]["name"].as_str().map(str::to_string))
        .unwrap_or_else(|| "CLB thử".into());
    Some((name, text))
}

/// `commune_import`: any bytes as a bundle on the stick the commune imports, into a commune that
/// has registered the key the bundle carries (what a forger can get: a card for their own key).
/// Every bundle ends accepted or refused with a code, never both, never an error of the whole
/// import; an accepted one is counted once.
pub fn commune_import(data: &[u8]) -> Option<ishc_core::commune::import::ImportReport> {
    use ishc_core::commune::{import, register, CommuneStore};
    use ishc_core::signing::key;
    COMMUNE.with(|(template, dir)| {
        let db = dir.join("commune.sqlite");
        for suffix in ["", "-wal", "-shm"] {
            remove_if_there(&dir.join(format!("commune.sqlite{suffix}")));
        }
        std::fs::copy(template, &db).expect("the template is copied");
        let stick = dir.join("stick");
        match std::fs::remove_dir_all(&stick) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("the scratch stick cannot be emptied: {e}"),
            _ => {}
        }
        std::fs::create_dir_all(&stick).expect("the stick folder");
        std::fs::write(stick.join("bao-cao.zip"), data).expect("the bundle is written");
        let mut store = CommuneStore::open(&db, false).expect("the commune ledger opens");
        store.set_today(NaiveDate::from_ymd_opt(2026, 12, 20).expect("a valid date"));
        let officer = Actor::new("Cán bộ xã").expect("a valid actor");
        if let Some((name, public_key)) = carried_key(data) {
            if let Ok(fingerprint) = key::parse_public_key(&public_key).map(|pk| key::fingerprint(&pk)) {
                let input = register::ClubInput { name, hamlet: "Thôn 1".into(), public_key, fingerprint };
                // A refused registration (a bad name, say) is an outcome: the import then meets an
                // unregistered club, which it must refuse by name.
                if let Err(e) = register::register(&mut store, &officer, &input) {
                    assert!(!e.code().is_empty(), "a registration refused without a code");
                }
            }
        }
        let report = import::import(&mut store, &officer, &[stick], &mut |_, _| {}).expect("an import reports every file");
        assert_eq!(report.accepted.len() + report.refused.len(), 1, "one file, one outcome: {report:?}");
        for r in &report.refused {
            assert!(!r.reason.code.is_empty(), "a refusal without a code");
        }
        serde_json::to_string(&report).expect("an import report serialises");
        Some(report)
    })
}
