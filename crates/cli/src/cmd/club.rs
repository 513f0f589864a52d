//! `ishc init`, `ishc club …`, `ishc presets` and `ishc composition`: the club itself, the target
//! presets and how its members measure up against one.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ishc_core::error::{Field, Rule};
use ishc_core::format;
use ishc_core::i18n::{self, t, Lang};
use ishc_core::roster::club::{self, ClubInput};
use ishc_core::roster::member::Sex;
use ishc_core::roster::{composition, preset};
use ishc_core::{overview, OpenMode};

use crate::cmd::key;
use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};
use crate::parse::{parse_money, parse_opt_date};

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
    pass: key::PassphraseArgs,
    /// The chairperson (named by --as) is the club's first member and first sign-in: her sex (F/M).
    /// Her PIN comes from ISHC_NEW_PIN or is typed twice; a recovery code is printed once.
    #[arg(long, value_name = "F|M")]
    chair_sex: String,
    /// The chairperson's birth year or date.
    #[arg(long, value_name = "YYYY|DD/MM/YYYY")]
    chair_born: String,
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

#[derive(Args, Debug)]
pub struct CompositionArgs {
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
}

pub fn init(ctx: &Ctx, a: InitArgs) -> Result<()> {
    // Nobody can sign in to a club that does not exist yet: the founder is named, and becomes the
    // chairperson's sign-in in the same run (`auth::setup_founder`).
    let actor = ctx.actor()?;
    let (day, month) = a
        .deadline
        .split_once('/')
        .and_then(|(d, m)| Some((d.trim().parse().ok()?, m.trim().parse().ok()?)))
        .ok_or(CliError::Arg { field: Field::ClubReportDeadline, rule: Rule::DateFormat })?;
    // Parse everything before the file is created, so a typo leaves no empty ledger behind.
    let founded = parse_opt_date(&a.founded, Field::ClubFoundedOn)?;
    // The club's signing key is made with it: its passphrase too is checked first.
    let passphrase = key::passphrase(
        key::PASSPHRASE_ENV,
        a.pass.passphrase_file.as_deref(),
        key::Purpose::New,
        ctx.lang,
    )?;
    ishc_core::signing::key::check_passphrase(&passphrase, Field::Passphrase)?;
    let (birth_year, birth_date) = crate::parse::parse_birth(&a.chair_born)?;
    let sex = crate::parse::parse_sex(&a.chair_sex)?;
    let pin = crate::cmd::user::secret(crate::cmd::user::NEW_PIN_ENV, "prompt.new_pin", true, ctx.lang)?;
    ishc_core::auth::pin::check_pin(&pin, Field::NewPin)?;
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
    let mut chair = ishc_core::roster::member::MemberInput::new(actor.name(), sex, birth_year, club.founded_on);
    chair.birth_date = birth_date;
    let opened = ishc_core::auth::setup_founder(&mut store, club.id, &chair, &pin)?;
    let mut body = serde_json::to_value(&club).map_err(|e| CliError::Io { path: "stdout".into(), detail: e.to_string() })?;
    body["sign_in"] = opened.actor.name().into();
    body["recovery_code"] = opened.recovery_code.clone().into();
    emit(ctx.json, &body, || {
        let key = ishc_core::signing::key::current(&store, club.id).ok().flatten();
        let fingerprint = key.map(|k| k.fingerprint).unwrap_or_default();
        format!(
            "{} (#{}) — {}\n{}",
            club.name,
            club.id,
            ctx.db.display(),
            i18n::fill(&t(ctx.lang, "key.created_ok"), &serde_json::json!({ "fingerprint": fingerprint }))
        ) + "\n"
            + &i18n::fill(&t(ctx.lang, "user.opened"), &serde_json::json!({ "name": opened.actor.name(), "recovery_code": opened.recovery_code }))
    });
    Ok(())
}

pub fn run(ctx: &Ctx, command: ClubCommand) -> Result<()> {
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
            let club = club::resolve(&store, ctx.club)?;
            let mut input = ClubInput::from(&club);
            if let Some(due) = monthly_due {
                input.monthly_due = Some(parse_money(&due, Field::ClubMonthlyDue)?);
            }
            let actor = ctx.sign_in(&mut store, club.id)?;
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

pub fn presets(ctx: &Ctx, command: Option<PresetCommand>) -> Result<()> {
    match command {
        None => presets_list(ctx),
        Some(PresetCommand::Add { file }) => preset_add(ctx, &file),
    }
}

fn presets_list(ctx: &Ctx) -> Result<()> {
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
    let io = |detail: String| CliError::Io { path: file.display().to_string(), detail };
    let text = ishc_core::files::read_text_capped(file, preset::MAX_PRESET_FILE)?;
    let preset: preset::TargetPreset = serde_json::from_str(&text).map_err(|e| io(e.to_string()))?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let actor = ctx.sign_in(&mut store, club)?;
    let added = preset::add_custom(&mut store, &actor, club, preset)?;
    emit(ctx.json, &added, || format!("{}\t{}", added.id, added.name_vi));
    Ok(())
}

pub fn composition(ctx: &Ctx, a: CompositionArgs) -> Result<()> {
    let CompositionArgs { at, preset } = a;
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
