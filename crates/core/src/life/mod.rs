//! The club's life between the books: meetings (attendance, areas, minutes), the decisions taken at
//! them, the activities between meetings, and the standard's yearly self-assessment built from them.
//!
//! Invariants this folder owns:
//! - A meeting or an activity happens on a day within the club's life, with members who were
//!   members on that day (through `roster::club::check_day` and `roster::member::on_day`, called
//!   directly: no copy of either rule lives here).
//! - A decision belongs to a meeting of its club that is in the books (`decision`); a meeting is
//!   read only through its club (`meeting::get`).
//! - A meeting's areas are the ledger's `books::Area`, the one an activity carries; what is stored
//!   and sent is the area's code (`a1`…`a8`) or a seed-001 theme (`meeting::Topic`).
//! - Money a meeting (dues) or an activity moves is a voucher written in the same transaction.
//! - The standard's thresholds come from the club's target preset, never from code.
//!
//! Arrows (one way): `standard` → `meeting` → `decision`; `meeting` → `loans` → `decision`;
//! `activity` imports none of them. In `life/` and `loans/` only `standard` imports `meeting`.

pub mod activity;
pub mod decision;
pub mod meeting;
pub mod standard;
