//! `ishc fund …`: the two funds' vouchers, counts, closes, dues and reports.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Subcommand;
use ishc_core::error::Field;
use ishc_core::format;
use ishc_core::i18n::{fill, memo_text, t};
use ishc_core::books::{self, Area, CountInput, ExportFormat, PaymentInput, ReceiptInput, Source, Via};
use ishc_core::{roster::member, OpenMode};

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};
use crate::parse::{area_word, one_of, parse_date, parse_fund, parse_money, parse_notes, parse_opt_date};

#[derive(Subcommand, Debug)]
pub enum FundCommand {
    /// A receipt (phiếu thu): money in.
    Receipt {
        #[arg(long)]
        fund: String,
        /// Đồng: 1234567 or 1.234.567.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// dues, community, family, business, charity, seed, fundraising, interest, other.
        #[arg(long)]
        source: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, value_name = "ID")]
        member: Option<i64>,
        #[arg(long, default_value = "")]
        memo: String,
        /// Into the bank account instead of the cash box.
        #[arg(long)]
        bank: bool,
    },
    /// A payment voucher (phiếu chi): money out, refused if the fund lacks it.
    Payment {
        #[arg(long)]
        fund: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// The activity area 1..8, or admin.
        #[arg(long)]
        area: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, value_name = "ID")]
        member: Option<i64>,
        #[arg(long, default_value = "")]
        memo: String,
        #[arg(long)]
        bank: bool,
    },
    /// Move cash from one fund to the other.
    Transfer {
        /// The fund the money leaves.
        #[arg(long)]
        from: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, default_value = "")]
        memo: String,
    },
    /// Correct a voucher by a reversing entry (history is never edited).
    Reverse {
        voucher: String,
        #[arg(long)]
        reason: String,
        /// Date of the reversal (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Money the fund already had when the books started.
    Opening {
        #[arg(long)]
        fund: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, value_name = "DATE")]
        date: String,
    },
    /// One month's dues for many members in one receipt.
    Dues {
        /// YYYY-MM or MM/YYYY.
        #[arg(long)]
        month: String,
        /// Member ids, comma-separated.
        #[arg(long, value_delimiter = ',', conflicts_with = "all")]
        members: Vec<i64>,
        /// Every member of the day.
        #[arg(long)]
        all: bool,
        /// With --all: these member ids did not pay.
        #[arg(long, value_delimiter = ',')]
        except: Vec<i64>,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The fund dues go to (most clubs grow the loan fund with them).
        #[arg(long, default_value = "income")]
        fund: String,
    },
    /// Who paid dues, who is behind: members × the 12 months ending with --month.
    DuesGrid {
        #[arg(long)]
        month: String,
    },
    /// Balances of both funds as of a date.
    Balance {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// The cash book (sổ quỹ tiền mặt) for a period.
    Cashbook {
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: String,
        /// One fund; both funds' cash together when left out.
        #[arg(long)]
        fund: Option<String>,
    },
    /// Receipts by source and payments by area for a period.
    Summary {
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: String,
    },
    /// Every voucher with its postings.
    Journal {
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
    /// Count the cash box by banknote against the book.
    Count {
        #[arg(long)]
        fund: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// Banknotes: 500000=2,200000=5,...
        #[arg(long)]
        notes: String,
        #[arg(long)]
        counted_by: String,
        #[arg(long)]
        witness: String,
        /// Why the cash differs from the book, when it does.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Check the bank statement's balance against the book.
    Bank {
        #[arg(long)]
        fund: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long)]
        statement: String,
        #[arg(long)]
        checked_by: String,
        #[arg(long)]
        witness: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Close a month (the treasurer, after the cash count), confirmed by the chair and one more board
    /// member, each with her own PIN (ISHC_CONFIRM_PIN_1, ISHC_CONFIRM_PIN_2, or typed).
    Close {
        #[arg(long)]
        month: String,
        #[arg(long = "confirmed-by", value_name = "NAME")]
        confirmed_by: Vec<String>,
    },
    /// The public fund notice (công khai quỹ) of a month: one page for the culture house's board
    /// (HTML with --out, else the figures as text or --json), with the books' check code. With
    /// --check CODE: is a printed notice's code still in the books (were they rewritten since)?
    Notice {
        /// YYYY-MM or MM/YYYY.
        #[arg(long, required_unless_present = "check")]
        month: Option<String>,
        /// Write the page here (HTML).
        #[arg(long, value_name = "FILE", conflicts_with = "check")]
        out: Option<PathBuf>,
        /// The code printed on a notice (spaces and case do not matter).
        #[arg(long, value_name = "CODE", conflicts_with = "month")]
        check: Option<String>,
    },
    /// The whole journal for hledger or beancount.
    ExportJournal {
        /// hledger or beancount.
        #[arg(long)]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
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
    let memo = memo_text(ctx.lang, e.memo_notice.as_ref(), &e.memo);
    format!(
        "{} {} {} — {}{}",
        e.voucher,
        format::date(e.date),
        format::money(e.amount()),
        t(ctx.lang, &format!("fund.{}", e.fund.code())),
        if memo.is_empty() { String::new() } else { format!(": {memo}") }
    )
}

pub fn run(ctx: &Ctx, command: FundCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let l = ctx.lang;
    match command {
        FundCommand::Receipt { fund, amount, source, date, member, memo, bank } => {
            let input = ReceiptInput {
                fund: parse_fund(&fund)?,
                amount: parse_money(&amount, Field::LedgerAmount)?,
                source: one_of(&source, Field::LedgerSource, &Source::ALL, Source::code)?,
                date: parse_date(&date, Field::LedgerDate)?,
                member_id: member,
                memo,
                via: if bank { Via::Bank } else { Via::Cash },
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let e = books::receipt(&mut store, &actor, club, &input)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Payment { fund, amount, area, date, member, memo, bank } => {
            let input = PaymentInput {
                fund: parse_fund(&fund)?,
                amount: parse_money(&amount, Field::LedgerAmount)?,
                // The core also reads `a3` and `A3`.
                area: Area::parse(&area).map_or_else(|| one_of(&area, Field::LedgerArea, &Area::ALL, |a| area_word(a.code())), Ok)?,
                date: parse_date(&date, Field::LedgerDate)?,
                member_id: member,
                memo,
                via: if bank { Via::Bank } else { Via::Cash },
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let e = books::payment(&mut store, &actor, club, &input)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Transfer { from, amount, date, memo } => {
            let actor = ctx.sign_in(&mut store, club)?;
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
            let date = parse_opt_date(&date, Field::LedgerDate)?.unwrap_or(store.today());
            let actor = ctx.sign_in(&mut store, club)?;
            let e = books::reverse(&mut store, &actor, club, &voucher, date, &reason)?;
            emit(ctx.json, &e, || voucher_line(ctx, &e));
        }
        FundCommand::Opening { fund, amount, date } => {
            let actor = ctx.sign_in(&mut store, club)?;
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
            let actor = ctx.sign_in(&mut store, club)?;
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
                        memo_text(l, line.memo_notice.as_ref(), &line.memo)
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
            let input = CountInput {
                fund: parse_fund(&fund)?,
                date: parse_date(&date, Field::LedgerDate)?,
                notes: parse_notes(&notes)?,
                counted_by,
                witness,
                reason,
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let r = books::cash_count(&mut store, &actor, club, &input)?;
            emit(ctx.json, &r, || count_text(l, "fundcli.count_line", &r));
        }
        FundCommand::Bank { fund, date, statement, checked_by, witness, reason } => {
            let input = CountInput {
                fund: parse_fund(&fund)?,
                date: parse_date(&date, Field::LedgerDate)?,
                notes: BTreeMap::new(),
                counted_by: checked_by,
                witness,
                reason,
            };
            let statement = parse_money(&statement, Field::LedgerAmount)?;
            let actor = ctx.sign_in(&mut store, club)?;
            let r = books::bank_check(&mut store, &actor, club, &input, statement)?;
            emit(ctx.json, &r, || count_text(l, "fundcli.bank_line", &r));
        }
        FundCommand::Close { month, confirmed_by } => {
            let actor = ctx.sign_in(&mut store, club)?;
            // Each countersigner confirms with her own PIN (ISHC_CONFIRM_PIN_1, _2, or typed).
            let mut confirmers = Vec::new();
            for (i, name) in confirmed_by.iter().enumerate() {
                let pin = crate::cmd::user::confirm_pin(i + 1, name, l)?;
                confirmers.push(ishc_core::auth::sign_in(&mut store, club, name, &pin)?);
            }
            let c = books::close_month(&mut store, &actor, club, &month, &confirmers)?;
            emit(ctx.json, &c, || format!("{}: {} · {} · {}", c.month, c.closed_by, c.confirmed_by.join(", "), &c.chain_head[..16]));
        }
        FundCommand::Notice { month, out, check } => {
            use ishc_core::reporting::notice;
            if let Some(code) = check {
                let found = notice::check_code(&store, club, &code)?;
                let shown = code.trim().to_uppercase();
                emit(ctx.json, &serde_json::json!({ "code": shown, "found": found }), || match &found {
                    Some(f) if f.entry_id.is_some() => fill(
                        &t(l, "notice.code_found"),
                        &serde_json::json!({ "code": shown, "position": f.position, "date": f.date.map(format::date) }),
                    ),
                    Some(_) => fill(&t(l, "notice.code_found_empty"), &serde_json::json!({ "code": shown })),
                    None => fill(&t(l, "notice.code_missing"), &serde_json::json!({ "code": shown })),
                });
                if found.is_none() {
                    return Err(CliError::Printed(Box::new(CliError::Core(ishc_core::CoreError::NoticeCodeMissing { code: shown }))));
                }
                return Ok(());
            }
            // clap requires --month when --check is absent.
            let month = month.ok_or(CliError::Arg { field: Field::LedgerMonth, rule: ishc_core::Rule::Required })?;
            let n = notice::fund_notice(&store, club, &month)?;
            match out {
                Some(path) => {
                    let html = notice::fund_notice_html(&n, l);
                    ishc_core::files::write_atomic(&path, html.as_bytes(), ishc_core::files::Overwrite::Replace)
                        .map_err(|e| CliError::Io { path: path.display().to_string(), detail: e.to_string() })?;
                    let body = serde_json::json!({ "path": path, "chain_code": n.chain_code, "entries": n.entries });
                    emit(ctx.json, &body, || fill(&t(l, "notice.written"), &serde_json::json!({ "path": path.display().to_string() })));
                }
                None => emit(ctx.json, &n, || {
                    let mut lines = vec![format!("{} {} — {}", t(l, "notice.title"), n.month, n.club_name)];
                    for f in &n.funds {
                        lines.push(format!(
                            "{}: {} {} · {} +{} · {} −{} · {} {}",
                            t(l, &format!("fund.{}", f.fund)),
                            t(l, "report.opening"),
                            format::money(f.opening.total),
                            t(l, "report.receipts"),
                            format::money(f.receipts_total),
                            t(l, "report.payments"),
                            format::money(f.payments_total),
                            t(l, "report.closing"),
                            format::money(f.closing.total)
                        ));
                    }
                    lines.push(format!("{}: {} · {}", t(l, "report.active_loans"), n.loans.active_loans, format::money(n.loans.outstanding)));
                    lines.push(format!("{}: {}", t(l, "notice.code"), n.chain_code));
                    lines.join("\n")
                }),
            }
        }
        FundCommand::ExportJournal { format: fmt, out } => {
            let fmt = one_of(&fmt, Field::ReportFormat, &ExportFormat::ALL, ExportFormat::code)?;
            let text = books::export(&store, club, fmt, ctx.lang)?;
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
