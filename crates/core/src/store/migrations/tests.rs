use super::*;
use crate::store::{OpenMode, Store};

/// Rows a real user could have written at each version, in that version's schema.
const FIXTURES: &[&str] = &[
    r#"INSERT INTO club VALUES (1, 'CLB Đông Hòa', 'Thôn Đông', 'Xã Quảng Hòa', 'Huyện Quảng Xương',
           'Thanh Hóa', '2019-03-01', 1000, 'qd1336', 10, 12, '2019-03-01T00:00:00Z');
       INSERT INTO audit_log (at, actor, club_id, action, entity_id, detail)
           VALUES ('2019-03-01T00:00:00Z', 'Lê Thị Hoa', 1, 'club.create', 1, '{}');"#,
    r#"INSERT INTO member VALUES (1, 1, 'Nguyễn Thị Lan', 'nguyen thi lan', 'F', 1955, NULL, 'Kinh',
           'Thôn Đông', '', '2019-03-01', NULL, NULL, '2019-03-01', '2019-03-01T00:00:00Z');
       INSERT INTO member_flag VALUES (1, 1, 'poor', '2022-01-01', NULL, 'ND07/2021');
       INSERT INTO member_role VALUES (1, 1, 'chair', '2019-03-01', NULL);"#,
    r#"INSERT INTO journal_entry VALUES (1, 1, 'activity', 'PT', 2019, 1, 'receipt', '2019-03-05', 'Hội phí', 1,
           NULL, NULL, 'Lê Thị Hoa', '2019-03-05T00:00:00Z', '0000', 'abcd');
       INSERT INTO posting VALUES (1, 1, 1, '2019-03-05', 'activity', 'cash', 50000);
       INSERT INTO posting VALUES (2, 1, 1, '2019-03-05', 'activity', 'income:dues', -50000);"#,
    r#"INSERT INTO meeting VALUES (1, 1, 'monthly', '2019-03-05', 'Nhà văn hóa thôn Đông', 1, 1, 'Biên bản',
           1, 'Lê Thị Hoa', '2019-03-05T00:00:00Z');
       INSERT INTO meeting_attendance VALUES (1, 1);
       INSERT INTO meeting_topic VALUES (1, 'a1');
       INSERT INTO decision VALUES (1, 1, 'other', 1, NULL, 'Thống nhất kế hoạch', 0, '2019-03-05T00:00:00Z');
       INSERT INTO activity VALUES (1, 1, 'training', 'board_initial', '2019-03-10', 'a6', NULL, '', NULL, 1, 0,
           NULL, 'Tập huấn', 'Lê Thị Hoa', '2019-03-10T00:00:00Z');
       INSERT INTO activity_member VALUES (1, 1);"#,
    r#"INSERT INTO loan_rules VALUES (1, 1, '2019-03-01', '0.5', 'flat', '{"kind":"bullet","interest_monthly":true}',
           3, 36, 10000000, 1, '0', 1, 'Lê Thị Hoa', '2019-03-01T00:00:00Z');
       INSERT INTO loan VALUES (1, 1, 1, '2019-03-01', 5000000, 'livestock', 12, '', '', 'applied', NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, 'Lê Thị Hoa', '2019-03-01T00:00:00Z');"#,
    r#"INSERT INTO club_key VALUES (1, 1, '3F2A9B1C7D4E0A55', 'RWRVCk59HJsqP0Ikpy5Lw3fh6QVQUo5P3fXh+bq3xJg0T3G5cXa6bS2H',
           'untrusted comment: ishc club key\nRWRTY0Iy...', '2019-03-01T00:00:00Z', 'Lê Thị Hoa', NULL, NULL, NULL, NULL);
       INSERT INTO bundle VALUES (1, 1, 1, '2019', 'ishc-clb-dong-hoa-2019-0001.zip',
           '0000000000000000000000000000000000000000000000000000000000000001',
           '0000000000000000000000000000000000000000000000000000000000000002', '3F2A9B1C7D4E0A55', 0,
           '2019-12-10T00:00:00Z', 'Lê Thị Hoa');"#,
    r#"INSERT INTO member VALUES (2, 1, 'Trần Văn Bình', 'tran van binh', 'M', 1960, NULL, 'Kinh',
           'Thôn Đông', '', '2020-01-01', NULL, NULL, NULL, '2020-01-01T00:00:00Z');"#,
    r#"INSERT INTO balance_assertion (club_id, fund, account, date, book_before, counted, denominations, counted_by,
           witness, actor, created_at)
           VALUES (1, 'activity', 'cash', '2019-03-31', 50000, 50000, '{"50000":1}', 'Lê Thị Hoa', 'Nguyễn Thị Lan',
           'Lê Thị Hoa', '2019-03-31T00:00:00Z');"#,
    r#"INSERT INTO loan_payment VALUES (1, 1, 1, '2019-04-05', 0, 25000, 0, 1, '[{"no":1,"interest":25000,"principal":0}]');"#,
    r#"INSERT INTO journal_entry VALUES (2, 1, 'activity', 'PT', 2019, 2, 'receipt', '2019-04-10', '', NULL,
               NULL, NULL, 'Lê Thị Hoa', '2019-04-10T00:00:00Z', 'abcd', 'abce', 'memo.dues_month', '{"count":1,"month":"2019-04"}');
           INSERT INTO posting VALUES (3, 2, 1, '2019-04-10', 'activity', 'cash', 10000);
           INSERT INTO posting VALUES (4, 2, 1, '2019-04-10', 'activity', 'income:dues', -10000);
           INSERT INTO decision VALUES (2, 1, 'loan_approval', 1, 5000000, '', 0, '2019-03-05T00:00:00Z',
               'decision.text.loan_approval', '{"amount":5000000,"full_name":"Nguyễn Thị Lan","loan_id":1}');"#,
    r#"INSERT INTO sign_in VALUES (1, 1, 1, 'Nguyễn Thị Lan', 'nguyen thi lan',
           '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA', 1,
           '2019-04-05T00:00:00.000Z', '2019-04-01T00:00:00.000Z', NULL);
       INSERT INTO auth_setting VALUES (1, 0, 10);
       INSERT INTO recovery_code VALUES (1, 1, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA',
           '2019-04-01T00:00:00.000Z', NULL);"#,
    // 12 adds indexes only: one more entry and a count, so the migration is run over rows.
    r#"INSERT INTO journal_entry VALUES (3, 1, 'activity', 'PT', 2019, 3, 'receipt', '2019-04-11', '', NULL,
               NULL, NULL, 'Lê Thị Hoa', '2019-04-11T00:00:00Z', 'abce', 'abcf', NULL, NULL);
       INSERT INTO posting VALUES (5, 3, 1, '2019-04-11', 'activity', 'cash', 10000);
       INSERT INTO posting VALUES (6, 3, 1, '2019-04-11', 'activity', 'income:other', -10000);"#,
    // 13 replaces the dues and loan payment indexes: a line of dues (the payment is fixture 9's),
    // so both new indexes are built over rows.
    r#"INSERT INTO dues_payment VALUES (1, 2, 1, '2019-04', 10000);"#,
];

fn counts(conn: &Connection) -> Vec<(String, i64)> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    names
        .into_iter()
        .map(|n| {
            let c = conn.query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0)).unwrap();
            (n, c)
        })
        .collect()
}

#[test]
fn every_step_has_a_fixture() {
    assert_eq!(FIXTURES.len(), MIGRATIONS.len());
}

#[test]
fn each_earlier_version_migrates_forward_without_loss() {
    for version in 0..=LATEST {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        let mut conn = Connection::open(&path).unwrap();
        for v in 1..=version {
            migrate_to(&mut conn, v).unwrap();
            conn.execute_batch(FIXTURES[v as usize - 1]).unwrap();
        }
        let before = counts(&conn);
        drop(conn);
        let store = Store::open(&path, OpenMode::Existing).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST);
        let after = counts(store.conn());
        for (table, n) in before {
            let now = after.iter().find(|(t, _)| *t == table).map(|(_, n)| *n);
            assert_eq!(now, Some(n), "table {table} lost rows migrating from v{version}");
        }
        if version < SEAL_STEP {
            // The rows already there were sealed as the seal step ran: the books check clean.
            assert_eq!(crate::store::seal::verify(store.conn()).unwrap(), vec![], "migrating from v{version}");
        }
    }
}

#[test]
fn schema_matches_the_committed_snapshot() {
    let store = Store::open_in_memory().unwrap();
    let mut stmt = store
        .conn()
        .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name")
        .unwrap();
    let sql: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    let now = sql.join(";\n") + ";\n";
    let snapshot_path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.sql");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(snapshot_path, &now).unwrap();
    }
    let snapshot = std::fs::read_to_string(snapshot_path).unwrap_or_default();
    assert_eq!(now, snapshot, "schema changed: review, then rerun with UPDATE_SNAPSHOTS=1");
}

#[test]
fn bundles_are_append_only_and_keys_can_only_be_retired() {
    let mut conn = Connection::open_in_memory().unwrap();
    for v in 1..=LATEST {
        migrate_to(&mut conn, v).unwrap();
        conn.execute_batch(FIXTURES[v as usize - 1]).unwrap();
    }
    assert!(conn.execute("UPDATE bundle SET sha256 = sha256", []).is_err());
    assert!(conn.execute("DELETE FROM bundle", []).is_err());
    assert!(conn.execute("DELETE FROM club_key", []).is_err());
    assert!(conn.execute("UPDATE club_key SET secret_box = 'plain'", []).is_err());
    assert!(conn.execute("UPDATE club_key SET retired_at = NULL", []).is_err());
    conn.execute("UPDATE club_key SET retired_at = '2020-01-01T00:00:00Z'", []).unwrap();
    assert!(conn.execute("UPDATE club_key SET retired_at = '2021-01-01T00:00:00Z'", []).is_err());
}

#[test]
fn sign_ins_and_recovery_codes_are_never_deleted_and_hold_only_argon2id_hashes() {
    let mut conn = Connection::open_in_memory().unwrap();
    for v in 1..=LATEST {
        migrate_to(&mut conn, v).unwrap();
        conn.execute_batch(FIXTURES[v as usize - 1]).unwrap();
    }
    assert!(conn.execute("DELETE FROM sign_in", []).is_err());
    assert!(conn.execute("DELETE FROM recovery_code", []).is_err());
    assert!(conn.execute("UPDATE sign_in SET pin_hash = '1234'", []).is_err(), "a plain PIN is refused");
    assert!(conn.execute("INSERT OR REPLACE INTO sign_in SELECT * FROM sign_in", []).is_err());
    assert!(conn.execute("UPDATE sign_in SET failures = -1", []).is_err());
    assert!(conn.execute("UPDATE auth_setting SET lock_minutes = 0", []).is_err());
}

#[test]
fn audit_log_is_append_only() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate_to(&mut conn, 1).unwrap();
    conn.execute_batch(FIXTURES[0]).unwrap();
    migrate(&mut conn).unwrap();
    assert!(conn.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
}
