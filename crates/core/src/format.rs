//! How money and dates look on screen and paper in Vietnam: `1.234.567 đ`, `dd/mm/yyyy`.

use chrono::NaiveDate;

/// Whole đồng with dots between thousands: `1.234.567 đ`, `-50.000 đ`.
pub fn money(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}{} đ", if amount < 0 { "-" } else { "" }, out)
}

pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `2026-11-22` → `22/11/2026`; anything else → None.
pub fn iso_date_to_display(s: &str) -> Option<String> {
    if s.len() != 10 {
        return None;
    }
    s.parse::<NaiveDate>().ok().map(date)
}

/// `2026-11` → `11/2026`; anything else → None.
pub fn iso_month_to_display(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let ok = b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit());
    ok.then(|| format!("{}/{}", &s[5..], &s[..4]))
}

/// A decimal number written the reader's way: `0,5` in Vietnamese, `0.5` in English. `text` is the
/// number as Rust or `rust_decimal` writes it (a point before the decimals).
pub fn decimal_text(text: &str, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Vi => text.replace('.', ","),
        crate::i18n::Lang::En => text.to_string(),
    }
}

/// A share with one decimal: `39,1 %` in Vietnamese, `39.1 %` in English.
pub fn pct(value: f64, lang: crate::i18n::Lang) -> String {
    format!("{} %", decimal_text(&format!("{value:.1}"), lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_rates_use_the_readers_decimal_mark() {
        use crate::i18n::Lang;
        assert_eq!(pct(39.125, Lang::Vi), "39,1 %");
        assert_eq!(pct(39.125, Lang::En), "39.1 %");
        assert_eq!(pct(0.0, Lang::Vi), "0,0 %");
        assert_eq!(decimal_text("0.5", Lang::Vi), "0,5");
        assert_eq!(decimal_text("0.5", Lang::En), "0.5");
    }

    #[test]
    fn money_groups_thousands_with_dots() {
        assert_eq!(money(0), "0 đ");
        assert_eq!(money(500), "500 đ");
        assert_eq!(money(1_000), "1.000 đ");
        assert_eq!(money(1_234_567), "1.234.567 đ");
        assert_eq!(money(-50_000), "-50.000 đ");
        assert_eq!(money(i64::MIN), "-9.223.372.036.854.775.808 đ");
    }

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()), "05/03/2026");
        assert_eq!(iso_date_to_display("2026-11-22").as_deref(), Some("22/11/2026"));
        assert_eq!(iso_date_to_display("Lan"), None);
        assert_eq!(iso_month_to_display("2026-11").as_deref(), Some("11/2026"));
        assert_eq!(iso_month_to_display("PT-2026"), None);
    }
}
