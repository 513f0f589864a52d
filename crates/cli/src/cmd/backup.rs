//! `ishc backup` (a read: the books are copied, checked and left as they are) and `ishc restore`
//! (a write: it replaces the books, so it needs `--as` and the window's lock). The rules are the
//! core's (`store::backup`); this file reads the arguments and the passphrase, and prints.
//!
//! The backup passphrase, like the signing key's, never comes from a plain argument: it comes from
//! `ISHC_BACKUP_PASSPHRASE` (for scripts), else it is typed on the terminal without echo (twice
//! for a new backup).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};
use ishc_core::error::{CoreError, Field};
use ishc_core::i18n::{self, t, Lang};
use ishc_core::store::backup::{self, RestoreRequest};
use ishc_core::store::lock;
use ishc_core::{format, signing::key, OpenMode};

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};

/// The environment variable holding the backup passphrase.
pub const BACKUP_PASSPHRASE_ENV: &str = "ISHC_BACKUP_PASSPHRASE";

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(group(ArgGroup::new("mode").required(true).args(["out", "auto"])))]
pub struct BackupArgs {
    #[command(subcommand)]
    command: Option<BackupCommand>,
    /// Write an encrypted backup (age format, with a passphrase) into this folder: the USB stick.
    /// It is read back, decrypted and checked before the command says it is done.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Make a local backup in the backups folder beside the ledger and remove the old ones (kept:
    /// the newest of each of the last 7 days, 4 weeks and 12 months).
    #[arg(long)]
    auto: bool,
    /// The folder of local backups (default: backups/ beside the ledger).
    #[arg(long, value_name = "DIR", requires = "auto")]
    dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// The local backups, newest first.
    List {
        /// The folder of local backups (default: backups/ beside the ledger).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The backup: a local one (.sqlite) or one from the USB stick (.ishc-backup.age).
    file: PathBuf,
    /// Restore even though the backup holds another club's books than these, or these cannot be read.
    #[arg(long)]
    yes: bool,
}

pub(crate) fn size(bytes: u64) -> String {
    let kib = bytes.div_ceil(1024) as i64;
    format!("{} KB", format::money(kib).trim_end_matches(" đ"))
}

fn clubs_text(clubs: &[backup::BackupClub]) -> String {
    clubs.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The backup passphrase: `ISHC_BACKUP_PASSPHRASE`, else typed without echo (twice when `new`).
fn passphrase(new: bool, lang: Lang) -> Result<Option<String>> {
    if let Some(p) = std::env::var(BACKUP_PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()) {
        return Ok(Some(p));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(t(lang, prompt)).map_err(|e| CliError::Io { path: "/dev/tty".into(), detail: e.to_string() })
    };
    if !new {
        return ask("prompt.backup_passphrase").map(Some);
    }
    let first = ask("prompt.new_backup_passphrase")?;
    // The rules first, so a short one is said at once.
    key::check_passphrase(&first, Field::BackupPassphrase)?;
    if ask("prompt.repeat_passphrase")? != first {
        return Err(CliError::PassphraseMismatch);
    }
    Ok(Some(first))
}

pub fn backup(ctx: &Ctx, a: BackupArgs) -> Result<()> {
    let l = ctx.lang;
    if let Some(BackupCommand::List { dir }) = a.command {
        return list(ctx, dir);
    }
    let store = ctx.open(OpenMode::Existing)?;
    if let Some(out) = a.out {
        let passphrase = passphrase(true, l)?.ok_or(CliError::BackupPassphraseMissing { var: BACKUP_PASSPHRASE_ENV.into() })?;
        let info = backup::backup_to_stick(&store, &out, &passphrase, store.today())?;
        emit(ctx.json, &info, || {
            i18n::fill(
                &t(l, "backup.cli.done"),
                &serde_json::json!({ "path": info.path, "size": size(info.bytes), "clubs": clubs_text(&info.clubs), "members": info.members }),
            )
        });
        return Ok(());
    }
    let now = chrono::Local::now().naive_local();
    let done = backup::auto_backup(&store, a.dir.as_deref(), now)?;
    emit(ctx.json, &done, || {
        i18n::fill(
            &t(l, "backup.cli.auto_done"),
            &serde_json::json!({ "path": done.made.path, "size": size(done.made.bytes), "kept": done.kept.len(), "removed": done.removed.len() }),
        )
    });
    Ok(())
}

fn list(ctx: &Ctx, dir: Option<PathBuf>) -> Result<()> {
    let folder = dir.unwrap_or_else(|| backup::backups_dir(&ctx.db));
    let generations = backup::generations(Some(&ctx.db), &folder)?;
    let body = serde_json::json!({ "folder": folder.display().to_string(), "generations": generations });
    emit(ctx.json, &body, || {
        let mut lines = vec![i18n::fill(&t(ctx.lang, "backup.cli.list_heading"), &serde_json::json!({ "folder": folder.display().to_string() }))];
        if generations.is_empty() {
            lines.push(t(ctx.lang, "backup.cli.list_none"));
        }
        for g in &generations {
            lines.push(format!("{} {}\t{}\t{}", format::date(g.made_at.date()), g.made_at.format("%H:%M"), size(g.bytes), g.path));
        }
        lines.join("\n")
    });
    Ok(())
}

pub fn restore(ctx: &Ctx, a: RestoreArgs) -> Result<()> {
    let l = ctx.lang;
    // A window on these books holds them open: refuse rather than pull them out from under it.
    let _lock = lock::lock_or_refuse(&ctx.db)?;
    // Books that open and have sign-ins: the person signs in on them (the core lets only the chair
    // or vice-chair replace them). Books that cannot be opened, or none yet: a name.
    let actor = match ctx.open(OpenMode::Existing) {
        Ok(mut store) => match ctx.club_id(&store) {
            Ok(club) if !ishc_core::auth::needs_setup(&store, club)? => ctx.sign_in(&mut store, club)?,
            _ => ctx.actor()?,
        },
        Err(_) => ctx.actor()?,
    };
    let now = chrono::Local::now().naive_local();
    let today = ctx.today.unwrap_or_else(|| now.date());
    let run = |passphrase: Option<&str>| {
        let req = RestoreRequest { ledger: &ctx.db, file: &a.file, passphrase, confirmed: a.yes, now, today };
        backup::restore(&req, &actor)
    };
    let env = passphrase_from_env();
    let result = match run(env.as_deref()) {
        // Typed only when the file turned out to need it (and there is a terminal to type on).
        Err(CoreError::BackupPassphraseNeeded { .. }) if env.is_none() && std::io::stdin().is_terminal() => {
            let typed = passphrase(false, l)?;
            run(typed.as_deref())
        }
        other => other,
    };
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            if matches!(e, CoreError::BackupOtherClub { .. } | CoreError::BackupCurrentUnreadable { .. }) {
                eprintln!("{}", t(l, "restore.cli.yes_hint"));
            }
            if matches!(e, CoreError::BackupPassphraseNeeded { .. }) {
                eprintln!("{}", i18n::fill(&t(l, "restore.cli.passphrase_hint"), &serde_json::json!({ "var": BACKUP_PASSPHRASE_ENV })));
            }
            return Err(e.into());
        }
    };
    emit(ctx.json, &done, || {
        let mut lines = vec![i18n::fill(
            &t(l, "restore.cli.done"),
            &serde_json::json!({ "from": done.from, "clubs": clubs_text(&done.clubs), "members": done.members }),
        )];
        match &done.kept_as {
            Some(kept) => lines.push(i18n::fill(&t(l, "restore.cli.kept"), &serde_json::json!({ "path": kept }))),
            None => lines.push(i18n::fill(&t(l, "restore.cli.new"), &serde_json::json!({ "path": done.ledger }))),
        }
        lines.join("\n")
    });
    Ok(())
}

fn passphrase_from_env() -> Option<String> {
    std::env::var(BACKUP_PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}
