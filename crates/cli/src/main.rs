//! `ishc`: the club ledger from the command line. A thin layer: it parses arguments, calls the core,
//! and prints. Exit 0 on success, 1 when the books refuse or a check fails, 2 on a usage error.
//!
//! This file holds the top-level command line (`Cli`, the global flags, `Command`) and sends each
//! command to its room under `cmd/`, which holds that command's clap types and what it does.

mod cmd;
mod ctx;
mod output;
mod parse;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ishc_core::i18n::Lang;

use crate::cmd::{backup, check, club, commune, demo, fund, key, life, loan, member, report, user};
use crate::ctx::Ctx;
use crate::output::{CliError, Result};

#[derive(Parser, Debug)]
#[command(name = "ishc", version, about = "Sổ sách CLB Liên thế hệ tự giúp nhau — the club board's ledger")]
pub struct Cli {
    /// The ledger file (default: the platform's data folder; ISHC_DB overrides).
    #[arg(long, global = true, env = "ISHC_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Which club, when the file holds several.
    #[arg(long, global = true, env = "ISHC_CLUB", value_name = "ID")]
    club: Option<i64>,
    /// Who is acting (a board member's name), recorded in the audit trail with every change.
    #[arg(long = "as", global = true, env = "ISHC_ACTOR", value_name = "NAME")]
    actor: Option<String>,
    /// Language of messages: vi (default) or en.
    #[arg(long, global = true, env = "ISHC_LANG", default_value = "vi", value_parser = ["vi", "en"])]
    lang: String,
    /// Print machine-readable JSON (the shapes are documented in docs/cli-json.md).
    #[arg(long, global = true)]
    json: bool,
    /// Take this date as today (tests and demos).
    #[arg(long, global = true, env = "ISHC_TODAY", hide = true)]
    today: Option<String>,
    #[command(subcommand)]
    command: Command,
    /// Whether `--db` was typed on the command line (not taken from ISHC_DB): the commune's
    /// commands take their ledger from it only then.
    #[arg(skip)]
    db_typed: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a club in the ledger (and the ledger file, if it is new).
    Init(club::InitArgs),
    /// The club's profile.
    Club {
        #[command(subcommand)]
        command: club::ClubCommand,
    },
    /// Build a realistic demo club with years of history.
    Demo(demo::DemoArgs),
    /// Check the file's integrity and every rule of the books.
    Check,
    /// The roster.
    Member {
        #[command(subcommand)]
        command: member::MemberCommand,
    },
    /// Composition as of a date, against a target preset.
    Composition(club::CompositionArgs),
    /// The target presets (built in and the commune's own).
    Presets {
        #[command(subcommand)]
        command: Option<club::PresetCommand>,
    },
    /// The two funds: vouchers, counts, closes, dues, the cash book.
    Fund {
        #[command(subcommand)]
        command: fund::FundCommand,
    },
    /// Meetings: attendance, areas covered, decisions, minutes, dues collected.
    Meeting {
        #[command(subcommand)]
        command: life::MeetingCommand,
    },
    /// Activities between meetings: home visits, health checks, support, rights, trainings, events.
    Activity {
        #[command(subcommand)]
        command: life::ActivityCommand,
    },
    /// Member loans: the rules, applications, approval, disbursement, repayments, the portfolio.
    Loan {
        #[command(subcommand)]
        command: loan::LoanCommand,
    },
    /// The club standard's self-assessment for a year: every criterion, its figure and threshold.
    Standard(life::StandardArgs),
    /// The report of a month (2026-11), a quarter (2026-Q4) or a year (2026) in one rendering.
    /// Counts only, unless --with-members (the report then says it holds personal data).
    Report(report::ReportArgs),
    /// Sign the period's report (JSON, HTML, XLSX) into a bundle for the commune and write it to DIR
    /// (the USB stick): written whole or not at all, read back and verified. Prints the bundle's path.
    Export(report::ExportArgs),
    /// The club's signing key: create, show, print the key card for the commune, change it.
    Key {
        #[command(subcommand)]
        command: key::KeyCommand,
    },
    /// Check a signed report bundle (.zip). Needs no ledger: this is the commune's command.
    Verify(key::VerifyArgs),
    /// The commune's inbox: its ledger and key, the register of clubs, importing their bundles,
    /// who has reported, and the roll-up for the district and province. Its ledger is `--db` typed here, else ISHC_COMMUNE_DB, else commune.sqlite
    /// in the data folder (never ISHC_DB).
    Commune {
        #[command(subcommand)]
        command: commune::CommuneCommand,
    },
    /// Who did what, newest first.
    Audit(check::AuditArgs),
    /// Back up the books: --out DIR (encrypted, for the USB stick), --auto (local, old ones
    /// removed), or `backup list` (the local backups). Each is read back and checked.
    Backup(backup::BackupArgs),
    /// Replace the books with a backup (checked first; the old file is kept beside). Needs --as.
    Restore(backup::RestoreArgs),
    /// The board's sign-ins: list, set up, add, change or reset a PIN, remove, recover.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
}

fn main() -> ExitCode {
    let parsed = Cli::command().try_get_matches().and_then(|m| {
        let typed = m.value_source("db") == Some(clap::parser::ValueSource::CommandLine);
        Cli::from_arg_matches(&m).map(|mut cli| {
            cli.db_typed = typed;
            cli
        })
    });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let (lang, json) = output::raw_flags(&std::env::args_os().collect::<Vec<_>>());
            return output::usage_error(e, lang, json);
        }
    };
    let lang = if cli.lang == "en" { Lang::En } else { Lang::Vi };
    output::set_lang(lang);
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::CheckFailed) | Err(CliError::VerifyFailed) => ExitCode::from(1),
        Err(e) => output::print_error(&e, lang, json),
    }
}

/// Send the command to its room.
fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx::new(&cli)?;
    match cli.command {
        Command::Init(a) => club::init(&ctx, a),
        Command::Club { command } => club::run(&ctx, command),
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Check => check::check(&ctx),
        Command::Member { command } => member::run(&ctx, command),
        Command::Composition(a) => club::composition(&ctx, a),
        Command::Presets { command } => club::presets(&ctx, command),
        Command::Audit(a) => check::audit(&ctx, a),
        Command::Fund { command } => fund::run(&ctx, command),
        Command::Meeting { command } => life::meeting(&ctx, command),
        Command::Activity { command } => life::activity(&ctx, command),
        Command::Loan { command } => loan::run(&ctx, command),
        Command::Standard(a) => life::standard(&ctx, a),
        Command::Report(a) => report::report(&ctx, a),
        Command::Export(a) => report::export(&ctx, a),
        Command::Key { command } => key::run(&ctx, command),
        Command::Verify(a) => key::verify(&ctx, a),
        Command::Backup(a) => backup::backup(&ctx, a),
        Command::Restore(a) => backup::restore(&ctx, a),
        Command::Commune { command } => commune::run(&ctx, command),
        Command::User { command } => user::run(&ctx, command),
    }
}
