//! Reading what people type. One grammar per kind of value, shared by the command line, the import
//! and (through the test vectors in `assets/vectors/`) the window, so that a value typed in one place
//! can never mean another amount, day or person somewhere else.
//!
//! Money (`money`, `cash_notes`; vectors `money.json`), and dates, births and sex (`date`, `birth`,
//! `sex`; vectors `dates.json`). **Two-digit years:** in a date they are 20yy (`5/3/26` is
//! 05/03/2026), as the command line, the import and the window all read them: every day in the books
//! is in the club's life, which began after 2000, and a day after today is refused where it is
//! checked. A *birth* must name its year in four digits: `12/5/60` could be 1960 or 2060, a hundred
//! years apart, so it is refused (`Rule::FourDigitYear`), never guessed. No grammar reads the clock.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, Field, Result, Rule};
use crate::roster::member::Sex;

/// The largest amount the grammar reads (15 digits): far above any club's money, and exact in the
/// window's JavaScript numbers too. Callers check their own, smaller range.
pub const MAX_TYPED_MONEY: i64 = 999_999_999_999_999;

/// Why a typed amount was refused. The codes are those of `assets/vectors/money.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyProblem {
    Required,
    NotANumber,
    Negative,
    DecimalPart,
    BadGroups,
    TooLarge,
}

impl MoneyProblem {
    pub fn code(self) -> &'static str {
        match self {
            MoneyProblem::Required => "required",
            MoneyProblem::NotANumber => "not_a_number",
            MoneyProblem::Negative => "negative",
            MoneyProblem::DecimalPart => "decimal_part",
            MoneyProblem::BadGroups => "bad_groups",
            MoneyProblem::TooLarge => "too_large",
        }
    }

    /// The rule a field broke, for the message that names the field.
    pub fn rule(self) -> Rule {
        match self {
            MoneyProblem::Required => Rule::Required,
            MoneyProblem::NotANumber => Rule::NotANumber,
            MoneyProblem::Negative => Rule::Negative,
            MoneyProblem::DecimalPart => Rule::MoneyDecimal,
            MoneyProblem::BadGroups => Rule::MoneyGroups,
            MoneyProblem::TooLarge => Rule::MoneyRange { min_amount: 0, max_amount: MAX_TYPED_MONEY },
        }
    }
}

const SEPARATORS: [char; 3] = ['.', ',', ' '];
const CURRENCY: [&str; 4] = ["đồng", "vnđ", "vnd", "đ"];

/// Whole đồng as people write them: `1500000`, `1.500.000`, `1,500,000`, `1 500 000`, with or
/// without a trailing `đ` / `đồng`. Never guesses: a decimal part (`1,5`, `1.000.000,5`) or groups
/// that are not three digits (`5.00.000`) are refused, because each could mean two amounts.
pub fn money_value(text: &str) -> std::result::Result<i64, MoneyProblem> {
    // The three spaces people and spreadsheets put between groups are one kind of separator.
    let nfc: String = text.nfc().map(|c| if c == '\u{a0}' || c == '\u{202f}' { ' ' } else { c }).collect();
    let mut s = nfc.trim().to_lowercase();
    for word in CURRENCY {
        if let Some(rest) = s.strip_suffix(word) {
            s = rest.trim_end().to_string();
            break;
        }
    }
    if s.is_empty() {
        return Err(MoneyProblem::Required);
    }
    if s.starts_with('-') {
        return Err(MoneyProblem::Negative);
    }
    if !s.chars().all(|c| c.is_ascii_digit() || SEPARATORS.contains(&c)) || !s.chars().any(|c| c.is_ascii_digit()) {
        return Err(MoneyProblem::NotANumber);
    }
    // Digit groups and the separators between them; a separator must sit alone between digits.
    let mut groups: Vec<String> = vec![String::new()];
    let mut seps: Vec<char> = Vec::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            groups.last_mut().map(|g| g.push(c));
        } else {
            if groups.last().is_none_or(|g| g.is_empty()) {
                return Err(MoneyProblem::BadGroups);
            }
            seps.push(c);
            groups.push(String::new());
        }
    }
    if groups.last().is_none_or(|g| g.is_empty()) {
        return Err(MoneyProblem::BadGroups);
    }
    let is_point = |c: char| c == '.' || c == ',';
    if let Some(&last) = seps.last() {
        let before = &seps[..seps.len() - 1];
        let tail = groups.last().map(String::len).unwrap_or(0);
        if before.iter().all(|&c| c == last) {
            // One kind of separator: a single point or comma before one or two digits is a decimal part.
            if seps.len() == 1 && is_point(last) && (1..=2).contains(&tail) {
                return Err(MoneyProblem::DecimalPart);
            }
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return Err(MoneyProblem::BadGroups);
            }
        } else if is_point(last) && !before.contains(&last) {
            return Err(MoneyProblem::DecimalPart);
        } else {
            return Err(MoneyProblem::BadGroups);
        }
    }
    let digits: String = groups.concat();
    let digits = digits.trim_start_matches('0');
    if digits.len() > 15 {
        return Err(MoneyProblem::TooLarge);
    }
    let value = if digits.is_empty() { 0 } else { digits.parse::<i64>().map_err(|_| MoneyProblem::TooLarge)? };
    if value > MAX_TYPED_MONEY {
        return Err(MoneyProblem::TooLarge);
    }
    Ok(value)
}

/// `money_value`, with a refusal that names the field.
pub fn money(text: &str, field: Field) -> Result<i64> {
    money_value(text).map_err(|p| CoreError::invalid(field, p.rule()))
}

/// The one range check for an amount of money, said in đồng (`10.000.000.000 đ`).
pub fn money_in(field: Field, amount: i64, min: i64, max: i64) -> Result<i64> {
    if !(min..=max).contains(&amount) {
        return Err(CoreError::invalid(field, Rule::MoneyRange { min_amount: min, max_amount: max }));
    }
    Ok(amount)
}

/// The most banknotes of one kind a count may list (a bundle of 100,000 notes is already absurd).
pub const MAX_NOTES_OF_A_KIND: i64 = 100_000;

/// Banknotes counted, as typed: `500000=2, 200.000=1` (value = how many). A value named twice is
/// added up, with checked arithmetic: a count that would overflow is refused, never wrapped.
pub fn cash_notes(text: &str) -> Result<std::collections::BTreeMap<i64, i64>> {
    let field = Field::LedgerNotes;
    let bad = || CoreError::invalid(field, Rule::Unknown { value: text.to_string() });
    let mut notes = std::collections::BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (value, count) = part.split_once('=').ok_or_else(bad)?;
        let value = money(value, field)?;
        let count = count.trim();
        if count.is_empty() || !count.chars().all(|c| c.is_ascii_digit()) {
            return Err(CoreError::invalid(field, Rule::NotANumber));
        }
        let too_many = || CoreError::invalid(field, Rule::Range { min: 0, max: MAX_NOTES_OF_A_KIND });
        let count: i64 = count.parse().map_err(|_| too_many())?;
        let slot: &mut i64 = notes.entry(value).or_default();
        *slot = slot.checked_add(count).ok_or_else(too_many)?;
    }
    Ok(notes)
}

/// A date as written: day, month and year as numbers, and how many digits the year had. Day first
/// (`22/11/2026`, `22.11.2026`, `22-11-2026`, `5/3/26`: 1–2 digits for day and month, 2 or 4 for the
/// year), or ISO (`2026-11-22`, dashes only, a 4-digit year first). Nothing else: no spaces inside,
/// no words, no 3-digit years. The window's `parseDate` reads the same (`assets/vectors/dates.json`).
fn date_parts(text: &str) -> Option<(i32, u32, u32, usize)> {
    let s = text.trim();
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '/' | '.' | '-') {
            groups.push(&s[start..i]);
            seps.push(c);
            start = i + c.len_utf8();
        }
    }
    groups.push(&s[start..]);
    let num = |g: &str, digits: RangeInclusive<usize>| {
        if digits.contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()) { g.parse::<u32>().ok() } else { None }
    };
    let [a, b, c] = groups[..] else { return None };
    if a.len() == 4 && seps == ['-', '-'] {
        return Some((num(a, 4..=4)? as i32, num(b, 1..=2)?, num(c, 1..=2)?, 4));
    }
    let year_digits = c.len();
    if year_digits != 2 && year_digits != 4 {
        return None;
    }
    Some((num(c, 2..=4)? as i32, num(b, 1..=2)?, num(a, 1..=2)?, year_digits))
}

/// A day as people type it (see `date_parts`); a two-digit year is 20yy. A day that does not exist
/// (`31/02/2026`) is refused, never moved.
pub fn date(text: &str, field: Field) -> Result<NaiveDate> {
    if text.trim().is_empty() {
        return Err(CoreError::invalid(field, Rule::Required));
    }
    let (year, month, day, digits) = date_parts(text).ok_or(CoreError::invalid(field, Rule::DateFormat))?;
    let year = if digits == 2 { 2000 + year } else { year };
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CoreError::invalid(field, Rule::DateFormat))
}

/// A day of the year as people type it, `10/12` (day/month, one or two digits each): the commune's
/// report deadline. Whether every year has that day is the commune ledger's rule.
pub fn day_month(text: &str, field: Field) -> Result<(u32, u32)> {
    let bad = || CoreError::invalid(field, Rule::Characters { example: "10/12".into() });
    let (d, m) = text.trim().split_once('/').ok_or_else(bad)?;
    let num = |x: &str| {
        let x = x.trim();
        (!x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse::<u32>().ok()).flatten().ok_or_else(bad)
    };
    Ok((num(d)?, num(m)?))
}

/// A birth: a year alone (`1956`) or a full date (`12/05/1956`, `1956-05-12`), the year always in
/// four digits (`12/5/60` and `56` are refused with `Rule::FourDigitYear`). Whether the year is
/// possible (1900 to this year) is the roster's rule, checked when the member is saved.
pub fn birth(text: &str) -> Result<(i32, Option<NaiveDate>)> {
    let field = Field::MemberBirth;
    let s = text.trim();
    if s.is_empty() {
        return Err(CoreError::invalid(field, Rule::Required));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.parse::<i32>() {
            Ok(year) if s.len() == 4 => Ok((year, None)),
            _ => Err(CoreError::invalid(field, Rule::FourDigitYear)),
        };
    }
    match date_parts(s) {
        Some((_, _, _, 2)) => Err(CoreError::invalid(field, Rule::FourDigitYear)),
        Some(_) => {
            let d = date(s, field)?;
            Ok((chrono::Datelike::year(&d), Some(d)))
        }
        None => Err(CoreError::invalid(field, Rule::DateFormat)),
    }
}

/// Sex as written on a form or a sheet: `F`/`M`, `Nữ`/`Nam` (with or without diacritics, any case),
/// `female`/`male`, or `x Nữ` (a mark in a "Nữ" column).
pub fn sex(text: &str) -> Result<Sex> {
    match crate::text::fold(text).as_str() {
        "f" | "nu" | "female" | "x nu" => Ok(Sex::F),
        "m" | "nam" | "male" => Ok(Sex::M),
        "" => Err(CoreError::invalid(Field::MemberSex, Rule::Required)),
        _ => Err(CoreError::invalid(Field::MemberSex, Rule::OneOf { allowed: vec!["F".into(), "M".into()] })),
    }
}

#[cfg(test)]
pub(crate) mod tests {

    #[test]
    fn a_day_of_the_year_is_day_slash_month_and_nothing_else() {
        assert_eq!(day_month("10/12", Field::ClubReportDeadline).unwrap(), (10, 12));
        assert_eq!(day_month(" 3/1 ", Field::ClubReportDeadline).unwrap(), (3, 1));
        for bad in ["", "10", "10-12", "10/12/2026", "+1/12", "1 0/12", "100/1", "a/b", "/12", "10/"] {
            let err = day_month(bad, Field::ClubReportDeadline).unwrap_err();
            assert_eq!(err.code(), "input.invalid", "{bad:?}");
        }
    }
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vectors {
        max: i64,
        cases: Vec<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        input: String,
        ok: Option<i64>,
        error: Option<String>,
    }

    #[test]
    fn every_shared_money_vector_reads_as_the_window_reads_it() {
        let v: Vectors = serde_json::from_str(include_str!("../../../assets/vectors/money.json")).unwrap();
        assert_eq!(v.max, MAX_TYPED_MONEY);
        assert!(v.cases.len() >= 40);
        for c in &v.cases {
            let got = money_value(&c.input);
            match (&c.ok, &c.error) {
                (Some(n), None) => assert_eq!(got, Ok(*n), "{:?}", c.input),
                (None, Some(code)) => assert_eq!(got.map_err(MoneyProblem::code), Err(code.as_str()), "{:?}", c.input),
                _ => panic!("a case has either ok or error: {:?}", c.input),
            }
        }
    }

    /// The shared date, birth and sex vectors, as `(input, Ok(value) | Err(rule kind))`, the value
    /// as JSON (`"2026-11-22"`, `{"year": 1956, "date": null}`, `"F"`).
    pub(crate) fn date_vectors(kind: &str) -> Vec<(String, std::result::Result<serde_json::Value, String>)> {
        let v: serde_json::Value = serde_json::from_str(include_str!("../../../assets/vectors/dates.json")).unwrap();
        v[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let input = c["input"].as_str().unwrap().to_string();
                match (c.get("ok"), c.get("error")) {
                    (Some(ok), None) => (input, Ok(ok.clone())),
                    (None, Some(e)) => (input, Err(e.as_str().unwrap().to_string())),
                    _ => panic!("a case has either ok or error: {input:?}"),
                }
            })
            .collect()
    }

    /// What a parse gave, in the vectors' terms.
    pub(crate) fn as_vector<T: serde::Serialize>(got: Result<T>, field: Field) -> std::result::Result<serde_json::Value, String> {
        match got {
            Ok(v) => Ok(serde_json::to_value(v).unwrap()),
            Err(CoreError::Invalid { field: f, rule }) if f == field => Err(serde_json::to_value(rule).unwrap()["kind"].as_str().unwrap().to_string()),
            Err(e) => panic!("not a refusal of {field:?}: {e:?}"),
        }
    }

    #[test]
    fn every_shared_date_birth_and_sex_vector_reads_as_written() {
        let dates = date_vectors("dates");
        assert!(dates.len() >= 30);
        for (input, want) in &dates {
            assert_eq!(&as_vector(date(input, Field::Date), Field::Date), want, "date {input:?}");
        }
        for (input, want) in &date_vectors("births") {
            let got = birth(input).map(|(year, date)| serde_json::json!({ "year": year, "date": date }));
            assert_eq!(&as_vector(got, Field::MemberBirth), want, "birth {input:?}");
        }
        for (input, want) in &date_vectors("sexes") {
            assert_eq!(&as_vector(sex(input), Field::MemberSex), want, "sex {input:?}");
        }
        // The field named is the caller's, and the two-digit rule is said in words.
        assert_eq!(date("31/02/2026", Field::MemberJoinedOn).unwrap_err(), CoreError::invalid(Field::MemberJoinedOn, Rule::DateFormat));
        let text = crate::i18n::error_message(crate::i18n::Lang::Vi, &birth("12/5/60").unwrap_err());
        assert!(text.contains("4 chữ số") && text.contains("1956"), "{text}");
    }

    proptest::proptest! {
        #[test]
        fn every_day_written_any_accepted_way_reads_back(days in 0i64..73_000, sep in 0usize..3, pad in proptest::bool::ANY) {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let s = ['/', '.', '-'][sep];
            let dmy = if pad { day.format(&format!("%d{s}%m{s}%Y")).to_string() } else { day.format(&format!("%-d{s}%-m{s}%Y")).to_string() };
            proptest::prop_assert_eq!(date(&dmy, Field::Date), Ok(day));
            proptest::prop_assert_eq!(date(&day.to_string(), Field::Date), Ok(day));
            proptest::prop_assert_eq!(birth(&dmy), Ok((chrono::Datelike::year(&day), Some(day))));
            if (2000..2100).contains(&chrono::Datelike::year(&day)) {
                let short = day.format(&format!("%d{s}%m{s}%y")).to_string();
                proptest::prop_assert_eq!(date(&short, Field::Date), Ok(day));
                proptest::prop_assert_eq!(birth(&short), Err(CoreError::invalid(Field::MemberBirth, Rule::FourDigitYear)));
            }
        }
    }

    #[test]
    fn the_amounts_from_the_outside_test_are_never_read_as_other_amounts() {
        for typed in ["1.000.000,5", "1,5", "1.5", "5.00.000", "1,000,000.50"] {
            assert!(money_value(typed).is_err(), "{typed}");
        }
        let err = money("abc", Field::LoanAmount).unwrap_err();
        assert_eq!(err, CoreError::invalid(Field::LoanAmount, Rule::NotANumber));
        let err = money_in(Field::LedgerAmount, 0, 1, 10_000_000_000).unwrap_err();
        let text = crate::i18n::error_message(crate::i18n::Lang::Vi, &err);
        assert!(text.contains("10.000.000.000 đ"), "{text}");
        let text = crate::i18n::error_message(crate::i18n::Lang::En, &CoreError::invalid(Field::LedgerAmount, Rule::MoneyDecimal));
        assert!(text.contains("1.500.000"), "{text}");
    }

    #[test]
    fn a_count_that_would_overflow_is_refused_not_wrapped() {
        let typed = "1000=4611686018427387904,1000=4611686018427387904,1000=4611686018427387904,1000=4611686018427387904,1000=154";
        assert!(cash_notes(typed).is_err());
        assert!(cash_notes("1000=99999999999999999999").is_err());
        assert_eq!(cash_notes("500.000=2, 200000=1,500000=1").unwrap().into_iter().collect::<Vec<_>>(), vec![(200_000, 1), (500_000, 3)]);
        assert_eq!(cash_notes("1000=x").unwrap_err(), CoreError::invalid(Field::LedgerNotes, Rule::NotANumber));
    }

    proptest::proptest! {
        #[test]
        fn every_amount_written_any_accepted_way_reads_back(n in 0i64..=MAX_TYPED_MONEY, sep in 0usize..3, unit in 0usize..3) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(SEPARATORS[sep]);
                }
                grouped.push(c);
            }
            let suffix = ["", " đ", "đồng"][unit];
            proptest::prop_assert_eq!(money_value(&format!("{plain}{suffix}")), Ok(n));
            proptest::prop_assert_eq!(money_value(&format!("{grouped}{suffix}")), Ok(n));
        }
    }
}
