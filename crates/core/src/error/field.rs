//! What a person typed wrong: the field (`<entity>.<field>`, labelled in the catalogue) and the rule
//! it broke. Split from `error.rs`; both are re-exported there (`crate::error::{Field, Rule}`).

use serde::Serialize;
use ts_rs::TS;

/// A field the user can get wrong. The code is `<entity>.<field>`; its label lives in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum Field {
    #[serde(rename = "actor")]
    Actor,
    #[serde(rename = "auth.pin")]
    Pin,
    #[serde(rename = "auth.new_pin")]
    NewPin,
    #[serde(rename = "auth.recovery_code")]
    RecoveryCode,
    #[serde(rename = "auth.lock_minutes")]
    LockMinutes,
    #[serde(rename = "auth.chair_handles_money")]
    ChairHandlesMoney,
    #[serde(rename = "notice.chain_code")]
    ChainCode,
    #[serde(rename = "club.name")]
    ClubName,
    #[serde(rename = "club.hamlet")]
    ClubHamlet,
    #[serde(rename = "club.commune")]
    ClubCommune,
    #[serde(rename = "club.district")]
    ClubDistrict,
    #[serde(rename = "club.province")]
    ClubProvince,
    #[serde(rename = "club.founded_on")]
    ClubFoundedOn,
    #[serde(rename = "club.rounding_unit")]
    ClubRoundingUnit,
    #[serde(rename = "club.target_preset")]
    ClubTargetPreset,
    #[serde(rename = "club.report_deadline")]
    ClubReportDeadline,
    #[serde(rename = "member.full_name")]
    MemberFullName,
    #[serde(rename = "member.sex")]
    MemberSex,
    #[serde(rename = "member.birth")]
    MemberBirth,
    #[serde(rename = "member.ethnicity")]
    MemberEthnicity,
    #[serde(rename = "member.phone")]
    MemberPhone,
    #[serde(rename = "member.hamlet")]
    MemberHamlet,
    #[serde(rename = "member.joined_on")]
    MemberJoinedOn,
    #[serde(rename = "member.left_on")]
    MemberLeftOn,
    #[serde(rename = "member.leave_reason")]
    MemberLeaveReason,
    #[serde(rename = "member.consent_on")]
    MemberConsentOn,
    #[serde(rename = "member.flag")]
    MemberFlag,
    #[serde(rename = "member.role")]
    MemberRole,
    #[serde(rename = "date")]
    Date,
    #[serde(rename = "demo.years")]
    DemoYears,
    #[serde(rename = "demo.members")]
    DemoMembers,
    #[serde(rename = "preset")]
    Preset,
    #[serde(rename = "ledger.amount")]
    LedgerAmount,
    #[serde(rename = "ledger.date")]
    LedgerDate,
    #[serde(rename = "ledger.fund")]
    LedgerFund,
    #[serde(rename = "ledger.source")]
    LedgerSource,
    #[serde(rename = "ledger.area")]
    LedgerArea,
    #[serde(rename = "ledger.reason")]
    LedgerReason,
    #[serde(rename = "ledger.memo")]
    LedgerMemo,
    #[serde(rename = "ledger.notes")]
    LedgerNotes,
    #[serde(rename = "ledger.counted_by")]
    LedgerCountedBy,
    #[serde(rename = "ledger.witness")]
    LedgerWitness,
    #[serde(rename = "ledger.month")]
    LedgerMonth,
    #[serde(rename = "ledger.members")]
    LedgerMembers,
    #[serde(rename = "ledger.confirmed_by")]
    LedgerConfirmedBy,
    #[serde(rename = "club.monthly_due")]
    ClubMonthlyDue,
    #[serde(rename = "meeting.held_on")]
    MeetingDate,
    #[serde(rename = "meeting.place")]
    MeetingPlace,
    #[serde(rename = "meeting.minutes")]
    MeetingMinutes,
    #[serde(rename = "meeting.chaired_by")]
    MeetingChair,
    #[serde(rename = "meeting.kind")]
    MeetingKind,
    #[serde(rename = "meeting.topic")]
    MeetingTopic,
    #[serde(rename = "meeting.present")]
    MeetingPresent,
    #[serde(rename = "decision.text")]
    DecisionText,
    #[serde(rename = "decision.member")]
    DecisionMember,
    #[serde(rename = "decision.amount")]
    DecisionAmount,
    #[serde(rename = "decision.kind")]
    DecisionKind,
    #[serde(rename = "activity.kind")]
    ActivityKind,
    #[serde(rename = "activity.subkind")]
    ActivitySubkind,
    #[serde(rename = "activity.held_on")]
    ActivityDate,
    #[serde(rename = "activity.person")]
    ActivityPerson,
    #[serde(rename = "activity.by")]
    ActivityBy,
    #[serde(rename = "activity.people")]
    ActivityPeople,
    #[serde(rename = "activity.value")]
    ActivityValue,
    #[serde(rename = "activity.note")]
    ActivityNote,
    #[serde(rename = "year")]
    Year,
    #[serde(rename = "report.period")]
    ReportPeriod,
    #[serde(rename = "report.format")]
    ReportFormat,
    #[serde(rename = "report.out")]
    ReportOut,
    #[serde(rename = "loan.amount")]
    LoanAmount,
    /// The amount of one repayment (not the amount lent).
    #[serde(rename = "loan.repay_amount")]
    LoanRepayAmount,
    #[serde(rename = "loan.months")]
    LoanMonths,
    #[serde(rename = "loan.purpose")]
    LoanPurpose,
    #[serde(rename = "loan.rate")]
    LoanRate,
    #[serde(rename = "loan.method")]
    LoanMethod,
    #[serde(rename = "loan.repayment")]
    LoanRepayment,
    #[serde(rename = "loan.cap")]
    LoanCap,
    #[serde(rename = "loan.penalty")]
    LoanPenalty,
    #[serde(rename = "loan.meeting")]
    LoanMeeting,
    #[serde(rename = "loan.date")]
    LoanDate,
    #[serde(rename = "loan.reason")]
    LoanReason,
    #[serde(rename = "loan.in_kind")]
    LoanInKind,
    #[serde(rename = "loan.note")]
    LoanNote,
    /// The passphrase that unlocks the club's signing key.
    #[serde(rename = "key.passphrase")]
    Passphrase,
    /// The passphrase for a new key (rotation).
    #[serde(rename = "key.new_passphrase")]
    NewPassphrase,
    /// A report bundle's period label (part of the file name).
    #[serde(rename = "bundle.period")]
    BundlePeriod,
    /// The last day of a report bundle's period.
    #[serde(rename = "bundle.period_to")]
    BundlePeriodTo,
    /// The passphrase that encrypts a backup for the USB stick (`store::backup`).
    #[serde(rename = "backup.passphrase")]
    BackupPassphrase,
    /// The commune's organisation unit in DHIS2 (a UID or code), for the roll-up's export.
    #[serde(rename = "rollup.org_unit")]
    RollupOrgUnit,
    /// A key's fingerprint as typed from a printed key card.
    #[serde(rename = "key.fingerprint")]
    KeyFingerprint,
    /// Which level an inbox is: commune, district or province.
    #[serde(rename = "commune.level")]
    CommuneLevel,
    /// The name of a district's or a province's inbox.
    #[serde(rename = "commune.level_name")]
    CommuneLevelName,
}

/// The rule a field broke, with what is needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    Required,
    TooLong { max: u32 },
    NotNfcDecodable,
    DateFormat,
    InFuture { today: String },
    BeforeFounding { founded_on: String },
    BeforeDate { other: String },
    OneOf { allowed: Vec<String> },
    Range { min: i64, max: i64 },
    Unknown { value: String },
    /// The field must stay empty here (for example, no notes on a health check).
    NotAllowed,
    /// At least `min` characters (a passphrase).
    TooShort { min: u32 },
    /// Only these characters, like the example (a label that becomes part of a file name).
    Characters { example: String },
    /// Not a number at all ("abc").
    NotANumber,
    /// A minus sign where only a positive amount makes sense.
    Negative,
    /// Money typed with a decimal part (`1,5`, `1.000.000,5`): whole đồng only, never guessed.
    MoneyDecimal,
    /// Digit groups that are not three digits (`5.00.000`): never guessed.
    MoneyGroups,
    /// An amount of money outside its range, said in đồng.
    MoneyRange { min_amount: i64, max_amount: i64 },
    /// A month that does not read as one (`11/2026` or `2026-11`).
    MonthFormat,
    /// A year of birth written with two digits (`12/5/60`: 1960 or 2060?) or not as a year: never guessed.
    FourDigitYear,
    /// A character that may not be stored (a control, bidi-override or invisible character).
    ForbiddenCharacter { character: String, position: u32 },
    /// A PIN is `min` to `max` digits, nothing else.
    PinDigits { min: u32, max: u32 },
}
