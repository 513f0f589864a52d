//! `ishc report`: one rendering of a period's report, to a file or to standard output; `ishc export`:
//! the signed bundle for the commune, to a folder.

use std::path::PathBuf;

use clap::Args;
use ishc_core::error::{Field, Rule};
use ishc_core::i18n::{fill, t};
use ishc_core::reporting::{self, Period, ReportOptions};
use ishc_core::{files, OpenMode};

use crate::cmd::key::{self, PassphraseArgs, Purpose};
use crate::ctx::Ctx;
use crate::output::{self, emit, CliError, Result};

#[derive(Args, Debug)]
pub struct ReportArgs {
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
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_name = "PERIOD")]
    period: String,
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Add the member list (names): only where the commune asks for it.
    #[arg(long)]
    with_members: bool,
    #[command(flatten)]
    pass: PassphraseArgs,
}

pub fn report(ctx: &Ctx, a: ReportArgs) -> Result<()> {
    let ReportArgs { period, format, out, with_members } = a;
    let (period, format) = (period.as_str(), format.as_str());
    let store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let period = Period::parse(period)?;
    let r = reporting::build(&store, club, &period, &ReportOptions { with_members })?;
    let bytes = r.render(format, ctx.lang)?;
    match out {
        Some(path) => {
            files::write_atomic(&path, &bytes, files::Overwrite::Replace)
                .map_err(|e| CliError::Io { path: path.display().to_string(), detail: e.to_string() })?;
            let shown = path.display().to_string();
            emit(
                ctx.json,
                &serde_json::json!({ "path": shown, "format": format, "period": period.label, "bytes": bytes.len(),
                                     "includes_personal_data": r.includes_personal_data }),
                || fill(&t(ctx.lang, "report.cli.written"), &serde_json::json!({ "path": shown, "period": period.label })),
            );
        }
        None if format == "xlsx" => {
            return Err(CliError::Arg { field: Field::ReportOut, rule: Rule::Required })
        }
        None => output::write_stdout(&bytes),
    }
    Ok(())
}

pub fn export(ctx: &Ctx, a: ExportArgs) -> Result<()> {
    let ExportArgs { period, out, with_members, pass } = a;
    let (period, out) = (period.as_str(), out.as_path());
    let mut store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    // Check the period before asking for the passphrase: a typo costs no typing.
    Period::parse(period)?;
    let passphrase = key::passphrase(key::PASSPHRASE_ENV, pass.passphrase_file.as_deref(), Purpose::Unlock, ctx.lang)?;
    let opts = ReportOptions { with_members };
    let actor = ctx.sign_in(&mut store, club)?;
    let done = reporting::export_bundle(&mut store, &actor, club, &passphrase, period, &opts, ctx.lang, out)?;
    if ctx.json {
        emit(true, &done, String::new);
    } else {
        // Only the path on standard output, so scripts can use it; the words go to standard error.
        eprintln!(
            "{}",
            fill(&t(ctx.lang, "report.cli.exported"), &serde_json::json!({ "sequence": done.sequence, "period": done.manifest.period.label }))
        );
        output::out_line(&done.path.display().to_string());
    }
    Ok(())
}
