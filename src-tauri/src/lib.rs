//! The Tauri shell. It finds the books, holds the one-instance lock, and exposes the core to the
//! window through the commands in `commands.rs`. No rule of the books lives here.

mod commands;
mod session;

pub use session::{Session, Status};

pub fn run() {
    let session = Session::start(session::db_path_from_env(), session::today_from_env());
    tauri::Builder::default()
        .manage(session)
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::presets,
            commands::club_create,
            commands::club_update,
            commands::overview,
            commands::member_list,
            commands::member_get,
            commands::member_add,
            commands::member_edit,
            commands::member_leave,
            commands::member_set_flag,
            commands::member_set_role,
            commands::composition,
            commands::member_import,
            commands::fund_balances,
            commands::fund_cashbook,
            commands::fund_receipt,
            commands::fund_payment,
            commands::fund_reverse,
            commands::fund_count,
            commands::fund_dues_grid,
            commands::fund_dues,
            commands::fund_journal,
            commands::fund_close,
            commands::meeting_add,
            commands::meeting_decide,
            commands::meeting_list,
            commands::meeting_get,
            commands::meeting_grid,
            commands::activity_add,
            commands::activity_list,
            commands::standard,
            commands::loan_rules,
            commands::loan_set_rules,
            commands::loan_apply,
            commands::loan_approve,
            commands::loan_disburse,
            commands::loan_repay,
            commands::loan_card,
            commands::loan_list,
            commands::loan_waiting,
            commands::loan_portfolio,
            commands::key_rotate,
            commands::key_create,
            commands::key_show,
            commands::bundle_list,
            commands::bundle_verify,
            commands::bundle_export,
            commands::destinations,
            commands::report_save,
            commands::report_preview,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the ledger window");
}
