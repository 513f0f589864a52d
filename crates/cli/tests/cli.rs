//! The `ishc` binary on real files: exit codes, JSON shapes, messages, and the file left as it was
//! after every refusal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-22";
/// The signing key's passphrase every test ledger is made with (through ISHC_PASSPHRASE).
const PASS: &str = "mật khẩu câu lạc bộ";

fn ishc(db: &Path, args: &[&str]) -> Output {
    ishc_with(db, args, &[("ISHC_PASSPHRASE", PASS), ("ISHC_PIN", FOUNDER_PIN), ("ISHC_NEW_PIN", FOUNDER_PIN)])
}

/// The demo board's PINs by role (`ishc demo` prints them; `ishc_core::demo::DEMO_PINS`).
const DEMO_PINS: [(&str, &str); 4] = [("chair", "1111"), ("vice_chair", "2222"), ("treasurer", "3333"), ("secretary", "4444")];

/// The board role whose job a command is, by the core's permission table: money by the treasurer;
/// meetings, activities, members and loan applications by the secretary; corrections, write-offs,
/// reschedules, rules, roles and keys by the chairperson.
fn role_for(args: &[&str]) -> &'static str {
    let words: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).take(2).collect();
    match words.as_slice() {
        ["fund", "reverse", ..] | ["loan", "reschedule" | "write-off" | "rules", ..] | ["member", "role", ..] | ["key", ..] => "chair",
        ["fund", ..] | ["loan", "disburse" | "repay", ..] => "treasurer",
        _ => "secretary",
    }
}

/// `ishc` on a demo ledger as the board member whose job the command is (`role_for`), signed in
/// with her demo PIN; `env` as `ishc_with`.
fn as_board_with(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    as_role_with(db, role_for(args), args, env)
}

fn as_board(db: &Path, args: &[&str]) -> Output {
    as_board_with(db, args, &[])
}

/// `ishc` on a demo ledger as today's holder of `role`, signed in with her demo PIN.
fn as_role_with(db: &Path, role: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let today = env.iter().find(|(k, _)| *k == "ISHC_TODAY").map_or(TODAY, |(_, v)| *v);
    let list = json(&ishc_with(db, &["user", "list", "--json"], &[("ISHC_TODAY", today)]));
    let name = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["roles"].as_array().unwrap().iter().any(|r| r == role))
        .unwrap_or_else(|| panic!("no sign-in holds {role}: {list}"))["name"]
        .as_str()
        .unwrap()
        .to_string();
    let pin = DEMO_PINS.iter().find(|(r, _)| *r == role).unwrap().1;
    let mut full = vec!["--as", name.as_str()];
    full.extend_from_slice(args);
    let mut all = vec![("ISHC_PASSPHRASE", PASS), ("ISHC_PIN", pin)];
    all.extend_from_slice(env);
    ishc_with(db, &full, &all)
}

/// The PIN `init` gives the founding chairperson (Lê Thị Hoa), and the one `ishc` passes by default.
const FOUNDER_PIN: &str = "1111";

/// `ishc` with these environment variables (and no passphrase unless given).
fn ishc_with(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ishc"));
    cmd.args(args)
        .env("ISHC_DB", db)
        .env("ISHC_TODAY", TODAY)
        .env_remove("ISHC_ACTOR")
        .env_remove("ISHC_CLUB")
        .env_remove("ISHC_LANG")
        .env_remove("ISHC_PASSPHRASE")
        .env_remove("ISHC_NEW_PASSPHRASE")
        .env_remove("ISHC_PIN")
        .env_remove("ISHC_NEW_PIN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("ishc runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    (dir, db)
}

/// The recovery code `init` printed for this ledger.
fn init_recovery_code(db: &Path) -> String {
    std::fs::read_to_string(db.with_extension("recovery")).unwrap()
}

fn init(db: &Path) {
    let out = ishc(
        db,
        &["--as", "Lê Thị Hoa", "init", "--name", "CLB Đông Hòa", "--commune", "Xã Quảng Hòa", "--district", "Quảng Xương",
          "--province", "Thanh Hóa", "--founded", "01/03/2019", "--chair-sex", "F", "--chair-born", "1958", "--json"],
    );
    let club = json(&out);
    assert_eq!(club["sign_in"], "Lê Thị Hoa", "the founder is the chair's sign-in");
    let code = club["recovery_code"].as_str().unwrap();
    assert_eq!(code.len(), 19, "shown once, to write down");
    // Kept beside the test's ledger, as the club keeps it with its papers.
    std::fs::write(db.with_extension("recovery"), code).unwrap();
    // These tests' club lets the chairperson handle money, so one signed-in person can post.
    json(&ishc(db, &["--as", "Lê Thị Hoa", "user", "settings", "--chair-handles-money", "yes", "--json"]));
    assert_eq!(club["name"], "CLB Đông Hòa");
    assert_eq!(club["founded_on"], "2019-03-01");
    assert_eq!(club["rounding_unit"], 1000);
    assert_eq!(club["report_deadline_day"], 10);
}

#[test]
fn init_then_show_and_check() {
    let (_d, db) = temp();
    init(&db);
    let show = json(&ishc(&db, &["club", "show", "--json"]));
    assert_eq!(show["club"]["commune"], "Xã Quảng Hòa");
    assert_eq!(show["composition"]["counts"]["members"], 1, "the founding chairperson is the first member");
    assert_eq!(show["next_deadline"], "2026-12-10");
    let check = json(&ishc(&db, &["check", "--json"]));
    assert_eq!(check["ok"], true);
    assert_eq!(check["clubs"], 1);
    let audit = json(&ishc(&db, &["audit", "--json"]));
    let actions: Vec<&str> = audit.as_array().unwrap().iter().rev().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..2], ["club.create", "key.create"], "the club's signing key is made with it");
    assert!(actions.contains(&"auth.add") && actions.contains(&"auth.recovery_code"), "{actions:?}: the chair's sign-in is made with it");
    assert!(audit.as_array().unwrap().iter().all(|e| e["actor"] == "Lê Thị Hoa"));
}

#[test]
fn writes_need_an_actor() {
    let (_d, db) = temp();
    let out = ishc(&db, &["init", "--name", "X", "--commune", "X", "--district", "X", "--province", "X", "--chair-sex", "F", "--chair-born", "1960"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--as"), "{}", stderr(&out));
    assert!(!db.exists(), "a refused init leaves no file");
}

#[test]
fn demo_is_deterministic_and_sound() {
    let (_d, db) = temp();
    let a = json(&ishc(&db, &["demo", "--years", "10", "--seed", "7", "--json"]));
    let (_d2, db2) = temp();
    let b = json(&ishc(&db2, &["demo", "--years", "10", "--seed", "7", "--json"]));
    assert_eq!(a, b);
    let list_a = ishc(&db, &["member", "list", "--all", "--json"]).stdout;
    let list_b = ishc(&db2, &["member", "list", "--all", "--json"]).stdout;
    assert_eq!(list_a, list_b);
    assert!(a["members_ever"].as_u64().unwrap() > a["members_now"].as_u64().unwrap());
    let check = ishc(&db, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("toàn vẹn"));
}

#[test]
fn member_add_search_leave_and_composition() {
    let (_d, db) = temp();
    init(&db);
    let add = |name: &str, sex: &str, born: &str| {
        json(&ishc(&db, &["--as", "Lê Thị Hoa", "member", "add", "--name", name, "--sex", sex, "--born", born,
                          "--joined", "2020-01-01", "--json"]))
    };
    // Typed decomposed (NFD): stored composed (NFC).
    let lan = add("Nguye\u{0302}\u{0303}n Thi\u{0323} Lan", "Nữ", "1950");
    assert_eq!(lan["full_name"], "Nguyễn Thị Lan");
    add("Trần Văn Bình", "M", "1990");
    add("Lê Thị Ánh", "F", "15/06/1988");
    let found = json(&ishc(&db, &["member", "list", "--search", "nguyen thi", "--json"]));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["full_name"], "Nguyễn Thị Lan");
    let comp = json(&ishc(&db, &["composition", "--json"]));
    // The three, and the founding chairperson (a woman born in 1958).
    assert_eq!(comp["counts"]["members"], 4);
    assert_eq!(comp["counts"]["women"], 3);
    assert_eq!(comp["counts"]["older"], 2);
    // Three women of four is above the band for women.
    let women = comp["targets"].as_array().unwrap().iter().find(|t| t["measure"] == "women").unwrap();
    assert_eq!(women["status"], "above");
    let members = comp["targets"].as_array().unwrap().iter().find(|t| t["measure"] == "members").unwrap();
    assert_eq!(members["status"], "below");
    assert_eq!(members["fix"]["add"], 46);
    // Leaving: gone today, still there on an earlier date.
    let id = lan["id"].to_string();
    json(&ishc(&db, &["--as", "Lê Thị Hoa", "member", "leave", &id, "--date", "01/06/2025", "--reason", "moved", "--json"]));
    assert_eq!(json(&ishc(&db, &["composition", "--json"]))["counts"]["members"], 3);
    assert_eq!(json(&ishc(&db, &["composition", "--at", "2025-05-31", "--json"]))["counts"]["members"], 4);
    // The same person again is refused, and allowed when confirmed.
    let again = ishc(&db, &["--as", "Lê Thị Hoa", "member", "add", "--name", "Tran Van Binh", "--sex", "M", "--born", "1990", "--joined", "2021-01-01"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("Đã có thành viên"), "{}", stderr(&again));
    let ok = ishc(&db, &["--as", "Lê Thị Hoa", "member", "add", "--name", "Tran Van Binh", "--sex", "M", "--born", "1990", "--joined", "2021-01-01", "--allow-duplicate"]);
    assert!(ok.status.success());
}

#[test]
fn bad_input_is_explained_and_leaves_the_file_untouched() {
    let (_d, db) = temp();
    init(&db);
    let audit_at_init = json(&ishc(&db, &["audit", "--json"])).as_array().unwrap().len();
    let cases: &[(&[&str], &str)] = &[
        (&["member", "add", "--name", "A", "--sex", "F", "--born", "1950", "--joined", "2027-01-01"], "Ngày vào câu lạc bộ: không được sau hôm nay (22/11/2026)."),
        (&["member", "add", "--name", "A", "--sex", "F", "--born", "1950", "--joined", "2018-01-01"], "trước ngày thành lập câu lạc bộ (01/03/2019)"),
        (&["member", "add", "--name", "A", "--sex", "X", "--born", "1950", "--joined", "2020-01-01"], "Giới tính: phải là một trong: F, M."),
        (&["member", "add", "--name", "A", "--sex", "F", "--born", "1950", "--joined", "32/13/2020"], "Ngày vào câu lạc bộ: ngày không hợp lệ"),
        (&["member", "add", "--name", " ", "--sex", "F", "--born", "1950", "--joined", "2020-01-01"], "Họ và tên: bắt buộc phải điền."),
        (&["member", "add", "--name", "A", "--sex", "F", "--born", "1950", "--joined", "2020-01-01", "--flag", "poor"], "Diện hoàn cảnh khó khăn: bắt buộc phải điền."),
        (&["member", "leave", "99", "--date", "2020-01-01", "--reason", "moved"], "Không có thành viên số 99."),
        (&["composition", "--preset", "nope"], "Không có bộ chỉ tiêu \"nope\""),
    ];
    for (args, expected) in cases {
        let mut full = vec!["--as", "Lê Thị Hoa"];
        full.extend_from_slice(args);
        let out = ishc(&db, &full);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).trim().lines().count(), 1, "one line: {}", stderr(&out));
    }
    // Nothing was written: only the founding chairperson, and the audit trail as init left it.
    let check = json(&ishc(&db, &["check", "--json"]));
    assert_eq!(check["members"], 1);
    assert_eq!(json(&ishc(&db, &["audit", "--json"])).as_array().unwrap().len(), audit_at_init);
}

#[test]
fn errors_in_json_carry_code_params_and_message() {
    let (_d, db) = temp();
    init(&db);
    let out = ishc(&db, &["--as", "Lê Thị Hoa", "--lang", "en", "--json", "member", "add", "--name", "A", "--sex", "F", "--born", "1950", "--joined", "2027-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["error"]["code"], "input.invalid");
    assert_eq!(body["error"]["params"]["field"], "member.joined_on");
    assert_eq!(body["error"]["params"]["rule"]["kind"], "in_future");
    assert_eq!(body["error"]["message"], "Date joined: cannot be after today (22/11/2026).");
}

#[test]
fn unknown_flags_and_commands_are_usage_errors() {
    let (_d, db) = temp();
    let out = ishc(&db, &["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("không hiểu tùy chọn --frobnicate"), "{}", stderr(&out));
    let out = ishc(&db, &["fly"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("không có lệnh fly"), "{}", stderr(&out));
    assert!(!db.exists());
}

#[test]
fn missing_corrupt_and_newer_files_are_refused_untouched() {
    let (dir, db) = temp();
    let out = ishc(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Không tìm thấy sổ sách"), "{}", stderr(&out));
    assert!(!db.exists());

    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"this is a shopping list, not a ledger\n".repeat(200)).unwrap();
    let before = std::fs::read(&junk).unwrap();
    let out = ishc(&junk, &["club", "show"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("không phải sổ sách"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&junk).unwrap(), before);

    init(&db);
    // A database written by a newer app: bump user_version with the file's own SQLite header field.
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(!dir.path().join("ledger.sqlite-wal").exists(), "the last connection checkpointed the WAL");
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(&db, &bytes).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = ishc(&db, &["club", "show"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("phiên bản ứng dụng mới hơn"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = temp();
    init(&db);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();
    // root ignores file modes, so run the binary as the unprivileged user when we are root.
    let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let mut cmd = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_ishc")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_ishc"))
    };
    let out = cmd.args(["club", "show"]).env("ISHC_DB", &db).env("ISHC_TODAY", TODAY).output().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Không ghi được"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn import_dry_run_then_all_or_nothing() {
    let (dir, db) = temp();
    init(&db);
    let good = dir.path().join("danh-sach.csv");
    std::fs::write(&good, "STT;Họ và tên;Giới tính;Năm sinh;Ngày vào\n1;Nguyễn Thị Lan;Nữ;1955;01/03/2019\n2;Trần Văn Bình;Nam;1960;1/6/20\n").unwrap();
    let dry = json(&ishc(&db, &["member", "import", good.to_str().unwrap(), "--dry-run", "--json"]));
    assert_eq!((dry["ok_rows"].as_u64(), dry["committed"].as_bool()), (Some(2), Some(false)));
    // Only the founding chairperson.
    assert_eq!(json(&ishc(&db, &["composition", "--json"]))["counts"]["members"], 1);

    let bad = dir.path().join("co-loi.csv");
    std::fs::write(&bad, "Họ và tên,Giới tính,Năm sinh,Ngày vào\nLê Thị Ánh,Nữ,1990,01/03/2019\nĐỗ Văn Tâm,?,1966,01/03/2019\n").unwrap();
    let out = ishc(&db, &["--as", "Lê Thị Hoa", "member", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3  LỖI   Đỗ Văn Tâm — Giới tính"), "{text}");
    assert!(stderr(&out).contains("1 dòng có lỗi"), "{}", stderr(&out));
    assert_eq!(json(&ishc(&db, &["composition", "--json"]))["counts"]["members"], 1);

    let done = json(&ishc(&db, &["--as", "Lê Thị Hoa", "member", "import", good.to_str().unwrap(), "--json"]));
    assert_eq!(done["committed"], true);
    assert_eq!(json(&ishc(&db, &["composition", "--json"]))["counts"]["members"], 3);
    // Importing the same sheet again: every row is a likely duplicate, nothing added.
    let again = ishc(&db, &["--as", "Lê Thị Hoa", "member", "import", good.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(json(&ishc(&db, &["composition", "--json"]))["counts"]["members"], 3);
}

/// Under --json every run of `member import` prints exactly one JSON value on stdout (serde_json
/// refuses a second one): the report, the report with its error inside, or only the error object.
#[test]
fn member_import_json_is_one_value_in_every_outcome() {
    let (dir, db) = temp();
    init(&db);
    let one = |out: &Output| -> serde_json::Value {
        serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap_or_else(|e| {
            panic!("stdout is not one JSON value ({e}): {}", String::from_utf8_lossy(&out.stdout))
        })
    };
    let bad = dir.path().join("co-loi.csv");
    std::fs::write(&bad, "Họ và tên,Giới tính,Năm sinh,Ngày vào\nLê Thị Ánh,Nữ,1990,01/03/2019\nĐỗ Văn Tâm,?,1966,01/03/2019\n").unwrap();
    let out = ishc(&db, &["--as", "Lê Thị Hoa", "--json", "member", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let v = one(&out);
    assert_eq!((v["ok_rows"].as_u64(), v["error_rows"].as_u64(), v["committed"].as_bool()), (Some(1), Some(1), Some(false)));
    assert_eq!(v["rows"][1]["error"]["code"], "input.invalid");
    assert_eq!(v["error"]["code"], "import.has_errors");
    assert_eq!(v["error"]["params"]["error_rows"], 1);
    assert!(v["error"]["message"].as_str().unwrap().contains("1 dòng có lỗi"), "{v}");
    assert!(stderr(&out).contains("1 dòng có lỗi"), "{}", stderr(&out));

    let good = dir.path().join("danh-sach.csv");
    std::fs::write(&good, "Họ và tên;Giới tính;Năm sinh;Ngày vào\nNguyễn Thị Lan;Nữ;1955;01/03/2019\n").unwrap();
    let out = ishc(&db, &["--json", "member", "import", good.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = one(&out);
    assert_eq!((v["ok_rows"].as_u64(), v["committed"].as_bool()), (Some(1), Some(false)));
    assert!(v.get("error").is_none());

    // A device is refused before it is read: only the error object.
    let out = ishc(&db, &["--json", "member", "import", "/dev/zero", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(one(&out)["error"]["code"], "file.not_regular");

    // Usage errors under --json: one error object, exit 2, the words on stderr as before.
    let out = ishc(&db, &["--json", "member", "import"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let v = one(&out);
    assert_eq!(v["error"]["code"], "usage.missing_argument");
    assert!(v["error"]["params"]["arg"].as_str().unwrap().contains("FILE"), "{v}");
    assert!(stderr(&out).contains("thiếu thông tin bắt buộc"), "{}", stderr(&out));
    let out = ishc(&db, &["--json", "--lang", "en", "member", "import", good.to_str().unwrap(), "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let v = one(&out);
    assert_eq!((v["error"]["code"].as_str(), v["error"]["params"]["arg"].as_str()), (Some("usage.unknown_argument"), Some("--frobnicate")));
    assert!(v["error"]["message"].as_str().unwrap().starts_with("unknown option --frobnicate"), "{v}");
    // Every command, not just import; and without --json stdout stays empty.
    for args in [&["--json", "fly"][..], &["--json", "member"][..], &["fund", "balance", "--json", "--at", "x", "--nope"][..]] {
        let out = ishc(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(one(&out)["error"]["code"].as_str().unwrap().starts_with("usage."), "{args:?}");
    }
    let out = ishc(&db, &["member", "import"]);
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(2), true));
    assert_eq!(json(&ishc(&db, &["composition", "--json"]))["counts"]["members"], 1, "only the founding chairperson");
}

/// The exported journal, read by the reference tool: hledger's balances equal ours to the đồng.
#[test]
fn hledger_agrees_with_our_balances() {
    let (dir, db) = temp();
    json(&ishc(&db, &["demo", "--years", "4", "--members", "40", "--seed", "21", "--json"]));
    let file = dir.path().join("journal.hledger");
    let out = ishc(&db, &["fund", "export-journal", "--format", "hledger", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hl = Command::new("hledger")
        .args(["-f", file.to_str().unwrap(), "balance", "--flat", "--no-total", "--no-elide"])
        .output()
        .expect("hledger is installed by scripts/setup.sh");
    assert!(hl.status.success(), "hledger refused the export: {}", String::from_utf8_lossy(&hl.stderr));
    let theirs: std::collections::BTreeMap<String, i64> = String::from_utf8_lossy(&hl.stdout)
        .lines()
        .filter_map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            (parts.len() == 3 && parts[1] == "VND").then(|| (parts[2].to_string(), parts[0].replace(',', "").parse().unwrap()))
        })
        .collect();
    let ours = json(&ishc(&db, &["fund", "balance", "--json"]));
    let ours: std::collections::BTreeMap<String, i64> = ours["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let fund = ishc_core::books::Fund::parse(a["fund"].as_str().unwrap()).unwrap();
            (ishc_core::books::account_path(fund, ishc_core::books::Account::parse(a["account"].as_str().unwrap()).unwrap(), false), a["amount"].as_i64().unwrap())
        })
        .collect();
    assert!(ours.len() >= 8, "{ours:?}");
    assert_eq!(theirs, ours);
}

/// The core builds no sentences: a dues receipt is stored as `memo.dues_month` with the month and
/// the count, the memo column empty, and each edge says it in the reader's language — the journal,
/// the cash book and the exported journal.
#[test]
fn composed_memos_are_said_in_the_readers_language() {
    let (dir, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let entries = json(&ishc(&db, &["fund", "journal", "--json"]));
    let dues = entries
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["memo_notice"]["code"] == "memo.dues_month")
        .expect("the demo collects dues");
    assert_eq!(dues["memo"], "", "nothing typed, no sentence stored");
    let (voucher, month, count) =
        (dues["voucher"].as_str().unwrap(), dues["memo_notice"]["params"]["month"].as_str().unwrap(), dues["memo_notice"]["params"]["count"].as_i64().unwrap());
    assert!(month.len() == 7 && month.as_bytes()[4] == b'-', "a raw month: {month}");
    let shown = format!("{}/{}", &month[5..], &month[..4]);
    let date = dues["date"].as_str().unwrap();
    let day = format!("{}/{}/{}", &date[8..], &date[5..7], &date[..4]);
    for (lang, want) in [
        ("vi", format!("Hội phí tháng {shown}: {count} thành viên")),
        ("en", format!("Dues for {shown}: {count} members")),
    ] {
        let out = ishc(&db, &["--lang", lang, "fund", "journal", "--from", &day, "--to", &day]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().find(|l| l.starts_with(voucher)).unwrap_or_else(|| panic!("{voucher} in {text}"));
        assert!(line.ends_with(&format!(": {want}")), "{lang}: {line}");
        let out = ishc(&db, &["--lang", lang, "fund", "cashbook", "--from", &day, "--to", &day]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().any(|l| l.contains(voucher) && l.ends_with(&want)), "{lang}: {text}");
        let file = dir.path().join(format!("journal-{lang}.hledger"));
        let out = ishc(&db, &["--lang", lang, "fund", "export-journal", "--format", "hledger", "--out", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(std::fs::read_to_string(&file).unwrap().contains(&format!("{date} ({voucher}) {want}\n")), "{lang}");
    }
    // The notice is in the hash chain: changing its parameters behind the app's back is found.
    assert!(ishc(&db, &["check"]).status.success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "DROP TRIGGER journal_entry_no_update",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE journal_entry SET memo_params = json_set(memo_params, '$.count', json_extract(memo_params, '$.count') + 1)
         WHERE id = ?1",
        [dues["id"].as_i64().unwrap()],
    )
    .unwrap();
    drop(conn);
    let out = ishc(&db, &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let broken = report["problems"].as_array().unwrap().iter().find(|p| p["code"] == "check.chain_broken").expect("the chain names it");
    assert_eq!(broken["params"]["voucher"], voucher);
}

/// Changing a posted amount in the file behind the app's back makes `ishc check` fail and name it.
#[test]
fn tampering_with_the_file_is_found() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    assert!(ishc(&db, &["check"]).status.success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER posting_no_update; UPDATE posting SET amount = amount * 10 WHERE id = 7;").unwrap();
    drop(conn);
    let out = ishc(&db, &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"check.chain_broken"), "{codes:?}");
    let text = ishc(&db, &["check"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Chuỗi băm bị đứt tại chứng từ"), "{}", String::from_utf8_lossy(&text.stdout));
}

/// `INSERT OR REPLACE` is refused on the audit trail; with its guard dropped, the changed actor is
/// found by `ishc check` (exit 1), which names the row and the missing guard.
#[test]
fn a_replaced_audit_row_is_found() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "1", "--members", "20", "--seed", "5", "--json"]));
    let replace = "INSERT OR REPLACE INTO audit_log (id, at, actor, club_id, action, entity_id, detail)
        SELECT id, at, 'Kẻ gian', club_id, action, entity_id, detail FROM audit_log WHERE id = 2";
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert!(conn.execute(replace, []).is_err(), "REPLACE must be refused");
    drop(conn);
    assert!(ishc(&db, &["check"]).status.success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_replace;").unwrap();
    conn.execute(replace, []).unwrap();
    drop(conn);
    let out = ishc(&db, &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["code"] == "check.row_changed" && p["params"]["table"] == "audit_log"), "{problems:?}");
    assert!(problems.iter().any(|p| p["code"] == "check.trigger_missing"), "{problems:?}");
    let err = ishc(&db, &["--as", "Lê Thị Hoa", "fund", "receipt", "--fund", "activity", "--amount", "10000", "--source", "community",
        "--date", "05/01/2020"]);
    assert!(!err.status.success());
    assert!(stderr(&err).contains("audit_log_no_replace"), "{}", stderr(&err));
}

#[test]
fn fund_vouchers_from_the_command_line() {
    let (_d, db) = temp();
    init(&db);
    let a = |args: &[&str]| {
        let mut full = vec!["--as", "Lê Thị Hoa"];
        full.extend_from_slice(args);
        ishc(&db, &full)
    };
    let r = json(&a(&["fund", "receipt", "--fund", "activity", "--amount", "1.500.000", "--source", "community", "--date", "05/01/2026", "--json"]));
    assert_eq!(r["voucher"], "PT-HD-2026-0001");
    let short = a(&["fund", "payment", "--fund", "activity", "--amount", "2000000", "--area", "2", "--date", "2026-01-06"]);
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("không đủ tiền mặt") || stderr(&short).contains("không đủ"), "{}", stderr(&short));
    let p = json(&a(&["fund", "payment", "--fund", "activity", "--amount", "400000", "--area", "2", "--date", "2026-01-06", "--json"]));
    assert_eq!(p["voucher"], "PC-HD-2026-0001");
    for bad in [["--amount", "0"], ["--amount", "-5"], ["--amount", "99999999999999999999"], ["--amount", "abc"]] {
        let out = a(&["fund", "receipt", "--fund", "activity", bad[0], bad[1], "--source", "dues", "--date", "2026-01-07"]);
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
        assert!(stderr(&out).contains("Số tiền"), "{bad:?}: {}", stderr(&out));
    }
    json(&a(&["fund", "reverse", "PC-HD-2026-0001", "--reason", "Ghi nhầm", "--date", "2026-01-08", "--json"]));
    let bal = json(&ishc(&db, &["fund", "balance", "--json"]));
    assert_eq!(bal["funds"][1]["cash"], 1_500_000);
    let book = json(&ishc(&db, &["fund", "cashbook", "--from", "2026-01-01", "--to", "2026-01-31", "--fund", "activity", "--json"]));
    assert_eq!(book["lines"].as_array().unwrap().len(), 3);
    assert_eq!(book["closing"], 1_500_000);
    let count = json(&a(&["fund", "count", "--fund", "activity", "--date", "2026-01-31", "--notes", "500000=3",
        "--counted-by", "Phạm Thị Thu", "--witness", "Lê Thị Hoa", "--json"]));
    assert_eq!(count["difference"], 0);
    let late = a(&["fund", "receipt", "--fund", "activity", "--amount", "1000", "--source", "other", "--date", "2026-01-20"]);
    assert!(stderr(&late).contains("đã kiểm kê"), "{}", stderr(&late));
    assert!(ishc(&db, &["check"]).status.success());
}

#[test]
fn a_commune_adds_its_own_preset() {
    let (dir, db) = temp();
    init(&db);
    let mut preset: serde_json::Value =
        serde_json::from_str(include_str!("../../../assets/presets/qd1336.json")).unwrap();
    preset["id"] = "xa-quang-hoa".into();
    preset["name_vi"] = "Chỉ tiêu xã Quảng Hòa".into();
    preset["older_age"] = 55.into();
    let file = dir.path().join("preset.json");
    std::fs::write(&file, preset.to_string()).unwrap();
    let added = json(&ishc(&db, &["--as", "Lê Thị Hoa", "presets", "add", file.to_str().unwrap(), "--json"]));
    assert_eq!(added["builtin"], false);
    let all = json(&ishc(&db, &["presets", "--json"]));
    assert!(all.as_array().unwrap().iter().any(|p| p["id"] == "xa-quang-hoa"));
    let comp = json(&ishc(&db, &["composition", "--preset", "xa-quang-hoa", "--json"]));
    assert_eq!(comp["older_age"], 55);
    let again = ishc(&db, &["--as", "Lê Thị Hoa", "presets", "add", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("Đã có bộ chỉ tiêu"), "{}", stderr(&again));
}

/// A monthly meeting from the command line: everyone but two present, all eight areas, dues from
/// everyone present, a loan decision; the record, the ledger and the year grid agree.
#[test]
fn a_meeting_with_dues_lands_in_the_record_the_ledger_and_the_grid() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let members = json(&ishc(&db, &["member", "list", "--json"]));
    let ids: Vec<String> = members.as_array().unwrap().iter().map(|m| m["id"].to_string()).collect();
    let chair = json(&ishc(&db, &["club", "show", "--json"]))["board"][0]["member_id"].to_string();
    let absent: Vec<&str> = ids.iter().filter(|i| **i != chair).take(2).map(|s| s.as_str()).collect();
    let before = json(&ishc(&db, &["fund", "balance", "--json"]));
    let decision = format!("loan_approval:{}:5.000.000:Cho vay nuôi bò", absent[0]);
    // The demo club already met on 10/11: a second monthly meeting in November is refused until confirmed.
    // Dues collected at a meeting are money: whoever records them holds the money right too — here
    // the chairperson, whose club's rule lets her handle money.
    json(&as_role_with(&db, "chair", &["user", "settings", "--chair-handles-money", "yes", "--json"], &[]));
    let base = ["meeting", "add", "--date", "22/11/2026", "--chair", &chair, "--all-present",
          "--absent", &absent.join(","), "--areas", "all", "--themes", "digital,green", "--minutes", "Họp tháng 11",
          "--decision", &decision, "--dues-present", "--dues-month", "2026-12", "--json"];
    // The secretary records meetings but moves no money: the dues are refused her, naming who may.
    let secretary = as_role_with(&db, "secretary", &base, &[]);
    assert_eq!(json_err(&secretary)["error"]["code"], "auth.forbidden");
    assert_eq!(json_err(&secretary)["error"]["params"]["roles"], serde_json::json!(["treasurer", "chair"]));
    let refused = as_role_with(&db, "chair", &base, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(json_err(&refused)["error"]["code"], "meeting.second_in_month");
    assert_eq!(json(&ishc(&db, &["meeting", "list", "--year", "2026", "--json"])).as_array().unwrap().iter().filter(|m| m["held_on"] == "2026-11-22").count(), 0);
    let out = as_role_with(&db, "chair", &[&base[..], &["--second-in-month"]].concat(), &[]);
    let saved = json(&out);
    let m = &saved["meeting"];
    let present = m["present"].as_array().unwrap().len();
    assert_eq!(present, ids.len() - 2);
    assert_eq!(m["topics"].as_array().unwrap().len(), 10);
    assert_eq!(m["dues_count"], present);
    assert_eq!(m["dues_total"], 50_000 * present as i64);
    assert_eq!(saved["warnings"][0]["code"], "meeting.decision_member_absent");
    let after = json(&ishc(&db, &["fund", "balance", "--json"]));
    let income_cash = |b: &serde_json::Value| b["funds"][0]["cash"].as_i64().unwrap();
    assert_eq!(income_cash(&after) - income_cash(&before), 50_000 * present as i64);
    let id = m["id"].to_string();
    let shown = ishc(&db, &["meeting", "show", &id]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("BIÊN BẢN") && text.contains("Bình dân học vụ số") && text.contains("Cho vay nuôi bò"), "{text}");
    let listed = json(&ishc(&db, &["meeting", "list", "--year", "2026", "--json"]));
    assert_eq!(listed[0]["id"].to_string(), id);
    let grid = json(&ishc(&db, &["meeting", "grid", "--year", "2026", "--json"]));
    assert_eq!(grid["months"][10]["covered"], serde_json::json!(vec![true; 8]));
    assert!(json(&ishc(&db, &["check", "--json"]))["ok"].as_bool().unwrap());
    // The same meeting again is refused and changes nothing.
    let again = as_board(&db, &["meeting", "add", "--date", "22/11/2026", "--chair", &chair, "--present", &ids[3]]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("Đã ghi một cuộc họp"), "{}", stderr(&again));
    assert_eq!(json(&ishc(&db, &["meeting", "list", "--year", "2026", "--json"])).as_array().unwrap().len(), listed.as_array().unwrap().len());
    // A decision for a meeting that is not in the books.
    let out = as_board(&db, &["meeting", "decide", "99999", "--kind", "other", "--text", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("99999"), "{}", stderr(&out));
}

#[test]
fn activities_and_the_standard_self_assessment() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "3", "--members", "30", "--seed", "5", "--json"]));
    // Funds raised are money: the treasurer records this event.
    let a = json(&as_role_with(
        &db,
        "treasurer",
        &["activity", "add", "--kind", "event", "--subkind", "fundraising", "--date", "21/11/2026",
          "--people", "45", "--value", "1.200.000", "--fund", "activity", "--note", "Đêm văn nghệ gây quỹ", "--json"],
        &[],
    ));
    assert_eq!(a["area"], "a8");
    let voucher = a["voucher"].as_str().unwrap().to_string();
    let entry = json(&ishc(&db, &["fund", "journal", "--from", "2026-11-21", "--json"]));
    assert!(entry.as_array().unwrap().iter().any(|e| e["voucher"] == voucher.as_str()));
    let refused = as_board(&db, &["activity", "add", "--kind", "health-check", "--date", "21/11/2026", "--people", "3", "--note", "huyết áp 160"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("Nội dung"), "{}", stderr(&refused));
    let listed = json(&ishc(&db, &["activity", "list", "--kind", "event", "--year", "2026", "--json"]));
    assert_eq!(listed[0]["id"], a["id"]);
    let s = json(&ishc(&db, &["standard", "--year", "2025", "--json"]));
    let criteria = s["criteria"].as_array().unwrap();
    for id in ["meetings.monthly", "meetings.all_areas", "areas.never_covered", "composition.members", "composition.volunteers",
               "home_care.visited", "fund.income", "fund.activity", "loans.borrowed", "board.trained"] {
        let c = criteria.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(c["met"].is_boolean(), "{id} is judged: {c}");
    }
    let monthly = criteria.iter().find(|c| c["id"] == "meetings.monthly").unwrap();
    assert_eq!(monthly["of"], 12);
    assert_eq!(monthly["min"], 1);
    assert_eq!(s["met"].as_u64().unwrap(), criteria.iter().filter(|c| c["met"] == true).count() as u64);
    let out = ishc(&db, &["standard", "--year", "2030"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Năm"), "{}", stderr(&out));
}

/// A loan from the command line: apply, approve at a meeting, disburse, repay; the schedule, the
/// list with arrears and the portfolio agree with the fund ledger; bad requests are refused.
#[test]
fn a_loan_from_application_to_repayment() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let rules = json(&ishc(&db, &["loan", "rules", "--json"]));
    assert_eq!(rules["current"]["rate_pct_month"], "0.5");
    assert_eq!(rules["current"]["repayment"]["kind"], "bullet");
    let members = json(&ishc(&db, &["member", "list", "--json"]));
    let borrowing: Vec<i64> = json(&ishc(&db, &["loan", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["loan"]["status"] == "disbursed")
        .map(|r| r["loan"]["member"]["id"].as_i64().unwrap())
        .collect();
    let who = members.as_array().unwrap().iter().find(|m| !borrowing.contains(&m["id"].as_i64().unwrap())).unwrap()["id"].to_string();
    let meeting = json(&ishc(&db, &["meeting", "list", "--year", "2026", "--json"]))[0]["id"].to_string();
    let cash = |db: &Path| json(&ishc(db, &["fund", "balance", "--json"]))["funds"][0]["cash"].as_i64().unwrap();
    let before = cash(&db);
    let act = |args: &[&str]| as_board(&db, &[args, &["--json"]].concat());
    let over = act(&["loan", "apply", "--member", &who, "--amount", "20.000.000", "--purpose", "livestock", "--months", "12", "--date", "01/10/2026"]);
    assert_eq!(over.status.code(), Some(1));
    assert!(stderr(&over).contains("vượt mức tối đa 10.000.000 đ"), "{}", stderr(&over));
    let loan = json(&act(&["loan", "apply", "--member", &who, "--amount", "5.000.000", "--purpose", "livestock", "--months", "12", "--date", "01/10/2026", "--in-kind", "1 con bê"]));
    let id = loan["id"].to_string();
    assert_eq!(loan["status"], "applied");
    let waiting = json(&ishc(&db, &["loan", "waiting", "--json"]));
    assert!(waiting.as_array().unwrap().iter().any(|r| r["loan"]["id"] == loan["id"]));
    let approved = json(&act(&["loan", "approve", &id, "--meeting", &meeting]));
    assert_eq!(approved["loan"]["approval"]["meeting_id"].to_string(), meeting);
    let shown = json(&ishc(&db, &["meeting", "show", &meeting, "--json"]));
    assert!(shown["decisions"].as_array().unwrap().iter().any(|d| d["kind"] == "loan_approval" && d["amount"] == 5_000_000));
    let held_on = shown["held_on"].as_str().unwrap().to_string();
    let early = act(&["loan", "disburse", &id, "--date", "2026-01-01"]);
    assert_eq!(early.status.code(), Some(1));
    json(&act(&["loan", "disburse", &id, "--date", &held_on]));
    assert_eq!(cash(&db), before - 5_000_000);
    let schedule = json(&ishc(&db, &["loan", "schedule", &id, "--json"]));
    let lines = schedule.as_array().unwrap();
    assert_eq!(lines.len(), 12);
    assert_eq!(lines[0]["interest"], 25_000);
    assert_eq!(lines.iter().map(|l| l["principal"].as_i64().unwrap()).sum::<i64>(), 5_000_000);
    // Nothing paid: on 31/12/2026 the first instalment is late.
    let list = json(&ishc(&db, &["loan", "list", "--at", "2026-12-31", "--json"]));
    let row = list.as_array().unwrap().iter().find(|r| r["loan"]["id"] == loan["id"]).unwrap();
    assert!(row["state"]["days_past_due"].as_i64().unwrap() > 0);
    let paid = json(&act(&["loan", "repay", &id, "--amount", "1.025.000", "--date", "22/11/2026"]));
    let interest_due = paid["interest"].as_i64().unwrap();
    assert_eq!(paid["principal"].as_i64().unwrap() + interest_due, 1_025_000);
    let too_much = act(&["loan", "repay", &id, "--amount", "9.000.000", "--date", "22/11/2026"]);
    assert_eq!(too_much.status.code(), Some(1));
    assert!(stderr(&too_much).contains("lớn hơn số còn nợ"), "{}", stderr(&too_much));
    let card = json(&ishc(&db, &["loan", "show", &id, "--json"]));
    assert_eq!(card["state"]["principal_out"].as_i64().unwrap(), 5_000_000 - paid["principal"].as_i64().unwrap());
    let portfolio = json(&ishc(&db, &["loan", "portfolio", "--json"]));
    let bal = json(&ishc(&db, &["fund", "balance", "--json"]));
    assert_eq!(bal["funds"][0]["loans"], portfolio["outstanding"]);
    assert!(json(&ishc(&db, &["check", "--json"]))["ok"].as_bool().unwrap());
    let text = as_board(&db, &["loan", "repay", &id, "--amount", "9.000.000", "--date", "22/11/2026"]);
    assert!(stderr(&text).contains("đ lớn hơn số còn nợ"), "{}", stderr(&text));
}

/// Issue 16: the prefilled amount paid five days before the due date pays that instalment (the
/// card and the schedule say which); --prepay-principal puts it on the principal instead.
#[test]
fn an_early_repayment_pays_the_next_instalment_unless_principal_is_prepaid() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "1", "--members", "12", "--seed", "7", "--json"]));
    // Lent at the last meeting of the demo; the clock moves on to the first instalment.
    let ishc = |db: &Path, args: &[&str]| ishc_with(db, args, &[("ISHC_PASSPHRASE", PASS), ("ISHC_TODAY", "2027-01-31")]);
    let borrowing: Vec<i64> = json(&ishc(&db, &["loan", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["loan"]["status"] == "disbursed")
        .map(|r| r["loan"]["member"]["id"].as_i64().unwrap())
        .collect();
    let members = json(&ishc(&db, &["member", "list", "--json"]));
    let mut free = members.as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).filter(|m| !borrowing.contains(m));
    let meeting = json(&ishc(&db, &["meeting", "list", "--json"]))[0].clone();
    let (mid, held_on) = (meeting["id"].to_string(), meeting["held_on"].as_str().unwrap().to_string());
    let act = |args: &[&str]| as_board_with(&db, &[args, &["--json"]].concat(), &[("ISHC_TODAY", "2027-01-31")]);
    let mut lend = |months: &str| {
        let who = free.next().expect("a member without a loan").to_string();
        let loan = json(&act(&["loan", "apply", "--member", &who, "--amount", "1.000.000", "--purpose", "trade", "--months", months, "--date", &held_on]));
        let id = loan["id"].to_string();
        json(&act(&["loan", "approve", &id, "--meeting", &mid]));
        json(&act(&["loan", "disburse", &id, "--date", &held_on]));
        id
    };
    let (a, b) = (lend("12"), lend("12"));
    let first = json(&ishc(&db, &["loan", "schedule", &a, "--json"]))[0].clone();
    assert_eq!(first["interest"], 5_000);
    let due: chrono::NaiveDate = first["due_on"].as_str().unwrap().parse().unwrap();
    let early = (due - chrono::Duration::days(5)).to_string();
    let paid = json(&act(&["loan", "repay", &a, "--amount", "5.000", "--date", &early]));
    assert_eq!((paid["interest"].as_i64(), paid["principal"].as_i64()), (Some(5_000), Some(0)));
    assert_eq!(paid["instalments"], serde_json::json!([{ "no": 1, "interest": 5_000, "principal": 0 }]));
    let on_due = due.to_string();
    let card = json(&ishc(&db, &["loan", "show", &a, "--at", &on_due, "--json"]));
    assert_eq!(card["payments"][0]["instalments"][0]["no"], 1);
    assert_eq!((card["state"]["overdue"].as_i64(), card["state"]["days_past_due"].as_i64()), (Some(0), Some(0)));
    let lines = json(&ishc(&db, &["loan", "schedule", &a, "--at", &on_due, "--json"]));
    assert_eq!(lines[0]["state"], "paid");
    assert_eq!(lines[0]["paid_by"], serde_json::json!([paid["voucher"]]));
    let text = String::from_utf8(ishc(&db, &["loan", "show", &a, "--at", &on_due]).stdout).unwrap();
    assert!(text.contains("trả kỳ 1"), "{text}");
    // Trả trước gốc, on purpose: the same amount lowers the principal; instalment 1 stays unpaid.
    let pre = json(&act(&["loan", "repay", &b, "--amount", "5.000", "--date", &early, "--prepay-principal"]));
    assert_eq!((pre["interest"].as_i64(), pre["principal"].as_i64()), (Some(0), Some(5_000)));
    assert_eq!(pre["card"]["state"]["principal_out"], 9_95_000);
    let lines = json(&ishc(&db, &["loan", "schedule", &b, "--at", &on_due, "--json"]));
    assert_eq!(lines[0]["state"], "future");
    let bal = json(&ishc(&db, &["fund", "balance", "--json"]));
    assert_eq!(bal["funds"][0]["loans"], json(&ishc(&db, &["loan", "portfolio", "--json"]))["outstanding"]);
    assert!(json(&ishc(&db, &["check", "--json"]))["ok"].as_bool().unwrap());
}

#[test]
fn the_report_agrees_with_the_other_commands_and_is_written_whole() {
    let (dir, db) = temp();
    json(&ishc(&db, &["--as", "Demo", "demo", "--years", "4", "--json"]));
    let report = json(&ishc(&db, &["report", "--period", "2025", "--json"]));
    assert_eq!(report["format"], "ishc-report");
    assert_eq!(report["as_of"], "2025-12-31");
    let comp = json(&ishc(&db, &["composition", "--at", "31/12/2025", "--json"]));
    assert_eq!(report["members"]["end"], comp["counts"]);
    assert_eq!(report["members"]["targets"], comp["targets"]);
    let start = json(&ishc(&db, &["composition", "--at", "31/12/2024", "--json"]));
    assert_eq!(report["members"]["start"], start["counts"]);
    let bal = json(&ishc(&db, &["fund", "balance", "--at", "31/12/2025", "--json"]));
    for (i, f) in report["funds"].as_array().unwrap().iter().enumerate() {
        let b = bal["funds"].as_array().unwrap().iter().find(|b| b["fund"] == f["fund"]).unwrap();
        assert_eq!(f["closing"]["cash"], b["cash"], "fund {i}");
        assert_eq!(f["closing"]["bank"], b["bank"]);
        assert_eq!(f["closing"]["loans"], b["loans"]);
        assert_eq!(f["closing"]["total"], b["assets"]);
    }
    let portfolio = json(&ishc(&db, &["loan", "portfolio", "--at", "31/12/2025", "--json"]));
    assert_eq!(report["loans"]["at_end"], portfolio);
    // The report carries the standard's figures; the people behind a figure only as a number.
    let mut standard = json(&ishc(&db, &["standard", "--year", "2025", "--json"]));
    standard.as_object_mut().unwrap().remove("club_id");
    for c in standard["criteria"].as_array_mut().unwrap() {
        let people = c["people"].as_array().unwrap().len();
        c["people_count"] = serde_json::json!(people);
        c["people"] = serde_json::Value::Null;
    }
    assert_eq!(report["standard"], standard);
    // The quarter's report carries no standard; no report names anyone unless asked.
    let q = json(&ishc(&db, &["report", "--period", "2026-Q3", "--json"]));
    assert!(q["standard"].is_null() && q["member_list"].is_null());
    let members = json(&ishc(&db, &["member", "list", "--json"]));
    let text = serde_json::to_string(&report).unwrap();
    for m in members.as_array().unwrap() {
        assert!(!text.contains(m["full_name"].as_str().unwrap()), "{} is named", m["full_name"]);
    }

    // The three renderings to files; xlsx needs --out; a bad period names the field.
    for format in ["json", "html", "xlsx"] {
        let out = dir.path().join(format!("r.{format}"));
        let w = json(&ishc(&db, &["report", "--period", "2025", "--format", format, "--out", out.to_str().unwrap(), "--json"]));
        assert_eq!(w["bytes"].as_u64().unwrap(), std::fs::metadata(&out).unwrap().len());
    }
    let on_disk: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(on_disk, report);
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("BÁO CÁO HOẠT ĐỘNG") && html.contains("Năm 2025"));
    let en = ishc(&db, &["--lang", "en", "report", "--period", "2025", "--format", "html"]);
    assert!(String::from_utf8_lossy(&en.stdout).contains("ACTIVITY REPORT"));
    let no_out = ishc(&db, &["report", "--period", "2025", "--format", "xlsx"]);
    assert!(!no_out.status.success());
    assert!(stderr(&no_out).contains("--out"), "{}", stderr(&no_out));
    let bad = ishc(&db, &["report", "--period", "2025-13"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("Kỳ báo cáo"), "{}", stderr(&bad));
    let future = ishc(&db, &["report", "--period", "2027"]);
    assert!(stderr(&future).contains("Kỳ báo cáo"), "{}", stderr(&future));
    let left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|n| !n.ends_with(".partial")), "{left:?}");
}

// --- The club key and the signed report bundle ---------------------------------------------------

#[test]
fn init_makes_the_key_which_can_be_shown_printed_and_changed() {
    let (dir, db) = temp();
    init(&db);
    let shown = json(&ishc(&db, &["key", "show", "--json"]));
    let key = &shown["current"];
    let key_id = key["key_id"].as_str().unwrap().to_string();
    let fingerprint = key["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(key_id.len(), 16);
    // The fingerprint is SHA-256 of the decoded public key (`Ed`, key id, Ed25519 key), its first 128
    // bits in eight groups of four — computed here from the `.pub` file's text, not by the core.
    let pub_file = key["public_key_file"].as_str().unwrap();
    assert_eq!(fingerprint, fingerprint_of_pub_file(pub_file));
    assert_ne!(fingerprint.replace(' ', ""), key_id, "the key id is a label, not the fingerprint");
    assert_eq!(shown["club"], "CLB Đông Hòa");
    assert_eq!(shown["history"].as_array().unwrap().len(), 1);
    assert!(key["public_key_file"].as_str().unwrap().starts_with(&format!("untrusted comment: ishc club key {key_id} CLB Đông Hòa\n")));
    let text = ishc(&db, &["key", "show"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(&format!("Dấu nhận dạng: {fingerprint}")));

    // The card, in Vietnamese and in English.
    let card = dir.path().join("the-khoa.html");
    let out = ishc(&db, &["key", "card", "--out", card.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã ghi thẻ khóa"));
    let html = std::fs::read_to_string(&card).unwrap();
    assert!(html.contains(&fingerprint) && html.contains("Thẻ khóa ký của câu lạc bộ") && html.contains(key["public_key"].as_str().unwrap()));
    let card_en = dir.path().join("key-card.html");
    assert!(ishc(&db, &["--lang", "en", "key", "card", "--out", card_en.to_str().unwrap()]).status.success());
    assert!(std::fs::read_to_string(&card_en).unwrap().contains("Club signing key card"));

    // One key per club.
    let again = ishc(&db, &["--as", "Lê Thị Hoa", "key", "create"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains(&key_id), "{}", stderr(&again));

    // A change of key: the old passphrase opens the old key, the new one comes from its own variable.
    let wrong = ishc_with(&db, &["--as", "Lê Thị Hoa", "key", "rotate"], &[("ISHC_PASSPHRASE", "sai mật khẩu rồi"), ("ISHC_NEW_PASSPHRASE", "mật khẩu mới dài"), ("ISHC_PIN", FOUNDER_PIN)]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("Mật khẩu không đúng"), "{}", stderr(&wrong));
    let no_new = ishc(&db, &["--as", "Lê Thị Hoa", "key", "rotate"]);
    assert_eq!(no_new.status.code(), Some(1));
    assert!(stderr(&no_new).contains("ISHC_NEW_PASSPHRASE"), "{}", stderr(&no_new));
    let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "key", "rotate"], &[("ISHC_PASSPHRASE", PASS), ("ISHC_NEW_PASSPHRASE", "mật khẩu mới dài"), ("ISHC_PIN", FOUNDER_PIN)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let now = json(&ishc(&db, &["key", "show", "--json"]));
    let new_fp = now["current"]["fingerprint"].as_str().unwrap();
    assert_ne!(new_fp, fingerprint);
    assert!(String::from_utf8_lossy(&out.stdout).contains(new_fp), "the new fingerprint is printed");
    assert_eq!(new_fp, fingerprint_of_pub_file(now["current"]["public_key_file"].as_str().unwrap()));
    assert_eq!(now["current"]["replaces_key_id"], key_id.as_str());
    assert_eq!(now["current"]["replaces_fingerprint"], fingerprint.as_str());
    let text = String::from_utf8_lossy(&ishc(&db, &["key", "show"]).stdout).to_string();
    assert!(text.contains(&format!("Thay cho khóa: {fingerprint}")), "{text}");
    assert_eq!(now["history"].as_array().unwrap().len(), 2);
    assert!(now["history"][0]["retired_at"].is_string());
    let audit = json(&ishc(&db, &["audit", "--json"]));
    let rotate = audit.as_array().unwrap().iter().find(|e| e["action"] != "auth.sign_in").unwrap();
    assert_eq!(rotate["action"], "key.rotate");
}

#[test]
fn key_show_on_a_demo_ledger() {
    let (_d, db) = temp();
    let demo = ishc_with(&db, &["demo", "--years", "2", "--members", "20", "--seed", "3"], &[]);
    assert!(demo.status.success(), "the demo needs no passphrase: {}", stderr(&demo));
    assert!(String::from_utf8_lossy(&demo.stdout).contains("demo-passphrase"));
    let shown = json(&ishc(&db, &["key", "show", "--json"]));
    assert_eq!(shown["current"]["created_by"], "Dữ liệu mẫu");
    assert_eq!(shown["current"]["key_id"].as_str().unwrap().len(), 16);
    assert_eq!(shown["history"].as_array().unwrap().len(), 1);
}

#[test]
fn a_passphrase_is_never_an_argument_and_is_checked_before_any_file_is_made() {
    let (dir, db) = temp();
    let args = ["--as", "Lê Thị Hoa", "init", "--name", "CLB", "--commune", "X", "--district", "X", "--province", "X", "--chair-sex", "F", "--chair-born", "1960"];
    // No variable, no file, no terminal: said plainly, and no ledger is made.
    let out = ishc_with(&db, &args, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ISHC_PASSPHRASE") && stderr(&out).contains("--passphrase-file"), "{}", stderr(&out));
    assert!(!db.exists());
    let out = ishc_with(&db, &args, &[("ISHC_PASSPHRASE", "ngắn")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Mật khẩu của khóa ký: phải có ít nhất 8 ký tự."), "{}", stderr(&out));
    assert!(!db.exists());
    let mut with_arg = args.to_vec();
    with_arg.extend(["--passphrase", PASS]);
    assert_eq!(ishc_with(&db, &with_arg, &[]).status.code(), Some(2), "there is no --passphrase option");
    assert!(!db.exists());
    // From a file: its first line.
    let file = dir.path().join("pass.txt");
    std::fs::write(&file, format!("{PASS}\r\nsecond line ignored\n")).unwrap();
    let mut from_file = args.to_vec();
    from_file.extend(["--passphrase-file", file.to_str().unwrap()]);
    let out = ishc_with(&db, &from_file, &[("ISHC_NEW_PIN", FOUNDER_PIN)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã tạo khóa ký"));
    // That passphrase opens the key: a rotation with it succeeds.
    let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "key", "rotate", "--passphrase-file", file.to_str().unwrap()], &[("ISHC_NEW_PASSPHRASE", "mật khẩu mới dài"), ("ISHC_PIN", FOUNDER_PIN)]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A bundle made through the core on a ledger made by the CLI, with three dummy report files.
fn bundle_via_core(db: &Path, out_dir: &Path) -> PathBuf {
    use ishc_core::signing::bundle::{self, BundleFile, BundleRequest};
    let mut store = ishc_core::Store::open(db, ishc_core::OpenMode::Existing).unwrap();
    let club = ishc_core::roster::club::resolve(&store, None).unwrap();
    let actor = ishc_core::auth::sign_in(&mut store, club.id, "Lê Thị Hoa", FOUNDER_PIN).unwrap();
    let req = BundleRequest {
        period_label: "2026".into(),
        period_from: "2026-01-01".parse().unwrap(),
        period_to: "2026-12-31".parse().unwrap(),
        files: vec![
            BundleFile { name: "report.json".into(), bytes: br#"{"members":5}"#.to_vec() },
            BundleFile { name: "report.html".into(), bytes: "<p>Báo cáo năm 2026</p>".as_bytes().to_vec() },
            BundleFile { name: "report.xlsx".into(), bytes: b"PK\x03\x04 not really a spreadsheet".to_vec() },
        ],
        includes_personal_data: true,
    };
    bundle::export(&mut store, &actor, club.id, PASS, req, out_dir).unwrap().path
}

#[test]
fn the_commune_verifies_a_bundle_without_any_ledger() {
    let (dir, db) = temp();
    init(&db);
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let bundle = bundle_via_core(&db, &stick);
    let shown = json(&ishc(&db, &["key", "show", "--json"]));
    let club_pub = dir.path().join("club.pub");
    std::fs::write(&club_pub, shown["current"]["public_key_file"].as_str().unwrap()).unwrap();
    let fingerprint = shown["current"]["fingerprint"].as_str().unwrap();

    // The commune's machine: no ledger anywhere.
    let nowhere = dir.path().join("no-such-folder").join("ledger.sqlite");
    let verify = |args: &[&str]| {
        let mut full = vec!["verify"];
        full.extend_from_slice(args);
        ishc_with(&nowhere, &full, &[])
    };
    let b = bundle.to_str().unwrap();
    let out = verify(&[b, "--key", club_pub.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("Gói báo cáo hợp lệ") && said.contains(fingerprint) && said.contains("thông tin cá nhân"), "{said}");
    assert!(said.contains("Đã kiểm tra bằng khóa đưa vào với --key"), "{said}");
    assert!(!said.contains("KHÔNG chứng minh"), "{said}");
    let out = verify(&[b, "--key", shown["current"]["public_key"].as_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["problem"], serde_json::Value::Null);
    assert_eq!(report["manifest"]["sequence"], 1);
    assert_eq!(report["manifest"]["includes_personal_data"], true);
    assert_eq!(report["key_id"], shown["current"]["key_id"]);
    assert_eq!(report["fingerprint"], fingerprint);
    assert_eq!(report["checked_against"], "given_key");
    // Without the card's key: valid, but it says plainly that only the bundle's own key was used,
    // which proves nothing about who signed, and that the fingerprint must be compared with the card.
    let out = verify(&[b]);
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("chỉ được kiểm tra bằng khóa nằm ngay trong gói"), "{said}");
    assert!(said.contains("KHÔNG chứng minh ai đã ký"), "{said}");
    assert!(said.contains(&format!("Xã phải so dấu nhận dạng {fingerprint} với thẻ khóa đã in")), "{said}");
    let en = String::from_utf8_lossy(&verify(&["--lang", "en", b]).stdout).to_string();
    assert!(en.contains("checked only against the key the bundle itself carries") && en.contains("proves NOTHING"), "{en}");
    assert!(en.contains(&format!("compare the fingerprint {fingerprint} with the club's printed key card")), "{en}");
    let report: serde_json::Value = serde_json::from_slice(&verify(&[b, "--json"]).stdout).unwrap();
    assert_eq!((report["ok"].as_bool(), report["checked_against"].as_str()), (Some(true), Some("bundle_key")));
    assert_eq!(report["fingerprint"], fingerprint);

    // One byte of a report changed on the stick.
    let mut bytes = std::fs::read(&bundle).unwrap();
    let at = bytes.windows(13).position(|w| w == br#"{"members":5}"#).unwrap();
    bytes[at + 11] = b'9';
    let tampered = dir.path().join("tampered.zip");
    std::fs::write(&tampered, &bytes).unwrap();
    let out = verify(&[tampered.to_str().unwrap(), "--key", club_pub.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("KHÔNG hợp lệ") && stderr(&out).contains("report.json"), "{}", stderr(&out));
    let out = verify(&["--lang", "en", tampered.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["problem"]["code"], "bundle.damaged");
    assert_eq!(report["problem"]["params"]["name"], "report.json");
    assert!(stderr(&out).contains("NOT valid"), "{}", stderr(&out));

    // Another club's key.
    let (_d2, other_db) = temp();
    init(&other_db);
    let other = json(&ishc(&other_db, &["key", "show", "--json"]));
    let out = verify(&[b, "--key", other["current"]["public_key"].as_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("KHÔNG được ký bằng khóa của câu lạc bộ"), "{}", stderr(&out));

    // Not a bundle at all, and no file.
    let note = dir.path().join("notes.zip");
    std::fs::write(&note, "danh sách đi chợ").unwrap();
    let out = verify(&[note.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("không phải gói báo cáo"), "{}", stderr(&out));
    let out = verify(&[note.to_str().unwrap(), "--json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["problem"]["code"], "bundle.not_zip");
    let out = verify(&[dir.path().join("none.zip").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("none.zip"), "{}", stderr(&out));

    assert!(!nowhere.exists() && !nowhere.parent().unwrap().exists(), "verify made no ledger and no folder");
    // Nothing was unpacked beside the bundles either.
    let mut left: Vec<String> = std::fs::read_dir(&stick).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    left.sort();
    assert_eq!(left, ["ishc-clb-dong-hoa-2026-0001.zip"]);
}

#[test]
fn export_signs_the_report_onto_the_stick_and_verify_agrees() {
    let (dir, db) = temp();
    json(&ishc(&db, &["--as", "Demo", "demo", "--years", "3", "--json"]));
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    // Signing the report for the commune: the secretary, signed in with her PIN.
    let export = |period: &str, pass: &str| {
        as_role_with(&db, "secretary", &["export", "--period", period, "--out", stick.to_str().unwrap()], &[("ISHC_PASSPHRASE", pass)])
    };
    let wrong = export("2025", "not the passphrase");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("Sai mật khẩu") || stderr(&wrong).contains("mật khẩu"), "{}", stderr(&wrong));
    assert_eq!(std::fs::read_dir(&stick).unwrap().count(), 0, "nothing written on a refusal");
    let ok = export("2025", "demo-passphrase");
    assert!(ok.status.success(), "{}", stderr(&ok));
    let path = String::from_utf8(ok.stdout).unwrap().trim().to_string();
    assert!(path.ends_with(".zip") && Path::new(&path).exists(), "{path}");
    let second = export("2026-Q3", "demo-passphrase");
    let path2 = String::from_utf8(second.stdout).unwrap().trim().to_string();

    let key = json(&ishc(&db, &["key", "show", "--json"]));
    let v = json(&ishc(&db, &["verify", &path, "--key", key["current"]["public_key"].as_str().unwrap(), "--json"]));
    assert_eq!(v["ok"], true);
    assert_eq!(v["manifest"]["sequence"], 1);
    assert_eq!(v["manifest"]["period"]["label"], "2025");
    let v2 = json(&ishc(&db, &["verify", &path2, "--json"]));
    assert_eq!(v2["manifest"]["sequence"], 2);
    let first_digest = {
        use sha2::Digest;
        hex_lower(&sha2::Sha256::digest(std::fs::read(&path).unwrap()))
    };
    assert_eq!(v2["manifest"]["previous_bundle_sha256"], first_digest.as_str());
    // report.json inside is what `ishc report` says for the period.
    let zip_bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut inner = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("report.json").unwrap(), &mut inner).unwrap();
    let inside: serde_json::Value = serde_json::from_str(&inner).unwrap();
    let now = json(&ishc(&db, &["report", "--period", "2025", "--json"]));
    assert_eq!(inside, now);

    // The reference minisign tool agrees with the signature.
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    for name in ["manifest.json", "manifest.json.minisig", "club.pub"] {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut bytes).unwrap();
        std::fs::write(unpacked.join(name), bytes).unwrap();
    }
    let m = Command::new("minisign").args(["-Vm", "manifest.json", "-p", "club.pub"]).current_dir(&unpacked).output().unwrap();
    assert!(m.status.success(), "minisign: {}", String::from_utf8_lossy(&m.stderr));

    // A copy with one byte changed is refused, naming the problem.
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    let bad = dir.path().join("bad.zip");
    std::fs::write(&bad, &bytes).unwrap();
    let refused = ishc(&db, &["verify", bad.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("KHÔNG") || !stderr(&refused).is_empty());
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The README's command-line block, run as written (one bash script, `ishc` standing for this
/// build) on the fresh demo it makes: every example works on the demo.
#[test]
fn the_readme_examples_run_as_written_on_a_fresh_demo() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme.find("<!-- examples:begin -->").expect("README marks its examples");
    let end = readme.find("<!-- examples:end -->").expect("README marks the end of its examples");
    let block = &readme[start..end];
    let body = block.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a sh block");
    let script: String = body
        .lines()
        .filter(|l| !l.starts_with("cargo build") && !l.trim_start().starts_with("alias "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(script.matches("ishc ").count() >= 30, "the README shows the commands");
    let dir = tempfile::tempdir().unwrap();
    let full = format!("set -euo pipefail\nishc() {{ \"$ISHC_BIN\" \"$@\"; }}\n{script}");
    let out = Command::new("bash")
        .arg("-c")
        .arg(&full)
        .current_dir(dir.path())
        .env("ISHC_BIN", env!("CARGO_BIN_EXE_ishc"))
        .env_remove("ISHC_DB")
        .env_remove("ISHC_ACTOR")
        .env_remove("ISHC_PIN")
        .env_remove("ISHC_TODAY")
        .env_remove("ISHC_PASSPHRASE")
        .env_remove("ISHC_LANG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "a README example failed:\n{}\n--- stdout tail ---\n{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout).lines().rev().take(15).collect::<Vec<_>>().join("\n")
    );
}

/// Every reading command, in both languages: no sentence of the other language, no catalogue key
/// left untranslated.
#[test]
fn every_command_speaks_one_language_and_no_raw_codes() {
    let (_dir, db) = temp();
    json(&ishc(&db, &["demo", "--years", "4", "--members", "40", "--seed", "21", "--json"]));
    let vi: std::collections::HashMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/i18n/vi.json")).unwrap()).unwrap();
    let en: std::collections::HashMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/i18n/en.json")).unwrap()).unwrap();
    // Literal pieces of a language's sentences (between the {parameters}), long enough to be words
    // and not names: three words or more.
    let pieces = |cat: &std::collections::HashMap<String, String>, other: &std::collections::HashMap<String, String>| -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in cat {
            if other.get(k) == Some(v) {
                continue;
            }
            for piece in v.split(['{', '}']).step_by(2) {
                let p = piece.trim_matches(|c: char| !c.is_alphabetic());
                if p.split_whitespace().count() >= 3 {
                    out.push(p.to_string());
                }
            }
        }
        out
    };
    let vi_pieces = pieces(&vi, &en);
    let en_pieces = pieces(&en, &vi);
    let keys: Vec<&String> = vi.keys().filter(|k| k.contains('.') && !k.starts_with("error.")).collect();
    // The books' own data (names, typed memos, places) is Vietnamese whatever the language: take
    // every stored text out of the output before looking for words. (Memos the core writes itself,
    // such as "Hội phí tháng 01/2026", are notices — a key and raw parameters — said in the reader's
    // language; only their parameters, names and typed reasons, are data.)
    let mut stored: Vec<String> = Vec::new();
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.chars().count() >= 4 => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    for args in [&["fund", "journal", "--json"][..], &["member", "list", "--json", "--all"], &["club", "show", "--json"], &["meeting", "list", "--json"],
        &["activity", "list", "--json"], &["loan", "list", "--json"], &["audit", "--json", "--limit", "100000"]] {
        let out = ishc(&db, args);
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&out.stdout) {
            strings(&v, &mut stored);
        }
    }
    stored.sort_by_key(|s| std::cmp::Reverse(s.len()));
    assert!(stored.len() > 100, "the demo's data was read: {}", stored.len());
    let commands: &[&[&str]] = &[
        &["club", "show"], &["composition"], &["member", "list"], &["member", "show", "3"], &["presets"], &["audit", "--limit", "20"],
        &["fund", "balance"], &["fund", "cashbook", "--from", "01/01/2026", "--to", "22/11/2026"],
        &["fund", "summary", "--from", "01/01/2026", "--to", "22/11/2026"], &["fund", "journal", "--from", "01/10/2026"],
        &["fund", "dues-grid", "--month", "2026-11"], &["meeting", "list", "--year", "2026"], &["meeting", "grid", "--year", "2026"],
        &["activity", "list"], &["standard", "--year", "2025"], &["loan", "rules"], &["loan", "list"], &["loan", "waiting"],
        &["loan", "portfolio"], &["key", "show"], &["check"],
        &["--as", "Demo", "fund", "count", "--fund", "activity", "--notes", "500000=1", "--counted-by", "A", "--witness", "B", "--reason", "thử"],
        &["member", "import", "import.csv", "--dry-run"],
    ];
    std::fs::write(db.parent().unwrap().join("import.csv"), "Họ và tên,Giới tính,Năm sinh,Ngày vào\nĐỗ Thị Mơ,Nữ,1956,01/11/2026\nLê Văn,X,1700,01/11/2026\n").unwrap();
    for lang in ["vi", "en"] {
        let (foreign, own) = if lang == "vi" { (&en_pieces, "vi") } else { (&vi_pieces, "en") };
        for args in commands {
            let mut all = vec!["--lang", own];
            all.extend_from_slice(args);
            let out = Command::new(env!("CARGO_BIN_EXE_ishc"))
                .args(&all)
                .current_dir(db.parent().unwrap())
                .env("ISHC_DB", &db)
                .env("ISHC_TODAY", TODAY)
                .env("ISHC_PASSPHRASE", PASS)
                .env_remove("ISHC_ACTOR")
                .env_remove("ISHC_LANG")
                .output()
                .unwrap();
            let mut text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
            for s in &stored {
                text = text.replace(s.as_str(), "");
            }
            for p in foreign {
                assert!(!text.contains(p.as_str()), "--lang {lang} {args:?} says {p:?} of the other language:\n{text}");
            }
            for k in &keys {
                assert!(!text.contains(k.as_str()), "--lang {lang} {args:?} shows the raw key {k}:\n{text}");
            }
        }
    }
}

#[test]
fn a_demo_goes_only_into_new_books_and_a_refused_one_leaves_no_file() {
    let (_dir, db) = temp();
    let out = ishc(&db, &["demo", "--years", "99"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Số năm") || stderr(&out).contains("demo"), "{}", stderr(&out));
    assert!(!db.exists(), "a refused demo left a ledger file behind");
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let before = std::fs::read(&db).unwrap();
    let out = ishc(&db, &["--json", "demo", "--years", "2"]);
    assert!(!out.status.success());
    let err = json_err(&out);
    assert_eq!(err["error"]["code"], "demo.not_empty");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the books are untouched");
    assert_eq!(json(&ishc(&db, &["club", "list", "--json"])).as_array().map(Vec::len), Some(1));
}

fn json_err(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON value")
}

#[test]
fn typed_money_is_never_read_as_another_amount() {
    let (_dir, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let before = json(&ishc(&db, &["fund", "balance", "--json"]));
    for typed in ["1.000.000,5", "1,5", "1.5", "5.00.000", "1,000,000.50", "abc", "-500"] {
        let out = as_board(&db, &["--json", "fund", "receipt", "--fund", "activity", "--amount", typed, "--source", "community", "--memo", "x", "--date", "22/11/2026"]);
        assert!(!out.status.success(), "{typed} was accepted");
        let err = json_err(&out);
        assert_eq!(err["error"]["params"]["field"], "ledger.amount", "{typed}: {err}");
        let rule = err["error"]["params"]["rule"]["kind"].as_str().unwrap().to_string();
        let want = match typed {
            "abc" => "not_a_number",
            "-500" => "negative",
            "5.00.000" => "money_groups",
            _ => "money_decimal",
        };
        assert_eq!(rule, want, "{typed}");
        let msg = stderr(&out);
        if want.starts_with("money_") {
            assert!(msg.contains("1.500.000") && msg.contains("1500000"), "{typed}: the message shows the accepted forms: {msg}");
        }
        assert!(msg.starts_with("ishc: Số tiền:"), "{typed}: the message names the field: {msg}");
    }
    let out = as_board(&db, &["--json", "loan", "apply", "--member", "3", "--amount", "1,5", "--purpose", "livestock", "--months", "12", "--date", "22/11/2026"]);
    assert!(!out.status.success());
    assert_eq!(json_err(&out)["error"]["params"]["rule"]["kind"], "money_decimal");
    assert_eq!(json(&ishc(&db, &["fund", "balance", "--json"])), before, "nothing was recorded");
    // Accepted forms all mean the same amount.
    for typed in ["1.500.000", "1500000", "1 500 000", "1,500,000", "1.500.000 đ", "1.500.000đồng"] {
        let e = json(&as_board(&db, &["--json", "fund", "receipt", "--fund", "activity", "--amount", typed, "--source", "community", "--memo", "x", "--date", "22/11/2026"]));
        assert_eq!(e["postings"].as_array().unwrap().iter().map(|p| p["amount"].as_i64().unwrap()).filter(|a| *a > 0).sum::<i64>(), 1_500_000, "{typed}");
    }
    // A cash count whose notes would overflow is refused, not wrapped into a small sum.
    let out = as_board(&db, &["--json", "fund", "count", "--fund", "activity", "--counted-by", "A", "--witness", "B", "--reason", "x", "--date", "22/11/2026",
        "--notes", "1000=4611686018427387904,1000=4611686018427387904,1000=4611686018427387904,1000=4611686018427387904,1000=154"]);
    assert!(!out.status.success(), "an overflowing count was accepted: {}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn names_with_control_or_invisible_characters_are_refused_by_name() {
    let (_dir, db) = temp();
    init(&db);
    for (name, at) in [("Lan\u{1b}[31m", "U+001B"), ("\u{202e}naL", "U+202E"), ("Nguyễn\u{200b}Lan", "U+200B"), ("\u{feff}Lan", "U+FEFF"), ("\u{200b}", "U+200B"), ("\t=1+1", "U+0009")] {
        let out = ishc(&db, &["--as", "Lê Thị Hoa", "--json", "member", "add", "--name", name, "--sex", "F", "--born", "1950", "--joined", "01/06/2020"]);
        assert!(!out.status.success(), "{name:?} was accepted");
        let err = json_err(&out);
        assert_eq!(err["error"]["params"]["rule"]["character"], at, "{name:?}");
        assert!(stderr(&out).contains(at));
    }
    let list = json(&ishc(&db, &["member", "list", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "only the founding chairperson");
}

/// Standard base64 (the second line of a minisign `.pub` file), decoded here so the test does not
/// lean on the code it checks.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// SHA-256 of the decoded public key of a `.pub` file, first 16 bytes, upper-case hex by four.
fn fingerprint_of_pub_file(pub_file: &str) -> String {
    use sha2::Digest;
    let raw = base64_decode(pub_file.lines().nth(1).expect("a second line").trim());
    assert_eq!((raw.len(), &raw[..2]), (42, &b"Ed"[..]), "algorithm, key id, Ed25519 key");
    let hex: String = sha2::Sha256::digest(&raw)[..16].iter().map(|b| format!("{b:02X}")).collect();
    hex.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ")
}

// --- Output to a closed pipe, and files from outside ---------------------------------------------

/// `ishc ARGS` with standard output piped: read one byte, close the pipe, and return how it ended.
fn first_byte_then_close(db: &Path, args: &[&str]) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ishc"))
        .args(args)
        .env("ISHC_DB", db)
        .env("ISHC_TODAY", TODAY)
        .env_remove("ISHC_LANG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ishc runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).expect("ishc printed something");
    drop(stdout);
    child.wait_with_output().unwrap()
}

#[test]
fn a_reader_that_goes_away_ends_the_program_quietly() {
    let (_d, db) = temp();
    json(&ishc(&db, &["demo", "--years", "10", "--json"]));
    // Far more than a pipe holds (64 KiB), so the writer is still writing when the pipe closes.
    let whole = ishc(&db, &["fund", "journal"]);
    assert!(whole.status.success() && whole.stdout.len() > 128 * 1024, "{} bytes", whole.stdout.len());
    for args in [&["fund", "journal"][..], &["fund", "journal", "--json"], &["--lang", "en", "fund", "journal"]] {
        let out = first_byte_then_close(&db, args);
        let err = stderr(&out);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe") && err.is_empty(), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: the code a shell gives a program ended by SIGPIPE");
    }
    // `ishc report` writes its bytes through the same door. Its page (about 22 KB) can fit whole in
    // the pipe before the reader goes, so it may also end normally; it never panics or complains.
    let out = first_byte_then_close(&db, &["report", "--period", "2025", "--format", "html"]);
    assert!(stderr(&out).is_empty() && matches!(out.status.code(), Some(141) | Some(0)), "{:?} {}", out.status, stderr(&out));
}

/// `ishc ARGS` (with the test passphrase) that must end within 10 seconds: a regression that reads a
/// FIFO or `/dev/zero` fails the test instead of hanging the run or eating the memory.
fn ishc_within_10s(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ishc"));
    cmd.args(args)
        .env("ISHC_DB", db)
        .env("ISHC_TODAY", TODAY)
        .env("ISHC_PASSPHRASE", PASS)
        .env_remove("ISHC_LANG")
        .env_remove("ISHC_NEW_PASSPHRASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("ishc runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ishc {args:?} is still running after 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn verify_refuses_a_fifo_at_once_and_a_huge_key_file_by_name() {
    let (dir, db) = temp();
    init(&db);
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let bundle = bundle_via_core(&db, &stick);
    let nowhere = dir.path().join("none").join("ledger.sqlite");

    // A FIFO: opening it for reading would wait for a writer forever. Run with a deadline, so a
    // regression fails instead of hanging the test run.
    let fifo = dir.path().join("bundle.zip");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = ishc_within_10s(&nowhere, &["verify", fifo.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("không phải là một tệp thường") && stderr(&out).contains("bundle.zip"), "{}", stderr(&out));

    // --key pointing at a 600 MB file (sparse: nothing is really written): refused before it is read.
    let huge = dir.path().join("club.pub");
    std::fs::File::create(&huge).unwrap().set_len(600 * 1024 * 1024).unwrap();
    let out = ishc_within_10s(&nowhere, &["verify", bundle.to_str().unwrap(), "--key", huge.to_str().unwrap(), "--json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["error"]["code"], "file.too_large");
    assert_eq!(body["error"]["params"]["path"], huge.to_str().unwrap());
    let out = ishc_within_10s(&nowhere, &["verify", bundle.to_str().unwrap(), "--key", huge.to_str().unwrap()], &[]);
    assert!(stderr(&out).contains("quá lớn") && stderr(&out).contains(huge.to_str().unwrap()), "{}", stderr(&out));
    // And a device given as the key.
    let out = ishc_within_10s(&nowhere, &["verify", bundle.to_str().unwrap(), "--key", "/dev/zero"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/dev/zero") && stderr(&out).contains("không phải là một tệp thường"), "{}", stderr(&out));
    assert!(!nowhere.parent().unwrap().exists());
}

#[test]
fn minutes_passphrase_and_preset_files_are_capped_before_they_are_read() {
    let (dir, db) = temp();
    init(&db);
    let add = |minutes_file: &str| {
        ishc_within_10s(
            &db,
            &["--as", "Lê Thị Hoa", "meeting", "add", "--date", "22/11/2026", "--chair", "1", "--present", "1",
              "--minutes-file", minutes_file, "--json"],
            &[],
        )
    };
    // /dev/zero never ends: refused as not a regular file, at once.
    let out = add("/dev/zero");
    assert_eq!(out.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["error"]["code"], "file.not_regular");
    assert_eq!(body["error"]["params"]["path"], "/dev/zero");
    // A file larger than the longest minutes could be (20 000 characters × 4 bytes).
    let big = dir.path().join("bien-ban.txt");
    std::fs::write(&big, vec![b'a'; 80_001]).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&add(big.to_str().unwrap()).stdout).unwrap();
    assert_eq!(body["error"]["code"], "file.too_large");
    assert_eq!(json(&ishc(&db, &["meeting", "list", "--json"])).as_array().unwrap().len(), 0, "nothing recorded");

    // A passphrase file and a preset file from a device: refused by name.
    let out = ishc_within_10s(&db, &["--as", "Lê Thị Hoa", "key", "rotate", "--passphrase-file", "/dev/zero"], &[("ISHC_PASSPHRASE", ""), ("ISHC_NEW_PASSPHRASE", "mật khẩu mới dài")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/dev/zero") && stderr(&out).contains("không phải là một tệp thường"), "{}", stderr(&out));
    let out = ishc_within_10s(&db, &["--as", "Lê Thị Hoa", "presets", "add", "/dev/zero"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/dev/zero") && stderr(&out).contains("không phải là một tệp thường"), "{}", stderr(&out));
}

#[test]
fn the_commune_rolls_up_clubs_report_files_in_four_formats() {
    let dir = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for (i, seed) in ["7", "11"].iter().enumerate() {
        let db = dir.path().join(format!("club{i}.sqlite"));
        json(&ishc(&db, &["demo", "--years", "2", "--members", "40", "--seed", seed, "--json"]));
        let out = dir.path().join(format!("club{i}.json"));
        let done = ishc(&db, &["report", "--period", "2025", "--out", out.to_str().unwrap()]);
        assert!(done.status.success(), "{}", stderr(&done));
        reports.push(out);
    }
    let db = dir.path().join("unused.sqlite");
    let path = |p: &PathBuf| p.to_str().unwrap().to_string();
    let rollup = |extra: &[&str]| {
        let mut args = vec!["commune", "rollup", "--period", "2025", "--hamlets", "8"];
        args.extend_from_slice(extra);
        ishc(&db, &args)
    };
    // The two demo clubs carry the same name and hamlet: the same club twice is refused.
    let out_json = dir.path().join("tong-hop.json");
    let refused = rollup(&["--out", &path(&out_json), "--from-report", &path(&reports[0]), "--from-report", &path(&reports[1])]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("hai báo cáo"), "{}", stderr(&refused));
    assert!(!out_json.exists());
    // Renamed, the second is another club.
    let mut second: serde_json::Value = serde_json::from_slice(&std::fs::read(&reports[1]).unwrap()).unwrap();
    second["club"]["name"] = "CLB Xóm Bắc".into();
    second["club"]["hamlet"] = "Xóm Bắc".into();
    std::fs::write(&reports[1], serde_json::to_vec_pretty(&second).unwrap()).unwrap();
    let first: serde_json::Value = serde_json::from_slice(&std::fs::read(&reports[0]).unwrap()).unwrap();

    let done = json(&rollup(&["--json", "--out", &path(&out_json), "--from-report", &path(&reports[0]), &path(&reports[1])]));
    assert_eq!(done["clubs"], 2);
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_json).unwrap()).unwrap();
    assert_eq!(r["format"], "ishc-rollup");
    let sum = |p: &[&str]| {
        let get = |v: &serde_json::Value| p.iter().fold(v.clone(), |v, k| v[*k].clone()).as_i64().unwrap();
        get(&first) + get(&second)
    };
    assert_eq!(r["totals"]["members"]["members"].as_i64().unwrap(), sum(&["members", "end", "members"]));
    assert_eq!(r["totals"]["loans_outstanding"].as_i64().unwrap(), sum(&["loans", "at_end", "outstanding"]));
    assert_eq!(r["totals"]["hamlets_with_club"], 2);
    assert_eq!(r["commune"], first["club"]["commune"]);
    let hamlets = r["plan"]["lines"].as_array().unwrap().iter().find(|l| l["measure"] == "hamlets_with_club").unwrap().clone();
    assert_eq!(hamlets["figure"]["part"], 2);
    assert_eq!(hamlets["figure"]["whole"], 8);
    assert_eq!(hamlets["status"], "below");

    let html = dir.path().join("tong-hop.html");
    assert!(rollup(&["--format", "html", "--out", &path(&html), "--from-report", &path(&reports[0]), &path(&reports[1])]).status.success());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("BÁO CÁO TỔNG HỢP") && page.contains("CLB Xóm Bắc") && page.contains("<svg"));

    let xlsx = dir.path().join("tong-hop.xlsx");
    assert!(rollup(&["--lang", "en", "--format", "xlsx", "--out", &path(&xlsx), "--from-report", &path(&reports[0]), &path(&reports[1])]).status.success());
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");

    // DHIS2 needs the commune's organisation unit.
    let dv = dir.path().join("dhis2.json");
    let no_unit = rollup(&["--format", "dhis2", "--out", &path(&dv), "--from-report", &path(&reports[0])]);
    assert_eq!(no_unit.status.code(), Some(1), "{}", stderr(&no_unit));
    assert!(stderr(&no_unit).contains("DHIS2"), "{}", stderr(&no_unit));
    let ok = rollup(&["--format", "dhis2", "--org-unit", "DiszpKrYNg8", "--out", &path(&dv), "--from-report", &path(&reports[0]), &path(&reports[1])]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let set: serde_json::Value = serde_json::from_slice(&std::fs::read(&dv).unwrap()).unwrap();
    assert_eq!((set["period"].as_str(), set["orgUnit"].as_str()), (Some("2025"), Some("DiszpKrYNg8")));
    let members = set["dataValues"].as_array().unwrap().iter().find(|d| d["dataElement"] == "ISHC_MEMBERS").unwrap();
    assert_eq!(members["value"].as_str().unwrap().parse::<i64>().unwrap(), sum(&["members", "end", "members"]));

    // A province's own mapping with an unknown figure is refused by name, and nothing is written.
    let mapping = dir.path().join("mapping.json");
    std::fs::write(&mapping, r#"{"format":"ishc-dhis2-mapping","version":1,"data_set":"DS","mappings":[{"figure":"member","data_element":"X"}]}"#).unwrap();
    let dv2 = dir.path().join("dhis2-b.json");
    let bad = rollup(&["--format", "dhis2", "--org-unit", "OU", "--mapping", &path(&mapping), "--out", &path(&dv2), "--from-report", &path(&reports[0])]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("member"), "{}", stderr(&bad));
    assert!(!dv2.exists());

    // A report of another period, or a file that is not a report, is refused.
    let month = dir.path().join("month.json");
    let made = ishc(&dir.path().join("club0.sqlite"), &["report", "--period", "2026-10", "--out", month.to_str().unwrap()]);
    assert!(made.status.success());
    let other = rollup(&["--out", &path(&out_json), "--from-report", &path(&month)]);
    assert_eq!(other.status.code(), Some(1));
    assert!(stderr(&other).contains("10/2026"), "{}", stderr(&other));
    let not_report = rollup(&["--out", &path(&out_json), "--from-report", &path(&mapping)]);
    assert_eq!(not_report.status.code(), Some(1));
}

#[test]
fn verify_with_the_old_card_accepts_a_bundle_signed_after_a_key_change() {
    let (dir, db) = temp();
    init(&db);
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let old = json(&ishc(&db, &["key", "show", "--json"]));
    let old_fp = old["current"]["fingerprint"].as_str().unwrap().to_string();
    let old_pub = dir.path().join("old.pub");
    std::fs::write(&old_pub, old["current"]["public_key_file"].as_str().unwrap()).unwrap();
    let export = |pass: &str, period: &str| {
        let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "export", "--period", period, "--out", stick.to_str().unwrap()], &[("ISHC_PASSPHRASE", pass), ("ISHC_PIN", FOUNDER_PIN)]);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let before = export(PASS, "2025");
    let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "key", "rotate"], &[("ISHC_PASSPHRASE", PASS), ("ISHC_NEW_PASSPHRASE", "mật khẩu mới dài"), ("ISHC_PIN", FOUNDER_PIN)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let new_fp = json(&ishc(&db, &["key", "show", "--json"]))["current"]["fingerprint"].as_str().unwrap().to_string();
    let after = export("mật khẩu mới dài", "2026-Q3");

    let out = ishc(&db, &["verify", &after, "--key", old_pub.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains(&new_fp) && text.contains(&old_fp), "{text}");
    assert!(text.contains("đã đổi khóa"), "{text}");
    let v = json(&ishc(&db, &["verify", &after, "--key", old_pub.to_str().unwrap(), "--json"]));
    assert_eq!(v["ok"], true);
    assert_eq!(v["checked_against"], "endorsed_by_given_key");
    assert_eq!(v["fingerprint"], new_fp.as_str());
    assert_eq!(v["previous_fingerprint"], old_fp.as_str());
    // The bundle before the change checks with the old key as given.
    let v = json(&ishc(&db, &["verify", &before, "--key", old_pub.to_str().unwrap(), "--json"]));
    assert_eq!(v["checked_against"], "given_key");
    // A key that neither signed nor endorsed: refused, naming fingerprints.
    let (_d2, db2) = temp();
    init(&db2);
    let stranger = json(&ishc(&db2, &["key", "show", "--json"]));
    let out = ishc(&db, &["verify", &after, "--key", stranger["current"]["public_key"].as_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(stranger["current"]["fingerprint"].as_str().unwrap()), "{}", stderr(&out));
}

/// The commune's inbox on real files: a commune ledger beside a club's (`--db` typed names it even
/// when ISHC_DB names the club's), a club registered from its card's fingerprint, its bundles
/// imported from a stick — twice, changing nothing the second time —, a tampered copy refused with
/// its reason, a key change followed, and who reported.
#[test]
fn the_commune_registers_a_club_and_imports_its_stick() {
    let (dir, db) = temp();
    init(&db);
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let export = |pass: &str, period: &str| {
        let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "export", "--period", period, "--out", stick.to_str().unwrap()], &[("ISHC_PASSPHRASE", pass), ("ISHC_PIN", FOUNDER_PIN)]);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let first = export(PASS, "2025");
    let key = json(&ishc(&db, &["key", "show", "--json"]));
    let fp = key["current"]["fingerprint"].as_str().unwrap().to_string();
    let club_pub = dir.path().join("club.pub");
    std::fs::write(&club_pub, key["current"]["public_key_file"].as_str().unwrap()).unwrap();

    let cdb = dir.path().join("xa.sqlite");
    let c = cdb.to_str().unwrap();
    let commune = |args: &[&str]| {
        let mut full = vec!["--db", c, "--as", "Cán bộ xã"];
        full.extend_from_slice(args);
        // ISHC_DB names the club's ledger: the commune's commands must not use it.
        ishc_with(&db, &full, &[("ISHC_PASSPHRASE", "mật khẩu của xã")])
    };
    let made = json(&commune(&["commune", "init", "--name", "Xã Quảng Hòa", "--district", "Huyện Quảng Xương", "--province", "Tỉnh Thanh Hóa", "--json"]));
    assert_eq!(made["deadline_day"], 10);
    // The club's ledger is not the commune's.
    let wrong = ishc_with(&db, &["--db", db.to_str().unwrap(), "commune", "clubs"], &[]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("không phải sổ của xã"), "{}", stderr(&wrong));

    // A fingerprint that is not the card's: refused, nothing registered.
    let other = "0000 1111 2222 3333 4444 5555 6666 7777";
    let out = commune(&["commune", "register", "--name", "CLB Đông Hòa", "--hamlet", "Thôn Đông", "--key", club_pub.to_str().unwrap(), "--fingerprint", other]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("KHÔNG khớp"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&fp), "the key's own fingerprint is never shown to copy");
    let typed = fp.to_lowercase().replace(' ', "");
    let reg = json(&commune(&["commune", "register", "--club-name", "CLB Đông Hòa", "--hamlet", "Thôn Đông", "--key", club_pub.to_str().unwrap(), "--fingerprint", &typed, "--json"]));
    assert_eq!(reg["fingerprint"], fp.as_str());

    // A tampered copy on the stick, and the stick imported.
    let mut bytes = std::fs::read(&first).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    std::fs::write(stick.join("copy.zip"), &bytes).unwrap();
    let second = export(PASS, "2026-Q3");
    let r = json(&commune(&["commune", "import", stick.to_str().unwrap(), "--json"]));
    let seqs: Vec<i64> = r["accepted"].as_array().unwrap().iter().map(|a| a["sequence"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2]);
    assert_eq!(r["refused"].as_array().unwrap().len(), 1);
    assert!(r["refused"][0]["reason"]["code"].as_str().unwrap().starts_with("bundle."), "{}", r["refused"][0]);
    assert!(r["refused"][0]["path"].as_str().unwrap().ends_with("copy.zip"));
    // Twice: nothing changes; every bundle is a replay, never counted again.
    let clubs_before = json(&commune(&["commune", "clubs", "--json"]));
    let again = json(&commune(&["commune", "import", stick.to_str().unwrap(), "--json"]));
    assert_eq!(again["accepted"].as_array().unwrap().len(), 0);
    let reasons: Vec<&str> = again["refused"].as_array().unwrap().iter().map(|x| x["reason"]["code"].as_str().unwrap()).collect();
    assert_eq!(reasons.iter().filter(|c| **c == "bundle.replay").count(), 2);
    assert_eq!(json(&commune(&["commune", "clubs", "--json"])), clubs_before);
    assert_eq!(clubs_before[0]["bundles"], 2);
    // In words: each bundle with its reason.
    let text = String::from_utf8_lossy(&commune(&["commune", "import", second.as_str()]).stdout).to_string();
    assert!(text.contains("đã nhận rồi"), "{text}");
    assert!(text.trim_end().ends_with("Đã xem 1 tệp: nhận 0 gói, không nhận 1."), "the rows as they come, then the counts: {text}");

    // A backup of the inbox beside it, checked: a whole inbox that opens and checks on its own.
    let b = json(&commune(&["commune", "backup", "--json"]));
    let copy = b["made"]["path"].as_str().unwrap().to_string();
    assert!(copy.starts_with(dir.path().join("backups").to_str().unwrap()) && copy.ends_with(".sqlite"), "{copy}");
    assert_eq!(b["made"]["clubs"][0]["name"], "CLB Đông Hòa");
    let checked = ishc_with(&db, &["--db", &copy, "commune", "check", "--json"], &[]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert_eq!(json(&checked)["received"], 2);

    // The club changes keys; the next bundle carries the old key's word for the new one.
    let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "key", "rotate"], &[("ISHC_PASSPHRASE", PASS), ("ISHC_NEW_PASSPHRASE", "mật khẩu mới dài"), ("ISHC_PIN", FOUNDER_PIN)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let third = export("mật khẩu mới dài", "2026-Q4");
    let r = json(&commune(&["commune", "import", third.as_str(), "--json"]));
    assert_eq!(r["accepted"][0]["flags"][0]["code"], "commune.key_rotated");
    let clubs = json(&commune(&["commune", "clubs", "--json"]));
    assert_eq!(clubs[0]["keys"].as_array().unwrap().len(), 2);
    assert_ne!(clubs[0]["fingerprint"], fp.as_str());

    // Who reported for 2025 (due 10/12/2025: today is 22/11/2026, the bundle came today: late).
    let s = json(&commune(&["commune", "status", "--period", "2025", "--json"]));
    assert_eq!(s["deadline"], "2025-12-10");
    assert_eq!(s["clubs"][0]["state"], "late");
    assert_eq!(s["clubs"][0]["received_on"], "2026-11-22");
    let late = String::from_utf8_lossy(&commune(&["--lang", "en", "commune", "late", "--period", "2026"]).stdout).to_string();
    assert!(late.contains("not reported yet, not yet due"), "{late}");
    // The deadline changed later: judged by the new day; a day not every year has is refused
    // naming the field, and the old day stays.
    let set = commune(&["commune", "settings", "--deadline", "13/12"]);
    assert!(String::from_utf8_lossy(&set.stdout).contains("13/12"), "{}", stderr(&set));
    let s = json(&commune(&["commune", "status", "--period", "2025", "--json"]));
    assert_eq!(s["deadline"], "2025-12-13");
    let bad = commune(&["commune", "settings", "--deadline", "29/02"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("Hạn nộp"), "{}", stderr(&bad));
    assert_eq!(json(&commune(&["commune", "settings", "--deadline", "10/12", "--json"]))["deadline_day"], 10);

    // The roll-up reads the inbox when no report file is named: the club's 2025 report, under the
    // commune's own name, its figures the club's.
    let club_json = dir.path().join("clb-2025.json");
    let done = ishc(&db, &["report", "--period", "2025", "--out", club_json.to_str().unwrap()]);
    assert!(done.status.success(), "{}", stderr(&done));
    let club: serde_json::Value = serde_json::from_slice(&std::fs::read(&club_json).unwrap()).unwrap();
    let out = dir.path().join("tong-hop-2025.json");
    let done = json(&commune(&["commune", "rollup", "--period", "2025", "--out", out.to_str().unwrap(), "--json"]));
    assert_eq!(done["clubs"], 1);
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(r["commune"], "Xã Quảng Hòa");
    let n = |v: &serde_json::Value| v.as_i64().unwrap_or_else(|| panic!("a number: {v}"));
    assert_eq!(n(&r["totals"]["members"]["members"]), n(&club["members"]["end"]["members"]));
    assert_eq!(n(&r["totals"]["loans_outstanding"]), n(&club["loans"]["at_end"]["outstanding"]));

    // Every club side by side for the period, and the roll-up under the issue's name too.
    let side = json(&commune(&["commune", "clubs", "--period", "2025", "--json"]));
    assert_eq!(side["clubs"][0]["members"]["members"], club["members"]["end"]["members"]);
    let words = String::from_utf8_lossy(&commune(&["commune", "clubs", "--period", "2025"]).stdout).to_string();
    assert!(words.contains("CLB Đông Hòa (Thôn Đông):") && words.contains("thành viên"), "{words}");
    let again = dir.path().join("bao-cao-xa.json");
    assert_eq!(json(&commune(&["commune", "report", "--period", "2025", "--out", again.to_str().unwrap(), "--json"]))["clubs"], 1);

    // One level up: the commune sends its signed roll-up; the district registers the commune's key
    // from its fingerprint and imports it as the commune imports clubs.
    let up = dir.path().join("len-huyen");
    std::fs::create_dir(&up).unwrap();
    let bad = commune(&["commune", "export", "--period", "2025", "--out", dir.path().join("khong-co").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    let sent = json(&commune(&["commune", "export", "--period", "2025", "--hamlets", "6", "--out", up.to_str().unwrap(), "--json"]));
    assert_eq!(sent["sequence"], 1);
    let bundle = sent["path"].as_str().unwrap().to_string();
    let commune_pub = dir.path().join("xa.pub");
    let k = json(&commune(&["commune", "key", "--out", commune_pub.to_str().unwrap(), "--json"]));
    assert_eq!(k["fingerprint"], made["key_fingerprint"]);
    let v = json(&ishc(&db, &["verify", &bundle, "--key", commune_pub.to_str().unwrap(), "--json"]));
    assert_eq!(v["ok"], true, "{v}");
    let hdb = dir.path().join("huyen.sqlite");
    let h = hdb.to_str().unwrap();
    let district = |args: &[&str]| {
        let mut full = vec!["--db", h, "--as", "Cán bộ huyện"];
        full.extend_from_slice(args);
        ishc_with(&db, &full, &[("ISHC_PASSPHRASE", "mật khẩu của huyện")])
    };
    let bad = district(&["commune", "init", "--level", "tỉnh thành", "--name", "Huyện Quảng Xương", "--province", "Tỉnh Thanh Hóa"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("Cấp"), "{}", stderr(&bad));
    let made_h = json(&district(&["commune", "init", "--level", "district", "--name", "Huyện Quảng Xương", "--province", "Tỉnh Thanh Hóa", "--json"]));
    assert_eq!(made_h["level"], "district");
    let typed = k["fingerprint"].as_str().unwrap().to_lowercase();
    let reg = district(&["commune", "register", "--name", "Xã Quảng Hòa", "--key", commune_pub.to_str().unwrap(), "--fingerprint", &typed]);
    assert!(reg.status.success(), "{}", stderr(&reg));
    // The club's own bundles on the same stick are not the district's to count.
    let got = json(&district(&["commune", "import", up.to_str().unwrap(), first.as_str(), "--json"]));
    assert_eq!(got["accepted"].as_array().unwrap().len(), 1, "{got}");
    assert_eq!(got["refused"][0]["reason"]["code"], "bundle.unregistered", "{got}");
    let again = json(&district(&["commune", "import", up.to_str().unwrap(), "--json"]));
    assert_eq!(again["refused"][0]["reason"]["code"], "bundle.replay");
    let out = dir.path().join("huyen-2025.json");
    let done = json(&district(&["commune", "rollup", "--period", "2025", "--out", out.to_str().unwrap(), "--json"]));
    assert_eq!(done["clubs"], 1);
    let d: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(d["level"], "district");
    assert_eq!(d["parts"][0]["name"], "Xã Quảng Hòa");
    assert_eq!(n(&d["totals"]["members"]["members"]), n(&club["members"]["end"]["members"]));
    assert_eq!(n(&d["totals"]["funds_total"]), n(&r["totals"]["funds_total"]));
    let parts = json(&district(&["commune", "clubs", "--period", "2025", "--json"]));
    assert_eq!((parts["level"].as_str(), parts["parts"][0]["name"].as_str()), (Some("district"), Some("Xã Quảng Hòa")));

    // Both inboxes check whole; figures edited behind the triggers' back are found, exit 1.
    let ok = json(&commune(&["commune", "check", "--json"]));
    assert_eq!((ok["ok"].as_bool(), ok["received"].as_i64(), ok["sent"].as_i64()), (Some(true), Some(3), Some(1)), "{ok}");
    assert_eq!(json(&district(&["commune", "check", "--json"]))["ok"], true);
    let conn = rusqlite::Connection::open(&hdb).unwrap();
    conn.execute_batch("DROP TRIGGER received_no_update; UPDATE received SET report_json = replace(report_json, '\"members\"', '\"member\"');").unwrap();
    drop(conn);
    let bad = district(&["commune", "check"]);
    assert_eq!(bad.status.code(), Some(1));
    let said = String::from_utf8_lossy(&bad.stdout).to_string();
    assert!(said.contains("Gói số 1 của Xã Quảng Hòa") && said.contains("khác với báo cáo đã ký"), "{said}");
}

#[test]
fn board_sign_ins_from_the_command_line() {
    let (_d, db) = temp();
    init(&db);
    let add = |name: &str, role: &str| -> i64 {
        let m = json(&ishc(&db, &["--as", "Lê Thị Hoa", "member", "add", "--name", name, "--sex", "F", "--born", "1960",
                                  "--joined", "2020-01-01", "--role", role, "--json"]));
        m["id"].as_i64().unwrap()
    };
    // `init` made the founder the chairperson's sign-in (PIN 1111) and printed the recovery code.
    let chair = json(&ishc(&db, &["member", "list", "--json"]))[0]["id"].as_i64().unwrap();
    let code = init_recovery_code(&db);
    let secretary = add("Phạm Thị Thu", "secretary");
    let treasurer = add("Trịnh Thị Loan", "treasurer");
    let (chair_s, secretary_s, treasurer_s) = (chair.to_string(), secretary.to_string(), treasurer.to_string());

    // Set-up happens once; a PIN never comes from an argument.
    let out = ishc_with(&db, &["user", "set-up", "--member", &chair_s, "--json"], &[("ISHC_NEW_PIN", "1234")]);
    assert_eq!(json_err(&out)["error"]["code"], "auth.setup_done");
    // Without a terminal or ISHC_NEW_PIN, adding says which variable to set.
    let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "user", "add", "--member", &secretary_s, "--json"], &[("ISHC_PIN", "1111")]);
    assert_eq!(json_err(&out)["error"]["code"], "pin.missing");
    assert_eq!(json_err(&out)["error"]["params"]["var"], "ISHC_NEW_PIN");
    // Nor can a write go without the actor's own PIN.
    let out = ishc_with(&db, &["--as", "Lê Thị Hoa", "--json", "fund", "receipt", "--fund", "activity", "--amount", "10000",
                               "--source", "community", "--date", "22/11/2026"], &[]);
    assert_eq!(json_err(&out)["error"]["params"]["var"], "ISHC_PIN");

    for (id, pin) in [(&secretary_s, "2222"), (&treasurer_s, "3333")] {
        json(&ishc_with(&db, &["--as", "le thi hoa", "user", "add", "--member", id, "--json"],
                        &[("ISHC_PIN", "1111"), ("ISHC_NEW_PIN", pin)]));
    }
    let list = json(&ishc(&db, &["user", "list", "--json"]));
    let rows: Vec<(String, serde_json::Value)> =
        list.as_array().unwrap().iter().map(|r| (r["name"].as_str().unwrap().to_string(), r["roles"].clone())).collect();
    assert_eq!(rows, vec![
        ("Lê Thị Hoa".to_string(), serde_json::json!(["chair"])),
        ("Phạm Thị Thu".to_string(), serde_json::json!(["secretary"])),
        ("Trịnh Thị Loan".to_string(), serde_json::json!(["treasurer"])),
    ]);
    let loan_id = list[2]["id"].as_i64().unwrap().to_string();
    // The text list says the roles in words.
    let text = String::from_utf8(ishc(&db, &["user", "list"]).stdout).unwrap();
    assert!(text.contains("Thư ký / kế toán") && text.contains("Thủ quỹ"), "{text}");

    // Each role is refused what the table does not give it, by the CLI as by the core, and the
    // books are untouched: the secretary moves no money, the treasurer corrects no voucher.
    let before = std::fs::read(&db).unwrap();
    let receipt = ["--json", "fund", "receipt", "--fund", "activity", "--amount", "10.000", "--source", "community", "--date", "22/11/2026"];
    let out = ishc_with(&db, &[&["--as", "Phạm Thị Thu"][..], &receipt].concat(), &[("ISHC_PIN", "2222")]);
    assert_eq!(json_err(&out)["error"]["code"], "auth.forbidden");
    assert_eq!(json_err(&out)["error"]["params"]["roles"], serde_json::json!(["treasurer", "chair"]));
    assert!(stderr(&out).contains("Thủ quỹ / Chủ nhiệm"), "{}", stderr(&out));
    let audit_before = json(&ishc(&db, &["audit", "--json"])).as_array().unwrap().len();
    let e = json(&ishc_with(&db, &[&["--as", "Trịnh Thị Loan"][..], &receipt].concat(), &[("ISHC_PIN", "3333")]));
    let out = ishc_with(&db, &["--as", "Trịnh Thị Loan", "--json", "fund", "reverse", e["voucher"].as_str().unwrap(), "--reason", "Ghi nhầm"],
                        &[("ISHC_PIN", "3333")]);
    assert_eq!(json_err(&out)["error"]["params"]["roles"], serde_json::json!(["chair", "vice_chair"]));
    assert_eq!(json(&ishc(&db, &["audit", "--json"])).as_array().unwrap().len(), audit_before + 1, "the receipt; the refused reversal wrote nothing");
    assert_ne!(std::fs::read(&db).unwrap(), before);

    // The secretary may not reset the treasurer's PIN: refused, naming the roles needed.
    let out = ishc_with(&db, &["--as", "Phạm Thị Thu", "user", "reset-pin", &loan_id],
                        &[("ISHC_PIN", "2222"), ("ISHC_NEW_PIN", "9999")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cần người giữ vai trò Chủ nhiệm / Phó chủ nhiệm"), "{}", stderr(&out));
    let out = ishc_with(&db, &["--as", "Phạm Thị Thu", "--lang", "en", "user", "remove", &loan_id, "--json"],
                        &[("ISHC_PIN", "2222")]);
    let err = json_err(&out)["error"].clone();
    assert_eq!(err["code"], "auth.forbidden");
    assert_eq!(err["params"]["roles"], serde_json::json!(["chair", "vice_chair"]));
    assert!(err["message"].as_str().unwrap().contains("Chairperson / Vice-chair"), "{err}");

    // A wrong PIN is refused, counted and audited; the next attempt must wait.
    let out = ishc_with(&db, &["--as", "Trịnh Thị Loan", "user", "set-pin", "--json"],
                        &[("ISHC_PIN", "0000"), ("ISHC_NEW_PIN", "4444")]);
    let err = json_err(&out)["error"].clone();
    assert_eq!(err["code"], "auth.wrong_pin");
    assert_eq!(err["params"]["failures"], 1);
    let list = json(&ishc(&db, &["user", "list", "--json"]));
    assert_eq!(list[2]["failures"], 1);
    let audit = json(&ishc(&db, &["audit", "--json"]));
    assert_eq!(audit[0]["action"], "auth.wrong_pin");
    assert_eq!(audit[0]["actor"], "Trịnh Thị Loan");

    // The chair resets the forgotten PIN; the treasurer signs in with it.
    json(&ishc_with(&db, &["--as", "Lê Thị Hoa", "user", "reset-pin", &loan_id, "--json"],
                    &[("ISHC_PIN", "1111"), ("ISHC_NEW_PIN", "5555")]));
    json(&ishc_with(&db, &["--as", "Trịnh Thị Loan", "user", "set-pin", "--json"],
                    &[("ISHC_PIN", "5555"), ("ISHC_NEW_PIN", "6666")]));

    // Every PIN lost: the recovery code lets the chair set a new one, and is replaced.
    let out = ishc_with(&db, &["user", "recover", "--member", &chair_s, "--json"],
                        &[("ISHC_RECOVERY_CODE", "ABCD-EFGH-JKMN-PQRS"), ("ISHC_NEW_PIN", "7777")]);
    assert_eq!(json_err(&out)["error"]["code"], "auth.wrong_recovery");
    let again = json(&ishc_with(&db, &["user", "recover", "--member", &chair_s, "--json"],
                                &[("ISHC_RECOVERY_CODE", &code.to_lowercase()), ("ISHC_NEW_PIN", "7777")]));
    assert_ne!(again["recovery_code"], code);
    json(&ishc_with(&db, &["--as", "Lê Thị Hoa", "user", "remove", &loan_id, "--json"], &[("ISHC_PIN", "7777")]));
    assert_eq!(json(&ishc(&db, &["user", "list", "--json"])).as_array().unwrap().len(), 2);
    // Everything above was sealed and audited: the books check.
    assert_eq!(json(&ishc(&db, &["check", "--json"]))["ok"], true);
}

/// `ishc demo` prints the board's demo PINs (as it prints the passphrase), and they sign in.
#[test]
fn the_demo_prints_its_board_pins_and_they_sign_in() {
    let (_d, db) = temp();
    let out = ishc(&db, &["demo", "--years", "1", "--members", "20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("mã PIN 1111") && text.contains("mã PIN 3333") && text.contains("mã PIN 4444"), "{text}");
    assert!(text.contains("CHBD-EMXA-2345-6789"), "{text}");
    let list = json(&ishc(&db, &["user", "list", "--json"]));
    let treasurer = list.as_array().unwrap().iter().find(|r| r["roles"] == serde_json::json!(["treasurer"])).unwrap();
    let name = treasurer["name"].as_str().unwrap();
    assert!(text.contains(&format!("{name}, Thủ quỹ, mã PIN 3333")), "{text}");
    json(&ishc_with(&db, &["--as", name, "user", "set-pin", "--json"], &[("ISHC_PIN", "3333"), ("ISHC_NEW_PIN", "3333")]));
    let out = ishc_with(&db, &["--as", name, "user", "set-pin", "--json"], &[("ISHC_PIN", "1111"), ("ISHC_NEW_PIN", "3333")]);
    assert_eq!(json_err(&out)["error"]["code"], "auth.wrong_pin");
}

/// `ishc fund notice`: the month's public fund notice as a page and as JSON, no name in it, its
/// check code found in the books, a code the books do not hold said plainly with exit 1.
#[test]
fn the_public_fund_notice_prints_and_its_code_checks() {
    let (dir, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let n = json(&ishc(&db, &["fund", "notice", "--month", "10/2026", "--json"]));
    assert_eq!(n["month"], "2026-10");
    let report = json(&ishc(&db, &["report", "--period", "2026-10", "--json"]));
    assert_eq!(n["funds"], report["funds"], "the report's own figures");
    let page = dir.path().join("cong-khai-quy.html");
    let written = json(&ishc(&db, &["fund", "notice", "--month", "2026-10", "--out", page.to_str().unwrap(), "--json"]));
    assert_eq!(written["chain_code"], n["chain_code"]);
    let html = std::fs::read_to_string(&page).unwrap();
    let code = n["chain_code"].as_str().unwrap();
    assert!(html.contains("CÔNG KHAI QUỸ") && html.contains(code));
    for m in json(&ishc(&db, &["member", "list", "--all", "--json"])).as_array().unwrap() {
        assert!(!html.contains(m["full_name"].as_str().unwrap()), "the notice names {}", m["full_name"]);
    }
    let ok = ishc(&db, &["fund", "notice", "--check", &code.to_lowercase()]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("có trong sổ"));
    let missing = ishc(&db, &["--json", "fund", "notice", "--check", "0123 4567 89AB CDEF"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(json_err(&missing)["found"], serde_json::Value::Null);
    assert!(stderr(&missing).contains("KHÔNG thấy mã"), "{}", stderr(&missing));
    let bad = ishc(&db, &["fund", "notice", "--check", "12"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("Mã kiểm tra sổ"), "{}", stderr(&bad));
}

/// `ishc member statement`: a member's passbook for a year, as JSON and as a page.
#[test]
fn a_members_statement_from_the_command_line() {
    let (dir, db) = temp();
    json(&ishc(&db, &["demo", "--years", "2", "--members", "20", "--seed", "5", "--json"]));
    let loans = json(&ishc(&db, &["loan", "list", "--json"]));
    let borrower = loans.as_array().unwrap().iter().find(|r| r["loan"]["status"] == "disbursed").unwrap()["loan"]["member"]["id"].to_string();
    let s = json(&ishc(&db, &["member", "statement", &borrower, "--year", "2026", "--json"]));
    assert_eq!(s["year"], 2026);
    assert_eq!(s["months"].as_array().unwrap().len(), 11);
    assert!(s["loans"].as_array().unwrap().iter().any(|c| c["loan"]["status"] == "disbursed"));
    let page = dir.path().join("so-hoi-vien.html");
    json(&ishc(&db, &["member", "statement", &borrower, "--out", page.to_str().unwrap(), "--json"]));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("SỔ CỦA HỘI VIÊN") && html.contains(s["full_name"].as_str().unwrap()));
    let text = String::from_utf8(ishc(&db, &["member", "statement", &borrower]).stdout).unwrap();
    assert!(text.contains(s["full_name"].as_str().unwrap()) && text.contains("Khoản vay"), "{text}");
    let out = ishc(&db, &["member", "statement", &borrower, "--year", "2010"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Năm"), "{}", stderr(&out));
}
