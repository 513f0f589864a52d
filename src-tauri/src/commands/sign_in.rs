//! Sign-ins: the sign-in screen, PINs, the recovery code, the lock, and the audit page.

use ishc_core::roster::member::MemberInput;
use ishc_core::auth::{self, AuthSettings, SignIn};
use ishc_core::store::audit::{self, AuditEntry};
use ishc_core::CoreError;
use serde::Serialize;
use tauri::State;

use crate::session::Session;

use super::Api;

/// The sign-in screen's view of a club: whether it still needs its chairperson's first PIN, the
/// name buttons, who is signed in now, and when the window locks.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct AuthState {
    needs_setup: bool,
    sign_ins: Vec<SignIn>,
    /// The person signed in at this window (to this club), with today's roles.
    signed_in: Option<SignIn>,
    lock_minutes: u32,
    /// Idle seconds before the window locks: the club's lock_minutes, or `ISHC_IDLE_SECONDS`.
    idle_seconds: u32,
}

fn auth_state_of(s: &Session, club_id: i64) -> Result<AuthState, CoreError> {
    let (needs_setup, sign_ins, settings) =
        s.with_store(false, |st| Ok((auth::needs_setup(st, club_id)?, auth::list(st, club_id)?, auth::settings(st, club_id)?)))?;
    let signed_in = match s.signed_in()?.and_then(|a| a.sign_in()) {
        Some((club, id)) if club == club_id => sign_ins.iter().find(|x| x.id == id).cloned(),
        _ => None,
    };
    let idle_seconds = s.idle_seconds.unwrap_or(settings.lock_minutes.saturating_mul(60));
    Ok(AuthState { needs_setup, sign_ins, signed_in, lock_minutes: settings.lock_minutes, idle_seconds })
}

#[tauri::command]
pub fn auth_state(s: State<'_, Session>, club_id: i64) -> Api<AuthState> {
    Ok(auth_state_of(&s, club_id)?)
}

/// Sign in with a name button and the PIN typed on the keypad. Whoever was signed in is forgotten
/// first, so a wrong PIN leaves the window locked.
#[tauri::command]
pub fn auth_sign_in(s: State<'_, Session>, club_id: i64, sign_in_id: i64, pin: String) -> Api<AuthState> {
    s.set_actor(None)?;
    let actor = s.with_store(false, |st| auth::sign_in_id_at(st, club_id, sign_in_id, &pin, chrono::Utc::now()))?;
    s.set_actor(Some(actor))?;
    Ok(auth_state_of(&s, club_id)?)
}

/// Lock the window (the "Khóa" button, idle time, "Đổi người"): the shell forgets who was signed in.
#[tauri::command]
pub fn auth_lock(s: State<'_, Session>) -> Api<()> {
    Ok(s.set_actor(None)?)
}

/// Books without sign-ins: today's chairperson or vice-chair sets the first PIN. Returns the
/// recovery code, shown once.
#[tauri::command]
pub fn auth_setup_chair(s: State<'_, Session>, club_id: i64, member_id: i64, pin: String) -> Api<String> {
    let opened = s.with_store(false, |st| auth::setup_chair(st, club_id, member_id, &pin))?;
    s.set_actor(Some(opened.actor))?;
    Ok(opened.recovery_code)
}

/// A club with no member and no sign-in (its creation stopped after the club was written): the
/// chairperson is put on the roster with her PIN. Returns the recovery code, shown once.
#[tauri::command]
pub fn auth_setup_founder(s: State<'_, Session>, club_id: i64, chair: MemberInput, pin: String) -> Api<String> {
    let opened = s.with_store(false, |st| auth::setup_founder(st, club_id, &chair, &pin))?;
    s.set_actor(Some(opened.actor))?;
    Ok(opened.recovery_code)
}

/// Every PIN lost: the recovery code lets today's chairperson or vice-chair set a new PIN. Returns
/// the new recovery code (the old one is used up), shown once.
#[tauri::command]
pub fn auth_recover(s: State<'_, Session>, club_id: i64, code: String, member_id: i64, pin: String) -> Api<String> {
    s.set_actor(None)?;
    let opened = s.with_store(false, |st| auth::recover(st, club_id, &code, member_id, &pin))?;
    s.set_actor(Some(opened.actor))?;
    Ok(opened.recovery_code)
}

/// A sign-in for a board member, who types her own PIN (chairperson or vice-chair signed in).
#[tauri::command]
pub fn auth_add(s: State<'_, Session>, club_id: i64, member_id: i64, pin: String) -> Api<i64> {
    Ok(s.with_store(false, |st| auth::add(st, &s.actor()?, club_id, auth::Who::Member(member_id), &pin))?)
}

#[tauri::command]
pub fn auth_reset_pin(s: State<'_, Session>, club_id: i64, sign_in_id: i64, pin: String) -> Api<()> {
    Ok(s.with_store(false, |st| auth::reset_pin(st, &s.actor()?, club_id, sign_in_id, &pin))?)
}

#[tauri::command]
pub fn auth_remove(s: State<'_, Session>, club_id: i64, sign_in_id: i64) -> Api<()> {
    Ok(s.with_store(false, |st| auth::remove(st, &s.actor()?, club_id, sign_in_id))?)
}

/// The signed-in person changes her own PIN, proving it with the old one.
#[tauri::command]
pub fn auth_set_pin(s: State<'_, Session>, club_id: i64, old_pin: String, new_pin: String) -> Api<()> {
    let me = s.actor()?;
    Ok(s.with_store(false, |st| auth::set_pin(st, club_id, me.name(), &old_pin, &new_pin))?)
}

/// Change the idle minutes before the window locks (a rule change); the club's money rule is kept.
#[tauri::command]
pub fn auth_set_lock_minutes(s: State<'_, Session>, club_id: i64, lock_minutes: u32) -> Api<AuthState> {
    s.with_store(false, |st| {
        let now = auth::settings(st, club_id)?;
        auth::set_settings(st, &s.actor()?, club_id, AuthSettings { lock_minutes, ..now })
    })?;
    Ok(auth_state_of(&s, club_id)?)
}

/// The audit trail, newest first: who did what and when. Read-only; nothing edits it.
#[tauri::command]
pub fn audit_list(s: State<'_, Session>, club_id: i64, limit: u32) -> Api<Vec<AuditEntry>> {
    Ok(s.with_store(false, |st| audit::list(st, club_id, limit.min(5000)))?)
}
