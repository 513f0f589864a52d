use super::*;
use crate::life::decision::{decide, DecisionInput, DecisionKind};
use crate::roster::club::ClubInput;
use crate::books::{self, Fund};
use crate::roster::member::{self, MemberInput, Role, Sex};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A club with a 50.000 đ monthly due and `n` members who joined in 2020; the first is the chair.
pub(crate) fn club_with(n: usize) -> (Store, Actor, i64, Vec<i64>) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let actor = Actor::system("Phạm Thị Thu").unwrap();
    let mut input = ClubInput::new("CLB Đông Hòa", "Xã", "Huyện", "Tỉnh", d("2019-03-01"));
    input.monthly_due = Some(50_000);
    let club = crate::roster::club::create(&mut store, &actor, &input).unwrap().id;
    let ids: Vec<i64> = (0..n)
        .map(|i| {
            let sex = if i % 3 == 0 { Sex::M } else { Sex::F };
            let m = MemberInput::new(&format!("Thành viên Số {i:02}"), sex, 1950 + i as i32, d("2020-01-01"));
            member::add(&mut store, &actor, club, &m, false).unwrap().id
        })
        .collect();
    member::set_role(&mut store, &actor, club, ids[0], Role::Chair, true, d("2020-01-01")).unwrap();
    (store, actor, club, ids)
}

#[test]
fn a_meeting_with_dues_and_a_decision_is_one_consistent_record() {
    let (mut store, actor, club, ids) = club_with(8);
    let absent = ids[7];
    let present: Vec<i64> = ids.iter().copied().filter(|i| *i != absent).collect();
    let mut input = MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], present.clone());
    input.minutes_by = Some(ids[1]);
    input.place = "Nhà văn hóa thôn Đông".into();
    input.topics = Topic::AREAS.to_vec();
    input.topics.push(Topic::Digital);
    input.minutes = "Sinh hoạt tháng 3.".into();
    input.decisions = vec![DecisionInput {
        loan_id: None,
        kind: DecisionKind::LoanApproval,
        member_id: Some(ids[2]),
        amount: Some(5_000_000),
        text: "Cho vay 5 triệu nuôi bò".into(),
    }];
    input.dues = Some(DuesInput { fund: Fund::Income, month: String::new(), member_ids: present.clone() });
    let saved = add(&mut store, &actor, club, &input).unwrap();
    assert!(saved.warnings.is_empty());
    let m = saved.meeting;
    assert_eq!(m.present.len(), 7);
    assert_eq!(m.members_on_day, 8);
    assert_eq!(m.absent.iter().map(|p| p.id).collect::<Vec<_>>(), vec![absent], "the record names who was absent");
    assert_eq!(m.topics.len(), 9);
    assert_eq!(m.dues_count, 7);
    assert_eq!(m.dues_total, 350_000);
    assert_eq!(m.decisions.len(), 1);
    assert_eq!(m.decisions[0].member.as_ref().unwrap().id, ids[2]);
    assert!(!m.decisions[0].member_absent);
    // The ledger holds exactly that receipt, in the income fund, and the dues grid agrees.
    let entry = books::find(&store, club, m.dues_voucher.as_deref().unwrap()).unwrap();
    assert_eq!(entry.date, d("2026-03-10"));
    let bal = books::balances(&store, club, None).unwrap();
    assert_eq!(bal.funds.iter().find(|f| f.fund == Fund::Income).unwrap().cash, 350_000);
    let grid = books::dues_grid(&store, club, "2026-03").unwrap();
    let paid = grid.rows.iter().filter(|r| r.months[11] == "paid").count();
    assert_eq!(paid, 7);
    assert!(books::verify(&store, club).unwrap().is_empty());
    let rows = list(&store, club, Some(2026)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].present, rows[0].decisions, rows[0].dues_total), (7, 1, 350_000));
    assert!(list(&store, club, Some(2025)).unwrap().is_empty());
}

#[test]
fn the_chair_and_minute_taker_count_as_present() {
    let (mut store, actor, club, ids) = club_with(4);
    let mut input = MeetingInput::new(MeetingKind::Board, d("2026-03-10"), ids[0], vec![ids[2]]);
    input.minutes_by = Some(ids[1]);
    let m = add(&mut store, &actor, club, &input).unwrap().meeting;
    let present: Vec<i64> = m.present.iter().map(|p| p.id).collect();
    assert_eq!(present.len(), 3);
    assert!(present.contains(&ids[0]) && present.contains(&ids[1]));
}

#[test]
fn a_decision_about_an_absent_member_is_kept_with_a_warning() {
    let (mut store, actor, club, ids) = club_with(4);
    let mut input = MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], vec![ids[1]]);
    input.decisions = vec![DecisionInput { loan_id: None, kind: DecisionKind::LoanApproval, member_id: Some(ids[3]), amount: Some(3_000_000), text: "Cho vay".into() }];
    let saved = add(&mut store, &actor, club, &input).unwrap();
    assert_eq!(saved.warnings.len(), 1);
    assert_eq!(saved.warnings[0].code, "meeting.decision_member_absent");
    assert!(saved.meeting.decisions[0].member_absent);
    // Added later to the same meeting: the same warning; to a meeting not in the books: refused.
    let later = DecisionInput { loan_id: None, kind: DecisionKind::Other, member_id: Some(ids[2]), amount: None, text: "Thăm hỏi".into() };
    let out = decide(&mut store, &actor, club, saved.meeting.id, &later).unwrap();
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(get(&store, club, saved.meeting.id).unwrap().decisions.len(), 2);
    let err = decide(&mut store, &actor, club, 999, &later).unwrap_err();
    assert_eq!(err, CoreError::MeetingNotFound { id: 999 });
}

#[test]
fn a_meeting_is_read_only_through_its_own_club() {
    let (mut store, actor, a, ids) = club_with(2);
    let ours = add(&mut store, &actor, a, &MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], vec![ids[1]])).unwrap();
    let b = crate::roster::club::create(&mut store, &actor, &ClubInput::new("CLB Tây Hòa", "Xã", "Huyện", "Tỉnh", d("2019-03-01"))).unwrap().id;
    let chair = member::add(&mut store, &actor, b, &MemberInput::new("Trần Văn Bình", Sex::M, 1955, d("2020-01-01")), false).unwrap().id;
    let theirs = add(&mut store, &actor, b, &MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), chair, vec![])).unwrap();
    assert_eq!(get(&store, b, theirs.meeting.id).unwrap().club_id, b);
    assert_eq!(get(&store, a, theirs.meeting.id).unwrap_err(), CoreError::MeetingNotFound { id: theirs.meeting.id });
    assert_eq!(get(&store, b, ours.meeting.id).unwrap_err(), CoreError::MeetingNotFound { id: ours.meeting.id });
    assert_eq!(get(&store, a, ours.meeting.id).unwrap().club_id, a);
}

#[test]
fn bad_meetings_are_refused_and_leave_the_books_untouched() {
    let (mut store, actor, club, ids) = club_with(4);
    member::leave(&mut store, &actor, club, ids[3], d("2025-06-01"), member::LeaveReason::Moved).unwrap();
    let ok = MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], vec![ids[1], ids[2]]);
    let invalid = |input: &MeetingInput, store: &mut Store| match add(store, &actor, club, input) {
        Err(CoreError::Invalid { field, .. }) => Some(field),
        Err(_) => None,
        Ok(_) => panic!("accepted {input:?}"),
    };
    assert_eq!(invalid(&MeetingInput { held_on: d("2026-12-01"), ..ok.clone() }, &mut store), Some(Field::MeetingDate));
    assert_eq!(invalid(&MeetingInput { held_on: d("2019-01-01"), ..ok.clone() }, &mut store), Some(Field::MeetingDate));
    assert_eq!(invalid(&MeetingInput { chaired_by: None, ..ok.clone() }, &mut store), Some(Field::MeetingChair));
    assert_eq!(invalid(&MeetingInput { place: "x".repeat(201), ..ok.clone() }, &mut store), Some(Field::MeetingPlace));
    let bad_decision = |text: &str, member_id, amount| MeetingInput {
        decisions: vec![DecisionInput { loan_id: None, kind: DecisionKind::LoanApproval, member_id, amount, text: text.into() }],
        ..ok.clone()
    };
    assert_eq!(invalid(&bad_decision("", Some(ids[1]), None), &mut store), Some(Field::DecisionText));
    assert_eq!(invalid(&bad_decision("Cho vay", None, None), &mut store), Some(Field::DecisionMember));
    assert_eq!(invalid(&bad_decision("Cho vay", Some(ids[1]), Some(0)), &mut store), Some(Field::DecisionAmount));
    // A member who had left, or who had not yet joined, cannot be marked present.
    let err = add(&mut store, &actor, club, &MeetingInput { present: vec![ids[3]], ..ok.clone() }).unwrap_err();
    assert_eq!(err.code(), "member.has_left");
    let err = add(&mut store, &actor, club, &MeetingInput { held_on: d("2019-06-01"), ..ok.clone() }).unwrap_err();
    assert_eq!(err.code(), "member.not_yet");
    // Dues for a member who already paid roll the whole meeting back.
    books::record_dues(&mut store, &actor, club, Fund::Income, "2026-03", &[ids[1]], d("2026-03-02")).unwrap();
    let with_dues = MeetingInput { dues: Some(DuesInput { fund: Fund::Income, month: String::new(), member_ids: vec![ids[1], ids[2]] }), ..ok.clone() };
    assert_eq!(add(&mut store, &actor, club, &with_dues).unwrap_err().code(), "ledger.dues_paid");
    assert!(list(&store, club, None).unwrap().is_empty());
    assert_eq!(books::journal(&store, club, None, None).unwrap().len(), 1);
    // The same kind of meeting on the same day is a double entry.
    add(&mut store, &actor, club, &ok).unwrap();
    assert_eq!(add(&mut store, &actor, club, &ok).unwrap_err().code(), "meeting.duplicate");
}

#[test]
fn the_year_grid_shows_meetings_areas_themes_and_activities() {
    let (mut store, actor, club, ids) = club_with(4);
    let mut a = MeetingInput::new(MeetingKind::Monthly, d("2026-01-15"), ids[0], vec![ids[1]]);
    a.topics = vec![Topic::Area(Area::A1), Topic::Area(Area::A2), Topic::Green];
    add(&mut store, &actor, club, &a).unwrap();
    let mut b = MeetingInput::new(MeetingKind::Board, d("2026-01-20"), ids[0], vec![]);
    b.topics = vec![Topic::Area(Area::A8)];
    add(&mut store, &actor, club, &b).unwrap();
    let mut visit = crate::life::activity::ActivityInput::new(crate::life::activity::ActivityKind::HomeVisit, d("2026-02-03"));
    visit.member_id = Some(ids[2]);
    visit.by_member_id = Some(ids[1]);
    crate::life::activity::add(&mut store, &actor, club, &visit).unwrap();
    let grid = year_grid(&store, club, 2026).unwrap();
    assert_eq!(grid.months.len(), 12);
    assert_eq!(grid.months[0].meetings, 2);
    assert_eq!(grid.months[0].covered, vec![true, true, false, false, false, false, false, true]);
    assert_eq!(grid.months[0].themes, vec![Topic::Green]);
    assert_eq!(grid.months[1].meetings, 0);
    assert_eq!(grid.months[1].activities[2], 1);
    assert_eq!(grid.months[1].covered, vec![false; 8]);
}

/// A meeting's areas are the ledger's `Area`, the one an activity carries; the codes the window
/// sends and the rows keep are those of before, and `Admin` is no topic.
#[test]
fn a_topic_area_is_the_ledgers_area_and_keeps_its_code() {
    use crate::life::activity::ActivityKind;
    assert_eq!(Topic::Area(ActivityKind::HomeVisit.area("")).area_index(), Some(2));
    assert_eq!(Topic::CODES, Topic::ALL.map(|t| t.code()));
    for t in Topic::ALL {
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, format!("\"{}\"", t.code()));
        assert_eq!(serde_json::from_str::<Topic>(&json).unwrap(), t);
    }
    for refused in ["\"admin\"", "\"3\"", "\"A3\"", "\"a9\""] {
        assert!(serde_json::from_str::<Topic>(refused).is_err(), "{refused}");
    }
    assert_eq!(Topic::parse("admin"), None);
    assert_eq!(Topic::Area(Area::Admin).area(), None);
    let window = <Topic as ts_rs::TS>::inline(&ts_rs::Config::new());
    assert_eq!(window, Topic::CODES.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" | "));
    let (mut store, actor, club, ids) = club_with(2);
    let mut input = MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], vec![ids[1]]);
    input.topics = vec![Topic::Area(Area::A1), Topic::Area(Area::Admin)];
    match add(&mut store, &actor, club, &input).unwrap_err() {
        CoreError::Invalid { field, .. } => assert_eq!(field, Field::MeetingTopic),
        e => panic!("{e:?}"),
    }
    assert!(list(&store, club, None).unwrap().is_empty());
}

#[test]
fn topics_parse_from_numbers_and_codes() {
    assert_eq!(Topic::parse("3"), Some(Topic::Area(Area::A3)));
    assert_eq!(Topic::parse("A8"), Some(Topic::Area(Area::A8)));
    assert_eq!(Topic::parse("digital"), Some(Topic::Digital));
    assert_eq!(Topic::parse("9"), None);
    assert_eq!(DecisionKind::parse("loan-write-off"), Some(DecisionKind::LoanWriteOff));
}

/// The test: a meeting that approves a loan from the register and collects dues leaves the
/// ledger, the loan register and the meeting record consistent; the loan can then be handed over.
#[test]
fn a_meeting_that_approves_a_loan_and_collects_dues_keeps_the_books_consistent() {
    let (mut store, actor, club, ids) = club_with(6);
    let seed = books::ReceiptInput {
        fund: Fund::Income,
        amount: 20_000_000,
        source: books::Source::Seed,
        date: d("2026-01-02"),
        member_id: None,
        memo: "Vốn".into(),
        via: books::Via::Cash,
    };
    books::receipt(&mut store, &actor, club, &seed).unwrap();
    let ask = crate::loans::ApplyInput {
        member_id: ids[2],
        amount: 5_000_000,
        purpose: crate::loans::Purpose::Livestock,
        months: 12,
        applied_on: d("2026-03-01"),
        in_kind: String::new(),
        note: String::new(),
    };
    let loan = crate::loans::apply(&mut store, &actor, club, &ask).unwrap();
    let mut input = MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], ids.clone());
    input.topics = Topic::AREAS.to_vec();
    input.decisions = vec![DecisionInput { loan_id: Some(loan.id), kind: DecisionKind::LoanApproval, member_id: None, amount: None, text: String::new() }];
    input.dues = Some(DuesInput { fund: Fund::Income, month: String::new(), member_ids: ids.clone() });
    let saved = add(&mut store, &actor, club, &input).unwrap();
    let m = saved.meeting;
    // The meeting record names the decision, the loan carries it, the dues are in the ledger.
    assert_eq!(m.decisions.len(), 1);
    assert_eq!((m.decisions[0].kind, m.decisions[0].amount), (DecisionKind::LoanApproval, Some(5_000_000)));
    let approved = crate::loans::get(&store, club, loan.id).unwrap();
    assert_eq!(approved.status, crate::loans::LoanStatus::Approved);
    assert_eq!(approved.approval.as_ref().unwrap().decision_id, m.decisions[0].id);
    assert_eq!(m.dues_total, 300_000);
    crate::loans::disburse(&mut store, &actor, club, loan.id, d("2026-03-12")).unwrap();
    let bal = books::balances(&store, club, None).unwrap();
    let income = bal.funds.iter().find(|f| f.fund == Fund::Income).unwrap();
    assert_eq!((income.cash, income.loans), (20_000_000 + 300_000 - 5_000_000, 5_000_000));
    assert!(books::verify(&store, club).unwrap().is_empty());
    // Approving the same application twice, or one that is not in the register, is refused whole.
    let mut again = MeetingInput::new(MeetingKind::Board, d("2026-03-20"), ids[0], vec![]);
    again.decisions = input.decisions.clone();
    assert_eq!(add(&mut store, &actor, club, &again).unwrap_err().code(), "loan.wrong_status");
    again.decisions[0].loan_id = Some(999);
    assert_eq!(add(&mut store, &actor, club, &again).unwrap_err().code(), "loan.not_found");
    assert_eq!(list(&store, club, None).unwrap().len(), 1);
}

#[test]
fn the_record_names_the_absent_in_vietnamese_order_and_only_members_of_the_day() {
    let (mut store, actor, club, ids) = club_with(2);
    let add_member = |store: &mut Store, name: &str, joined: &str| {
        member::add(store, &actor, club, &MemberInput::new(name, Sex::F, 1955, d(joined)), false).unwrap().id
    };
    let binh = add_member(&mut store, "Trần Văn Bình", "2020-01-01");
    let an_hat = add_member(&mut store, "Lê Thị Ân", "2020-01-01");
    let an = add_member(&mut store, "Nguyễn Thị An", "2020-01-01");
    // Joined after the meeting: neither present nor absent.
    add_member(&mut store, "Đỗ Thị Cúc", "2026-06-01");
    let m = add(&mut store, &actor, club, &MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], vec![ids[1]]))
        .unwrap()
        .meeting;
    assert_eq!(m.absent.iter().map(|p| p.id).collect::<Vec<_>>(), vec![an, an_hat, binh]);
    assert_eq!(m.present.len() + m.absent.len(), m.members_on_day as usize);
}

#[test]
fn a_second_monthly_meeting_in_a_month_is_asked_about_and_kept_only_when_confirmed() {
    let (mut store, actor, club, ids) = club_with(4);
    let first = add(&mut store, &actor, club, &MeetingInput::new(MeetingKind::Monthly, d("2026-03-10"), ids[0], vec![ids[1]])).unwrap();
    let mut again = MeetingInput::new(MeetingKind::Monthly, d("2026-03-24"), ids[0], vec![ids[1]]);
    let err = add(&mut store, &actor, club, &again).unwrap_err();
    assert_eq!(err.code(), "meeting.second_in_month");
    assert_eq!(err.to_json()["params"], serde_json::json!({ "existing_id": first.meeting.id, "held_on": "2026-03-10" }));
    assert_eq!(list(&store, club, None).unwrap().len(), 1, "nothing written");
    // Another month, or another kind of meeting in the same month, is not asked about.
    add(&mut store, &actor, club, &MeetingInput::new(MeetingKind::Monthly, d("2026-04-01"), ids[0], vec![ids[1]])).unwrap();
    add(&mut store, &actor, club, &MeetingInput::new(MeetingKind::Board, d("2026-03-24"), ids[0], vec![ids[1]])).unwrap();
    add(&mut store, &actor, club, &MeetingInput::new(MeetingKind::Monthly, d("2026-02-28"), ids[0], vec![ids[1]])).unwrap();
    again.second_in_month = true;
    add(&mut store, &actor, club, &again).unwrap();
    assert_eq!(list(&store, club, Some(2026)).unwrap().iter().filter(|m| m.held_on.to_string().starts_with("2026-03") && m.kind == MeetingKind::Monthly).count(), 2);
}
