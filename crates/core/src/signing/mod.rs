//! The club's signing key and the signed report bundle the commune receives.
//!
//! Invariants this folder owns:
//! - One key in use per club; a change of key is endorsed by the old key (`key`).
//! - A bundle is written whole or not at all, and `export` verifies the file it wrote with the same
//!   code the commune runs (`bundle::verify_bytes`).
//! - No cryptography is written here: minisign (Ed25519) signs, SHA-256 digests.

pub mod bundle;
pub mod key;
