//! The club ledger's core: the domain rules and the SQLite store. It knows nothing of Tauri, the
//! screen or the terminal; it returns typed results and never prints. See ARCHITECTURE.md.

pub mod auth;
pub mod bindings;
pub mod books;
pub mod check;
pub mod codes;
pub mod commune;
pub mod demo;
pub mod error;
pub mod files;
pub mod format;
pub mod i18n;
pub mod life;
pub mod notice;
pub mod loans;
pub mod overview;
pub mod parse;
mod platform;
pub mod reporting;
pub mod roster;
pub mod signing;
pub mod store;
pub mod text;

pub use store::audit::Actor;
pub use error::{CoreError, Field, Result, Rule};
pub use store::{OpenMode, Store};

/// The app's version, written into exports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
