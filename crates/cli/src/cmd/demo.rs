//! `ishc demo`: a realistic demo club with years of history, in a new ledger or an existing one.

use clap::Args;
use ishc_core::format;
use ishc_core::i18n::{self, t};
use ishc_core::{demo, OpenMode};

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 10)]
    years: u32,
    #[arg(long, default_value_t = 60)]
    members: u32,
    #[arg(long, default_value_t = 1336)]
    seed: u64,
}

pub fn run(ctx: &Ctx, a: DemoArgs) -> Result<()> {
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
        ) + &summary
            .sign_ins
            .iter()
            .map(|x| {
                "\n".to_string()
                    + &i18n::fill_in(ctx.lang, &t(ctx.lang, "demo.pin"), &serde_json::json!({ "role": x.role.code(), "name": x.name, "pin": x.pin }))
            })
            .collect::<String>()
            + "\n"
            + &i18n::fill(&t(ctx.lang, "demo.recovery_code"), &serde_json::json!({ "code": demo::DEMO_RECOVERY_CODE }))
    });
    Ok(())
}
