use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::import::{import, ImportReport};
use super::ledger::{self, init, CommuneInput, CommuneStore, Level};
use super::register::{self, typed_fingerprint, ClubInput};
use super::status::{self, ReportBody, ReportState};
use crate::error::CoreError;
use crate::reporting::Period;
use crate::signing::bundle::kit::{digest, KitClub, KitKey};
use crate::signing::bundle::BundleFile;
use crate::store::audit::Actor;

const PASS: &str = "mật khẩu của xã";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn officer() -> Actor {
    Actor::system("Nguyễn Văn Xã").unwrap()
}

fn commune() -> (tempfile::TempDir, CommuneStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = CommuneStore::open(&dir.path().join("commune.sqlite"), true).unwrap();
    store.set_today(d("2026-12-20"));
    let input = CommuneInput {
        level: crate::commune::Level::Commune,
        name: "Xã Quảng Hòa".into(),
        district: "Quảng Xương".into(),
        province: "Thanh Hóa".into(),
        deadline_day: 10,
        deadline_month: 12,
    };
    init(&mut store, &officer(), &input, PASS).unwrap();
    (dir, store)
}

fn kit_club(name: &str) -> KitClub {
    KitClub { name: name.into(), commune: "Quảng Hòa".into(), district: "Huyện Quảng Xương".into(), province: "Tỉnh Thanh Hóa".into() }
}

fn report(members: u32) -> Vec<BundleFile> {
    vec![BundleFile { name: "report.json".into(), bytes: format!("{{\"members\":{members}}}\n").into_bytes() }]
}

/// A club's bundles 1..=n: months 1..12 then the year, each naming the one before.
fn series(key: &KitKey, club: &KitClub, n: u32) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for seq in 1..=n {
        let previous = out.last().map(|b| digest(b));
        let (label, from, to) = if seq <= 12 {
            let p = Period::month(2026, seq).unwrap();
            (p.label, p.from, p.to)
        } else {
            ("2026".to_string(), d("2026-01-01"), d("2026-12-31"))
        };
        out.push(key.bundle(club, &label, from, to, seq, previous, &report(50 + seq)).unwrap());
    }
    out
}

fn register_kit(store: &mut CommuneStore, name: &str, key: &KitKey) -> i64 {
    let input = ClubInput {
        name: name.into(),
        hamlet: "Thôn 3".into(),
        public_key: key.public_key_file(name),
        fingerprint: key.fingerprint().to_lowercase().replace(' ', "  "),
    };
    register::register(store, &officer(), &input).unwrap().id
}

fn write_all(dir: &Path, name: &str, bundles: &[Vec<u8>]) -> Vec<PathBuf> {
    bundles
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let p = dir.join(format!("{name}-{:04}.zip", i + 1));
            fs::write(&p, b).unwrap();
            p
        })
        .collect()
}

fn run(store: &mut CommuneStore, paths: &[PathBuf]) -> ImportReport {
    import(store, &officer(), paths, &mut |_, _| {}).unwrap()
}

fn codes(r: &ImportReport) -> Vec<String> {
    r.refused.iter().map(|x| x.reason.code.clone()).collect()
}

fn count(store: &CommuneStore, table: &str) -> i64 {
    store.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_commune_ledger_is_its_own_file() {
    let (dir, mut store) = commune();
    let c = store.commune().unwrap();
    assert_eq!((c.name.as_str(), c.deadline_day, c.deadline_month), ("Xã Quảng Hòa", 10, 12));
    assert_eq!(c.key_fingerprint.len(), 39);
    let again = CommuneInput { level: Level::Commune, name: "X".into(), district: String::new(), province: "Y".into(), deadline_day: 10, deadline_month: 12 };
    assert_eq!(init(&mut store, &officer(), &again, PASS).unwrap_err().code(), "commune.exists");
    drop(store);
    // A club ledger is not a commune ledger, and the other way round; neither file is touched.
    let club = dir.path().join("club.sqlite");
    drop(crate::Store::open(&club, crate::OpenMode::CreateIfMissing).unwrap());
    let before = fs::read(&club).unwrap();
    assert_eq!(CommuneStore::open(&club, false).err().unwrap().code(), "commune.wrong_file");
    assert_eq!(fs::read(&club).unwrap(), before);
    let err = crate::Store::open(&dir.path().join("commune.sqlite"), crate::OpenMode::Existing).err().unwrap();
    assert_eq!(err.code(), "db.corrupt");
    assert_eq!(CommuneStore::open(&dir.path().join("none.sqlite"), false).err().unwrap().code(), "db.not_found");
    // A deadline that is no day of the year is refused.
    let mut fresh = CommuneStore::open_in_memory().unwrap();
    let bad = CommuneInput { level: Level::Commune, name: "X".into(), district: String::new(), province: "Y".into(), deadline_day: 31, deadline_month: 11 };
    assert_eq!(init(&mut fresh, &officer(), &bad, PASS).unwrap_err().code(), "input.invalid");
}

#[test]
fn the_fingerprint_is_typed_as_on_the_card_and_nothing_ambiguous() {
    let fp = "3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13";
    for typed in [fp, "3f2a9b1c7d4e0a5591c244ab0d7e6f13", " 3F2A  9b1c\t7D4E 0A55 91C2 44AB 0D7E 6F13 ", "3F2A9B1C 7D4E0A55 91C244AB 0D7E6F13"] {
        assert_eq!(typed_fingerprint(typed).unwrap(), fp, "{typed:?}");
    }
    for typed in ["3F2A-9B1C-7D4E-0A55-91C2-44AB-0D7E-6F13", "3F2A 9B1C 7D4E OA55 91C2 44AB 0D7E 6F13", "3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F1", "3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13 0", "１F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13", ""] {
        assert_eq!(typed_fingerprint(typed).unwrap_err().code(), "input.invalid", "{typed:?}");
    }
}

#[test]
fn a_club_is_registered_only_when_the_typed_fingerprint_matches() {
    let (_dir, mut store) = commune();
    let key = KitKey::generate().unwrap();
    let other = KitKey::generate().unwrap();
    let input = ClubInput {
        name: "CLB Đông Hòa".into(),
        hamlet: "Thôn Đông".into(),
        public_key: key.public_key_file("CLB Đông Hòa"),
        fingerprint: other.fingerprint(),
    };
    let err = register::register(&mut store, &officer(), &input).unwrap_err();
    assert_eq!(err, CoreError::CommuneFingerprintMismatch { typed: other.fingerprint() });
    assert_eq!(count(&store, "club"), 0);
    assert_eq!(count(&store, "audit_log"), 1, "only the init");
    let id = register_kit(&mut store, "CLB Đông Hòa", &key);
    let clubs = register::list(&store).unwrap();
    assert_eq!(clubs.len(), 1);
    assert_eq!((clubs[0].id, clubs[0].fingerprint.as_str(), clubs[0].keys[0].how.as_str()), (id, key.fingerprint().as_str(), "card"));
    // The same key twice, or the same name (without diacritics) twice: refused.
    let err = register::register(&mut store, &officer(), &ClubInput { name: "CLB khác".into(), fingerprint: key.fingerprint(), ..input.clone() }).unwrap_err();
    assert_eq!(err.code(), "commune.key_registered");
    let err = register::register(&mut store, &officer(), &ClubInput {
        name: "clb dong hoa".into(),
        public_key: other.public_key_file("x"),
        fingerprint: other.fingerprint(),
        hamlet: String::new(),
    })
    .unwrap_err();
    assert_eq!(err.code(), "commune.club_exists");
}

#[test]
fn a_stick_is_imported_in_any_order_and_twice_changes_nothing() {
    let (dir, mut store) = commune();
    let stick = dir.path().join("usb");
    fs::create_dir_all(stick.join("thang")).unwrap();
    let mut originals = Vec::new();
    for c in 0..3 {
        let key = KitKey::generate().unwrap();
        let name = format!("CLB số {c}");
        register_kit(&mut store, &name, &key);
        let bundles = series(&key, &kit_club(&name), 13);
        // Named so that the folder order is the reverse of the sequence, one in a sub-folder.
        for (i, b) in bundles.iter().enumerate() {
            let folder = if i == 5 { stick.join("thang") } else { stick.clone() };
            fs::write(folder.join(format!("club{c}-{:02}.zip", 99 - i)), b).unwrap();
        }
        originals.extend(bundles);
    }
    fs::write(stick.join("ghi-chu.txt"), "not a bundle, not looked at").unwrap();
    fs::write(stick.join(".hidden.zip"), "skipped").unwrap();
    let first = run(&mut store, std::slice::from_ref(&stick));
    assert_eq!(first.files, 39);
    assert_eq!(first.accepted.len(), 39, "{:?}", first.refused);
    assert!(first.refused.is_empty());
    assert!(first.accepted.iter().all(|a| a.flags.is_empty()), "no gap: the order on the stick does not matter");
    // Kept byte for byte.
    for b in &originals {
        let kept: Vec<u8> = store.conn.query_row("SELECT bytes FROM received WHERE sha256 = ?1", [digest(b)], |r| r.get(0)).unwrap();
        assert_eq!(&kept, b);
    }
    let snapshot = |s: &CommuneStore| -> (i64, i64, i64, String) {
        let all: String = s.conn.query_row("SELECT group_concat(sha256 || sequence, ',') FROM (SELECT * FROM received ORDER BY id)", [], |r| r.get(0)).unwrap();
        (count(s, "received"), count(s, "club_key"), count(s, "audit_log"), all)
    };
    let before = snapshot(&store);
    let second = run(&mut store, &[stick]);
    assert!(second.accepted.is_empty());
    assert_eq!(codes(&second), vec!["bundle.replay"; 39]);
    assert_eq!(snapshot(&store), before, "importing the same stick twice changes nothing");
    let year = Period::year(2026).unwrap();
    assert_eq!(status::latest_reports(&store, &year).unwrap().len(), 3);
}

#[test]
fn each_bad_bundle_is_refused_or_flagged_with_its_own_reason() {
    let (dir, mut store) = commune();
    let key = KitKey::generate().unwrap();
    let club = kit_club("CLB Đông Hòa");
    register_kit(&mut store, "CLB Đông Hòa", &key);
    let b = series(&key, &club, 6);
    let files = write_all(dir.path(), "ok", &b);

    // Tampered: one byte of the report changed.
    let mut tampered = b[0].clone();
    let at = tampered.windows(8).position(|w| w == b"members\"").unwrap();
    tampered[at] = b'M';
    let tampered_path = dir.path().join("tampered.zip");
    fs::write(&tampered_path, &tampered).unwrap();
    // Unregistered key, of this commune; another commune's club.
    let stranger = KitKey::generate().unwrap();
    let unregistered = dir.path().join("unregistered.zip");
    fs::write(&unregistered, &series(&stranger, &kit_club("CLB Lạ"), 1)[0]).unwrap();
    let foreign = dir.path().join("foreign.zip");
    let far = KitClub { commune: "Phường Ba Đình".into(), province: "Hà Nội".into(), ..kit_club("CLB Xa") };
    fs::write(&foreign, &series(&stranger, &far, 1)[0]).unwrap();
    // Not a bundle at all.
    let note = dir.path().join("note.zip");
    fs::write(&note, "hello").unwrap();
    // A registered club's bundle that names another commune.
    let moved = dir.path().join("moved.zip");
    fs::write(&moved, key.bundle(&far, "2027", d("2027-01-01"), d("2027-12-31"), 9, None, &report(1)).unwrap()).unwrap();

    // Bundles 1, 2 and 5: 5 comes after a gap; then 3 arrives and 4 is never sent.
    let r = run(&mut store, &[files[0].clone(), files[1].clone(), files[4].clone(), tampered_path, unregistered, foreign, note, moved]);
    let accepted: Vec<u32> = r.accepted.iter().map(|a| a.sequence).collect();
    assert_eq!(accepted, [1, 2, 5]);
    let gap = &r.accepted[2].flags;
    assert_eq!(gap.len(), 1);
    assert_eq!((gap[0].code.as_str(), &gap[0].params["expected"], &gap[0].params["found"]), ("bundle.gap", &serde_json::json!(3), &serde_json::json!(5)));
    let mut reasons = codes(&r);
    reasons.sort();
    // The tampered byte is caught by the zip's own CRC before the digests: `bundle.damaged`.
    assert_eq!(reasons, ["bundle.damaged", "bundle.not_zip", "bundle.other_commune", "bundle.other_commune", "bundle.unregistered"]);

    // A replay of bundle 2, and a fork: another bundle 2 (different content), and a bundle 3 that
    // names another previous bundle.
    let fork2 = key.bundle(&club, "2026-02", d("2026-02-01"), d("2026-02-28"), 2, Some(digest(&b[0])), &report(99)).unwrap();
    let fork3 = key.bundle(&club, "2026-03", d("2026-03-01"), d("2026-03-31"), 3, Some(digest(&fork2)), &report(98)).unwrap();
    let forks = write_all(&dir.path().join("."), "fork", &[fork2, fork3]);
    let r = run(&mut store, &[files[1].clone(), forks[0].clone(), forks[1].clone(), files[2].clone()]);
    assert_eq!(codes(&r), ["bundle.replay", "bundle.fork", "bundle.fork"]);
    assert_eq!(r.refused[1].reason.params["detail"], "same_sequence");
    assert_eq!(r.refused[2].reason.params["detail"], "previous_differs");
    // Bundle 3 fills the hole: accepted, no flag (4 is still missing: 5 keeps its flag in the ledger).
    assert_eq!(r.accepted.iter().map(|a| a.sequence).collect::<Vec<_>>(), [3]);
    assert!(r.accepted[0].flags.is_empty());
    // Bundle 4 with the wrong digest of 3, or one that 5 does not name: a fork.
    let fork4 = key.bundle(&club, "2026-04", d("2026-04-01"), d("2026-04-30"), 4, Some(digest(&b[2])), &report(97)).unwrap();
    let p = dir.path().join("fork4.zip");
    fs::write(&p, &fork4).unwrap();
    let r = run(&mut store, &[p]);
    assert_eq!(codes(&r), ["bundle.fork"]);
    assert_eq!(r.refused[0].reason.params["detail"], "next_names_another");
    let r = run(&mut store, &[files[3].clone()]);
    assert_eq!(r.accepted.len(), 1, "{:?}", r.refused);
    assert_eq!(count(&store, "received"), 5);
}

#[test]
fn a_key_change_is_followed_across_bundles() {
    let (dir, mut store) = commune();
    let club = kit_club("CLB Đông Hòa");
    let k1 = KitKey::generate().unwrap();
    let id = register_kit(&mut store, "CLB Đông Hòa", &k1);
    let k2 = k1.rotate(&club.name).unwrap();
    let b1 = k1.bundle(&club, "2026-01", d("2026-01-01"), d("2026-01-31"), 1, None, &report(1)).unwrap();
    let b2 = k1.bundle(&club, "2026-02", d("2026-02-01"), d("2026-02-28"), 2, Some(digest(&b1)), &report(2)).unwrap();
    let b3 = k2.bundle(&club, "2026-03", d("2026-03-01"), d("2026-03-31"), 3, Some(digest(&b2)), &report(3)).unwrap();
    let b4 = k2.bundle(&club, "2026-04", d("2026-04-01"), d("2026-04-30"), 4, Some(digest(&b3)), &report(4)).unwrap();
    // The old key, used after the change: refused.
    let late_old = k1.bundle(&club, "2026-05", d("2026-05-01"), d("2026-05-31"), 5, Some(digest(&b4)), &report(5)).unwrap();
    // A key endorsed by a key the commune never registered: refused as unregistered.
    let stranger = KitKey::generate().unwrap().rotate(&club.name).unwrap();
    let odd = stranger.bundle(&club, "2026-05", d("2026-05-01"), d("2026-05-31"), 5, Some(digest(&b4)), &report(5)).unwrap();
    let paths = write_all(dir.path(), "b", &[b1, b2, b3, b4]);
    let r = run(&mut store, &paths);
    assert_eq!(r.accepted.len(), 4, "{:?}", r.refused);
    let rotated = &r.accepted[2].flags;
    assert_eq!(rotated[0].code, "commune.key_rotated");
    assert_eq!((rotated[0].params["old"].as_str(), rotated[0].params["new"].as_str()), (Some(k1.fingerprint().as_str()), Some(k2.fingerprint().as_str())));
    let c = register::get(&store, id).unwrap();
    assert_eq!(c.fingerprint, k2.fingerprint());
    assert_eq!(c.keys.len(), 2, "history kept");
    assert_eq!((c.keys[0].retired_at_sequence, c.keys[1].how.as_str(), c.keys[1].from_sequence), (Some(3), "rotation", Some(3)));
    let more = write_all(&dir.path().join("."), "late", &[late_old, odd]);
    let r = run(&mut store, &more);
    assert_eq!(codes(&r), ["bundle.retired_key", "bundle.unregistered"]);
    // The register cannot be rewritten behind the app's back: keys are retired once, never deleted.
    assert!(store.conn.execute("DELETE FROM club_key", []).is_err());
    assert!(store.conn.execute("UPDATE club_key SET retired_at = NULL", []).is_err());
    assert!(store.conn.execute("UPDATE received SET bytes = x'00'", []).is_err());
    assert!(store.conn.execute("DELETE FROM received", []).is_err());
}

#[test]
fn a_corrected_report_replaces_the_earlier_in_the_figures_and_both_are_kept() {
    let (dir, mut store) = commune();
    let club = kit_club("CLB Đông Hòa");
    let key = KitKey::generate().unwrap();
    let id = register_kit(&mut store, "CLB Đông Hòa", &key);
    let (from, to) = (d("2026-01-01"), d("2026-12-31"));
    let first = key.bundle(&club, "2026", from, to, 1, None, &report(60)).unwrap();
    let corrected = key.bundle(&club, "2026", from, to, 2, Some(digest(&first)), &report(61)).unwrap();
    let paths = write_all(dir.path(), "y", &[first, corrected]);
    run(&mut store, &paths[..1]);
    let year = Period::year(2026).unwrap();
    let got = status::latest_reports(&store, &year).unwrap();
    assert_eq!((got[0].sequence, got[0].versions), (1, 1));
    run(&mut store, &paths[1..]);
    let got = status::latest_reports(&store, &year).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].club_id, got[0].sequence, got[0].versions), (id, 2, 2));
    assert_eq!(got[0].received_on, d("2026-12-20"));
    assert_eq!(got[0].report, Some(ReportBody::Raw(serde_json::json!({ "members": 61 }))));
    assert_eq!(count(&store, "received"), 2, "the first is kept");
}

#[test]
fn a_real_report_json_is_read_into_the_published_type() {
    let (mut club_store, _actor, club_id, _members) = crate::life::meeting::tests::club_with(5);
    club_store.set_today(d("2026-11-22"));
    let year = Period::year(2025).unwrap();
    let built = crate::reporting::build(&club_store, club_id, &year, &Default::default()).unwrap();
    let (dir, mut store) = commune();
    let key = KitKey::generate().unwrap();
    register_kit(&mut store, "CLB Đông Hòa", &key);
    let files = vec![BundleFile { name: "report.json".into(), bytes: built.to_json().unwrap() }];
    let b = key.bundle(&kit_club("CLB Đông Hòa"), "2025", year.from, year.to, 1, None, &files).unwrap();
    let paths = write_all(dir.path(), "r", &[b]);
    run(&mut store, &paths);
    let got = status::latest_reports(&store, &year).unwrap();
    assert_eq!(got[0].report, Some(ReportBody::Parsed(Box::new(built))));
}

#[test]
fn status_names_who_reported_when_and_who_is_missing_by_the_deadline() {
    let (dir, mut store) = commune();
    let keys: Vec<KitKey> = (0..3).map(|_| KitKey::generate().unwrap()).collect();
    for (i, k) in keys.iter().enumerate() {
        register_kit(&mut store, &format!("CLB {i}"), k);
    }
    let year = Period::year(2026).unwrap();
    let bundle = |k: &KitKey, i: usize| k.bundle(&kit_club(&format!("CLB {i}")), "2026", year.from, year.to, 1, None, &report(5)).unwrap();
    store.set_today(d("2026-12-08"));
    let on_time = write_all(dir.path(), "a", &[bundle(&keys[0], 0)]);
    run(&mut store, &on_time);
    let s = status::status(&store, &year).unwrap();
    assert_eq!(s.deadline, d("2026-12-10"));
    let states: Vec<ReportState> = s.clubs.iter().map(|c| c.state).collect();
    assert_eq!(states, [ReportState::OnTime, ReportState::NotYetDue, ReportState::NotYetDue]);
    store.set_today(d("2026-12-15"));
    let late = write_all(dir.path(), "b", &[bundle(&keys[1], 1)]);
    run(&mut store, &late);
    let s = status::status(&store, &year).unwrap();
    let states: Vec<(ReportState, Option<NaiveDate>)> = s.clubs.iter().map(|c| (c.state, c.received_on)).collect();
    assert_eq!(states, [(ReportState::OnTime, Some(d("2026-12-08"))), (ReportState::Late, Some(d("2026-12-15"))), (ReportState::Missing, None)]);
    assert_eq!((s.reported, s.missing), (2, 1));
    // A month's report is due on that day of the next month; a short month takes its last day.
    assert_eq!(status::deadline(&Period::month(2026, 11).unwrap(), 10, 12), d("2026-12-10"));
    assert_eq!(status::deadline(&Period::month(2026, 1).unwrap(), 31, 12), d("2026-02-28"));
    assert_eq!(status::deadline(&Period::quarter(2026, 4).unwrap(), 10, 12), d("2027-01-10"));
}

#[test]
fn a_fifo_on_the_stick_is_refused_without_blocking() {
    let (dir, mut store) = commune();
    let fifo = dir.path().join("stick").join("wait.zip");
    fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let r = run(&mut store, &[dir.path().join("stick")]);
    assert_eq!(codes(&r), ["file.not_regular"]);
    let err = import(&mut store, &officer(), &[dir.path().join("nowhere")], &mut |_, _| {}).unwrap_err();
    assert_eq!(err.code(), "commune.path_missing");
}

#[test]
fn the_deadline_can_be_changed_later_and_judges_who_is_late() {
    let (dir, mut store) = commune();
    let key = KitKey::generate().unwrap();
    register_kit(&mut store, "CLB 0", &key);
    let year = Period::year(2026).unwrap();
    store.set_today(d("2026-12-12"));
    let bundle = key.bundle(&kit_club("CLB 0"), "2026", year.from, year.to, 1, None, &report(5)).unwrap();
    run(&mut store, &write_all(dir.path(), "a", &[bundle]));
    assert_eq!(status::status(&store, &year).unwrap().clubs[0].state, ReportState::Late, "10/12 passed");
    let c = ledger::set_deadline(&mut store, &officer(), 13, 12).unwrap();
    assert_eq!((c.deadline_day, c.deadline_month), (13, 12));
    let s = status::status(&store, &year).unwrap();
    assert_eq!((s.deadline, s.clubs[0].state), (d("2026-12-13"), ReportState::OnTime));
    // A day not every year has is refused, and the books keep the deadline they had.
    for (day, month) in [(29, 2), (31, 11), (0, 12), (10, 13)] {
        let err = ledger::set_deadline(&mut store, &officer(), day, month).unwrap_err();
        assert_eq!(err.code(), "input.invalid", "{day}/{month}");
    }
    assert_eq!(store.commune().unwrap().deadline_day, 13);
    let audited: String = store
        .conn
        .query_row("SELECT detail FROM audit_log WHERE action = 'commune.deadline'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, r#"{"from":"10/12","to":"13/12"}"#);
}

/// An inbox of `level` named `name` in Thanh Hóa, its key made with `PASS`.
fn inbox(level: Level, name: &str, district: &str) -> (tempfile::TempDir, CommuneStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = CommuneStore::open(&dir.path().join("inbox.sqlite"), true).unwrap();
    store.set_today(d("2026-12-20"));
    let input = CommuneInput {
        level,
        name: name.into(),
        district: district.into(),
        province: "Thanh Hóa".into(),
        deadline_day: 10,
        deadline_month: 12,
    };
    init(&mut store, &officer(), &input, PASS).unwrap();
    (dir, store)
}

/// Register the sender of a bundle in `store` from its `club.pub`, typing its fingerprint.
fn register_pub(store: &mut CommuneStore, name: &str, public_key_file: &str) {
    let fp = crate::signing::key::fingerprint_of_text(public_key_file).unwrap();
    let input = ClubInput { name: name.into(), hamlet: String::new(), public_key: public_key_file.into(), fingerprint: fp };
    register::register(store, &officer(), &input).unwrap();
}

fn club_pub_of(bundle: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bundle)).unwrap();
    std::io::read_to_string(z.by_name(crate::signing::bundle::CLUB_PUB).unwrap()).unwrap()
}

#[test]
fn a_district_imports_its_communes_roll_up_bundles_as_a_commune_imports_clubs() {
    use crate::commune::rollup::plan;
    use crate::commune::send;
    let year = Period::year(2025).unwrap();
    let plan = plan::find_builtin(plan::DEFAULT_PLAN).unwrap();
    // Two communes, each with one club that sent its real year report.
    let mut sent = Vec::new();
    let mut communes = Vec::new();
    for (i, (name, club)) in [("Xã Quảng Hòa", "CLB Đông Hòa"), ("Xã Quảng Trung", "CLB Tây Trung")].into_iter().enumerate() {
        let (mut club_store, _actor, club_id, _members) = crate::life::meeting::tests::club_with(5 + i * 3);
        club_store.set_today(d("2026-11-22"));
        let built = crate::reporting::build(&club_store, club_id, &year, &Default::default()).unwrap();
        let (dir, mut store) = inbox(Level::Commune, name, "Quảng Xương");
        let key = KitKey::generate().unwrap();
        register_kit(&mut store, club, &key);
        let kc = KitClub { name: club.into(), commune: name.into(), district: "Quảng Xương".into(), province: "Thanh Hóa".into() };
        let files = vec![BundleFile { name: "report.json".into(), bytes: built.to_json().unwrap() }];
        let b = key.bundle(&kc, "2025", year.from, year.to, 1, None, &files).unwrap();
        let r = run(&mut store, &write_all(dir.path(), "c", &[b]));
        assert_eq!(r.accepted.len(), 1, "{:?}", r.refused);
        let out = dir.path().join("stick");
        fs::create_dir(&out).unwrap();
        // A wrong passphrase unlocks nothing and writes nothing.
        let e = send::export(&mut store, &officer(), &year, Some(4), &plan, crate::i18n::Lang::Vi, "sai mật khẩu rồi", &out).unwrap_err();
        assert_eq!(e.code(), "key.wrong_passphrase");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
        let first = send::export(&mut store, &officer(), &year, Some(4), &plan, crate::i18n::Lang::Vi, PASS, &out).unwrap();
        assert_eq!((first.sequence, first.manifest.previous_bundle_sha256.clone()), (1, None));
        // What was sent is what the commune's own roll-up says.
        let own = send::roll_up_inbox(&store, &year, Some(4), &plan).unwrap();
        assert_eq!(own.totals.members.members, built.members.end.members);
        // `ishc verify` accepts it with the commune's key.
        let bytes = fs::read(&first.path).unwrap();
        let v = crate::signing::bundle::verify_bytes(&bytes, Some(&club_pub_of(&bytes)));
        assert!(v.ok, "{:?}", v.problem);
        assert_eq!(send::sent(&store).unwrap().len(), 1);
        let c = super::check::check(&store).unwrap();
        assert!(c.ok && c.sent == 1 && c.received == 1, "{:?}", c.problems);
        sent.push((name, first, bytes, own));
        communes.push((dir, store));
    }

    // The district registers both communes by their key cards and imports the stick.
    let (ddir, mut district) = inbox(Level::District, "Huyện Quảng Xương", "");
    assert_eq!(district.commune().unwrap().district, "Huyện Quảng Xương");
    for (name, _, bytes, _) in &sent {
        register_pub(&mut district, name, &club_pub_of(bytes));
    }
    let paths: Vec<PathBuf> = sent.iter().map(|(_, e, _, _)| e.path.clone()).collect();
    let r = run(&mut district, &paths);
    assert_eq!((r.accepted.len(), r.refused.len()), (2, 0), "{:?}", r.refused);
    // Twice: nothing counted twice.
    let again = run(&mut district, &paths);
    assert_eq!(codes(&again), ["bundle.replay", "bundle.replay"]);
    let total = send::roll_up_inbox(&district, &year, Some(20), &plan).unwrap();
    assert_eq!(total.level, "district");
    assert_eq!(total.parts.len(), 2);
    let sum = |f: fn(&crate::commune::rollup::Rollup) -> i64| sent.iter().map(|(_, _, _, r)| f(r)).sum::<i64>();
    assert_eq!(total.totals.clubs as i64, sum(|r| r.totals.clubs as i64));
    assert_eq!(total.totals.members.members as i64, sum(|r| r.totals.members.members as i64));
    assert_eq!(total.totals.funds_total, sum(|r| r.totals.funds_total));
    assert_eq!(total.totals.loans_outstanding, sum(|r| r.totals.loans_outstanding));
    let st = status::status(&district, &year).unwrap();
    assert_eq!((st.reported, st.missing), (2, 0));

    // A club's bundle is not a commune's roll-up: refused at the district with its own reason.
    let key = KitKey::generate().unwrap();
    let kc = KitClub { name: "CLB lạ".into(), commune: "Xã Quảng Hòa".into(), district: "Quảng Xương".into(), province: "Thanh Hóa".into() };
    let report = BundleFile { name: "report.json".into(), bytes: br#"{"format":"ishc-report"}"#.to_vec() };
    let foreign = key.bundle(&kc, "2025", year.from, year.to, 1, None, &[report]).unwrap();
    register_pub(&mut district, "CLB lạ", &key.public_key_file("CLB lạ"));
    let r = run(&mut district, &write_all(ddir.path(), "club", &[foreign]));
    assert_eq!(codes(&r), ["bundle.wrong_level"]);

    // The commune's next roll-up bundle chains to its first; the district takes it as a correction.
    let (name, first, _, _) = &sent[0];
    let out = communes[0].0.path().join("stick");
    let store = &mut communes[0].1;
    let second = send::export(store, &officer(), &year, Some(5), &plan, crate::i18n::Lang::En, PASS, &out).unwrap();
    assert_eq!(second.sequence, 2);
    assert_eq!(second.manifest.previous_bundle_sha256.as_deref(), Some(first.sha256.as_str()));
    assert_ne!(second.file_name, first.file_name);
    let r = run(&mut district, std::slice::from_ref(&second.path));
    assert_eq!(r.accepted.len(), 1, "{:?} from {name}", r.refused);
    let latest = status::latest_reports(&district, &year).unwrap();
    assert_eq!(latest.iter().map(|c| c.versions).max(), Some(2));
    // A commune's inbox does not take another commune's roll-up.
    let (_, other) = &mut communes[1];
    register_pub(other, "Xã Quảng Hòa", &club_pub_of(&fs::read(&second.path).unwrap()));
    let r = run(other, std::slice::from_ref(&second.path));
    assert_eq!(codes(&r), ["bundle.other_commune"]);
    // The district's check sees the communes' roll-ups as received; a sent manifest edited behind
    // the triggers' back no longer carries the commune's signature.
    assert!(super::check::check(&district).unwrap().ok);
    let store = &mut communes[0].1;
    assert!(super::check::check(store).unwrap().ok);
    store.conn.execute_batch("DROP TRIGGER sent_no_update; UPDATE sent SET manifest = replace(manifest, '2025', '2024') WHERE sequence = 2").unwrap();
    let p = super::check::check(store).unwrap().problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].code.as_str(), p[0].params["sequence"].as_u64()), ("commune.check.sent_signature", Some(2)));
}

#[test]
fn an_inbox_keeps_its_level_and_a_level_is_one_of_three() {
    let (_dir, store) = inbox(Level::Province, "Tỉnh Thanh Hóa", "ignored");
    let c = store.commune().unwrap();
    assert_eq!((c.level, c.province.as_str(), c.district.as_str()), (Level::Province, "Tỉnh Thanh Hóa", ""));
    let e = store.conn.execute("UPDATE commune SET level = 'commune'", []).unwrap_err();
    assert!(e.to_string().contains("keeps its level"), "{e}");
    assert_eq!(Level::parse("district").unwrap(), Level::District);
    let e = Level::parse("huyện").unwrap_err();
    assert!(matches!(e, CoreError::Invalid { field: crate::error::Field::CommuneLevel, .. }), "{e:?}");
}

#[test]
fn check_finds_what_was_changed_behind_the_triggers_back() {
    use super::check::check;
    let (dir, mut store) = commune();
    let key = KitKey::generate().unwrap();
    register_kit(&mut store, "CLB Đông Hòa", &key);
    let bundles = series(&key, &kit_club("CLB Đông Hòa"), 4);
    // The third missing at first: accepted with the gap said, so not a problem for the check.
    run(&mut store, &write_all(dir.path(), "a", &[bundles[0].clone(), bundles[1].clone(), bundles[3].clone()]));
    let clean = check(&store).unwrap();
    assert!(clean.ok, "{:?}", clean.problems);
    assert_eq!((clean.received, clean.sent), (3, 0));
    // Someone with the file and a SQLite tool drops the triggers and edits the figures, the bytes,
    // the chain: each is found, named with the club and the bundle's number.
    store.conn.execute_batch("DROP TRIGGER received_no_update;").unwrap();
    let found = |store: &CommuneStore| -> Vec<(String, u64, String)> {
        check(store)
            .unwrap()
            .problems
            .iter()
            .map(|p| (p.code.clone(), p.params["sequence"].as_u64().unwrap(), p.params["detail"].as_str().unwrap().to_string()))
            .collect()
    };
    store.conn.execute("UPDATE received SET report_json = '{\"members\":5000}' WHERE sequence = 1", []).unwrap();
    assert_eq!(found(&store), [("commune.check.report_json".to_string(), 1, "report.json".to_string())]);
    store.conn.execute("UPDATE received SET report_json = NULL WHERE sequence = 1", []).unwrap();
    assert_eq!(found(&store)[0].0, "commune.check.report_json");
    let original: Vec<u8> = bundles[0].clone();
    let json = String::from_utf8(report(51)[0].bytes.clone()).unwrap();
    store.conn.execute("UPDATE received SET report_json = ?1 WHERE sequence = 1", [&json]).unwrap();
    assert!(check(&store).unwrap().ok);
    let mut bent = original.clone();
    let n = bent.len() / 2;
    bent[n] ^= 1;
    store.conn.execute("UPDATE received SET bytes = ?1 WHERE sequence = 1", [&bent]).unwrap();
    assert_eq!(found(&store), [("commune.check.digest".to_string(), 1, "bytes".to_string())]);
    store.conn.execute("UPDATE received SET bytes = ?1, sha256 = ?2 WHERE sequence = 1", rusqlite::params![&bent, digest(&bent)]).unwrap();
    let f = found(&store);
    assert_eq!(f[0].0, "commune.check.signature", "{f:?}");
    assert!(f.iter().any(|x| x.0 == "commune.check.chain" && x.1 == 2), "the next names the old digest: {f:?}");
    store.conn.execute("UPDATE received SET bytes = ?1, sha256 = ?2 WHERE sequence = 1", rusqlite::params![&original, digest(&original)]).unwrap();
    assert!(check(&store).unwrap().ok);
    store.conn.execute("UPDATE received SET gap_before = 0 WHERE sequence = 4", []).unwrap();
    assert_eq!(found(&store), [("commune.check.chain".to_string(), 4, "gap".to_string())]);
}

/// Counts what an import hands over, and at each row looks at the ledger through a connection of
/// its own: a row is handed over only once its batch is committed, batch by batch, not at the end.
struct Watch {
    ledger: rusqlite::Connection,
    /// `received` rows another connection sees, at each accepted row handed over.
    seen_at: Vec<i64>,
    refused: Vec<String>,
    /// Fail when handed this many accepted rows (a caller that stops the import).
    fail_at: Option<usize>,
}

impl super::import::ImportSink for Watch {
    fn accepted(&mut self, row: super::import::Accepted) -> crate::error::Result<()> {
        let held: i64 = self.ledger.query_row("SELECT count(*) FROM received WHERE sha256 = ?1", [&row.sha256], |r| r.get(0))?;
        assert_eq!(held, 1, "{} was handed over before it was committed", row.path);
        self.seen_at.push(self.ledger.query_row("SELECT count(*) FROM received", [], |r| r.get(0))?);
        if self.fail_at == Some(self.seen_at.len()) {
            return Err(CoreError::Storage { detail: "the caller stopped".into() });
        }
        Ok(())
    }
    fn refused(&mut self, row: super::import::Refused) -> crate::error::Result<()> {
        self.refused.push(row.reason.code);
        Ok(())
    }
}

#[test]
fn an_import_hands_each_batch_over_once_committed_and_a_stop_loses_nothing() {
    use super::import::{import_each, BATCH};
    let (dir, mut store) = commune();
    let stick = dir.path().join("usb");
    fs::create_dir_all(&stick).unwrap();
    // 20 clubs × 13 = 260 bundles: one full batch and four more.
    for c in 0..20 {
        let key = KitKey::generate().unwrap();
        let name = format!("CLB số {c:02}");
        register_kit(&mut store, &name, &key);
        write_all(&stick, &format!("clb{c:02}"), &series(&key, &kit_club(&name), 13));
    }
    fs::write(stick.join("zz-hong.zip"), "not a zip").unwrap();
    let path = dir.path().join("commune.sqlite");
    let watch = |fail_at| Watch {
        ledger: rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap(),
        seen_at: Vec::new(),
        refused: Vec::new(),
        fail_at,
    };

    // The caller stops at the first row: the first batch was committed and stays, nothing after it.
    let mut stopping = watch(Some(1));
    let err = import_each(&mut store, &officer(), std::slice::from_ref(&stick), &mut stopping).unwrap_err();
    assert!(matches!(err, CoreError::Storage { ref detail } if detail == "the caller stopped"), "{err:?}");
    assert_eq!(stopping.seen_at, vec![BATCH as i64]);
    assert_eq!(count(&store, "received"), BATCH as i64);

    // Again: the rest is counted, what was committed is a replay, every row is handed over once.
    let mut rest = watch(None);
    let counts = import_each(&mut store, &officer(), std::slice::from_ref(&stick), &mut rest).unwrap();
    assert_eq!((counts.files, counts.accepted, counts.refused), (261, 4, 257));
    assert_eq!(rest.seen_at, vec![260; 4], "the last four after their batch was committed");
    assert_eq!(rest.refused.iter().filter(|c| *c == "bundle.replay").count(), BATCH);
    assert_eq!(rest.refused.iter().filter(|c| c.starts_with("bundle.") && *c != "bundle.replay").count(), 1, "{:?}", rest.refused);
    assert_eq!(count(&store, "received"), 260);
}

#[test]
fn an_inbox_made_from_the_first_screen_leaves_no_file_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so-sach.sqlite");
    let input = CommuneInput {
        level: Level::District,
        name: "Huyện Quảng Xương".into(),
        district: String::new(),
        province: "Thanh Hóa".into(),
        deadline_day: 13,
        deadline_month: 12,
    };
    // A refused field or passphrase: nothing is left on the disk, so the next start is a first start.
    let err = ledger::create(&path, &officer(), &CommuneInput { province: " ".into(), ..input.clone() }, PASS).err().unwrap();
    assert_eq!(err.code(), "input.invalid");
    let err = ledger::create(&path, &officer(), &input, "ngắn").err().unwrap();
    assert!(matches!(err, CoreError::Invalid { field: crate::error::Field::Passphrase, .. }), "{err:?}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "no file left behind");

    let (store, made) = ledger::create(&path, &officer(), &input, PASS).unwrap();
    assert_eq!((made.level, made.name.as_str(), made.deadline_day), (Level::District, "Huyện Quảng Xương", 13));
    drop(store);
    let again = ledger::create(&path, &officer(), &input, PASS).err().unwrap();
    assert_eq!(again.code(), "commune.exists");
    assert_eq!(CommuneStore::open(&path, false).unwrap().commune().unwrap().name, "Huyện Quảng Xương", "a refusal leaves a file that was there");

    // A club's books are never turned into an inbox.
    let club = dir.path().join("clb.sqlite");
    drop(crate::Store::open(&club, crate::store::OpenMode::CreateIfMissing).unwrap());
    let before = fs::read(&club).unwrap();
    assert_eq!(ledger::create(&club, &officer(), &input, PASS).err().unwrap().code(), "commune.wrong_file");
    assert_eq!(fs::read(&club).unwrap(), before);
}

#[test]
fn an_inbox_keeps_checked_generations_and_never_a_copy_that_does_not_check() {
    use super::backup::{auto_backup, auto_backup_if_due, generations};
    let (dir, mut store) = commune();
    let key = KitKey::generate().unwrap();
    register_kit(&mut store, "CLB Đông Hòa", &key);
    let bundles = series(&key, &kit_club("CLB Đông Hòa"), 3);
    run(&mut store, &write_all(dir.path(), "a", &bundles));
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();

    let made = auto_backup(&store, at("2026-12-20 17:00:00")).unwrap();
    assert_eq!(made.made.file_name, "commune-2026-12-20-170000.sqlite");
    assert_eq!(made.made.clubs.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["CLB Đông Hòa"]);
    assert_eq!(made.folder, dir.path().join("backups").display().to_string());
    // The copy is the inbox, whole: it opens as one and holds every bundle as received.
    let copy = CommuneStore::open(std::path::Path::new(&made.made.path), false).unwrap();
    assert_eq!(copy.commune().unwrap().name, "Xã Quảng Hòa");
    assert_eq!(count(&copy, "received"), 3);
    assert!(super::check::check(&copy).unwrap().ok);
    drop(copy);
    // Within a day nothing more is due; a day later one is.
    assert!(auto_backup_if_due(&store, at("2026-12-21 09:00:00"), chrono::Duration::days(1)).unwrap().is_none());
    let next = auto_backup_if_due(&store, at("2026-12-21 17:00:00"), chrono::Duration::days(1)).unwrap().unwrap();
    assert_eq!(next.kept.len(), 2);
    assert_eq!(generations(&store).unwrap()[0].file_name, "commune-2026-12-21-170000.sqlite", "newest first");

    // Bytes changed behind the triggers' back: the copy does not check, so none is kept.
    store.conn.execute_batch("DROP TRIGGER received_no_update;").unwrap();
    let mut bent = bundles[0].clone();
    let n = bent.len() / 2;
    bent[n] ^= 1;
    store.conn.execute("UPDATE received SET bytes = ?1 WHERE sequence = 1", [&bent]).unwrap();
    let err = auto_backup(&store, at("2026-12-22 17:00:00")).unwrap_err();
    assert_eq!(err.code(), "backup.check_failed");
    assert_eq!(generations(&store).unwrap().len(), 2, "the copy that did not check was removed");

    // An inbox in memory has nowhere to keep generations.
    let memory = CommuneStore::open_in_memory().unwrap();
    assert_eq!(auto_backup(&memory, at("2026-12-20 17:00:00")).unwrap_err().code(), "backup.folder_missing");
}
