//! The club's lending rules (quy chế), each kept with the date it took effect: a loan is judged by
//! the rules in force on its day, and keeps the terms it was given when the rules change.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::bad;
use super::schedule::{Method, Repayment};
use crate::auth::permissions::Action;
use crate::books;
use crate::error::{damaged, CoreError, Field, Result, Rule};
use crate::store::audit::Actor;
use crate::store::{Store, Writer};

/// The club's lending rules (quy chế) from a date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanRules {
    pub effective_on: NaiveDate,
    /// Per cent per month; zero is allowed.
    #[ts(type = "string")]
    pub rate_pct_month: Decimal,
    pub method: Method,
    pub repayment: Repayment,
    pub min_months: u32,
    pub max_months: u32,
    /// The most one member may owe from one loan, in đồng.
    pub cap_per_member: i64,
    /// A member may hold only one loan at a time.
    pub one_active: bool,
    /// Per cent per month on late instalments; zero means no penalty.
    #[ts(type = "string")]
    pub penalty_pct_month: Decimal,
    /// Poor and near-poor members first on the waiting list.
    pub poor_first: bool,
}

impl LoanRules {
    /// What a new club starts from: the most common style in clubs, interest monthly at 0,5 % and
    /// the principal at the end, loans up to 10 million for 6 to 36 months, one at a time.
    pub fn default_from(effective_on: NaiveDate) -> LoanRules {
        LoanRules {
            effective_on,
            rate_pct_month: Decimal::new(5, 1),
            method: Method::Flat,
            repayment: Repayment::Bullet { interest_monthly: true },
            min_months: 6,
            max_months: 36,
            cap_per_member: 10_000_000,
            one_active: true,
            penalty_pct_month: Decimal::ZERO,
            poor_first: true,
        }
    }
}

/// The terms a loan was given, copied from the rules in force when it was disbursed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanTerms {
    #[ts(type = "string")]
    pub rate_pct_month: Decimal,
    pub method: Method,
    pub repayment: Repayment,
    pub rounding_unit: i64,
    #[ts(type = "string")]
    pub penalty_pct_month: Decimal,
}
fn check_rules(r: &LoanRules) -> Result<()> {
    let hundred = Decimal::from(100);
    if r.rate_pct_month.is_sign_negative() || r.rate_pct_month > Decimal::from(10) {
        return Err(bad(Field::LoanRate, Rule::Range { min: 0, max: 10 }));
    }
    if r.penalty_pct_month.is_sign_negative() || r.penalty_pct_month > hundred {
        return Err(bad(Field::LoanPenalty, Rule::Range { min: 0, max: 100 }));
    }
    if !(1..=120).contains(&r.min_months) || r.max_months < r.min_months || r.max_months > 120 {
        return Err(bad(Field::LoanMonths, Rule::Range { min: 1, max: 120 }));
    }
    if let Repayment::Instalments { every } = r.repayment {
        if !(1..=12).contains(&every) {
            return Err(bad(Field::LoanRepayment, Rule::Range { min: 1, max: 12 }));
        }
    }
    crate::parse::money_in(Field::LoanCap, r.cap_per_member, 1, books::MAX_AMOUNT)?;
    Ok(())
}

/// A stored rate (per cent per month, `0.5`): a decimal, not negative. Anything else is damage.
pub(crate) fn stored_rate(s: &str) -> Option<Decimal> {
    s.parse::<Decimal>().ok().filter(|d| !d.is_sign_negative())
}

pub(crate) fn stored_method(s: &str) -> Option<Method> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

pub(crate) fn stored_repayment(s: &str) -> Option<Repayment> {
    serde_json::from_str(s).ok()
}

pub(crate) fn stored_terms(s: &str) -> Option<LoanTerms> {
    serde_json::from_str(s).ok()
}

fn rules_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LoanRules> {
    let id: i64 = r.get(10)?;
    let rate = |col: usize, column: &str| -> rusqlite::Result<Decimal> {
        let s: String = r.get(col)?;
        stored_rate(&s).ok_or_else(|| damaged("loan_rules", id, column, &s))
    };
    let method: String = r.get(2)?;
    let repayment: String = r.get(3)?;
    Ok(LoanRules {
        effective_on: r.get(0)?,
        rate_pct_month: rate(1, "rate_pct_month")?,
        method: stored_method(&method).ok_or_else(|| damaged("loan_rules", id, "method", &method))?,
        repayment: stored_repayment(&repayment).ok_or_else(|| damaged("loan_rules", id, "repayment", &repayment))?,
        min_months: r.get(4)?,
        max_months: r.get(5)?,
        cap_per_member: r.get(6)?,
        one_active: r.get(7)?,
        penalty_pct_month: rate(8, "penalty_pct_month")?,
        poor_first: r.get(9)?,
    })
}

const RULES_COLS: &str =
    "effective_on, rate_pct_month, method, repayment, min_months, max_months, cap_per_member, one_active, penalty_pct_month, poor_first";

fn rules_on_conn(conn: &rusqlite::Connection, club_id: i64, day: NaiveDate) -> Result<LoanRules> {
    let found = conn
        .query_row(
            &format!("SELECT {RULES_COLS}, id FROM loan_rules WHERE club_id = ?1 AND effective_on <= ?2 ORDER BY effective_on DESC, id DESC LIMIT 1"),
            params![club_id, day],
            rules_from_row,
        )
        .optional()?;
    match found {
        Some(r) => Ok(r),
        None => {
            let founded: NaiveDate = conn.query_row("SELECT founded_on FROM club WHERE id = ?1", [club_id], |r| r.get(0))?;
            Ok(LoanRules::default_from(founded))
        }
    }
}

/// The rules in force on `day` (the default rules when the club has set none).
pub fn rules_on(store: &Store, club_id: i64, day: NaiveDate) -> Result<LoanRules> {
    rules_on_conn(store.conn(), club_id, day)
}

/// Every version of the rules, oldest first.
pub fn rules_history(store: &Store, club_id: i64) -> Result<Vec<LoanRules>> {
    let mut stmt = store
        .conn()
        .prepare(&format!("SELECT {RULES_COLS}, id FROM loan_rules WHERE club_id = ?1 ORDER BY effective_on, id"))?;
    let rows = stmt.query_map([club_id], rules_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Adopt new rules from a date (loans already made keep their terms).
pub fn set_rules(store: &mut Store, actor: &Actor, club_id: i64, rules: &LoanRules) -> Result<LoanRules> {
    check_rules(rules)?;
    store.act(actor, club_id, Action::RuleChange, |w| {
        crate::roster::club::check_day(&w.tx, w.today, club_id, rules.effective_on, Field::LoanDate)?;
        let method = serde_json::to_value(rules.method).map_err(|e| CoreError::Storage { detail: e.to_string() })?;
        w.tx.execute(
            &format!("INSERT INTO loan_rules (club_id, {RULES_COLS}, actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            params![
                club_id,
                rules.effective_on,
                rules.rate_pct_month.to_string(),
                method.as_str().unwrap_or("flat"),
                serde_json::to_string(&rules.repayment).unwrap_or_default(),
                rules.min_months,
                rules.max_months,
                rules.cap_per_member,
                rules.one_active,
                rules.penalty_pct_month.to_string(),
                rules.poor_first,
                w.actor.name(),
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        w.audit(Some(club_id), "loan.rules", None, serde_json::to_value(rules).unwrap_or_default())?;
        Ok(rules.clone())
    })
}

/// Refuse what the rules in force on `day` do not allow: the term, the cap, a second loan.
pub(super) fn check_against_rules(w: &Writer<'_>, club_id: i64, loan_id: Option<i64>, member_id: i64, amount: i64, months: u32, day: NaiveDate) -> Result<LoanRules> {
    let rules = rules_on_conn(&w.tx, club_id, day)?;
    if !(rules.min_months..=rules.max_months).contains(&months) {
        return Err(bad(Field::LoanMonths, Rule::Range { min: rules.min_months as i64, max: rules.max_months as i64 }));
    }
    if let Repayment::Instalments { every } = rules.repayment {
        if months % every != 0 {
            return Err(bad(Field::LoanMonths, Rule::Range { min: every as i64, max: rules.max_months as i64 }));
        }
    }
    if amount > rules.cap_per_member {
        return Err(CoreError::LoanOverCap { amount, cap: rules.cap_per_member });
    }
    if rules.one_active {
        let other: Option<i64> = w
            .tx
            .query_row(
                "SELECT id FROM loan WHERE club_id = ?1 AND member_id = ?2 AND status = 'disbursed' AND id IS NOT ?3 LIMIT 1",
                params![club_id, member_id, loan_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            let full_name: String = w.tx.query_row("SELECT full_name FROM member WHERE id = ?1", [member_id], |r| r.get(0))?;
            return Err(CoreError::LoanAlreadyActive { member_id, full_name, loan_id: other });
        }
    }
    Ok(rules)
}
