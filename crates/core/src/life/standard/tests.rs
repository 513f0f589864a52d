use super::*;
use crate::life::activity::{self, ActivityInput, ActivityKind};
use crate::life::meeting::tests::club_with;
use crate::life::meeting::{self, MeetingInput, MeetingKind};
use crate::roster::member::{self, Role};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn find<'a>(s: &'a Standard, id: &str) -> &'a Criterion {
    s.criteria.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no criterion {id}"))
}

#[test]
fn meetings_areas_care_and_training_are_judged_against_the_preset() {
    let (mut store, actor, club, ids) = club_with(6);
    store.set_today(d("2026-04-20"));
    member::set_role(&mut store, &actor, club, ids[1], Role::Treasurer, true, d("2020-01-01")).unwrap();
    member::set_role(&mut store, &actor, club, ids[5], Role::CareRecipient, true, d("2020-01-01")).unwrap();
    member::set_role(&mut store, &actor, club, ids[4], Role::CareRecipient, true, d("2020-01-01")).unwrap();
    // January and March meet with all eight areas, February not at all; April is not over yet.
    for (day, all) in [("2026-01-10", true), ("2026-03-10", false)] {
        let mut m = MeetingInput::new(MeetingKind::Monthly, d(day), ids[0], ids.clone());
        m.topics = if all { Topic::AREAS.to_vec() } else { vec![Topic::Area(Area::A1), Topic::Area(Area::A2)] };
        meeting::add(&mut store, &actor, club, &m).unwrap();
    }
    let mut visit = ActivityInput::new(ActivityKind::HomeVisit, d("2026-02-03"));
    visit.member_id = Some(ids[5]);
    visit.by_member_id = Some(ids[2]);
    activity::add(&mut store, &actor, club, &visit).unwrap();
    let mut training = ActivityInput::new(ActivityKind::Training, d("2026-02-11"));
    training.subkind = "board_refresher".into();
    training.participants = vec![ids[0]];
    training.note = "Tập huấn".into();
    activity::add(&mut store, &actor, club, &training).unwrap();

    let s = assess(&store, club, 2026, None).unwrap();
    assert_eq!((s.from, s.to, s.preset_id.as_str()), (d("2026-01-01"), d("2026-04-20"), "qd1336"));
    let monthly = find(&s, "meetings.monthly");
    assert_eq!((monthly.value, monthly.of, monthly.met), (2, Some(3), Some(false)));
    assert_eq!(monthly.list, vec!["2026-02".to_string()]);
    let all = find(&s, "meetings.all_areas");
    assert_eq!((all.value, all.of, all.min, all.met), (1, Some(2), Some(100), Some(false)));
    let never = find(&s, "areas.never_covered");
    assert_eq!(never.list, Vec::<String>::new());
    let care = find(&s, "home_care.visited");
    assert_eq!((care.value, care.of, care.met), (1, Some(2), Some(false)));
    assert_eq!(find(&s, "home_care.people").value, 1);
    let board = find(&s, "board.trained");
    assert_eq!((board.value, board.of, board.met), (1, Some(2), Some(false)));
    assert_eq!(find(&s, "composition.members").met, Some(false));
    let volunteers = find(&s, "composition.volunteers");
    assert_eq!((volunteers.value, volunteers.min, volunteers.met), (0, Some(5), Some(false)));
    assert_eq!(find(&s, "fund.income").met, Some(false));
    assert!(find(&s, "fund.income").list.contains(&"income.empty".to_string()));
    let borrowed = find(&s, "loans.borrowed");
    assert_eq!((borrowed.value, borrowed.of, borrowed.min), (0, Some(6), Some(50)));
    assert_eq!(s.met, s.criteria.iter().filter(|c| c.met == Some(true)).count() as u32);

    // An April meeting counts before the month ends; a custom preset without standard targets
    // judges nothing of the standard itself.
    let mut m = MeetingInput::new(MeetingKind::Monthly, d("2026-04-15"), ids[0], ids.clone());
    m.topics = vec![Topic::Area(Area::A5)];
    meeting::add(&mut store, &actor, club, &m).unwrap();
    let s = assess(&store, club, 2026, None).unwrap();
    assert_eq!(find(&s, "meetings.monthly").of, Some(4));
    assert_eq!(find(&s, "areas.never_covered").list, Vec::<String>::new());
    let mut p = crate::roster::preset::builtin().remove(0);
    p.id = "no-standard".into();
    p.standard = None;
    crate::roster::preset::add_custom(&mut store, &actor, club, p).unwrap();
    let s = assess(&store, club, 2026, Some("no-standard")).unwrap();
    assert_eq!(find(&s, "meetings.monthly").met, None);
    assert_eq!(find(&s, "board.trained").met, None);
}

#[test]
fn a_year_outside_the_club_life_is_refused() {
    let (store, _, club, _) = club_with(2);
    let err = assess(&store, club, 2018, None).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::Year, .. }));
    assert!(assess(&store, club, 2027, None).is_err());
    assert!(assess(&store, club, 2019, None).is_ok());
}

#[test]
fn thresholds_come_from_the_preset() {
    let (mut store, actor, club, ids) = club_with(3);
    store.set_today(d("2026-02-28"));
    let mut m = MeetingInput::new(MeetingKind::Monthly, d("2026-01-10"), ids[0], ids.clone());
    m.topics = Topic::AREAS[..7].to_vec();
    meeting::add(&mut store, &actor, club, &m).unwrap();
    let mut m = MeetingInput::new(MeetingKind::Monthly, d("2026-02-10"), ids[0], ids.clone());
    m.topics = Topic::AREAS.to_vec();
    meeting::add(&mut store, &actor, club, &m).unwrap();
    assert_eq!(find(&assess(&store, club, 2026, None).unwrap(), "meetings.all_areas").met, Some(false));
    let mut p = crate::roster::preset::builtin().remove(0);
    p.id = "half-areas".into();
    p.standard.as_mut().unwrap().all_areas_meetings_pct = 50;
    crate::roster::preset::add_custom(&mut store, &actor, club, p).unwrap();
    let s = assess(&store, club, 2026, Some("half-areas")).unwrap();
    let c = find(&s, "meetings.all_areas");
    assert_eq!((c.value, c.of, c.min, c.met), (1, Some(2), Some(50), Some(true)));
}
