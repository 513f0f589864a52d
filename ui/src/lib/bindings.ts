// Generated from the Rust types by `cargo test -p ishc-core` (UPDATE_SNAPSHOTS=1). Do not edit.
export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;
export type Field = "actor" | "auth.pin" | "auth.new_pin" | "auth.recovery_code" | "auth.lock_minutes" | "auth.chair_handles_money" | "notice.chain_code" | "club.name" | "club.hamlet" | "club.commune" | "club.district" | "club.province" | "club.founded_on" | "club.rounding_unit" | "club.target_preset" | "club.report_deadline" | "member.full_name" | "member.sex" | "member.birth" | "member.ethnicity" | "member.phone" | "member.hamlet" | "member.joined_on" | "member.left_on" | "member.leave_reason" | "member.consent_on" | "member.flag" | "member.role" | "date" | "demo.years" | "demo.members" | "preset" | "ledger.amount" | "ledger.date" | "ledger.fund" | "ledger.source" | "ledger.area" | "ledger.reason" | "ledger.memo" | "ledger.notes" | "ledger.counted_by" | "ledger.witness" | "ledger.month" | "ledger.members" | "ledger.confirmed_by" | "club.monthly_due" | "meeting.held_on" | "meeting.place" | "meeting.minutes" | "meeting.chaired_by" | "meeting.kind" | "meeting.topic" | "meeting.present" | "decision.text" | "decision.member" | "decision.amount" | "decision.kind" | "activity.kind" | "activity.subkind" | "activity.held_on" | "activity.person" | "activity.by" | "activity.people" | "activity.value" | "activity.note" | "year" | "report.period" | "report.format" | "report.out" | "loan.amount" | "loan.repay_amount" | "loan.months" | "loan.purpose" | "loan.rate" | "loan.method" | "loan.repayment" | "loan.cap" | "loan.penalty" | "loan.meeting" | "loan.date" | "loan.reason" | "loan.in_kind" | "loan.note" | "key.passphrase" | "key.new_passphrase" | "bundle.period" | "bundle.period_to" | "backup.passphrase" | "rollup.org_unit" | "key.fingerprint" | "commune.level" | "commune.level_name";
export type Rule = { "kind": "required" } | { "kind": "too_long", max: number, } | { "kind": "not_nfc_decodable" } | { "kind": "date_format" } | { "kind": "in_future", today: string, } | { "kind": "before_founding", founded_on: string, } | { "kind": "before_date", other: string, } | { "kind": "one_of", allowed: Array<string>, } | { "kind": "range", min: number, max: number, } | { "kind": "unknown", value: string, } | { "kind": "not_allowed" } | { "kind": "too_short", min: number, } | { "kind": "characters", example: string, } | { "kind": "not_a_number" } | { "kind": "negative" } | { "kind": "money_decimal" } | { "kind": "money_groups" } | { "kind": "money_range", min_amount: number, max_amount: number, } | { "kind": "month_format" } | { "kind": "four_digit_year" } | { "kind": "forbidden_character", character: string, position: number, } | { "kind": "pin_digits", min: number, max: number, };
export type CoreError = { "code": "input.invalid", "params": { field: Field, rule: Rule, } } | { "code": "db.not_found", "params": { path: string, } } | { "code": "db.read_only", "params": { path: string, } } | { "code": "db.corrupt", "params": { path: string, detail: string, } } | { "code": "db.too_new", "params": { found: number, supported: number, } } | { "code": "db.in_use", "params": { path: string, } } | { "code": "db.storage", "params": { detail: string, } } | { "code": "db.damaged", "params": { table: string, row: number, column: string, value: string, } } | { "code": "db.trigger_missing", "params": { name: string, } } | { "code": "db.unaudited", "params": { table: string, } } | { "code": "file.not_regular", "params": { path: string, } } | { "code": "file.too_large", "params": { path: string, max_kib: number, } } | { "code": "file.unreadable", "params": { path: string, detail: string, } } | { "code": "demo.not_empty", "params": { clubs: number, } } | { "code": "club.none" } | { "code": "club.ambiguous", "params": { count: number, } } | { "code": "club.not_found", "params": { id: number, } } | { "code": "member.not_found", "params": { id: number, } } | { "code": "member.duplicate", "params": { full_name: string, birth_year: number, existing_id: number, } } | { "code": "member.has_left", "params": { id: number, left_on: string, } } | { "code": "member.not_yet", "params": { id: number, full_name: string, joined_on: string, } } | { "code": "meeting.not_found", "params": { id: number, } } | { "code": "meeting.duplicate", "params": { existing_id: number, held_on: string, } } | { "code": "meeting.second_in_month", "params": { existing_id: number, held_on: string, } } | { "code": "loan.not_found", "params": { id: number, } } | { "code": "loan.wrong_status", "params": { id: number, status: string, needed: string, } } | { "code": "loan.over_cap", "params": { amount: number, cap: number, } } | { "code": "loan.already_active", "params": { member_id: number, full_name: string, loan_id: number, } } | { "code": "loan.overpaid", "params": { id: number, owed: number, amount: number, } } | { "code": "loan.nothing_owed", "params": { id: number, } } | { "code": "activity.not_found", "params": { id: number, } } | { "code": "import.unreadable", "params": { detail: string, } } | { "code": "import.no_header" } | { "code": "import.has_errors", "params": { error_rows: number, } } | { "code": "import.empty" } | { "code": "import.too_many_rows", "params": { max: number, } } | { "code": "import.cell_out_of_range", "params": { cell: string, max_rows: number, max_columns: number, } } | { "code": "import.sheet_too_large", "params": { max_mib: number, } } | { "code": "import.format", "params": { extension: string, } } | { "code": "ledger.cash_short", "params": { fund: string, account: string, on: string, available: number, needed: number, } } | { "code": "ledger.month_closed", "params": { month: string, date: string, } } | { "code": "ledger.before_count", "params": { fund: string, counted_on: string, date: string, } } | { "code": "ledger.not_found", "params": { voucher: string, } } | { "code": "ledger.already_reversed", "params": { voucher: string, by: string, } } | { "code": "ledger.reverse_reversal", "params": { voucher: string, } } | { "code": "ledger.overflow" } | { "code": "ledger.dues_paid", "params": { member_id: number, full_name: string, month: string, } } | { "code": "ledger.close_needs_count", "params": { fund: string, month: string, } } | { "code": "ledger.close_role", "params": { name: string, role: string, month: string, } } | { "code": "ledger.close_confirmers", "params": { needed: number, given: number, } } | { "code": "ledger.close_same_person", "params": { month: string, } } | { "code": "ledger.close_too_early", "params": { month: string, } } | { "code": "ledger.already_closed", "params": { month: string, } } | { "code": "key.exists", "params": { club_id: number, key_id: string, } } | { "code": "key.missing", "params": { club_id: number, } } | { "code": "key.wrong_passphrase", "params": { field: Field, } } | { "code": "key.invalid", "params": { detail: string, } } | { "code": "key.damaged", "params": { key_id: string, detail: string, } } | { "code": "key.failed", "params": { detail: string, } } | { "code": "bundle.empty" } | { "code": "bundle.folder_missing", "params": { path: string, } } | { "code": "bundle.folder_not_writable", "params": { path: string, detail: string, } } | { "code": "bundle.exists", "params": { path: string, } } | { "code": "bundle.write_failed", "params": { path: string, detail: string, } } | { "code": "bundle.readback_failed", "params": { path: string, detail: string, } } | { "code": "bundle.read_failed", "params": { path: string, detail: string, } } | { "code": "bundle.not_zip", "params": { detail: string, } } | { "code": "bundle.too_many_files", "params": { count: number, max: number, } } | { "code": "bundle.too_large", "params": { name: string, max_mib: number, } } | { "code": "bundle.total_too_large", "params": { max_mib: number, } } | { "code": "bundle.unsafe_path", "params": { name: string, } } | { "code": "bundle.directory", "params": { name: string, } } | { "code": "bundle.link", "params": { name: string, } } | { "code": "bundle.duplicate", "params": { name: string, } } | { "code": "bundle.damaged", "params": { name: string, detail: string, } } | { "code": "bundle.missing", "params": { name: string, } } | { "code": "bundle.bad_public_key", "params": { name: string, detail: string, } } | { "code": "bundle.key_mismatch", "params": { expected: string, found: string, } } | { "code": "bundle.bad_signature", "params": { name: string, detail: string, } } | { "code": "bundle.bad_manifest", "params": { detail: string, } } | { "code": "bundle.unknown_version", "params": { format: string, version: string, } } | { "code": "bundle.key_id_mismatch", "params": { manifest_key_id: string, key_id: string, } } | { "code": "bundle.fingerprint_mismatch", "params": { manifest_fingerprint: string, fingerprint: string, } } | { "code": "bundle.bad_rotation", "params": { detail: string, } } | { "code": "bundle.digest_mismatch", "params": { name: string, } } | { "code": "bundle.extra", "params": { name: string, } } | { "code": "bundle.altered_container" } | { "code": "auth.unknown", "params": { name: string, } } | { "code": "auth.not_found", "params": { id: number, } } | { "code": "auth.wrong_pin", "params": { name: string, failures: number, wait_seconds: number, } } | { "code": "auth.too_soon", "params": { name: string, wait_seconds: number, } } | { "code": "auth.forbidden", "params": { action: string, roles: Array<string>, } } | { "code": "auth.name_taken", "params": { name: string, } } | { "code": "auth.setup_done" } | { "code": "auth.signed_out" } | { "code": "auth.setup_roster" } | { "code": "ledger.confirmer_signed_out", "params": { name: string, } } | { "code": "notice.code_missing", "params": { code: string, } } | { "code": "auth.setup_needed" } | { "code": "auth.not_chair", "params": { name: string, } } | { "code": "auth.wrong_recovery" } | { "code": "auth.no_recovery" } | { "code": "auth.failed", "params": { detail: string, } } | { "code": "backup.exists", "params": { path: string, } } | { "code": "backup.folder_missing", "params": { path: string, } } | { "code": "backup.write_failed", "params": { path: string, detail: string, } } | { "code": "backup.not_ours", "params": { path: string, } } | { "code": "backup.too_new", "params": { path: string, found: number, supported: number, } } | { "code": "backup.damaged", "params": { path: string, detail: string, } } | { "code": "backup.check_failed", "params": { path: string, count: number, problems: Array<Notice>, } } | { "code": "backup.too_large", "params": { path: string, max_mib: number, } } | { "code": "backup.passphrase_needed", "params": { path: string, field: Field, } } | { "code": "backup.wrong_passphrase", "params": { path: string, field: Field, } } | { "code": "backup.undecryptable", "params": { path: string, detail: string, } } | { "code": "backup.other_club", "params": { backup: Array<string>, current: Array<string>, } } | { "code": "backup.current_unreadable", "params": { path: string, detail: string, } } | { "code": "backup.restore_failed", "params": { path: string, detail: string, } } | { "code": "backup.prune_failed", "params": { path: string, detail: string, } } | { "code": "commune.wrong_file", "params": { path: string, } } | { "code": "commune.missing" } | { "code": "commune.exists", "params": { name: string, } } | { "code": "commune.fingerprint_mismatch", "params": { typed: string, } } | { "code": "commune.key_registered", "params": { club: string, } } | { "code": "commune.club_exists", "params": { name: string, } } | { "code": "commune.club_not_found", "params": { id: number, } } | { "code": "commune.path_missing", "params": { path: string, } } | { "code": "commune.too_many_files", "params": { max: number, } } | { "code": "preset.unknown", "params": { name: string, } } | { "code": "preset.exists", "params": { name: string, } } | { "code": "rollup.bad_report", "params": { name: string, detail: string, } } | { "code": "rollup.wrong_period", "params": { name: string, found: string, expected: string, } } | { "code": "rollup.duplicate_club", "params": { name: string, hamlet: string, } } | { "code": "rollup.overflow", "params": { figure: string, } } | { "code": "rollup.bad_plan", "params": { detail: string, } } | { "code": "rollup.duplicate_target", "params": { measure: string, } } | { "code": "rollup.bad_mapping", "params": { detail: string, } } | { "code": "rollup.unknown_figure", "params": { figure: string, } } | { "code": "rollup.duplicate_mapping", "params": { what: string, } };
export type ClubInput = { name: string, hamlet: string, commune: string, district: string, province: string, founded_on: string, 
/**
 * Money is rounded to this many đồng: 1, 500 or 1,000.
 */
rounding_unit: number, target_preset: string, report_deadline_day: number, report_deadline_month: number, 
/**
 * Each member's monthly due in đồng (0: the club collects none).
 */
monthly_due?: number, };
export type Club = { id: number, name: string, hamlet: string, commune: string, district: string, province: string, founded_on: string, rounding_unit: number, target_preset: string, report_deadline_day: number, report_deadline_month: number, created_at: string, monthly_due: number, };
export type AuditEntry = { id: number, 
/**
 * UTC, RFC 3339.
 */
at: string, actor: string, club_id: number | null, 
/**
 * What was done, e.g. `club.create`, `member.leave`.
 */
action: string, entity_id: number | null, detail: JsonValue, };
export type AuthRole = "chair" | "vice_chair" | "treasurer" | "secretary" | "board_member" | "viewer";
export type SignIn = { id: number, club_id: number, 
/**
 * The roster member, or none for a viewer from outside the club (a commune officer).
 */
member_id: number | null, name: string, 
/**
 * The roles as of the store's today.
 */
roles: Array<AuthRole>, 
/**
 * Wrong PINs in a row since the last right one.
 */
failures: number, created_at: string, };
export type AuthSettings = { 
/**
 * The club's rule lets the chairperson take in and pay out money too.
 */
chair_handles_money: boolean, 
/**
 * The window locks after this many idle minutes.
 */
lock_minutes: number, };
export type Action = "member_write" | "meeting_write" | "activity_write" | "money" | "loan_apply" | "month_close" | "correction" | "write_off" | "reschedule" | "rule_change" | "key_change" | "report_send" | "sign_in_manage" | "restore";
export type Band = { min: number, max: number, };
export type Measure = "women" | "men" | "older" | "younger" | "older_women" | "disadvantaged" | "poor" | "near_poor" | "disability" | "living_alone" | "ethnic_minority" | "volunteers";
export type RatioTarget = { measure: Measure, min_pct: number, max_pct: number, };
export type TargetPreset = { id: string, name_vi: string, name_en: string, source: string, 
/**
 * Members this old or older on the day count as older people.
 */
older_age: number, members: Band | null, ratios: Array<RatioTarget>, volunteers_min: number | null, 
/**
 * Share of members who have ever borrowed from the fund.
 */
borrowed_pct: Band | null, 
/**
 * Thresholds of the club standard's self-assessment (see `life::standard`).
 */
standard: StandardTargets | null, builtin: boolean, };
export type Sex = "F" | "M";
export type Flag = "poor" | "near_poor" | "disability" | "living_alone";
export type Role = "chair" | "vice_chair" | "treasurer" | "secretary" | "group_leader" | "volunteer" | "care_recipient";
export type LeaveReason = "moved" | "died" | "withdrew" | "other";
export type Span<T> = { id: number, what: T, from_on: string, to_on: string | null, 
/**
 * For poor / near-poor: the national standard the status was decided under.
 */
standard: string | null, };
export type Member = { id: number, club_id: number, full_name: string, sex: Sex, birth_year: number, birth_date: string | null, ethnicity: string, hamlet: string, phone: string, joined_on: string, left_on: string | null, leave_reason: LeaveReason | null, 
/**
 * When the member agreed that the club may hold their data.
 */
consent_on: string | null, flags: Array<Span<Flag>>, roles: Array<Span<Role>>, };
export type MemberInput = { full_name: string, sex: Sex, birth_year: number, birth_date: string | null, ethnicity: string, hamlet: string, phone: string, joined_on: string, consent_on: string | null, flags: Array<FlagInput>, roles: Array<Role>, };
export type FlagInput = { flag: Flag, standard: string | null, };
export type MemberPatch = { full_name: string | null, sex: Sex | null, birth_year: number | null, birth_date: string | null, ethnicity: string | null, hamlet: string | null, phone: string | null, consent_on: string | null, };
export type ListQuery = { at: string | null, search: string | null, flag: Flag | null, 
/**
 * Also list those who had left by the day (for the history view).
 */
include_left: boolean, };
export type RosterRow = { id: number, full_name: string, sex: Sex, birth_year: number, age: number, older: boolean, hamlet: string, phone: string, ethnicity: string, joined_on: string, left_on: string | null, leave_reason: LeaveReason | null, active: boolean, flags: Array<Flag>, ethnic_minority: boolean, roles: Array<Role>, consent: boolean, };
export type Counts = { members: number, women: number, men: number, older: number, younger: number, older_women: number, 
/**
 * Members with at least one disadvantage (a flag, or an ethnic minority).
 */
disadvantaged: number, poor: number, near_poor: number, disability: number, living_alone: number, ethnic_minority: number, volunteers: number, };
export type Status = "below" | "within" | "above";
export type Fix = { add: number, sex: Sex | null, older: boolean | null, over_by: number, };
export type TargetStatus = { 
/**
 * `members` for the club's size, otherwise a ratio's measure.
 */
measure: string, count: number, total: number, 
/**
 * Per cent of members, one decimal (display only: statuses are decided in whole numbers).
 */
pct: number, min: number, max: number, status: Status, fix: Fix | null, };
export type Composition = { club_id: number, at: string, preset_id: string, preset_name_vi: string, preset_name_en: string, older_age: number, counts: Counts, targets: Array<TargetStatus>, all_within: boolean, };
export type BoardMember = { member_id: number, full_name: string, role: Role, };
export type Overview = { club: Club, today: string, composition: Composition, board: Array<BoardMember>, 
/**
 * The next yearly report deadline on or after today.
 */
next_deadline: string, };
export type Notice = { code: string, params: JsonValue, };
export type CheckReport = { ok: boolean, schema_version: number, clubs: number, members: number, problems: Array<Notice>, };
export type DemoOptions = { years: number, members: number, seed: number, };
export type DemoSignIn = { role: AuthRole, name: string, pin: string, };
export type DemoSummary = { club_id: number, club_name: string, founded_on: string, members_ever: number, members_now: number, 
/**
 * Journal entries written (vouchers, transfers, count adjustments).
 */
entries: number, meetings: number, activities: number, 
/**
 * The board's sign-ins and their (public) demo PINs.
 */
sign_ins: Array<DemoSignIn>, };
export type Lang = "vi" | "en";
export type Column = "full_name" | "sex" | "birth" | "birth_if_male" | "birth_if_female" | "ethnicity" | "hamlet" | "phone" | "joined_on" | "consent" | "poor" | "near_poor" | "disability" | "living_alone" | "status" | "standard" | "volunteer";
export type ImportOptions = { 
/**
 * The join date for rows that have none (many sheets only list current members).
 */
default_joined_on: string | null, 
/**
 * Import rows that look like members already in the books (same name and birth year).
 */
allow_duplicates: boolean, };
export type ColumnUse = { header: string, column: Column | null, };
export type ImportRow = { 
/**
 * The row's number in the sheet, counting from 1 as a spreadsheet shows it.
 */
line: number, full_name: string, member: MemberInput | null, error: CoreError | null, };
export type ImportReport = { format: string, encoding: string, delimiter: string | null, header_line: number, columns: Array<ColumnUse>, rows: Array<ImportRow>, ok_rows: number, error_rows: number, 
/**
 * True only when the members are now in the books.
 */
committed: boolean, };
export type Fund = "income" | "activity";
export type Source = "dues" | "community" | "family" | "business" | "charity" | "seed" | "fundraising" | "interest" | "other";
export type Area = "a1" | "a2" | "a3" | "a4" | "a5" | "a6" | "a7" | "a8" | "admin";
export type Kind = "receipt" | "payment" | "transfer" | "reversal" | "count_adjustment" | "opening";
export type Via = "cash" | "bank";
export type Posting = { fund: Fund, 
/**
 * `cash`, `bank`, `loans`, `capital`, `transfer`, `income:<source>`, `expense:<area>`,
 * `income:count_surplus`, `income:penalty`, `expense:count_shortage`, `expense:write_off`.
 */
account: string, 
/**
 * Đồng; debit positive, credit negative.
 */
amount: number, };
export type Entry = { id: number, club_id: number, 
/**
 * The number people write and read: `PT-HD-2026-0001`.
 */
voucher: string, fund: Fund, kind: Kind, date: string, 
/**
 * What a person typed (empty when nothing was). Entries written before notices keep the
 * sentence the core composed then.
 */
memo: string, 
/**
 * What the core says about the voucher (`memo.dues_month` with `{month, count}`…), put into
 * words by the reader (`i18n::memo_text`); `None` when the core composed nothing.
 */
memo_notice: Notice | null, member_id: number | null, reverses: number | null, reversed_by: number | null, reason: string | null, actor: string, created_at: string, prev_hash: string, hash: string, postings: Array<Posting>, };
export type ReceiptInput = { fund: Fund, amount: number, source: Source, date: string, member_id: number | null, memo: string, via: Via, };
export type PaymentInput = { fund: Fund, amount: number, area: Area, date: string, member_id: number | null, memo: string, via: Via, };
export type CountInput = { fund: Fund, date: string, 
/**
 * Banknote value → how many.
 */
notes: { [key in number]: number }, counted_by: string, witness: string, 
/**
 * Why the cash differs from the book, when it does.
 */
reason: string, };
export type CountResult = { id: number, fund: Fund, 
/**
 * `cash` or `bank`.
 */
account: string, date: string, book: number, counted: number, difference: number, adjustment: Entry | null, };
export type CountRow = { id: number, fund: Fund, 
/**
 * `cash` (a count of the cash box) or `bank` (a bank check).
 */
account: string, date: string, book: number, counted: number, difference: number, counted_by: string, witness: string, 
/**
 * The adjusting voucher, when there was a difference.
 */
voucher: string | null, 
/**
 * Why the difference arose, as recorded with the adjusting voucher.
 */
reason: string | null, };
export type MonthClose = { month: string, closed_by: string, confirmed_by: Array<string>, chain_head: string, entries: number, };
export type DuesRow = { member_id: number, full_name: string, 
/**
 * One per month: `paid`, `due` (a member that month, not paid) or `none` (not a member).
 */
months: Array<string>, behind: number, };
export type DuesGrid = { months: Array<string>, monthly_due: number, rows: Array<DuesRow>, };
export type AccountBalance = { fund: Fund, account: string, 
/**
 * Debit positive. Income and capital show negative here; `FundBalance` gives them as people read them.
 */
amount: number, };
export type FundBalance = { fund: Fund, cash: number, bank: number, loans: number, 
/**
 * cash + bank + loans.
 */
assets: number, 
/**
 * Opening capital, as a positive number.
 */
capital: number, 
/**
 * Net money moved in from the other fund (negative: moved out).
 */
transfers_in: number, income: number, expenses: number, 
/**
 * income − expenses.
 */
surplus: number, };
export type Balances = { at: string, funds: Array<FundBalance>, accounts: Array<AccountBalance>, 
/**
 * Both funds' cash on hand together (the cash box).
 */
cash_total: number, };
export type CashbookLine = { entry_id: number, voucher: string, date: string, 
/**
 * What a person typed; with `memo_notice`, what the core says (as on `Entry`).
 */
memo: string, memo_notice: Notice | null, fund: Fund, money_in: number, money_out: number, balance: number, };
export type Cashbook = { fund: Fund | null, from: string, to: string, opening: number, lines: Array<CashbookLine>, total_in: number, total_out: number, closing: number, };
export type PeriodSummary = { from: string, to: string, 
/**
 * (fund, source, amount) received in the period, net of reversals.
 */
receipts: Array<[Fund, string, number]>, 
/**
 * (fund, area, amount) paid in the period, net of reversals.
 */
payments: Array<[Fund, string, number]>, };
export type StandardTargets = { 
/**
 * Regular meetings each month.
 */
meetings_per_month: number, 
/**
 * Share of regular meetings that covered all eight activity areas.
 */
all_areas_meetings_pct: number, 
/**
 * Share of the members needing care (role care recipient) visited at home in the year.
 */
care_recipients_visited_pct: number, 
/**
 * Share of board members trained (initial or refresher) in the year.
 */
board_trained_pct: number, };
export type MeetingKind = "monthly" | "board" | "extraordinary" | "annual";
export type Topic = "a1" | "a2" | "a3" | "a4" | "a5" | "a6" | "a7" | "a8" | "digital" | "green" | "startup";
export type DecisionKind = "loan_approval" | "loan_reschedule" | "loan_write_off" | "admission" | "spending" | "other";
export type DecisionInput = { kind: DecisionKind, 
/**
 * For a loan approval: the application in the loan register this meeting approves (the loan
 * then carries this decision; the member and amount are the application's).
 */
loan_id?: number, member_id?: number, amount?: number, text: string, };
export type DuesInput = { fund: Fund, 
/**
 * `YYYY-MM`; the meeting's month when empty.
 */
month: string, member_ids: Array<number>, };
export type MeetingInput = { kind: MeetingKind, held_on: string, place: string, chaired_by: number | null, minutes_by: number | null, present: Array<number>, topics: Array<Topic>, minutes: string, decisions: Array<DecisionInput>, dues?: DuesInput, 
/**
 * The board confirmed a second monthly meeting in the same month; without it such a meeting is
 * refused with `meeting.second_in_month`, naming the first.
 */
second_in_month: boolean, };
export type Person = { id: number, full_name: string, };
export type Decision = { id: number, meeting_id: number, kind: DecisionKind, member: Person | null, amount: number | null, 
/**
 * What was typed (empty for a decision the loan register wrote, which has `text_notice`).
 */
text: string, 
/**
 * What the register wrote (`decision.text.loan_approval` with `{loan_id, amount, full_name}`…),
 * put into words by the reader; `None` for a typed decision and for those written before.
 */
text_notice: Notice | null, 
/**
 * The member the decision is about was not at the meeting.
 */
member_absent: boolean, };
export type Meeting = { id: number, club_id: number, kind: MeetingKind, held_on: string, place: string, chaired_by: Person | null, minutes_by: Person | null, 
/**
 * Sorted the Vietnamese way.
 */
present: Array<Person>, 
/**
 * Members of the club on the day who were not present, sorted the Vietnamese way, so the
 * record names who was absent as well as who came.
 */
absent: Array<Person>, 
/**
 * Members of the club on the day, so "45 of 58 present" can be printed.
 */
members_on_day: number, topics: Array<Topic>, minutes: string, decisions: Array<Decision>, dues_voucher: string | null, dues_total: number, dues_count: number, actor: string, };
export type MeetingSaved = { meeting: Meeting, warnings: Array<Notice>, };
export type DecisionSaved = { decision: Decision, warnings: Array<Notice>, };
export type MeetingRow = { id: number, kind: MeetingKind, held_on: string, place: string, present: number, topics: Array<Topic>, decisions: number, dues_total: number, };
export type GridMonth = { 
/**
 * `YYYY-MM`.
 */
month: string, meetings: number, 
/**
 * Eight booleans, areas 1..8: covered by a meeting that month.
 */
covered: Array<boolean>, 
/**
 * Eight counts, areas 1..8: activities recorded that month.
 */
activities: Array<number>, 
/**
 * Seed 001 themes discussed that month.
 */
themes: Array<Topic>, };
export type YearGrid = { year: number, months: Array<GridMonth>, };
export type ActivityKind = "home_visit" | "health_check" | "support" | "rights" | "training" | "event";
export type ActivityInput = { kind: ActivityKind, subkind: string, held_on: string, 
/**
 * The member cared for, helped or supported.
 */
member_id?: number, 
/**
 * Or someone who is not a member, by name.
 */
person: string, 
/**
 * The volunteer or board member who did it.
 */
by_member_id?: number, 
/**
 * Members who took part (a training's trainees, the members whose health was checked).
 */
participants: Array<number>, 
/**
 * How many people took part, when not listed one by one.
 */
people: number, 
/**
 * Value in đồng of what was given or raised.
 */
value: number, 
/**
 * Post `value` to this fund: a payment (given) or, for an event, a fundraising receipt.
 */
fund?: Fund, note: string, };
export type Activity = { id: number, kind: ActivityKind, subkind: string, held_on: string, area: Area, member: Person | null, person: string, by: Person | null, participants: Array<Person>, people: number, value: number, voucher: string | null, note: string, };
export type ActivityQuery = { year?: number, kind?: ActivityKind, };
export type Unit = "count" | "pct" | "check" | "months";
export type Criterion = { 
/**
 * Stable id, e.g. `meetings.monthly`, `composition.women`; its words are `standard.<id>`.
 */
id: string, unit: Unit, value: number, 
/**
 * What `value` is out of (months, meetings, members), where that applies.
 */
of: number | null, 
/**
 * The threshold: a count, or per cent for `Pct`.
 */
min: number | null, max: number | null, 
/**
 * `None` when the preset sets no threshold for it.
 */
met: boolean | null, 
/**
 * What is missing or behind the figure, as codes: months without a meeting (`YYYY-MM`), areas
 * never covered (`a5`), which fund checks failed (`income.not_lent`). Never a person.
 */
list: Array<string>, 
/**
 * The people behind the figure (care recipients not visited, board members not trained), by
 * name: for the board's own screen. A report carries only their number unless the member list
 * was asked for (`reporting::StandardPart`).
 */
people: Array<string>, };
export type Standard = { club_id: number, year: number, from: string, to: string, preset_id: string, criteria: Array<Criterion>, met: number, 
/**
 * Criteria with a threshold.
 */
judged: number, };
export type Method = "flat" | "declining_annuity" | "declining_equal_principal";
export type Repayment = { "kind": "instalments", every: number, } | { "kind": "bullet", interest_monthly: boolean, };
export type Terms = { principal: number, 
/**
 * Per cent per month, e.g. `0.5`.
 */
rate_pct_month: string, months: number, method: Method, repayment: Repayment, 
/**
 * 1, 500 or 1000 đ.
 */
rounding_unit: number, 
/**
 * The day the money was handed over; instalments fall due whole months after it.
 */
start: string, };
export type Instalment = { no: number, due_on: string, principal: number, interest: number, total: number, 
/**
 * Principal still owed after this instalment is paid.
 */
balance_after: number, };
export type Purpose = "livestock" | "crops" | "trade" | "services" | "other";
export type LoanStatus = "applied" | "approved" | "disbursed" | "repaid" | "written_off" | "withdrawn";
export type LoanRules = { effective_on: string, 
/**
 * Per cent per month; zero is allowed.
 */
rate_pct_month: string, method: Method, repayment: Repayment, min_months: number, max_months: number, 
/**
 * The most one member may owe from one loan, in đồng.
 */
cap_per_member: number, 
/**
 * A member may hold only one loan at a time.
 */
one_active: boolean, 
/**
 * Per cent per month on late instalments; zero means no penalty.
 */
penalty_pct_month: string, 
/**
 * Poor and near-poor members first on the waiting list.
 */
poor_first: boolean, };
export type LoanTerms = { rate_pct_month: string, method: Method, repayment: Repayment, rounding_unit: number, penalty_pct_month: string, };
export type ApplyInput = { member_id: number, amount: number, purpose: Purpose, months: number, applied_on: string, 
/**
 * For a loan in kind (a calf, seed, fertiliser): what is given; the amount is its value.
 */
in_kind: string, note: string, };
export type Approval = { decision_id: number, meeting_id: number, held_on: string, };
export type Loan = { id: number, club_id: number, member: Person, applied_on: string, amount: number, purpose: Purpose, months: number, in_kind: string, note: string, status: LoanStatus, approval: Approval | null, disbursed_on: string | null, voucher: string | null, terms: LoanTerms | null, written_off_on: string | null, };
export type LoanSaved = { loan: Loan, warnings: Array<Notice>, };
export type LineState = "paid" | "partial" | "future" | "late";
export type ScheduleLine = { version: number, no: number, due_on: string, principal: number, interest: number, total: number, paid: number, left: number, state: LineState, 
/**
 * Vouchers of the payments that went to this instalment, oldest first.
 */
paid_by: Array<string>, };
export type Payment = { id: number, paid_on: string, penalty: number, interest: number, principal: number, voucher: string, 
/**
 * The instalments it paid (empty for payments recorded before this was kept).
 */
instalments: Array<PaidInstalment>, };
export type PaidInstalment = { no: number, interest: number, principal: number, };
export type RepayMode = "next_instalment" | "prepay_principal";
export type LoanState = { at: string, 
/**
 * Principal still owed (0 once written off).
 */
principal_out: number, 
/**
 * Interest of instalments due by the day and not yet paid.
 */
interest_due: number, penalty_due: number, 
/**
 * Principal and interest past their due date and unpaid.
 */
overdue: number, 
/**
 * Days since the oldest unpaid instalment fell due (0 when none is late).
 */
days_past_due: number, 
/**
 * What would settle the loan today: penalty + interest due + all principal.
 */
payoff: number, paid_principal: number, paid_interest: number, paid_penalty: number, written_off: number, next_due: string | null, next_amount: number, 
/**
 * Principal and interest of every instalment (of every schedule version) due before the day.
 */
fell_due: number, };
export type LoanCard = { loan: Loan, state: LoanState | null, 
/**
 * The schedule in force on the day, with what was paid against each line.
 */
schedule: Array<ScheduleLine>, 
/**
 * Earlier schedules replaced by a reschedule, as they stood.
 */
earlier: Array<ScheduleLine>, payments: Array<Payment>, };
export type RepaySaved = { card: LoanCard, voucher: string, penalty: number, interest: number, principal: number, 
/**
 * The instalments this payment went to.
 */
instalments: Array<PaidInstalment>, };
export type LoanRow = { loan: Loan, state: LoanState | null, };
export type WaitingRow = { loan: Loan, place: number, 
/**
 * Poor or near-poor on the day, when the rules put them first.
 */
priority: boolean, };
export type Portfolio = { at: string, active_loans: number, borrowers: number, outstanding: number, overdue: number, 
/**
 * Principal outstanding of loans with an instalment more than 30 (90) days late.
 */
par30: number, par90: number, 
/**
 * Per cent of `outstanding`, one decimal.
 */
par30_pct: number, par90_pct: number, 
/**
 * Of what fell due by the day, the per cent paid.
 */
repayment_rate_pct: number, disbursed_total: number, written_off_total: number, interest_received: number, 
/**
 * Members on the day, and those of them who have ever had a loan.
 */
members: number, members_ever_borrowed: number, ever_borrowed_pct: number, 
/**
 * The preset's target for that share.
 */
target_min_pct: number | null, target_max_pct: number | null, 
/**
 * Cash the income fund has on the day (what can still be lent).
 */
cash_available: number, waiting: number, };
export type PeriodKind = "month" | "quarter" | "year";
export type Period = { label: string, kind: PeriodKind, year: number, from: string, to: string, };
export type ReportOptions = { 
/**
 * Add the member list (names, sex, birth year, dates). Only where the commune asks for it; the
 * report says so on its first page.
 */
with_members: boolean, };
export type Preview = { period: Period, as_of: string, includes_personal_data: boolean, html: string, };
export type NoticePreview = { month: string, chain_code: string, html: string, };
export type CodeFound = { 
/**
 * The entry whose hash the code is, and its place in the journal (1 = the first entry); none
 * for the code of empty books.
 */
entry_id: number | null, position: number, date: string | null, };
export type Level = "commune" | "district" | "province";
export type PublicKeyFile = { name: string, fingerprint: string, public_key_file: string, };
export type SentBundle = { sequence: number, period: string, file_name: string, sha256: string, created_at: string, created_by: string, };
export type CommuneCheck = { 
/**
 * The unit checked (its name).
 */
name: string, 
/**
 * No problem found.
 */
ok: boolean, 
/**
 * Received bundles looked at, and roll-up bundles sent.
 */
received: number, sent: number, 
/**
 * Each problem: `commune.check.digest`, `.signature`, `.manifest`, `.report_json`, `.chain`,
 * `.sent_signature`, with the club (or unit) and sequence. Empty when all is as received.
 */
problems: Array<Notice>, };
export type Commune = { level: Level, name: string, district: string, province: string, 
/**
 * The yearly report is due on this day and month of the year it covers (default 10 December).
 */
deadline_day: number, deadline_month: number, 
/**
 * The commune's signing key (for its own roll-up bundles): its fingerprint.
 */
key_fingerprint: string, created_at: string, };
export type CommuneInput = { level: Level, name: string, district: string, province: string, deadline_day: number, deadline_month: number, };
export type RegisteredKey = { fingerprint: string, 
/**
 * minisign's key id: a label only.
 */
key_id: string, public_key: string, 
/**
 * `card` (typed fingerprint checked at registration) or `rotation` (endorsed by the key before).
 */
how: string, 
/**
 * The first bundle sequence signed with it (a key from a rotation).
 */
from_sequence: number | null, added_at: string, retired_at: string | null, 
/**
 * The sequence of the bundle that brought the next key: this key signs nothing from there on.
 */
retired_at_sequence: number | null, };
export type RegisteredClub = { id: number, name: string, hamlet: string, registered_at: string, registered_by: string, 
/**
 * The fingerprint of the key in use.
 */
fingerprint: string, keys: Array<RegisteredKey>, 
/**
 * Bundles accepted from the club, and the highest sequence held.
 */
bundles: number, last_sequence: number | null, };
export type Accepted = { path: string, club_id: number, club: string, sequence: number, period: string, sha256: string, 
/**
 * What the officer should know: `bundle.gap` (bundles before it are missing),
 * `commune.key_rotated` (the club's new key, endorsed by the registered one, is now recorded).
 */
flags: Array<Notice>, };
export type Refused = { path: string, reason: Notice, club: string | null, sequence: number | null, };
export type CommuneImportReport = { 
/**
 * Bundle files looked at.
 */
files: number, accepted: Array<Accepted>, refused: Array<Refused>, };
export type ReportState = "on_time" | "late" | "missing" | "not_yet_due";
export type ClubStatus = { club_id: number, club: string, hamlet: string, state: ReportState, received_on: string | null, sequence: number | null, versions: number, };
export type PeriodStatus = { period: Period, deadline: string, today: string, clubs: Array<ClubStatus>, reported: number, missing: number, };
export type Destination = { path: string, 
/**
 * The drive's name (its label, as the desktop mounted it) or the folder's name.
 */
label: string, removable: boolean, };
export type ClubKey = { 
/**
 * minisign's key id: 16 upper-case hex digits, as `minisign` prints it. A label only: anyone can
 * give their own key the same id, so it proves nothing (the fingerprint does).
 */
key_id: string, 
/**
 * The key's fingerprint (`fingerprint`): SHA-256 of the public key, 32 hex digits in eight
 * groups of four, `3F2A 9B1C 7D4E 0A55 91C2 44AB 0D7E 6F13`, compared by eye with the card.
 */
fingerprint: string, 
/**
 * The public key in base64, the second line of `club.pub`.
 */
public_key: string, 
/**
 * The whole text of a minisign `.pub` file for this key.
 */
public_key_file: string, 
/**
 * UTC, RFC 3339.
 */
created_at: string, created_by: string, retired_at: string | null, 
/**
 * The key this one replaced (a rotation), if any: its key id (a label) and its fingerprint.
 */
replaces_key_id: string | null, replaces_fingerprint: string | null, };
export type RotationProof = { previous_key_id: string, 
/**
 * The old key's public key, base64.
 */
previous_public_key: string, 
/**
 * The plain-text statement (`ishc key rotation v1` …) the old key signed.
 */
statement: string, 
/**
 * The minisign signature of `statement` by the old key (the text of a `.minisig` file).
 */
signature: string, };
export type KeyRotation = { old: ClubKey, new: ClubKey, proof: RotationProof, };
export type ManifestClub = { name: string, commune: string, district: string, province: string, 
/**
 * minisign's key id: a label, not proof of anything.
 */
key_id: string, 
/**
 * `key::fingerprint` of the signing key (SHA-256, eight groups of four hex digits): what the
 * key card shows. The verifier recomputes it from the key and refuses a manifest that differs.
 */
key_fingerprint: string, };
export type ManifestPeriod = { label: string, from: string, to: string, };
export type ManifestFile = { name: string, size: number, 
/**
 * Lower-case hex.
 */
sha256: string, };
export type Manifest = { 
/**
 * Always `ishc-report-bundle`.
 */
format: string, format_version: number, club: ManifestClub, period: ManifestPeriod, 
/**
 * 1 for the club's first bundle, then one more each time.
 */
sequence: number, 
/**
 * SHA-256 of the previous bundle's zip file (None for the first): bundles form a chain.
 */
previous_bundle_sha256: string | null, 
/**
 * The hash of the club's newest journal entry when the bundle was made (all zeros: none yet).
 */
ledger_head: string, 
/**
 * UTC, RFC 3339.
 */
created_at: string, app_version: string, includes_personal_data: boolean, 
/**
 * Present when the signing key replaced an older one: the change, signed by the old key.
 */
key_rotation: RotationProof | null, 
/**
 * The report files and `club.pub`, by name.
 */
files: Array<ManifestFile>, };
export type Exported = { path: string, file_name: string, sequence: number, 
/**
 * SHA-256 of the zip file.
 */
sha256: string, size: number, manifest: Manifest, };
export type CheckedAgainst = "bundle_key" | "given_key" | "endorsed_by_given_key";
export type VerifyReport = { ok: boolean, 
/**
 * The first problem found (checking stops there); None when ok.
 */
problem: Notice | null, 
/**
 * The key the signature was checked with: the bundle's own `club.pub` or the one given.
 */
checked_against: CheckedAgainst, 
/**
 * The manifest, once it was read and its signature checked.
 */
manifest: Manifest | null, 
/**
 * The key that signed the manifest (once the signature checked out): its key id (a label) and
 * its fingerprint, recomputed from the key itself (`key::fingerprint`), to compare with the card.
 */
key_id: string | null, fingerprint: string | null, 
/**
 * When the bundle carries a key change that checked out: the fingerprint of the old key that
 * vouched for this one (to compare with the old card).
 */
previous_fingerprint: string | null, 
/**
 * The names of the entries in the zip, in order (as far as they were read).
 */
files: Array<string>, };
export type BundleRecord = { sequence: number, period: string, file_name: string, sha256: string, manifest_sha256: string, key_id: string, includes_personal_data: boolean, created_at: string, created_by: string, };
export type BackupClub = { id: number, name: string, };
export type BackupInfo = { path: string, file_name: string, bytes: number, encrypted: boolean, 
/**
 * The schema version the backup was made with (an older one is migrated when restored).
 */
schema_version: number, clubs: Array<BackupClub>, members: number, };
export type Generation = { path: string, file_name: string, 
/**
 * When it was made, the laptop's local time (from its name).
 */
made_at: string, bytes: number, };
export type AutoBackup = { made: BackupInfo, folder: string, kept: Array<Generation>, removed: Array<string>, };
export type BackupFile = { path: string, file_name: string, bytes: number, encrypted: boolean, };
export type FoundFile = { path: string, file_name: string, bytes: number, };
export type Restored = { 
/**
 * The books restored into.
 */
ledger: string, 
/**
 * The backup restored from.
 */
from: string, encrypted: boolean, 
/**
 * Where the books it replaced were kept (none when there were none).
 */
kept_as: string | null, 
/**
 * The backup's schema version, and the books' now (higher when it was migrated).
 */
backup_schema_version: number, schema_version: number, clubs: Array<BackupClub>, members: number, 
/**
 * The clubs of the books it replaced.
 */
replaced_clubs: Array<BackupClub>, };
