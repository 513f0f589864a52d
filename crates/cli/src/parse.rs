//! The values typed on the command line that more than one command reads. Where the core has the
//! grammar (money, banknotes) these are one-line calls into `ishc_core::parse`; a value the core
//! never sees wrong comes back as `CliError::Arg` (`arg.invalid`), naming the field and the rule.
//! Every word of a closed set (a fund, a flag, a role, a kind…) is read by the one `one_of`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ishc_core::books::Fund;
use ishc_core::error::{CoreError, Field, Rule};
use ishc_core::roster::member::Sex;
use rust_decimal::Decimal;

use crate::output::{CliError, Result};

/// A value the core's grammar refused, said as a command-line value (`arg.invalid`) as before.
fn arg(e: CoreError) -> CliError {
    match e {
        CoreError::Invalid { field, rule } => CliError::Arg { field, rule },
        e => CliError::Core(e),
    }
}

/// A date as people type it: `2026-11-22`, `22/11/2026` or `22/11/26` (`ishc_core::parse::date`).
pub fn parse_date(s: &str, field: Field) -> Result<NaiveDate> {
    ishc_core::parse::date(s, field).map_err(arg)
}

pub fn parse_opt_date(s: &Option<String>, field: Field) -> Result<Option<NaiveDate>> {
    s.as_deref().map(|s| parse_date(s, field)).transpose()
}

/// A birth year alone, or a full date, the year in four digits (`ishc_core::parse::birth`).
pub fn parse_birth(s: &str) -> Result<(i32, Option<NaiveDate>)> {
    ishc_core::parse::birth(s).map_err(arg)
}

pub fn parse_sex(s: &str) -> Result<Sex> {
    ishc_core::parse::sex(s).map_err(arg)
}

/// One word of a closed set, the one way an enum value typed on the command line is read: `code(x)`
/// for each `x` in `all` (usually `T::ALL` and `T::code`). Spaces around it do not matter and `-` is
/// read as `_` (`home-visit`, `near-poor`). Anything else is `arg.invalid`, rule `one_of`, listing
/// every word as `code` gives it.
pub fn one_of<T: Copy>(s: &str, field: Field, all: &[T], code: impl Fn(T) -> &'static str) -> Result<T> {
    let wanted = s.trim().replace('-', "_");
    all.iter().copied().find(|x| code(*x).replace('-', "_") == wanted).ok_or_else(|| CliError::Arg {
        field,
        rule: Rule::OneOf { allowed: all.iter().map(|x| code(*x).to_string()).collect() },
    })
}

/// An activity area as it is typed and listed: by its number (`a3` is `3`); `admin` as it is.
pub fn area_word(code: &'static str) -> &'static str {
    match code.strip_prefix('a') {
        Some(n) if n.len() == 1 => n,
        _ => code,
    }
}

/// Whole đồng as people write them, read by the core's one money grammar (`parse::money`).
pub fn parse_money(s: &str, field: Field) -> Result<i64> {
    Ok(ishc_core::parse::money(s, field)?)
}

/// Banknotes counted: `500000=2,200000=5,…` (the core's grammar, `parse::cash_notes`).
pub fn parse_notes(s: &str) -> Result<BTreeMap<i64, i64>> {
    Ok(ishc_core::parse::cash_notes(s)?)
}

/// A fund: the core also knows it by its Vietnamese name (`hoạt động`, `TN`…).
pub fn parse_fund(s: &str) -> Result<Fund> {
    Fund::parse(s).map_or_else(|| one_of(s, Field::LedgerFund, &Fund::ALL, Fund::code), Ok)
}

/// Per cent: `0.5`, `0,5` or `0.5 %`.
pub fn parse_pct(s: &str, field: Field) -> Result<Decimal> {
    s.trim()
        .replace(',', ".")
        .trim_end_matches('%')
        .trim()
        .parse::<Decimal>()
        .map_err(|_| CliError::Arg { field, rule: Rule::Unknown { value: s.to_string() } })
}

/// Yes or no, in either language (`yes`/`có`/`true`/`1`, `no`/`không`/`false`/`0`).
pub fn parse_bool(s: &str, field: Field) -> Result<bool> {
    match ishc_core::text::fold(s).as_str() {
        "yes" | "true" | "co" | "1" => Ok(true),
        "no" | "false" | "khong" | "0" => Ok(false),
        _ => Err(CliError::Arg { field, rule: Rule::OneOf { allowed: vec!["yes".into(), "no".into()] } }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_people_type() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(parse_date("2026-03-05", Field::Date).unwrap(), d);
        assert_eq!(parse_date("05/03/2026", Field::Date).unwrap(), d);
        assert_eq!(parse_date("5/3/26", Field::Date).unwrap(), d);
        assert!(parse_date("31/02/2026", Field::Date).is_err());
        assert!(parse_date("hôm qua", Field::Date).is_err());
        assert_eq!(parse_birth("1956").unwrap(), (1956, None));
        assert_eq!(parse_sex("Nữ").unwrap(), Sex::F);
        assert_eq!(parse_sex("nam").unwrap(), Sex::M);
    }

    #[test]
    fn one_word_of_a_closed_set() {
        use ishc_core::roster::member::Flag;
        assert_eq!(one_of("near_poor", Field::MemberFlag, &Flag::ALL, Flag::code).unwrap(), Flag::NearPoor);
        assert_eq!(one_of(" near-poor ", Field::MemberFlag, &Flag::ALL, Flag::code).unwrap(), Flag::NearPoor);
        let Err(CliError::Arg { field, rule }) = one_of("rich", Field::MemberFlag, &Flag::ALL, Flag::code) else {
            panic!("a word not in the set is refused")
        };
        assert_eq!(field, Field::MemberFlag);
        let allowed = ["poor", "near_poor", "disability", "living_alone"].map(String::from).to_vec();
        assert_eq!(rule, Rule::OneOf { allowed });
        assert_eq!(parse_fund("Hoạt động").unwrap(), Fund::Activity);
        assert!(matches!(parse_fund("bank"), Err(CliError::Arg { field: Field::LedgerFund, .. })));
    }

    /// What was typed, read by the command line and by the member import of the core: the same value
    /// or the same refusal (field and rule), for every shared vector (`assets/vectors/dates.json`).
    #[test]
    fn the_command_line_and_the_import_read_every_date_birth_and_sex_alike() {
        use ishc_core::roster::club::{self, ClubInput};
        use ishc_core::{Actor, Store};
        use ishc_core::roster::import::{self, Cell, ImportOptions, Table};
        type Read = std::result::Result<serde_json::Value, serde_json::Value>;
        let cli = |r: Result<serde_json::Value>| -> Read {
            r.map_err(|e| match e {
                CliError::Arg { field, rule } => serde_json::json!({ "field": field, "rule": rule }),
                other => panic!("{other:?}"),
            })
        };
        let core = |e: CoreError| match e {
            CoreError::Invalid { field, rule } => serde_json::json!({ "field": field, "rule": rule }),
            other => panic!("{other:?}"),
        };
        let vectors: serde_json::Value = serde_json::from_str(include_str!("../../../assets/vectors/dates.json")).unwrap();
        let inputs = |kind: &str| -> Vec<String> {
            vectors[kind].as_array().unwrap().iter().map(|c| c["input"].as_str().unwrap().to_string()).collect()
        };
        for input in inputs("dates") {
            let by_cli = cli(parse_date(&input, Field::MemberJoinedOn).map(|d| serde_json::json!(d)));
            let by_import = import::parse_date_cell(&Cell::Text(input.clone()), Field::MemberJoinedOn).map(|d| serde_json::json!(d)).map_err(core);
            assert_eq!(by_cli, by_import, "date {input:?}");
        }
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let actor = Actor::new("Lê Thị Hoa").unwrap();
        let founded = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
        let club = club::create(&mut store, &actor, &ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", founded)).unwrap().id;
        let dry_run = |store: &mut Store, rows: Vec<[String; 3]>| {
            let header = ["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào"].map(|h| Cell::Text(h.into())).to_vec();
            let body = rows.into_iter().enumerate().map(|(i, r)| {
                std::iter::once(Cell::Text(format!("Thành Viên {i}"))).chain(r.map(Cell::Text)).collect()
            });
            let table = Table { format: "csv".into(), encoding: "UTF-8".into(), delimiter: Some(','), rows: std::iter::once(header).chain(body).collect() };
            import::import(store, &actor, club, &table, &ImportOptions::default(), false).unwrap().rows
        };
        let births = inputs("births");
        let rows = dry_run(&mut store, births.iter().map(|b| ["Nữ".into(), b.clone(), "01/03/2019".into()]).collect());
        for (input, row) in births.iter().zip(rows) {
            let by_cli = cli(parse_birth(input).map(|(y, d)| serde_json::json!([y, d])));
            let by_import = match (row.member, row.error) {
                (Some(m), None) => Ok(serde_json::json!([m.birth_year, m.birth_date])),
                (_, e) => Err(core(e.unwrap())),
            };
            assert_eq!(by_cli, by_import, "birth {input:?}");
        }
        let sexes = inputs("sexes");
        let rows = dry_run(&mut store, sexes.iter().map(|s| [s.clone(), "1950".into(), "01/03/2019".into()]).collect());
        for (input, row) in sexes.iter().zip(rows) {
            let by_cli = cli(parse_sex(input).map(|s| serde_json::json!(s)));
            let by_import = match (row.member, row.error) {
                (Some(m), None) => Ok(serde_json::json!(m.sex)),
                (_, e) => Err(core(e.unwrap())),
            };
            assert_eq!(by_cli, by_import, "sex {input:?}");
        }
    }
}
