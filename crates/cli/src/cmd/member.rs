//! `ishc member …`: the roster — add, edit, leave, flags and roles over time, the list, import.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ishc_core::error::Field;
use ishc_core::format;
use ishc_core::i18n::{self, t};
use ishc_core::roster::import;
use ishc_core::roster::member::{self, Flag, FlagInput, LeaveReason, ListQuery, MemberInput, MemberPatch, Role};
use ishc_core::{Actor, CoreError, OpenMode};

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};
use crate::parse::{one_of, parse_birth, parse_date, parse_opt_date, parse_sex};

fn parse_flag(s: &str) -> Result<Flag> {
    one_of(s, Field::MemberFlag, &Flag::ALL, Flag::code)
}

fn parse_role(s: &str) -> Result<Role> {
    one_of(s, Field::MemberRole, &Role::ALL, Role::code)
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
    /// A member's own statement for a year (her passbook): dues month by month, her loans with their
    /// schedule and payments, the visits and support she received. HTML with --out.
    Statement {
        id: i64,
        /// The year (default: this year).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
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

pub fn run(ctx: &Ctx, command: MemberCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let l = ctx.lang;
    let show = |m: &member::Member| {
        format!(
            "#{} {} ({}, {}) — {} {}{}",
            m.id,
            m.full_name,
            t(l, &format!("sex.{:?}", m.sex)),
            m.birth_year,
            t(l, "field.member.joined_on"),
            format::date(m.joined_on),
            m.left_on
                .map(|d| format!(", {} {}", t(l, "field.member.left_on"), format::date(d)))
                .unwrap_or_default()
        )
    };
    match command {
        MemberCommand::Add(a) => {
            let club = ctx.club_id(&store)?;
            let (birth_year, birth_date) = parse_birth(&a.born)?;
            let joined_on = parse_date(&a.joined, Field::MemberJoinedOn)?;
            let consent_on = if a.no_consent {
                None
            } else {
                Some(parse_opt_date(&a.consent, Field::MemberConsentOn)?.unwrap_or(joined_on))
            };
            let flags = a
                .flags
                .iter()
                .map(|f| {
                    let (name, standard) = f.split_once('=').map(|(n, s)| (n, Some(s.to_string()))).unwrap_or((f, None));
                    Ok(FlagInput { flag: parse_flag(name)?, standard })
                })
                .collect::<Result<Vec<_>>>()?;
            let roles = a.roles.iter().map(|r| parse_role(r)).collect::<Result<Vec<_>>>()?;
            let input = MemberInput {
                full_name: a.name,
                sex: parse_sex(&a.sex)?,
                birth_year,
                birth_date,
                ethnicity: a.ethnicity,
                hamlet: a.hamlet,
                phone: a.phone,
                joined_on,
                consent_on,
                flags,
                roles,
            };
            let actor = ctx.sign_in(&mut store, club)?;
            let m = member::add(&mut store, &actor, club, &input, a.allow_duplicate)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Edit(a) => {
            let (birth_year, birth_date) = match a.born.as_deref().map(parse_birth).transpose()? {
                Some((y, d)) => (Some(y), d),
                None => (None, None),
            };
            let patch = MemberPatch {
                full_name: a.name,
                sex: a.sex.as_deref().map(parse_sex).transpose()?,
                birth_year,
                birth_date,
                ethnicity: a.ethnicity,
                hamlet: a.hamlet,
                phone: a.phone,
                consent_on: parse_opt_date(&a.consent, Field::MemberConsentOn)?,
            };
            let club = ctx.club_id(&store)?;
            let actor = ctx.sign_in(&mut store, club)?;
            let m = member::edit(&mut store, &actor, club, a.id, &patch)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Leave { id, date, reason } => {
            let on = parse_date(&date, Field::MemberLeftOn)?;
            let reason = one_of(&reason, Field::MemberLeaveReason, &LeaveReason::ALL, LeaveReason::code)?;
            let club = ctx.club_id(&store)?;
            let actor = ctx.sign_in(&mut store, club)?;
            let m = member::leave(&mut store, &actor, club, id, on, reason)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Flag { id, flag, on, off, date, standard } => {
            let club = ctx.club_id(&store)?;
            let actor = ctx.sign_in(&mut store, club)?;
            let m = member::set_flag(
                &mut store,
                &actor,
                club,
                id,
                parse_flag(&flag)?,
                on || !off,
                parse_date(&date, Field::Date)?,
                standard.as_deref(),
            )?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Role { id, role, on, off, date } => {
            let club = ctx.club_id(&store)?;
            let actor = ctx.sign_in(&mut store, club)?;
            let m = member::set_role(&mut store, &actor, club, id, parse_role(&role)?, on || !off, parse_date(&date, Field::Date)?)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::List { at, search, flag, all } => {
            let club = ctx.club_id(&store)?;
            let query = ListQuery {
                at: parse_opt_date(&at, Field::Date)?,
                search,
                flag: flag.as_deref().map(parse_flag).transpose()?,
                include_left: all,
            };
            let rows = member::list(&store, club, &query)?;
            emit(ctx.json, &rows, || {
                rows.iter()
                    .map(|r| {
                        let flags: Vec<String> = r.flags.iter().map(|f| t(l, &format!("flag.{}", f.code()))).collect();
                        format!(
                            "#{}\t{}\t{}\t{}\t{}\t{}",
                            r.id,
                            r.full_name,
                            t(l, &format!("sex.{:?}", r.sex)),
                            r.birth_year,
                            format::date(r.joined_on),
                            flags.join(", ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        MemberCommand::Import { file, dry_run, joined, allow_duplicates } => {
            let club = ctx.club_id(&store)?;
            let opts = import::ImportOptions {
                default_joined_on: parse_opt_date(&joined, Field::MemberJoinedOn)?,
                allow_duplicates,
            };
            // Capped and checked (a regular file, within the import's limits) before it is read.
            let table = import::read_file(&file)?;
            // A dry run needs no sign-in: it writes nothing (the core asks for the right only when
            // the members are added).
            let actor = if dry_run { ctx.actor().or_else(|_| Ok::<_, CliError>(Actor::new("dry-run")?))? } else { ctx.sign_in(&mut store, club)? };
            let report = match import::import(&mut store, &actor, club, &table, &opts, !dry_run) {
                Err(CoreError::ImportHasErrors { .. }) => {
                    // Show which rows are wrong, then refuse: under --json one value, the report
                    // with the error inside it.
                    let report = import::import(&mut store, &actor, club, &table, &opts, false)?;
                    let err = CliError::Core(CoreError::ImportHasErrors { error_rows: report.error_rows });
                    if !ctx.json {
                        print_import(ctx, &report);
                        return Err(err);
                    }
                    let mut value = serde_json::to_value(&report).unwrap_or_default();
                    value["error"] = err.to_json(ctx.lang);
                    emit(true, &value, String::new);
                    return Err(CliError::Printed(Box::new(err)));
                }
                other => other?,
            };
            print_import(ctx, &report);
        }
        MemberCommand::Statement { id, year, out } => {
            use ishc_core::reporting::statement;
            let club = ctx.club_id(&store)?;
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&store.today()));
            let st = statement::member_statement(&store, club, id, year)?;
            match out {
                Some(path) => {
                    let html = statement::member_statement_html(&st, ctx.lang);
                    ishc_core::files::write_atomic(&path, html.as_bytes(), ishc_core::files::Overwrite::Replace)
                        .map_err(|e| CliError::Io { path: path.display().to_string(), detail: e.to_string() })?;
                    let body = serde_json::json!({ "path": path, "member_id": id, "year": year });
                    emit(ctx.json, &body, || i18n::fill(&t(ctx.lang, "statement.written"), &serde_json::json!({ "path": path.display().to_string() })));
                }
                None => emit(ctx.json, &st, || {
                    let l = ctx.lang;
                    let dues: Vec<String> = st
                        .months
                        .iter()
                        .zip(&st.dues)
                        .map(|(m, d)| format!("{} {}", &m[5..], t(l, &format!("statement.dues.{d}"))))
                        .collect();
                    let mut lines = vec![format!("{} — {} — {}", t(l, "statement.title"), st.full_name, st.year), dues.join(" · ")];
                    for c in &st.loans {
                        let out = c.state.as_ref().map(|s| s.principal_out).unwrap_or(0);
                        lines.push(format!(
                            "{}: {} · {} · {} {}",
                            t(l, "statement.loans"),
                            format::money(c.loan.amount),
                            t(l, &format!("loan.status.{}", c.loan.status.code())),
                            t(l, "report.outstanding"),
                            format::money(out)
                        ));
                    }
                    lines.push(format!("{}: {}", t(l, "statement.received"), st.received.len()));
                    lines.join("\n")
                }),
            }
        }
        MemberCommand::Show { id } => {
            let m = member::get(&store, ctx.club_id(&store)?, id)?;
            emit(ctx.json, &m, || show(&m));
        }
    }
    Ok(())
}

fn print_import(ctx: &Ctx, report: &import::ImportReport) {
    let l = ctx.lang;
    emit(ctx.json, report, || {
        let mut lines: Vec<String> = report
            .rows
            .iter()
            .map(|r| match &r.error {
                None => format!("{:>4}  {:<6}{}", r.line, t(l, "import.row_ok"), r.full_name),
                Some(e) => format!("{:>4}  {:<6}{} — {}", r.line, t(l, "import.row_error"), r.full_name, i18n::error_message(l, e)),
            })
            .collect();
        lines.push(format!(
            "{}{}",
            i18n::fill(&t(l, "import.summary"), &serde_json::json!({ "ok": report.ok_rows, "bad": report.error_rows, "encoding": report.encoding })),
            t(l, if report.committed { "import.committed" } else { "import.not_committed" })
        ));
        lines.join("\n")
    });
}
