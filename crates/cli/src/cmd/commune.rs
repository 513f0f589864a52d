//! `ishc commune …`: the commune's side. `commune rollup` rolls clubs' `report.json` files up for a
//! period (`--from-report FILE…`, until the commune's inbox holds them) into one rendering: the
//! roll-up's JSON, the A4 page, the XLSX, or DHIS2 `dataValueSets`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ishc_core::commune::rollup::{self, dhis2, plan};
use ishc_core::error::{Field, Rule};
use ishc_core::files;
use ishc_core::i18n::{fill, t};
use ishc_core::reporting::Period;

use crate::ctx::Ctx;
use crate::output::{emit, CliError, Result};

#[derive(Subcommand, Debug)]
pub enum CommuneCommand {
    /// Roll the clubs' reports of a period up into the commune's report (json, html, xlsx or dhis2).
    Rollup(RollupArgs),
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
    /// A club's report.json for the period (repeat for each club).
    #[arg(long = "from-report", value_name = "FILE", required = true, num_args = 1..)]
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

pub fn run(ctx: &Ctx, command: CommuneCommand) -> Result<()> {
    match command {
        CommuneCommand::Rollup(a) => rollup_cmd(ctx, a),
    }
}

fn rollup_cmd(ctx: &Ctx, a: RollupArgs) -> Result<()> {
    let period = Period::parse(&a.period)?;
    if a.format == "dhis2" && a.org_unit.is_none() {
        return Err(CliError::Arg { field: Field::RollupOrgUnit, rule: Rule::Required });
    }
    let plan = match &a.plan {
        Some(p) => plan::parse(&files::read_capped(p, plan::MAX_PLAN_FILE)?)?,
        None => plan::find_builtin(plan::DEFAULT_PLAN)?,
    };
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
    let r = rollup::roll_up(&req, &clubs, &plan)?;
    let bytes = match a.format.as_str() {
        "dhis2" => {
            let mapping = match &a.mapping {
                Some(m) => dhis2::parse_mapping(&files::read_capped(m, dhis2::MAX_MAPPING_FILE)?)?,
                None => dhis2::parse_mapping(dhis2::DEFAULT_MAPPING.as_bytes())?,
            };
            dhis2::render(&r, &mapping, a.org_unit.as_deref().unwrap_or_default())?
        }
        f => rollup::render(&r, f, ctx.lang)?,
    };
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
