//! The roster: members, their flags and roles, composition, the import of a sheet.

use chrono::NaiveDate;
use ishc_core::roster::composition::{self, Composition};
use ishc_core::roster::member::{self, Flag, LeaveReason, ListQuery, Member, MemberInput, MemberPatch, Role, RosterRow};
use ishc_core::roster::import::{self, ImportOptions, ImportReport};
use tauri::State;

use crate::session::Session;

use super::Api;

#[tauri::command]
pub fn member_list(s: State<'_, Session>, club_id: i64, query: ListQuery) -> Api<Vec<RosterRow>> {
    Ok(s.with_store(false, |st| member::list(st, club_id, &query))?)
}

#[tauri::command]
pub fn member_get(s: State<'_, Session>, club_id: i64, id: i64) -> Api<Member> {
    Ok(s.with_store(false, |st| member::get(st, club_id, id))?)
}

#[tauri::command]
pub fn member_add(
    s: State<'_, Session>,
    club_id: i64,
    input: MemberInput,
    allow_duplicate: bool,
) -> Api<Member> {
    Ok(s.with_store(false, |st| member::add(st, &s.actor()?, club_id, &input, allow_duplicate))?)
}

#[tauri::command]
pub fn member_edit(s: State<'_, Session>, club_id: i64, id: i64, patch: MemberPatch) -> Api<Member> {
    Ok(s.with_store(false, |st| member::edit(st, &s.actor()?, club_id, id, &patch))?)
}

#[tauri::command]
pub fn member_leave(s: State<'_, Session>, club_id: i64, id: i64, on: NaiveDate, reason: LeaveReason) -> Api<Member> {
    Ok(s.with_store(false, |st| member::leave(st, &s.actor()?, club_id, id, on, reason))?)
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn member_set_flag(
    s: State<'_, Session>,
    club_id: i64,
    id: i64,
    flag: Flag,
    active: bool,
    on: NaiveDate,
    standard: Option<String>,
) -> Api<Member> {
    Ok(s.with_store(false, |st| member::set_flag(st, &s.actor()?, club_id, id, flag, active, on, standard.as_deref()))?)
}

#[tauri::command]
pub fn member_set_role(
    s: State<'_, Session>,
    club_id: i64,
    id: i64,
    role: Role,
    active: bool,
    on: NaiveDate,
) -> Api<Member> {
    Ok(s.with_store(false, |st| member::set_role(st, &s.actor()?, club_id, id, role, active, on))?)
}

#[tauri::command]
pub fn composition(s: State<'_, Session>, club_id: i64, at: Option<NaiveDate>, preset: Option<String>) -> Api<Composition> {
    Ok(s.with_store(false, |st| composition::compute(st, club_id, at, preset.as_deref()))?)
}

/// Check (`commit` false) or import a member sheet the window read from a file the user picked.
#[tauri::command]
pub fn member_import(
    s: State<'_, Session>,
    club_id: i64,
    file_name: String,
    bytes: Vec<u8>,
    options: ImportOptions,
    commit: bool,
) -> Api<ImportReport> {
    Ok(s.with_store(false, |st| {
        let table = import::read_table(&bytes, &file_name)?;
        import::import(st, &s.actor()?, club_id, &table, &options, commit)
    })?)
}
