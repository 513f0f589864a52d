//! The Tauri shell. It finds the books, holds the one-instance lock, and exposes the core to the
//! window through the commands in `commands/` (`mod.rs` for the club's books, `commune.rs` for the
//! commune officer's inbox). No rule of the books lives here.

mod commands;
mod session;

pub use session::{Session, Status};

use tauri::Manager;

pub fn run() {
    // ISHC_IDLE_SECONDS (tests) overrides the club's idle minutes before the window locks.
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
            commands::fund_bank_check,
            commands::fund_counts,
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
            commands::bundle_files,
            commands::bundle_export,
            commands::destinations,
            commands::report_save,
            commands::report_preview,
            commands::fund_notice,
            commands::fund_notice_check,
            commands::member_statement,
            commands::backup_state,
            commands::backup_now,
            commands::backup_export,
            commands::backup_files,
            commands::backup_restore,
            commands::auth_state,
            commands::auth_sign_in,
            commands::auth_lock,
            commands::auth_setup_chair,
            commands::auth_setup_founder,
            commands::auth_recover,
            commands::auth_add,
            commands::auth_reset_pin,
            commands::auth_remove,
            commands::auth_set_pin,
            commands::auth_set_lock_minutes,
            commands::audit_list,
            commands::commune_set_officer,
            commands::commune_create,
            commands::commune_clubs,
            commands::commune_register,
            commands::commune_collect,
            commands::commune_import,
            commands::commune_import_progress,
            commands::commune_status,
            commands::commune_set_deadline,
            commands::commune_key,
            commands::commune_key_save,
            commands::commune_send,
            commands::commune_sent,
            commands::commune_check,
            commands::commune_rollup_preview,
            commands::commune_rollup_save,
        ])
        .setup(|app| {
            // Once a day while the window is open: every hour, a local backup if the newest is a day old.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(session::AUTO_BACKUP_CHECK);
                if let Err(e) = handle.state::<Session>().auto_backup(true) {
                    eprintln!("ishc: automatic backup failed: {e}");
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // And whenever the window closes.
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                if let Err(e) = window.state::<Session>().auto_backup(false) {
                    eprintln!("ishc: automatic backup failed: {e}");
                }
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running the ledger window");
}

/// The window's shell types (`ui/src/lib/shell.ts`), generated like the core's `bindings.ts`.
pub fn shell_typescript() -> String {
    use ts_rs::TS;
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the shell's Rust types by `cargo test -p ishc-app` (UPDATE_SNAPSHOTS=1). Do not edit.\n\
         import type { Club, Commune, CoreError, Generation, Refused, SignIn } from \"./bindings\";\n",
    );
    for d in [
        commands::ApiError::decl(&cfg),
        session::Status::decl(&cfg),
        commands::AppState::decl(&cfg),
        commands::BackupState::decl(&cfg),
        commands::Created::decl(&cfg),
        commands::Countersigner::decl(&cfg),
        commands::AuthState::decl(&cfg),
        commands::CommuneClubForm::decl(&cfg),
        commands::ImportProgress::decl(&cfg),
        commands::Collected::decl(&cfg),
    ] {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn read(rel: &str) -> String {
        std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The identifiers that follow `marker` up to the next non-identifier character.
    fn names_after(text: &str, marker: &str) -> BTreeSet<String> {
        text.match_indices(marker)
            .map(|(i, _)| {
                text[i + marker.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect::<String>()
            })
            .map(|n| n.replace('-', "_"))
            .collect()
    }

    #[test]
    fn shell_bindings_are_up_to_date() {
        let path = root().join("ui/src/lib/shell.ts");
        let now = super::shell_typescript();
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &now).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), now, "ui/src/lib/shell.ts is stale: rerun with UPDATE_SNAPSHOTS=1");
    }

    /// The window's commands are named in four places: the handler list (`lib.rs`), the permission
    /// list (`build.rs`), the window's capability (`capabilities/main.json`) and the window's door
    /// (`ui/src/lib/api.ts`). A command missing from one of them is a window that fails at run time
    /// ("not allowed" or "not found"), so the four must name exactly the same commands.
    #[test]
    fn the_four_command_lists_agree() {
        let lib = read("src-tauri/src/lib.rs");
        let handlers = names_after(&lib[lib.find("generate_handler![").unwrap()..lib.find("])").unwrap()], "commands::");
        let build = read("src-tauri/build.rs");
        let declared = names_after(&build[build.find("COMMANDS").unwrap()..build.find("];").unwrap()], "\"");
        let declared: BTreeSet<String> = declared.into_iter().filter(|n| !n.is_empty()).collect();
        let capability = names_after(&read("src-tauri/capabilities/main.json"), "\"allow-");
        let api = read("ui/src/lib/api.ts");
        let mut invoked = names_after(&api, "invoke(\"");
        for (i, _) in api.match_indices("invoke<") {
            let rest = &api[i..];
            let q = rest.find("(\"").expect("invoke<T>(\"name\"");
            invoked.extend(names_after(&rest[q..q + 2 + 40.min(rest.len() - q - 2)], "(\""));
        }
        assert!(handlers.len() > 40, "found only {} handlers", handlers.len());
        assert_eq!(declared, handlers, "build.rs COMMANDS vs lib.rs generate_handler!");
        assert_eq!(capability, handlers, "capabilities/main.json vs lib.rs generate_handler!");
        assert_eq!(invoked, handlers, "ui/src/lib/api.ts invoke(...) vs lib.rs generate_handler!");
    }
}
