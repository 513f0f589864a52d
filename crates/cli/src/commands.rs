//! One function per command: parse the values the core does not, call the core, print.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use ishc_core::roster::club::{self, ClubInput};
use ishc_core::error::{Field, Rule};
use ishc_core::format;
use ishc_core::i18n::{self, t, Lang};
use ishc_core::roster::member::{self, Flag, FlagInput, LeaveReason, ListQuery, MemberInput, MemberPatch, Role, Sex};
use ishc_core::{store::audit, check, roster::composition, demo, roster::import, overview, roster::preset, Actor, CoreError, OpenMode, Store};

use crate::output::{emit, CliError};
use crate::{ClubCommand, Cli, Command, MemberCommand};

pub(crate) type Result<T, E = CliError> = std::result::Result<T, E>;

pub(crate) struct Ctx {
    pub(crate) db: PathBuf,
    pub(crate) club: Option<i64>,
    pub(crate) actor: Option<String>,
    pub(crate) lang: Lang,
    pub(crate) json: bool,
    pub(crate) today: Option<NaiveDate>,
}

impl Ctx {
    pub(crate) fn open(&self, mode: OpenMode) -> Result<Store> {
        let mut store = Store::open(&self.db, mode)?;
        if let Some(today) = self.today {
            store.set_today(today);
        }
        Ok(store)
    }
    pub(crate) fn actor(&self) -> Result<Actor> {
        match &self.actor {
            Some(name) => Ok(Actor::new(name)?),
            None => Err(CliError::ActorMissing),
        }
    }
    pub(crate) fn club_id(&self, store: &Store) -> Result<i64> {
        Ok(club::resolve(store, self.club)?.id)
    }
}

/// A date as people type it: `2026-11-22`, `22/11/2026` or `22/11/26`.
pub fn parse_date(s: &str, field: Field) -> Result<NaiveDate> {
    let s = s.trim();
    let bad = || CliError::Arg { field, rule: Rule::DateFormat };
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Ok(d);
    }
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    if parts.len() != 3 {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<i32>().map_err(|_| bad());
    let (d, m, mut y) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    if parts[2].len() == 2 {
        y += 2000;
    }
    NaiveDate::from_ymd_opt(y, m as u32, d as u32).ok_or_else(bad)
}

pub(crate) fn parse_opt_date(s: &Option<String>, field: Field) -> Result<Option<NaiveDate>> {
    s.as_deref().map(|s| parse_date(s, field)).transpose()
}

/// A birth year alone, or a full date.
fn parse_birth(s: &str) -> Result<(i32, Option<NaiveDate>)> {
    if let Ok(y) = s.trim().parse::<i32>() {
        return Ok((y, None));
    }
    let d = parse_date(s, Field::MemberBirth)?;
    Ok((d.year(), Some(d)))
}

fn parse_sex(s: &str) -> Result<Sex> {
    match ishc_core::text::fold(s).as_str() {
        "f" | "nu" | "female" => Ok(Sex::F),
        "m" | "nam" | "male" => Ok(Sex::M),
        _ => Err(CliError::Arg { field: Field::MemberSex, rule: Rule::OneOf { allowed: vec!["F".into(), "M".into()] } }),
    }
}

fn parse_flag(s: &str) -> Result<Flag> {
    Flag::parse(s).ok_or_else(|| CliError::Arg {
        field: Field::MemberFlag,
        rule: Rule::OneOf { allowed: Flag::ALL.iter().map(|f| f.code().to_string()).collect() },
    })
}

fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| CliError::Arg {
        field: Field::MemberRole,
        rule: Rule::OneOf { allowed: Role::ALL.iter().map(|r| r.code().to_string()).collect() },
    })
}

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx {
        db: cli.db.clone().unwrap_or_else(ishc_core::store::default_path),
        club: cli.club,
        actor: cli.actor.clone(),
        lang: if cli.lang == "en" { Lang::En } else { Lang::Vi },
        json: cli.json,
        today: parse_opt_date(&cli.today, Field::Date)?,
    };
    match cli.command {
        Command::Init(a) => init(&ctx, a),
        Command::Club { command } => club_cmd(&ctx, command),
        Command::Demo(a) => demo_cmd(&ctx, a),
        Command::Check => check_cmd(&ctx),
        Command::Member { command } => member_cmd(&ctx, command),
        Command::Composition { at, preset } => composition_cmd(&ctx, at, preset),
        Command::Presets { command: None } => presets_cmd(&ctx),
        Command::Presets { command: Some(crate::PresetCommand::Add { file }) } => preset_add(&ctx, &file),
        Command::Audit { limit } => audit_cmd(&ctx, limit),
        Command::Fund { command } => crate::fund::run(&ctx, command),
        Command::Meeting { command } => crate::life::meeting_cmd(&ctx, command),
        Command::Activity { command } => crate::life::activity_cmd(&ctx, command),
        Command::Loan { command } => crate::loans::run(&ctx, command),
        Command::Standard { year, preset } => crate::life::standard_cmd(&ctx, year, preset),
        Command::Report { period, format, out, with_members } => {
            crate::reports::report_cmd(&ctx, &period, &format, out, with_members)
        }
        Command::Export { period, out, with_members, pass } => crate::reports::export_cmd(&ctx, &period, &out, with_members, &pass),
        Command::Key { command } => crate::keys::key_cmd(&ctx, command),
        Command::Verify(a) => crate::keys::verify_cmd(&ctx, a),
    }
}

fn init(ctx: &Ctx, a: crate::InitArgs) -> Result<()> {
    let actor = ctx.actor()?;
    let (day, month) = a
        .deadline
        .split_once('/')
        .and_then(|(d, m)| Some((d.trim().parse().ok()?, m.trim().parse().ok()?)))
        .ok_or(CliError::Arg { field: Field::ClubReportDeadline, rule: Rule::DateFormat })?;
    // Parse everything before the file is created, so a typo leaves no empty ledger behind.
    let founded = parse_opt_date(&a.founded, Field::ClubFoundedOn)?;
    // The club's signing key is made with it: its passphrase too is checked first.
    let passphrase = crate::keys::passphrase(
        crate::keys::PASSPHRASE_ENV,
        a.pass.passphrase_file.as_deref(),
        crate::keys::Purpose::New,
        ctx.lang,
    )?;
    ishc_core::signing::key::check_passphrase(&passphrase, Field::Passphrase)?;
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    let input = ClubInput {
        name: a.name,
        hamlet: a.hamlet,
        commune: a.commune,
        district: a.district,
        province: a.province,
        founded_on: founded.unwrap_or(store.today()),
        rounding_unit: a.rounding,
        target_preset: a.preset,
        report_deadline_day: day,
        report_deadline_month: month,
        monthly_due: a.monthly_due,
    };
    let club = ishc_core::signing::key::create_club_with_key(&mut store, &actor, &input, &passphrase)?;
    emit(ctx.json, &club, || {
        let key = ishc_core::signing::key::current(&store, club.id).ok().flatten();
        let fingerprint = key.map(|k| k.fingerprint).unwrap_or_default();
        format!(
            "{} (#{}) — {}\n{}",
            club.name,
            club.id,
            ctx.db.display(),
            i18n::fill(&t(ctx.lang, "key.created_ok"), &serde_json::json!({ "fingerprint": fingerprint }))
        )
    });
    Ok(())
}

fn club_cmd(ctx: &Ctx, command: ClubCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    match command {
        ClubCommand::Show => {
            let club = club::resolve(&store, ctx.club)?;
            let ov = overview::overview(&store, club.id)?;
            emit(ctx.json, &ov, || {
                let l = ctx.lang;
                let place: Vec<&str> = [&club.hamlet, &club.commune, &club.district, &club.province]
                    .into_iter()
                    .map(String::as_str)
                    .filter(|s| !s.is_empty())
                    .collect();
                format!(
                    "{}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
                    club.name,
                    t(l, "overview.place"),
                    place.join(", "),
                    t(l, "overview.founded"),
                    format::date(club.founded_on),
                    t(l, "overview.members_now"),
                    ov.composition.counts.members,
                    t(l, "overview.deadline"),
                    format::date(ov.next_deadline),
                )
            });
        }
        ClubCommand::Set { monthly_due } => {
            let actor = ctx.actor()?;
            let club = club::resolve(&store, ctx.club)?;
            let mut input = ClubInput {
                name: club.name.clone(),
                hamlet: club.hamlet.clone(),
                commune: club.commune.clone(),
                district: club.district.clone(),
                province: club.province.clone(),
                founded_on: club.founded_on,
                rounding_unit: club.rounding_unit,
                target_preset: club.target_preset.clone(),
                report_deadline_day: club.report_deadline_day,
                report_deadline_month: club.report_deadline_month,
                monthly_due: None,
            };
            if let Some(due) = monthly_due {
                input.monthly_due = Some(crate::fund::parse_money(&due, Field::ClubMonthlyDue)?);
            }
            let club = club::update(&mut store, &actor, club.id, &input)?;
            emit(ctx.json, &club, || format!("{}: {} {}", club.name, t(ctx.lang, "field.club.monthly_due"), format::money(club.monthly_due)));
            return Ok(());
        }
        ClubCommand::List => {
            let clubs = club::list(&store)?;
            emit(ctx.json, &clubs, || {
                clubs.iter().map(|c| format!("#{}\t{}\t{}", c.id, c.name, c.commune)).collect::<Vec<_>>().join("\n")
            });
        }
    }
    Ok(())
}

fn demo_cmd(ctx: &Ctx, a: crate::DemoArgs) -> Result<()> {
    let opts = demo::DemoOptions { years: a.years, members: a.members, seed: a.seed };
    demo::check_options(&opts)?;
    let existed = ctx.db.exists();
    let built = ctx.open(OpenMode::CreateIfMissing).and_then(|mut store| Ok(demo::build(&mut store, opts)?));
    let summary = match built {
        Ok(s) => s,
        Err(e) => {
            // A refused demo leaves no ledger behind that it created itself. A file that is not
            // there is fine (SQLite makes -wal/-shm only sometimes); any other failure is said.
            if !existed {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = ctx.db.clone().into_os_string();
                    p.push(suffix);
                    match std::fs::remove_file(&p) {
                        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                            // The refusal stays the result; the file left behind is said too.
                            let left = CliError::Io { path: std::path::PathBuf::from(&p).display().to_string(), detail: err.to_string() };
                            crate::output::print_error(&left, ctx.lang, false);
                        }
                        _ => {}
                    }
                }
            }
            return Err(e);
        }
    };
    emit(ctx.json, &summary, || {
        format!(
            "{} (#{}): {} → {} ({})\n{}",
            summary.club_name,
            summary.club_id,
            format::date(summary.founded_on),
            summary.members_now,
            ctx.db.display(),
            i18n::fill(&t(ctx.lang, "demo.passphrase"), &serde_json::json!({ "passphrase": demo::DEMO_PASSPHRASE }))
        )
    });
    Ok(())
}

fn check_cmd(ctx: &Ctx) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let report = check::run(&store)?;
    emit(ctx.json, &report, || {
        if report.ok {
            i18n::fill(&t(ctx.lang, "check.ok"), &serde_json::json!({ "clubs": report.clubs, "members": report.members }))
        } else {
            let mut lines =
                vec![i18n::fill(&t(ctx.lang, "check.failed"), &serde_json::json!({ "count": report.problems.len() }))];
            lines.extend(report.problems.iter().map(|p| format!("- {}", i18n::notice_message(ctx.lang, p))));
            lines.join("\n")
        }
    });
    if report.ok { Ok(()) } else { Err(CliError::CheckFailed) }
}

fn member_cmd(ctx: &Ctx, command: MemberCommand) -> Result<()> {
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
            let actor = ctx.actor()?;
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
            let m = member::add(&mut store, &actor, club, &input, a.allow_duplicate)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Edit(a) => {
            let actor = ctx.actor()?;
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
            let m = member::edit(&mut store, &actor, a.id, &patch)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Leave { id, date, reason } => {
            let actor = ctx.actor()?;
            let on = parse_date(&date, Field::MemberLeftOn)?;
            let reason = LeaveReason::parse(&reason).ok_or(CliError::Arg {
                field: Field::MemberLeaveReason,
                rule: Rule::OneOf { allowed: LeaveReason::ALL.iter().map(|r| r.code().to_string()).collect() },
            })?;
            let m = member::leave(&mut store, &actor, id, on, reason)?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Flag { id, flag, on, off, date, standard } => {
            let actor = ctx.actor()?;
            let m = member::set_flag(
                &mut store,
                &actor,
                id,
                parse_flag(&flag)?,
                on || !off,
                parse_date(&date, Field::Date)?,
                standard.as_deref(),
            )?;
            emit(ctx.json, &m, || show(&m));
        }
        MemberCommand::Role { id, role, on, off, date } => {
            let actor = ctx.actor()?;
            let m = member::set_role(&mut store, &actor, id, parse_role(&role)?, on || !off, parse_date(&date, Field::Date)?)?;
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
            // A dry run needs no actor: it writes nothing.
            let actor = if dry_run { ctx.actor().or_else(|_| Ok::<_, CliError>(Actor::new("dry-run")?))? } else { ctx.actor()? };
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
        MemberCommand::Show { id } => {
            let m = member::get(&store, id)?;
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

fn composition_cmd(ctx: &Ctx, at: Option<String>, preset: Option<String>) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let c = composition::compute(&store, club, parse_opt_date(&at, Field::Date)?, preset.as_deref())?;
    let l = ctx.lang;
    emit(ctx.json, &c, || {
        let mut lines = vec![format!(
            "{} — {}",
            format::date(c.at),
            if l == Lang::En { &c.preset_name_en } else { &c.preset_name_vi }
        )];
        for s in &c.targets {
            let band = if s.measure == "members" {
                format!("{}–{}", s.min, s.max)
            } else {
                format!("{}–{} %", s.min, s.max)
            };
            let status = t(l, &format!("status.{}", serde_json::to_value(s.status).unwrap_or_default().as_str().unwrap_or("")));
            let fix = s.fix.as_ref().map(|f| fix_text(l, f, c.older_age)).unwrap_or_default();
            lines.push(format!(
                "{}: {}/{} ({}) [{}] {} {}",
                t(l, &format!("measure.{}", s.measure)),
                s.count,
                s.total,
                format::pct(s.pct, l),
                band,
                status,
                fix
            ));
        }
        lines.join("\n")
    });
    Ok(())
}

/// "3 more women under 60" in the user's language.
fn fix_text(l: Lang, f: &composition::Fix, older_age: u32) -> String {
    if f.over_by > 0 {
        return i18n::fill(&t(l, "fix.over_by"), &serde_json::json!({ "n": f.over_by }));
    }
    let mut who = vec![match f.sex {
        Some(Sex::F) => t(l, "who.F"),
        Some(Sex::M) => t(l, "who.M"),
        None => t(l, "who.person"),
    }];
    if let Some(older) = f.older {
        let key = if older { "who.older" } else { "who.younger" };
        who.push(i18n::fill(&t(l, key), &serde_json::json!({ "age": older_age })));
    }
    i18n::fill(&t(l, "fix.add"), &serde_json::json!({ "n": f.add, "who": who.join(" ") }))
}

fn presets_cmd(ctx: &Ctx) -> Result<()> {
    // Presets are readable without a ledger: the built-in ones live in the app.
    let presets = if ctx.db.exists() { preset::all(&ctx.open(OpenMode::Existing)?)? } else { preset::builtin() };
    emit(ctx.json, &presets, || {
        presets
            .iter()
            .map(|p| format!("{}\t{}", p.id, if ctx.lang == Lang::En { &p.name_en } else { &p.name_vi }))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

fn preset_add(ctx: &Ctx, file: &std::path::Path) -> Result<()> {
    let actor = ctx.actor()?;
    let io = |detail: String| CliError::Io { path: file.display().to_string(), detail };
    let text = ishc_core::files::read_text_capped(file, preset::MAX_PRESET_FILE)?;
    let preset: preset::TargetPreset = serde_json::from_str(&text).map_err(|e| io(e.to_string()))?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let added = preset::add_custom(&mut store, &actor, preset)?;
    emit(ctx.json, &added, || format!("{}\t{}", added.id, added.name_vi));
    Ok(())
}

fn audit_cmd(ctx: &Ctx, limit: u32) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let entries = audit::list(&store, club, limit)?;
    emit(ctx.json, &entries, || {
        entries.iter().map(|e| format!("{}\t{}\t{}\t{}", e.at, e.actor, e.action, e.entity_id.unwrap_or(0))).collect::<Vec<_>>().join("\n")
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_people_type() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(parse_date("2026-03-05", Field::Date).unwrap(), d);
        assert_eq!(parse_date("05/03/2026", Field::Date).unwrap(), d);
        assert_eq!(parse_date("5/3/26", Field::Date).unwrap(), d);
        assert!(parse_date("31/02/2026", Field::Date).is_err());
        assert!(parse_date("hôm qua", Field::Date).is_err());
        assert_eq!(parse_birth("1956").unwrap(), (1956, None));
        assert_eq!(parse_sex("Nữ").unwrap(), Sex::F);
        assert_eq!(parse_sex("nam").unwrap(), Sex::M);
    }
}
