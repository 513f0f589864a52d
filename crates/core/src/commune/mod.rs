//! The commune's side: the clubs' reports received and rolled up for the district and province.
pub mod rollup;
