//! `ishc commune …`: the commune officer's inbox — the commune's own ledger and key, the register of
//! clubs, the import of their bundles from a stick, and who has reported for a period. Every rule is
//! in `ishc_core::commune`; this file reads arguments and prints. `commune rollup` rolls clubs'
//! `report.json` files up for a period (`--from-report FILE…`, until it reads them from the inbox) into
//! one rendering: the roll-up's JSON, the A4 page, the XLSX, or DHIS2 `dataValueSets`.
//!
//! **Which file:** the commune ledger is never the club ledger. `--db PATH` typed on the command line
//! names it; otherwise `ISHC_COMMUNE_DB`; otherwise `commune.sqlite` in the platform's data folder.
//! `ISHC_DB` (the club ledger's variable) is ignored here, so a laptop that keeps a club's books and
//! the commune's inbox never mixes them up.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ishc_core::commune::rollup::{self, dhis2, plan};
use ishc_core::commune::{import, ledger, register, send, status, CommuneInput, CommuneStore};
use ishc_core::error::Field;
use ishc_core::i18n::{self, fill, t};
use ishc_core::reporting::Period;
use ishc_core::{files, format, signing::key};

use crate::cmd::key::{passphrase, PassphraseArgs, Purpose, PASSPHRASE_ENV};
use crate::ctx::Ctx;
use crate::output::{emit, out_line, CliError, Result};

/// The environment variable naming the commune ledger (when `--db` is not typed).
pub const COMMUNE_DB_ENV: &str = "ISHC_COMMUNE_DB";

#[derive(Subcommand, Debug)]
pub enum CommuneCommand {
    /// Make the commune's ledger and its signing key.
    Init(InitArgs),
    /// Register a club's key, after typing the fingerprint printed on its key card.
    Register(RegisterArgs),
    /// The registered clubs, their keys (with earlier ones) and what was received from each; with
    /// --period, every club's figures for that period side by side (one level up: the communes').
    Clubs(ClubsArgs),
    /// Receive bundles: files, folders or a whole USB stick. Each is checked like `ishc verify`
    /// against the club's registered key, and for continuity; each is listed accepted or refused.
    Import(ImportArgs),
    /// Who has reported for a period, when each bundle arrived, and who is missing by the deadline.
    #[command(visible_alias = "late")]
    Status(StatusArgs),
    /// Roll the clubs' reports of a period up into the commune's report (json, html, xlsx or dhis2).
    #[command(visible_alias = "report")]
    Rollup(RollupArgs),
    /// Make the signed roll-up bundle of a period for the level above (district, province), which
    /// imports it as the commune imports its clubs' bundles.
    Export(ExportArgs),
    /// The commune's public key (its .pub file) and fingerprint, for the level above to register.
    Key(KeyArgs),
    /// Check that the inbox still holds what it received and sent: every bundle against its
    /// signature, the figures against the signed report, the chains. Exits 1 on a problem.
    Check,
    /// Change the commune's settings: the day the year's report is due.
    Settings(SettingsArgs),
    /// Back the inbox up now into backups/ beside it (as the window does when it closes): the copy
    /// is read back and checked, and older copies pruned (the newest of each of the last 7 days, 4
    /// weeks and 12 months are kept).
    Backup,
}

#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// When the year's report is due, day/month (the provincial plans say 10/12 or 13/12).
    #[arg(long, value_name = "DD/MM")]
    pub deadline: String,
}

#[derive(Args, Debug)]
pub struct ClubsArgs {
    /// A period (2026, 2026-11, 2026-Q4): show each club's figures for it, from its latest report.
    #[arg(long)]
    pub period: Option<String>,
    /// The commune's count of hamlets (for the roll-up behind the figures).
    #[arg(long, value_name = "N")]
    pub hamlets: Option<u32>,
}

#[derive(Args, Debug)]
pub struct KeyArgs {
    /// Write the .pub file here (a file that exists is not replaced).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The period: a year 2026, a month 2026-11 or a quarter 2026-Q4.
    #[arg(long)]
    pub period: String,
    /// The folder to write the bundle to (the USB stick).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// How many hamlets the commune has: needed for "hamlets with a club".
    #[arg(long, value_name = "N")]
    pub hamlets: Option<u32>,
    /// The commune's own plan file (shaped like assets/plans/ha-tinh-2030.json); default: that plan.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub pass: PassphraseArgs,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Which inbox: a commune receives its clubs' reports, a district its communes' roll-ups, a
    /// province its districts' roll-ups.
    #[arg(long, default_value = "commune", value_name = "commune|district|province")]
    pub level: String,
    /// The commune's name (Xã …, Phường …); for a district or province, its name.
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub district: String,
    #[arg(long)]
    pub province: String,
    /// When the year's report is due, day/month (default 10/12, as the provincial plans say).
    #[arg(long, default_value = "10/12", value_name = "DD/MM")]
    pub deadline: String,
    #[command(flatten)]
    pub pass: PassphraseArgs,
}

#[derive(Args, Debug)]
pub struct RegisterArgs {
    /// The club's name, as on its key card.
    #[arg(long, visible_alias = "club-name")]
    pub name: String,
    #[arg(long, default_value = "")]
    pub hamlet: String,
    /// The club's public key: its club.pub file, or the base64 line.
    #[arg(long, value_name = "PUB")]
    pub key: String,
    /// The fingerprint as printed on the club's key card (spaces and case as you like).
    #[arg(long, value_name = "FP")]
    pub fingerprint: String,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Bundle files, folders, or the stick's folder (e.g. /media/usb).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The period: a year 2026, a month 2026-11 or a quarter 2026-Q4.
    #[arg(long)]
    pub period: String,
}

fn path(ctx: &Ctx) -> PathBuf {
    if ctx.db_typed {
        return ctx.db.clone();
    }
    match std::env::var_os(COMMUNE_DB_ENV).filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => ledger::default_path(),
    }
}

fn open(ctx: &Ctx, create: bool) -> Result<CommuneStore> {
    let mut store = CommuneStore::open(&path(ctx), create)?;
    if let Some(today) = ctx.today {
        store.set_today(today);
    }
    Ok(store)
}


pub(crate) fn run(ctx: &Ctx, command: CommuneCommand) -> Result<()> {
    let l = ctx.lang;
    match command {
        CommuneCommand::Rollup(a) => return rollup_cmd(ctx, a),
        CommuneCommand::Check => {
            let store = open(ctx, false)?;
            let r = ishc_core::commune::check::check(&store)?;
            emit(ctx.json, &r, || {
                let words = serde_json::json!({ "name": r.name, "received": r.received, "sent": r.sent, "count": r.problems.len() });
                let mut lines = vec![fill(&t(l, if r.ok { "commune.check.ok" } else { "commune.check.failed" }), &words)];
                lines.extend(r.problems.iter().map(|p| format!("- {}", i18n::notice_message(l, p))));
                lines.join("\n")
            });
            if !r.ok {
                return Err(CliError::CheckFailed);
            }
        }
        CommuneCommand::Backup => {
            let store = open(ctx, false)?;
            store.commune()?;
            let done = ishc_core::commune::backup::auto_backup(&store, chrono::Local::now().naive_local())?;
            emit(ctx.json, &done, || {
                fill(
                    &t(l, "backup.cli.auto_done"),
                    &serde_json::json!({ "path": done.made.path, "size": crate::cmd::backup::size(done.made.bytes), "kept": done.kept.len(), "removed": done.removed.len() }),
                )
            });
        }
        CommuneCommand::Key(a) => {
            let store = open(ctx, false)?;
            let k = ledger::public_key_file(&store)?;
            if let Some(out) = &a.out {
                files::write_atomic(out, k.public_key_file.as_bytes(), files::Overwrite::Refuse)
                    .map_err(|e| CliError::Io { path: out.display().to_string(), detail: e.to_string() })?;
            }
            emit(ctx.json, &k, || format!("{}\n{}", k.fingerprint, k.public_key_file.trim_end()));
        }
        CommuneCommand::Export(a) => {
            let actor = ctx.actor()?;
            let period = Period::parse(&a.period)?;
            let plan = read_plan(a.plan.as_deref())?;
            let mut store = open(ctx, false)?;
            store.commune()?;
            let p = passphrase(PASSPHRASE_ENV, a.pass.passphrase_file.as_deref(), Purpose::Unlock, l)?;
            let e = send::export(&mut store, &actor, &period, a.hamlets, &plan, l, &p, &a.out)?;
            let shown = e.path.display().to_string();
            let words = serde_json::json!({ "path": shown, "sequence": e.sequence, "period": period.label, "fingerprint": e.manifest.club.key_fingerprint });
            emit(ctx.json, &e, || fill(&t(l, "commune.export_ok"), &words));
        }
        CommuneCommand::Init(a) => {
            let actor = ctx.actor()?;
            let (deadline_day, deadline_month) = ishc_core::parse::day_month(&a.deadline, Field::ClubReportDeadline)?;
            let level = ledger::Level::parse(&a.level)?;
            let input = CommuneInput { level, name: a.name, district: a.district, province: a.province, deadline_day, deadline_month };
            // Refuse a club ledger (or a commune already made) before asking for a passphrase.
            let mut store = open(ctx, true)?;
            if let Ok(c) = store.commune() {
                return Err(ishc_core::CoreError::CommuneExists { name: c.name }.into());
            }
            let p = passphrase(PASSPHRASE_ENV, a.pass.passphrase_file.as_deref(), Purpose::New, l)?;
            let c = ledger::init(&mut store, &actor, &input, &p)?;
            emit(ctx.json, &c, || i18n::fill(&t(l, "commune.init_ok"), &serde_json::json!({ "name": c.name, "fingerprint": c.key_fingerprint })));
        }
        CommuneCommand::Settings(a) => {
            let actor = ctx.actor()?;
            let (day, month) = ishc_core::parse::day_month(&a.deadline, Field::ClubReportDeadline)?;
            let mut store = open(ctx, false)?;
            let c = ledger::set_deadline(&mut store, &actor, day, month)?;
            let deadline = format!("{:02}/{:02}", c.deadline_day, c.deadline_month);
            emit(ctx.json, &c, || i18n::fill(&t(l, "commune.deadline_ok"), &serde_json::json!({ "name": c.name, "deadline": deadline })));
        }
        CommuneCommand::Register(a) => {
            let actor = ctx.actor()?;
            let key_text = match std::path::Path::new(&a.key) {
                p if p.exists() => files::read_text_capped(p, key::MAX_PUBLIC_KEY_FILE)?,
                _ => a.key.clone(),
            };
            let mut store = open(ctx, false)?;
            let input = register::ClubInput { name: a.name, hamlet: a.hamlet, public_key: key_text, fingerprint: a.fingerprint };
            let c = register::register(&mut store, &actor, &input)?;
            emit(ctx.json, &c, || {
                i18n::fill(&t(l, "commune.registered"), &serde_json::json!({ "name": c.name, "hamlet": c.hamlet, "fingerprint": c.fingerprint }))
            });
        }
        CommuneCommand::Clubs(ClubsArgs { period: Some(period), hamlets }) => {
            let store = open(ctx, false)?;
            let period = Period::parse(&period)?;
            let r = send::roll_up_inbox(&store, &period, hamlets, &read_plan(None)?)?;
            let side = serde_json::json!({ "period": r.period.label, "level": r.level, "clubs": r.clubs, "parts": r.parts });
            emit(ctx.json, &side, || {
                let mut lines = vec![fill(&t(l, "commune.clubs.period_head"), &serde_json::json!({ "period": r.period.label }))];
                for c in &r.clubs {
                    let fund = |code: &str| c.funds.iter().find(|f| f.fund == code).map_or(0, |f| f.closing.total);
                    lines.push(fill(&t(l, "commune.clubs.period_line"), &serde_json::json!({
                        "name": c.name, "hamlet": c.hamlet, "members": c.members.members, "women": c.members.women,
                        "older": c.members.older, "within": t(l, if c.all_within { "common.yes" } else { "common.no" }),
                        "months": c.months_with_meeting, "of": c.months, "areas": c.areas_covered,
                        "income": format::money(fund("income")), "activity": format::money(fund("activity")),
                        "outstanding": format::money(c.loans_outstanding), "par30": format::pct(c.par30_pct, l),
                        "standard": match (c.standard_met, c.standard_judged) { (Some(m), Some(j)) => format!("{m}/{j}"), _ => "—".into() },
                    })));
                }
                for p in &r.parts {
                    lines.push(fill(&t(l, "commune.clubs.part_line"), &serde_json::json!({
                        "name": p.name, "clubs": p.totals.clubs, "members": p.totals.members.members,
                        "funds": format::money(p.totals.funds_total), "outstanding": format::money(p.totals.loans_outstanding),
                        "par30": p.totals.par30_ratio.pct.map(|x| format::pct(x, l)).unwrap_or_else(|| "—".into()),
                    })));
                }
                lines.join("\n")
            });
        }
        CommuneCommand::Clubs(_) => {
            let store = open(ctx, false)?;
            store.commune()?;
            let clubs = register::list(&store)?;
            emit(ctx.json, &clubs, || {
                if clubs.is_empty() {
                    return t(l, "commune.clubs.none");
                }
                let mut lines = Vec::new();
                for c in &clubs {
                    let last = c.last_sequence.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
                    lines.push(i18n::fill(
                        &t(l, "commune.clubs.line"),
                        &serde_json::json!({ "id": c.id, "name": c.name, "hamlet": c.hamlet, "fingerprint": c.fingerprint, "bundles": c.bundles, "last": last }),
                    ));
                    for k in c.keys.iter().filter(|k| k.retired_at.is_some()) {
                        let until = k.retired_at_sequence.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
                        lines.push(i18n::fill(&t(l, "commune.clubs.old_key"), &serde_json::json!({ "fingerprint": k.fingerprint, "until": until })));
                    }
                }
                lines.join("\n")
            });
        }
        CommuneCommand::Import(a) => {
            let actor = ctx.actor()?;
            let mut store = open(ctx, false)?;
            let mut shown = ShowImport { lang: l, last_progress: 0 };
            if ctx.json {
                // One JSON document: its rows are collected (the text below streams them).
                let r = import::import(&mut store, &actor, &a.paths, &mut |done, total| shown.progress(done, total))?;
                emit(true, &r, String::new);
            } else {
                // Each line as its batch is committed: a whole country's stick is never held.
                let counts = import::import_each(&mut store, &actor, &a.paths, &mut shown)?;
                out_line(&i18n::fill(
                    &t(l, "commune.import.summary"),
                    &serde_json::json!({ "files": counts.files, "accepted": counts.accepted, "refused": counts.refused }),
                ));
            }
        }
        CommuneCommand::Status(a) => {
            let period = Period::parse(&a.period)?;
            let store = open(ctx, false)?;
            let s = status::status(&store, &period)?;
            emit(ctx.json, &s, || {
                let mut lines = vec![i18n::fill(
                    &t(l, "commune.status.heading"),
                    &serde_json::json!({ "period": s.period.label, "deadline": format::date(s.deadline), "reported": s.reported, "missing": s.missing }),
                )];
                for c in &s.clubs {
                    let key = match c.state {
                        status::ReportState::OnTime => "commune.status.on_time",
                        status::ReportState::Late => "commune.status.late",
                        status::ReportState::Missing => "commune.status.missing",
                        status::ReportState::NotYetDue => "commune.status.not_yet_due",
                    };
                    let date = c.received_on.map(format::date).unwrap_or_default();
                    let mut line = format!(
                        "{} ({}): {}",
                        c.club,
                        c.hamlet,
                        i18n::fill(&t(l, key), &serde_json::json!({ "date": date, "sequence": c.sequence }))
                    );
                    if c.versions > 1 {
                        line.push(' ');
                        line.push_str(&i18n::fill(&t(l, "commune.status.corrected"), &serde_json::json!({ "versions": c.versions })));
                    }
                    lines.push(line);
                }
                lines.join("\n")
            });
        }
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct RollupArgs {
    #[arg(long, value_name = "PERIOD")]
    period: String,
    #[arg(long, default_value = "json", value_parser = ["json", "html", "xlsx", "dhis2"])]
    format: String,
    /// Write here (atomically, replacing the file).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// A club's report.json for the period (repeat for each club). Without it, the reports come
    /// from the commune's inbox: each registered club's latest accepted bundle for the period.
    #[arg(long = "from-report", value_name = "FILE", num_args = 1..)]
    from_report: Vec<PathBuf>,
    /// The commune's name (default: the first report's).
    #[arg(long)]
    commune: Option<String>,
    #[arg(long)]
    district: Option<String>,
    #[arg(long)]
    province: Option<String>,
    /// How many hamlets the commune has: needed for "hamlets with a club".
    #[arg(long, value_name = "N")]
    hamlets: Option<u32>,
    /// The commune's own plan file (shaped like assets/plans/ha-tinh-2030.json); default: that plan.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
    /// The province's DHIS2 mapping file (shaped like assets/dhis2/mapping.json); default: that file.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// The commune's DHIS2 organisation unit (UID or code): needed for --format dhis2.
    #[arg(long, value_name = "ID")]
    org_unit: Option<String>,
}

/// The commune's plan file, or the built-in plan.
fn read_plan(path: Option<&std::path::Path>) -> Result<plan::PlanPreset> {
    Ok(match path {
        Some(p) => plan::parse(&files::read_capped(p, plan::MAX_PLAN_FILE)?)?,
        None => plan::find_builtin(plan::DEFAULT_PLAN)?,
    })
}

fn rollup_cmd(ctx: &Ctx, a: RollupArgs) -> Result<()> {
    let period = Period::parse(&a.period)?;
    let plan = read_plan(a.plan.as_deref())?;
    // From the inbox (`send::roll_up_inbox`, as the window and the roll-up bundle), or from files.
    let r = if a.from_report.is_empty() {
        let store = open(ctx, false)?;
        let mut r = send::roll_up_inbox(&store, &period, a.hamlets, &plan)?;
        for (given, field) in [(&a.commune, &mut r.commune), (&a.district, &mut r.district), (&a.province, &mut r.province)] {
            if let Some(g) = given {
                *field = g.clone();
            }
        }
        r
    } else {
        let mut clubs = Vec::new();
        for path in &a.from_report {
            let bytes = files::read_capped(path, rollup::MAX_REPORT_FILE)?;
            let report = rollup::parse_report(&bytes, &path.display().to_string())?;
            clubs.push(rollup::club_from_report(report));
        }
        let first = clubs.first().map(|c| c.report.club.clone());
        let or_first = |given: &Option<String>, pick: fn(&ishc_core::reporting::ClubPart) -> &String| {
            given.clone().or_else(|| first.as_ref().map(|c| pick(c).clone())).unwrap_or_default()
        };
        let req = rollup::RollupRequest {
            commune: or_first(&a.commune, |c| &c.commune),
            district: or_first(&a.district, |c| &c.district),
            province: or_first(&a.province, |c| &c.province),
            period,
            hamlets: a.hamlets,
            generated_on: ctx.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        };
        rollup::roll_up(&req, &clubs, &plan)?
    };
    let mapping = match &a.mapping {
        Some(m) => dhis2::parse_mapping(&files::read_capped(m, dhis2::MAX_MAPPING_FILE)?)?,
        None => dhis2::parse_mapping(dhis2::DEFAULT_MAPPING.as_bytes())?,
    };
    let (bytes, _) = send::rendering(&r, &a.format, &mapping, a.org_unit.as_deref(), ctx.lang)?;
    files::write_atomic(&a.out, &bytes, files::Overwrite::Replace)
        .map_err(|e| CliError::Io { path: a.out.display().to_string(), detail: e.to_string() })?;
    let shown = a.out.display().to_string();
    emit(
        ctx.json,
        &serde_json::json!({ "path": shown, "format": a.format, "period": r.period.label, "clubs": r.totals.clubs, "bytes": bytes.len() }),
        || fill(&t(ctx.lang, "rollup.cli.written"), &serde_json::json!({ "path": shown, "period": r.period.label, "clubs": r.totals.clubs })),
    );
    Ok(())
}

/// An import shown as it goes: each row on stdout as its batch is committed, the progress on stderr
/// (so stdout keeps the result), only when there are many files.
struct ShowImport {
    lang: i18n::Lang,
    last_progress: usize,
}

impl ShowImport {
    fn progress(&mut self, done: usize, total: usize) {
        let step = (total / 20).max(25);
        if total >= 50 && (done == total || done >= self.last_progress + step) {
            self.last_progress = done;
            eprintln!("{}", fill(&t(self.lang, "commune.import.progress"), &serde_json::json!({ "done": done, "total": total })));
        }
    }
}

impl import::ImportSink for ShowImport {
    fn accepted(&mut self, x: import::Accepted) -> ishc_core::error::Result<()> {
        let l = self.lang;
        out_line(&fill(
            &t(l, "commune.import.accepted"),
            &serde_json::json!({ "club": x.club, "sequence": x.sequence, "period": x.period, "path": x.path }),
        ));
        for f in &x.flags {
            let message = i18n::message_for(l, &f.code, &f.params);
            out_line(&fill(&t(l, "commune.import.flag"), &serde_json::json!({ "message": message })));
        }
        Ok(())
    }
    fn refused(&mut self, x: import::Refused) -> ishc_core::error::Result<()> {
        let message = i18n::message_for(self.lang, &x.reason.code, &x.reason.params);
        out_line(&fill(&t(self.lang, "commune.import.refused"), &serde_json::json!({ "path": x.path, "message": message })));
        Ok(())
    }
    fn progress(&mut self, done: usize, total: usize) {
        ShowImport::progress(self, done, total)
    }
}
