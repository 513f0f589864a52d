//! `ishc fund …`: the two funds' vouchers, counts, closes, dues and reports.

use std::collections::BTreeMap;

use ishc_core::error::{Field, Rule};
use ishc_core::format;
use ishc_core::i18n::{fill, t};
use ishc_core::books::{self, Area, CountInput, Fund, PaymentInput, ReceiptInput, Source, Via};
use ishc_core::{roster::member, OpenMode};

use crate::commands::{parse_date, parse_opt_date, Ctx, Result};
use crate::output::{emit, CliError};
use crate::FundCommand;

/// Whole đồng as people write them, read by the core's one money grammar (`parse::money`).
pub fn parse_money(s: &str, field: Field) -> Result<i64> {
    Ok(ishc_core::parse::money(s, field)?)
}

pub fn parse_fund(s: &str) -> Result<Fund> {
    Fund::parse(s).ok_or(CliError::Arg {
        field: Field::LedgerFund,
        rule: Rule::OneOf { allowed: vec!["income".into(), "activity".into()] },
    })
}

fn parse_notes(s: &str) -> Result<BTreeMap<i64, i64>> {
    Ok(ishc_core::parse::cash_notes(s)?)
}

/// A cash count's or a bank check's result in one line: the book, what was found, the difference and
/// the adjusting voucher if there was one.
fn count_text(l: ishc_core::i18n::Lang, key: &str, r: &books::CountResult) -> String {
    let line = fill(
        &t(l, key),
        &serde_json::json!({
            "fund": t(l, &format!("fund.{}", r.fund.code())),
            "date": format::date(r.date),
            "book": format::money(r.book),
            "counted": format::money(r.counted),
            "difference": format::money(r.difference),
        }),
    );
    format!("{line}{}", r.adjustment.as_ref().map(|e| format!(" → {}", e.voucher)).unwrap_or_default())
}

fn voucher_line(ctx: &Ctx, e: &books::Entry) -> String {
    format!(
        "{} {} {} — {}{}",
        e.voucher,
        format::date(e.date),
        format::money(e.amount()),
        t(ctx.lang, &format!("fund.{}", e.fund.code())),
        if e.memo.is_empty() { String::new() } else { format!(": {}", e.memo) }
    )
}

pub fn run(ctx: &Ctx, command: FundCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let l = ctx.lang;
    match command {
        FundCommand::Receipt { fund, amount, source, date, member, memo, bank } => {
            let actor = ctx.actor()?;
            let input = ReceiptInput {
                fund: parse_fund(&fund)?,
                amount: parse_money(&amount, Field::LedgerAmount)?,
                source: Source::parse(&source).ok_or(CliError::Arg {
                    field: Field::LedgerSource,
                    rule: Rule::OneOf { allowed: Source::ALL.iter().map(|s| s.code().to_string()).collect() },
                })?,
                date: parse_date(&date, Field::LedgerDate)?,
                member_id: member,
                memo,
                via: if bank { Via::Bank } else { Via::Cash },
            };
            let e = books::receipt(&mut store, &actor, club, &input)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Payment { fund, amount, area, date, member, memo, bank } => {
            let actor = ctx.actor()?;
            let input = PaymentInput {
                fund: parse_fund(&fund)?,
                amount: parse_money(&amount, Field::LedgerAmount)?,
                area: Area::parse(&area).ok_or(CliError::Arg {
                    field: Field::LedgerArea,
                    rule: Rule::OneOf { allowed: (1..=8).map(|i| i.to_string()).chain(["admin".to_string()]).collect() },
                })?,
                date: parse_date(&date, Field::LedgerDate)?,
                member_id: member,
                memo,
                via: if bank { Via::Bank } else { Via::Cash },
            };
            let e = books::payment(&mut store, &actor, club, &input)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Transfer { from, amount, date, memo } => {
            let actor = ctx.actor()?;
            let e = books::transfer(
                &mut store,
                &actor,
                club,
                parse_fund(&from)?,
                parse_money(&amount, Field::LedgerAmount)?,
                parse_date(&date, Field::LedgerDate)?,
                &memo,
            )?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Reverse { voucher, reason, date } => {
            let actor = ctx.actor()?;
            let date = parse_opt_date(&date, Field::LedgerDate)?.unwrap_or(store.today());
            let e = books::reverse(&mut store, &actor, club, &voucher, date, &reason)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Opening { fund, amount, date } => {
            let actor = ctx.actor()?;
            let e = books::opening(
                &mut store,
                &actor,
                club,
                parse_fund(&fund)?,
                parse_money(&amount, Field::LedgerAmount)?,
                parse_date(&date, Field::LedgerDate)?,
                Via::Cash,
            )?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Dues { month, members, all, except, date, fund } => {
            let actor = ctx.actor()?;
            let date = parse_date(&date, Field::LedgerDate)?;
            let ids: Vec<i64> = if all {
                member::list(&store, club, &member::ListQuery { at: Some(date), ..Default::default() })?
                    .into_iter()
                    .map(|r| r.id)
                    .filter(|id| !except.contains(id))
                    .collect()
            } else {
                members
            };
            let e = books::record_dues(&mut store, &actor, club, parse_fund(&fund)?, &month, &ids, date)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::DuesGrid { month } => {
            let grid = books::dues_grid(&store, club, &month)?;
            emit(ctx.json, &grid, || {
                let mut lines = vec![format!("{:<32} {}", "", grid.months.iter().map(|m| &m[5..]).collect::<Vec<_>>().join(" "))];
                for r in &grid.rows {
                    let cells: Vec<&str> = r.months.iter().map(|s| match s.as_str() {
                        "paid" => "✓ ",
                        "due" => "✗ ",
                        _ => "· ",
                    }).collect();
                    lines.push(format!("{:<32} {} {}", r.full_name, cells.join(" "), if r.behind > 0 { format!("(-{})", r.behind) } else { String::new() }));
                }
                lines.join("\n")
            });
        }
        FundCommand::Balance { at } => {
            let b = books::balances(&store, club, parse_opt_date(&at, Field::Date)?)?;
            emit(ctx.json, &b, || {
                let mut lines = vec![format!("{}", format::date(b.at))];
                for f in &b.funds {
                    lines.push(fill(
                        &t(l, "fundcli.balance_line"),
                        &serde_json::json!({
                            "fund": t(l, &format!("fund.{}", f.fund.code())),
                            "cash": format::money(f.cash),
                            "bank": format::money(f.bank),
                            "loans": format::money(f.loans),
                            "assets": format::money(f.assets),
                            "capital": format::money(f.capital),
                            "transfers": format::money(f.transfers_in),
                            "income": format::money(f.income),
                            "expenses": format::money(f.expenses),
                        }),
                    ));
                }
                lines.join("\n")
            });
        }
        FundCommand::Cashbook { from, to, fund } => {
            let fund = fund.as_deref().map(parse_fund).transpose()?;
            let book = books::cashbook(&store, club, fund, parse_date(&from, Field::Date)?, parse_date(&to, Field::Date)?)?;
            emit(ctx.json, &book, || {
                let mut lines = vec![fill(
                    &t(l, "fundcli.cashbook_opening"),
                    &serde_json::json!({ "from": format::date(book.from), "opening": format::money(book.opening) }),
                )];
                for line in &book.lines {
                    lines.push(format!(
                        "{} {:<17} {:>14} {:>14} {:>15}  {}",
                        format::date(line.date),
                        line.voucher,
                        if line.money_in > 0 { format::money(line.money_in) } else { String::new() },
                        if line.money_out > 0 { format::money(line.money_out) } else { String::new() },
                        format::money(line.balance),
                        line.memo
                    ));
                }
                lines.push(fill(
                    &t(l, "fundcli.cashbook_closing"),
                    &serde_json::json!({
                        "total_in": format::money(book.total_in),
                        "total_out": format::money(book.total_out),
                        "to": format::date(book.to),
                        "closing": format::money(book.closing),
                    }),
                ));
                lines.join("\n")
            });
        }
        FundCommand::Summary { from, to } => {
            let s = books::summary(&store, club, parse_date(&from, Field::Date)?, parse_date(&to, Field::Date)?)?;
            emit(ctx.json, &s, || {
                let mut lines = Vec::new();
                for (fund, src, amount) in &s.receipts {
                    lines.push(format!("+ {} · {}: {}", t(l, &format!("fund.{}", fund.code())), t(l, &format!("source.{src}")), format::money(*amount)));
                }
                for (fund, area, amount) in &s.payments {
                    lines.push(format!("- {} · {}: {}", t(l, &format!("fund.{}", fund.code())), t(l, &format!("area.{area}")), format::money(*amount)));
                }
                lines.join("\n")
            });
        }
        FundCommand::Journal { from, to } => {
            let entries = books::journal(&store, club, parse_opt_date(&from, Field::Date)?, parse_opt_date(&to, Field::Date)?)?;
            emit(ctx.json, &entries, || entries.iter().map(|e| voucher_line(ctx, e)).collect::<Vec<_>>().join("\n"));
        }
        FundCommand::Count { fund, date, notes, counted_by, witness, reason } => {
            let actor = ctx.actor()?;
            let input = CountInput {
                fund: parse_fund(&fund)?,
                date: parse_date(&date, Field::LedgerDate)?,
                notes: parse_notes(&notes)?,
                counted_by,
                witness,
                reason,
            };
            let r = books::cash_count(&mut store, &actor, club, &input)?;
            emit(ctx.json, &r, || count_text(l, "fundcli.count_line", &r));
        }
        FundCommand::Bank { fund, date, statement, checked_by, witness, reason } => {
            let actor = ctx.actor()?;
            let input = CountInput {
                fund: parse_fund(&fund)?,
                date: parse_date(&date, Field::LedgerDate)?,
                notes: BTreeMap::new(),
                counted_by: checked_by,
                witness,
                reason,
            };
            let statement = parse_money(&statement, Field::LedgerAmount)?;
            let r = books::bank_check(&mut store, &actor, club, &input, statement)?;
            emit(ctx.json, &r, || count_text(l, "fundcli.bank_line", &r));
        }
        FundCommand::Close { month, confirmed_by } => {
            let actor = ctx.actor()?;
            let c = books::close_month(&mut store, &actor, club, &month, &confirmed_by)?;
            emit(ctx.json, &c, || format!("{}: {} · {} · {}", c.month, c.closed_by, c.confirmed_by.join(", "), &c.chain_head[..16]));
        }
        FundCommand::ExportJournal { format: fmt, out } => {
            let fmt = match fmt.as_str() {
                "hledger" => books::ExportFormat::Hledger,
                "beancount" => books::ExportFormat::Beancount,
                _ => {
                    return Err(CliError::Arg {
                        field: Field::ReportFormat,
                        rule: Rule::OneOf { allowed: vec!["hledger".into(), "beancount".into()] },
                    })
                }
            };
            let text = books::export(&store, club, fmt)?;
            match out {
                Some(path) => {
                    // The one atomic writer: a pulled stick leaves no half-file.
                    ishc_core::files::write_atomic(&path, text.as_bytes(), ishc_core::files::Overwrite::Replace)
                        .map_err(|e| CliError::Io { path: path.display().to_string(), detail: e.to_string() })?;
                }
                None => crate::output::write_stdout(text.as_bytes()),
            }
        }
    }
    Ok(())
}
