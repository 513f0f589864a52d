//! `ishc check` (the file's integrity and every rule of the books) and `ishc audit` (who did what).

use clap::Args;
use ishc_core::i18n::{self, t};
use ishc_core::{check, store::audit, OpenMode};

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};

#[derive(Args, Debug)]
pub struct AuditArgs {
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

pub fn check(ctx: &Ctx) -> Result<()> {
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

pub fn audit(ctx: &Ctx, a: AuditArgs) -> Result<()> {
    let store = ctx.open(OpenMode::Existing)?;
    let club = ctx.club_id(&store)?;
    let entries = audit::list(&store, club, a.limit)?;
    emit(ctx.json, &entries, || {
        entries.iter().map(|e| format!("{}\t{}\t{}\t{}", e.at, e.actor, e.action, e.entity_id.unwrap_or(0))).collect::<Vec<_>>().join("\n")
    });
    Ok(())
}
