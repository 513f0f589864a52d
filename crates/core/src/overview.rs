//! The first page a chairperson sees: the club, its size and make-up today, and who is on the board.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::roster::club::{self, Club};
use crate::roster::composition::{self, Composition};
use crate::error::Result;
use crate::roster::member::{self, Role};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BoardMember {
    pub member_id: i64,
    pub full_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Overview {
    pub club: Club,
    pub today: NaiveDate,
    pub composition: Composition,
    pub board: Vec<BoardMember>,
    /// The next yearly report deadline on or after today.
    pub next_deadline: NaiveDate,
}

pub fn next_deadline(club: &Club, today: NaiveDate) -> NaiveDate {
    let on = |year: i32| {
        NaiveDate::from_ymd_opt(year, club.report_deadline_month, club.report_deadline_day)
            // 29/02 in a common year falls on 28/02.
            .or_else(|| NaiveDate::from_ymd_opt(year, club.report_deadline_month, club.report_deadline_day - 1))
            .unwrap_or(today)
    };
    let this_year = on(today.year());
    if this_year >= today { this_year } else { on(today.year() + 1) }
}

/// The board on `today`, chair first.
pub fn board(store: &Store, club_id: i64, today: NaiveDate) -> Result<Vec<BoardMember>> {
    let mut out = Vec::new();
    for m in member::load_club(store, club_id)?.iter() {
        for role in Role::ALL.into_iter().filter(|r| r.is_board()) {
            if m.is_member_on(today) && m.has_role_on(role, today) {
                out.push(BoardMember { member_id: m.id, full_name: m.full_name.clone(), role });
            }
        }
    }
    out.sort_by_key(|b| Role::ALL.iter().position(|r| *r == b.role));
    Ok(out)
}

pub fn overview(store: &Store, club_id: i64) -> Result<Overview> {
    store.snapshot(|| overview_in(store, club_id))
}

fn overview_in(store: &Store, club_id: i64) -> Result<Overview> {
    let club = club::get(store, club_id)?;
    let today = store.today();
    Ok(Overview {
        composition: composition::compute(store, club_id, Some(today), None)?,
        board: board(store, club_id, today)?,
        next_deadline: next_deadline(&club, today),
        today,
        club,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{self, DemoOptions};

    #[test]
    fn overview_of_the_demo() {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today("2026-11-22".parse().unwrap());
        let s = demo::build(&mut store, DemoOptions::default()).unwrap();
        let o = overview(&store, s.club_id).unwrap();
        assert_eq!(o.composition.counts.members, s.members_now);
        assert_eq!(o.board[0].role, Role::Chair);
        assert_eq!(o.next_deadline, "2026-12-10".parse().unwrap());
        store.set_today("2026-12-11".parse().unwrap());
        assert_eq!(overview(&store, s.club_id).unwrap().next_deadline, "2027-12-10".parse().unwrap());
    }
}
