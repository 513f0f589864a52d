//! Closed sets of words, spelled once. A value of a coded enum is stored, sent to the window and
//! typed on the command line as its code (`near_poor`, `written_off`, `F`); `coded_enum!` writes
//! the enum from one list of `Variant = "code"` pairs: the serde name of each variant (which ts-rs
//! and schemars read too), `ALL` in the order written, `code` and `from_code`. The SQL `CHECK (… IN
//! (…))` lists of the migrations cannot be generated (a shipped step is never edited), so the test
//! below ties each enum's codes to the CHECK list of every column that stores it in `schema.sql`.
//!
//! A word that accepts more than its code (a fund's Vietnamese name, an area's number) is an extra
//! `parse` beside the enum, built on `from_code`, never a second list of codes.

/// An enum whose every value is one fixed word. `coded_enum!` implements it; `Topic` (an area or a
/// theme) by hand.
pub trait Coded: Copy + Eq + std::fmt::Debug + 'static {
    /// The type's name, for messages.
    const NAME: &'static str;
    /// Every value, in the order of its definition.
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    /// Exactly a code, nothing else (no trimming, no case folding).
    fn from_code(s: &str) -> Option<Self>;
}

/// `coded_enum! { /// doc  #[derive(Extra)]  pub enum Sex { /// doc  F = "F", M = "M" } }`: the enum
/// with `Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS` (more derives and
/// attributes as written), each variant renamed to its code for serde; `const ALL: [Self; N]`,
/// `code` and `from_code`, and the `Coded` trait.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, ::ts_rs::TS)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in the order of its definition.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];
            /// The word it is stored, sent and typed as.
            pub const fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }
            /// Exactly a code, nothing else.
            pub fn from_code(s: &str) -> Option<$name> {
                match s {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl $crate::codes::Coded for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn from_code(s: &str) -> Option<Self> {
                $name::from_code(s)
            }
        }
    };
}
pub(crate) use coded_enum;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde::{de::DeserializeOwned, Serialize};

    use super::Coded;
    use crate::books::{Area, ExportFormat, Fund, Kind, Source, Via};
    use crate::life::activity::ActivityKind;
    use crate::life::decision::DecisionKind;
    use crate::life::meeting::{MeetingKind, Topic};
    use crate::life::standard::Unit;
    use crate::loans::{LineState, LoanStatus, Method, Purpose, RepayMode};
    use crate::roster::composition::Status;
    use crate::roster::member::{Flag, LeaveReason, Role, Sex};
    use crate::roster::preset::Measure;

    const SCHEMA: &str = include_str!("../schema.sql");

    /// Columns with a `CHECK (column IN ('…'))` list that is not one of these enums: the voucher
    /// series letters (`Kind::series`) and the two counted accounts (`Account::Cash`, `Bank`).
    const NOT_AN_ENUM: [(&str, &str); 2] = [("journal_entry", "series"), ("balance_assertion", "account")];

    /// The values of `CHECK (column IN ('a', 'b', …))` in `table`, or None when it has none.
    fn check_list(table: &str, column: &str) -> Option<BTreeSet<String>> {
        let start = SCHEMA.find(&format!("CREATE TABLE {table} ("))?;
        let body = &SCHEMA[start..];
        let body = &body[..body[1..].find("\nCREATE ").map_or(body.len(), |e| e + 1)];
        let needle = format!("CHECK ({column} IN (");
        let at = body.find(&needle)? + needle.len();
        assert!(!body[at..].contains(&needle), "{table}.{column}: more than one CHECK list");
        let list = &body[at..at + body[at..].find(')').expect("a closed CHECK list")];
        Some(list.split(',').map(|v| v.trim().trim_matches('\'').to_string()).collect())
    }

    /// Every text CHECK list in the schema, as (table, column).
    fn all_check_lists() -> BTreeSet<(String, String)> {
        let mut found = BTreeSet::new();
        for table in SCHEMA.split("CREATE TABLE ").skip(1) {
            let name = table.split_whitespace().next().unwrap();
            for part in table.split("CHECK (").skip(1) {
                if let Some((column, rest)) = part.split_once(" IN (") {
                    if rest.trim_start().starts_with('\'') && !column.contains(' ') {
                        found.insert((name.to_string(), column.to_string()));
                    }
                }
            }
        }
        found
    }

    /// One enum: serde, `code` and `from_code` agree on every value, the codes are unique, and each
    /// `(table, column, codes not allowed there)` has a CHECK list of exactly the other codes.
    fn tie<T: Coded + Serialize + DeserializeOwned>(columns: &[(&str, &str, &[&str])], problems: &mut Vec<String>, claimed: &mut BTreeSet<(String, String)>) {
        let name = T::NAME;
        let mut codes = BTreeSet::new();
        for &v in T::all() {
            let code = v.code();
            if serde_json::to_value(v).ok() != Some(serde_json::Value::String(code.into())) {
                problems.push(format!("{name}::{v:?}: serde names it {:?}, its code is {code:?}", serde_json::to_value(v).ok()));
            }
            if serde_json::from_value::<T>(serde_json::Value::String(code.into())).ok() != Some(v) {
                problems.push(format!("{name}::{v:?}: serde does not read back {code:?}"));
            }
            if T::from_code(code) != Some(v) {
                problems.push(format!("{name}::{v:?}: from_code({code:?}) is not it"));
            }
            if !codes.insert(code.to_string()) {
                problems.push(format!("{name}: the code {code:?} is given twice"));
            }
        }
        for &(table, column, not_here) in columns {
            claimed.insert((table.into(), column.into()));
            let wanted: BTreeSet<String> = codes.iter().filter(|c| !not_here.contains(&c.as_str())).cloned().collect();
            match check_list(table, column) {
                None => problems.push(format!("{name}: schema.sql has no CHECK ({column} IN (…)) in {table}")),
                Some(list) if list != wanted => problems.push(format!(
                    "{name} vs {table}.{column}: only in the enum {:?}, only in the CHECK {:?}",
                    wanted.difference(&list).collect::<Vec<_>>(),
                    list.difference(&wanted).collect::<Vec<_>>()
                )),
                Some(_) => {}
            }
        }
    }

    #[test]
    fn codes_serde_names_and_check_lists_agree() {
        let mut p = Vec::new();
        let mut c = BTreeSet::new();
        tie::<Fund>(&[("journal_entry", "fund", &[]), ("posting", "fund", &[]), ("balance_assertion", "fund", &[])], &mut p, &mut c);
        tie::<Kind>(&[("journal_entry", "kind", &[])], &mut p, &mut c);
        // Stored inside `posting.account` as `income:<source>`, checked by the trigger
        // `posting_account_valid` as a pattern (`income:?*`), not a list.
        tie::<Source>(&[], &mut p, &mut c);
        // An activity is never administration. A payment's area is stored inside `posting.account`
        // (`expense:<area>`, the trigger's pattern `expense:?*`).
        tie::<Area>(&[("activity", "area", &["admin"])], &mut p, &mut c);
        // Cash or bank: the posting's account (`Account`), never stored as itself.
        tie::<Via>(&[], &mut p, &mut c);
        tie::<Sex>(&[("member", "sex", &[])], &mut p, &mut c);
        tie::<LeaveReason>(&[("member", "leave_reason", &[])], &mut p, &mut c);
        tie::<Flag>(&[("member_flag", "flag", &[])], &mut p, &mut c);
        tie::<Role>(&[("member_role", "role", &[])], &mut p, &mut c);
        tie::<MeetingKind>(&[("meeting", "kind", &[])], &mut p, &mut c);
        // Written by hand (an area or a theme), and stored.
        tie::<Topic>(&[("meeting_topic", "topic", &[])], &mut p, &mut c);
        tie::<DecisionKind>(&[("decision", "kind", &[])], &mut p, &mut c);
        tie::<ActivityKind>(&[("activity", "kind", &[])], &mut p, &mut c);
        tie::<Purpose>(&[("loan", "purpose", &[])], &mut p, &mut c);
        tie::<LoanStatus>(&[("loan", "status", &[])], &mut p, &mut c);
        // Also inside the JSON of `loan.terms` and `loan_schedule_version.terms` (no CHECK there).
        tie::<Method>(&[("loan_rules", "method", &[])], &mut p, &mut c);
        // In the JSON of `target_preset.body`, no CHECK.
        tie::<Measure>(&[], &mut p, &mut c);
        // Never stored: computed, or chosen per request.
        tie::<Status>(&[], &mut p, &mut c);
        tie::<Unit>(&[], &mut p, &mut c);
        tie::<LineState>(&[], &mut p, &mut c);
        tie::<RepayMode>(&[], &mut p, &mut c);
        tie::<ExportFormat>(&[], &mut p, &mut c);

        // A CHECK list of words that no enum here claims is a new column to add above.
        for (table, column) in all_check_lists() {
            if !c.contains(&(table.clone(), column.clone())) && !NOT_AN_ENUM.contains(&(table.as_str(), column.as_str())) {
                p.push(format!("{table}.{column} has a CHECK list of words that no enum is tied to"));
            }
        }
        assert!(p.is_empty(), "{}", p.join("\n"));
    }

    #[test]
    fn the_check_list_reader_reads_the_schema() {
        assert_eq!(check_list("member", "sex"), Some(BTreeSet::from(["F".to_string(), "M".to_string()])));
        assert_eq!(check_list("member", "nope"), None);
        assert!(all_check_lists().contains(&("meeting_topic".to_string(), "topic".to_string())));
        assert!(!all_check_lists().iter().any(|(_, c)| c == "rounding_unit"), "numbers are not words");
    }
}
