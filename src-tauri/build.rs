// Declare the app's own commands so each gets an allow/deny permission, like a plugin's; the window's
// capability file (capabilities/main.json) then grants exactly the ones it uses.
const COMMANDS: &[&str] = &[
    "app_state",
    "presets",
    "club_create",
    "club_update",
    "overview",
    "member_list",
    "member_get",
    "member_add",
    "member_edit",
    "member_leave",
    "member_set_flag",
    "member_set_role",
    "composition",
    "member_import",
    "fund_balances",
    "fund_cashbook",
    "fund_receipt",
    "fund_payment",
    "fund_reverse",
    "fund_count",
    "fund_dues_grid",
    "fund_dues",
    "fund_journal",
    "fund_close",
    "meeting_add",
    "meeting_decide",
    "meeting_list",
    "meeting_get",
    "meeting_grid",
    "activity_add",
    "activity_list",
    "standard",
    "loan_rules",
    "loan_set_rules",
    "loan_apply",
    "loan_approve",
    "loan_disburse",
    "loan_repay",
    "loan_card",
    "loan_list",
    "loan_waiting",
    "loan_portfolio",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
