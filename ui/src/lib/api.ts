// The window's only door to the books: one function per Tauri command in src-tauri/src/commands/.
// Every command returns the core's result; a failure rejects with an ApiError {code, params}.
import { invoke } from "@tauri-apps/api/core";
import type {
  Club, ClubInput, Composition, Flag, LeaveReason, ListQuery, Member, MemberInput, MemberPatch,
  Overview, Role, RosterRow, TargetPreset, ImportOptions, ImportReport,
  Balances, Cashbook, CountInput, CountResult, CountRow, DuesGrid, Entry, Fund, MonthClose, PaymentInput, ReceiptInput,
  Activity, ActivityInput, ActivityQuery, DecisionInput, DecisionSaved, Meeting, MeetingInput, MeetingRow, MeetingSaved,
  Standard, YearGrid, ApplyInput, Loan, LoanCard, LoanRow, LoanRules, LoanSaved, Portfolio, RepayMode, RepaySaved, WaitingRow,
  Destination, Preview, ReportOptions, NoticePreview, CodeFound, BundleRecord, ClubKey, Exported, KeyRotation, VerifyReport,
  AutoBackup, BackupFile, FoundFile, BackupInfo, Restored, AuditEntry,
  RegisteredClub, CommuneImportReport, PeriodStatus, Commune, CommuneInput, PublicKeyFile, SentBundle, CommuneCheck,
} from "./bindings";

import type { AppState, AuthState, BackupState, Collected, CommuneClubForm, Countersigner, Created, ImportProgress } from "./shell";
export type {
  ApiError, AppState, AppStatus, AuthState, BackupState, Collected, CommuneClubForm, Countersigner, Created, ImportProgress,
} from "./shell";

export const api = {
  appState: () => invoke<AppState>("app_state"),
  presets: () => invoke<TargetPreset[]>("presets"),
  /** First run: the club, its key, and its chairperson with her PIN; she is signed in after. */
  clubCreate: (input: ClubInput, chair: MemberInput, pin: string, passphrase: string) =>
    invoke<Created>("club_create", { input, chair, pin, passphrase }),
  clubUpdate: (clubId: number, input: ClubInput) =>
    invoke<Club>("club_update", { clubId, input }),
  overview: (clubId: number) => invoke<Overview>("overview", { clubId }),
  memberList: (clubId: number, query: ListQuery) => invoke<RosterRow[]>("member_list", { clubId, query }),
  memberGet: (clubId: number, id: number) => invoke<Member>("member_get", { clubId, id }),
  memberAdd: (clubId: number, input: MemberInput, allowDuplicate: boolean) =>
    invoke<Member>("member_add", { clubId, input, allowDuplicate }),
  memberEdit: (clubId: number, id: number, patch: MemberPatch) =>
    invoke<Member>("member_edit", { clubId, id, patch }),
  memberLeave: (clubId: number, id: number, on: string, reason: LeaveReason) =>
    invoke<Member>("member_leave", { clubId, id, on, reason }),
  memberSetFlag: (clubId: number, id: number, flag: Flag, active: boolean, on: string, standard: string | null) =>
    invoke<Member>("member_set_flag", { clubId, id, flag, active, on, standard }),
  memberSetRole: (clubId: number, id: number, role: Role, active: boolean, on: string) =>
    invoke<Member>("member_set_role", { clubId, id, role, active, on }),
  composition: (clubId: number, at: string | null, preset: string | null) =>
    invoke<Composition>("composition", { clubId, at, preset }),
  /** Check (commit=false) or import a member sheet; bytes are the file's content. */
  memberImport: (clubId: number, fileName: string, bytes: number[], options: ImportOptions, commit: boolean) =>
    invoke<ImportReport>("member_import", { clubId, fileName, bytes, options, commit }),
  fundBalances: (clubId: number, at: string | null) => invoke<Balances>("fund_balances", { clubId, at }),
  fundCashbook: (clubId: number, fund: Fund | null, from: string, to: string) =>
    invoke<Cashbook>("fund_cashbook", { clubId, fund, from, to }),
  fundReceipt: (clubId: number, input: ReceiptInput) => invoke<Entry>("fund_receipt", { clubId, input }),
  fundPayment: (clubId: number, input: PaymentInput) => invoke<Entry>("fund_payment", { clubId, input }),
  fundReverse: (clubId: number, voucher: string, on: string, reason: string) =>
    invoke<Entry>("fund_reverse", { clubId, voucher, on, reason }),
  fundCount: (clubId: number, input: CountInput) => invoke<CountResult>("fund_count", { clubId, input }),
  fundBankCheck: (clubId: number, input: CountInput, statement: number) =>
    invoke<CountResult>("fund_bank_check", { clubId, input, statement }),
  fundCounts: (clubId: number) => invoke<CountRow[]>("fund_counts", { clubId }),
  fundDuesGrid: (clubId: number, month: string) => invoke<DuesGrid>("fund_dues_grid", { clubId, month }),
  fundDues: (clubId: number, fund: Fund, month: string, memberIds: number[], on: string) =>
    invoke<Entry>("fund_dues", { clubId, fund, month, memberIds, on }),
  fundJournal: (clubId: number, from: string | null, to: string | null) => invoke<Entry[]>("fund_journal", { clubId, from, to }),
  /** The signed-in treasurer closes; each countersigner picked her name and typed her own PIN. */
  fundClose: (clubId: number, month: string, countersigners: Countersigner[]) =>
    invoke<MonthClose>("fund_close", { clubId, month, countersigners }),
  meetingAdd: (clubId: number, input: MeetingInput) =>
    invoke<MeetingSaved>("meeting_add", { clubId, input }),
  meetingDecide: (clubId: number, meetingId: number, input: DecisionInput) =>
    invoke<DecisionSaved>("meeting_decide", { clubId, meetingId, input }),
  meetingList: (clubId: number, year: number | null) => invoke<MeetingRow[]>("meeting_list", { clubId, year }),
  meetingGet: (clubId: number, id: number) => invoke<Meeting>("meeting_get", { clubId, id }),
  meetingGrid: (clubId: number, year: number) => invoke<YearGrid>("meeting_grid", { clubId, year }),
  activityAdd: (clubId: number, input: ActivityInput) => invoke<Activity>("activity_add", { clubId, input }),
  activityList: (clubId: number, query: ActivityQuery) => invoke<Activity[]>("activity_list", { clubId, query }),
  standard: (clubId: number, year: number, presetId: string | null) => invoke<Standard>("standard", { clubId, year, presetId }),
  loanRules: (clubId: number, at: string) => invoke<LoanRules>("loan_rules", { clubId, at }),
  loanSetRules: (clubId: number, rules: LoanRules) => invoke<LoanRules>("loan_set_rules", { clubId, rules }),
  loanApply: (clubId: number, input: ApplyInput) => invoke<Loan>("loan_apply", { clubId, input }),
  loanApprove: (clubId: number, id: number, meetingId: number) =>
    invoke<LoanSaved>("loan_approve", { clubId, id, meetingId }),
  loanDisburse: (clubId: number, id: number, on: string) => invoke<Loan>("loan_disburse", { clubId, id, on }),
  loanRepay: (clubId: number, id: number, amount: number, on: string, mode: RepayMode) =>
    invoke<RepaySaved>("loan_repay", { clubId, id, amount, on, mode }),
  loanCard: (clubId: number, id: number, at: string) => invoke<LoanCard>("loan_card", { clubId, id, at }),
  loanList: (clubId: number, at: string) => invoke<LoanRow[]>("loan_list", { clubId, at }),
  loanWaiting: (clubId: number, at: string) => invoke<WaitingRow[]>("loan_waiting", { clubId, at }),
  loanPortfolio: (clubId: number, at: string) => invoke<Portfolio>("loan_portfolio", { clubId, at }),
  reportPreview: (clubId: number, period: string, options: ReportOptions, lang: string) =>
    invoke<Preview>("report_preview", { clubId, period, options, lang }),
  fundNotice: (clubId: number, month: string, lang: string) => invoke<NoticePreview>("fund_notice", { clubId, month, lang }),
  fundNoticeCheck: (clubId: number, code: string) => invoke<CodeFound | null>("fund_notice_check", { clubId, code }),
  memberStatement: (clubId: number, memberId: number, year: number, lang: string) =>
    invoke<string>("member_statement", { clubId, memberId, year, lang }),
  reportSave: (clubId: number, period: string, options: ReportOptions, lang: string, format: string, dir: string) =>
    invoke<string>("report_save", { clubId, period, options, lang, format, dir }),
  destinations: () => invoke<Destination[]>("destinations"),
  bundleExport: (clubId: number, period: string, options: ReportOptions, lang: string, passphrase: string, dir: string) =>
    invoke<Exported>("bundle_export", { clubId, period, options, lang, passphrase, dir }),
  bundleVerify: (path: string, key: string | null) => invoke<VerifyReport>("bundle_verify", { path, key }),
  /** The bundle files (*.zip) directly in a folder or on a stick, newest first: chosen, not typed. */
  bundleFiles: (dir: string) => invoke<FoundFile[]>("bundle_files", { dir }),
  bundleList: (clubId: number) => invoke<BundleRecord[]>("bundle_list", { clubId }),
  keyShow: (clubId: number) => invoke<ClubKey | null>("key_show", { clubId }),
  keyCreate: (clubId: number, passphrase: string) => invoke<ClubKey>("key_create", { clubId, passphrase }),
  keyRotate: (clubId: number, oldPassphrase: string, newPassphrase: string) =>
    invoke<KeyRotation>("key_rotate", { clubId, oldPassphrase, newPassphrase }),
  /** The local backups beside the books and how the last automatic one went. */
  backupState: () => invoke<BackupState>("backup_state"),
  /** A local backup now (null before the first club exists). */
  backupNow: () => invoke<AutoBackup | null>("backup_now"),
  /** An encrypted backup onto the stick, read back and checked before it resolves. */
  backupExport: (dir: string, passphrase: string) => invoke<BackupInfo>("backup_export", { dir, passphrase }),
  backupFiles: (dir: string) => invoke<BackupFile[]>("backup_files", { dir }),
  /** Replace the books with a backup; confirmed: the second click, after backup.other_club. */
  backupRestore: (path: string, passphrase: string | null, confirmed: boolean) =>
    invoke<Restored>("backup_restore", { path, passphrase, confirmed }),
  /** The sign-in screen: set-up needed, the name buttons, who is signed in, idle time before locking. */
  authState: (clubId: number) => invoke<AuthState>("auth_state", { clubId }),
  /** Sign in (whoever was signed in is forgotten first); resolves to the new state. */
  authSignIn: (clubId: number, signInId: number, pin: string) => invoke<AuthState>("auth_sign_in", { clubId, signInId, pin }),
  /** Lock: the shell forgets who was signed in. */
  authLock: () => invoke<null>("auth_lock"),
  /** First PIN of books without sign-ins; resolves to the recovery code, shown once. */
  authSetupChair: (clubId: number, memberId: number, pin: string) => invoke<string>("auth_setup_chair", { clubId, memberId, pin }),
  authSetupFounder: (clubId: number, chair: MemberInput, pin: string) => invoke<string>("auth_setup_founder", { clubId, chair, pin }),
  /** Every PIN lost: the recovery code; resolves to the new recovery code, shown once. */
  authRecover: (clubId: number, code: string, memberId: number, pin: string) =>
    invoke<string>("auth_recover", { clubId, code, memberId, pin }),
  authAdd: (clubId: number, memberId: number, pin: string) => invoke<number>("auth_add", { clubId, memberId, pin }),
  authResetPin: (clubId: number, signInId: number, pin: string) => invoke<null>("auth_reset_pin", { clubId, signInId, pin }),
  authRemove: (clubId: number, signInId: number) => invoke<null>("auth_remove", { clubId, signInId }),
  authSetPin: (clubId: number, oldPin: string, newPin: string) => invoke<null>("auth_set_pin", { clubId, oldPin, newPin }),
  authSetLockMinutes: (clubId: number, lockMinutes: number) => invoke<AuthState>("auth_set_lock_minutes", { clubId, lockMinutes }),
  /** The audit trail, newest first (read-only). */
  auditList: (clubId: number, limit: number) => invoke<AuditEntry[]>("audit_list", { clubId, limit }),

  // The commune's mode (src-tauri/src/commands/commune.rs): the window opened on a commune ledger.
  /** The officer's name for this window's audit rows (no sign-ins on a commune ledger yet). */
  communeSetOfficer: (name: string) => invoke<string>("commune_set_officer", { name }),
  communeCreate: (input: CommuneInput, passphrase: string, officer: string) =>
    invoke<Commune>("commune_create", { input, passphrase, officer }),
  communeClubs: () => invoke<RegisteredClub[]>("commune_clubs"),
  communeRegister: (form: CommuneClubForm) => invoke<RegisteredClub>("commune_register", { form }),
  /** The bundle files on a stick or in folders, before importing them. */
  communeCollect: (paths: string[]) => invoke<Collected>("commune_collect", { paths }),
  /** Import them; meanwhile communeImportProgress says how far it is. */
  communeImport: (paths: string[]) => invoke<CommuneImportReport>("commune_import", { paths }),
  communeImportProgress: () => invoke<ImportProgress>("commune_import_progress"),
  communeStatus: (period: string) => invoke<PeriodStatus>("commune_status", { period }),
  /** Change the day the year's report is due, typed "dd/mm"; the commune's profile after it. */
  communeSetDeadline: (dayMonth: string) => invoke<Commune>("commune_set_deadline", { dayMonth }),
  /** The unit's public key and fingerprint (for the level above to register). */
  communeKey: () => invoke<PublicKeyFile>("commune_key"),
  /** Save the unit's public key to `dir` (never replacing a file); resolves to its path. */
  communeKeySave: (dir: string) => invoke<string>("commune_key_save", { dir }),
  /** The signed roll-up bundle of a period for the level above, written to `dir`. */
  communeSend: (period: string, hamlets: number | null, lang: string, dir: string, passphrase: string) =>
    invoke<Exported>("commune_send", { period, hamlets, lang, dir, passphrase }),
  communeSent: () => invoke<SentBundle[]>("commune_sent"),
  /** The inbox checked against the signed bundles it keeps (nothing written). */
  communeCheck: () => invoke<CommuneCheck>("commune_check"),
  communeRollupPreview: (period: string, hamlets: number | null, lang: string) =>
    invoke<string>("commune_rollup_preview", { period, hamlets, lang }),
  /** Write one rendering to `dir` (never replacing a file: -2, -3… is added); resolves to its path. */
  communeRollupSave: (period: string, hamlets: number | null, lang: string, format: string, orgUnit: string | null, dir: string) =>
    invoke<string>("commune_rollup_save", { period, hamlets, lang, format, orgUnit, dir }),
};
