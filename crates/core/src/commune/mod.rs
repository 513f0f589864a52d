//! The commune inbox: the commune officer's own ledger (a separate SQLite file with its own schema,
//! never a club ledger), the register of clubs and their keys, and the import of the clubs' signed
//! report bundles from a stick. The roll-up of the figures lives in `rollup/`, pure sums
//! (`rollup::ClubSums`, `rollup::PartSums`) fed one report at a time by `status::each_club_input`
//! and `status::each_part_input`, so memory does not grow with the reports held.
//!
//! **Invariants this folder owns:**
//! - A club's key is registered only when the fingerprint typed from its printed card matches the
//!   key (`register::typed_fingerprint`); a later key is accepted only from a bundle signed by it
//!   that carries the registered key's signed word for it (`signing::bundle::verify_bytes`, the same
//!   check as `ishc verify`). Keys are never deleted: a replaced key is retired at the sequence of
//!   the bundle that brought its successor.
//! - A bundle is counted only when it verified against the club's registered key, names this
//!   commune, and follows the bundles held from that club (sequence and previous digest): a replay
//!   (`bundle.replay`), a fork (`bundle.fork`) and a bundle from a retired key after its successor
//!   (`bundle.retired_key`) are refused; a gap (`bundle.gap`) is accepted and flagged.
//! - Received bundles are kept byte for byte in the ledger (`received.bytes`), append-only (SQL
//!   triggers refuse UPDATE, DELETE and a second row with the same digest or sequence), each with
//!   its `report.json` text: the figures, never a parsed tree. Importing the same stick twice
//!   changes nothing.
//! - The figures of a period are each club's accepted bundle for it with the highest sequence: a
//!   corrected report replaces the earlier one in the figures, and both stay in the ledger.
//!
//! - One level up is the same code: a district's inbox (`Level::District`) registers its communes'
//!   keys and imports their signed roll-up bundles (`send::export`) through the same `import`; a
//!   bundle of the wrong kind for the level is refused (`bundle.wrong_level`). Its roll-up adds the
//!   communes' totals (`rollup::roll_up_parts`).
//!
//! The rooms: `ledger` (the file, its schema, its level, writes with their audit row, the
//! commune's key), `register` (clubs — or communes — keys, the typed fingerprint), `import`
//! (walking a stick, checking, keeping), `status` (who reported for a period, the roll-up's
//! inputs), `send` (the roll-up from the inbox, and the signed roll-up bundle sent upward).

pub mod backup;
pub mod check;
pub mod import;
pub mod ledger;
pub mod register;
pub mod send;
pub mod status;

/// The roll-up (figures, formats, DHIS2, targets): pure functions over the clubs' (parts') reports.
pub mod rollup;

#[cfg(test)]
mod tests;

pub use ledger::{Commune, CommuneInput, CommuneStore, Level};
