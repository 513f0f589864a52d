//! One room per command: each file holds its command's clap types (what may be typed, and the help
//! text) next to the function that runs it. Values more than one command reads are in `crate::parse`.

pub mod backup;
pub mod check;
pub mod club;
pub mod commune;
pub mod demo;
pub mod fund;
pub mod key;
pub mod life;
pub mod loan;
pub mod member;
pub mod report;
pub mod user;
