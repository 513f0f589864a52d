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
    /// An error whose JSON is already on stdout inside the command's own result (the import report
    /// with its `error`): only the line on stderr is left to say, so stdout holds one JSON value.
    Printed(Box<CliError>),
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
            CliError::Printed(inner) => inner.code_and_params(),
        }
    }

    /// `{ code, params, message }`: what `--json` prints under `"error"`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let (code, params) = self.code_and_params();
        let message = i18n::message_for(lang, &code, &params);
        serde_json::json!({ "code": code, "params": params, "message": message })
    }
}

pub fn print_error(e: &CliError, lang: Lang, json: bool) -> ExitCode {
    let body = e.to_json(lang);
    if json && !matches!(e, CliError::Printed(_)) {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "error": body })).unwrap_or_default());
    }
    eprintln!("ishc: {}", body["message"].as_str().unwrap_or_default());
    ExitCode::from(1)
}

/// `--json` and `--lang` as typed, for when clap refused the command line and could not say them:
/// only the arguments before a `--`, then `ISHC_LANG`.
pub fn raw_flags(args: &[std::ffi::OsString]) -> (Lang, bool) {
    let args: Vec<&str> = args.iter().skip(1).map(|a| a.to_str().unwrap_or_default()).take_while(|a| *a != "--").collect();
    let json = args.contains(&"--json");
    let typed = args
        .iter()
        .enumerate()
        .filter_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).map(|v| v.to_string()),
            Some(v) => v.strip_prefix('=').map(str::to_string),
            None => None,
        })
        .next_back()
        .or_else(|| std::env::var("ISHC_LANG").ok());
    (if typed.as_deref() == Some("en") { Lang::En } else { Lang::Vi }, json)
}

/// Clap's own errors, said through the catalogue (Vietnamese first) with clap's English line in
/// brackets; help and version as is. Under `--json` a usage error is also one JSON error object on
/// stdout, `{ "error": { "code": "usage.…", "params": { "arg", "detail" }, "message" } }`.
pub fn usage_error(e: clap::Error, lang: Lang, json: bool) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand if !json => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let arg = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand))
        .map(|v| v.to_string())
        .unwrap_or_default();
    let code = match e.kind() {
        ErrorKind::UnknownArgument => "usage.unknown_argument",
        ErrorKind::InvalidSubcommand => "usage.invalid_subcommand",
        ErrorKind::MissingRequiredArgument => "usage.missing_argument",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => "usage.missing_subcommand",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "usage.invalid_value",
        ErrorKind::ArgumentConflict => "usage.conflict",
        _ => "usage.other",
    };
    let rendered = e.render().to_string();
    // Clap's message without its usage and tips: the lines before the first blank one, joined.
    let detail = rendered
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string();
    let params = serde_json::json!({ "arg": arg, "detail": detail });
    let message = i18n::message_for(lang, code, &params);
    if json {
        let body = serde_json::json!({ "error": { "code": code, "params": params, "message": message } });
        println!("{}", serde_json::to_string_pretty(&body).unwrap_or_default());
        if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            let _ = e.print();
        }
    }
    eprintln!("ishc: {message}");
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
