//! A realistic, deterministic demo club: the same seed and the same "today" always give the same
//! books. `make run`, the benchmarks and the end-to-end tests all start from it. Everything is written
//! through the same domain functions the app uses, so the demo obeys every rule.
//!
//! The rooms: `roster` (the people: names, flags, who joins), `life` (meetings and activities, on
//! their own random stream), `books` (the money and the loans, month by month). The club, its
//! board, its key and the years of joining and leaving are built here.

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::AuthRole;
use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::club::{self, ClubInput};
use crate::roster::member::{self, poverty_standard_on, Flag, LeaveReason, Role};
use crate::store::audit::Actor;
use crate::store::Store;

mod books;
mod life;
mod roster;
#[cfg(test)]
mod tests;

use books::ledger_history;
use life::{activity_history, Life};
use roster::add_person;

/// The passphrase of the demo club's signing key. Public on purpose: the demo is for trying the app
/// (`ishc … export` on a demo ledger), never for real books.
pub const DEMO_PASSPHRASE: &str = "demo-passphrase";

/// The demo board's PINs, by role (whoever holds the role on the last day signs in with it). Public
/// on purpose, printed by `ishc demo`, `make run` and the README: never for real books.
pub const DEMO_PINS: [(AuthRole, &str); 4] =
    [(AuthRole::Chair, "1111"), (AuthRole::ViceChair, "2222"), (AuthRole::Treasurer, "3333"), (AuthRole::Secretary, "4444")];

/// The demo club's recovery code (public on purpose, like the PINs).
pub const DEMO_RECOVERY_CODE: &str = "CHBD-EMXA-2345-6789";

/// A demo board member's sign-in, as `ishc demo` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DemoSignIn {
    pub role: AuthRole,
    pub name: String,
    pub pin: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DemoOptions {
    pub years: u32,
    pub members: u32,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { years: 10, members: 60, seed: 1336 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DemoSummary {
    pub club_id: i64,
    pub club_name: String,
    pub founded_on: NaiveDate,
    pub members_ever: u32,
    pub members_now: u32,
    /// Journal entries written (vouchers, transfers, count adjustments).
    pub entries: u32,
    pub meetings: u32,
    pub activities: u32,
    /// The board's sign-ins and their (public) demo PINs.
    pub sign_ins: Vec<DemoSignIn>,
}

/// The demo's random stream.
struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from.choose(&mut self.rng).copied().unwrap_or("")
    }
    fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        from + Duration::days(self.rng.random_range(0..=span))
    }
}

fn thousands(g: &mut Gen, lo: i64, hi: i64) -> i64 {
    g.rng.random_range(lo / 1000..=hi / 1000) * 1000
}

/// Refuse options no demo can be built with, before anything is created.
pub fn check_options(opts: &DemoOptions) -> Result<()> {
    if !(1..=30).contains(&opts.years) {
        return Err(CoreError::invalid(Field::DemoYears, Rule::Range { min: 1, max: 30 }));
    }
    if !(5..=500).contains(&opts.members) {
        return Err(CoreError::invalid(Field::DemoMembers, Rule::Range { min: 5, max: 500 }));
    }
    Ok(())
}

/// Build a new demo club in `store`, its history ending on `store.today()`. Only into books that
/// hold no club yet: a demo beside a real club (or a second demo) would make every command ask
/// which club is meant, and mix made-up people with real ones.
pub fn build(store: &mut Store, opts: DemoOptions) -> Result<DemoSummary> {
    check_options(&opts)?;
    let clubs: i64 = store.conn().query_row("SELECT count(*) FROM club", [], |r| r.get(0))?;
    if clubs > 0 {
        return Err(CoreError::DemoNotEmpty { clubs });
    }
    let until = store.today();
    let founded_on = NaiveDate::from_ymd_opt(until.year() - opts.years as i32, 3, 15)
        .filter(|d| *d < until)
        .unwrap_or(until - Duration::days(365 * opts.years as i64));
    let mut g = Gen { rng: ChaCha8Rng::seed_from_u64(opts.seed) };
    let actor = Actor::system("Dữ liệu mẫu")?;
    let mut input = ClubInput::new(
        "CLB Liên thế hệ tự giúp nhau thôn Đông Hòa",
        "Xã Quảng Hòa",
        "Huyện Quảng Xương",
        "Thanh Hóa",
        founded_on,
    );
    input.hamlet = "Thôn Đông Hòa".into();
    input.monthly_due = Some(50_000);
    store.write(&actor, |w| {
        let club = club::create_in(w, &input)?;
        let club_id = club.id;
        crate::signing::key::create_in(w, club_id, DEMO_PASSPHRASE)?;
        // Founding members: most of the club joins on the first day.
        let founding = (opts.members * 85 / 100).max(3);
        let mut active: Vec<i64> = Vec::new();
        for _ in 0..founding {
            active.push(add_person(w, &mut g, club_id, founded_on, until)?);
        }
        let mut ever = founding;
        // The first board and volunteers.
        let board = [Role::Chair, Role::ViceChair, Role::Treasurer, Role::Secretary, Role::GroupLeader];
        // The board are the first founders, with names people can tell apart (two namesakes on one
        // board could not confirm each other's month close). They stay at the head of `active`.
        let mut seen: Vec<String> = Vec::new();
        let mut board_ids: Vec<i64> = Vec::new();
        for id in active.clone() {
            let name: String = w.tx.query_row("SELECT name_folded FROM member WHERE id = ?1", [id], |r| r.get(0))?;
            if !seen.contains(&name) {
                seen.push(name);
                board_ids.push(id);
            }
            if board_ids.len() == board.len() {
                break;
            }
        }
        active.retain(|id| !board_ids.contains(id));
        active.splice(0..0, board_ids.iter().copied());
        for (id, role) in board_ids.iter().zip(board.iter()) {
            member::set_role_in(w, club_id, *id, *role, true, founded_on)?;
        }
        let volunteers = (opts.members / 9).max(2) as usize;
        for id in active.iter().skip(board.len()).take(volunteers) {
            member::set_role_in(w, club_id, *id, Role::Volunteer, true, founded_on)?;
        }
        for id in active.iter().rev().take(4) {
            member::set_role_in(w, club_id, *id, Role::CareRecipient, true, founded_on)?;
        }
        // Each year a few leave and newcomers join, the club growing towards its size.
        let mut day = founded_on;
        while day < until {
            let year_end = (day + Duration::days(365)).min(until);
            let leavers = active.len() * g.rng.random_range(2..=6) / 100;
            for _ in 0..leavers {
                // The board (first few ids) stays; ordinary members leave.
                let candidates: Vec<i64> = active.iter().copied().skip(board.len()).collect();
                let Some(&id) = candidates.choose(&mut g.rng) else { break };
                let reason = *[LeaveReason::Moved, LeaveReason::Died, LeaveReason::Withdrew, LeaveReason::Moved]
                    .choose(&mut g.rng)
                    .unwrap_or(&LeaveReason::Other);
                let joined: NaiveDate = w.tx.query_row("SELECT joined_on FROM member WHERE id = ?1", [id], |r| r.get(0))?;
                let on = g.day_between(joined.max(day), year_end);
                member::leave_in(w, club_id, id, on, reason)?;
                active.retain(|a| *a != id);
            }
            let target = opts.members as usize;
            let joiners = (target.saturating_sub(active.len()) / 2 + g.rng.random_range(0..=2)).min(target / 5 + 1);
            for _ in 0..joiners {
                let on = g.day_between(day + Duration::days(1), year_end);
                if on > until {
                    continue;
                }
                active.push(add_person(w, &mut g, club_id, on, until)?);
                ever += 1;
            }
            // Poverty status is reviewed when a new national standard starts.
            for year in [2022, 2026] {
                let review = NaiveDate::from_ymd_opt(year, 1, 15).unwrap_or(day);
                if review > day && review <= year_end {
                    for id in active.clone() {
                        if g.chance(0.04) {
                            let joined: NaiveDate =
                                w.tx.query_row("SELECT joined_on FROM member WHERE id = ?1", [id], |r| r.get(0))?;
                            if joined < review {
                                let std = poverty_standard_on(review);
                                member::set_flag_in(w, club_id, id, Flag::Poor, true, review, Some(std))?;
                            }
                        }
                    }
                }
            }
            day = year_end;
        }
        Ok(DemoSummary {
            club_id,
            club_name: club.name.clone(),
            founded_on,
            members_ever: ever,
            members_now: active.len() as u32,
            entries: 0,
            meetings: 0,
            activities: 0,
            sign_ins: vec![],
        })
    })
    .and_then(|mut summary| {
        let treasurer = board_name(store, summary.club_id, Role::Treasurer)?;
        let chair = board_name(store, summary.club_id, Role::Chair)?;
        let secretary = board_name(store, summary.club_id, Role::Secretary)?;
        // The club's life has its own random stream, so the books stay as they were before it.
        let mut h = Gen { rng: ChaCha8Rng::seed_from_u64(opts.seed.wrapping_add(1)) };
        store.write(&Actor::system(&treasurer)?, |w| {
            let mut life = Life { h: &mut h, meetings: 0 };
            summary.entries = ledger_history(w, &mut g, &mut life, summary.club_id, founded_on, until, &chair, &secretary)?;
            summary.meetings = life.meetings;
            summary.activities = activity_history(w, &mut h, summary.club_id, founded_on, until)?;
            Ok(summary)
        })
    })
    .and_then(|mut summary| {
        // The board of the last day signs in with the demo PINs.
        store.write(&Actor::system("Dữ liệu mẫu")?, |w| {
            let made = crate::auth::seed_in(w, summary.club_id, until, &DEMO_PINS, DEMO_RECOVERY_CODE)?;
            summary.sign_ins = made
                .into_iter()
                .filter_map(|(role, name)| {
                    DEMO_PINS.iter().find(|(r, _)| *r == role).map(|(_, pin)| DemoSignIn { role, name, pin: pin.to_string() })
                })
                .collect();
            Ok(summary)
        })
    })
}

fn board_name(store: &Store, club_id: i64, role: Role) -> Result<String> {
    let today = store.today();
    member::load_club(store, club_id)?
        .iter()
        .find(|m| m.has_role_on(role, today))
        .map(|m| m.full_name.clone())
        .ok_or(CoreError::NoClub)
}
