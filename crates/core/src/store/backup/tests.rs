use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::*;
use crate::demo::{self, DemoOptions};
use crate::roster::member::{self, MemberInput, Sex};
use crate::store::OpenMode;

const TODAY: &str = "2026-11-22";

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

fn now() -> NaiveDateTime {
    "2026-11-22T18:30:00".parse().unwrap()
}

fn actor() -> Actor {
    Actor::system("Trịnh Thị Loan").unwrap()
}

/// A 3-year demo ledger image, built once (`VACUUM INTO`), copied into a file for each test.
fn demo_image(seed: u64) -> Vec<u8> {
    static IMAGES: OnceLock<std::sync::Mutex<std::collections::HashMap<u64, Vec<u8>>>> = OnceLock::new();
    let images = IMAGES.get_or_init(Default::default);
    let mut images = images.lock().unwrap();
    images
        .entry(seed)
        .or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("demo.sqlite");
            let mut store = Store::open_in_memory().unwrap();
            store.set_today(today());
            demo::build(&mut store, DemoOptions { years: 3, members: 20, seed }).unwrap();
            store.conn().execute("VACUUM INTO ?1", [path.to_str().unwrap()]).unwrap();
            fs::read(&path).unwrap()
        })
        .clone()
}

fn ledger(dir: &Path, name: &str, seed: u64) -> (PathBuf, Store) {
    let path = dir.join(name);
    fs::write(&path, demo_image(seed)).unwrap();
    let mut store = Store::open(&path, OpenMode::Existing).unwrap();
    store.set_today(today());
    (path, store)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn heads(store: &Store) -> Vec<String> {
    club::list(store).unwrap().iter().map(|c| crate::books::chain_head(store.conn(), c.id).unwrap()).collect()
}

fn add_member(store: &mut Store, name: &str) {
    let club = club::list(store).unwrap()[0].id;
    member::add(store, &actor(), club, &MemberInput::new(name, Sex::F, 1958, today()), false).unwrap();
}

fn open_file(path: &Path) -> Store {
    let mut s = Store::open(path, OpenMode::Existing).unwrap();
    s.set_today(today());
    s
}

fn request<'a>(ledger: &'a Path, file: &'a Path, passphrase: Option<&'a str>, confirmed: bool) -> RestoreRequest<'a> {
    RestoreRequest { ledger, file, passphrase, confirmed, now: now(), today: today() }
}

/// Every file in a folder with the SHA-256 of its bytes, for "nothing was touched" (SQLite's own
/// `-wal`/`-shm` beside a ledger in WAL mode come and go with readers, and are left out).
fn listing(dir: &Path) -> Vec<(String, String)> {
    use sha2::{Digest, Sha256};
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .map(|(n, p)| (n, format!("{:x}", Sha256::digest(fs::read(p).unwrap()))))
        .collect();
    out.sort();
    out
}

#[test]
fn a_backup_holds_the_same_books_and_is_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let out = dir.path().join("copy.sqlite");
    let info = backup_to(&store, &out).unwrap();
    assert!(!info.encrypted);
    assert_eq!(info.file_name, "copy.sqlite");
    assert_eq!(info.bytes, fs::metadata(&out).unwrap().len());
    assert_eq!(info.schema_version, migrations::LATEST);
    let report = check::run(&store).unwrap();
    assert_eq!(info.members, report.members);
    assert_eq!(info.clubs.len(), 1);
    // The header says "rollback journal": the file needs nothing beside it.
    let bytes = fs::read(&out).unwrap();
    assert_eq!((bytes[18], bytes[19]), (1, 1));
    assert!(!files::partial_name(&out).exists());

    let copy = open_file(&out);
    let copy_report = check::run(&copy).unwrap();
    assert!(copy_report.ok, "{:?}", copy_report.problems);
    assert_eq!(copy_report.members, report.members);
    assert_eq!(heads(&copy), heads(&store));
    for table in ["member", "journal_entry", "audit_log", "seal", "loan", "meeting"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(count(&copy, &sql), count(&store, &sql), "{table}");
    }
    // A backup is never written over.
    assert_eq!(backup_to(&store, &out).unwrap_err().code(), "backup.exists");
}

#[test]
fn a_backup_of_books_being_written_to_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = ledger(dir.path(), "ledger.sqlite", 2);
    let before = count(&store, "SELECT count(*) FROM member");
    let writer = std::thread::spawn(move || {
        let mut other = open_file(&path);
        for i in 0..25 {
            add_member(&mut other, &format!("Người Thứ {}", char::from(b'A' + i as u8)));
        }
    });
    let mut seen = Vec::new();
    for i in 0..6 {
        let info = backup_to(&store, &dir.path().join(format!("b{i}.sqlite"))).unwrap();
        seen.push(info.members);
    }
    writer.join().unwrap();
    let last = backup_to(&store, &dir.path().join("last.sqlite")).unwrap();
    assert_eq!(last.members as i64, before + 25);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().all(|m| (before..=before + 25).contains(&(*m as i64))));
}

#[test]
fn a_backup_that_fails_its_check_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ledger(dir.path(), "ledger.sqlite", 1);
    // A change behind the app's back: the seal chain no longer matches.
    store.conn().execute("UPDATE member SET phone = '0900000000' WHERE id = 3", []).unwrap();
    let out = dir.path().join("bad.sqlite");
    let err = backup_to(&store, &out).unwrap_err();
    assert_eq!(err.code(), "backup.check_failed");
    let CoreError::BackupCheckFailed { count, problems, .. } = err else { unreachable!() };
    assert!(count >= 1 && problems.iter().any(|p| p.code == "check.row_changed"), "{problems:?}");
    assert!(!out.exists());
    assert!(!files::partial_name(&out).exists());
    assert_eq!(backup_to_stick(&store, dir.path(), "mật khẩu sao lưu", today()).unwrap_err().code(), "backup.check_failed");
    assert_eq!(listing(dir.path()).iter().filter(|(n, _)| n.ends_with(STICK_EXTENSION)).count(), 0);
}

#[test]
fn a_stick_backup_is_encrypted_named_after_the_club_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let stick = tempfile::tempdir().unwrap();
    assert_eq!(
        backup_to_stick(&store, stick.path(), "short", today()).unwrap_err(),
        CoreError::invalid(Field::BackupPassphrase, crate::Rule::TooShort { min: 8 })
    );
    assert_eq!(backup_to_stick(&store, &stick.path().join("gone"), "mật khẩu sao lưu", today()).unwrap_err().code(), "backup.folder_missing");
    let first = backup_to_stick(&store, stick.path(), "mật khẩu sao lưu", today()).unwrap();
    let slug = crate::signing::bundle::slug(&club::list(&store).unwrap()[0].name);
    assert_eq!(first.file_name, format!("so-sach-{slug}-2026-11-22.ishc-backup.age"));
    assert!(first.file_name.is_ascii());
    assert!(first.encrypted);
    let second = backup_to_stick(&store, stick.path(), "mật khẩu sao lưu", today()).unwrap();
    assert_eq!(second.file_name, format!("so-sach-{slug}-2026-11-22-2.ishc-backup.age"));
    let sealed = fs::read(&first.path).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    // Nothing of the books is readable without the passphrase.
    let name = club::list(&store).unwrap()[0].name.clone();
    assert!(!sealed.windows(name.len()).any(|w| w == name.as_bytes()));
    assert!(!sealed.windows(15).any(|w| w == b"SQLite format 3"));

    let seen = inspect(Path::new(&first.path), Some("mật khẩu sao lưu"), today()).unwrap();
    assert_eq!(seen.members, first.members);
    assert_eq!(inspect(Path::new(&first.path), Some("mật khẩu khác!"), today()).unwrap_err().code(), "backup.wrong_passphrase");
    assert_eq!(inspect(Path::new(&first.path), None, today()).unwrap_err().code(), "backup.passphrase_needed");
    // The same passphrase typed decomposed (NFD) opens it: passphrases are NFC.
    let nfd: String = "mật khẩu sao lưu".chars().collect::<String>().nfd().collect();
    assert_ne!(nfd, "mật khẩu sao lưu");
    inspect(Path::new(&first.path), Some(&nfd), today()).unwrap();
    let listed = backup_files(stick.path()).unwrap();
    assert_eq!(listed.iter().map(|f| f.file_name.as_str()).collect::<Vec<_>>(), vec![second.file_name.as_str(), first.file_name.as_str()]);
    assert!(listed.iter().all(|f| f.encrypted));
}

#[test]
fn restore_puts_the_backup_in_place_keeps_the_old_file_and_audits_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = ledger(dir.path(), "ledger.sqlite", 1);
    let stick = tempfile::tempdir().unwrap();
    let saved = backup_to_stick(&store, stick.path(), "mật khẩu sao lưu", today()).unwrap();
    let members_then = count(&store, "SELECT count(*) FROM member");
    let heads_then = heads(&store);
    add_member(&mut store, "Người Sau Sao Lưu");
    let newer = fs::metadata(&path).unwrap().len();
    drop(store);

    let file = PathBuf::from(&saved.path);
    let done = restore(&request(&path, &file, Some("mật khẩu sao lưu"), false), &actor()).unwrap();
    assert!(done.encrypted);
    assert_eq!(done.replaced_clubs, done.clubs);
    let kept = PathBuf::from(done.kept_as.clone().unwrap());
    assert_eq!(kept, dir.path().join("ledger.sqlite.before-restore-20261122-183000"));
    assert!(fs::metadata(&kept).unwrap().len() >= newer / 2);
    assert!(!dir.path().join(".ledger.sqlite.restoring").exists());

    let restored = open_file(&path);
    assert_eq!(count(&restored, "SELECT count(*) FROM member"), members_then);
    assert_eq!(heads(&restored), heads_then);
    let report = check::run(&restored).unwrap();
    assert!(report.ok, "the audit row is sealed: {:?}", report.problems);
    let (action, who, detail): (String, String, String) = restored
        .conn()
        .query_row("SELECT action, actor, detail FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!((action.as_str(), who.as_str()), ("backup.restore", "Trịnh Thị Loan"));
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["file"], saved.path);
    assert_eq!(detail["kept_as"], kept.display().to_string());
    // The kept file is the books as they were, the member added after the backup included.
    let old = open_file(&kept);
    assert_eq!(count(&old, "SELECT count(*) FROM member"), members_then + 1);
    assert!(check::run(&old).unwrap().ok);
}

#[test]
fn a_plain_local_backup_restores_onto_a_new_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ledger(dir.path(), "old.sqlite", 1);
    let made = auto_backup(&store, None, now()).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("data/ledger.sqlite");
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    let file = PathBuf::from(&made.made.path);
    let done = restore(&request(&target, &file, None, false), &actor()).unwrap();
    assert_eq!(done.kept_as, None);
    assert!(!done.encrypted);
    assert_eq!(done.replaced_clubs, vec![]);
    assert!(check::run(&open_file(&target)).unwrap().ok);
}

#[test]
fn a_backup_of_another_club_needs_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let other_dir = tempfile::tempdir().unwrap();
    let (_, other) = ledger(other_dir.path(), "ledger.sqlite", 2);
    let ours = club::list(&store).unwrap()[0].name.clone();
    let theirs = club::list(&other).unwrap()[0].name.clone();
    let theirs = if theirs == ours {
        // The demo names its club the same whatever the seed: rename the other one.
        let mut other = other;
        let c = club::list(&other).unwrap()[0].clone();
        let input = club::ClubInput {
            name: "CLB Liên thế hệ Xóm Chợ".into(),
            hamlet: c.hamlet.clone(),
            commune: c.commune.clone(),
            district: c.district.clone(),
            province: c.province.clone(),
            founded_on: c.founded_on,
            rounding_unit: c.rounding_unit,
            target_preset: c.target_preset.clone(),
            report_deadline_day: c.report_deadline_day,
            report_deadline_month: c.report_deadline_month,
            monthly_due: Some(c.monthly_due),
        };
        club::update(&mut other, &actor(), c.id, &input).unwrap();
        let out = other_dir.path().join("other.sqlite");
        backup_to(&other, &out).unwrap();
        (out, "CLB Liên thế hệ Xóm Chợ".to_string())
    } else {
        let out = other_dir.path().join("other.sqlite");
        backup_to(&other, &out).unwrap();
        (out, theirs)
    };
    let (file, their_name) = theirs;
    drop(store);
    let before = listing(dir.path());
    let err = restore(&request(&path, &file, None, false), &actor()).unwrap_err();
    assert_eq!(err, CoreError::BackupOtherClub { backup: vec![their_name.clone()], current: vec![ours.clone()] });
    assert_eq!(listing(dir.path()), before, "nothing was replaced");
    let done = restore(&request(&path, &file, None, true), &actor()).unwrap();
    assert_eq!(done.clubs.iter().map(|c| c.name.clone()).collect::<Vec<_>>(), vec![their_name]);
    assert_eq!(done.replaced_clubs.iter().map(|c| c.name.clone()).collect::<Vec<_>>(), vec![ours]);
}

/// Damaged, cut, foreign, newer, too large, wrongly encrypted: refused with its own code, and the
/// books and their folder are exactly as they were.
#[test]
fn a_bad_backup_is_refused_and_nothing_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let src = tempfile::tempdir().unwrap();
    let good = src.path().join("good.sqlite");
    backup_to(&store, &good).unwrap();
    let good_bytes = fs::read(&good).unwrap();
    let stick = backup_to_stick(&store, src.path(), "mật khẩu sao lưu", today()).unwrap();
    drop(store);

    let mut cases: Vec<(&str, PathBuf, Option<&str>)> = Vec::new();
    let put = |name: &str, bytes: &[u8]| {
        let p = src.path().join(name);
        fs::write(&p, bytes).unwrap();
        p
    };
    // Half the file: what a pulled stick leaves.
    cases.push(("backup.damaged", put("cut.sqlite", &good_bytes[..good_bytes.len() / 2]), None));
    // Pages overwritten in the middle.
    let mut flipped = good_bytes.clone();
    let mid = flipped.len() / 2;
    for b in &mut flipped[mid..mid + 4096] {
        *b ^= 0x5a;
    }
    cases.push(("backup.damaged", put("flipped.sqlite", &flipped), None));
    // Another program's SQLite file, and something that is not SQLite at all.
    let foreign = src.path().join("foreign.sqlite");
    Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
    cases.push(("backup.not_ours", foreign, None));
    cases.push(("backup.not_ours", put("notes.sqlite", "Sổ tay ghi chép".as_bytes()), None));
    // Made by a newer app.
    let newer = put("newer.sqlite", &good_bytes);
    Connection::open(&newer).unwrap().execute_batch("PRAGMA user_version = 999;").unwrap();
    cases.push(("backup.too_new", newer, None));
    // Bigger than any backup can be (sparse: costs no disk): refused before it is read.
    let huge = src.path().join("huge.sqlite");
    fs::File::create(&huge).unwrap().set_len(MAX_BACKUP_BYTES + 1).unwrap();
    cases.push(("backup.too_large", huge, None));
    // The stick backup with the wrong passphrase, none, and with its ciphertext damaged.
    let sealed = PathBuf::from(&stick.path);
    cases.push(("backup.wrong_passphrase", sealed.clone(), Some("không phải mật khẩu")));
    cases.push(("backup.passphrase_needed", sealed.clone(), None));
    let mut bad_payload = fs::read(&sealed).unwrap();
    let n = bad_payload.len();
    bad_payload[n - 100] ^= 1;
    cases.push(("backup.damaged", put("bad-payload.ishc-backup.age", &bad_payload), Some("mật khẩu sao lưu")));
    let mut bad_header = fs::read(&sealed).unwrap();
    bad_header[30] ^= 1;
    cases.push(("backup.undecryptable", put("bad-header.ishc-backup.age", &bad_header), Some("mật khẩu sao lưu")));
    cases.push(("file.unreadable", src.path().join("none.sqlite"), None));
    cases.push(("file.not_regular", src.path().to_path_buf(), None));

    let before = listing(dir.path());
    for (code, file, pass) in cases {
        let err = restore(&request(&path, &file, pass, true), &actor()).unwrap_err();
        assert_eq!(err.code(), code, "{}: {err:?}", file.display());
        assert_eq!(listing(dir.path()), before, "{} replaced something", file.display());
    }
}

#[test]
fn a_damaged_ledger_is_replaced_only_with_a_confirmation_and_its_log_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let out = dir.path().join("backups");
    let made = auto_backup(&store, Some(&out), now()).unwrap();
    drop(store);
    // A failed disk: pages of garbage (a file under one page would be taken by SQLite for an empty
    // one, whose log it deletes as stale when it is opened).
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(&path, &garbage).unwrap();
    fs::write(dir.path().join("ledger.sqlite-wal"), b"a log that belongs to the damaged file").unwrap();
    let file = PathBuf::from(&made.made.path);
    let err = restore(&request(&path, &file, None, false), &actor()).unwrap_err();
    assert_eq!(err.code(), "backup.current_unreadable");
    assert_eq!(fs::read(&path).unwrap(), garbage);
    let done = restore(&request(&path, &file, None, true), &actor()).unwrap();
    let kept = PathBuf::from(done.kept_as.unwrap());
    assert_eq!(fs::read(&kept).unwrap(), garbage);
    assert_eq!(fs::read(with_suffix(&kept, "-wal")).unwrap(), b"a log that belongs to the damaged file");
    assert!(!dir.path().join("ledger.sqlite-wal").exists(), "the old log is not applied to the restored books");
    assert!(check::run(&open_file(&path)).unwrap().ok);
}

#[test]
fn an_older_backup_is_migrated_when_restored() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite");
    let mut conn = Connection::open(&old).unwrap();
    migrations::migrate_to(&mut conn, migrations::LATEST - 1).unwrap();
    drop(conn);
    let seen = inspect(&old, None, today()).unwrap();
    assert_eq!(seen.schema_version, migrations::LATEST - 1);
    let target = dir.path().join("ledger.sqlite");
    let done = restore(&request(&target, &old, None, false), &actor()).unwrap();
    assert_eq!((done.backup_schema_version, done.schema_version), (migrations::LATEST - 1, migrations::LATEST));
    assert_eq!(open_file(&target).schema_version().unwrap(), migrations::LATEST);
    // The backup itself was only read.
    let conn = Connection::open_with_flags(&old, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    assert_eq!(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), migrations::LATEST - 1);
}

#[test]
fn restore_refuses_while_the_window_holds_the_books() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let _window = crate::store::lock::lock_or_refuse(&path).unwrap();
    assert_eq!(crate::store::lock::lock_or_refuse(&path).unwrap_err().code(), "db.in_use");
}

// ---------------------------------------------------------------------------------------------
// Generations

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn generation_names_are_read_back_and_nothing_else_is_taken_for_one() {
    assert_eq!(parse_generation("ledger-2026-11-27-101500.sqlite", "ledger"), Some((at("2026-11-27 10:15"), 1)));
    assert_eq!(parse_generation("ledger-2026-11-27-101500-3.sqlite", "ledger"), Some((at("2026-11-27 10:15"), 3)));
    for other in [
        "ledger-old-2026-11-27-101500.sqlite",
        "ledger-2026-11-27-101500-1.sqlite",
        "ledger-2026-11-27-101500.sqlite.partial",
        "ledger-2026-13-27-101500.sqlite",
        "ledger.sqlite",
        "so-sach-clb-2026-11-27.ishc-backup.age",
        "ledger-2026-11-27-1015ÿ.sqlite",
    ] {
        assert_eq!(parse_generation(other, "ledger"), None, "{other}");
    }
}

/// Hourly backups for two years: what is left is one a day for a week, one a week for four weeks,
/// one a month for a year — the newest of each.
#[test]
fn pruning_keeps_days_weeks_and_months() {
    let now = at("2026-11-22 18:30"); // a Sunday
    let made: Vec<NaiveDateTime> = (0..24 * 730).rev().map(|h| now - Duration::hours(h) - Duration::minutes(5)).collect();
    let mask = keep(&made, now);
    let kept: Vec<String> = made.iter().zip(&mask).filter(|(_, k)| **k).map(|(t, _)| t.format("%Y-%m-%d %H:%M").to_string()).collect();
    assert_eq!(
        kept,
        vec![
            // months (the newest of each; November's is today's)
            "2025-12-31 23:25", "2026-01-31 23:25", "2026-02-28 23:25", "2026-03-31 23:25", "2026-04-30 23:25",
            "2026-05-31 23:25", "2026-06-30 23:25", "2026-07-31 23:25", "2026-08-31 23:25", "2026-09-30 23:25",
            "2026-10-31 23:25",
            // weeks (ending on Sundays) and the last seven days
            "2026-11-01 23:25", "2026-11-08 23:25", "2026-11-15 23:25", "2026-11-16 23:25", "2026-11-17 23:25",
            "2026-11-18 23:25", "2026-11-19 23:25", "2026-11-20 23:25", "2026-11-21 23:25", "2026-11-22 18:25",
        ]
    );
    // Pruning what was kept removes nothing more.
    let again: Vec<NaiveDateTime> = made.iter().zip(&mask).filter(|(_, k)| **k).map(|(t, _)| *t).collect();
    assert!(keep(&again, now).iter().all(|k| *k));
}

#[test]
fn pruning_always_leaves_the_newest_and_never_removes_what_it_cannot_place() {
    let now = at("2026-11-22 18:30");
    // A laptop unused for three years: its last backup stays.
    assert_eq!(keep(&[at("2023-01-01 09:00"), at("2023-06-01 09:00")], now), vec![false, true]);
    // A backup dated after now (the clock was wrong) stays.
    assert_eq!(keep(&[at("2026-11-22 09:00"), at("2031-01-01 09:00")], now), vec![true, true]);
    // Of two made in the same second, the later in the list.
    assert_eq!(keep(&[at("2026-11-22 09:00"), at("2026-11-22 09:00")], now), vec![false, true]);
    assert_eq!(keep(&[], now), Vec::<bool>::new());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn pruning_rule_properties(minutes in proptest::collection::vec(-3000i64..1_200_000, 0..120)) {
        let now = at("2026-11-22 18:30");
        let mut made: Vec<NaiveDateTime> = minutes.iter().map(|m| now - Duration::minutes(*m)).collect();
        made.sort();
        let mask = keep(&made, now);
        let kept: Vec<NaiveDateTime> = made.iter().zip(&mask).filter(|(_, k)| **k).map(|(t, _)| *t).collect();
        let future = made.iter().filter(|t| **t > now).count();
        // Bounded: 7 days + 4 weeks + 12 months (+ the newest, + any it cannot place).
        prop_assert!(kept.len() <= 7 + 4 + 12 + 1 + future);
        // The newest in the past is always kept, and so is everything in the future.
        if let Some(newest) = made.iter().rev().find(|t| **t <= now) {
            prop_assert!(kept.contains(newest));
        }
        prop_assert!(made.iter().filter(|t| **t > now).all(|t| kept.contains(t)));
        // Each of the last 7 days that has a backup keeps its newest one, and only that one.
        for back in 0..7 {
            let day = now.date() - chrono::Days::new(back);
            if let Some(newest) = made.iter().rev().find(|t| t.date() == day && **t <= now) {
                prop_assert!(kept.contains(newest));
            }
        }
        // Each of the last 12 months keeps its newest one.
        for t in &made {
            let months = (now.year() * 12 + now.month0() as i32) - (t.year() * 12 + t.month0() as i32);
            if *t <= now && months < 12 {
                let newest = made.iter().rev().find(|u| **u <= now && u.year() == t.year() && u.month() == t.month()).unwrap();
                prop_assert!(kept.contains(newest));
            }
        }
        // What is removed is never the newest of a day, week or month in reach.
        // (Of two made at the same time, the later in the slice is the newer, as `keep` says.)
        for (i, (t, k)) in made.iter().zip(&mask).enumerate() {
            if !k {
                let later_same_day = made[i + 1..].iter().any(|u| u.date() == t.date());
                let days = (now.date() - t.date()).num_days();
                prop_assert!(days >= 7 || later_same_day);
            }
        }
        // Pruning twice is pruning once.
        prop_assert!(keep(&kept, now).iter().all(|k| *k));
    }
}

#[test]
fn auto_backup_makes_a_generation_and_prunes_only_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let folder = backups_dir(&path);
    assert_eq!(folder, dir.path().join("backups"));
    let first = auto_backup(&store, None, at("2026-11-22 08:00")).unwrap();
    assert_eq!(first.made.file_name, "ledger-2026-11-22-080000.sqlite");
    let image = fs::read(&first.made.path).unwrap();
    // Forty days of older generations (copies), and files that are not generations.
    for d in 1..=40 {
        let t = at("2026-11-22 08:00") - Duration::days(d);
        fs::write(folder.join(format!("ledger-{}.sqlite", t.format(STAMP))), &image).unwrap();
    }
    fs::write(folder.join("ghi-chu.txt"), "của người dùng").unwrap();
    fs::write(folder.join("other-2026-01-01-000000.sqlite"), "another ledger's").unwrap();

    let second = auto_backup(&store, None, at("2026-11-22 17:45")).unwrap();
    let names: Vec<&str> = second.kept.iter().map(|g| g.file_name.as_str()).collect();
    assert_eq!(names[0], "ledger-2026-11-22-174500.sqlite");
    assert!(!names.contains(&"ledger-2026-11-22-080000.sqlite"), "the older one of today goes");
    let times: Vec<NaiveDateTime> = second.kept.iter().rev().map(|g| g.made_at).collect();
    assert!(keep(&times, at("2026-11-22 17:45")).iter().all(|k| *k));
    // 7 days (today + 6), weeks, months: far fewer than 42.
    assert!(second.kept.len() <= 7 + 4 + 12, "{names:?}");
    assert_eq!(second.removed.len() + second.kept.len(), 42);
    assert!(folder.join("ghi-chu.txt").exists() && folder.join("other-2026-01-01-000000.sqlite").exists());
    assert_eq!(generations(Some(&path), &folder).unwrap(), second.kept);
    // Two in the same second get two names.
    let a = auto_backup(&store, None, at("2026-11-22 19:00")).unwrap();
    let b = auto_backup(&store, None, at("2026-11-22 19:00")).unwrap();
    assert_eq!((a.made.file_name.as_str(), b.made.file_name.as_str()), ("ledger-2026-11-22-190000.sqlite", "ledger-2026-11-22-190000-2.sqlite"));
    assert!(!b.kept.iter().any(|g| g.file_name == a.made.file_name));
}

#[test]
fn auto_backup_if_due_waits_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ledger(dir.path(), "ledger.sqlite", 1);
    let day = Duration::days(1);
    assert!(auto_backup_if_due(&store, None, at("2026-11-21 09:00"), day).unwrap().is_some());
    assert!(auto_backup_if_due(&store, None, at("2026-11-22 08:59"), day).unwrap().is_none());
    assert!(auto_backup_if_due(&store, None, at("2026-11-22 09:00"), day).unwrap().is_some());
    // A newest one dated in the future (a wrong clock) does not stop backups.
    auto_backup(&store, None, at("2030-01-01 00:00")).unwrap();
    assert!(auto_backup_if_due(&store, None, at("2026-11-22 10:00"), day).unwrap().is_some());
    let mem = Store::open_in_memory().unwrap();
    assert_eq!(auto_backup(&mem, None, now()).unwrap_err().code(), "backup.folder_missing");
}

#[test]
fn only_the_chair_or_vice_chair_signed_in_on_the_books_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = ledger(dir.path(), "ledger.sqlite", 1);
    let made = auto_backup(&store, None, now()).unwrap();
    let file = PathBuf::from(&made.made.path);
    let club = club::list(&store).unwrap()[0].id;
    let name_of = |store: &Store, role: crate::auth::AuthRole| {
        crate::auth::list(store, club).unwrap().into_iter().find(|s| s.roles == vec![role]).unwrap().name
    };
    let treasurer = name_of(&store, crate::auth::AuthRole::Treasurer);
    let chair = name_of(&store, crate::auth::AuthRole::Chair);
    let treasurer = crate::auth::sign_in(&mut store, club, &treasurer, "3333").unwrap();
    let chair = crate::auth::sign_in(&mut store, club, &chair, "1111").unwrap();
    drop(store);
    let before = listing(dir.path());
    for who in [Actor::new("Người lạ").unwrap(), treasurer] {
        let err = restore(&request(&path, &file, None, false), &who).unwrap_err();
        assert!(matches!(&err, CoreError::AuthForbidden { action, roles } if action == "restore" && roles == &["chair", "vice_chair"]), "{err:?}");
        assert_eq!(listing(dir.path()), before, "a refused restore touches nothing");
    }
    let done = restore(&request(&path, &file, None, false), &chair).unwrap();
    assert!(done.kept_as.is_some());
}
