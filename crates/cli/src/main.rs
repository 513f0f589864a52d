//! `ishc`: the club ledger from the command line. A thin layer: it parses arguments, calls the core,
//! and prints. Exit 0 on success, 1 when the books refuse or a check fails, 2 on a usage error.

mod commands;
mod fund;
pub mod keys;
mod life;
mod loans;
mod output;
mod reports;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ishc_core::i18n::Lang;

use crate::output::CliError;

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
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a club in the ledger (and the ledger file, if it is new).
    Init(InitArgs),
    /// The club's profile.
    Club {
        #[command(subcommand)]
        command: ClubCommand,
    },
    /// Build a realistic demo club with years of history.
    Demo(DemoArgs),
    /// Check the file's integrity and every rule of the books.
    Check,
    /// The roster.
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Composition as of a date, against a target preset.
    Composition {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
    },
    /// The target presets (built in and the commune's own).
    Presets {
        #[command(subcommand)]
        command: Option<PresetCommand>,
    },
    /// The two funds: vouchers, counts, closes, dues, the cash book.
    Fund {
        #[command(subcommand)]
        command: FundCommand,
    },
    /// Meetings: attendance, areas covered, decisions, minutes, dues collected.
    Meeting {
        #[command(subcommand)]
        command: MeetingCommand,
    },
    /// Activities between meetings: home visits, health checks, support, rights, trainings, events.
    Activity {
        #[command(subcommand)]
        command: ActivityCommand,
    },
    /// Member loans: the rules, applications, approval, disbursement, repayments, the portfolio.
    Loan {
        #[command(subcommand)]
        command: LoanCommand,
    },
    /// The club standard's self-assessment for a year: every criterion, its figure and threshold.
    Standard {
        #[arg(long)]
        year: i32,
        /// Judge against this target preset instead of the club's own.
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
    },
    /// The report of a month (2026-11), a quarter (2026-Q4) or a year (2026) in one rendering.
    /// Counts only, unless --with-members (the report then says it holds personal data).
    Report {
        #[arg(long, value_name = "PERIOD")]
        period: String,
        #[arg(long, default_value = "json", value_parser = ["json", "html", "xlsx"])]
        format: String,
        /// Write here (atomically); without it JSON and HTML go to standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Add the member list (names): only where the commune asks for it.
        #[arg(long)]
        with_members: bool,
    },
    /// Sign the period's report (JSON, HTML, XLSX) into a bundle for the commune and write it to DIR
    /// (the USB stick): written whole or not at all, read back and verified. Prints the bundle's path.
    Export {
        #[arg(long, value_name = "PERIOD")]
        period: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Add the member list (names): only where the commune asks for it.
        #[arg(long)]
        with_members: bool,
        #[command(flatten)]
        pass: keys::PassphraseArgs,
    },
    /// The club's signing key: create, show, print the key card for the commune, change it.
    Key {
        #[command(subcommand)]
        command: keys::KeyCommand,
    },
    /// Check a signed report bundle (.zip). Needs no ledger: this is the commune's command.
    Verify(keys::VerifyArgs),
    /// Who did what, newest first.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Args, Debug)]
pub struct InitArgs {
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    hamlet: String,
    #[arg(long)]
    commune: String,
    #[arg(long)]
    district: String,
    #[arg(long)]
    province: String,
    /// Founding date, YYYY-MM-DD or dd/mm/yyyy (default: today).
    #[arg(long, value_name = "DATE")]
    founded: Option<String>,
    /// Round money to 1, 500 or 1000 đ.
    #[arg(long, default_value_t = 1000)]
    rounding: i64,
    #[arg(long, default_value = "qd1336")]
    preset: String,
    /// Yearly report deadline as DD/MM.
    #[arg(long, default_value = "10/12", value_name = "DD/MM")]
    deadline: String,
    /// Each member's monthly due in đồng.
    #[arg(long, value_name = "DONG")]
    monthly_due: Option<i64>,
    /// The club's signing key is made with the club: its passphrase (ISHC_PASSPHRASE, this file, or typed).
    #[command(flatten)]
    pass: keys::PassphraseArgs,
}

#[derive(Subcommand, Debug)]
pub enum ClubCommand {
    /// Show the club's profile.
    Show,
    /// List the clubs in the file.
    List,
    /// Change a setting of the club.
    Set {
        /// Each member's monthly due in đồng.
        #[arg(long, value_name = "DONG")]
        monthly_due: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PresetCommand {
    /// Add a commune's own preset from a JSON file shaped like assets/presets/qd1336.json.
    Add { file: PathBuf },
}

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
    /// Close a month (the treasurer, after the cash count), confirmed by the chair and one more board member.
    Close {
        #[arg(long)]
        month: String,
        #[arg(long = "confirmed-by", value_name = "NAME")]
        confirmed_by: Vec<String>,
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

#[derive(Subcommand, Debug)]
pub enum MeetingCommand {
    /// Record a meeting, its decisions and the dues collected at it, in one go.
    Add(Box<MeetingAddArgs>),
    /// Add a decision to a meeting already recorded.
    Decide {
        /// The meeting's number.
        id: i64,
        /// loan_approval, loan_reschedule, loan_write_off, admission, spending or other.
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "ID")]
        member: Option<i64>,
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        text: String,
    },
    /// Meetings, newest first.
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// One meeting's record (biên bản).
    Show { id: i64 },
    /// The 12-month × 8-area grid of a year.
    Grid {
        #[arg(long)]
        year: i32,
    },
}

#[derive(Args, Debug)]
pub struct MeetingAddArgs {
    #[arg(long, value_name = "DATE")]
    date: String,
    /// monthly, board, extraordinary or annual.
    #[arg(long, default_value = "monthly")]
    kind: String,
    #[arg(long, default_value = "")]
    place: String,
    /// The member who chaired.
    #[arg(long, value_name = "ID")]
    chair: i64,
    #[arg(long, value_name = "ID")]
    minutes_by: Option<i64>,
    /// Members present, comma-separated.
    #[arg(long, value_delimiter = ',', conflicts_with = "all_present")]
    present: Vec<i64>,
    /// Every member of the day was present…
    #[arg(long)]
    all_present: bool,
    /// …but these.
    #[arg(long, value_delimiter = ',', requires = "all_present")]
    absent: Vec<i64>,
    /// Activity areas covered: 1..8, comma-separated, or `all`.
    #[arg(long, value_delimiter = ',')]
    areas: Vec<String>,
    /// Themes discussed: digital, green, startup.
    #[arg(long, value_delimiter = ',')]
    themes: Vec<String>,
    #[arg(long, default_value = "", conflicts_with = "minutes_file")]
    minutes: String,
    /// Read the minutes from a text file.
    #[arg(long, value_name = "FILE")]
    minutes_file: Option<PathBuf>,
    /// A decision as KIND:MEMBER:AMOUNT:TEXT (member and amount may be empty); repeat for more.
    #[arg(long = "decision", value_name = "KIND:MEMBER:AMOUNT:TEXT")]
    decisions: Vec<String>,
    /// Approve these loan applications at this meeting (ids from `ishc loan waiting`).
    #[arg(long = "approve-loan", value_name = "LOAN", value_delimiter = ',')]
    approve_loans: Vec<i64>,
    /// Collect this month's dues from everyone present.
    #[arg(long, conflicts_with = "dues")]
    dues_present: bool,
    /// Collect dues from these members, comma-separated.
    #[arg(long, value_delimiter = ',')]
    dues: Vec<i64>,
    /// YYYY-MM the dues are for (default: the meeting's month).
    #[arg(long)]
    dues_month: Option<String>,
    #[arg(long, default_value = "income")]
    dues_fund: String,
}

#[derive(Subcommand, Debug)]
pub enum ActivityCommand {
    /// Record an activity (and, with --fund, the money it gave or raised).
    Add {
        /// home-visit, health-check, support, rights, training or event.
        #[arg(long)]
        kind: String,
        /// support: money|in_kind|labour|other; rights: pension|health_insurance|social_allowance|legal|other;
        /// training: board_initial|board_refresher|members|other; event: culture|sport|visit|fundraising|other.
        #[arg(long, default_value = "")]
        subkind: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The member cared for or helped.
        #[arg(long, value_name = "ID", conflicts_with = "person")]
        member: Option<i64>,
        /// Or someone who is not a member, by name.
        #[arg(long, default_value = "")]
        person: String,
        /// The volunteer or board member who did it.
        #[arg(long, value_name = "ID")]
        by: Option<i64>,
        /// Members who took part, comma-separated.
        #[arg(long, value_delimiter = ',')]
        participants: Vec<i64>,
        /// How many people took part.
        #[arg(long, default_value_t = 0)]
        people: u32,
        /// Value in đồng of what was given or raised.
        #[arg(long)]
        value: Option<String>,
        /// Post the value to this fund (a payment; a fundraising receipt for an event).
        #[arg(long)]
        fund: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Activities, newest first.
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        kind: Option<String>,
    },
}

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

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 10)]
    years: u32,
    #[arg(long, default_value_t = 60)]
    members: u32,
    #[arg(long, default_value_t = 1336)]
    seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    /// Add a member.
    Add(MemberAddArgs),
    /// Change a member's own details.
    Edit(MemberEditArgs),
    /// Record that a member left (nothing is deleted).
    Leave {
        id: i64,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// moved, died, withdrew or other.
        #[arg(long)]
        reason: String,
    },
    /// Turn a disadvantage status on or off from a date.
    Flag {
        id: i64,
        /// poor, near_poor, disability or living_alone.
        flag: String,
        #[arg(long, conflicts_with = "off")]
        on: bool,
        #[arg(long)]
        off: bool,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The poverty standard the status was decided under (poor, near_poor).
        #[arg(long)]
        standard: Option<String>,
    },
    /// Give or end a role from a date.
    Role {
        id: i64,
        /// chair, vice_chair, treasurer, secretary, group_leader, volunteer or care_recipient.
        role: String,
        #[arg(long, conflicts_with = "off")]
        on: bool,
        #[arg(long)]
        off: bool,
        #[arg(long, value_name = "DATE")]
        date: String,
    },
    /// The roster as of a date, sorted the Vietnamese way.
    List {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Part of a name; case and diacritics do not matter.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        flag: Option<String>,
        /// Include members who had left by the date.
        #[arg(long)]
        all: bool,
    },
    /// One member, with their flags and roles over time.
    Show { id: i64 },
    /// Import members from a CSV or XLSX sheet: all rows or none.
    Import {
        file: PathBuf,
        /// Check every row and print the report, import nothing.
        #[arg(long)]
        dry_run: bool,
        /// Join date for rows that have none.
        #[arg(long, value_name = "DATE")]
        joined: Option<String>,
        /// Import rows that look like members already in the books.
        #[arg(long)]
        allow_duplicates: bool,
    },
}

#[derive(Args, Debug)]
pub struct MemberAddArgs {
    #[arg(long)]
    name: String,
    /// F or M (Nữ / Nam also accepted).
    #[arg(long)]
    sex: String,
    /// Birth year (1956) or full date.
    #[arg(long, value_name = "YEAR|DATE")]
    born: String,
    #[arg(long, value_name = "DATE")]
    joined: String,
    #[arg(long, default_value = "Kinh")]
    ethnicity: String,
    #[arg(long, default_value = "")]
    hamlet: String,
    #[arg(long, default_value = "")]
    phone: String,
    /// Date of consent to keep the member's data (default: the join date).
    #[arg(long, value_name = "DATE", conflicts_with = "no_consent")]
    consent: Option<String>,
    /// The member has not (yet) given consent.
    #[arg(long)]
    no_consent: bool,
    /// A disadvantage status: FLAG or FLAG=STANDARD (poor and near_poor need the standard).
    #[arg(long = "flag", value_name = "FLAG[=STANDARD]")]
    flags: Vec<String>,
    #[arg(long = "role", value_name = "ROLE")]
    roles: Vec<String>,
    /// Add even if a member with the same name and birth year exists (a different person).
    #[arg(long)]
    allow_duplicate: bool,
}

#[derive(Args, Debug)]
pub struct MemberEditArgs {
    id: i64,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    sex: Option<String>,
    #[arg(long, value_name = "YEAR|DATE")]
    born: Option<String>,
    #[arg(long)]
    ethnicity: Option<String>,
    #[arg(long)]
    hamlet: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long, value_name = "DATE")]
    consent: Option<String>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let (lang, json) = output::raw_flags(&std::env::args_os().collect::<Vec<_>>());
            return output::usage_error(e, lang, json);
        }
    };
    let lang = if cli.lang == "en" { Lang::En } else { Lang::Vi };
    output::set_lang(lang);
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::CheckFailed) | Err(CliError::VerifyFailed) => ExitCode::from(1),
        Err(e) => output::print_error(&e, lang, json),
    }
}
