//! One-line adapters from the window to the core. Each returns the core's result; an error crosses
//! as `{code, params}` and the window turns it into words.

use chrono::NaiveDate;
use ishc_core::roster::club::{self, Club, ClubInput};
use ishc_core::roster::composition::{self, Composition};
use ishc_core::roster::member::{self, Flag, LeaveReason, ListQuery, Member, MemberInput, MemberPatch, Role, RosterRow};
use ishc_core::overview::{self, Overview};
use ishc_core::roster::preset::{self, TargetPreset};
use ishc_core::roster::import::{self, ImportOptions, ImportReport};
use ishc_core::books::{
    self, Balances, Cashbook, CountInput, CountResult, DuesGrid, Entry, Fund, MonthClose, PaymentInput, ReceiptInput,
};
use ishc_core::life::activity::{self, Activity, ActivityInput, ActivityQuery};
use ishc_core::life::{decision::{self, DecisionInput, DecisionSaved}, meeting::{self, Meeting, MeetingInput, MeetingRow, MeetingSaved, YearGrid}};
use ishc_core::life::standard::{self, Standard};
use ishc_core::loans::{self, ApplyInput, Loan, LoanCard, LoanRow, LoanRules, LoanSaved, Portfolio, RepayMode, RepaySaved, WaitingRow};
use ishc_core::files::{self, Destination};
use ishc_core::store::backup::{self, AutoBackup, BackupFile, BackupInfo, Generation, Restored};
use ishc_core::i18n::Lang;
use ishc_core::signing::bundle::{self, BundleRecord, Exported, VerifyReport};
use ishc_core::signing::key::{self, ClubKey, KeyRotation};
use ishc_core::reporting::notice::{self, CodeFound, NoticePreview};
use ishc_core::reporting::{self, statement, Preview, ReportOptions};
use ishc_core::auth::{self, AuthSettings, SignIn};
use ishc_core::error::Field;
use ishc_core::store::audit::{self, AuditEntry};
use ishc_core::{Actor, CoreError};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::session::{Session, Status};

pub mod commune;
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
    if s.commune.is_some() {
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

#[tauri::command]
pub fn fund_balances(s: State<'_, Session>, club_id: i64, at: Option<NaiveDate>) -> Api<Balances> {
    Ok(s.with_store(false, |st| books::balances(st, club_id, at))?)
}

#[tauri::command]
pub fn fund_cashbook(s: State<'_, Session>, club_id: i64, fund: Option<Fund>, from: NaiveDate, to: NaiveDate) -> Api<Cashbook> {
    Ok(s.with_store(false, |st| books::cashbook(st, club_id, fund, from, to))?)
}

#[tauri::command]
pub fn fund_receipt(s: State<'_, Session>, club_id: i64, input: ReceiptInput) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::receipt(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn fund_payment(s: State<'_, Session>, club_id: i64, input: PaymentInput) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::payment(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn fund_reverse(s: State<'_, Session>, club_id: i64, voucher: String, on: NaiveDate, reason: String) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::reverse(st, &s.actor()?, club_id, &voucher, on, &reason))?)
}

#[tauri::command]
pub fn fund_count(s: State<'_, Session>, club_id: i64, input: CountInput) -> Api<CountResult> {
    Ok(s.with_store(false, |st| books::cash_count(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn fund_bank_check(s: State<'_, Session>, club_id: i64, input: CountInput, statement: i64) -> Api<CountResult> {
    Ok(s.with_store(false, |st| books::bank_check(st, &s.actor()?, club_id, &input, statement))?)
}

#[tauri::command]
pub fn fund_counts(s: State<'_, Session>, club_id: i64) -> Api<Vec<books::CountRow>> {
    Ok(s.with_store(false, |st| books::counts(st, club_id))?)
}

#[tauri::command]
pub fn fund_dues_grid(s: State<'_, Session>, club_id: i64, month: String) -> Api<DuesGrid> {
    Ok(s.with_store(false, |st| books::dues_grid(st, club_id, &month))?)
}

#[tauri::command]
pub fn fund_dues(
    s: State<'_, Session>,
    club_id: i64,
    fund: Fund,
    month: String,
    member_ids: Vec<i64>,
    on: NaiveDate,
) -> Api<Entry> {
    Ok(s.with_store(false, |st| books::record_dues(st, &s.actor()?, club_id, fund, &month, &member_ids, on))?)
}

#[tauri::command]
pub fn fund_journal(s: State<'_, Session>, club_id: i64, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Api<Vec<Entry>> {
    Ok(s.with_store(false, |st| books::journal(st, club_id, from, to))?)
}

/// A countersigner of a month close: the sign-in she picked and the PIN she typed herself.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct Countersigner {
    sign_in_id: i64,
    pin: String,
}

/// Month close by the signed-in treasurer; each countersigner is signed in here with her own PIN
/// (a wrong one is refused and audited like any sign-in) before the core closes the month.
#[tauri::command]
pub fn fund_close(s: State<'_, Session>, club_id: i64, month: String, countersigners: Vec<Countersigner>) -> Api<MonthClose> {
    let closer = s.actor()?;
    Ok(s.with_store(false, |st| {
        let mut confirmed_by = Vec::with_capacity(countersigners.len());
        for c in &countersigners {
            confirmed_by.push(auth::sign_in_id_at(st, club_id, c.sign_in_id, &c.pin, chrono::Utc::now())?);
        }
        books::close_month(st, &closer, club_id, &month, &confirmed_by)
    })?)
}

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

#[tauri::command]
pub fn loan_rules(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<LoanRules> {
    Ok(s.with_store(false, |st| loans::rules_on(st, club_id, at))?)
}

#[tauri::command]
pub fn loan_set_rules(s: State<'_, Session>, club_id: i64, rules: LoanRules) -> Api<LoanRules> {
    Ok(s.with_store(false, |st| loans::set_rules(st, &s.actor()?, club_id, &rules))?)
}

#[tauri::command]
pub fn loan_apply(s: State<'_, Session>, club_id: i64, input: ApplyInput) -> Api<Loan> {
    Ok(s.with_store(false, |st| loans::apply(st, &s.actor()?, club_id, &input))?)
}

#[tauri::command]
pub fn loan_approve(s: State<'_, Session>, club_id: i64, id: i64, meeting_id: i64) -> Api<LoanSaved> {
    Ok(s.with_store(false, |st| loans::approve(st, &s.actor()?, club_id, id, meeting_id))?)
}

#[tauri::command]
pub fn loan_disburse(s: State<'_, Session>, club_id: i64, id: i64, on: NaiveDate) -> Api<Loan> {
    Ok(s.with_store(false, |st| loans::disburse(st, &s.actor()?, club_id, id, on))?)
}

#[tauri::command]
pub fn loan_repay(s: State<'_, Session>, club_id: i64, id: i64, amount: i64, on: NaiveDate, mode: RepayMode) -> Api<RepaySaved> {
    Ok(s.with_store(false, |st| loans::repay(st, &s.actor()?, club_id, id, amount, on, mode))?)
}

#[tauri::command]
pub fn loan_card(s: State<'_, Session>, club_id: i64, id: i64, at: NaiveDate) -> Api<LoanCard> {
    Ok(s.with_store(false, |st| loans::card(st, club_id, id, at))?)
}

#[tauri::command]
pub fn loan_list(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<Vec<LoanRow>> {
    Ok(s.with_store(false, |st| loans::list(st, club_id, at))?)
}

#[tauri::command]
pub fn loan_waiting(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<Vec<WaitingRow>> {
    Ok(s.with_store(false, |st| loans::waiting_list(st, club_id, at))?)
}

#[tauri::command]
pub fn loan_portfolio(s: State<'_, Session>, club_id: i64, at: NaiveDate) -> Api<Portfolio> {
    Ok(s.with_store(false, |st| loans::portfolio(st, club_id, at))?)
}

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
pub fn destinations() -> Vec<Destination> {
    files::destinations()
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

/// The local backups beside the books, and how the last automatic one went.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct BackupState {
    folder: String,
    generations: Vec<Generation>,
    /// Why the last automatic backup of this session failed (none when it worked or none ran yet).
    last_auto_error: Option<ApiError>,
}

#[tauri::command]
pub fn backup_state(s: State<'_, Session>) -> Api<BackupState> {
    let folder = backup::backups_dir(&s.db_path);
    let generations = backup::generations(Some(&s.db_path), &folder)?;
    let last = s.last_auto_error.lock().map_err(|_| CoreError::Storage { detail: "lock poisoned".into() })?.clone();
    Ok(BackupState { folder: folder.display().to_string(), generations, last_auto_error: last.map(ApiError::from) })
}

/// A local backup now (the same as when the window closes).
#[tauri::command]
pub fn backup_now(s: State<'_, Session>) -> Api<Option<AutoBackup>> {
    Ok(s.auto_backup(false)?)
}

/// An encrypted backup onto the USB stick (or a folder typed).
#[tauri::command]
pub fn backup_export(s: State<'_, Session>, dir: String, passphrase: String) -> Api<BackupInfo> {
    Ok(s.with_store(false, |st| backup::backup_to_stick(st, std::path::Path::new(&dir), &passphrase, st.today()))?)
}

/// The backups on a stick (by their names; nothing is opened).
#[tauri::command]
pub fn backup_files(dir: String) -> Api<Vec<BackupFile>> {
    Ok(backup::backup_files(std::path::Path::new(&dir))?)
}

#[tauri::command]
pub fn backup_restore(
    s: State<'_, Session>,
    path: String,
    passphrase: Option<String>,
    confirmed: bool,
) -> Api<Restored> {
    Ok(s.restore(std::path::Path::new(&path), passphrase.as_deref().filter(|p| !p.is_empty()), confirmed, &s.actor()?)?)
}

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
