//! Typed errors with stable codes. The core never builds sentences: the CLI and the window turn
//! `{code, params}` into words through `assets/i18n/*.json` (see `crate::i18n`).

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

mod field;
pub use field::{Field, Rule};

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, TS)]
#[serde(tag = "code", content = "params")]
pub enum CoreError {
    #[error("{field:?}: {rule:?}")]
    #[serde(rename = "input.invalid")]
    Invalid { field: Field, rule: Rule },

    #[error("database not found at {path}")]
    #[serde(rename = "db.not_found")]
    DbNotFound { path: String },
    #[error("database at {path} cannot be written")]
    #[serde(rename = "db.read_only")]
    DbReadOnly { path: String },
    #[error("database at {path} is not a ledger database or is damaged: {detail}")]
    #[serde(rename = "db.corrupt")]
    DbCorrupt { path: String, detail: String },
    #[error("database schema version {found} is newer than this app ({supported})")]
    #[serde(rename = "db.too_new")]
    DbTooNew { found: i64, supported: i64 },
    #[error("the books are open in another window")]
    #[serde(rename = "db.in_use")]
    DbInUse { path: String },
    #[error("storage error: {detail}")]
    #[serde(rename = "db.storage")]
    Storage { detail: String },
    /// A stored value the app cannot read (a damaged disk, or a change behind the app's back):
    /// never replaced by a default.
    #[error("{table}.{column} of row {row} holds {value:?}, which cannot be read")]
    #[serde(rename = "db.damaged")]
    DbDamaged { table: String, row: i64, column: String, value: String },
    /// A trigger that guards the books is missing or was changed: the app refuses to write.
    #[error("the safeguard {name} of the books is missing or changed")]
    #[serde(rename = "db.trigger_missing")]
    DbTriggerMissing { name: String },

    /// A change that wrote to the books but left no row in the audit trail: refused, never
    /// committed (`Store::write`), so "every change is audited" cannot be forgotten by new code.
    #[error("a change to {table} was not written to the audit trail")]
    #[serde(rename = "db.unaudited")]
    DbUnaudited { table: String },

    #[error("{path} is not a regular file")]
    #[serde(rename = "file.not_regular")]
    FileNotRegular { path: String },
    #[error("{path} is larger than {max_kib} KiB")]
    #[serde(rename = "file.too_large")]
    FileTooLarge { path: String, max_kib: u64 },
    #[error("cannot read {path}: {detail}")]
    #[serde(rename = "file.unreadable")]
    FileUnreadable { path: String, detail: String },

    #[error("the books already hold {clubs} club(s): a demo goes into new books")]
    #[serde(rename = "demo.not_empty")]
    DemoNotEmpty { clubs: i64 },
    #[error("no club in this database")]
    #[serde(rename = "club.none")]
    NoClub,
    #[error("{count} clubs in this database: choose one")]
    #[serde(rename = "club.ambiguous")]
    ClubAmbiguous { count: i64 },
    #[error("club {id} not found")]
    #[serde(rename = "club.not_found")]
    ClubNotFound { id: i64 },

    #[error("member {id} not found")]
    #[serde(rename = "member.not_found")]
    MemberNotFound { id: i64 },
    #[error("a member named {full_name} born {birth_year} already exists ({existing_id})")]
    #[serde(rename = "member.duplicate")]
    MemberDuplicate { full_name: String, birth_year: i32, existing_id: i64 },
    #[error("member {id} left the club on {left_on}")]
    #[serde(rename = "member.has_left")]
    MemberHasLeft { id: i64, left_on: String },

    #[error("member {id} joined on {joined_on}")]
    #[serde(rename = "member.not_yet")]
    MemberNotYet { id: i64, full_name: String, joined_on: String },

    #[error("no meeting {id}")]
    #[serde(rename = "meeting.not_found")]
    MeetingNotFound { id: i64 },
    #[error("a meeting of this kind on {held_on} is already recorded ({existing_id})")]
    #[serde(rename = "meeting.duplicate")]
    MeetingDuplicate { existing_id: i64, held_on: String },
    #[error("a monthly meeting on {held_on} is already recorded this month ({existing_id}); confirm a second one")]
    #[serde(rename = "meeting.second_in_month")]
    MeetingSecondInMonth { existing_id: i64, held_on: String },
    #[error("no loan {id}")]
    #[serde(rename = "loan.not_found")]
    LoanNotFound { id: i64 },
    #[error("loan {id} is {status}, not {needed}")]
    #[serde(rename = "loan.wrong_status")]
    LoanWrongStatus { id: i64, status: String, needed: String },
    #[error("{amount} is over the cap of {cap} per member")]
    #[serde(rename = "loan.over_cap")]
    LoanOverCap { amount: i64, cap: i64 },
    #[error("{full_name} already has loan {loan_id} and the rules allow one at a time")]
    #[serde(rename = "loan.already_active")]
    LoanAlreadyActive { member_id: i64, full_name: String, loan_id: i64 },
    #[error("{amount} is more than the {owed} owed on loan {id}")]
    #[serde(rename = "loan.overpaid")]
    LoanOverpaid { id: i64, owed: i64, amount: i64 },
    #[error("nothing is owed on loan {id}")]
    #[serde(rename = "loan.nothing_owed")]
    LoanNothingOwed { id: i64 },
    #[error("no activity {id}")]
    #[serde(rename = "activity.not_found")]
    ActivityNotFound { id: i64 },

    #[error("the file cannot be read as a table: {detail}")]
    #[serde(rename = "import.unreadable")]
    ImportUnreadable { detail: String },
    #[error("no header row with a name column in the first rows")]
    #[serde(rename = "import.no_header")]
    ImportNoHeader,
    #[error("{error_rows} rows have problems: nothing was imported")]
    #[serde(rename = "import.has_errors")]
    ImportHasErrors { error_rows: u32 },
    #[error("the file holds no member rows")]
    #[serde(rename = "import.empty")]
    ImportEmpty,
    #[error("the sheet has more than {max} member rows")]
    #[serde(rename = "import.too_many_rows")]
    ImportTooManyRows { max: u32 },
    #[error("cell {cell} is outside the first {max_rows} rows and {max_columns} columns")]
    #[serde(rename = "import.cell_out_of_range")]
    ImportCellOutOfRange { cell: String, max_rows: u32, max_columns: u32 },
    #[error("the workbook unpacks to more than {max_mib} MiB")]
    #[serde(rename = "import.sheet_too_large")]
    ImportSheetTooLarge { max_mib: u64 },
    #[error(".{extension} workbooks are not read: save as XLSX or CSV")]
    #[serde(rename = "import.format")]
    ImportFormat { extension: String },

    #[error("not enough {account} in the {fund} fund on {on}: {available} available, {needed} needed")]
    #[serde(rename = "ledger.cash_short")]
    LedgerCashShort { fund: String, account: String, on: String, available: i64, needed: i64 },
    #[error("{month} is closed")]
    #[serde(rename = "ledger.month_closed")]
    LedgerMonthClosed { month: String, date: String },
    #[error("the {fund} fund was counted on {counted_on}: nothing can be dated on or before it")]
    #[serde(rename = "ledger.before_count")]
    LedgerBeforeCount { fund: String, counted_on: String, date: String },
    #[error("no voucher {voucher}")]
    #[serde(rename = "ledger.not_found")]
    LedgerNotFound { voucher: String },
    #[error("voucher {voucher} was already reversed by {by}")]
    #[serde(rename = "ledger.already_reversed")]
    LedgerAlreadyReversed { voucher: String, by: String },
    #[error("voucher {voucher} is itself a correction")]
    #[serde(rename = "ledger.reverse_reversal")]
    LedgerReverseReversal { voucher: String },
    #[error("the sum is too large")]
    #[serde(rename = "ledger.overflow")]
    LedgerOverflow,
    #[error("member {member_id} already paid dues for {month}")]
    #[serde(rename = "ledger.dues_paid")]
    LedgerDuesPaid { member_id: i64, full_name: String, month: String },
    #[error("{month} cannot be closed before a cash count of the {fund} fund in it")]
    #[serde(rename = "ledger.close_needs_count")]
    LedgerCloseNeedsCount { fund: String, month: String },
    #[error("{name} does not hold the role {role} needed to close {month}")]
    #[serde(rename = "ledger.close_role")]
    LedgerCloseRole { name: String, role: String, month: String },
    #[error("a month close needs {needed} confirmations, {given} given")]
    #[serde(rename = "ledger.close_confirmers")]
    LedgerCloseConfirmers { needed: u32, given: u32 },
    #[error("the two who confirm closing {month} must be two people other than the treasurer")]
    #[serde(rename = "ledger.close_same_person")]
    LedgerCloseSamePerson { month: String },
    #[error("{month} cannot be closed before it ends")]
    #[serde(rename = "ledger.close_too_early")]
    LedgerCloseTooEarly { month: String },
    #[error("{month} is already closed")]
    #[serde(rename = "ledger.already_closed")]
    LedgerAlreadyClosed { month: String },

    #[error("club {club_id} already has signing key {key_id}")]
    #[serde(rename = "key.exists")]
    KeyExists { club_id: i64, key_id: String },
    #[error("club {club_id} has no signing key")]
    #[serde(rename = "key.missing")]
    KeyMissing { club_id: i64 },
    #[error("wrong passphrase for the club key")]
    #[serde(rename = "key.wrong_passphrase")]
    KeyWrongPassphrase { field: Field },
    #[error("not a minisign public key: {detail}")]
    #[serde(rename = "key.invalid")]
    KeyInvalid { detail: String },
    #[error("the stored club key {key_id} is damaged: {detail}")]
    #[serde(rename = "key.damaged")]
    KeyDamaged { key_id: String, detail: String },
    #[error("the signing library failed: {detail}")]
    #[serde(rename = "key.failed")]
    KeyFailed { detail: String },

    #[error("the bundle holds no report file")]
    #[serde(rename = "bundle.empty")]
    BundleEmpty,
    #[error("folder {path} does not exist")]
    #[serde(rename = "bundle.folder_missing")]
    BundleFolderMissing { path: String },
    #[error("folder {path} cannot be written: {detail}")]
    #[serde(rename = "bundle.folder_not_writable")]
    BundleFolderNotWritable { path: String, detail: String },
    #[error("{path} already exists")]
    #[serde(rename = "bundle.exists")]
    BundleExists { path: String },
    #[error("writing {path} failed: {detail}")]
    #[serde(rename = "bundle.write_failed")]
    BundleWriteFailed { path: String, detail: String },
    #[error("{path} did not read back as written: {detail}")]
    #[serde(rename = "bundle.readback_failed")]
    BundleReadbackFailed { path: String, detail: String },
    #[error("{path} cannot be read: {detail}")]
    #[serde(rename = "bundle.read_failed")]
    BundleReadFailed { path: String, detail: String },
    #[error("not a zip file: {detail}")]
    #[serde(rename = "bundle.not_zip")]
    BundleNotZip { detail: String },
    #[error("{count} files in the bundle, at most {max}")]
    #[serde(rename = "bundle.too_many_files")]
    BundleTooManyFiles { count: u32, max: u32 },
    #[error("{name} is larger than {max_mib} MiB")]
    #[serde(rename = "bundle.too_large")]
    BundleTooLarge { name: String, max_mib: u32 },
    #[error("the bundle is larger than {max_mib} MiB")]
    #[serde(rename = "bundle.total_too_large")]
    BundleTotalTooLarge { max_mib: u32 },
    #[error("unsafe file name {name}")]
    #[serde(rename = "bundle.unsafe_path")]
    BundleUnsafePath { name: String },
    #[error("{name} is a folder")]
    #[serde(rename = "bundle.directory")]
    BundleDirectory { name: String },
    #[error("{name} is a link or a special file")]
    #[serde(rename = "bundle.link")]
    BundleLink { name: String },
    #[error("{name} is in the bundle twice")]
    #[serde(rename = "bundle.duplicate")]
    BundleDuplicate { name: String },
    #[error("{name} is damaged: {detail}")]
    #[serde(rename = "bundle.damaged")]
    BundleDamaged { name: String, detail: String },
    #[error("{name} is missing")]
    #[serde(rename = "bundle.missing")]
    BundleMissing { name: String },
    #[error("club.pub in the bundle is not a public key: {detail}")]
    #[serde(rename = "bundle.bad_public_key")]
    BundleBadPublicKey { name: String, detail: String },
    /// `expected` and `found` are the two keys' fingerprints (`key::fingerprint`), which differ
    /// even when their key ids are equal.
    #[error("the bundle's key {found} is not the club's key {expected}")]
    #[serde(rename = "bundle.key_mismatch")]
    BundleKeyMismatch { expected: String, found: String },
    #[error("the signature of {name} does not match: {detail}")]
    #[serde(rename = "bundle.bad_signature")]
    BundleBadSignature { name: String, detail: String },
    #[error("manifest.json cannot be read: {detail}")]
    #[serde(rename = "bundle.bad_manifest")]
    BundleBadManifest { detail: String },
    #[error("unknown bundle format {format} version {version}")]
    #[serde(rename = "bundle.unknown_version")]
    BundleUnknownVersion { format: String, version: String },
    #[error("the manifest names key {manifest_key_id}, it was signed with {key_id}")]
    #[serde(rename = "bundle.key_id_mismatch")]
    BundleKeyIdMismatch { manifest_key_id: String, key_id: String },
    #[error("the manifest gives the fingerprint {manifest_fingerprint}, the signing key's is {fingerprint}")]
    #[serde(rename = "bundle.fingerprint_mismatch")]
    BundleFingerprintMismatch { manifest_fingerprint: String, fingerprint: String },
    #[error("the key change in the manifest does not check out: {detail}")]
    #[serde(rename = "bundle.bad_rotation")]
    BundleBadRotation { detail: String },
    #[error("{name} is not the file that was signed")]
    #[serde(rename = "bundle.digest_mismatch")]
    BundleDigestMismatch { name: String },
    #[error("{name} is in the bundle but not in the manifest")]
    #[serde(rename = "bundle.extra")]
    BundleExtra { name: String },
    #[error("the zip container was altered")]
    #[serde(rename = "bundle.altered_container")]
    BundleAlteredContainer,

    #[error("no sign-in named {name}")]
    #[serde(rename = "auth.unknown")]
    AuthUnknown { name: String },
    #[error("no sign-in {id}")]
    #[serde(rename = "auth.not_found")]
    AuthNotFound { id: i64 },
    /// The PIN was wrong; the next attempt may come after `wait_seconds`.
    #[error("wrong PIN for {name} ({failures} failures); wait {wait_seconds} s")]
    #[serde(rename = "auth.wrong_pin")]
    AuthWrongPin { name: String, failures: u32, wait_seconds: u64 },
    /// Too soon after a wrong PIN: the PIN was not even checked.
    #[error("{name} must wait {wait_seconds} s before trying again")]
    #[serde(rename = "auth.too_soon")]
    AuthTooSoon { name: String, wait_seconds: u64 },
    /// The acting person holds none of `roles` (role codes) needed for `action` (a permission code).
    #[error("{action} needs one of the roles {roles:?}")]
    #[serde(rename = "auth.forbidden")]
    AuthForbidden { action: String, roles: Vec<String> },
    #[error("a sign-in named {name} already exists")]
    #[serde(rename = "auth.name_taken")]
    AuthNameTaken { name: String },
    #[error("the club's sign-ins are already set up")]
    #[serde(rename = "auth.setup_done")]
    AuthSetupDone,
    /// A write came from a window or command that nobody has signed in to (or that has locked).
    #[error("sign in first")]
    #[serde(rename = "auth.signed_out")]
    AuthSignedOut,
    #[error("the club already has members: the chairperson sets her PIN from the roster")]
    #[serde(rename = "auth.setup_roster")]
    AuthSetupRoster,
    /// A countersigner of a month close who did not confirm with her own PIN.
    #[error("{name} did not confirm with a PIN")]
    #[serde(rename = "ledger.confirmer_signed_out")]
    LedgerConfirmerSignedOut { name: String },
    /// A printed notice's chain code that the books no longer hold: rewritten, or mistyped.
    #[error("the code {code} is not in the books")]
    #[serde(rename = "notice.code_missing")]
    NoticeCodeMissing { code: String },
    #[error("the chairperson must set a PIN first")]
    #[serde(rename = "auth.setup_needed")]
    AuthSetupNeeded,
    /// Set-up and recovery are for the chairperson or vice-chair as the roster has them today.
    #[error("{name} is not the chairperson or vice-chair today")]
    #[serde(rename = "auth.not_chair")]
    AuthNotChair { name: String },
    #[error("the recovery code is wrong")]
    #[serde(rename = "auth.wrong_recovery")]
    AuthWrongRecovery,
    #[error("the club has no recovery code")]
    #[serde(rename = "auth.no_recovery")]
    AuthNoRecovery,
    #[error("the PIN library failed: {detail}")]
    #[serde(rename = "auth.failed")]
    AuthFailed { detail: String },

    // Backups and restore (`store::backup`).
    #[error("{path} already exists")]
    #[serde(rename = "backup.exists")]
    BackupExists { path: String },
    #[error("folder {path} does not exist")]
    #[serde(rename = "backup.folder_missing")]
    BackupFolderMissing { path: String },
    #[error("writing the backup {path} failed: {detail}")]
    #[serde(rename = "backup.write_failed")]
    BackupWriteFailed { path: String, detail: String },
    #[error("{path} is not a backup of club books")]
    #[serde(rename = "backup.not_ours")]
    BackupNotOurs { path: String },
    #[error("{path} was made by a newer app (schema {found}, this app reads up to {supported})")]
    #[serde(rename = "backup.too_new")]
    BackupTooNew { path: String, found: i64, supported: i64 },
    #[error("{path} is damaged: {detail}")]
    #[serde(rename = "backup.damaged")]
    BackupDamaged { path: String, detail: String },
    /// The books in the backup do not pass `check::run`; `problems` are what it found.
    #[error("the books in {path} do not pass the check: {count} problem(s)")]
    #[serde(rename = "backup.check_failed")]
    BackupCheckFailed { path: String, count: u32, problems: Vec<crate::notice::Notice> },
    #[error("{path} is larger than {max_mib} MiB")]
    #[serde(rename = "backup.too_large")]
    BackupTooLarge { path: String, max_mib: u64 },
    #[error("{path} is encrypted: its passphrase is needed")]
    #[serde(rename = "backup.passphrase_needed")]
    BackupPassphraseNeeded { path: String, field: Field },
    #[error("wrong passphrase for {path}")]
    #[serde(rename = "backup.wrong_passphrase")]
    BackupWrongPassphrase { path: String, field: Field },
    #[error("{path} cannot be decrypted: {detail}")]
    #[serde(rename = "backup.undecryptable")]
    BackupUndecryptable { path: String, detail: String },
    /// The backup's clubs (names) are not the current books' clubs: restoring needs a confirmation.
    #[error("the backup holds {backup:?}, these books hold {current:?}")]
    #[serde(rename = "backup.other_club")]
    BackupOtherClub { backup: Vec<String>, current: Vec<String> },
    /// The current books cannot be read, so their clubs cannot be compared: restoring needs a confirmation.
    #[error("the books at {path} cannot be read ({detail})")]
    #[serde(rename = "backup.current_unreadable")]
    BackupCurrentUnreadable { path: String, detail: String },
    #[error("restoring into {path} failed: {detail}")]
    #[serde(rename = "backup.restore_failed")]
    BackupRestoreFailed { path: String, detail: String },
    #[error("removing the old backup {path} failed: {detail}")]
    #[serde(rename = "backup.prune_failed")]
    BackupPruneFailed { path: String, detail: String },
    #[error("{path} is a club ledger, not a commune ledger")]
    #[serde(rename = "commune.wrong_file")]
    CommuneWrongFile { path: String },
    #[error("this ledger holds no commune yet")]
    #[serde(rename = "commune.missing")]
    CommuneMissing,
    #[error("this ledger already holds the commune {name}")]
    #[serde(rename = "commune.exists")]
    CommuneExists { name: String },
    /// Only what was typed is named, never the key's fingerprint: the officer must read the card.
    #[error("the fingerprint typed, {typed}, is not the key's")]
    #[serde(rename = "commune.fingerprint_mismatch")]
    CommuneFingerprintMismatch { typed: String },
    #[error("this key is already registered to {club}")]
    #[serde(rename = "commune.key_registered")]
    CommuneKeyRegistered { club: String },
    #[error("a club named {name} is already registered")]
    #[serde(rename = "commune.club_exists")]
    CommuneClubExists { name: String },
    #[error("no registered club {id}")]
    #[serde(rename = "commune.club_not_found")]
    CommuneClubNotFound { id: i64 },
    #[error("{path} does not exist")]
    #[serde(rename = "commune.path_missing")]
    CommunePathMissing { path: String },
    #[error("more than {max} files to import")]
    #[serde(rename = "commune.too_many_files")]
    CommuneTooManyFiles { max: u32 },

    #[error("unknown target preset {name}")]
    #[serde(rename = "preset.unknown")]
    PresetUnknown { name: String },
    #[error("a preset named {name} already exists")]
    #[serde(rename = "preset.exists")]
    PresetExists { name: String },

    // The commune's roll-up (`commune::rollup`).
    #[error("{name} is not a club report this app reads: {detail}")]
    #[serde(rename = "rollup.bad_report")]
    RollupBadReport { name: String, detail: String },
    #[error("the report of {name} is for {found}, not {expected}")]
    #[serde(rename = "rollup.wrong_period")]
    RollupWrongPeriod { name: String, found: String, expected: String },
    #[error("{name} ({hamlet}) is given twice")]
    #[serde(rename = "rollup.duplicate_club")]
    RollupDuplicateClub { name: String, hamlet: String },
    #[error("the sum {figure} is too large")]
    #[serde(rename = "rollup.overflow")]
    RollupOverflow { figure: String },
    #[error("the plan file cannot be read: {detail}")]
    #[serde(rename = "rollup.bad_plan")]
    RollupBadPlan { detail: String },
    #[error("the plan sets {measure} twice")]
    #[serde(rename = "rollup.duplicate_target")]
    RollupDuplicateTarget { measure: String },
    #[error("the DHIS2 mapping cannot be read: {detail}")]
    #[serde(rename = "rollup.bad_mapping")]
    RollupBadMapping { detail: String },
    #[error("the DHIS2 mapping names an unknown figure {figure}")]
    #[serde(rename = "rollup.unknown_figure")]
    RollupUnknownFigure { figure: String },
    #[error("the DHIS2 mapping maps {what} twice")]
    #[serde(rename = "rollup.duplicate_mapping")]
    RollupDuplicateMapping { what: String },
}

impl CoreError {
    pub fn invalid(field: Field, rule: Rule) -> Self {
        CoreError::Invalid { field, rule }
    }

    /// The stable code, e.g. `db.too_new`.
    pub fn code(&self) -> String {
        self.to_json()["code"].as_str().unwrap_or("unknown").to_string()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// Damage found while reading a row, as the error a `query_map` closure can return: `From` below
/// turns it back into `CoreError::DbDamaged`.
pub(crate) fn damaged(table: &str, row: i64, column: &str, value: impl ToString) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(CoreError::DbDamaged { table: table.to_string(), row, column: column.to_string(), value: value.to_string() }),
    )
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(i, t, inner) => match inner.downcast::<CoreError>() {
                Ok(core) => *core,
                Err(other) => CoreError::Storage { detail: rusqlite::Error::FromSqlConversionFailure(i, t, other).to_string() },
            },
            e => CoreError::Storage { detail: e.to_string() },
        }
    }
}
