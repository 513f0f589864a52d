//! One-line adapters from the window to the core. Each returns the core's result; an error crosses
//! as `{code, params}` and the window turns it into words.

use chrono::NaiveDate;
use ishc_core::roster::club::{self, Club, ClubInput};
use ishc_core::roster::member::MemberInput;
use ishc_core::overview::{self, Overview};
use ishc_core::roster::preset::{self, TargetPreset};
use ishc_core::files::{self, Destination};
use ishc_core::signing::key::{self};
use ishc_core::auth::{self};
use ishc_core::error::Field;
use ishc_core::{Actor, CoreError};
use serde::Serialize;
use tauri::State;

use crate::session::{Session, Status};

pub mod commune;
mod backups;
mod funds;
mod life;
mod loan;
mod reports;
mod roster;
mod sign_in;
// Each room's commands by their names here too (the handler list names `commands::x`).
pub use backups::*;
pub use funds::*;
pub use life::*;
pub use loan::*;
pub use reports::*;
pub use roster::*;
pub use sign_in::*;
// The commune's commands, by their names here too (the handler list names `commands::x`).
pub use commune::*;

/// What crosses to the window on failure: the core's `{code, params}`.
/// (A newtype serialises as what it holds, so no `serde(transparent)` is needed.)
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ApiError(#[ts(type = "CoreError")] serde_json::Value);

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        ApiError(e.to_json())
    }
}

pub(crate) type Api<T> = Result<T, ApiError>;

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct AppState {
    status: Status,
    db_path: String,
    /// Set when status is "error" (a damaged, newer or unreadable file).
    error: Option<ApiError>,
    clubs: Vec<Club>,
    today: NaiveDate,
    version: &'static str,
    /// Set when status is "commune": the commune's profile.
    commune: Option<ishc_core::commune::Commune>,
    /// The commune officer named on this window's first commune screen, if any yet.
    officer: Option<String>,
}

#[tauri::command]
pub fn app_state(s: State<'_, Session>) -> Api<AppState> {
    let db_path = s.db_path.display().to_string();
    let today = s.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let base = |status, error: Option<&CoreError>| AppState {
        status,
        db_path: db_path.clone(),
        error: error.map(|e| ApiError(e.to_json())),
        clubs: vec![],
        today,
        version: ishc_core::VERSION,
        commune: None,
        officer: None,
    };
    if s.busy {
        return Ok(base(Status::Busy, None));
    }
    if s.is_commune()? {
        let officer = s.officer_named()?.map(|a| a.name().to_string());
        return match s.with_commune(|c| c.commune()) {
            Ok(c) => Ok(AppState { commune: Some(c), officer, ..base(Status::Commune, None) }),
            Err(e) => Ok(base(Status::Error, Some(&e))),
        };
    }
    match s.with_store(false, |st| club::list(st)) {
        Ok(clubs) if !clubs.is_empty() => Ok(AppState { clubs, ..base(Status::Ready, None) }),
        Ok(_) | Err(CoreError::NoClub) => Ok(base(Status::NoClub, None)),
        Err(e) => Ok(base(Status::Error, Some(&e))),
    }
}

#[tauri::command]
pub fn presets(s: State<'_, Session>) -> Api<Vec<TargetPreset>> {
    match s.with_store(false, |st| preset::all(st)) {
        Err(CoreError::NoClub) => Ok(preset::builtin()),
        other => Ok(other?),
    }
}

/// What creating a club hands back: the club, and the recovery code to show once (it is stored only
/// hashed; the window says to write it down and keep it with the club's papers).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Created {
    club: Club,
    recovery_code: String,
}

/// First run: the club with its signing key, then its chairperson on the roster with her PIN
/// (`auth::setup_founder`). She is signed in afterwards. (If the second step is refused, the club
/// exists without sign-ins and the window's set-up screen asks for the chairperson again.)
#[tauri::command]
pub fn club_create(s: State<'_, Session>, input: ClubInput, chair: MemberInput, pin: String, passphrase: String) -> Api<Created> {
    // Refuse a PIN the core would refuse before anything is written.
    auth::pin::check_pin(&pin, Field::NewPin)?;
    let founder = Actor::new(&chair.full_name)?;
    let (club, opened) = s.with_store(true, |st| {
        // The club's signing key is made with it, in the same transaction.
        let club = key::create_club_with_key(st, &founder, &input, &passphrase)?;
        let opened = auth::setup_founder(st, club.id, &chair, &pin)?;
        Ok((club, opened))
    })?;
    s.set_actor(Some(opened.actor))?;
    Ok(Created { club, recovery_code: opened.recovery_code })
}

#[tauri::command]
pub fn club_update(s: State<'_, Session>, club_id: i64, input: ClubInput) -> Api<Club> {
    Ok(s.with_store(false, |st| club::update(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn overview(s: State<'_, Session>, club_id: i64) -> Api<Overview> {
    Ok(s.with_store(false, |st| overview::overview(st, club_id))?)
}

#[tauri::command]
pub fn destinations() -> Vec<Destination> {
    files::destinations()
}
