use super::*;
use crate::books::{self, Fund};
use crate::life::meeting::tests::club_with;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn each_kind_lands_in_its_area() {
    let (mut store, actor, club, ids) = club_with(5);
    let mut visit = ActivityInput::new(ActivityKind::HomeVisit, d("2026-02-03"));
    visit.member_id = Some(ids[4]);
    visit.by_member_id = Some(ids[1]);
    visit.note = "Dọn nhà, nấu cơm".into();
    let a = add(&mut store, &actor, club, &visit).unwrap();
    assert_eq!((a.area, a.member.unwrap().id, a.by.unwrap().id), (Area::A3, ids[4], ids[1]));
    let mut check = ActivityInput::new(ActivityKind::HealthCheck, d("2026-02-10"));
    check.participants = vec![ids[1], ids[2], ids[2]];
    let c = add(&mut store, &actor, club, &check).unwrap();
    assert_eq!((c.area, c.people, c.participants.len()), (Area::A2, 2, 2));
    let mut training = ActivityInput::new(ActivityKind::Training, d("2026-02-11"));
    training.subkind = "board-refresher".into();
    training.participants = vec![ids[0]];
    training.note = "Tập huấn quản lý quỹ".into();
    assert_eq!(add(&mut store, &actor, club, &training).unwrap().area, Area::A6);
    let mut event = ActivityInput::new(ActivityKind::Event, d("2026-02-12"));
    event.subkind = "sport".into();
    event.people = 40;
    assert_eq!(add(&mut store, &actor, club, &event).unwrap().area, Area::A7);
    let mut rights = ActivityInput::new(ActivityKind::Rights, d("2026-02-13"));
    rights.subkind = "pension".into();
    rights.person = "Bà Lê Thị Mơ".into();
    assert_eq!(add(&mut store, &actor, club, &rights).unwrap().area, Area::A5);
    let all = list(&store, club, &ActivityQuery::default()).unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].kind, ActivityKind::Rights);
    let only = list(&store, club, &ActivityQuery { kind: Some(ActivityKind::HealthCheck), year: Some(2026) }).unwrap();
    assert_eq!(only.len(), 1);
    assert!(list(&store, club, &ActivityQuery { year: Some(2025), kind: None }).unwrap().is_empty());
}

/// A note may have several lines (`bounded_lines`); the voucher's memo is one line (`bounded`), so
/// the note's lines are joined there, and a long note is cut to the memo's 300 characters.
#[test]
fn a_note_of_several_lines_still_gives_a_one_line_voucher_memo() {
    let (mut store, actor, club, _) = club_with(3);
    let mut event = ActivityInput::new(ActivityKind::Event, d("2026-04-01"));
    event.subkind = "fundraising".into();
    event.value = 2_500_000;
    event.fund = Some(Fund::Activity);
    event.note = "Đêm văn nghệ\r\n\nBán vé gây quỹ ".into();
    let e = add(&mut store, &actor, club, &event).unwrap();
    assert_eq!(e.note, "Đêm văn nghệ\n\nBán vé gây quỹ");
    let entry = books::find(&store, club, e.voucher.as_deref().unwrap()).unwrap();
    assert_eq!(entry.memo, "Đêm văn nghệ Bán vé gây quỹ", "what was typed, nothing composed");
    assert_eq!(entry.memo_notice, Some(crate::notice::Notice::new("memo.fundraising", serde_json::json!({}))));
    assert_eq!(crate::i18n::memo_text(crate::i18n::Lang::Vi, entry.memo_notice.as_ref(), &entry.memo), "Gây quỹ: Đêm văn nghệ Bán vé gây quỹ");
    assert_eq!(crate::i18n::memo_text(crate::i18n::Lang::En, entry.memo_notice.as_ref(), &entry.memo), "Fundraising: Đêm văn nghệ Bán vé gây quỹ");
    // (A cut that ends on a space would be tidied to 299: "abcdefg " does not divide 300.)
    event.note = "abcdefg\n".repeat(100);
    let long = add(&mut store, &actor, club, &event).unwrap();
    let entry = books::find(&store, club, long.voucher.as_deref().unwrap()).unwrap();
    assert!(entry.memo.starts_with("abcdefg abcdefg "), "{}", entry.memo);
    assert_eq!(entry.memo.chars().count(), 300);
}

#[test]
fn money_given_or_raised_is_a_voucher_in_the_same_transaction() {
    let (mut store, actor, club, ids) = club_with(3);
    let mut event = ActivityInput::new(ActivityKind::Event, d("2026-04-01"));
    event.subkind = "fundraising".into();
    event.value = 2_500_000;
    event.fund = Some(Fund::Activity);
    event.note = "Đêm văn nghệ".into();
    let e = add(&mut store, &actor, club, &event).unwrap();
    assert_eq!(e.area, Area::A8);
    let voucher = e.voucher.unwrap();
    assert!(voucher.starts_with("PT-HD-2026"), "{voucher}");
    let mut support = ActivityInput::new(ActivityKind::Support, d("2026-04-02"));
    support.subkind = "money".into();
    support.member_id = Some(ids[2]);
    support.value = 500_000;
    support.fund = Some(Fund::Activity);
    let s = add(&mut store, &actor, club, &support).unwrap();
    let entry = books::find(&store, club, s.voucher.as_deref().unwrap()).unwrap();
    assert_eq!(entry.member_id, Some(ids[2]));
    let bal = books::balances(&store, club, None).unwrap();
    let act = bal.funds.iter().find(|f| f.fund == Fund::Activity).unwrap();
    assert_eq!((act.cash, act.income, act.expenses), (2_000_000, 2_500_000, 500_000));
    // Money the fund does not have: refused, and the activity is not recorded either.
    support.value = 5_000_000;
    assert_eq!(add(&mut store, &actor, club, &support).unwrap_err().code(), "ledger.cash_short");
    assert_eq!(list(&store, club, &ActivityQuery::default()).unwrap().len(), 2);
    assert!(books::verify(&store, club).unwrap().is_empty());
}

#[test]
fn bad_activities_name_the_field() {
    let (mut store, actor, club, ids) = club_with(3);
    let field = |input: &ActivityInput, store: &mut Store| match add(store, &actor, club, input) {
        Err(CoreError::Invalid { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    let mut visit = ActivityInput::new(ActivityKind::HomeVisit, d("2026-02-03"));
    visit.member_id = Some(ids[2]);
    assert_eq!(field(&visit, &mut store), Field::ActivityBy);
    visit.by_member_id = Some(ids[1]);
    visit.member_id = None;
    assert_eq!(field(&visit, &mut store), Field::ActivityPerson);
    visit.person = "Bà Mơ".into();
    visit.held_on = d("2027-01-01");
    assert_eq!(field(&visit, &mut store), Field::ActivityDate);
    let mut check = ActivityInput::new(ActivityKind::HealthCheck, d("2026-02-10"));
    assert_eq!(field(&check, &mut store), Field::ActivityPeople);
    check.people = 12;
    check.note = "huyết áp cao".into();
    assert_eq!(field(&check, &mut store), Field::ActivityNote);
    let mut training = ActivityInput::new(ActivityKind::Training, d("2026-02-11"));
    training.subkind = "yoga".into();
    assert_eq!(field(&training, &mut store), Field::ActivitySubkind);
    let mut support = ActivityInput::new(ActivityKind::Support, d("2026-02-11"));
    support.subkind = "money".into();
    support.member_id = Some(ids[1]);
    support.fund = Some(Fund::Activity);
    assert_eq!(field(&support, &mut store), Field::ActivityValue);
    support.value = -1;
    assert_eq!(field(&support, &mut store), Field::ActivityValue);
    assert!(list(&store, club, &ActivityQuery::default()).unwrap().is_empty());
}

#[test]
fn an_activity_is_read_only_through_its_own_club() {
    let (mut store, actor, a, _) = club_with(2);
    let mut event = ActivityInput::new(ActivityKind::Event, d("2026-03-10"));
    event.subkind = "sport".into();
    event.people = 40;
    let ours = add(&mut store, &actor, a, &event).unwrap();
    let input = crate::roster::club::ClubInput::new("CLB Tây Hòa", "Xã", "Huyện", "Tỉnh", d("2019-03-01"));
    let b = crate::roster::club::create(&mut store, &actor, &input).unwrap().id;
    let theirs = add(&mut store, &actor, b, &event).unwrap();
    assert_eq!(get(&store, b, theirs.id).unwrap(), theirs);
    assert_eq!(get(&store, a, theirs.id).unwrap_err(), CoreError::ActivityNotFound { id: theirs.id });
    assert_eq!(get(&store, b, ours.id).unwrap_err(), CoreError::ActivityNotFound { id: ours.id });
    assert_eq!(get(&store, a, ours.id).unwrap(), ours);
}
