use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::permissions::{allowed, require_on, Action};
use super::*;
use crate::i18n::{error_message, Lang};
use crate::roster::club::{self, ClubInput};
use crate::roster::member::{self, MemberInput, Sex};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap()
}

/// A club whose roster has one person in each board role (and a volunteer), none signed in yet.
struct Club {
    store: Store,
    club: i64,
    /// Member ids by role: chair, vice_chair, treasurer, secretary, group_leader, volunteer.
    members: Vec<(Option<Role>, i64)>,
}

const NAMES: [(&str, Option<Role>); 6] = [
    ("Lê Thị Hoa", Some(Role::Chair)),
    ("Trần Văn Nam", Some(Role::ViceChair)),
    ("Trịnh Thị Loan", Some(Role::Treasurer)),
    ("Phạm Thị Thu", Some(Role::Secretary)),
    ("Đỗ Văn Bình", Some(Role::GroupLeader)),
    ("Vũ Thị Mai", None),
];

fn club() -> Club {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let builder = Actor::system("test set-up").unwrap();
    let input = ClubInput::new("CLB Đông Hòa", "Xã Quảng Hòa", "Quảng Xương", "Thanh Hóa", d("2019-03-01"));
    let club = club::create(&mut store, &builder, &input).unwrap().id;
    let mut members = Vec::new();
    for (name, role) in NAMES {
        let mut m = MemberInput::new(name, Sex::F, 1960, d("2019-03-01"));
        m.roles = role.into_iter().collect();
        members.push((role, member::add(&mut store, &builder, club, &m, false).unwrap().id));
    }
    Club { store, club, members }
}

impl Club {
    fn member(&self, role: Option<Role>) -> i64 {
        self.members.iter().find(|(r, _)| *r == role).unwrap().1
    }
    /// Set up with the chair (PIN 1111), then add everyone else with PIN 2222.
    fn signed_up(mut self) -> (Club, Actor, String) {
        let chair = self.member(Some(Role::Chair));
        let opened = setup_chair(&mut self.store, self.club, chair, "1111").unwrap();
        for (role, id) in self.members.clone() {
            if role != Some(Role::Chair) {
                add(&mut self.store, &opened.actor, self.club, Who::Member(id), "2222").unwrap();
            }
        }
        (self, opened.actor, opened.recovery_code)
    }
    fn audit_actions(&self) -> Vec<String> {
        crate::store::audit::list(&self.store, self.club, 1000).unwrap().into_iter().map(|e| e.action).collect()
    }
}

#[test]
fn a_pin_is_four_to_eight_ascii_digits() {
    for ok in ["1234", "00000000", "987654"] {
        assert!(pin::check_pin(ok, Field::Pin).is_ok(), "{ok}");
    }
    for bad in ["", "123", "123456789", "12a4", " 1234", "1234 ", "１２３４", "12.4", "-123"] {
        let err = pin::check_pin(bad, Field::Pin).unwrap_err();
        assert_eq!(err, CoreError::invalid(Field::Pin, crate::Rule::PinDigits { min: 4, max: 8 }), "{bad:?}");
    }
}

#[test]
fn a_pin_is_stored_only_as_an_argon2id_phc_string_with_its_own_salt() {
    let a = pin::hash("4821").unwrap();
    let b = pin::hash("4821").unwrap();
    assert!(a.starts_with("$argon2id$v=19$"), "{a}");
    assert_ne!(a, b, "a fresh salt each time");
    assert!(!a.contains("4821"));
    assert!(pin::matches("4821", &a).unwrap());
    assert!(!pin::matches("4822", &a).unwrap());
    // Something that is not an Argon2id hash is not taken as one.
    assert_eq!(pin::matches("4821", "4821").unwrap_err().code(), "auth.failed");
}

#[test]
fn the_stored_row_holds_the_hash_and_never_the_pin() {
    let c = club();
    let (c, _, _) = c.signed_up();
    let hashes: Vec<String> = {
        let mut stmt = c.store.conn().prepare("SELECT pin_hash FROM sign_in").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(hashes.len(), 6);
    for h in hashes {
        assert!(h.starts_with("$argon2id$") && !h.contains("1111") && !h.contains("2222"), "{h}");
    }
    // The audit trail never holds a PIN either.
    let detail: String = c.store.conn().query_row("SELECT group_concat(detail) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert!(!detail.contains("1111") && !detail.contains("2222"));
}

#[test]
fn the_wait_grows_with_each_failure_up_to_fifteen_minutes() {
    let waits: Vec<u64> = (0..14).map(wait_after).collect();
    assert_eq!(waits, [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
    assert_eq!(wait_after(u32::MAX), 900);
}

#[test]
fn a_recovery_code_reads_back_from_paper_and_nothing_else_is_taken() {
    let code = pin::new_recovery_code().unwrap();
    assert_eq!(code.len(), 19);
    assert_eq!(code.matches('-').count(), 3);
    let plain = pin::normalise_recovery_code(&code).unwrap();
    assert_eq!(pin::normalise_recovery_code(&code.to_lowercase().replace('-', " ")).unwrap(), plain);
    assert_ne!(pin::new_recovery_code().unwrap(), code);
    for bad in ["", "ABCD-EFGH-JKMN-PQR", "ABCD-EFGH-JKMN-PQRSX", "ABCD-EFGH-JKMN-PQR0", "ABCD-EFGH-JKMN-PQRI"] {
        assert_eq!(pin::normalise_recovery_code(bad).unwrap_err().code(), "input.invalid", "{bad}");
    }
}

#[test]
fn set_up_is_the_chairs_first_pin_and_only_once() {
    let mut c = club();
    assert!(needs_setup(&c.store, c.club).unwrap());
    // Before set-up nobody can be added.
    let chair = c.member(Some(Role::Chair));
    let treasurer = c.member(Some(Role::Treasurer));
    let system = Actor::system("x").unwrap();
    assert_eq!(add(&mut c.store, &system, c.club, Who::Member(treasurer), "1234").unwrap_err(), CoreError::AuthSetupNeeded);
    // The treasurer cannot set up.
    let err = setup_chair(&mut c.store, c.club, treasurer, "1234").unwrap_err();
    assert_eq!(err, CoreError::AuthNotChair { name: "Trịnh Thị Loan".into() });
    assert_eq!(setup_chair(&mut c.store, c.club, chair, "12").unwrap_err().code(), "input.invalid");
    let opened = setup_chair(&mut c.store, c.club, chair, "1111").unwrap();
    assert_eq!(opened.actor.sign_in().map(|(club, _)| club), Some(c.club));
    assert_eq!(opened.actor.name(), "Lê Thị Hoa");
    assert!(pin::normalise_recovery_code(&opened.recovery_code).is_ok());
    assert!(!needs_setup(&c.store, c.club).unwrap());
    assert_eq!(setup_chair(&mut c.store, c.club, chair, "1111").unwrap_err(), CoreError::AuthSetupDone);
    let listed = list(&c.store, c.club).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].name.as_str(), listed[0].roles.clone()), ("Lê Thị Hoa", vec![AuthRole::Chair]));
    let actions = c.audit_actions();
    assert!(actions.contains(&"auth.add".to_string()) && actions.contains(&"auth.recovery_code".to_string()));
}

#[test]
fn a_right_pin_signs_in_by_name_typed_any_way() {
    let (mut c, _, _) = club().signed_up();
    let actor = sign_in_at(&mut c.store, c.club, "trinh thi loan", "2222", t0()).unwrap();
    assert_eq!(actor.name(), "Trịnh Thị Loan");
    let err = sign_in_at(&mut c.store, c.club, "Nguyễn Văn Ai", "2222", t0()).unwrap_err();
    assert_eq!(err, CoreError::AuthUnknown { name: "Nguyễn Văn Ai".into() });
    assert!(c.audit_actions().contains(&"auth.unknown_name".to_string()));
}

#[test]
fn a_wrong_pin_is_audited_and_slows_the_next_attempt_which_is_not_even_checked() {
    let (mut c, _, _) = club().signed_up();
    let name = "Trịnh Thị Loan";
    let err = sign_in_at(&mut c.store, c.club, name, "9999", t0()).unwrap_err();
    assert_eq!(err, CoreError::AuthWrongPin { name: name.into(), failures: 1, wait_seconds: 1 });
    // Too soon, with the right PIN: refused without checking it, and the count does not move.
    let soon = t0() + Duration::milliseconds(400);
    let err = sign_in_at(&mut c.store, c.club, name, "2222", soon).unwrap_err();
    assert_eq!(err, CoreError::AuthTooSoon { name: name.into(), wait_seconds: 1 });
    let err = sign_in_at(&mut c.store, c.club, name, "0000", t0() + Duration::seconds(1)).unwrap_err();
    assert_eq!(err, CoreError::AuthWrongPin { name: name.into(), failures: 2, wait_seconds: 2 });
    let err = sign_in_at(&mut c.store, c.club, name, "0000", t0() + Duration::seconds(2)).unwrap_err();
    assert_eq!(err, CoreError::AuthTooSoon { name: name.into(), wait_seconds: 1 });
    // A malformed PIN is a wrong PIN too (and never a hint about the shape of the right one).
    let err = sign_in_at(&mut c.store, c.club, name, "12", t0() + Duration::seconds(3)).unwrap_err();
    assert_eq!(err, CoreError::AuthWrongPin { name: name.into(), failures: 3, wait_seconds: 4 });
    let row = list(&c.store, c.club).unwrap().into_iter().find(|s| s.name == name).unwrap();
    assert_eq!(row.failures, 3);
    // After the wait, the right PIN signs in and clears the count.
    let actor = sign_in_at(&mut c.store, c.club, name, "2222", t0() + Duration::seconds(7)).unwrap();
    assert_eq!(actor.name(), name);
    let row = list(&c.store, c.club).unwrap().into_iter().find(|s| s.name == name).unwrap();
    assert_eq!(row.failures, 0);
    let actions = c.audit_actions();
    assert_eq!(actions.iter().filter(|a| *a == "auth.wrong_pin").count(), 3);
    assert_eq!(actions.iter().filter(|a| *a == "auth.too_soon").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "auth.sign_in").count(), 1);
    // The failure rows name who was tried.
    let trail = crate::store::audit::list(&c.store, c.club, 1000).unwrap();
    assert!(trail.iter().filter(|e| e.action == "auth.wrong_pin").all(|e| e.actor == name));
    // Every row the attempts changed is sealed: the books still check.
    assert_eq!(crate::store::seal::verify(c.store.conn()).unwrap(), vec![]);
}

/// The permission table, role by role: each role that may not do something is refused, and the
/// refusal names the roles it needs; each role that may is let through.
#[test]
fn every_role_is_allowed_exactly_what_the_table_gives_it() {
    let (mut c, chair, _) = club().signed_up();
    let day = c.store.today();
    for chair_money in [false, true] {
        set_settings(&mut c.store, &chair, c.club, AuthSettings { chair_handles_money: chair_money, lock_minutes: 10 }).unwrap();
        for (name, role) in NAMES {
            let pin = if role == Some(Role::Chair) { "1111" } else { "2222" };
            let actor = sign_in_at(&mut c.store, c.club, name, pin, t0()).unwrap();
            let held = roles_on(c.store.conn(), c.club, Some(c.member(role)), day).unwrap();
            let expected_role = role.and_then(AuthRole::from_roster).unwrap_or(AuthRole::Viewer);
            assert_eq!(held, vec![expected_role]);
            for action in Action::ALL {
                let needed = allowed(action, chair_money);
                let got = require_on(c.store.conn(), &actor, c.club, action, day);
                if needed.contains(&expected_role) {
                    assert_eq!(got, Ok(()), "{expected_role:?} may {action:?}");
                } else {
                    let roles = needed.iter().map(|r| r.code().to_string()).collect();
                    assert_eq!(got, Err(CoreError::AuthForbidden { action: action.code().into(), roles }), "{expected_role:?} {action:?}");
                }
            }
        }
    }
}

#[test]
fn the_promises_of_the_table() {
    use AuthRole::*;
    // A secretary records meetings and activities but moves no money.
    for a in [Action::MeetingWrite, Action::ActivityWrite] {
        assert!(allowed(a, false).contains(&Secretary) && allowed(a, true).contains(&Secretary));
    }
    for chair_money in [false, true] {
        for a in [Action::Money, Action::MonthClose, Action::Correction, Action::WriteOff, Action::Reschedule] {
            assert!(!allowed(a, chair_money).contains(&Secretary), "{a:?}");
        }
        // Nobody outside the board does anything.
        for a in Action::ALL {
            assert!(!allowed(a, chair_money).contains(&Viewer), "{a:?}");
        }
        // A reversal, write-off, reschedule, rule change or key change: chairperson or vice-chair.
        for a in [Action::Correction, Action::WriteOff, Action::Reschedule, Action::RuleChange, Action::KeyChange] {
            assert_eq!(allowed(a, chair_money), vec![Chair, ViceChair], "{a:?}");
        }
    }
    // Money: the treasurer, and the chairperson only where the club's rule says so.
    assert_eq!(allowed(Action::Money, false), vec![Treasurer]);
    assert_eq!(allowed(Action::Money, true), vec![Treasurer, Chair]);
}

#[test]
fn a_refusal_names_the_roles_needed_in_both_languages() {
    let err = CoreError::AuthForbidden { action: "money".into(), roles: vec!["treasurer".into(), "chair".into()] };
    assert_eq!(
        error_message(Lang::Vi, &err),
        "Việc \"thu, chi tiền quỹ\" cần người giữ vai trò Thủ quỹ / Chủ nhiệm đăng nhập. Chưa có gì được ghi."
    );
    assert_eq!(
        error_message(Lang::En, &err),
        "\"take in or pay out the fund's money\" needs someone with the role Treasurer / Chairperson signed in. Nothing was written."
    );
    // Every action and role has words.
    for a in Action::ALL {
        assert!(!crate::i18n::t(Lang::Vi, &format!("permission.{}", a.code())).starts_with("permission."), "{a:?}");
        assert!(!crate::i18n::t(Lang::En, &format!("permission.{}", a.code())).starts_with("permission."), "{a:?}");
    }
    for r in AuthRole::ALL {
        assert!(!crate::i18n::t(Lang::En, &format!("role.{}", r.code())).starts_with("role."), "{r:?}");
    }
}

#[test]
fn a_role_that_ends_ends_its_rights() {
    let (mut c, chair, _) = club().signed_up();
    let treasurer = sign_in_at(&mut c.store, c.club, "Trịnh Thị Loan", "2222", t0()).unwrap();
    assert_eq!(require_on(c.store.conn(), &treasurer, c.club, Action::Money, c.store.today()), Ok(()));
    let loan = c.member(Some(Role::Treasurer));
    member::set_role(&mut c.store, &chair, c.club, loan, Role::Treasurer, false, d("2026-11-20")).unwrap();
    // The same signed-in actor, at the next write: the role has ended, so has the right.
    let err = require_on(c.store.conn(), &treasurer, c.club, Action::Money, c.store.today()).unwrap_err();
    assert_eq!(err.code(), "auth.forbidden");
    assert_eq!(list(&c.store, c.club).unwrap().iter().find(|s| s.name == "Trịnh Thị Loan").unwrap().roles, vec![AuthRole::Viewer]);
    // A member who left holds no role either.
    let secretary = sign_in_at(&mut c.store, c.club, "Phạm Thị Thu", "2222", t0()).unwrap();
    let thu = c.member(Some(Role::Secretary));
    member::leave(&mut c.store, &chair, c.club, thu, d("2026-11-21"), member::LeaveReason::Moved).unwrap();
    assert_eq!(require_on(c.store.conn(), &secretary, c.club, Action::MeetingWrite, c.store.today()).unwrap_err().code(), "auth.forbidden");
}

#[test]
fn a_name_that_did_not_sign_in_has_no_rights_and_a_sign_in_of_another_club_none_here() {
    let (mut c, chair, _) = club().signed_up();
    let typed = Actor::new("Lê Thị Hoa").unwrap();
    for a in Action::ALL {
        assert_eq!(require_on(c.store.conn(), &typed, c.club, a, c.store.today()).unwrap_err().code(), "auth.forbidden");
    }
    let other = club::create(
        &mut c.store,
        &Actor::system("test").unwrap(),
        &ClubInput::new("CLB Khác", "Xã B", "Huyện C", "Tỉnh D", d("2020-01-01")),
    )
    .unwrap();
    assert_eq!(require_on(c.store.conn(), &chair, other.id, Action::RuleChange, c.store.today()).unwrap_err().code(), "auth.forbidden");
}

#[test]
fn the_chair_resets_a_forgotten_pin_and_removes_a_sign_in_others_may_not() {
    let (mut c, chair, _) = club().signed_up();
    let loan = list(&c.store, c.club).unwrap().into_iter().find(|s| s.name == "Trịnh Thị Loan").unwrap();
    let secretary = sign_in_at(&mut c.store, c.club, "Phạm Thị Thu", "2222", t0()).unwrap();
    let err = reset_pin(&mut c.store, &secretary, c.club, loan.id, "5555").unwrap_err();
    assert_eq!(err, CoreError::AuthForbidden { action: "sign_in_manage".into(), roles: vec!["chair".into(), "vice_chair".into()] });
    assert_eq!(remove(&mut c.store, &secretary, c.club, loan.id).unwrap_err().code(), "auth.forbidden");
    sign_in_at(&mut c.store, c.club, "Trịnh Thị Loan", "0000", t0()).unwrap_err();
    reset_pin(&mut c.store, &chair, c.club, loan.id, "5555").unwrap();
    // The reset clears the wait too.
    sign_in_at(&mut c.store, c.club, "Trịnh Thị Loan", "5555", t0()).unwrap();
    assert!(c.audit_actions().contains(&"auth.reset_pin".to_string()));
    // Removed: can no longer sign in, and a removed sign-in's actor has no rights left.
    let before = sign_in_at(&mut c.store, c.club, "Trịnh Thị Loan", "5555", t0()).unwrap();
    remove(&mut c.store, &chair, c.club, loan.id).unwrap();
    assert_eq!(sign_in_at(&mut c.store, c.club, "Trịnh Thị Loan", "5555", t0()).unwrap_err().code(), "auth.unknown");
    assert_eq!(require_on(c.store.conn(), &before, c.club, Action::Money, c.store.today()).unwrap_err().code(), "auth.forbidden");
    // The row is kept (the audit trail names it) and cannot be deleted behind the app's back.
    assert!(c.store.conn().execute("DELETE FROM sign_in WHERE id = ?1", [loan.id]).is_err());
}

#[test]
fn one_changes_ones_own_pin_with_the_old_one() {
    let (mut c, _, _) = club().signed_up();
    assert_eq!(set_pin_at(&mut c.store, c.club, "Phạm Thị Thu", "2222", "12", t0()).unwrap_err().code(), "input.invalid");
    assert_eq!(set_pin_at(&mut c.store, c.club, "Phạm Thị Thu", "0000", "4444", t0()).unwrap_err().code(), "auth.wrong_pin");
    set_pin_at(&mut c.store, c.club, "Phạm Thị Thu", "2222", "4444", t0() + Duration::seconds(5)).unwrap();
    assert_eq!(sign_in_at(&mut c.store, c.club, "Phạm Thị Thu", "4444", t0() + Duration::seconds(6)).unwrap().name(), "Phạm Thị Thu");
}

#[test]
fn a_viewer_outside_the_roster_signs_in_and_may_do_nothing() {
    let (mut c, chair, _) = club().signed_up();
    add(&mut c.store, &chair, c.club, Who::Viewer("Cán bộ xã Nguyễn Văn Tư".into()), "7777").unwrap();
    assert_eq!(
        add(&mut c.store, &chair, c.club, Who::Viewer("can bo xa nguyen van tu".into()), "7777").unwrap_err().code(),
        "auth.name_taken"
    );
    let loan = c.member(Some(Role::Treasurer));
    assert_eq!(
        add(&mut c.store, &chair, c.club, Who::Member(loan), "7777").unwrap_err(),
        CoreError::AuthNameTaken { name: "Trịnh Thị Loan".into() }
    );
    let viewer = sign_in_at(&mut c.store, c.club, "Cán bộ xã Nguyễn Văn Tư", "7777", t0()).unwrap();
    for a in Action::ALL {
        assert_eq!(require_on(c.store.conn(), &viewer, c.club, a, c.store.today()).unwrap_err().code(), "auth.forbidden");
    }
}

#[test]
fn the_recovery_code_opens_the_books_when_every_pin_is_lost() {
    let (mut c, _, code) = club().signed_up();
    let chair = c.member(Some(Role::Chair));
    let treasurer = c.member(Some(Role::Treasurer));
    let err = recover(&mut c.store, c.club, "ABCD-EFGH-JKMN-PQRS", chair, "3333").unwrap_err();
    assert_eq!(err, CoreError::AuthWrongRecovery);
    assert!(c.audit_actions().contains(&"auth.wrong_recovery".to_string()));
    // The code is for the chair or vice-chair of today's roster.
    assert_eq!(recover(&mut c.store, c.club, &code, treasurer, "3333").unwrap_err().code(), "auth.not_chair");
    let opened = recover(&mut c.store, c.club, &code, chair, "3333").unwrap();
    assert_eq!(opened.actor.name(), "Lê Thị Hoa");
    assert_ne!(opened.recovery_code, code);
    sign_in_at(&mut c.store, c.club, "Lê Thị Hoa", "3333", t0()).unwrap();
    // Used up: the old code opens nothing now, the new one does.
    assert_eq!(recover(&mut c.store, c.club, &code, chair, "3333").unwrap_err(), CoreError::AuthWrongRecovery);
    recover(&mut c.store, c.club, &opened.recovery_code, chair, "6666").unwrap();
    // The books are all still there.
    assert_eq!(member::load_club(&c.store, c.club).unwrap().len(), 6);
    assert_eq!(crate::store::seal::verify(c.store.conn()).unwrap(), vec![]);
}

#[test]
fn settings_are_a_rule_change() {
    let (mut c, chair, _) = club().signed_up();
    assert_eq!(settings(&c.store, c.club).unwrap(), AuthSettings { chair_handles_money: false, lock_minutes: 10 });
    let treasurer = sign_in_at(&mut c.store, c.club, "Trịnh Thị Loan", "2222", t0()).unwrap();
    let new = AuthSettings { chair_handles_money: true, lock_minutes: 5 };
    assert_eq!(set_settings(&mut c.store, &treasurer, c.club, new).unwrap_err().code(), "auth.forbidden");
    set_settings(&mut c.store, &chair, c.club, new).unwrap();
    assert_eq!(settings(&c.store, c.club).unwrap(), new);
    let zero = AuthSettings { chair_handles_money: true, lock_minutes: 0 };
    assert_eq!(set_settings(&mut c.store, &chair, c.club, zero).unwrap_err().code(), "input.invalid");
}

/// The table is asked by the domain writes themselves (`Store::act`), whichever way they are
/// called: each refused role is refused by the real function, naming the roles it needs, and the
/// books are untouched; each allowed role gets through.
#[test]
fn every_domain_write_asks_the_table_and_a_refusal_writes_nothing() {
    use crate::books::{self, Fund, PaymentInput, ReceiptInput, Source, Via};
    use crate::life::{activity, meeting};
    use crate::loans::{self, Purpose};
    let (mut c, chair, _) = club().signed_up();
    let club = c.club;
    let as_ = |c: &mut Club, name: &str| sign_in_at(&mut c.store, club, name, "2222", t0()).unwrap();
    let treasurer = as_(&mut c, "Trịnh Thị Loan");
    let secretary = as_(&mut c, "Phạm Thị Thu");
    let leader = as_(&mut c, "Đỗ Văn Bình");
    let typed = Actor::new("Trịnh Thị Loan").unwrap();
    let forbidden = |action: &str, roles: &[&str]| CoreError::AuthForbidden {
        action: action.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
    };
    let rows = |c: &Club| -> i64 {
        c.store
            .conn()
            .query_row(
                "SELECT (SELECT count(*) FROM journal_entry) + (SELECT count(*) FROM member) + (SELECT count(*) FROM member_role)
                      + (SELECT count(*) FROM meeting) + (SELECT count(*) FROM activity) + (SELECT count(*) FROM loan)",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let money = ReceiptInput {
        fund: Fund::Activity,
        amount: 500_000,
        source: Source::Community,
        date: d("2026-11-10"),
        member_id: None,
        memo: "Ủng hộ".into(),
        via: Via::Cash,
    };
    // Money: the treasurer only (the club's rule does not let the chair); a typed name, never.
    let before = rows(&c);
    for who in [&secretary, &chair, &leader, &typed] {
        assert_eq!(books::receipt(&mut c.store, who, club, &money).unwrap_err(), forbidden("money", &["treasurer"]), "{}", who.name());
    }
    assert_eq!(rows(&c), before, "a refused write leaves the books untouched");
    let entry = books::receipt(&mut c.store, &treasurer, club, &money).unwrap();
    let pay = PaymentInput {
        fund: Fund::Activity,
        amount: 100_000,
        area: books::Area::A2,
        date: d("2026-11-11"),
        member_id: None,
        memo: "Khám sức khỏe".into(),
        via: Via::Cash,
    };
    assert_eq!(books::payment(&mut c.store, &secretary, club, &pay).unwrap_err(), forbidden("money", &["treasurer"]));
    // A reversal is the chairperson's or vice-chair's, not the treasurer's.
    let reason = "Ghi nhầm";
    assert_eq!(
        books::reverse(&mut c.store, &treasurer, club, &entry.voucher, d("2026-11-12"), reason).unwrap_err(),
        forbidden("correction", &["chair", "vice_chair"])
    );
    books::reverse(&mut c.store, &chair, club, &entry.voucher, d("2026-11-12"), reason).unwrap();
    // The secretary records meetings and activities, adds members, but changes nobody's role.
    let present: Vec<i64> = c.members.iter().map(|(_, id)| *id).collect();
    let m = meeting::MeetingInput::new(meeting::MeetingKind::Monthly, d("2026-11-05"), c.member(Some(Role::Chair)), present);
    assert_eq!(meeting::add(&mut c.store, &treasurer, club, &m).unwrap_err(), forbidden("meeting_write", &["chair", "vice_chair", "secretary"]));
    // Dues collected at the meeting, or money an activity posts, are money: not the secretary's.
    let mut with_dues = m.clone();
    with_dues.dues = Some(meeting::DuesInput { fund: Fund::Income, month: String::new(), member_ids: vec![c.member(None)] });
    assert_eq!(meeting::add(&mut c.store, &secretary, club, &with_dues).unwrap_err(), forbidden("money", &["treasurer"]));
    meeting::add(&mut c.store, &secretary, club, &m).unwrap();
    let mut raised = activity::ActivityInput::new(activity::ActivityKind::Event, d("2026-11-07"));
    raised.subkind = "fundraising".into();
    raised.people = 30;
    raised.value = 300_000;
    raised.fund = Some(Fund::Activity);
    assert_eq!(activity::add(&mut c.store, &secretary, club, &raised).unwrap_err(), forbidden("money", &["treasurer"]));
    let mut visit = activity::ActivityInput::new(activity::ActivityKind::HomeVisit, d("2026-11-06"));
    visit.member_id = Some(c.member(None));
    visit.by_member_id = Some(c.member(Some(Role::GroupLeader)));
    activity::add(&mut c.store, &leader, club, &visit).unwrap();
    assert_eq!(activity::add(&mut c.store, &typed, club, &visit).unwrap_err().code(), "auth.forbidden");
    let newcomer = MemberInput::new("Ngô Thị Hạnh", Sex::F, 1955, d("2026-11-01"));
    assert_eq!(member::add(&mut c.store, &treasurer, club, &newcomer, false).unwrap_err().code(), "auth.forbidden");
    member::add(&mut c.store, &secretary, club, &newcomer, false).unwrap();
    let thu = c.member(Some(Role::Secretary));
    assert_eq!(
        member::set_role(&mut c.store, &secretary, club, thu, Role::Treasurer, true, d("2026-11-20")).unwrap_err(),
        forbidden("rule_change", &["chair", "vice_chair"])
    );
    // Loans: anyone of the board takes an application; a write-off or reschedule needs the chair.
    let apply = loans::ApplyInput {
        member_id: c.member(None),
        amount: 2_000_000,
        purpose: Purpose::Livestock,
        months: 12,
        applied_on: d("2026-11-15"),
        in_kind: String::new(),
        note: String::new(),
    };
    let loan = loans::apply(&mut c.store, &secretary, club, &apply).unwrap();
    assert_eq!(loans::disburse(&mut c.store, &secretary, club, loan.id, d("2026-11-20")).unwrap_err(), forbidden("money", &["treasurer"]));
    assert_eq!(
        loans::write_off(&mut c.store, &treasurer, club, loan.id, 1, d("2026-11-20"), "Mất khả năng trả").unwrap_err(),
        forbidden("write_off", &["chair", "vice_chair"])
    );
    assert_eq!(loans::reschedule(&mut c.store, &secretary, club, loan.id, 1, d("2026-11-20"), 6).unwrap_err().code(), "auth.forbidden");
    // Rules and keys: the chairperson or vice-chair.
    let rules = loans::rules_on(&c.store, club, d("2026-11-20")).unwrap();
    assert_eq!(loans::set_rules(&mut c.store, &treasurer, club, &rules).unwrap_err().code(), "auth.forbidden");
    let input = ClubInput::from(&club::get(&c.store, club).unwrap());
    assert_eq!(club::update(&mut c.store, &secretary, club, &input).unwrap_err().code(), "auth.forbidden");
    assert_eq!(
        crate::signing::key::create(&mut c.store, &treasurer, club, "mật khẩu dài đủ tám").unwrap_err(),
        forbidden("key_change", &["chair", "vice_chair"])
    );
    // Where the club's rule lets the chairperson handle money, she may.
    set_settings(&mut c.store, &chair, club, AuthSettings { chair_handles_money: true, lock_minutes: 10 }).unwrap();
    books::receipt(&mut c.store, &chair, club, &money).unwrap();
    assert_eq!(books::receipt(&mut c.store, &secretary, club, &money).unwrap_err(), forbidden("money", &["treasurer", "chair"]));
}
