//! The club's signing key and the signed report bundle the commune receives.
//!
//! Invariants this folder owns:
//! - One key in use per club; a change of key is endorsed by the old key (`key`).
//! - A bundle is written whole or not at all (`files::write_atomic`, never over a file of the name),
//!   and `export` verifies the file it wrote with the same code the commune runs
//!   (`bundle::verify_bytes`).
//! - A club and its key are made in one transaction (`key::create_club_with_key`).
//! - Nothing here renders or reads the message catalogue: the printable key card is
//!   `reporting::card`.
//! - No cryptography is written here: minisign (Ed25519) signs, SHA-256 digests.

pub mod bundle;
pub mod key;
