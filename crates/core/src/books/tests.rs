use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::counts::last_day_of_month;
use super::*;
use crate::error::{CoreError, Field, Rule};
use crate::i18n::{memo_text, Lang};
use crate::notice::Notice;
use crate::roster::club;
use crate::roster::member::{self, Role};
use crate::text;
use crate::store::audit::Actor;
use crate::store::Store;
use crate::roster::club::ClubInput;
use crate::roster::member::MemberInput;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn setup() -> (Store, Actor, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let actor = Actor::system("Phạm Thị Thu").unwrap();
    let mut input = ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", d("2019-03-01"));
    input.monthly_due = Some(50_000);
    let club = club::create(&mut store, &actor, &input).unwrap();
    (store, actor, club.id)
}

fn receipt_of(fund: Fund, amount: i64, date: &str) -> ReceiptInput {
    ReceiptInput { fund, amount, source: Source::Community, date: d(date), member_id: None, memo: "Ủng hộ".into(), via: Via::Cash }
}

fn payment_of(fund: Fund, amount: i64, date: &str) -> PaymentInput {
    PaymentInput { fund, amount, area: Area::A2, date: d(date), member_id: None, memo: "Khám sức khỏe".into(), via: Via::Cash }
}

#[test]
fn vouchers_post_balanced_numbered_entries() {
    let (mut store, actor, club) = setup();
    let a = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 2_000_000, "2026-01-05")).unwrap();
    let b = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 500_000, "2026-02-05")).unwrap();
    let c = receipt(&mut store, &actor, club, &receipt_of(Fund::Income, 10_000_000, "2026-02-06")).unwrap();
    let p = payment(&mut store, &actor, club, &payment_of(Fund::Activity, 700_000, "2026-03-01")).unwrap();
    assert_eq!((a.voucher.as_str(), b.voucher.as_str()), ("PT-HD-2026-0001", "PT-HD-2026-0002"));
    assert_eq!(c.voucher, "PT-TN-2026-0001");
    assert_eq!(p.voucher, "PC-HD-2026-0001");
    let y = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000, "2025-12-31")).unwrap();
    assert_eq!(y.voucher, "PT-HD-2025-0001");
    let bal = balances(&store, club, None).unwrap();
    let act = bal.funds.iter().find(|f| f.fund == Fund::Activity).unwrap();
    assert_eq!((act.cash, act.income, act.expenses, act.surplus), (1_801_000, 2_501_000, 700_000, 1_801_000));
    assert_eq!(act.assets, act.capital + act.transfers_in + act.surplus);
    assert_eq!(bal.cash_total, 11_801_000);
    assert!(verify(&store, club).unwrap().is_empty());
}

#[test]
fn bad_amounts_and_dates_are_refused_and_nothing_is_written() {
    let (mut store, actor, club) = setup();
    for amount in [0, -5, MAX_AMOUNT + 1] {
        let err = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, amount, "2026-01-05")).unwrap_err();
        assert!(matches!(err, CoreError::Invalid { field: Field::LedgerAmount, .. }), "{err:?}");
    }
    let err = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1000, "2026-12-01")).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::LedgerDate, rule: Rule::InFuture { .. } }));
    let err = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1000, "2019-02-28")).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::LedgerDate, rule: Rule::BeforeFounding { .. } }));
    assert!(journal(&store, club, None, None).unwrap().is_empty());
}

#[test]
fn a_payment_larger_than_the_cash_is_refused_even_backdated() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000_000, "2026-01-05")).unwrap();
    let err = payment(&mut store, &actor, club, &payment_of(Fund::Activity, 1_000_001, "2026-02-01")).unwrap_err();
    assert_eq!(
        err,
        CoreError::LedgerCashShort { fund: "activity".into(), account: "cash".into(), on: "2026-02-01".into(), available: 1_000_000, needed: 1_000_001 }
    );
    payment(&mut store, &actor, club, &payment_of(Fund::Activity, 800_000, "2026-03-01")).unwrap();
    // 400.000 on 01/02 would leave the fund short on 01/03, after the later payment.
    let err = payment(&mut store, &actor, club, &payment_of(Fund::Activity, 400_000, "2026-02-01")).unwrap_err();
    assert!(matches!(err, CoreError::LedgerCashShort { available: 200_000, .. }), "{err:?}");
    // The other fund's money does not count.
    let err = payment(&mut store, &actor, club, &payment_of(Fund::Income, 1, "2026-03-01")).unwrap_err();
    assert!(matches!(err, CoreError::LedgerCashShort { .. }));
}

#[test]
fn transfers_keep_each_fund_balanced() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Income, 5_000_000, "2026-01-05")).unwrap();
    let t = transfer(&mut store, &actor, club, Fund::Income, 1_500_000, d("2026-02-01"), "Chuyển sang quỹ hoạt động").unwrap();
    assert_eq!(t.voucher, "CK-TN-2026-0001");
    let bal = balances(&store, club, None).unwrap();
    let (inc, act) = (&bal.funds[0], &bal.funds[1]);
    assert_eq!((inc.cash, act.cash), (3_500_000, 1_500_000));
    assert_eq!((inc.transfers_in, act.transfers_in), (-1_500_000, 1_500_000));
    for f in &bal.funds {
        assert_eq!(f.assets, f.capital + f.transfers_in + f.surplus);
    }
    assert!(transfer(&mut store, &actor, club, Fund::Activity, 1_500_001, d("2026-02-02"), "").is_err());
}

#[test]
fn corrections_are_reversals_never_edits() {
    let (mut store, actor, club) = setup();
    let r = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 300_000, "2026-01-05")).unwrap();
    let err = reverse(&mut store, &actor, club, &r.voucher, d("2026-01-06"), " ").unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::LedgerReason, .. }));
    let rev = reverse(&mut store, &actor, club, "pt-hd-2026-0001", d("2026-01-06"), "Ghi nhầm số tiền").unwrap();
    assert_eq!(rev.voucher, "DC-HD-2026-0001");
    assert_eq!(rev.reverses, Some(r.id));
    assert_eq!(find(&store, club, &r.voucher).unwrap().reversed_by, Some(rev.id));
    assert_eq!(balances(&store, club, None).unwrap().funds[1].cash, 0);
    assert_eq!(balances(&store, club, Some(d("2026-01-05"))).unwrap().funds[1].cash, 300_000);
    let err = reverse(&mut store, &actor, club, &r.voucher, d("2026-01-07"), "lần hai").unwrap_err();
    assert_eq!(err, CoreError::LedgerAlreadyReversed { voucher: r.voucher.clone(), by: rev.voucher.clone() });
    assert!(matches!(reverse(&mut store, &actor, club, &rev.voucher, d("2026-01-07"), "x").unwrap_err(), CoreError::LedgerReverseReversal { .. }));
    assert!(matches!(reverse(&mut store, &actor, club, "PT-HD-2026-0099", d("2026-01-07"), "x").unwrap_err(), CoreError::LedgerNotFound { .. }));
    // The database itself refuses edits.
    assert!(store.conn().execute("UPDATE posting SET amount = 1", []).is_err());
    assert!(store.conn().execute("DELETE FROM journal_entry", []).is_err());
}

#[test]
fn a_change_behind_the_apps_back_breaks_the_chain() {
    let (mut store, actor, club) = setup();
    for i in 1..=5 {
        receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 100_000 * i, "2026-01-05")).unwrap();
    }
    assert!(verify(&store, club).unwrap().is_empty());
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER posting_no_update; UPDATE posting SET amount = amount + 1000 WHERE entry_id = 3;",
        )
        .unwrap();
    let problems = verify(&store, club).unwrap();
    let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"check.entry_unbalanced"), "{codes:?}");
    let broken = problems.iter().find(|p| p.code == "check.chain_broken").unwrap();
    assert_eq!(broken.params["voucher"], "PT-HD-2026-0003");
}

#[test]
fn a_posting_moved_to_another_date_is_found() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 100_000, "2026-01-05")).unwrap();
    store.conn().execute_batch("DROP TRIGGER posting_no_update; UPDATE posting SET date = '2025-01-01' WHERE id = 1;").unwrap();
    let codes: Vec<String> = verify(&store, club).unwrap().into_iter().map(|p| p.code).collect();
    assert!(codes.contains(&"check.posting_mismatch".to_string()), "{codes:?}");
}

#[test]
fn cash_count_records_the_difference_and_fixes_the_past() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_250_000, "2026-01-05")).unwrap();
    let notes = BTreeMap::from([(500_000, 2), (200_000, 1), (20_000, 1), (10_000, 2)]);
    let input = CountInput { fund: Fund::Activity, date: d("2026-01-31"), notes: notes.clone(), counted_by: "Phạm Thị Thu".into(), witness: "Lê Thị Hoa".into(), reason: String::new() };
    // 1.240.000 counted against 1.250.000 in the book: a reason is required.
    let err = cash_count(&mut store, &actor, club, &input).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::LedgerReason, .. }));
    let bad_note = CountInput { notes: BTreeMap::from([(300_000, 1)]), ..input.clone() };
    assert!(matches!(cash_count(&mut store, &actor, club, &bad_note).unwrap_err(), CoreError::Invalid { field: Field::LedgerNotes, .. }));
    let same_person = CountInput { witness: "phạm thị thu".into(), ..input.clone() };
    assert!(matches!(cash_count(&mut store, &actor, club, &same_person).unwrap_err(), CoreError::Invalid { field: Field::LedgerWitness, .. }));
    let res = cash_count(&mut store, &actor, club, &CountInput { reason: "Trả lại tiền thừa cho thành viên".into(), ..input }).unwrap();
    assert_eq!((res.book, res.counted, res.difference), (1_250_000, 1_240_000, -10_000));
    let adj = res.adjustment.unwrap();
    assert_eq!(adj.voucher, "DC-HD-2026-0001");
    assert_eq!(balances(&store, club, Some(d("2026-01-31"))).unwrap().funds[1].cash, 1_240_000);
    // Nothing can now be dated on or before the count in that fund.
    let err = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1000, "2026-01-31")).unwrap_err();
    assert!(matches!(err, CoreError::LedgerBeforeCount { .. }));
    receipt(&mut store, &actor, club, &receipt_of(Fund::Income, 1000, "2026-01-31")).unwrap();
    assert!(verify(&store, club).unwrap().is_empty());
}

#[test]
fn month_close_needs_count_treasurer_and_two_board_confirmations() {
    let (mut store, actor, club) = setup();
    let add = |store: &mut Store, name: &str, role: Role| {
        let mut m = MemberInput::new(name, member::Sex::F, 1960, d("2019-03-01"));
        m.roles = vec![role];
        member::add(store, &actor, club, &m, false).unwrap();
    };
    add(&mut store, "Phạm Thị Thu", Role::Treasurer);
    add(&mut store, "Lê Thị Hoa", Role::Chair);
    add(&mut store, "Trần Thị Mai", Role::Secretary);
    add(&mut store, "Đỗ Thị Lụa", Role::Volunteer);
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 600_000, "2026-10-05")).unwrap();
    // Each countersigner confirms with her own PIN: here, people signed in to this club.
    let confirm = |a: &str, b: &str| vec![Actor::signed_in(a.into(), club, 101), Actor::signed_in(b.into(), club, 102)];
    let err = close_month(&mut store, &actor, club, "2026-10", &confirm("Lê Thị Hoa", "Trần Thị Mai")).unwrap_err();
    assert_eq!(err, CoreError::LedgerCloseNeedsCount { fund: "activity".into(), month: "2026-10".into() });
    let notes = BTreeMap::from([(500_000, 1), (100_000, 1)]);
    cash_count(&mut store, &actor, club, &CountInput { fund: Fund::Activity, date: d("2026-10-31"), notes, counted_by: "Phạm Thị Thu".into(), witness: "Lê Thị Hoa".into(), reason: String::new() }).unwrap();
    let not_treasurer = Actor::system("Trần Thị Mai").unwrap();
    assert!(matches!(close_month(&mut store, &not_treasurer, club, "2026-10", &confirm("Lê Thị Hoa", "Phạm Thị Thu")).unwrap_err(), CoreError::LedgerCloseRole { .. }));
    assert!(matches!(close_month(&mut store, &actor, club, "2026-10", &confirm("Trần Thị Mai", "Đỗ Thị Lụa")).unwrap_err(), CoreError::LedgerCloseRole { .. }));
    assert!(matches!(close_month(&mut store, &actor, club, "2026-10", &confirm("Lê Thị Hoa", "Đỗ Thị Lụa")).unwrap_err(), CoreError::LedgerCloseRole { .. }));
    assert!(matches!(close_month(&mut store, &actor, club, "2026-11", &confirm("Lê Thị Hoa", "Trần Thị Mai")).unwrap_err(), CoreError::LedgerCloseTooEarly { .. }));
    // The chair typed in both boxes, or the treasurer confirming herself, is said as what it is
    // (issue 16: it used to read "does not hold the role chair" about the chair).
    let same = CoreError::LedgerCloseSamePerson { month: "2026-10".into() };
    assert_eq!(close_month(&mut store, &actor, club, "2026-10", &confirm("Lê Thị Hoa", "le thi hoa")).unwrap_err(), same);
    assert_eq!(close_month(&mut store, &actor, club, "2026-10", &confirm("Lê Thị Hoa", "Phạm Thị Thu")).unwrap_err(), same);
    assert_eq!(
        close_month(&mut store, &actor, club, "2026-10", &[Actor::signed_in("Lê Thị Hoa".into(), club, 101)]).unwrap_err(),
        CoreError::LedgerCloseConfirmers { needed: 2, given: 1 }
    );
    // A countersigner's typed name is not her confirmation: she signs in with her own PIN.
    let typed = [Actor::new("Lê Thị Hoa").unwrap(), Actor::signed_in("Trần Thị Mai".into(), club, 102)];
    assert_eq!(
        close_month(&mut store, &actor, club, "2026-10", &typed).unwrap_err(),
        CoreError::LedgerConfirmerSignedOut { name: "Lê Thị Hoa".into() }
    );
    let elsewhere = [Actor::signed_in("Lê Thị Hoa".into(), club + 1, 101), Actor::signed_in("Trần Thị Mai".into(), club, 102)];
    assert_eq!(
        close_month(&mut store, &actor, club, "2026-10", &elsewhere).unwrap_err(),
        CoreError::LedgerConfirmerSignedOut { name: "Lê Thị Hoa".into() }
    );
    // The names a close keeps follow the one stored-text rule (they were only tidied before).
    let hidden = close_month(&mut store, &actor, club, "2026-10", &confirm("Lê Thị\u{202e} Hoa", "Trần Thị Mai")).unwrap_err();
    assert!(matches!(hidden, CoreError::Invalid { field: Field::LedgerConfirmedBy, rule: Rule::ForbiddenCharacter { .. } }), "{hidden:?}");
    let long = close_month(&mut store, &actor, club, "2026-10", &confirm(&"Lê ".repeat(40), "Trần Thị Mai")).unwrap_err();
    assert_eq!(long, CoreError::invalid(Field::LedgerConfirmedBy, Rule::TooLong { max: 100 }));
    let closed = close_month(&mut store, &actor, club, "10/2026", &confirm(" le  thi hoa ", "Tra\u{302}\u{300}n Thị Mai")).unwrap();
    assert_eq!((closed.month.as_str(), closed.entries), ("2026-10", 1));
    assert_eq!(closed.confirmed_by, ["le thi hoa", "Trần Thị Mai"]);
    let err = receipt(&mut store, &actor, club, &receipt_of(Fund::Income, 1000, "2026-10-20")).unwrap_err();
    assert_eq!(err, CoreError::LedgerMonthClosed { month: "2026-10".into(), date: "2026-10-20".into() });
    receipt(&mut store, &actor, club, &receipt_of(Fund::Income, 1000, "2026-11-02")).unwrap();
    assert!(verify(&store, club).unwrap().is_empty());
}

#[test]
fn dues_in_one_pass_and_who_is_behind() {
    let (mut store, actor, club) = setup();
    let ids: Vec<i64> = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Ánh"]
        .iter()
        .map(|n| member::add(&mut store, &actor, club, &MemberInput::new(n, member::Sex::F, 1960, d("2026-01-01")), false).unwrap().id)
        .collect();
    let e = record_dues(&mut store, &actor, club, Fund::Activity, "2026-10", &ids, d("2026-10-10")).unwrap();
    assert_eq!(e.amount(), 150_000);
    let e2 = record_dues(&mut store, &actor, club, Fund::Activity, "2026-11", &ids[..2], d("2026-11-10")).unwrap();
    assert_eq!(e2.amount(), 100_000);
    let err = record_dues(&mut store, &actor, club, Fund::Activity, "2026-11", &ids[1..], d("2026-11-11")).unwrap_err();
    assert!(matches!(err, CoreError::LedgerDuesPaid { month: ref m, .. } if m == "2026-11"));
    let grid = dues_grid(&store, club, "2026-11").unwrap();
    assert_eq!(grid.months.len(), 12);
    assert_eq!(grid.months[11], "2026-11");
    let anh = grid.rows.iter().find(|r| r.full_name == "Lê Thị Ánh").unwrap();
    assert_eq!(anh.months[11], "due");
    assert_eq!(anh.months[10], "paid");
    assert_eq!(anh.months[0], "none", "not a member in December 2025");
    assert_eq!(anh.behind, 10, "January–September and November 2026");
    // A reversed dues receipt counts as unpaid again.
    reverse(&mut store, &actor, club, &e2.voucher, d("2026-11-12"), "Thu nhầm").unwrap();
    let grid = dues_grid(&store, club, "2026-11").unwrap();
    assert!(grid.rows.iter().all(|r| r.months[11] == "due"));
}

/// The grid reads only its twelve months; each cell must say what the club's whole history of dues
/// says (every unreversed line of the member for that month), and every member who was a member in
/// one of the months has a row, in the Vietnamese order.
#[test]
fn dues_grid_on_the_demo_is_the_whole_history() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let club = crate::demo::build(&mut store, crate::demo::DemoOptions::default()).unwrap().club_id;
    let paid: std::collections::HashSet<(i64, String)> = store
        .conn()
        .prepare(
            "SELECT d.member_id, d.month FROM dues_payment d JOIN journal_entry e ON e.id = d.entry_id
             WHERE e.club_id = ?1 AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.reverses = e.id)",
        )
        .unwrap()
        .query_map([club], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let members = member::load_club(&store, club).unwrap();
    let mut cells = 0;
    for last in ["2017-02", "2018-12", "2021-07", "2024-01", "2026-11", "2026-12"] {
        let grid = dues_grid(&store, club, last).unwrap();
        for row in &grid.rows {
            let m = members.iter().find(|m| m.id == row.member_id).unwrap();
            for (label, state) in grid.months.iter().zip(&row.months) {
                let (y, mo) = parse_month(label).unwrap();
                let end = last_day_of_month(y, mo).min(store.today());
                let want = if paid.contains(&(m.id, label.clone())) {
                    "paid"
                } else if m.is_member_on(end) && end >= NaiveDate::from_ymd_opt(y, mo, 1).unwrap() {
                    "due"
                } else {
                    "none"
                };
                assert_eq!(state, want, "member {} {label}", m.id);
                cells += usize::from(state == "paid");
            }
        }
        let listed: std::collections::HashSet<i64> = grid.rows.iter().map(|r| r.member_id).collect();
        for m in members.iter() {
            let any = grid.months.iter().any(|label| {
                let (y, mo) = parse_month(label).unwrap();
                let end = last_day_of_month(y, mo).min(store.today());
                paid.contains(&(m.id, label.clone())) || (m.is_member_on(end) && end >= NaiveDate::from_ymd_opt(y, mo, 1).unwrap())
            });
            assert_eq!(listed.contains(&m.id), any, "member {} in {last}", m.id);
        }
        let names: Vec<&str> = grid.rows.iter().map(|r| r.full_name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| text::compare_names(a, b));
        assert_eq!(names, sorted);
    }
    assert!(cells > 1000, "{cells}");
}

#[test]
fn cashbook_runs_from_opening_to_closing() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000_000, "2026-01-05")).unwrap();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 400_000, "2026-02-03")).unwrap();
    payment(&mut store, &actor, club, &payment_of(Fund::Activity, 300_000, "2026-02-10")).unwrap();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Income, 9_000_000, "2026-02-11")).unwrap();
    let book = cashbook(&store, club, Some(Fund::Activity), d("2026-02-01"), d("2026-02-28")).unwrap();
    assert_eq!(book.opening, 1_000_000);
    assert_eq!(book.lines.iter().map(|l| l.balance).collect::<Vec<_>>(), vec![1_400_000, 1_100_000]);
    assert_eq!((book.total_in, book.total_out, book.closing), (400_000, 300_000, 1_100_000));
    let both = cashbook(&store, club, None, d("2026-02-01"), d("2026-02-28")).unwrap();
    assert_eq!(both.closing, 10_100_000);
    let s = summary(&store, club, d("2026-01-01"), d("2026-12-31")).unwrap();
    assert!(s.receipts.contains(&(Fund::Activity, "community".into(), 1_400_000)));
    assert!(s.payments.contains(&(Fund::Activity, "a2".into(), 300_000)));
}

#[test]
fn export_lists_every_posting() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000_000, "2026-01-05")).unwrap();
    payment(&mut store, &actor, club, &payment_of(Fund::Activity, 300_000, "2026-02-10")).unwrap();
    let h = export(&store, club, ExportFormat::Hledger, Lang::Vi).unwrap();
    assert!(h.contains("2026-01-05 (PT-HD-2026-0001) Ủng hộ"));
    assert!(h.contains("assets:ActivityFund:Cash"));
    assert!(h.contains("-300000 VND"));
    let b = export(&store, club, ExportFormat::Beancount, Lang::Vi).unwrap();
    assert!(b.contains("open Assets:ActivityFund:Cash VND"));
    assert!(b.contains("Expenses:ActivityFund:A2"));
}

/// The core builds no sentences: every voucher it composes is stored as a `memo.*` key with raw
/// parameters, the memo column holding only what a person typed; the readers say it in either
/// language, and the cash book and the export carry it.
#[test]
fn composed_memos_are_notices_with_raw_parameters() {
    let (mut store, actor, club) = setup();
    let ids: Vec<i64> = ["Nguyễn Thị Lan", "Trần Văn Bình"]
        .iter()
        .map(|n| member::add(&mut store, &actor, club, &MemberInput::new(n, member::Sex::F, 1960, d("2026-01-01")), false).unwrap().id)
        .collect();
    let open = opening(&mut store, &actor, club, Fund::Activity, 1_250_000, d("2026-01-02"), Via::Cash).unwrap();
    let dues = record_dues(&mut store, &actor, club, Fund::Activity, "01/2026", &ids, d("2026-01-10")).unwrap();
    let typed = receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000, "2026-01-11")).unwrap();
    let rev = reverse(&mut store, &actor, club, &typed.voucher, d("2026-01-12"), "Ghi nhầm").unwrap();
    let count = cash_count(
        &mut store,
        &actor,
        club,
        &CountInput {
            fund: Fund::Activity,
            date: d("2026-01-31"),
            notes: BTreeMap::from([(500_000, 2), (200_000, 1), (20_000, 1), (10_000, 2)]),
            counted_by: "Phạm Thị Thu".into(),
            witness: "Lê Thị Hoa".into(),
            reason: "Thiếu tiền lẻ".into(),
        },
    )
    .unwrap()
    .adjustment
    .unwrap();
    let notice = |code: &str, params: serde_json::Value| Some(Notice::new(code, params));
    let (rev_vi, rev_en) = (format!("Hủy {}", typed.voucher), format!("Reversal of {}", typed.voucher));
    let cases = [
        (&open, notice("memo.opening", serde_json::json!({})), "", "Số dư đầu kỳ", "Opening balance"),
        (&dues, notice("memo.dues_month", serde_json::json!({ "month": "2026-01", "count": 2 })), "", "Hội phí tháng 01/2026: 2 thành viên", "Dues for 01/2026: 2 members"),
        (&typed, None, "Ủng hộ", "Ủng hộ", "Ủng hộ"),
        (&rev, notice("memo.reversal", serde_json::json!({ "voucher": typed.voucher })), "", rev_vi.as_str(), rev_en.as_str()),
        (
            &count,
            notice("memo.cash_count", serde_json::json!({ "counted_by": "Phạm Thị Thu", "witness": "Lê Thị Hoa" })),
            "",
            "Kiểm kê quỹ tiền mặt: Phạm Thị Thu, chứng kiến Lê Thị Hoa",
            "Cash count: Phạm Thị Thu, witnessed by Lê Thị Hoa",
        ),
    ];
    for (e, want, memo, vi, en) in cases {
        let stored = find(&store, club, &e.voucher).unwrap();
        assert_eq!((&stored.hash, &stored.memo_notice), (&e.hash, &e.memo_notice), "what was written reads back the same");
        assert_eq!((stored.memo_notice.clone(), stored.memo.as_str()), (want, memo), "{}", e.voucher);
        assert_eq!(memo_text(Lang::Vi, stored.memo_notice.as_ref(), &stored.memo), vi);
        assert_eq!(memo_text(Lang::En, stored.memo_notice.as_ref(), &stored.memo), en);
    }
    assert_eq!(rev.reason.as_deref(), Some("Ghi nhầm"), "a reversal's reason stays in its column");
    assert_eq!(count.reason.as_deref(), Some("Thiếu tiền lẻ"));
    let raw: Vec<(String, Option<String>)> = store
        .conn()
        .prepare("SELECT memo, memo_params FROM journal_entry ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(raw[1], (String::new(), Some(r#"{"count":2,"month":"2026-01"}"#.to_string())));
    let book = cashbook(&store, club, Some(Fund::Activity), d("2026-01-01"), d("2026-01-31")).unwrap();
    let line = book.lines.iter().find(|l| l.voucher == dues.voucher).unwrap();
    assert_eq!((line.memo.as_str(), line.memo_notice.as_ref()), ("", dues.memo_notice.as_ref()));
    let h = export(&store, club, ExportFormat::Hledger, Lang::En).unwrap();
    assert!(h.contains(&format!("2026-01-10 ({}) Dues for 01/2026: 2 members", dues.voucher)), "{h}");
    let h = export(&store, club, ExportFormat::Hledger, Lang::Vi).unwrap();
    assert!(h.contains(&format!("2026-01-10 ({}) Hội phí tháng 01/2026: 2 thành viên", dues.voucher)), "{h}");
    assert!(verify(&store, club).unwrap().is_empty());
}

/// The hash chain covers a voucher's notice: changing its parameters behind the app's back (the
/// number of members a dues receipt names) is found.
#[test]
fn a_changed_memo_notice_breaks_the_chain() {
    let (mut store, actor, club) = setup();
    let id = member::add(&mut store, &actor, club, &MemberInput::new("Nguyễn Thị Lan", member::Sex::F, 1960, d("2026-01-01")), false).unwrap().id;
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000, "2026-01-05")).unwrap();
    let dues = record_dues(&mut store, &actor, club, Fund::Activity, "2026-01", &[id], d("2026-01-10")).unwrap();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_000, "2026-01-11")).unwrap();
    assert!(verify(&store, club).unwrap().is_empty());
    for change in [
        r#"UPDATE journal_entry SET memo_params = '{"count":45,"month":"2026-01"}' WHERE memo_code = 'memo.dues_month'"#,
        r#"UPDATE journal_entry SET memo_code = 'memo.opening' WHERE memo_code = 'memo.dues_month'"#,
        r#"UPDATE journal_entry SET memo_code = NULL, memo_params = NULL WHERE memo_code = 'memo.dues_month'"#,
    ] {
        store.conn().execute_batch("SAVEPOINT t; DROP TRIGGER journal_entry_no_update;").unwrap();
        store.conn().execute_batch(change).unwrap();
        let problems = verify(&store, club).unwrap();
        let broken = problems.iter().find(|p| p.code == "check.chain_broken").unwrap_or_else(|| panic!("{change}: {problems:?}"));
        assert_eq!(broken.params["voucher"], dues.voucher.as_str(), "{change}");
        store.conn().execute_batch("ROLLBACK TO t; RELEASE t;").unwrap();
        assert!(verify(&store, club).unwrap().is_empty());
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Receipt(bool, i64, i64),
        Payment(bool, i64, i64),
        Transfer(bool, i64, i64),
        Reverse(usize, i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (any::<bool>(), 1i64..5_000_000, 0i64..600).prop_map(|(f, a, d)| Op::Receipt(f, a, d)),
            (any::<bool>(), 1i64..3_000_000, 0i64..600).prop_map(|(f, a, d)| Op::Payment(f, a, d)),
            (any::<bool>(), 1i64..3_000_000, 0i64..600).prop_map(|(f, a, d)| Op::Transfer(f, a, d)),
            (0usize..40, 0i64..600).prop_map(|(i, d)| Op::Reverse(i, d)),
        ]
    }

    fn fund(b: bool) -> Fund {
        if b { Fund::Income } else { Fund::Activity }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn any_sequence_keeps_the_books_sound(ops in proptest::collection::vec(op(), 1..40)) {
            let (mut store, actor, club) = setup();
            let start = d("2025-01-01");
            let mut written: Vec<String> = Vec::new();
            for op in ops {
                let day = |n: i64| start + chrono::Duration::days(n);
                let result = match op {
                    Op::Receipt(f, a, n) => receipt(&mut store, &actor, club, &ReceiptInput {
                        fund: fund(f), amount: a, source: Source::Dues, date: day(n), member_id: None, memo: String::new(), via: Via::Cash,
                    }),
                    Op::Payment(f, a, n) => payment(&mut store, &actor, club, &PaymentInput {
                        fund: fund(f), amount: a, area: Area::A4, date: day(n), member_id: None, memo: String::new(), via: Via::Cash,
                    }),
                    Op::Transfer(f, a, n) => transfer(&mut store, &actor, club, fund(f), a, day(n), ""),
                    Op::Reverse(i, n) => match written.get(i) {
                        Some(v) => reverse(&mut store, &actor, club, &v.clone(), day(n), "sửa"),
                        None => continue,
                    },
                };
                match result {
                    Ok(e) => written.push(e.voucher),
                    // Refusals are fine (cash short, bad date order); they must leave no trace.
                    Err(CoreError::LedgerCashShort { .. }) | Err(CoreError::Invalid { .. })
                    | Err(CoreError::LedgerAlreadyReversed { .. }) | Err(CoreError::LedgerReverseReversal { .. }) => {}
                    Err(e) => prop_assert!(false, "unexpected {e:?}"),
                }
                let entries = journal(&store, club, None, None).unwrap();
                prop_assert_eq!(entries.len(), written.len());
            }
            // Every entry balances, the chain holds, cash never went negative, assertions hold.
            prop_assert_eq!(verify(&store, club).unwrap(), vec![]);
            // Each fund's assets equal its capital plus transfers plus surplus, at every date.
            let entries = journal(&store, club, None, None).unwrap();
            for probe in [0i64, 100, 300, 600] {
                let at = start + chrono::Duration::days(probe);
                let bal = balances(&store, club, Some(at)).unwrap();
                for f in &bal.funds {
                    prop_assert_eq!(f.assets, f.capital + f.transfers_in + f.surplus);
                    prop_assert!(f.cash >= 0);
                    let summed: i64 = entries.iter().filter(|e| e.date <= at)
                        .flat_map(|e| e.postings.iter())
                        .filter(|p| p.fund == f.fund && p.account == Account::Cash).map(|p| p.amount).sum();
                    prop_assert_eq!(f.cash, summed);
                }
            }
        }
    }
}

/// One rule for "a member on that day" (`member::on_day`): a receipt or dues for a member before she
/// joined are refused exactly as a meeting that day refuses her; after she left too.
#[test]
fn money_for_a_member_follows_the_same_membership_rule_as_meetings() {
    let (mut store, actor, club) = setup();
    let lan = member::add(&mut store, &actor, club, &MemberInput::new("Nguyễn Thị Lan", member::Sex::F, 1960, d("2026-06-01")), false).unwrap().id;
    let mut before = receipt_of(Fund::Activity, 50_000, "2026-05-31");
    before.member_id = Some(lan);
    let err = receipt(&mut store, &actor, club, &before).unwrap_err();
    assert!(matches!(err, CoreError::MemberNotYet { id, .. } if id == lan), "{err:?}");
    let err = record_dues(&mut store, &actor, club, Fund::Activity, "2026-05", &[lan], d("2026-05-20")).unwrap_err();
    assert!(matches!(err, CoreError::MemberNotYet { .. }), "{err:?}");
    assert!(journal(&store, club, None, None).unwrap().is_empty(), "nothing was written");
    // The day she joined is fine; after she left it is refused again.
    let mut on_the_day = receipt_of(Fund::Activity, 50_000, "2026-06-01");
    on_the_day.member_id = Some(lan);
    receipt(&mut store, &actor, club, &on_the_day).unwrap();
    member::leave(&mut store, &actor, club, lan, d("2026-09-01"), member::LeaveReason::Moved).unwrap();
    let mut after = receipt_of(Fund::Activity, 50_000, "2026-09-02");
    after.member_id = Some(lan);
    assert!(matches!(receipt(&mut store, &actor, club, &after).unwrap_err(), CoreError::MemberHasLeft { .. }));
}

/// An account is its stored code, and back: every account the books write reads back as itself, on
/// the window's side too (the same lowercase codes as before the type).
#[test]
fn every_account_reads_back_from_its_code() {
    // A new account must be added to `Account::all` (this match then fails to compile until it is).
    let listed = |a: Account| match a {
        Account::Cash | Account::Bank | Account::Loans | Account::Capital | Account::Transfer => true,
        Account::Income(s) => Account::all().any(|b| b == Account::Income(s)),
        Account::Expense(x) => Account::all().any(|b| b == Account::Expense(x)),
        Account::CountSurplus | Account::Penalty | Account::CountShortage | Account::WriteOff => true,
    };
    let all: Vec<Account> = Account::all().collect();
    assert_eq!(all.len(), 5 + Source::ALL.len() + 2 + Area::ALL.len() + 2);
    for a in &all {
        assert!(listed(*a));
        assert_eq!(Account::parse(a.as_str()), Some(*a), "{a:?}");
        assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        assert_eq!(serde_json::from_value::<Account>(serde_json::json!(a.as_str())).unwrap(), *a);
        assert_eq!(all.iter().filter(|b| b.as_str() == a.as_str()).count(), 1, "{a:?}");
    }
    for s in Source::ALL {
        assert_eq!(Account::Income(s).as_str(), format!("income:{}", s.code()));
    }
    for x in Area::ALL {
        assert_eq!(Account::Expense(x).as_str(), format!("expense:{}", x.code()));
    }
    assert_eq!(Account::Income(Source::Interest).as_str(), "income:interest");
    assert_eq!(
        [Account::CountSurplus, Account::Penalty, Account::CountShortage, Account::WriteOff].map(Account::as_str),
        ["income:count_surplus", "income:penalty", "expense:count_shortage", "expense:write_off"]
    );
    for code in ["Cash", " cash", "income:", "income:gift", "expense:1", "expense:a9", "pocket", ""] {
        assert_eq!(Account::parse(code), None, "{code:?}");
    }
    assert!(serde_json::from_value::<Account>(serde_json::json!("pocket")).is_err());
    let assets: Vec<&str> = all.iter().filter(|a| is_asset(**a)).map(|a| a.as_str()).collect();
    assert_eq!(assets, ["cash", "bank", "loans"]);
}

/// A posting whose account the books never write (the trigger admits any `income:…`) is damage,
/// named by every reader, never a balance of its own; `ishc check` lists it.
#[test]
fn an_unknown_account_in_a_posting_is_named_damage() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 100_000, "2026-01-05")).unwrap();
    let row: i64 = store.conn().query_row("SELECT id FROM posting WHERE account LIKE 'income:%'", [], |r| r.get(0)).unwrap();
    store.conn().execute_batch(&format!("DROP TRIGGER posting_no_update; UPDATE posting SET account = 'income:gift' WHERE id = {row};")).unwrap();
    let damage = CoreError::DbDamaged { table: "posting".into(), row, column: "account".into(), value: "income:gift".into() };
    assert_eq!(journal(&store, club, None, None).unwrap_err(), damage);
    assert_eq!(balances(&store, club, None).unwrap_err(), damage);
    assert_eq!(summary(&store, club, d("2026-01-01"), d("2026-12-31")).unwrap_err(), damage);
    let report = crate::check::run(&store).unwrap();
    assert!(
        report.problems.iter().any(|p| p.code == "check.damaged_value"
            && p.params == serde_json::json!({ "table": "posting", "row": row, "column": "account", "value": "income:gift" })),
        "{:?}",
        report.problems
    );
}

#[test]
fn the_history_lists_counts_and_bank_checks_with_each_difference_and_its_reason() {
    let (mut store, actor, club) = setup();
    receipt(&mut store, &actor, club, &receipt_of(Fund::Activity, 1_250_000, "2026-01-05")).unwrap();
    let count = CountInput {
        fund: Fund::Activity,
        date: d("2026-01-31"),
        notes: BTreeMap::from([(500_000, 2), (200_000, 1), (20_000, 1), (10_000, 2)]),
        counted_by: "Phạm Thị Thu".into(),
        witness: "Lê Thị Hoa".into(),
        reason: "Trả lại tiền thừa cho thành viên".into(),
    };
    cash_count(&mut store, &actor, club, &count).unwrap();
    let bank = CountInput { fund: Fund::Income, date: d("2026-02-28"), notes: BTreeMap::new(), reason: String::new(), ..count.clone() };
    bank_check(&mut store, &actor, club, &bank, 0).unwrap();
    let rows = counts(&store, club).unwrap();
    assert_eq!(rows.len(), 2);
    // Newest first: the bank check agreed, the count was 10.000 đ short, explained.
    assert_eq!((rows[0].account, rows[0].fund, rows[0].difference, rows[0].voucher.clone(), rows[0].reason.clone()), (Account::Bank, Fund::Income, 0, None, None));
    assert_eq!((rows[1].account, rows[1].book, rows[1].counted, rows[1].difference), (Account::Cash, 1_250_000, 1_240_000, -10_000));
    assert_eq!(rows[1].voucher.as_deref(), Some("DC-HD-2026-0001"));
    assert_eq!(rows[1].reason.as_deref(), Some("Trả lại tiền thừa cho thành viên"));
    assert_eq!((rows[1].counted_by.as_str(), rows[1].witness.as_str()), ("Phạm Thị Thu", "Lê Thị Hoa"));
}

#[test]
fn two_days_in_one_pass_are_the_balances_of_each_day() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let demo = crate::demo::build(&mut store, crate::demo::DemoOptions { seed: 3, years: 4, members: 40 }).unwrap();
    let days = ["2022-01-01", "2022-12-31", "2023-06-30", "2024-12-31", "2025-01-01", "2026-11-22", "2030-01-01"].map(d);
    let mut moved = false;
    for &a in &days {
        for &b in &days {
            let (x, y) = balances_on_two_days(&store, demo.club_id, a, b).unwrap();
            assert_eq!(x, balances(&store, demo.club_id, Some(a)).unwrap(), "{a} (with {b})");
            assert_eq!(y, balances(&store, demo.club_id, Some(b)).unwrap(), "{b} (with {a})");
            moved |= x.funds != y.funds;
        }
    }
    assert!(moved, "the days chosen see the books move");
    assert_eq!(balances_on_two_days(&store, 999, days[0], days[1]).unwrap_err().code(), "club.not_found");
}

/// The balances and the period summary read account by account, in ranges of the index, say what
/// one pass over every posting grouped by account says (the way they were first written), on a
/// demo's days and periods, the first day and a day before any posting included.
#[test]
fn account_by_account_sums_are_the_grouped_sums_of_every_posting() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let demo = crate::demo::build(&mut store, crate::demo::DemoOptions { seed: 7, years: 5, members: 40 }).unwrap();
    let club = demo.club_id;
    let grouped = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Vec<(String, String, i64)> {
        let mut stmt = store.conn().prepare(sql).unwrap();
        stmt.query_map(args, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect()
    };
    let days = ["2020-01-01", "2021-11-22", "2022-02-28", "2023-12-31", "2024-01-01", "2025-07-15", "2026-11-22"].map(d);
    for &day in &days {
        let expected: Vec<(String, String, i64)> = grouped(
            "SELECT fund, account, sum(amount) FROM posting WHERE club_id = ?1 AND date <= ?2
             GROUP BY fund, account HAVING sum(amount) != 0 ORDER BY fund, account",
            &[&club, &day],
        );
        let got: Vec<(String, String, i64)> = balances(&store, club, Some(day))
            .unwrap()
            .accounts
            .into_iter()
            .map(|a| (a.fund.code().to_string(), a.account.as_str().to_string(), a.amount))
            .collect();
        assert_eq!(got, expected, "balances on {day}");
    }
    let mut seen = 0;
    for pair in days.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let expected = grouped(
            "SELECT fund, account, sum(amount) FROM posting
             WHERE club_id = ?1 AND date BETWEEN ?2 AND ?3 AND (account LIKE 'income:%' OR account LIKE 'expense:%')
             GROUP BY fund, account HAVING sum(amount) != 0 ORDER BY fund, account",
            &[&club, &from, &to],
        );
        let s = summary(&store, club, from, to).unwrap();
        let mut got: Vec<(String, String, i64)> = s
            .receipts
            .iter()
            .map(|(f, leaf, amount)| (f.code().to_string(), format!("income:{leaf}"), -amount))
            .chain(s.payments.iter().map(|(f, leaf, amount)| (f.code().to_string(), format!("expense:{leaf}"), *amount)))
            .collect();
        got.sort();
        assert_eq!(got, expected, "summary {from}..{to}");
        seen += got.len();
    }
    assert!(seen > 20, "the periods hold receipts and payments ({seen})");
}
