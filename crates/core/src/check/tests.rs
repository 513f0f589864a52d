use super::*;
use crate::demo::{self, DemoOptions};

#[test]
fn a_change_behind_the_apps_back_is_found() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today("2026-11-22".parse().unwrap());
    demo::build(&mut store, DemoOptions { years: 3, members: 20, seed: 1 }).unwrap();
    assert!(run(&store).unwrap().ok);
    store.conn().execute("UPDATE member SET joined_on = '2000-01-01' WHERE id = 3", []).unwrap();
    store
        .conn()
        .execute("UPDATE member SET full_name = 'Nguye' || char(770, 771) || 'n Văn A' WHERE id = 4", [])
        .unwrap();
    let report = run(&store).unwrap();
    assert!(!report.ok);
    let codes: Vec<&str> = report.problems.iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"check.member_before_founding"), "{codes:?}");
    assert!(codes.contains(&"check.member_name_nfc"), "{codes:?}");
    assert!(codes.contains(&"check.member_search_key"), "{codes:?}");
    // A name holding an escape sequence, written before the stored-text rule, is named too.
    store.conn().execute("UPDATE member SET full_name = 'Lan' || char(27) || '[31m', name_folded = 'lan[31m' WHERE id = 5", []).unwrap();
    let report = run(&store).unwrap();
    assert!(report.problems.iter().any(|p| p.code == "check.member_name_nfc" && p.params["member"] == 5), "{:?}", report.problems);
}

// ---------------------------------------------------------------------------------------------
// Damage and tampering done with raw SQL, as a failing disk or someone with the file and the
// `sqlite3` shell would: bypassing the app, its CHECKs (`ignore_check_constraints`) and, where
// they stand in the way, its triggers.

use std::sync::OnceLock;

use crate::store::audit::{self, Actor};
use crate::error::CoreError;
use crate::{life::activity, signing::bundle, books, loans, life::meeting};

const TODAY: &str = "2026-11-22";

/// One 3-year demo ledger, built once and copied for each test (`VACUUM INTO`).
fn demo_copy() -> (tempfile::TempDir, Store) {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.sqlite");
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(TODAY.parse().unwrap());
        demo::build(&mut store, DemoOptions { years: 3, members: 20, seed: 1 }).unwrap();
        store.conn().execute("VACUUM INTO ?1", [path.to_str().unwrap()]).unwrap();
        std::fs::read(&path).unwrap()
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    std::fs::write(&path, bytes).unwrap();
    let mut store = Store::open(&path, crate::store::OpenMode::Existing).unwrap();
    store.set_today(TODAY.parse().unwrap());
    (dir, store)
}

fn raw(store: &Store, sql: &str) {
    store
        .conn()
        .execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}; PRAGMA ignore_check_constraints = OFF;"))
        .unwrap();
}

fn id(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn codes(report: &CheckReport) -> Vec<&str> {
    report.problems.iter().map(|p| p.code.as_str()).collect()
}

fn has(report: &CheckReport, code: &str, params: serde_json::Value) -> bool {
    report.problems.iter().any(|p| {
        p.code == code && params.as_object().unwrap().iter().all(|(k, v)| p.params.get(k) == Some(v))
    })
}

fn damaged(table: &str, row: i64, column: &str, value: &str) -> CoreError {
    CoreError::DbDamaged { table: table.into(), row, column: column.into(), value: value.into() }
}

fn club(store: &Store) -> i64 {
    id(store, "SELECT min(id) FROM club")
}

/// Each value a reader used to replace with a default is now damage: the read names it and
/// `check` lists it.
#[test]
fn a_stored_value_that_cannot_be_read_is_named_never_replaced() {
    type Read = fn(&Store, i64, i64) -> crate::error::Result<()>;
    let cases: Vec<(&str, &str, &str, &str, &str, Read)> = vec![
        // (what, row query, damage (?1 = row), table, column, value)
        ("rate", "SELECT min(id) FROM loan_rules",
         "DROP TRIGGER loan_rules_valid_update; UPDATE loan_rules SET rate_pct_month = 'năm' WHERE id = ?1",
         "loan_rules", "rate_pct_month",
         |s, c, _| loans::rules_history(s, c).map(drop)),
        ("entry kind", "SELECT max(id) FROM journal_entry",
         "DROP TRIGGER journal_entry_no_update; UPDATE journal_entry SET kind = 'gift' WHERE id = ?1",
         "journal_entry", "kind",
         |s, c, _| books::journal(s, c, None, None).map(drop)),
        ("loan status", "SELECT min(id) FROM loan",
         "UPDATE loan SET status = 'lost' WHERE id = ?1",
         "loan", "status",
         |s, c, r| loans::get(s, c, r).map(drop)),
        ("posting fund", "SELECT min(id) FROM posting",
         "DROP TRIGGER posting_no_update; UPDATE posting SET fund = 'welfare' WHERE id = ?1",
         "posting", "fund",
         |s, c, _| books::balances(s, c, None).map(drop)),
        ("meeting kind", "SELECT min(id) FROM meeting",
         "UPDATE meeting SET kind = 'party' WHERE id = ?1",
         "meeting", "kind",
         |s, c, r| meeting::get(s, c, r).map(drop)),
        ("activity area", "SELECT min(id) FROM activity",
         "UPDATE activity SET area = 'a9' WHERE id = ?1",
         "activity", "area",
         |s, c, r| activity::get(s, c, r).map(drop)),
        ("member flag", "SELECT min(id) FROM member_flag",
         "UPDATE member_flag SET flag = 'rich' WHERE id = ?1",
         "member_flag", "flag",
         |s, c, _| member::load_club(s, c).map(drop)),
        ("loan terms", "SELECT min(id) FROM loan WHERE terms IS NOT NULL",
         "DROP TRIGGER loan_valid_update; UPDATE loan SET terms = '{\"rate_pct_month\":' WHERE id = ?1",
         "loan", "terms",
         |s, c, r| loans::get(s, c, r).map(drop)),
        ("memo params", "SELECT max(id) FROM journal_entry WHERE memo_code IS NOT NULL",
         "DROP TRIGGER journal_entry_no_update; UPDATE journal_entry SET memo_params = '[45]' WHERE id = ?1",
         "journal_entry", "memo_params",
         |s, c, _| books::journal(s, c, None, None).map(drop)),
        ("decision text params", "SELECT max(id) FROM decision WHERE text_code IS NOT NULL",
         "DROP TRIGGER decision_text_valid_update; UPDATE decision SET text_params = 'not json' WHERE id = ?1",
         "decision", "text_params",
         |s, c, r| {
             let m: i64 = s.conn().query_row("SELECT meeting_id FROM decision WHERE id = ?1", [r], |x| x.get(0)).unwrap();
             meeting::get(s, c, m).map(drop)
         }),
        ("audit detail", "SELECT max(id) FROM audit_log",
         "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'not json' WHERE id = ?1",
         "audit_log", "detail",
         |s, c, _| audit::list(s, c, 1).map(drop)),
    ];
    for (what, row_sql, damage, table, column, read) in cases {
        let (_dir, mut store) = demo_copy();
        let c = club(&store);
        if what == "rate" {
            let actor = Actor::system("Lê Thị Hoa").unwrap();
            let founded = crate::roster::club::get(&store, c).unwrap().founded_on;
            loans::set_rules(&mut store, &actor, c, &loans::LoanRules::default_from(founded)).unwrap();
        }
        let row = id(&store, row_sql);
        raw(&store, &damage.replace("?1", &row.to_string()));
        let value: String = store
            .conn()
            .query_row(&format!("SELECT CAST({column} AS TEXT) FROM {table} WHERE id = ?1"), [row], |r| r.get(0))
            .unwrap();
        assert_eq!(read(&store, c, row).unwrap_err(), damaged(table, row, column, &value), "{what}");
        let report = run(&store).unwrap();
        assert!(
            has(&report, "check.damaged_value", serde_json::json!({ "table": table, "row": row, "column": column, "value": value })),
            "{what}: {:?}",
            report.problems
        );
    }
}

/// A handed-over loan without a schedule is damage, not a panic (`all_versions[0]`).
#[test]
fn a_loan_without_its_schedule_is_damage_not_a_panic() {
    let (_dir, store) = demo_copy();
    let c = club(&store);
    let loan_id = id(&store, "SELECT min(id) FROM loan WHERE disbursed_on IS NOT NULL");
    raw(&store, &format!("DELETE FROM loan_schedule_version WHERE loan_id = {loan_id}"));
    let err = loans::card(&store, c, loan_id, TODAY.parse().unwrap()).unwrap_err();
    assert_eq!(err, damaged("loan_schedule_version", loan_id, "loan_id", ""));
    let report = run(&store).unwrap();
    assert!(has(&report, "check.damaged_value", serde_json::json!({ "table": "loan_schedule_version", "row": loan_id })));
    assert!(has(&report, "check.row_missing", serde_json::json!({ "table": "loan_schedule_version" })));
}

/// The new value triggers refuse, on the way in, what the readers would refuse on the way out.
#[test]
fn values_the_readers_refuse_are_refused_on_the_way_in() {
    let (_dir, mut store) = demo_copy();
    let c = club(&store);
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let founded = crate::roster::club::get(&store, c).unwrap().founded_on;
    loans::set_rules(&mut store, &actor, c, &loans::LoanRules::default_from(founded)).unwrap();
    let conn = store.conn();
    for sql in [
        "UPDATE loan_rules SET rate_pct_month = 'abc'",
        "UPDATE loan_rules SET penalty_pct_month = '-1'",
        "UPDATE loan_rules SET repayment = '{'",
        "UPDATE loan SET terms = 'x' WHERE terms IS NOT NULL",
        "INSERT INTO posting (entry_id, club_id, date, fund, account, amount) SELECT entry_id, club_id, date, fund, 'pocket', 1 FROM posting LIMIT 1",
        "INSERT INTO audit_log (at, actor, club_id, action, detail) VALUES ('2026-01-01', 'x', 1, 'x', 'not json')",
        "INSERT INTO loan_payment (loan_id, version, paid_on, penalty, interest, principal, entry_id) SELECT loan_id, version, paid_on, 0, 0, 0, entry_id FROM loan_payment LIMIT 1",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql}");
    }
    // A notice (a voucher's memo, a register decision's text) is a key of its kind and a JSON object.
    for sql in [
        "UPDATE decision SET text_params = '[1]' WHERE text_code IS NOT NULL",
        "UPDATE decision SET text_code = NULL WHERE text_code IS NOT NULL",
        "INSERT INTO decision (meeting_id, kind, text, created_at, text_code, text_params) SELECT meeting_id, kind, '', created_at, 'memo.x', '{}' FROM decision LIMIT 1",
        "INSERT INTO journal_entry (club_id, fund, series, voucher_year, voucher_no, kind, date, actor, created_at, prev_hash, hash, memo_code, memo_params)
         VALUES (1, 'income', 'PT', 1999, 1, 'receipt', '1999-01-01', 'x', 'x', 'x', 'x', 'memo.dues_month', 'not json')",
        "INSERT INTO journal_entry (club_id, fund, series, voucher_year, voucher_no, kind, date, actor, created_at, prev_hash, hash, memo_params)
         VALUES (1, 'income', 'PT', 1999, 2, 'receipt', '1999-01-01', 'x', 'x', 'x', 'y', '{}')",
    ] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("notice"), "{sql}: {err}");
    }
}

/// The refusals of `INSERT OR REPLACE` on every append-only table: REPLACE used to delete the row
/// it collided with without firing the DELETE triggers.
#[test]
fn insert_or_replace_is_refused_on_every_append_only_table() {
    let (dir, mut store) = demo_copy();
    let c = club(&store);
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let request = bundle::BundleRequest {
        period_label: "2026".into(),
        period_from: "2026-01-01".parse().unwrap(),
        period_to: "2026-12-31".parse().unwrap(),
        files: vec![bundle::BundleFile { name: "report.json".into(), bytes: b"{}".to_vec() }],
        includes_personal_data: false,
    };
    bundle::export(&mut store, &actor, c, demo::DEMO_PASSPHRASE, request, dir.path()).unwrap();
    assert!(run(&store).unwrap().ok, "{:?}", run(&store).unwrap().problems);
    let conn = store.conn();
    for table in [
        "audit_log", "journal_entry", "posting", "club_key", "bundle", "balance_assertion", "month_close", "loan_payment",
        "dues_payment", "seal",
    ] {
        let n = id(&store, &format!("SELECT count(*) FROM {table}"));
        assert!(n > 0, "the demo has no {table}");
        let same = format!("INSERT OR REPLACE INTO {table} SELECT * FROM {table} WHERE id = (SELECT min(id) FROM {table})");
        assert!(conn.execute(&same, []).is_err(), "{table}");
        assert_eq!(id(&store, &format!("SELECT count(*) FROM {table}")), n, "{table}");
    }
    // The two changes the tester made get no further.
    let actor_change = "INSERT OR REPLACE INTO audit_log (id, at, actor, club_id, action, entity_id, detail)
        SELECT id, at, 'Kẻ gian', club_id, action, entity_id, detail FROM audit_log WHERE id = 1";
    assert!(conn.execute(actor_change, []).is_err());
    let key_change = "INSERT OR REPLACE INTO club_key (id, club_id, key_id, public_key, secret_box, created_at, created_by)
        SELECT id, club_id, key_id, 'RWQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', secret_box, created_at, created_by
        FROM club_key WHERE id = 1";
    assert!(conn.execute(key_change, []).is_err());
    assert!(run(&store).unwrap().ok);
}

/// Removed triggers are named by `check`, and the app refuses to write until the file is restored.
#[test]
fn a_dropped_trigger_is_found_and_stops_writes() {
    let (_dir, mut store) = demo_copy();
    let c = club(&store);
    raw(&store, "DROP TRIGGER posting_no_delete");
    let report = run(&store).unwrap();
    assert!(has(&report, "check.trigger_missing", serde_json::json!({ "name": "posting_no_delete" })), "{:?}", report.problems);
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let receipt = books::ReceiptInput {
        fund: books::Fund::Activity,
        amount: 10_000,
        source: books::Source::Community,
        date: TODAY.parse().unwrap(),
        member_id: None,
        memo: String::new(),
        via: books::Via::Cash,
    };
    let before = id(&store, "SELECT count(*) FROM journal_entry");
    let err = books::receipt(&mut store, &actor, c, &receipt).unwrap_err();
    assert_eq!(err, CoreError::DbTriggerMissing { name: "posting_no_delete".into() });
    assert_eq!(id(&store, "SELECT count(*) FROM journal_entry"), before);
    // A trigger rewritten to do nothing is as good as gone.
    let (_dir, store) = demo_copy();
    raw(&store, "DROP TRIGGER audit_log_no_update; CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END");
    let report = run(&store).unwrap();
    assert!(has(&report, "check.trigger_changed", serde_json::json!({ "name": "audit_log_no_update" })));
}

/// With the triggers out of the way, every change the tester made to the books is found by the
/// seal chain, each with its table and row.
#[test]
fn changes_behind_the_apps_back_are_found_by_the_seal_chain() {
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        // (row query, change (?1 = row), code, table)
        ("SELECT max(id) FROM audit_log", "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ?1", "check.row_missing", "audit_log"),
        ("SELECT min(id) FROM audit_log",
         "DROP TRIGGER audit_log_no_replace; INSERT OR REPLACE INTO audit_log (id, at, actor, club_id, action, entity_id, detail)
          SELECT id, at, 'Kẻ gian', club_id, action, entity_id, detail FROM audit_log WHERE id = ?1",
         "check.row_changed", "audit_log"),
        ("SELECT min(id) FROM club_key",
         "DROP TRIGGER club_key_no_replace; PRAGMA foreign_keys = OFF;
          INSERT OR REPLACE INTO club_key (id, club_id, key_id, public_key, secret_box, created_at, created_by)
          SELECT id, club_id, key_id, 'RWQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', secret_box, created_at, created_by
          FROM club_key WHERE id = ?1; PRAGMA foreign_keys = ON",
         "check.row_changed", "club_key"),
        ("SELECT max(id) FROM balance_assertion", "DROP TRIGGER balance_assertion_no_delete; DELETE FROM balance_assertion WHERE id = ?1",
         "check.row_missing", "balance_assertion"),
        ("SELECT max(id) FROM loan_payment", "DROP TRIGGER loan_payment_no_delete; DELETE FROM loan_payment WHERE id = ?1",
         "check.row_missing", "loan_payment"),
        ("SELECT min(id) FROM member_flag", "DELETE FROM member_flag WHERE id = ?1", "check.row_missing", "member_flag"),
        ("SELECT min(id) FROM loan", "UPDATE loan SET amount = amount * 10 WHERE id = ?1", "check.row_changed", "loan"),
        ("SELECT min(id) FROM member", "UPDATE member SET birth_year = birth_year + 1 WHERE id = ?1", "check.row_changed", "member"),
        ("SELECT max(id) FROM journal_entry",
         "DROP TRIGGER posting_no_delete; DROP TRIGGER journal_entry_no_delete; PRAGMA foreign_keys = OFF;
          DELETE FROM posting WHERE entry_id = ?1; DELETE FROM journal_entry WHERE id = ?1; PRAGMA foreign_keys = ON",
         "check.row_missing", "journal_entry"),
        ("SELECT max(id) FROM seal", "DROP TRIGGER seal_no_delete; DELETE FROM seal WHERE id = ?1 - 1", "check.seal_broken", ""),
        ("SELECT max(id) FROM member", "INSERT INTO member_role (member_id, role, from_on) SELECT id, 'chair', joined_on FROM member WHERE id = ?1",
         "check.row_unsealed", "member_role"),
    ];
    for (row_sql, change, code, table) in cases {
        let (_dir, store) = demo_copy();
        let row = id(&store, row_sql);
        store.conn().execute_batch(&change.replace("?1", &row.to_string())).unwrap();
        let report = run(&store).unwrap();
        let params = if table.is_empty() { serde_json::json!({}) } else { serde_json::json!({ "table": table }) };
        assert!(has(&report, code, params), "{change}: {:?}", codes(&report));
    }
}

/// A ledger rewritten whole — the newest voucher deleted, seals recomputed with this very code —
/// is consistent in itself; the head the signed bundle named (held by the commune) is not in it.
#[test]
fn a_deleted_newest_entry_is_caught_by_the_signed_head() {
    let (dir, mut store) = demo_copy();
    let c = club(&store);
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let receipt = books::ReceiptInput {
        fund: books::Fund::Activity,
        amount: 250_000,
        source: books::Source::Community,
        date: TODAY.parse().unwrap(),
        member_id: None,
        memo: "Ủng hộ".into(),
        via: books::Via::Cash,
    };
    let newest = books::receipt(&mut store, &actor, c, &receipt).unwrap();
    let request = bundle::BundleRequest {
        period_label: "2026".into(),
        period_from: "2026-01-01".parse().unwrap(),
        period_to: "2026-12-31".parse().unwrap(),
        files: vec![bundle::BundleFile { name: "report.json".into(), bytes: b"{}".to_vec() }],
        includes_personal_data: false,
    };
    let sent = bundle::export(&mut store, &actor, c, demo::DEMO_PASSPHRASE, request, dir.path()).unwrap();
    assert_eq!(sent.manifest.ledger_head, newest.hash);
    assert!(run(&store).unwrap().ok);
    raw(
        &store,
        &format!(
            "DROP TRIGGER posting_no_delete; DROP TRIGGER journal_entry_no_delete; DROP TRIGGER audit_log_no_delete;
             DROP TRIGGER seal_no_delete; PRAGMA foreign_keys = OFF;
             DELETE FROM posting WHERE entry_id = {id}; DELETE FROM journal_entry WHERE id = {id};
             DELETE FROM audit_log WHERE entity_id = {id} AND action = 'ledger.receipt'; DELETE FROM seal;
             PRAGMA foreign_keys = ON",
            id = newest.id
        ),
    );
    crate::store::seal::seal_all(store.conn()).unwrap();
    let ddl = crate::store::migrations::MIGRATIONS.join("\n");
    for name in ["posting_no_delete", "journal_entry_no_delete", "audit_log_no_delete", "seal_no_delete"] {
        let start = ddl.find(&format!("CREATE TRIGGER {name} ")).unwrap();
        let end = start + ddl[start..].find("END;").unwrap() + 4;
        store.conn().execute_batch(&ddl[start..end]).unwrap();
    }
    let report = run(&store).unwrap();
    assert_eq!(codes(&report), ["check.bundle_head_missing"], "{:?}", report.problems);
    assert!(has(&report, "check.bundle_head_missing", serde_json::json!({ "sequence": 1 })));
}

/// The manifest kept in the register is the one whose digest was recorded, and its signature checks.
#[test]
fn the_kept_manifest_and_its_signature_are_checked() {
    let (dir, mut store) = demo_copy();
    let c = club(&store);
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let request = bundle::BundleRequest {
        period_label: "2026".into(),
        period_from: "2026-01-01".parse().unwrap(),
        period_to: "2026-12-31".parse().unwrap(),
        files: vec![bundle::BundleFile { name: "report.json".into(), bytes: b"{}".to_vec() }],
        includes_personal_data: false,
    };
    bundle::export(&mut store, &actor, c, demo::DEMO_PASSPHRASE, request, dir.path()).unwrap();
    raw(&store, "DROP TRIGGER bundle_no_update; UPDATE bundle SET manifest = replace(manifest, '\"sequence\": 1', '\"sequence\": 9')");
    assert!(has(&run(&store).unwrap(), "check.bundle_manifest_changed", serde_json::json!({ "sequence": 1 })));
    let (_dir2, mut store) = demo_copy();
    bundle::export(&mut store, &actor, c, demo::DEMO_PASSPHRASE, bundle::BundleRequest {
        period_label: "2026b".into(),
        period_from: "2026-01-01".parse().unwrap(),
        period_to: "2026-12-31".parse().unwrap(),
        files: vec![bundle::BundleFile { name: "report.json".into(), bytes: b"{}".to_vec() }],
        includes_personal_data: false,
    }, dir.path()).unwrap();
    raw(&store, "DROP TRIGGER bundle_no_update; UPDATE bundle SET manifest_signature = replace(manifest_signature, 'ishc', 'ishx')");
    assert!(has(&run(&store).unwrap(), "check.bundle_signature_bad", serde_json::json!({ "sequence": 1 })));
}

/// `check` passes on the 10-year demo, and its seal chain verifies.
#[test]
fn check_passes_on_ten_years_of_demo_books() {
    // How long this takes is a benchmark's business (`cargo bench -p ishc-core`, BENCHMARKS.md),
    // not a timed test's: a loaded machine must not fail the build.
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(TODAY.parse().unwrap());
    demo::build(&mut store, DemoOptions { years: 10, members: 65, seed: 7 }).unwrap();
    let report = run(&store).unwrap();
    assert!(report.ok, "{:?}", report.problems);
    crate::store::seal::verify(store.conn()).unwrap();
    let seals: i64 = id(&store, "SELECT count(*) FROM seal");
    assert!(seals > 1000, "the ten years are sealed row by row: {seals}");
}

/// Sums over a damaged file are checked: amounts that overflow when added are a finding, never a
/// panic (debug) or a wrapped small number (release).
#[test]
fn amounts_that_overflow_in_a_damaged_file_are_found_not_wrapped() {
    let (_dir, store) = demo_copy();
    let c = club(&store);
    let entry = id(&store, "SELECT e.id FROM journal_entry e WHERE e.kind = 'receipt' ORDER BY e.id LIMIT 1");
    raw(&store, &format!(
        "DROP TRIGGER posting_no_update; UPDATE posting SET amount = 9223372036854775807 WHERE entry_id = {entry} AND amount > 0"
    ));
    raw(&store, &format!(
        "INSERT INTO posting (entry_id, club_id, date, fund, account, amount) SELECT entry_id, club_id, date, fund, account, 9223372036854775807 FROM posting WHERE entry_id = {entry} AND amount > 0 LIMIT 1"
    ));
    let problems = books::verify(&store, c).unwrap();
    let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"check.amount_overflow"), "{codes:?}");
    assert!(codes.contains(&"check.balance_overflow"), "{codes:?}");
    let report = crate::check::run(&store).unwrap();
    assert!(!report.ok);
}
