//! A loan's repayment schedule from its terms: pure arithmetic, no store.
//!
//! Interest is computed in exact decimals and every amount is rounded to the club's unit (1, 500 or
//! 1.000 đ, half away from zero); the last instalment absorbs what rounding left over, so the
//! principal column always sums to the principal lent and each line's total is its principal plus
//! its interest.
//!
//! - **Flat**: interest on the original principal, `P × rate × months`, spread evenly over the
//!   instalments that carry interest.
//! - **Declining, equal instalments** (annuity): `A = P·i / (1 − (1+i)^−n)` with `i` the rate per
//!   period; each period's interest is on the balance still owed.
//! - **Declining, equal principal**: the same principal each period, interest on the balance.
//! - **Bullet**: the principal at the end; interest each month (the most common style in clubs) or all
//!   at the end.

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::coded_enum;

coded_enum! {
    pub enum Method {
        Flat = "flat",
        DecliningAnnuity = "declining_annuity",
        DecliningEqualPrincipal = "declining_equal_principal",
    }
}

/// When money comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Repayment {
    /// An instalment every `every` months (1 = monthly).
    Instalments { every: u32 },
    /// The whole principal at the end; interest monthly or also at the end.
    Bullet { interest_monthly: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Terms {
    pub principal: i64,
    /// Per cent per month, e.g. `0.5`.
    #[ts(type = "string")]
    pub rate_pct_month: Decimal,
    pub months: u32,
    pub method: Method,
    pub repayment: Repayment,
    /// 1, 500 or 1000 đ.
    pub rounding_unit: i64,
    /// The day the money was handed over; instalments fall due whole months after it.
    pub start: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Instalment {
    pub no: u32,
    pub due_on: NaiveDate,
    pub principal: i64,
    pub interest: i64,
    pub total: i64,
    /// Principal still owed after this instalment is paid.
    pub balance_after: i64,
}

/// Round `x` to a multiple of `unit` đồng, half away from zero.
pub fn round_to(x: Decimal, unit: i64) -> i64 {
    let unit = Decimal::from(unit.max(1));
    let r = (x / unit).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * unit;
    r.try_into().unwrap_or(i64::MAX)
}

/// The number of instalments and the months between them; `None` if the terms do not divide.
pub fn periods(t: &Terms) -> Option<(u32, u32)> {
    match t.repayment {
        Repayment::Instalments { every } if every >= 1 && t.months % every == 0 => Some((t.months / every, every)),
        Repayment::Instalments { .. } => None,
        Repayment::Bullet { interest_monthly: true } => Some((t.months, 1)),
        Repayment::Bullet { interest_monthly: false } => Some((1, t.months)),
    }
}

/// Spread `total` over `n` parts rounded to `unit`, the last taking the remainder.
fn spread(total: i64, n: u32, unit: i64) -> Vec<i64> {
    let mut each = round_to(Decimal::from(total) / Decimal::from(n.max(1)), unit);
    if each * (n as i64 - 1) > total {
        // Rounding up would leave the last part negative: round down instead.
        each = total / n.max(1) as i64 / unit * unit;
    }
    let mut parts = vec![each; n as usize];
    let head: i64 = each * (n as i64 - 1);
    if let Some(last) = parts.last_mut() {
        *last = total - head;
    }
    parts
}

/// The schedule. Terms are assumed checked (`months` ≥ 1 and divisible, principal > 0, rate ≥ 0).
pub fn schedule(t: &Terms) -> Vec<Instalment> {
    let Some((n, every)) = periods(t) else { return Vec::new() };
    let unit = t.rounding_unit.max(1);
    let p = t.principal;
    let rate = t.rate_pct_month / Decimal::from(100);
    let i = rate * Decimal::from(every);
    let due = |k: u32| t.start.checked_add_months(Months::new(every * k)).unwrap_or(t.start);
    let mut out = Vec::with_capacity(n as usize);
    let bullet = matches!(t.repayment, Repayment::Bullet { .. });
    let principals: Vec<i64> = if bullet {
        (1..=n).map(|k| if k == n { p } else { 0 }).collect()
    } else {
        match t.method {
            Method::Flat | Method::DecliningEqualPrincipal => spread(p, n, unit),
            Method::DecliningAnnuity => Vec::new(),
        }
    };
    if t.method == Method::Flat {
        let total_interest = round_to(Decimal::from(p) * rate * Decimal::from(t.months), unit);
        let interests = spread(total_interest, n, unit);
        let mut balance = p;
        for k in 1..=n {
            let (pr, int) = (principals[k as usize - 1], interests[k as usize - 1]);
            balance -= pr;
            out.push(Instalment { no: k, due_on: due(k), principal: pr, interest: int, total: pr + int, balance_after: balance });
        }
        return out;
    }
    // Declining balance: interest each period on what is still owed.
    let annuity = if t.method == Method::DecliningAnnuity && !bullet {
        if i.is_zero() {
            Some(round_to(Decimal::from(p) / Decimal::from(n), unit))
        } else {
            let mut growth = Decimal::ONE;
            for _ in 0..n {
                growth *= Decimal::ONE + i;
            }
            // A = P·i·(1+i)^n / ((1+i)^n − 1), the same as P·i / (1 − (1+i)^−n).
            Some(round_to(Decimal::from(p) * i * growth / (growth - Decimal::ONE), unit))
        }
    } else {
        None
    };
    // A tiny loan with a coarse unit can round the instalment up so far that the debt would be paid
    // before the last instalment: then take the instalment one unit lower.
    let annuity = annuity.map(|a| {
        let mut balance = p;
        for _ in 1..n {
            balance -= a - round_to(Decimal::from(balance) * i, unit);
        }
        if balance < 0 { a - unit } else { a }
    });
    let mut balance = p;
    for k in 1..=n {
        let interest = round_to(Decimal::from(balance) * i, unit);
        let principal = if k == n {
            balance
        } else {
            match annuity {
                Some(a) => (a - interest).clamp(0, balance),
                None => principals[k as usize - 1].min(balance),
            }
        };
        balance -= principal;
        out.push(Instalment { no: k, due_on: due(k), principal, interest, total: principal + interest, balance_after: balance });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn terms(p: i64, rate: &str, months: u32, method: Method, repayment: Repayment, unit: i64) -> Terms {
        Terms { principal: p, rate_pct_month: rate.parse().unwrap(), months, method, repayment, rounding_unit: unit, start: d("2026-01-15") }
    }

    const MONTHLY: Repayment = Repayment::Instalments { every: 1 };

    #[test]
    fn the_common_club_loan_interest_monthly_principal_at_the_end() {
        // 5 million at 0.5 % a month for 12 months: 25.000 đ interest each month, 5 million at the end.
        let s = schedule(&terms(5_000_000, "0.5", 12, Method::DecliningAnnuity, Repayment::Bullet { interest_monthly: true }, 1000));
        assert_eq!(s.len(), 12);
        assert!(s[..11].iter().all(|x| x.principal == 0 && x.interest == 25_000 && x.balance_after == 5_000_000));
        assert_eq!((s[11].principal, s[11].interest, s[11].total, s[11].balance_after), (5_000_000, 25_000, 5_025_000, 0));
        assert_eq!(s[0].due_on, d("2026-02-15"));
        assert_eq!(s[11].due_on, d("2027-01-15"));
        let end = schedule(&terms(5_000_000, "0.5", 12, Method::Flat, Repayment::Bullet { interest_monthly: false }, 1000));
        assert_eq!(end.len(), 1);
        assert_eq!((end[0].principal, end[0].interest, end[0].due_on), (5_000_000, 300_000, d("2027-01-15")));
    }

    #[test]
    fn flat_and_equal_principal_by_hand() {
        // Flat: 10.000.000 × 1 % × 10 = 1.000.000 interest, 100.000 a month; principal 1.000.000 a month.
        let s = schedule(&terms(10_000_000, "1", 10, Method::Flat, MONTHLY, 1000));
        assert!(s.iter().all(|x| x.principal == 1_000_000 && x.interest == 100_000));
        // Equal principal: interest 1 % of 10, 9, 8 … million.
        let s = schedule(&terms(10_000_000, "1", 10, Method::DecliningEqualPrincipal, MONTHLY, 1000));
        let interest: Vec<i64> = s.iter().map(|x| x.interest).collect();
        assert_eq!(interest, vec![100_000, 90_000, 80_000, 70_000, 60_000, 50_000, 40_000, 30_000, 20_000, 10_000]);
        // 7 million over 3 instalments at 1.000 đ: 2.333.000, 2.333.000 and the rest 2.334.000.
        let s = schedule(&terms(7_000_000, "0", 3, Method::DecliningEqualPrincipal, MONTHLY, 1000));
        assert_eq!(s.iter().map(|x| x.principal).collect::<Vec<_>>(), vec![2_333_000, 2_333_000, 2_334_000]);
        // Every three months over a year: four instalments, interest for three months each.
        let s = schedule(&terms(6_000_000, "0.5", 12, Method::Flat, Repayment::Instalments { every: 3 }, 1000));
        assert_eq!(s.len(), 4);
        assert_eq!((s[0].principal, s[0].interest, s[0].due_on), (1_500_000, 90_000, d("2026-04-15")));
    }

    #[test]
    fn annuity_matches_the_formula() {
        // 12 million, 1 % a month, 12 months: A = 1.066.185,46… → 1.066.000 at 1.000 đ.
        let s = schedule(&terms(12_000_000, "1", 12, Method::DecliningAnnuity, MONTHLY, 1000));
        assert!(s[..11].iter().all(|x| x.total == 1_066_000), "{s:?}");
        assert_eq!(s[0].interest, 120_000);
        assert_eq!(s.iter().map(|x| x.principal).sum::<i64>(), 12_000_000);
    }

    #[test]
    fn a_tiny_loan_with_a_coarse_unit_is_not_paid_off_early() {
        let s = schedule(&terms(100_000, "0", 36, Method::DecliningAnnuity, MONTHLY, 1000));
        assert!(s[..35].iter().all(|x| x.total == 2_000 && x.principal == 2_000), "{s:?}");
        assert_eq!(s[35].principal, 30_000);
        let s = schedule(&terms(1_000_000, "1.5", 24, Method::DecliningAnnuity, MONTHLY, 1000));
        assert!(s.iter().all(|x| x.principal > 0));
    }

    #[test]
    fn a_month_end_start_falls_on_each_month_end() {
        let mut t = terms(3_000_000, "0.5", 3, Method::Flat, MONTHLY, 1);
        t.start = d("2026-01-31");
        let due: Vec<NaiveDate> = schedule(&t).iter().map(|x| x.due_on).collect();
        assert_eq!(due, vec![d("2026-02-28"), d("2026-03-31"), d("2026-04-30")]);
    }

    fn any_terms() -> impl Strategy<Value = Terms> {
        (
            1i64..=200,
            0u32..=30,
            1u32..=36,
            prop_oneof![Just(Method::Flat), Just(Method::DecliningAnnuity), Just(Method::DecliningEqualPrincipal)],
            prop_oneof![
                Just(MONTHLY),
                Just(Repayment::Instalments { every: 3 }),
                Just(Repayment::Bullet { interest_monthly: true }),
                Just(Repayment::Bullet { interest_monthly: false })
            ],
            prop_oneof![Just(1i64), Just(500), Just(1000)],
        )
            .prop_map(|(hundred_k, rate_tenths, months, method, repayment, unit)| {
                let months = match repayment {
                    Repayment::Instalments { every } => months.div_ceil(every) * every,
                    _ => months,
                };
                Terms {
                    principal: hundred_k * 100_000,
                    rate_pct_month: Decimal::new(rate_tenths as i64, 1),
                    months,
                    method,
                    repayment,
                    rounding_unit: unit,
                    start: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn every_schedule_sums_exactly(t in any_terms()) {
            let s = schedule(&t);
            let (n, _) = periods(&t).unwrap();
            prop_assert_eq!(s.len() as u32, n);
            prop_assert_eq!(s.iter().map(|x| x.principal).sum::<i64>(), t.principal);
            let total: i64 = s.iter().map(|x| x.total).sum();
            prop_assert_eq!(total, t.principal + s.iter().map(|x| x.interest).sum::<i64>());
            let mut balance = t.principal;
            for (k, x) in s.iter().enumerate() {
                prop_assert!(x.principal >= 0 && x.interest >= 0);
                balance -= x.principal;
                prop_assert_eq!(x.balance_after, balance);
                prop_assert_eq!(x.no as usize, k + 1);
                if k + 1 < s.len() {
                    // Every line but the last is in the club's unit; the last absorbs the remainder.
                    prop_assert_eq!(x.principal % t.rounding_unit, 0);
                    prop_assert_eq!(x.interest % t.rounding_unit, 0);
                    prop_assert!(s[k + 1].due_on > x.due_on);
                }
            }
            prop_assert_eq!(balance, 0);
        }

        #[test]
        fn flat_interest_is_rate_times_months_on_the_principal(t in any_terms()) {
            let t = Terms { method: Method::Flat, ..t };
            let total: i64 = schedule(&t).iter().map(|x| x.interest).sum();
            let exact = t.principal as f64 * t.rate_pct_month.to_string().parse::<f64>().unwrap() / 100.0 * t.months as f64;
            prop_assert!((total as f64 - exact).abs() <= t.rounding_unit as f64 / 2.0 + 1e-6, "{} vs {}", total, exact);
        }

        #[test]
        fn annuity_instalments_match_the_closed_formula(t in any_terms()) {
            let t = Terms { method: Method::DecliningAnnuity, repayment: MONTHLY, ..t };
            let s = schedule(&t);
            let i = t.rate_pct_month.to_string().parse::<f64>().unwrap() / 100.0;
            let n = t.months as f64;
            let a = if i == 0.0 { t.principal as f64 / n } else { t.principal as f64 * i / (1.0 - (1.0 + i).powf(-n)) };
            // Independently computed in floating point: every instalment but the last is A rounded to
            // the unit (one unit lower when rounding up would pay the debt off early).
            for x in &s[..s.len() - 1] {
                prop_assert!((x.total as f64 - a).abs() <= t.rounding_unit as f64 * 1.5 + 1.0, "{} vs {}", x.total, a);
                prop_assert_eq!(x.total, s[0].total);
            }
            // Equal principal: principal per line is P/n rounded, interest on the balance before it.
            let e = schedule(&Terms { method: Method::DecliningEqualPrincipal, ..t.clone() });
            let mut before = t.principal;
            for x in &e {
                let exact = before as f64 * i;
                prop_assert!((x.interest as f64 - exact).abs() <= t.rounding_unit as f64 / 2.0 + 1e-6);
                before = x.balance_after;
            }
        }
    }
}
