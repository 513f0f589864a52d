//! `ishc loan …`: the club's loan rules, the register, repayments and the portfolio.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use ishc_core::error::{Field, Rule};
use ishc_core::format;
use ishc_core::i18n::{fill, t, Lang};
use ishc_core::loans::{self, ApplyInput, LoanRules, LoanState, Method, PaidInstalment, Purpose, RepayMode, Repayment};
use ishc_core::OpenMode;

use crate::ctx::Ctx;
use crate::output::{emit, print_warnings, CliError, Result};
use crate::parse::{one_of, parse_bool, parse_date, parse_money, parse_opt_date, parse_pct};

#[derive(Subcommand, Debug)]
pub enum LoanCommand {
    /// The loan rules in force (and their history); `rules set` adopts new ones from a date.
    Rules {
        #[command(subcommand)]
        set: Option<RulesSet>,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// A member asks for a loan: it joins the waiting list.
    Apply {
        #[arg(long, value_name = "ID")]
        member: i64,
        #[arg(long)]
        amount: String,
        /// livestock, crops, trade, services or other.
        #[arg(long)]
        purpose: String,
        #[arg(long)]
        months: u32,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// A loan in kind: what is given (its value is the amount).
        #[arg(long, default_value = "")]
        in_kind: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The board approves the loan at a meeting (a decision of that meeting).
    Approve {
        id: i64,
        #[arg(long, value_name = "MEETING")]
        meeting: i64,
    },
    /// Hand the money over (a payment voucher from the income fund).
    Disburse {
        id: i64,
        #[arg(long, value_name = "DATE")]
        date: String,
    },
    /// A repayment: penalty, then interest due, then the next instalment (its interest, then its
    /// principal), or principal only with --prepay-principal.
    Repay {
        id: i64,
        #[arg(long)]
        amount: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// Trả trước gốc: what is beyond the interest due goes to principal; the later interest
        /// stays as scheduled.
        #[arg(long)]
        prepay_principal: bool,
    },
    /// Each instalment: due date, principal, interest, total, paid, left.
    Schedule {
        id: i64,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// A member's loan card: the loan, its schedule, payments and state.
    Show {
        id: i64,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Every loan with its arrears on a date.
    List {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Applications waiting for money, in the order to lend.
    Waiting {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Portfolio at risk, repayment rate, and the share of members who have borrowed.
    Portfolio {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// A new schedule from what is still owed, decided at a meeting.
    Reschedule {
        id: i64,
        #[arg(long, value_name = "MEETING")]
        meeting: i64,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long)]
        months: u32,
    },
    /// Write what is still owed off as a loss, decided at a meeting.
    WriteOff {
        id: i64,
        #[arg(long, value_name = "MEETING")]
        meeting: i64,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Take back an application not yet disbursed.
    Withdraw { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum RulesSet {
    /// Adopt new rules from a date (unchanged settings carry over).
    Set(Box<RulesSetArgs>),
}

#[derive(Args, Debug)]
pub struct RulesSetArgs {
    #[arg(long, value_name = "DATE")]
    from: String,
    /// Per cent a month, e.g. 0.5.
    #[arg(long)]
    rate: Option<String>,
    /// flat, annuity or equal-principal.
    #[arg(long)]
    method: Option<String>,
    /// monthly, every:N, bullet (interest monthly) or bullet-end.
    #[arg(long)]
    repay: Option<String>,
    #[arg(long)]
    min_months: Option<u32>,
    #[arg(long)]
    max_months: Option<u32>,
    #[arg(long)]
    cap: Option<String>,
    /// yes or no.
    #[arg(long)]
    one_active: Option<String>,
    /// Per cent a month on late instalments (0: none).
    #[arg(long)]
    penalty: Option<String>,
    /// yes or no.
    #[arg(long)]
    poor_first: Option<String>,
}

/// `flat`, `annuity` or `equal-principal`; the schedule's own names (`declining_annuity`, as in the
/// JSON) are read too.
fn parse_method(s: &str) -> Result<Method> {
    let s = s.trim().replace('-', "_");
    let short = s.strip_prefix("declining_").filter(|m| *m != "flat").unwrap_or(&s);
    one_of(short, Field::LoanMethod, &[Method::Flat, Method::DecliningAnnuity, Method::DecliningEqualPrincipal], |m| match m {
        Method::Flat => "flat",
        Method::DecliningAnnuity => "annuity",
        Method::DecliningEqualPrincipal => "equal-principal",
    })
}

/// `monthly`, `every:3`, `bullet` (interest monthly, principal at the end) or `bullet-end` (all at the end).
fn parse_repayment(s: &str) -> Result<Repayment> {
    // Not a closed set of words (`every:N`), so not `one_of`; the same error all the same.
    let bad = || CliError::Arg {
        field: Field::LoanRepayment,
        rule: Rule::OneOf { allowed: vec!["monthly".into(), "every:N".into(), "bullet".into(), "bullet-end".into()] },
    };
    match s.trim() {
        "monthly" => Ok(Repayment::Instalments { every: 1 }),
        "bullet" => Ok(Repayment::Bullet { interest_monthly: true }),
        "bullet-end" => Ok(Repayment::Bullet { interest_monthly: false }),
        other => match other.strip_prefix("every:") {
            Some(n) => Ok(Repayment::Instalments { every: n.parse().map_err(|_| bad())? }),
            None => Err(bad()),
        },
    }
}

fn rules_text(l: Lang, r: &LoanRules) -> String {
    let repay = match r.repayment {
        Repayment::Instalments { every: 1 } => t(l, "loan.repay.monthly"),
        Repayment::Instalments { every } => fill(&t(l, "loan.repay.every"), &serde_json::json!({ "n": every })),
        Repayment::Bullet { interest_monthly: true } => t(l, "loan.repay.bullet"),
        Repayment::Bullet { interest_monthly: false } => t(l, "loan.repay.bullet_end"),
    };
    let method = serde_json::to_value(r.method).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    format!(
        "{} {}: {} %/{} · {} · {} · {}–{} {} · {} {} · {}{}",
        t(l, "loan.rules_from"),
        format::date(r.effective_on),
        format::decimal_text(&r.rate_pct_month.to_string(), l),
        t(l, "loan.month"),
        t(l, &format!("loan.method.{method}")),
        repay,
        r.min_months,
        r.max_months,
        t(l, "loan.months"),
        t(l, "field.loan.cap"),
        format::money(r.cap_per_member),
        if r.one_active { t(l, "loan.one_active") } else { t(l, "loan.many_active") },
        if r.penalty_pct_month.is_zero() { String::new() } else { format!(" · {} {} %", t(l, "field.loan.penalty"), format::decimal_text(&r.penalty_pct_month.to_string(), l)) },
    )
}

fn state_text(l: Lang, s: &Option<LoanState>) -> String {
    match s {
        None => String::new(),
        Some(s) if s.days_past_due > 0 => format!(
            "{} {} · {} {} ({} {})",
            t(l, "loan.owes"),
            format::money(s.principal_out),
            t(l, "loan.overdue"),
            format::money(s.overdue),
            s.days_past_due,
            t(l, "loan.days")
        ),
        Some(s) => format!("{} {}", t(l, "loan.owes"), format::money(s.principal_out)),
    }
}

/// " · trả kỳ 1, 2" (nothing for a payment that paid no instalment, or was recorded before
/// instalments were kept).
/// How one payment was split: "phạt … · lãi … · gốc … · trả kỳ N".
fn paid_split(l: Lang, penalty: i64, interest: i64, principal: i64, instalments: &[loans::PaidInstalment]) -> String {
    format!(
        "{} {} · {} {} · {} {}{}",
        t(l, "loan.col.penalty"),
        format::money(penalty),
        t(l, "loan.col.interest"),
        format::money(interest),
        t(l, "loan.col.principal"),
        format::money(principal),
        instalments_text(l, instalments)
    )
}

fn instalments_text(l: Lang, paid: &[PaidInstalment]) -> String {
    if paid.is_empty() {
        return String::new();
    }
    let nos = paid.iter().map(|x| x.no.to_string()).collect::<Vec<_>>().join(", ");
    format!(" · {}", fill(&t(l, "loan.paid_instalments"), &serde_json::json!({ "nos": nos })))
}

pub fn run(ctx: &Ctx, command: LoanCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let l = ctx.lang;
    let today = store.today();
    let at = |s: &Option<String>| -> Result<NaiveDate> { Ok(parse_opt_date(s, Field::LoanDate)?.unwrap_or(today)) };
    match command {
        LoanCommand::Rules { set: None, at: day } => {
            let current = loans::rules_on(&store, club, at(&day)?)?;
            let history = loans::rules_history(&store, club)?;
            let out = serde_json::json!({ "current": current, "history": history });
            emit(ctx.json, &out, || rules_text(l, &current));
        }
        LoanCommand::Rules { set: Some(RulesSet::Set(s)), .. } => {
            let s = *s;
            let mut r = loans::rules_on(&store, club, parse_date(&s.from, Field::LoanDate)?)?;
            r.effective_on = parse_date(&s.from, Field::LoanDate)?;
            if let Some(x) = &s.rate { r.rate_pct_month = parse_pct(x, Field::LoanRate)?; }
            if let Some(x) = &s.method { r.method = parse_method(x)?; }
            if let Some(x) = &s.repay { r.repayment = parse_repayment(x)?; }
            if let Some(x) = s.min_months { r.min_months = x; }
            if let Some(x) = s.max_months { r.max_months = x; }
            if let Some(x) = &s.cap { r.cap_per_member = parse_money(x, Field::LoanCap)?; }
            if let Some(x) = &s.one_active { r.one_active = parse_bool(x, Field::LoanRepayment)?; }
            if let Some(x) = &s.penalty { r.penalty_pct_month = parse_pct(x, Field::LoanPenalty)?; }
            if let Some(x) = &s.poor_first { r.poor_first = parse_bool(x, Field::LoanRepayment)?; }
            let actor = ctx.sign_in(&mut store, club)?;
            let saved = loans::set_rules(&mut store, &actor, club, &r)?;
            emit(ctx.json, &saved, || rules_text(l, &saved));
        }
        LoanCommand::Apply { member, amount, purpose, months, date, in_kind, note } => {
            let input = ApplyInput {
                member_id: member,
                amount: parse_money(&amount, Field::LoanAmount)?,
                purpose: one_of(&purpose, Field::LoanPurpose, &Purpose::ALL, Purpose::code)?,
                months,
                applied_on: parse_date(&date, Field::LoanDate)?,
                in_kind,
                note,
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let loan = loans::apply(&mut store, &actor, club, &input)?;
            emit(ctx.json, &loan, || format!("{} {}: {} — {}", t(l, "loan.applied"), loan.id, loan.member.full_name, format::money(loan.amount)));
        }
        LoanCommand::Approve { id, meeting } => {
            let actor = ctx.sign_in(&mut store, club)?;
            let saved = loans::approve(&mut store, &actor, club, id, meeting)?;
            print_warnings(l, ctx.json, &saved.warnings);
            emit(ctx.json, &saved, || format!("{} {} ({})", t(l, "loan.approved"), id, saved.loan.member.full_name));
        }
        LoanCommand::Disburse { id, date } => {
            let actor = ctx.sign_in(&mut store, club)?;
            let loan = loans::disburse(&mut store, &actor, club, id, parse_date(&date, Field::LoanDate)?)?;
            emit(ctx.json, &loan, || {
                format!("{} {} — {} {}", loan.voucher.clone().unwrap_or_default(), loan.member.full_name, t(l, "loan.disbursed"), format::money(loan.amount))
            });
        }
        LoanCommand::Repay { id, amount, date, prepay_principal } => {
            let mode = if prepay_principal { RepayMode::PrepayPrincipal } else { RepayMode::NextInstalment };
            let actor = ctx.sign_in(&mut store, club)?;
            let r = loans::repay(&mut store, &actor, club, id, parse_money(&amount, Field::LoanRepayAmount)?, parse_date(&date, Field::LoanDate)?, mode)?;
            emit(ctx.json, &r, || {
                format!(
                    "{}: {} — {}",
                    r.voucher,
                    paid_split(l, r.penalty, r.interest, r.principal, &r.instalments),
                    state_text(l, &r.card.state)
                )
            });
        }
        LoanCommand::Schedule { id, at: day } => {
            let c = loans::card(&store, club, id, at(&day)?)?;
            emit(ctx.json, &c.schedule, || {
                let mut lines = vec![format!("{}  {}", c.loan.member.full_name, state_text(l, &c.state))];
                for x in &c.schedule {
                    lines.push(format!(
                        "{:>3}  {}  {:>14} {:>12} {:>14}  {} {:>14}",
                        x.no,
                        format::date(x.due_on),
                        format::money(x.principal),
                        format::money(x.interest),
                        format::money(x.total),
                        t(l, &format!("loan.line.{}", serde_json::to_value(x.state).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())),
                        format::money(x.left)
                    ));
                }
                lines.join("\n")
            });
        }
        LoanCommand::Show { id, at: day } => {
            let c = loans::card(&store, club, id, at(&day)?)?;
            emit(ctx.json, &c, || {
                format!(
                    "{} {} — {} — {} · {} {}\n{}",
                    t(l, "loan.number"),
                    c.loan.id,
                    c.loan.member.full_name,
                    format::money(c.loan.amount),
                    t(l, &format!("loan.status.{}", c.loan.status.code())),
                    c.loan.voucher.clone().unwrap_or_default(),
                    state_text(l, &c.state)
                ) + &c
                    .payments
                    .iter()
                    .map(|p| {
                        format!(
                            "\n  {}  {}  {}",
                            format::date(p.paid_on),
                            p.voucher,
                            paid_split(l, p.penalty, p.interest, p.principal, &p.instalments)
                        )
                    })
                    .collect::<String>()
            });
        }
        LoanCommand::List { at: day } => {
            let rows = loans::list(&store, club, at(&day)?)?;
            emit(ctx.json, &rows, || {
                rows.iter()
                    .map(|r| {
                        format!(
                            "{:>4}  {}  {:<28} {:>14}  {:<14} {}",
                            r.loan.id,
                            format::date(r.loan.applied_on),
                            r.loan.member.full_name,
                            format::money(r.loan.amount),
                            t(l, &format!("loan.status.{}", r.loan.status.code())),
                            state_text(l, &r.state)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        LoanCommand::Waiting { at: day } => {
            let rows = loans::waiting_list(&store, club, at(&day)?)?;
            emit(ctx.json, &rows, || {
                rows.iter()
                    .map(|r| format!("{:>3}. {}{} — {} ({})", r.place, r.loan.member.full_name, if r.priority { " ★" } else { "" }, format::money(r.loan.amount), format::date(r.loan.applied_on)))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        LoanCommand::Portfolio { at: day } => {
            let p = loans::portfolio(&store, club, at(&day)?)?;
            emit(ctx.json, &p, || {
                fill(
                    &t(l, "loan.portfolio_text"),
                    &serde_json::json!({
                        "at": p.at, "active": p.active_loans, "outstanding": format::money(p.outstanding),
                        "par30": format::pct(p.par30_pct, l), "par90": format::pct(p.par90_pct, l), "rate": format::pct(p.repayment_rate_pct, l),
                        "ever": p.members_ever_borrowed, "members": p.members, "pct": format::pct(p.ever_borrowed_pct, l),
                        "cash": format::money(p.cash_available),
                    }),
                )
            });
        }
        LoanCommand::Reschedule { id, meeting, date, months } => {
            let actor = ctx.sign_in(&mut store, club)?;
            let saved = loans::reschedule(&mut store, &actor, club, id, meeting, parse_date(&date, Field::LoanDate)?, months)?;
            print_warnings(l, ctx.json, &saved.warnings);
            emit(ctx.json, &saved, || format!("{} {}", t(l, "loan.rescheduled"), id));
        }
        LoanCommand::WriteOff { id, meeting, reason, date } => {
            let actor = ctx.sign_in(&mut store, club)?;
            let saved = loans::write_off(&mut store, &actor, club, id, meeting, at(&date)?, &reason)?;
            print_warnings(l, ctx.json, &saved.warnings);
            emit(ctx.json, &saved, || format!("{} {}", t(l, "loan.written_off"), id));
        }
        LoanCommand::Withdraw { id } => {
            let actor = ctx.sign_in(&mut store, club)?;
            let loan = loans::withdraw(&mut store, &actor, club, id)?;
            emit(ctx.json, &loan, || format!("{} {}", t(l, "loan.status.withdrawn"), id));
        }
    }
    Ok(())
}
