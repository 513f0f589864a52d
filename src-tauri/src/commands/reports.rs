//! What leaves the books: the report, the public fund notice, a member's statement, signed
//! bundles and the club's key.

use ishc_core::i18n::Lang;
use ishc_core::signing::bundle::{self, BundleRecord, Exported, VerifyReport};
use ishc_core::signing::key::{self, ClubKey, KeyRotation};
use ishc_core::reporting::notice::{self, CodeFound, NoticePreview};
use ishc_core::reporting::{self, statement, Preview, ReportOptions};
use tauri::State;

use crate::session::Session;

use super::Api;

#[tauri::command]
pub fn report_preview(s: State<'_, Session>, club_id: i64, period: String, options: ReportOptions, lang: Lang) -> Api<Preview> {
    Ok(s.with_store(false, |st| reporting::preview(st, club_id, &period, &options, lang))?)
}

/// The public fund notice of a month, for the preview (reading: no sign-in).
#[tauri::command]
pub fn fund_notice(s: State<'_, Session>, club_id: i64, month: String, lang: Lang) -> Api<NoticePreview> {
    Ok(s.with_store(false, |st| notice::notice_preview(st, club_id, &month, lang))?)
}

/// Is a printed notice's code still in the books?
#[tauri::command]
pub fn fund_notice_check(s: State<'_, Session>, club_id: i64, code: String) -> Api<Option<CodeFound>> {
    Ok(s.with_store(false, |st| notice::check_code(st, club_id, &code))?)
}

/// A member's own statement for a year, the page without its head.
#[tauri::command]
pub fn member_statement(s: State<'_, Session>, club_id: i64, member_id: i64, year: i32, lang: Lang) -> Api<String> {
    Ok(s.with_store(false, |st| {
        let m = statement::member_statement(st, club_id, member_id, year)?;
        Ok(statement::member_statement_fragment(&m, lang))
    })?)
}

#[tauri::command]
pub fn report_save(
    s: State<'_, Session>,
    club_id: i64,
    period: String,
    options: ReportOptions,
    lang: Lang,
    format: String,
    dir: String,
) -> Api<String> {
    Ok(s.with_store(false, |st| reporting::save(st, club_id, &period, &options, lang, &format, std::path::Path::new(&dir)))?)
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn bundle_export(
    s: State<'_, Session>,
    club_id: i64,
    period: String,
    options: ReportOptions,
    lang: Lang,
    passphrase: String,
    dir: String,
) -> Api<Exported> {
    Ok(s.with_store(false, |st| {
        reporting::export_bundle(st, &s.actor()?, club_id, &passphrase, &period, &options, lang, std::path::Path::new(&dir))
    })?)
}

/// Checking a bundle reads only the file named; it never touches the books.
#[tauri::command]
pub fn bundle_verify(path: String, key: Option<String>) -> Api<VerifyReport> {
    Ok(bundle::verify_file(std::path::Path::new(&path), key.as_deref())?)
}

/// The bundles on a stick or in a folder, to choose one to check instead of typing its path.
#[tauri::command]
pub fn bundle_files(dir: String) -> Api<Vec<ishc_core::files::FoundFile>> {
    Ok(bundle::bundle_files(std::path::Path::new(&dir))?)
}

#[tauri::command]
pub fn bundle_list(s: State<'_, Session>, club_id: i64) -> Api<Vec<BundleRecord>> {
    Ok(s.with_store(false, |st| bundle::list(st, club_id))?)
}

#[tauri::command]
pub fn key_show(s: State<'_, Session>, club_id: i64) -> Api<Option<ClubKey>> {
    Ok(s.with_store(false, |st| key::current(st, club_id))?)
}

#[tauri::command]
pub fn key_create(s: State<'_, Session>, club_id: i64, passphrase: String) -> Api<ClubKey> {
    Ok(s.with_store(false, |st| key::create(st, &s.actor()?, club_id, &passphrase))?)
}

#[tauri::command]
pub fn key_rotate(
    s: State<'_, Session>,
    club_id: i64,
    old_passphrase: String,
    new_passphrase: String,
) -> Api<KeyRotation> {
    Ok(s.with_store(false, |st| key::rotate(st, &s.actor()?, club_id, &old_passphrase, &new_passphrase))?)
}
