//! `ishc backup` and `ishc restore` on real files: a stick backup restored, the stock `age -d`
//! opening it, refusals in JSON with the books left exactly as they were, and the window's lock.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-22";
const BACKUP_PASS: &str = "mật khẩu sao lưu";
const ACTOR: &str = "Trịnh Thị Loan";

fn ishc(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ishc"));
    cmd.args(args)
        .env("ISHC_DB", db)
        .env("ISHC_TODAY", TODAY)
        .env_remove("ISHC_ACTOR")
        .env_remove("ISHC_CLUB")
        .env_remove("ISHC_LANG")
        .env_remove("ISHC_PASSPHRASE")
        .env_remove("ISHC_BACKUP_PASSPHRASE")
        .env_remove("ISHC_PIN")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("ishc runs")
}

fn with_pass(db: &Path, args: &[&str]) -> Output {
    ishc(db, args, &[("ISHC_BACKUP_PASSPHRASE", BACKUP_PASS)])
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// The `{ "error": … }` of a refused command (exit 1).
fn refusal(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON value");
    v["error"].clone()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn demo(dir: &Path, seed: &str) -> PathBuf {
    let db = dir.join("ledger.sqlite");
    json(&ishc(&db, &["demo", "--years", "3", "--members", "20", "--seed", seed, "--json"], &[]));
    db
}

/// The demo board member's sign-in name with `role` (`chair` 1111, `treasurer` 3333).
fn holder_of(db: &Path, role: &str) -> String {
    let list = json(&ishc(db, &["user", "list", "--json"], &[]));
    let who = list.as_array().unwrap().iter().find(|s| s["roles"] == serde_json::json!([role])).expect("a demo board member");
    who["name"].as_str().unwrap().to_string()
}

/// `ishc restore` by the demo chairperson, signed in with her PIN, with `env` besides.
fn restore_as_chair(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let chair = holder_of(db, "chair");
    let mut full = vec!["--as", chair.as_str(), "restore"];
    full.extend_from_slice(args);
    let mut env = env.to_vec();
    env.push(("ISHC_PIN", "1111"));
    ishc(db, &full, &env)
}

/// The demo chairperson's sign-in name (her demo PIN is 1111).
fn chair_of(db: &Path) -> String {
    let list = json(&ishc(db, &["user", "list", "--json"], &[]));
    let chair = list.as_array().unwrap().iter().find(|s| s["roles"] == serde_json::json!(["chair"])).expect("a demo chair");
    chair["name"].as_str().unwrap().to_string()
}

fn members(db: &Path) -> usize {
    json(&ishc(db, &["member", "list", "--all", "--json"], &[])).as_array().unwrap().len()
}

#[test]
fn a_stick_backup_is_restored_and_the_restore_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), "5");
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let made = json(&with_pass(&db, &["backup", "--out", stick.to_str().unwrap(), "--json"]));
    let name = made["file_name"].as_str().unwrap();
    assert!(name.starts_with("so-sach-clb-") && name.ends_with("-2026-11-22.ishc-backup.age"), "{name}");
    assert!(name.is_ascii());
    assert_eq!(made["encrypted"], true);
    assert_eq!(made["clubs"].as_array().unwrap().len(), 1);
    let file = PathBuf::from(made["path"].as_str().unwrap());
    assert_eq!(made["bytes"], std::fs::metadata(&file).unwrap().len());
    let before = members(&db);
    assert_eq!(made["members"], before);

    // The books move on after the backup.
    let chair = chair_of(&db);
    json(&ishc(&db, &["--as", &chair, "member", "add", "--name", "Hà Thị Nụ", "--sex", "F", "--born", "1990", "--joined", "20/11/2026", "--json"],
        &[("ISHC_PIN", "1111")]));
    assert_eq!(members(&db), before + 1);

    // Restoring writes the audit row, so it needs the acting person.
    let out = with_pass(&db, &["restore", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--as"), "{}", stderr(&out));
    // Only the chair or vice-chair, signed in on the books, replaces them: the treasurer is refused
    // by name of the roles, and a name that is not a sign-in cannot sign in at all.
    let treasurer = holder_of(&db, "treasurer");
    let err = refusal(&ishc(&db, &["--as", &treasurer, "restore", file.to_str().unwrap(), "--json"],
        &[("ISHC_BACKUP_PASSPHRASE", BACKUP_PASS), ("ISHC_PIN", "3333")]));
    assert_eq!(err["code"], "auth.forbidden");
    assert_eq!(err["params"]["roles"], serde_json::json!(["chair", "vice_chair"]));
    assert!(err["message"].as_str().unwrap().contains("thay sổ sách bằng một bản sao lưu"), "{err}");
    let out = ishc(&db, &["--as", ACTOR, "restore", file.to_str().unwrap(), "--json"], &[("ISHC_BACKUP_PASSPHRASE", BACKUP_PASS), ("ISHC_PIN", "1111")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(members(&db), before + 1, "nothing was replaced");
    let done = json(&restore_as_chair(&db, &[file.to_str().unwrap(), "--json"], &[("ISHC_BACKUP_PASSPHRASE", BACKUP_PASS)]));
    assert_eq!(done["encrypted"], true);
    assert_eq!(done["from"], file.display().to_string());
    let kept = PathBuf::from(done["kept_as"].as_str().unwrap());
    assert!(kept.file_name().unwrap().to_str().unwrap().starts_with("ledger.sqlite.before-restore-"));
    assert_eq!(members(&db), before);
    assert_eq!(members(&kept), before + 1, "the replaced books are kept whole");
    let check = json(&ishc(&db, &["check", "--json"], &[]));
    assert_eq!(check["ok"], true, "{check}");
    let audit = json(&ishc(&db, &["audit", "--limit", "1", "--json"], &[]));
    assert_eq!(audit[0]["action"], "backup.restore");
    assert_eq!(audit[0]["actor"], chair.as_str());
    assert_eq!(audit[0]["detail"]["file"], file.display().to_string());

    // In words, Vietnamese first.
    let text = restore_as_chair(&db, &[file.to_str().unwrap()], &[("ISHC_BACKUP_PASSPHRASE", BACKUP_PASS)]);
    assert!(text.status.success(), "{}", stderr(&text));
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(said.contains("Đã khôi phục sổ sách") && said.contains("Sổ sách cũ được giữ lại ở"), "{said}");
}

/// The stock `age` tool opens a stick backup with the passphrase. `age` reads a passphrase only
/// from a terminal, so it runs under `script` (util-linux), which gives it a pseudo-terminal fed
/// from our pipe: we wait for its prompt, then type the passphrase and Enter.
#[test]
fn the_stock_age_tool_decrypts_a_stick_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), "6");
    let made = json(&with_pass(&db, &["backup", "--out", dir.path().to_str().unwrap(), "--json"]));
    let file = made["path"].as_str().unwrap().to_string();
    let plain = dir.path().join("opened.sqlite");
    let shell = format!("age -d -o '{}' '{}'", plain.display(), file);
    let mut child = Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) and age are installed by scripts/setup.sh");
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut seen = Vec::new();
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            let _ = tx.send(String::from_utf8_lossy(&seen).to_string());
        }
    });
    let start = Instant::now();
    let mut prompt = String::new();
    while !prompt.contains("passphrase") {
        assert!(start.elapsed() < Duration::from_secs(30), "age never asked for the passphrase: {prompt:?}");
        if let Ok(s) = rx.recv_timeout(Duration::from_millis(200)) {
            prompt = s;
        }
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{BACKUP_PASS}\n").as_bytes()).unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("age did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(stdin);
    assert!(status.success(), "age -d failed");
    // What age decrypted is the books: ours, whole, the same members.
    let bytes = std::fs::read(&plain).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let check = json(&ishc(&plain, &["check", "--json"], &[]));
    assert_eq!(check["ok"], true);
    assert_eq!(check["members"], made["members"]);
}

#[test]
fn refused_restores_say_why_in_json_and_leave_the_books_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), "5");
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("ledger.sqlite");
    json(&ishc(&other, &["--as", "Lê Thị Hoa", "init", "--name", "CLB Xóm Chợ", "--commune", "Xã Quảng Hòa", "--district", "Quảng Xương",
        "--province", "Thanh Hóa", "--founded", "01/03/2019", "--chair-sex", "F", "--chair-born", "1958", "--json"],
        &[("ISHC_PASSPHRASE", "mật khẩu câu lạc bộ"), ("ISHC_NEW_PIN", "1111")]));
    let theirs = json(&ishc(&other, &["backup", "--auto", "--json"], &[]));
    let theirs = theirs["made"]["path"].as_str().unwrap().to_string();
    let stick = json(&with_pass(&db, &["backup", "--out", dir.path().to_str().unwrap(), "--json"]));
    let stick = stick["path"].as_str().unwrap().to_string();
    let foreign = dir.path().join("notes.sqlite");
    std::fs::write(&foreign, "không phải sổ sách").unwrap();
    let before = std::fs::read(&db).unwrap();

    let err = refusal(&restore_as_chair(&db, &[foreign.to_str().unwrap(), "--json"], &[("ISHC_BACKUP_PASSPHRASE", BACKUP_PASS)]));
    assert_eq!(err["code"], "backup.not_ours");
    assert!(err["message"].as_str().unwrap().contains("không phải là bản sao lưu"));

    let err = refusal(&restore_as_chair(&db, &[&stick, "--json"], &[("ISHC_BACKUP_PASSPHRASE", "sai mật khẩu rồi")]));
    assert_eq!(err["code"], "backup.wrong_passphrase");
    assert_eq!(err["params"]["field"], "backup.passphrase");

    // No passphrase and no terminal to type it on.
    let out = restore_as_chair(&db, &[&stick, "--json"], &[]);
    assert_eq!(refusal(&out)["code"], "backup.passphrase_needed");
    assert!(stderr(&out).contains("ISHC_BACKUP_PASSPHRASE"), "{}", stderr(&out));

    // Another club's books: named, and --yes is how to go on.
    let chair = holder_of(&db, "chair");
    let out = ishc(&db, &["--as", &chair, "--lang", "en", "restore", &theirs, "--json"], &[("ISHC_PIN", "1111")]);
    let err = refusal(&out);
    assert_eq!(err["code"], "backup.other_club");
    assert_eq!(err["params"]["backup"], serde_json::json!(["CLB Xóm Chợ"]));
    assert!(err["message"].as_str().unwrap().contains("CLB Xóm Chợ"));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));

    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing was replaced");
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("before-restore")));

    let done = json(&restore_as_chair(&db, &[&theirs, "--yes", "--json"], &[]));
    assert_eq!(done["clubs"][0]["name"], "CLB Xóm Chợ");
    assert_eq!(done["replaced_clubs"].as_array().unwrap().len(), 1);
}

#[test]
fn restore_waits_for_the_window_to_close_but_a_backup_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), "5");
    let made = json(&ishc(&db, &["backup", "--auto", "--json"], &[]));
    let file = made["made"]["path"].as_str().unwrap().to_string();
    // The window holds the lock file beside the books for as long as it runs.
    let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.path().join("ledger.sqlite.lock")).unwrap();
    lock.try_lock().unwrap();
    let err = refusal(&restore_as_chair(&db, &[&file, "--json"], &[]));
    assert_eq!(err["code"], "db.in_use");
    // A backup only reads: it goes on beside the window (and replaces today's older one).
    let newer = json(&ishc(&db, &["backup", "--auto", "--json"], &[]));
    assert_eq!(newer["removed"], serde_json::json!([file]));
    drop(lock);
    json(&restore_as_chair(&db, &[newer["made"]["path"].as_str().unwrap(), "--json"], &[]));
}

#[test]
fn local_backups_are_made_listed_and_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), "5");
    let empty = json(&ishc(&db, &["backup", "list", "--json"], &[]));
    assert_eq!(empty["generations"], serde_json::json!([]));
    assert_eq!(empty["folder"], dir.path().join("backups").display().to_string());
    let made = json(&ishc(&db, &["backup", "--auto", "--json"], &[]));
    let name = made["made"]["file_name"].as_str().unwrap();
    assert!(name.starts_with("ledger-") && name.ends_with(".sqlite"), "{name}");
    assert_eq!(made["made"]["encrypted"], false);
    assert_eq!(made["kept"].as_array().unwrap().len(), 1);
    assert_eq!(made["removed"], serde_json::json!([]));
    // The next backup removes what it no longer needs: the older one of today, and one from 2020
    // (the newest of no day, week or month within reach).
    let image = std::fs::read(made["made"]["path"].as_str().unwrap()).unwrap();
    std::fs::write(dir.path().join("backups/ledger-2020-01-05-090000.sqlite"), &image).unwrap();
    let again = json(&ishc(&db, &["backup", "--auto", "--json"], &[]));
    let mut removed: Vec<String> = again["removed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    removed.sort();
    let mut expected = vec![
        dir.path().join("backups/ledger-2020-01-05-090000.sqlite").display().to_string(),
        made["made"]["path"].as_str().unwrap().to_string(),
    ];
    expected.sort();
    assert_eq!(removed, expected);
    let list = json(&ishc(&db, &["backup", "list", "--json"], &[]));
    let generations = list["generations"].as_array().unwrap();
    assert_eq!(generations.len(), 1, "the two of today: the newest kept");
    assert_eq!(generations[0]["file_name"], again["made"]["file_name"]);
    let text = ishc(&db, &["backup", "list"], &[]);
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(said.contains("Các bản sao lưu trong") && said.contains(again["made"]["file_name"].as_str().unwrap()), "{said}");
    // Into a folder of one's choosing.
    let elsewhere = dir.path().join("elsewhere");
    json(&ishc(&db, &["backup", "--auto", "--dir", elsewhere.to_str().unwrap(), "--json"], &[]));
    assert_eq!(json(&ishc(&db, &["backup", "list", "--dir", elsewhere.to_str().unwrap(), "--json"], &[]))["generations"].as_array().unwrap().len(), 1);
}

#[test]
fn a_backup_needs_a_mode_and_a_good_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), "5");
    let out = ishc(&db, &["backup"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = ishc(&db, &["backup", "--auto", "--out", ".", "--json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    // No passphrase and no terminal: the variable to set is named.
    let err = refusal(&ishc(&db, &["backup", "--out", dir.path().to_str().unwrap(), "--json"], &[]));
    assert_eq!(err["code"], "backup.passphrase_missing");
    assert_eq!(err["params"]["var"], "ISHC_BACKUP_PASSPHRASE");
    let err = refusal(&ishc(&db, &["backup", "--out", dir.path().to_str().unwrap(), "--json"], &[("ISHC_BACKUP_PASSPHRASE", "ngắn")]));
    assert_eq!(err["code"], "input.invalid");
    assert_eq!(err["params"]["field"], "backup.passphrase");
    assert_eq!(err["message"], "Mật khẩu sao lưu: phải có ít nhất 8 ký tự.");
    let err = refusal(&with_pass(&db, &["backup", "--out", dir.path().join("no-stick").to_str().unwrap(), "--json"]));
    assert_eq!(err["code"], "backup.folder_missing");
    let listed: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!listed.iter().any(|n| n.ends_with(".age")), "{listed:?}");
}
