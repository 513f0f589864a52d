//! Everything the CLI says: results as text or JSON on stdout, one-line errors on stderr.

use std::process::ExitCode;

use ishc_core::error::{CoreError, Field, Rule};
use ishc_core::i18n::{self, Lang};
use serde::Serialize;

#[derive(Debug)]
pub enum CliError {
    Core(CoreError),
    /// A command-line value the core never saw (a date that does not parse, an unknown flag name).
    Arg { field: Field, rule: Rule },
    ActorMissing,
    /// A file the CLI itself reads or writes.
    Io { path: String, detail: String },
    /// `check` found problems: already printed, exit 1.
    CheckFailed,
    /// `verify` found the bundle wrong: already printed, exit 1.
    VerifyFailed,
    /// No passphrase given and no terminal to type it on: names the variable to set.
    PassphraseMissing { var: String },
    /// The new passphrase typed twice differently.
    PassphraseMismatch,
}

impl From<CoreError> for CliError {
    fn from(e: CoreError) -> Self {
        CliError::Core(e)
    }
}

impl CliError {
    fn code_and_params(&self) -> (String, serde_json::Value) {
        match self {
            CliError::Core(e) => {
                let j = e.to_json();
                (j["code"].as_str().unwrap_or_default().to_string(), j.get("params").cloned().unwrap_or_default())
            }
            CliError::Arg { field, rule } => ("arg.invalid".into(), serde_json::json!({ "field": field, "rule": rule })),
            CliError::ActorMissing => ("actor.missing".into(), serde_json::json!({})),
            CliError::Io { path, detail } => ("io".into(), serde_json::json!({ "path": path, "detail": detail })),
            CliError::CheckFailed => ("check.failed".into(), serde_json::json!({})),
            CliError::VerifyFailed => ("verify.failed".into(), serde_json::json!({})),
            CliError::PassphraseMissing { var } => ("passphrase.missing".into(), serde_json::json!({ "var": var })),
            CliError::PassphraseMismatch => ("passphrase.mismatch".into(), serde_json::json!({})),
        }
    }
}

pub fn print_error(e: &CliError, lang: Lang, json: bool) -> ExitCode {
    let (code, params) = e.code_and_params();
    let message = i18n::message_for(lang, &code, &params);
    if json {
        let body = serde_json::json!({ "error": { "code": code, "params": params, "message": message } });
        println!("{}", serde_json::to_string_pretty(&body).unwrap_or_default());
    }
    eprintln!("ishc: {message}");
    ExitCode::from(1)
}

/// Clap's own errors, said in Vietnamese first for the kinds a person meets; help and version as is.
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { 2 } else { 0 });
        }
        _ => {}
    }
    let what = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand))
        .map(|v| v.to_string())
        .unwrap_or_default();
    let vi = match e.kind() {
        ErrorKind::UnknownArgument => format!("không hiểu tùy chọn {what}"),
        ErrorKind::InvalidSubcommand => format!("không có lệnh {what}"),
        ErrorKind::MissingRequiredArgument => format!("thiếu thông tin bắt buộc {what}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!("giá trị không hợp lệ cho {what}"),
        ErrorKind::ArgumentConflict => format!("không dùng cùng lúc được: {what}"),
        _ => "lệnh không đúng".to_string(),
    };
    let en = e.render().to_string();
    let en = en.lines().next().unwrap_or_default().trim_start_matches("error: ");
    eprintln!("ishc: {vi} ({en}). Xem: ishc --help");
    ExitCode::from(2)
}

/// Print a result: pretty JSON, or the text the caller made.
pub fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", text());
    }
}
