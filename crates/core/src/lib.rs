//! The club ledger's core: the domain rules and the SQLite store. It knows nothing of Tauri, the
//! screen or the terminal; it returns typed results and never prints. See ARCHITECTURE.md.

pub mod activity;
pub mod audit;
pub mod bindings;
pub mod bundle;
pub mod check;
pub mod club;
pub mod composition;
pub mod demo;
pub mod error;
pub mod files;
pub mod format;
pub mod i18n;
pub mod import;
pub mod key;
pub mod ledger;
pub mod loan;
pub mod meeting;
pub mod member;
pub mod migrations;
pub mod overview;
pub mod parse;
pub mod preset;
pub mod report;
pub(crate) mod seal;
pub mod standard;
pub mod store;
pub mod text;

pub use audit::Actor;
pub use error::{CoreError, Field, Result, Rule};
pub use store::{OpenMode, Store};

/// The app's version, written into exports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
