// The window's only door to the books: one function per Tauri command in src-tauri/src/commands.rs.
// Every command returns the core's result; a failure rejects with an ApiError {code, params}.
import { invoke } from "@tauri-apps/api/core";
import type {
  Club, ClubInput, Composition, Flag, LeaveReason, ListQuery, Member, MemberInput, MemberPatch,
  Overview, Role, RosterRow, TargetPreset, ImportOptions, ImportReport,
  Balances, Cashbook, CountInput, CountResult, CountRow, DuesGrid, Entry, Fund, MonthClose, PaymentInput, ReceiptInput,
  Activity, ActivityInput, ActivityQuery, DecisionInput, DecisionSaved, Meeting, MeetingInput, MeetingRow, MeetingSaved,
  Standard, YearGrid, ApplyInput, Loan, LoanCard, LoanRow, LoanRules, LoanSaved, Portfolio, RepayMode, RepaySaved, WaitingRow,
  Destination, Preview, ReportOptions, NoticePreview, CodeFound, BundleRecord, ClubKey, Exported, KeyRotation, VerifyReport,
  AutoBackup, BackupFile, BackupInfo, Restored,
} from "./bindings";

import type { AppState, BackupState } from "./shell";
export type { ApiError, AppState, AppStatus, BackupState } from "./shell";

export const api = {
  appState: () => invoke<AppState>("app_state"),
  presets: () => invoke<TargetPreset[]>("presets"),
  clubCreate: (input: ClubInput, actor: string, passphrase: string) =>
    invoke<Club>("club_create", { input, actor, passphrase }),
  clubUpdate: (clubId: number, input: ClubInput, actor: string) =>
    invoke<Club>("club_update", { clubId, input, actor }),
  overview: (clubId: number) => invoke<Overview>("overview", { clubId }),
  memberList: (clubId: number, query: ListQuery) => invoke<RosterRow[]>("member_list", { clubId, query }),
  memberGet: (clubId: number, id: number) => invoke<Member>("member_get", { clubId, id }),
  memberAdd: (clubId: number, input: MemberInput, allowDuplicate: boolean, actor: string) =>
    invoke<Member>("member_add", { clubId, input, allowDuplicate, actor }),
  memberEdit: (clubId: number, id: number, patch: MemberPatch, actor: string) =>
    invoke<Member>("member_edit", { clubId, id, patch, actor }),
  memberLeave: (clubId: number, id: number, on: string, reason: LeaveReason, actor: string) =>
    invoke<Member>("member_leave", { clubId, id, on, reason, actor }),
  memberSetFlag: (clubId: number, id: number, flag: Flag, active: boolean, on: string, standard: string | null, actor: string) =>
    invoke<Member>("member_set_flag", { clubId, id, flag, active, on, standard, actor }),
  memberSetRole: (clubId: number, id: number, role: Role, active: boolean, on: string, actor: string) =>
    invoke<Member>("member_set_role", { clubId, id, role, active, on, actor }),
  composition: (clubId: number, at: string | null, preset: string | null) =>
    invoke<Composition>("composition", { clubId, at, preset }),
  /** Check (commit=false) or import a member sheet; bytes are the file's content. */
  memberImport: (clubId: number, fileName: string, bytes: number[], options: ImportOptions, commit: boolean, actor: string) =>
    invoke<ImportReport>("member_import", { clubId, fileName, bytes, options, commit, actor }),
  fundBalances: (clubId: number, at: string | null) => invoke<Balances>("fund_balances", { clubId, at }),
  fundCashbook: (clubId: number, fund: Fund | null, from: string, to: string) =>
    invoke<Cashbook>("fund_cashbook", { clubId, fund, from, to }),
  fundReceipt: (clubId: number, input: ReceiptInput, actor: string) => invoke<Entry>("fund_receipt", { clubId, input, actor }),
  fundPayment: (clubId: number, input: PaymentInput, actor: string) => invoke<Entry>("fund_payment", { clubId, input, actor }),
  fundReverse: (clubId: number, voucher: string, on: string, reason: string, actor: string) =>
    invoke<Entry>("fund_reverse", { clubId, voucher, on, reason, actor }),
  fundCount: (clubId: number, input: CountInput, actor: string) => invoke<CountResult>("fund_count", { clubId, input, actor }),
  fundBankCheck: (clubId: number, input: CountInput, statement: number, actor: string) =>
    invoke<CountResult>("fund_bank_check", { clubId, input, statement, actor }),
  fundCounts: (clubId: number) => invoke<CountRow[]>("fund_counts", { clubId }),
  fundDuesGrid: (clubId: number, month: string) => invoke<DuesGrid>("fund_dues_grid", { clubId, month }),
  fundDues: (clubId: number, fund: Fund, month: string, memberIds: number[], on: string, actor: string) =>
    invoke<Entry>("fund_dues", { clubId, fund, month, memberIds, on, actor }),
  fundJournal: (clubId: number, from: string | null, to: string | null) => invoke<Entry[]>("fund_journal", { clubId, from, to }),
  fundClose: (clubId: number, month: string, confirmedBy: string[], actor: string) =>
    invoke<MonthClose>("fund_close", { clubId, month, confirmedBy, actor }),
  meetingAdd: (clubId: number, input: MeetingInput, actor: string) =>
    invoke<MeetingSaved>("meeting_add", { clubId, input, actor }),
  meetingDecide: (clubId: number, meetingId: number, input: DecisionInput, actor: string) =>
    invoke<DecisionSaved>("meeting_decide", { clubId, meetingId, input, actor }),
  meetingList: (clubId: number, year: number | null) => invoke<MeetingRow[]>("meeting_list", { clubId, year }),
  meetingGet: (clubId: number, id: number) => invoke<Meeting>("meeting_get", { clubId, id }),
  meetingGrid: (clubId: number, year: number) => invoke<YearGrid>("meeting_grid", { clubId, year }),
  activityAdd: (clubId: number, input: ActivityInput, actor: string) => invoke<Activity>("activity_add", { clubId, input, actor }),
  activityList: (clubId: number, query: ActivityQuery) => invoke<Activity[]>("activity_list", { clubId, query }),
  standard: (clubId: number, year: number, presetId: string | null) => invoke<Standard>("standard", { clubId, year, presetId }),
  loanRules: (clubId: number, at: string) => invoke<LoanRules>("loan_rules", { clubId, at }),
  loanSetRules: (clubId: number, rules: LoanRules, actor: string) => invoke<LoanRules>("loan_set_rules", { clubId, rules, actor }),
  loanApply: (clubId: number, input: ApplyInput, actor: string) => invoke<Loan>("loan_apply", { clubId, input, actor }),
  loanApprove: (clubId: number, id: number, meetingId: number, actor: string) =>
    invoke<LoanSaved>("loan_approve", { clubId, id, meetingId, actor }),
  loanDisburse: (clubId: number, id: number, on: string, actor: string) => invoke<Loan>("loan_disburse", { clubId, id, on, actor }),
  loanRepay: (clubId: number, id: number, amount: number, on: string, mode: RepayMode, actor: string) =>
    invoke<RepaySaved>("loan_repay", { clubId, id, amount, on, mode, actor }),
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
  bundleExport: (clubId: number, period: string, options: ReportOptions, lang: string, passphrase: string, dir: string, actor: string) =>
    invoke<Exported>("bundle_export", { clubId, period, options, lang, passphrase, dir, actor }),
  bundleVerify: (path: string, key: string | null) => invoke<VerifyReport>("bundle_verify", { path, key }),
  bundleList: (clubId: number) => invoke<BundleRecord[]>("bundle_list", { clubId }),
  keyShow: (clubId: number) => invoke<ClubKey | null>("key_show", { clubId }),
  keyCreate: (clubId: number, passphrase: string, actor: string) => invoke<ClubKey>("key_create", { clubId, passphrase, actor }),
  keyRotate: (clubId: number, oldPassphrase: string, newPassphrase: string, actor: string) =>
    invoke<KeyRotation>("key_rotate", { clubId, oldPassphrase, newPassphrase, actor }),
  /** The local backups beside the books and how the last automatic one went. */
  backupState: () => invoke<BackupState>("backup_state"),
  /** A local backup now (null before the first club exists). */
  backupNow: () => invoke<AutoBackup | null>("backup_now"),
  /** An encrypted backup onto the stick, read back and checked before it resolves. */
  backupExport: (dir: string, passphrase: string) => invoke<BackupInfo>("backup_export", { dir, passphrase }),
  backupFiles: (dir: string) => invoke<BackupFile[]>("backup_files", { dir }),
  /** Replace the books with a backup; confirmed: the second click, after backup.other_club. */
  backupRestore: (path: string, passphrase: string | null, confirmed: boolean, actor: string) =>
    invoke<Restored>("backup_restore", { path, passphrase, confirmed, actor }),
};
