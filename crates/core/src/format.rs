//! How money and dates look on screen and paper in Vietnam: `1.234.567 đ`, `dd/mm/yyyy`.

use chrono::NaiveDate;

/// Whole đồng with dots between thousands: `1.234.567 đ`, `-50.000 đ`.
pub fn money(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
