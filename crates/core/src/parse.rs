//! Reading what people type. One grammar per kind of value, shared by the command line, the import
//! and (through the test vectors in `assets/vectors/`) the window, so that a value typed in one place
//! can never mean another amount somewhere else.

use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, Field, Result, Rule};

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
        let too_many = || CoreError::invalid(field, Rule::Range { min: 0, max: crate::books::MAX_NOTES_OF_A_KIND });
        let count: i64 = count.parse().map_err(|_| too_many())?;
        let slot: &mut i64 = notes.entry(value).or_default();
        *slot = slot.checked_add(count).ok_or_else(too_many)?;
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
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
