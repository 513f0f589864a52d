//! `ishc key …` (the club's signing key) and `ishc verify` (a report bundle, on any machine), and
//! how the CLI reads a passphrase — shared with every command that signs (`ishc export`).
//!
//! A passphrase never comes from a plain command-line argument (it would show in `ps` and in the
//! shell's history): it comes from `ISHC_PASSPHRASE` (`ISHC_NEW_PASSPHRASE` for a new one), else
//! from the first line of `--passphrase-file FILE`, else it is typed on the terminal without echo.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ishc_core::error::Field;
use ishc_core::i18n::{self, t, Lang};
use ishc_core::signing::bundle::CheckedAgainst;
use ishc_core::{signing::bundle, roster::club, files, format, signing::key, OpenMode};

use crate::ctx::Ctx;
use crate::output::{self, emit, CliError, Result};

/// The environment variable holding the signing key's passphrase.
pub const PASSPHRASE_ENV: &str = "ISHC_PASSPHRASE";
/// The environment variable holding the new passphrase when the key is changed.
pub const NEW_PASSPHRASE_ENV: &str = "ISHC_NEW_PASSPHRASE";

/// Where the signing key's passphrase comes from, for commands that sign or make a key. Flatten it
/// into a command's arguments (`#[command(flatten)]`) and call `passphrase`.
#[derive(Args, Debug, Clone, Default)]
pub struct PassphraseArgs {
    /// Read the signing key's passphrase from the first line of this file (else ISHC_PASSPHRASE, else
    /// it is asked for on the terminal). Never give it on the command line.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

/// Is the passphrase for opening the existing key, or for a key being made (typed twice)?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Unlock,
    New,
}

/// The passphrase from `env_var`, else the first line of `file`, else typed on the terminal without
/// echo (twice for a new key). With none of these (no terminal) → `passphrase.missing`, naming the
/// variable. Not checked against the rules here: the core does that.
pub fn passphrase(env_var: &str, file: Option<&Path>, purpose: Purpose, lang: Lang) -> Result<String> {
    if let Some(p) = std::env::var(env_var).ok().filter(|p| !p.is_empty()) {
        return Ok(p);
    }
    if let Some(file) = file {
        let text = files::read_text_capped(file, key::MAX_PASSPHRASE_FILE)?;
        let first = text.lines().next().unwrap_or_default();
        return Ok(first.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::PassphraseMissing { var: env_var.to_string() });
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(t(lang, prompt))
            .map_err(|e| CliError::Io { path: "/dev/tty".into(), detail: e.to_string() })
    };
    match purpose {
        Purpose::Unlock => ask("prompt.passphrase"),
        Purpose::New => {
            let first = ask("prompt.new_passphrase")?;
            // Check the rules before asking again, so a short one is said at once.
            key::check_passphrase(&first, if env_var == NEW_PASSPHRASE_ENV { Field::NewPassphrase } else { Field::Passphrase })?;
            let again = ask("prompt.repeat_passphrase")?;
            if again != first {
                return Err(CliError::PassphraseMismatch);
            }
            Ok(first)
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Give the club a signing key (a club made before keys existed; `ishc init` makes one).
    Create(PassphraseArgs),
    /// The key in use (id, fingerprint, public key, date) and the keys used before.
    Show,
    /// Write the printable key card (HTML, A4) for the commune; --lang picks the language.
    Card {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Change the key: the old passphrase opens the old key, which vouches for the new one.
    Rotate {
        #[command(flatten)]
        pass: PassphraseArgs,
        /// Read the new passphrase from the first line of this file (else ISHC_NEW_PASSPHRASE, else asked).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The report bundle (.zip).
    pub file: PathBuf,
    /// The club's public key from its key card: a club.pub file, or its base64 line. Without it the
    /// bundle's own club.pub is used, and you must compare the fingerprint with the card.
    #[arg(long, value_name = "PUB")]
    pub key: Option<String>,
}

fn display_date(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| format::date(d.with_timezone(&chrono::Utc).date_naive()))
        .unwrap_or_else(|_| rfc3339.to_string())
}

pub(crate) fn run(ctx: &Ctx, command: KeyCommand) -> Result<()> {
    let l = ctx.lang;
    match command {
        KeyCommand::Create(pass) => {
            let mut store = ctx.open(OpenMode::Existing)?;
            let club_id = ctx.club_id(&store)?;
            let p = passphrase(PASSPHRASE_ENV, pass.passphrase_file.as_deref(), Purpose::New, l)?;
            let actor = ctx.sign_in(&mut store, club_id)?;
            let k = key::create(&mut store, &actor, club_id, &p)?;
            emit(ctx.json, &k, || i18n::fill(&t(l, "key.created_ok"), &serde_json::json!({ "fingerprint": k.fingerprint })));
        }
        KeyCommand::Show => {
            let store = ctx.open(OpenMode::Existing)?;
            let c = club::resolve(&store, ctx.club)?;
            let current = key::current(&store, c.id)?;
            let history = key::history(&store, c.id)?;
            let body = serde_json::json!({ "club_id": c.id, "club": c.name, "current": current, "history": history });
            emit(ctx.json, &body, || {
                let Some(k) = &current else { return format!("{}\n{}", c.name, t(l, "key.none")) };
                let mut out = format!(
                    "{}\n{}: {}\n{}: {}\n{}: {}\n{}: {} ({})",
                    c.name,
                    t(l, "key.key_id"),
                    k.key_id,
                    t(l, "key.fingerprint"),
                    k.fingerprint,
                    t(l, "key.public_key"),
                    k.public_key,
                    t(l, "key.created"),
                    display_date(&k.created_at),
                    k.created_by,
                );
                if let Some(old) = &k.replaces_fingerprint {
                    out.push_str(&format!("\n{}: {}", t(l, "key.replaces"), old));
                }
                if history.len() > 1 {
                    out.push_str(&format!("\n{}:", t(l, "key.history")));
                    for h in &history {
                        let until = match &h.retired_at {
                            Some(at) => display_date(at),
                            None => t(l, "key.in_use"),
                        };
                        out.push_str(&format!("\n  {}  {} → {}", h.fingerprint, display_date(&h.created_at), until));
                    }
                }
                out
            });
        }
        KeyCommand::Card { out } => {
            let store = ctx.open(OpenMode::Existing)?;
            let c = club::resolve(&store, ctx.club)?;
            let k = key::current(&store, c.id)?.ok_or(ishc_core::CoreError::KeyMissing { club_id: c.id })?;
            let html = ishc_core::reporting::card::key_card_html(&c, &k, l);
            files::write_atomic(&out, html.as_bytes(), files::Overwrite::Replace).map_err(|e| CliError::Io { path: out.display().to_string(), detail: e.to_string() })?;
            let body = serde_json::json!({ "path": out, "key_id": k.key_id, "fingerprint": k.fingerprint });
            emit(ctx.json, &body, || i18n::fill(&t(l, "key.card_written"), &serde_json::json!({ "path": out.display().to_string() })));
        }
        KeyCommand::Rotate { pass, new_passphrase_file } => {
            let mut store = ctx.open(OpenMode::Existing)?;
            let club_id = ctx.club_id(&store)?;
            let old = passphrase(PASSPHRASE_ENV, pass.passphrase_file.as_deref(), Purpose::Unlock, l)?;
            let new = passphrase(NEW_PASSPHRASE_ENV, new_passphrase_file.as_deref(), Purpose::New, l)?;
            let actor = ctx.sign_in(&mut store, club_id)?;
            let r = key::rotate(&mut store, &actor, club_id, &old, &new)?;
            emit(ctx.json, &r, || {
                i18n::fill(&t(l, "key.rotated"), &serde_json::json!({ "fingerprint": r.new.fingerprint, "old": r.old.fingerprint }))
            });
        }
    }
    Ok(())
}

/// `ishc verify`: never opens, creates or writes a ledger, or anything else (the commune's machine).
pub(crate) fn verify(ctx: &Ctx, a: VerifyArgs) -> Result<()> {
    let l = ctx.lang;
    // --key is a .pub file when something of that name exists (read capped: a FIFO or a huge file
    // is refused by name), else the key's text itself.
    let key_text = match &a.key {
        Some(k) if Path::new(k).exists() => Some(files::read_text_capped(Path::new(k), key::MAX_PUBLIC_KEY_FILE)?),
        Some(k) => Some(k.clone()),
        None => None,
    };
    let report = bundle::verify_file(&a.file, key_text.as_deref())?;
    if ctx.json {
        output::out_line(&serde_json::to_string_pretty(&report).unwrap_or_default());
    }
    match (&report.problem, &report.manifest) {
        (None, Some(m)) => {
            if !ctx.json {
                // The fingerprint the core recomputed from the key that signed, never the manifest's word.
                let fingerprint = report.fingerprint.clone().unwrap_or_default();
                let mut lines = vec![i18n::fill(
                    &t(l, "verify.ok"),
                    &serde_json::json!({
                        "club": m.club.name, "period": m.period.label, "sequence": m.sequence,
                        "fingerprint": fingerprint,
                    }),
                )];
                let old = report.previous_fingerprint.clone().unwrap_or_default();
                if report.previous_fingerprint.is_some() {
                    lines.push(i18n::fill(&t(l, "verify.rotated"), &serde_json::json!({ "old": old })));
                }
                let against = match report.checked_against {
                    CheckedAgainst::BundleKey => "verify.compare_card",
                    CheckedAgainst::GivenKey => "verify.checked_given",
                    CheckedAgainst::EndorsedByGivenKey => "verify.endorsed",
                };
                lines.push(i18n::fill(&t(l, against), &serde_json::json!({ "fingerprint": fingerprint, "old": old })));
                if m.includes_personal_data {
                    lines.push(t(l, "verify.personal_data"));
                }
                output::out_line(&lines.join("\n"));
            }
            Ok(())
        }
        (problem, _) => {
            let message = match problem {
                Some(p) => i18n::message_for(l, &p.code, &p.params),
                None => i18n::message_for(l, "bundle.missing", &serde_json::json!({ "name": bundle::MANIFEST })),
            };
            eprintln!("ishc: {}", i18n::fill(&t(l, "verify.failed"), &serde_json::json!({ "message": message })));
            Err(CliError::VerifyFailed)
        }
    }
}
