//! The club's life: meetings and their decisions, activities, the standard.

use ishc_core::life::activity::{self, Activity, ActivityInput, ActivityQuery};
use ishc_core::life::{decision::{self, DecisionInput, DecisionSaved}, meeting::{self, Meeting, MeetingInput, MeetingRow, MeetingSaved, YearGrid}};
use ishc_core::life::standard::{self, Standard};
use tauri::State;

use crate::session::Session;

use super::Api;

#[tauri::command]
pub fn meeting_add(s: State<'_, Session>, club_id: i64, input: MeetingInput) -> Api<MeetingSaved> {
    Ok(s.with_store(false, |st| meeting::add(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn meeting_decide(s: State<'_, Session>, club_id: i64, meeting_id: i64, input: DecisionInput) -> Api<DecisionSaved> {
    Ok(s.with_store(false, |st| decision::decide(st, &s.actor()?, club_id, meeting_id, &input))?)
}

#[tauri::command]
pub fn meeting_list(s: State<'_, Session>, club_id: i64, year: Option<i32>) -> Api<Vec<MeetingRow>> {
    Ok(s.with_store(false, |st| meeting::list(st, club_id, year))?)
}

#[tauri::command]
pub fn meeting_get(s: State<'_, Session>, club_id: i64, id: i64) -> Api<Meeting> {
    Ok(s.with_store(false, |st| meeting::get(st, club_id, id))?)
}

#[tauri::command]
pub fn meeting_grid(s: State<'_, Session>, club_id: i64, year: i32) -> Api<YearGrid> {
    Ok(s.with_store(false, |st| meeting::year_grid(st, club_id, year))?)
}

#[tauri::command]
pub fn activity_add(s: State<'_, Session>, club_id: i64, input: ActivityInput) -> Api<Activity> {
    Ok(s.with_store(false, |st| activity::add(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn activity_list(s: State<'_, Session>, club_id: i64, query: ActivityQuery) -> Api<Vec<Activity>> {
    Ok(s.with_store(false, |st| activity::list(st, club_id, &query))?)
}

#[tauri::command]
pub fn standard(s: State<'_, Session>, club_id: i64, year: i32, preset_id: Option<String>) -> Api<Standard> {
    Ok(s.with_store(false, |st| standard::assess(st, club_id, year, preset_id.as_deref()))?)
}
