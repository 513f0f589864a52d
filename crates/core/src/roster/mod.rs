//! The roster: the club itself, its members over time, who the club is against its target, the
//! targets (presets) and the member sheets clubs already keep.
//!
//! Invariants this folder owns:
//! - A member is never deleted; leaving, flags and roles are date ranges (`member`).
//! - Every figure about people can be asked "as of a date" (`member::on_day`, `composition`).
//! - A day outside the club's life is refused in one place (`club::check_day`).
//! - An import lands whole or not at all, through the same `member::add_in` as one typed member.

pub mod club;
pub mod composition;
pub mod import;
pub mod member;
pub mod preset;
