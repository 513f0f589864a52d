use chrono::NaiveDate;

use super::*;
use crate::error::{CoreError, Field};
use crate::roster::club::{self, ClubInput};
use crate::store::audit::Actor;
use crate::store::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(crate) fn setup() -> (Store, Actor, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let actor = Actor::system("Lê Thị Hoa").unwrap();
    let club = club::create(&mut store, &actor, &ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", d("2019-03-01"))).unwrap();
    (store, actor, club.id)
}

#[test]
fn add_stores_nfc_and_search_ignores_diacritics() {
    let (mut store, actor, club) = setup();
    let input = MemberInput::new("Nguye\u{0302}\u{0303}n Thi\u{0323} Lan", Sex::F, 1955, d("2020-01-01"));
    let m = add(&mut store, &actor, club, &input, false).unwrap();
    assert_eq!(m.full_name, "Nguyễn Thị Lan");
    let q = |s: &str| ListQuery { search: Some(s.into()), ..Default::default() };
    assert_eq!(list(&store, club, &q("nguyen thi")).unwrap().len(), 1);
    assert_eq!(list(&store, club, &q("NGUYỄN")).unwrap().len(), 1);
    assert_eq!(list(&store, club, &q("tran")).unwrap().len(), 0);
}

#[test]
fn duplicate_name_and_year_is_refused_unless_confirmed() {
    let (mut store, actor, club) = setup();
    let first = add(&mut store, &actor, club, &MemberInput::new("Nguyễn Thị Lan", Sex::F, 1955, d("2020-01-01")), false).unwrap();
    let again = MemberInput::new("nguyen thi lan", Sex::F, 1955, d("2021-01-01"));
    let err = add(&mut store, &actor, club, &again, false).unwrap_err();
    assert_eq!(err, CoreError::MemberDuplicate { full_name: "nguyen thi lan".into(), birth_year: 1955, existing_id: first.id });
    add(&mut store, &actor, club, &again, true).unwrap();
    assert_eq!(list(&store, club, &ListQuery::default()).unwrap().len(), 2);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let (mut store, actor, club) = setup();
    let ok = MemberInput::new("Trần Văn Nam", Sex::M, 1980, d("2020-01-01"));
    let cases = [
        (MemberInput { full_name: " ".into(), ..ok.clone() }, Field::MemberFullName),
        (MemberInput { birth_year: 2030, ..ok.clone() }, Field::MemberBirth),
        (MemberInput { birth_date: Some(d("1981-02-03")), ..ok.clone() }, Field::MemberBirth),
        (MemberInput { joined_on: d("2018-01-01"), ..ok.clone() }, Field::MemberJoinedOn),
        (MemberInput { joined_on: d("2027-01-01"), ..ok.clone() }, Field::MemberJoinedOn),
        (MemberInput { phone: "12ab".into(), ..ok.clone() }, Field::MemberPhone),
        (MemberInput { flags: vec![FlagInput { flag: Flag::Poor, standard: None }], ..ok.clone() }, Field::MemberFlag),
    ];
    for (input, field) in cases {
        match add(&mut store, &actor, club, &input, false) {
            Err(CoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected {field:?} error, got {other:?}"),
        }
    }
    assert!(load_club(&store, club).unwrap().is_empty());
    assert_eq!(crate::store::audit::list(&store, club, 100).unwrap().len(), 1);
}

#[test]
fn leaving_keeps_history_and_ends_roles() {
    let (mut store, actor, club) = setup();
    let mut input = MemberInput::new("Phạm Thị Hằng", Sex::F, 1950, d("2020-01-01"));
    input.roles = vec![Role::Volunteer];
    input.flags = vec![FlagInput { flag: Flag::NearPoor, standard: Some("NĐ 07/2021".into()) }];
    let m = add(&mut store, &actor, club, &input, false).unwrap();
    let err = leave(&mut store, &actor, club, m.id, d("2019-12-31"), LeaveReason::Moved).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::MemberLeftOn, .. }));
    let m = leave(&mut store, &actor, club, m.id, d("2024-06-01"), LeaveReason::Moved).unwrap();
    assert!(m.is_member_on(d("2024-05-31")) && !m.is_member_on(d("2024-06-01")));
    assert!(m.has_role_on(Role::Volunteer, d("2024-05-31")) && !m.has_role_on(Role::Volunteer, d("2024-06-01")));
    assert_eq!(m.flags[0].standard.as_deref(), Some("NĐ 07/2021"));
    let before = ListQuery { at: Some(d("2023-01-01")), ..Default::default() };
    assert_eq!(list(&store, club, &before).unwrap().len(), 1);
    assert_eq!(list(&store, club, &ListQuery::default()).unwrap().len(), 0);
    let err = leave(&mut store, &actor, club, m.id, d("2025-01-01"), LeaveReason::Moved).unwrap_err();
    assert_eq!(err, CoreError::MemberHasLeft { id: m.id, left_on: "2024-06-01".into() });
}

#[test]
fn flags_and_roles_are_date_ranges() {
    let (mut store, actor, club) = setup();
    let m = add(&mut store, &actor, club, &MemberInput::new("Lò Văn Páo", Sex::M, 1960, d("2020-01-01")), false).unwrap();
    set_flag(&mut store, &actor, club, m.id, Flag::Poor, true, d("2022-01-01"), Some("NĐ 07/2021")).unwrap();
    let m = set_flag(&mut store, &actor, club, m.id, Flag::Poor, false, d("2025-01-01"), None).unwrap();
    assert!(!m.has_flag_on(Flag::Poor, d("2021-12-31")));
    assert!(m.has_flag_on(Flag::Poor, d("2024-12-31")));
    assert!(!m.has_flag_on(Flag::Poor, d("2025-01-01")));
    let m = set_role(&mut store, &actor, club, m.id, Role::Chair, true, d("2023-01-01")).unwrap();
    assert!(m.has_role_on(Role::Chair, d("2026-01-01")));
    let err = set_role(&mut store, &actor, club, m.id, Role::Chair, false, d("2022-01-01")).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::MemberRole, .. }));
}

#[test]
fn age_uses_birth_date_when_known() {
    let (mut store, actor, club) = setup();
    let mut input = MemberInput::new("Đỗ Văn Tâm", Sex::M, 1966, d("2020-01-01"));
    input.birth_date = Some(d("1966-12-01"));
    let m = add(&mut store, &actor, club, &input, false).unwrap();
    assert_eq!(m.age_on(d("2026-11-30")), 59);
    assert_eq!(m.age_on(d("2026-12-01")), 60);
    let m2 = add(&mut store, &actor, club, &MemberInput::new("Đỗ Văn Hùng", Sex::M, 1966, d("2020-01-01")), false).unwrap();
    assert_eq!(m2.age_on(d("2026-01-01")), 60);
}

#[test]
fn list_sorts_the_vietnamese_way() {
    let (mut store, actor, club) = setup();
    for name in ["Trần Văn Bình", "Nguyễn Thị Ân", "Lê Thị An", "Phạm Văn Đức", "Hoàng Văn Dũng"] {
        add(&mut store, &actor, club, &MemberInput::new(name, Sex::M, 1970, d("2020-01-01")), false).unwrap();
    }
    let names: Vec<String> = list(&store, club, &ListQuery::default()).unwrap().into_iter().map(|r| r.full_name).collect();
    assert_eq!(names, vec!["Lê Thị An", "Nguyễn Thị Ân", "Trần Văn Bình", "Hoàng Văn Dũng", "Phạm Văn Đức"]);
}

#[test]
fn a_member_of_another_club_cannot_be_read_or_changed_through_this_one() {
    let (mut store, actor, a) = setup();
    let b = club::create(&mut store, &actor, &ClubInput::new("CLB Bắc Sơn", "Xã", "Huyện", "Tỉnh", d("2019-03-01"))).unwrap().id;
    let mut input = MemberInput::new("Nguyễn Thị Lan", Sex::F, 1955, d("2020-01-01"));
    input.roles = vec![Role::Volunteer];
    let lan = add(&mut store, &actor, b, &input, false).unwrap();
    let trail = |s: &Store| s.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).unwrap();
    let (before, trail_before) = (load_club(&store, b).unwrap(), trail(&store));

    let not_found = CoreError::MemberNotFound { id: lan.id };
    assert_eq!(get(&store, a, lan.id).unwrap_err(), not_found);
    let patch = MemberPatch { full_name: Some("Trần Thị Khác".into()), ..Default::default() };
    assert_eq!(edit(&mut store, &actor, a, lan.id, &patch).unwrap_err(), not_found);
    assert_eq!(leave(&mut store, &actor, a, lan.id, d("2024-01-01"), LeaveReason::Moved).unwrap_err(), not_found);
    assert_eq!(set_flag(&mut store, &actor, a, lan.id, Flag::Disability, true, d("2024-01-01"), None).unwrap_err(), not_found);
    assert_eq!(set_role(&mut store, &actor, a, lan.id, Role::Volunteer, false, d("2024-01-01")).unwrap_err(), not_found);
    assert_eq!(set_role(&mut store, &actor, a, lan.id, Role::Chair, true, d("2024-01-01")).unwrap_err(), not_found);

    // The books are as they were: the member, her role, the audit trail; nothing landed in club A.
    assert_eq!(load_club(&store, b).unwrap(), before);
    assert!(load_club(&store, a).unwrap().is_empty());
    assert_eq!(trail(&store), trail_before);
    // Through her own club she is there, and can be changed.
    assert_eq!(get(&store, b, lan.id).unwrap(), lan);
    let m = set_role(&mut store, &actor, b, lan.id, Role::Volunteer, false, d("2024-01-01")).unwrap();
    assert!(!m.has_role_on(Role::Volunteer, d("2024-01-01")));
}

#[test]
fn the_kinh_however_typed_are_not_a_minority_and_every_other_people_is() {
    let (mut store, actor, club) = setup();
    for (i, (ethnicity, minority)) in
        [("Kinh", false), ("kinh", false), ("KINH", false), ("Kính", false), ("Mường", true), ("Tày", true), ("Kinh Mường", true)]
            .into_iter()
            .enumerate()
    {
        let mut input = MemberInput::new(&format!("Lò Văn {}", ["An", "Bình", "Chi", "Dũng", "Em", "Giang", "Hà"][i]), Sex::M, 1950, d("2020-01-01"));
        input.ethnicity = ethnicity.into();
        let m = add(&mut store, &actor, club, &input, false).unwrap();
        assert_eq!(m.is_ethnic_minority(), minority, "{ethnicity:?}");
    }
}
