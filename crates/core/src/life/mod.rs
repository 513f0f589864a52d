//! The club's life between the books: meetings (attendance, areas, decisions, minutes), the
//! activities between meetings, and the standard's yearly self-assessment built from them.
//!
//! Invariants this folder owns:
//! - A meeting or an activity happens on a day within the club's life, with members who were
//!   members on that day (through `roster::club::check_day` and `roster::member::on_day`).
//! - The standard's thresholds come from the club's target preset, never from code.

pub mod activity;
pub mod decision;
pub mod meeting;
pub mod standard;
