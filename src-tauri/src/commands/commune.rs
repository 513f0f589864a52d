//! The commune officer's commands (the window in commune mode, when the file opened is a commune
//! ledger): the register of clubs, receiving bundles from a stick, who reported, and the roll-up.
//! One-line adapters to `ishc_core::commune`, as `ishc commune …` (crates/cli/src/cmd/commune.rs).

use std::path::{Path, PathBuf};

use ishc_core::commune::import::{self, ImportReport, Refused};
use ishc_core::commune::register::{self, RegisteredClub};
use ishc_core::commune::rollup::{self, dhis2, plan};
use ishc_core::commune::send;
use ishc_core::commune::status::{self, PeriodStatus};
use ishc_core::commune::Commune;
use ishc_core::i18n::Lang;
use ishc_core::reporting::Period;
use ishc_core::signing::key;
use ishc_core::{files, Actor, CoreError};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::Api;
use crate::session::Session;

/// The officer's name for the audit rows of this window's writes (no sign-ins on a commune ledger
/// yet): checked like any actor's name, held until the window closes.
#[tauri::command]
pub fn commune_set_officer(s: State<'_, Session>, name: String) -> Api<String> {
    let actor = Actor::new(&name)?;
    let shown = actor.name().to_string();
    *s.officer.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })? = Some(actor);
    Ok(shown)
}

/// First start: make this laptop's inbox (a commune's, a district's or a province's) instead of a
/// club's books, with its signing key, and name its officer. The window then shows the inbox.
#[tauri::command]
pub fn commune_create(s: State<'_, Session>, input: ishc_core::commune::CommuneInput, passphrase: String, officer: String) -> Api<Commune> {
    let officer = Actor::new(&officer)?;
    Ok(s.create_commune(officer, &input, &passphrase)?)
}

#[tauri::command]
pub fn commune_clubs(s: State<'_, Session>) -> Api<Vec<RegisteredClub>> {
    Ok(s.with_commune(|c| {
        c.commune()?;
        register::list(c)
    })?)
}

/// What the register form sends: `key` is the base64 line or the path of the club's `club.pub`.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CommuneClubForm {
    name: String,
    hamlet: String,
    key: String,
    fingerprint: String,
}

#[tauri::command]
pub fn commune_register(s: State<'_, Session>, form: CommuneClubForm) -> Api<RegisteredClub> {
    let actor = s.officer()?;
    // A path to a file that exists is read (capped, as the CLI does); anything else is the key's text.
    let key_text = match Path::new(form.key.trim()) {
        p if !form.key.trim().is_empty() && p.is_file() => files::read_text_capped(p, key::MAX_PUBLIC_KEY_FILE)?,
        _ => form.key.clone(),
    };
    let input = register::ClubInput { name: form.name, hamlet: form.hamlet, public_key: key_text, fingerprint: form.fingerprint };
    Ok(s.with_commune(|c| register::register(c, &actor, &input))?)
}

/// Receive the bundles under `paths` (a stick's folder, a folder or files). Runs off the window's
/// thread so the window can ask `commune_import_progress` meanwhile and move its bar.
#[tauri::command]
pub async fn commune_import(s: State<'_, Session>, paths: Vec<String>) -> Api<ImportReport> {
    let actor = s.officer()?;
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    set_progress(&s, 0, 0)?;
    let result = s.with_commune(|c| {
        let mut progress = |done: usize, total: usize| {
            // A poisoned lock only stops the bar moving; the import itself goes on and reports.
            if let Ok(mut p) = s.import_progress.lock() {
                *p = (done, total);
            }
        };
        import::import(c, &actor, &paths, &mut progress)
    });
    Ok(result?)
}

fn set_progress(s: &Session, done: usize, total: usize) -> Result<(), CoreError> {
    *s.import_progress.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })? = (done, total);
    Ok(())
}

/// How many bundle files of the running import are done, of how many.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ImportProgress {
    done: u32,
    total: u32,
}

#[tauri::command]
pub fn commune_import_progress(s: State<'_, Session>) -> Api<ImportProgress> {
    let (done, total) = *s.import_progress.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?;
    Ok(ImportProgress { done: done as u32, total: total as u32 })
}

/// What is on a stick before importing: the bundle files found, and what cannot be read as one.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Collected {
    files: Vec<String>,
    refused: Vec<Refused>,
}

#[tauri::command]
pub fn commune_collect(paths: Vec<String>) -> Api<Collected> {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let (found, refused) = import::collect(&paths)?;
    Ok(Collected { files: found.iter().map(|p| p.display().to_string()).collect(), refused })
}

#[tauri::command]
pub fn commune_status(s: State<'_, Session>, period: String) -> Api<PeriodStatus> {
    let period = Period::parse(&period)?;
    Ok(s.with_commune(|c| status::status(c, &period))?)
}

/// Change the day the year's report is due (typed `dd/mm`), as `ishc commune settings --deadline`.
#[tauri::command]
pub fn commune_set_deadline(s: State<'_, Session>, day_month: String) -> Api<Commune> {
    let actor = s.officer()?;
    let (day, month) = ishc_core::parse::day_month(&day_month, ishc_core::error::Field::ClubReportDeadline)?;
    Ok(s.with_commune(|c| ishc_core::commune::ledger::set_deadline(c, &actor, day, month))?)
}

/// The roll-up of a period from the inbox (`send::roll_up_inbox`, as `ishc commune rollup`), and
/// the unit's name for the file.
fn roll_up(s: &Session, period: &str, hamlets: Option<u32>) -> Result<(rollup::Rollup, String), CoreError> {
    let period = Period::parse(period)?;
    let plan = plan::find_builtin(plan::DEFAULT_PLAN)?;
    s.with_commune(|c| Ok((send::roll_up_inbox(c, &period, hamlets, &plan)?, c.commune()?.name)))
}

/// The roll-up's A4 page without its head, for the window (styled like the club's report).
#[tauri::command]
pub fn commune_rollup_preview(s: State<'_, Session>, period: String, hamlets: Option<u32>, lang: Lang) -> Api<String> {
    let (r, _) = roll_up(&s, &period, hamlets)?;
    Ok(rollup::html::fragment(&r, lang).into_string())
}

/// Write one rendering (`json`, `html`, `xlsx`, `dhis2`) to `dir` as
/// `<commune>-<period>-tong-hop.<ext>`; a name already taken is never replaced: `-2`, `-3`… is
/// added. Returns the path written.
#[tauri::command]
pub fn commune_rollup_save(
    s: State<'_, Session>,
    period: String,
    hamlets: Option<u32>,
    lang: Lang,
    format: String,
    org_unit: Option<String>,
    dir: String,
) -> Api<String> {
    let (r, name) = roll_up(&s, &period, hamlets)?;
    let mapping = dhis2::parse_mapping(dhis2::DEFAULT_MAPPING.as_bytes())?;
    let (bytes, ext) = send::rendering(&r, &format, &mapping, org_unit.as_deref(), lang)?;
    let path = send::save_rendering(Path::new(dir.trim()), &name, &r.period.label, ext, &bytes)?;
    Ok(path.display().to_string())
}

/// The unit's public key and fingerprint, for the level above to register.
#[tauri::command]
pub fn commune_key(s: State<'_, Session>) -> Api<ishc_core::commune::ledger::PublicKeyFile> {
    Ok(s.with_commune(|c| ishc_core::commune::ledger::public_key_file(c))?)
}

/// Save the unit's public key (`<unit>-khoa.pub`) to `dir`, never over a file. Returns the path.
#[tauri::command]
pub fn commune_key_save(s: State<'_, Session>, dir: String) -> Api<String> {
    Ok(s.with_commune(|c| send::save_public_key(c, Path::new(dir.trim())))?.display().to_string())
}

/// Make the signed roll-up bundle of `period` in `dir` for the level above, as
/// `ishc commune export`: the passphrase opens the unit's key.
#[tauri::command]
pub fn commune_send(
    s: State<'_, Session>,
    period: String,
    hamlets: Option<u32>,
    lang: Lang,
    dir: String,
    passphrase: String,
) -> Api<ishc_core::signing::bundle::Exported> {
    let actor = s.officer()?;
    let period = Period::parse(&period)?;
    let plan = plan::find_builtin(plan::DEFAULT_PLAN)?;
    Ok(s.with_commune(|c| send::export(c, &actor, &period, hamlets, &plan, lang, &passphrase, Path::new(dir.trim())))?)
}

/// Check the inbox against the signed bundles it keeps, as `ishc commune check`.
#[tauri::command]
pub fn commune_check(s: State<'_, Session>) -> Api<ishc_core::commune::check::CheckReport> {
    Ok(s.with_commune(|c| ishc_core::commune::check::check(c))?)
}

/// Every roll-up bundle sent upward, oldest first.
#[tauri::command]
pub fn commune_sent(s: State<'_, Session>) -> Api<Vec<send::SentBundle>> {
    Ok(s.with_commune(|c| send::sent(c))?)
}
