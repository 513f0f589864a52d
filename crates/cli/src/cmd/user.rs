//! `ishc user …`: the board's sign-ins (`ishc_core::auth`), and how the CLI reads a PIN.
//!
//! A PIN never comes from a plain command-line argument (it would show in `ps` and the shell's
//! history): the acting person's from `ISHC_PIN`, a new one from `ISHC_NEW_PIN`, the recovery code
//! from `ISHC_RECOVERY_CODE`; else each is typed on the terminal without echo.

use std::io::IsTerminal;

use clap::Subcommand;
use ishc_core::auth::{self, Who};
use ishc_core::error::Field;
use ishc_core::i18n::{self, t, Lang};
use ishc_core::OpenMode;

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};

/// The acting person's PIN.
pub const PIN_ENV: &str = "ISHC_PIN";
/// A PIN being set (set-up, add, set-pin, reset-pin, recover).
pub const NEW_PIN_ENV: &str = "ISHC_NEW_PIN";
/// The recovery code printed at set-up.
pub const RECOVERY_ENV: &str = "ISHC_RECOVERY_CODE";

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Who can sign in, with their roles as of today (no PIN needed).
    List,
    /// The first sign-in of a club: today's chairperson (or vice-chair) sets a PIN (ISHC_NEW_PIN or
    /// typed twice). Prints the recovery code once: write it down and keep it with the club's papers.
    SetUp {
        /// The chairperson's member id (`ishc member list`).
        #[arg(long, value_name = "ID")]
        member: i64,
    },
    /// Add a sign-in (chairperson or vice-chair, signed in with --as and ISHC_PIN); its PIN is
    /// ISHC_NEW_PIN or typed twice.
    Add {
        /// A member of the roster (their roles come from it).
        #[arg(long, value_name = "ID", conflicts_with = "viewer", required_unless_present = "viewer")]
        member: Option<i64>,
        /// Someone outside the roster who may only look (a commune officer), by name.
        #[arg(long, value_name = "NAME")]
        viewer: Option<String>,
    },
    /// Change your own PIN (--as NAME; the old PIN in ISHC_PIN, the new in ISHC_NEW_PIN).
    SetPin,
    /// Reset someone's forgotten PIN (chairperson or vice-chair; audited).
    ResetPin {
        /// The sign-in's id (`ishc user list`).
        id: i64,
    },
    /// Remove a sign-in (chairperson or vice-chair). The audit trail keeps its name.
    Remove {
        /// The sign-in's id (`ishc user list`).
        id: i64,
    },
    /// Show the club's sign-in settings, or change them (chairperson or vice-chair): whether the
    /// club's rule lets the chairperson take in and pay out money, and after how many idle minutes
    /// the window locks.
    Settings {
        /// `yes` or `no`.
        #[arg(long, value_name = "yes|no")]
        chair_handles_money: Option<String>,
        /// 1–240.
        #[arg(long, value_name = "MINUTES")]
        lock_minutes: Option<u32>,
    },
    /// Every PIN lost: the recovery code (ISHC_RECOVERY_CODE or typed) lets today's chairperson or
    /// vice-chair set a new PIN. Prints the new recovery code, which replaces the old one.
    Recover {
        /// The chairperson's (or vice-chair's) member id.
        #[arg(long, value_name = "ID")]
        member: i64,
    },
}

/// The PIN of the `n`th countersigner (1, 2) of a month close: `ISHC_CONFIRM_PIN_<n>`, else typed
/// on the terminal under a prompt naming her.
pub fn confirm_pin(n: usize, name: &str, lang: Lang) -> Result<String> {
    let var = format!("ISHC_CONFIRM_PIN_{n}");
    if let Some(p) = std::env::var(&var).ok().filter(|p| !p.is_empty()) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::PinMissing { var });
    }
    let prompt = i18n::fill(&t(lang, "prompt.confirm_pin"), &serde_json::json!({ "name": name }));
    rpassword::prompt_password(prompt).map_err(|e| CliError::Io { path: "/dev/tty".into(), detail: e.to_string() })
}

/// A secret from `env_var`, else typed on the terminal without echo (twice when `repeat`). With
/// neither → `pin.missing`, naming the variable. Not checked here: the core does that.
pub fn secret(env_var: &str, prompt: &str, repeat: bool, lang: Lang) -> Result<String> {
    if let Some(p) = std::env::var(env_var).ok().filter(|p| !p.is_empty()) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::PinMissing { var: env_var.to_string() });
    }
    let ask = |key: &str| {
        rpassword::prompt_password(t(lang, key)).map_err(|e| CliError::Io { path: "/dev/tty".into(), detail: e.to_string() })
    };
    let first = ask(prompt)?;
    if repeat {
        ishc_core::auth::pin::check_pin(&first, Field::NewPin)?;
        if ask("prompt.repeat_pin")? != first {
            return Err(CliError::PinMismatch);
        }
    }
    Ok(first)
}

fn new_pin(ctx: &Ctx) -> Result<String> {
    secret(NEW_PIN_ENV, "prompt.new_pin", true, ctx.lang)
}

fn opened(ctx: &Ctx, o: &auth::Opened) {
    let json = serde_json::json!({ "name": o.actor.name(), "recovery_code": o.recovery_code });
    emit(ctx.json, &json, || i18n::fill(&t(ctx.lang, "user.opened"), &json));
}

pub fn run(ctx: &Ctx, command: UserCommand) -> Result<()> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    match command {
        UserCommand::List => {
            let rows = auth::list(&store, club)?;
            emit(ctx.json, &rows, || {
                rows.iter()
                    .map(|r| {
                        let roles: Vec<String> = r.roles.iter().map(|x| t(ctx.lang, &format!("role.{}", x.code()))).collect();
                        format!("{}\t{}\t{}\t{}", r.id, r.name, roles.join(", "), r.failures)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        UserCommand::SetUp { member } => {
            let pin = new_pin(ctx)?;
            let o = auth::setup_chair(&mut store, club, member, &pin)?;
            opened(ctx, &o);
        }
        UserCommand::Add { member, viewer } => {
            let who = match (member, viewer) {
                (Some(id), _) => Who::Member(id),
                (None, Some(name)) => Who::Viewer(name),
                (None, None) => return Err(CliError::Arg { field: Field::Actor, rule: ishc_core::Rule::Required }),
            };
            let pin = new_pin(ctx)?;
            let actor = ctx.sign_in(&mut store, club)?;
            let id = auth::add(&mut store, &actor, club, who, &pin)?;
            emit(ctx.json, &serde_json::json!({ "id": id }), || i18n::fill(&t(ctx.lang, "user.added"), &serde_json::json!({ "id": id })));
        }
        UserCommand::SetPin => {
            let Some(name) = &ctx.actor else {
                return Err(CliError::ActorMissing);
            };
            let old = secret(PIN_ENV, "prompt.pin", false, ctx.lang)?;
            let pin = new_pin(ctx)?;
            auth::set_pin(&mut store, club, name, &old, &pin)?;
            emit(ctx.json, &serde_json::json!({ "ok": true }), || t(ctx.lang, "user.pin_set"));
        }
        UserCommand::ResetPin { id } => {
            let pin = new_pin(ctx)?;
            let actor = ctx.sign_in(&mut store, club)?;
            auth::reset_pin(&mut store, &actor, club, id, &pin)?;
            emit(ctx.json, &serde_json::json!({ "ok": true }), || t(ctx.lang, "user.pin_set"));
        }
        UserCommand::Remove { id } => {
            let actor = ctx.sign_in(&mut store, club)?;
            auth::remove(&mut store, &actor, club, id)?;
            emit(ctx.json, &serde_json::json!({ "ok": true }), || t(ctx.lang, "user.removed"));
        }
        UserCommand::Settings { chair_handles_money, lock_minutes } => {
            let mut settings = auth::settings(&store, club)?;
            if chair_handles_money.is_some() || lock_minutes.is_some() {
                if let Some(v) = chair_handles_money {
                    settings.chair_handles_money = match v.as_str() {
                        "yes" | "có" => true,
                        "no" | "không" => false,
                        _ => return Err(CliError::Arg { field: Field::ChairHandlesMoney, rule: ishc_core::Rule::OneOf { allowed: vec!["yes".into(), "no".into()] } }),
                    };
                }
                if let Some(m) = lock_minutes {
                    settings.lock_minutes = m;
                }
                let actor = ctx.sign_in(&mut store, club)?;
                auth::set_settings(&mut store, &actor, club, settings)?;
                settings = auth::settings(&store, club)?;
            }
            emit(ctx.json, &settings, || {
                i18n::fill(
                    &t(ctx.lang, "user.settings"),
                    &serde_json::json!({
                        "chair_handles_money": t(ctx.lang, if settings.chair_handles_money { "common.yes" } else { "common.no" }),
                        "lock_minutes": settings.lock_minutes,
                    }),
                )
            });
        }
        UserCommand::Recover { member } => {
            let code = secret(RECOVERY_ENV, "prompt.recovery_code", false, ctx.lang)?;
            let pin = new_pin(ctx)?;
            let o = auth::recover(&mut store, club, &code, member, &pin)?;
            opened(ctx, &o);
        }
    }
    Ok(())
}
