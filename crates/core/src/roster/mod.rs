//! The roster: the club itself, its members over time, who the club is against its target, the
//! targets (presets) and the member sheets clubs already keep.
//!
//! Invariants this folder owns:
//! - A member is never deleted; leaving, flags and roles are date ranges (`member`).
//! - Every figure about people can be asked "as of a date" (`member::on_day`, `composition`).
//! - A day outside the club's life is refused in one place (`club::check_day`).
//! - A member is reached through their club: every function taking a member's id also takes the club
//!   (`member::get`, `edit`, `leave`, `set_flag`, `set_role`, `on_day`) and answers
//!   `member.not_found` for a member of another club, writing nothing.
//! - An import lands whole or not at all, through the same `member::add_in` as one typed member.
//! - A sheet's dates, births and sex are read by the one grammar in `crate::parse`, as the command
//!   line reads them (`assets/vectors/dates.json`); the import never reads the clock.
//! - Nothing grows with a sheet before it is bounded (`import::limits`).

pub mod club;
pub mod composition;
pub mod import;
pub mod member;
pub mod preset;
