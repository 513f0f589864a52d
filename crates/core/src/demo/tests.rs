use super::*;
use crate::roster::composition;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    s
}

#[test]
fn demo_is_deterministic() {
    let (mut a, mut b) = (store(), store());
    let sa = build(&mut a, DemoOptions::default()).unwrap();
    let sb = build(&mut b, DemoOptions::default()).unwrap();
    assert_eq!(sa, sb);
    let names = |s: &Store| {
        member::load_club(s, 1).unwrap().iter().map(|m| (m.full_name.clone(), m.birth_year, m.left_on)).collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    let mut c = store();
    build(&mut c, DemoOptions { seed: 7, ..Default::default() }).unwrap();
    assert_ne!(names(&a), names(&c));
}

#[test]
fn demo_looks_like_a_real_club() {
    let mut s = store();
    let summary = build(&mut s, DemoOptions::default()).unwrap();
    assert!(summary.members_ever > summary.members_now, "some members left over ten years");
    let comp = composition::compute(&s, summary.club_id, None, None).unwrap();
    let c = &comp.counts;
    assert!((45..=75).contains(&c.members), "{c:?}");
    let share = |k: u32| k * 100 / c.members;
    assert!((50..=78).contains(&share(c.women)), "{c:?}");
    assert!((48..=78).contains(&share(c.older)), "{c:?}");
    assert!(c.disadvantaged > 0 && c.volunteers >= 5, "{c:?}");
    let members = member::load_club(&s, summary.club_id).unwrap();
    assert!(members.iter().any(|m| m.leave_reason == Some(LeaveReason::Died)));
    assert!(members.iter().all(|m| m.joined_on >= summary.founded_on));
    assert!(crate::check::run(&s).unwrap().ok);
    // Years of meetings and activities, with the gaps a real club has.
    assert!(summary.meetings >= 110 && summary.meetings < 130, "{summary:?}");
    assert!(summary.activities > 300, "{summary:?}");
    let year = s.today().year() - 1;
    let st = crate::life::standard::assess(&s, summary.club_id, year, None).unwrap();
    let of = |id: &str| st.criteria.iter().find(|c| c.id == id).unwrap().clone();
    assert!(of("meetings.monthly").value >= 10, "{:?}", of("meetings.monthly"));
    assert!(of("home_care.people").value >= 2);
    assert_eq!(of("composition.volunteers").met, Some(true));
    let all: Vec<bool> = (summary.founded_on.year() + 1..=year)
        .map(|y| crate::life::standard::assess(&s, summary.club_id, y, None).unwrap())
        .map(|st| st.criteria.iter().find(|c| c.id == "board.trained").unwrap().met == Some(true))
        .collect();
    assert!(all.iter().any(|t| *t) && all.iter().any(|t| !*t), "one year without board training: {all:?}");
    // Years of lending: most loans repaid, some late, one written off; the books agree.
    let loans = crate::loans::list(&s, summary.club_id, s.today()).unwrap();
    let count = |st: crate::loans::LoanStatus| loans.iter().filter(|r| r.loan.status == st).count();
    assert!(count(crate::loans::LoanStatus::Repaid) > 30, "{}", loans.len());
    assert_eq!(count(crate::loans::LoanStatus::WrittenOff), 1);
    let p = crate::loans::portfolio(&s, summary.club_id, s.today()).unwrap();
    assert!(p.par30 > 0 && p.ever_borrowed_pct >= 50.0, "{p:?}");
    let bal = crate::books::balances(&s, summary.club_id, None).unwrap();
    assert_eq!(bal.funds.iter().find(|f| f.fund == crate::books::Fund::Income).unwrap().loans, p.outstanding);
}

#[test]
fn bad_options_are_refused() {
    let mut s = store();
    let err = build(&mut s, DemoOptions { years: 0, ..Default::default() }).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { field: Field::DemoYears, .. }));
    assert!(club::list(&s).unwrap().is_empty());
}

/// The demo board signs in with the PINs the README and `make run` print, and each holds its role's
/// rights: the treasurer moves money, the secretary records meetings but moves none.
#[test]
fn the_demo_board_signs_in_with_the_printed_pins() {
    use crate::auth::permissions::{require_on, Action};
    let mut s = store();
    let summary = build(&mut s, DemoOptions::default()).unwrap();
    let roles: Vec<AuthRole> = summary.sign_ins.iter().map(|x| x.role).collect();
    for needed in [AuthRole::Chair, AuthRole::Treasurer, AuthRole::Secretary] {
        assert!(roles.contains(&needed), "{roles:?}");
    }
    assert_eq!(crate::auth::list(&s, summary.club_id).unwrap().len(), summary.sign_ins.len());
    let now = chrono::Utc::now();
    for x in &summary.sign_ins {
        assert_eq!(DEMO_PINS.iter().find(|(r, _)| *r == x.role).unwrap().1, x.pin);
        let actor = crate::auth::sign_in_at(&mut s, summary.club_id, &x.name, &x.pin, now).unwrap();
        let day = s.today();
        let money = require_on(s.conn(), &actor, summary.club_id, Action::Money, day);
        let meeting = require_on(s.conn(), &actor, summary.club_id, Action::MeetingWrite, day);
        match x.role {
            AuthRole::Treasurer => assert!(money.is_ok()),
            AuthRole::Secretary => assert!(money.is_err() && meeting.is_ok()),
            AuthRole::Chair | AuthRole::ViceChair => assert!(money.is_err() && meeting.is_ok()),
            other => panic!("unexpected demo role {other:?}"),
        }
    }
    // The recovery code printed with them opens the books.
    let chair = crate::roster::member::load_club(&s, summary.club_id)
        .unwrap()
        .iter()
        .find(|m| m.has_role_on(Role::Chair, s.today()))
        .unwrap()
        .clone();
    crate::auth::recover(&mut s, summary.club_id, DEMO_RECOVERY_CODE, chair.id, "1111").unwrap();
    assert!(crate::check::run(&s).unwrap().ok);
}
