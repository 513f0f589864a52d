//! Everything the CLI says: results as text or JSON on stdout, one-line errors on stderr.
//!
//! Every byte for standard output goes through `write_stdout` (never `print!`/`println!`, which
//! panic when the reader has gone): `ishc fund journal | head -1` closes the pipe after one line,
//! and the next write fails with `BrokenPipe`. Then the program ends at once, quietly, with exit
//! code 141 — what a shell reports for a program ended by SIGPIPE (128 + 13), so a script with
//! `set -o pipefail` never takes an unread result (a `verify` whose verdict nobody read) for
//! success. This is done here, in one place, rather than by restoring SIGPIPE's default action
//! at start: that needs `libc` and `unsafe`, exists only on Unix, and would kill the process
//! without a chance to finish; a write error is how a closed pipe shows on Windows too.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::OnceLock;

use ishc_core::error::{CoreError, Field, Rule};
use ishc_core::i18n::{self, Lang};
use ishc_core::notice::Notice;
use serde::Serialize;

pub(crate) type Result<T, E = CliError> = std::result::Result<T, E>;

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
    /// No backup passphrase given and no terminal to type it on: names the variable to set.
    BackupPassphraseMissing { var: String },
    /// No PIN given and no terminal to type it on: names the variable to set.
    PinMissing { var: String },
    /// The new PIN typed twice differently.
    PinMismatch,
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
            CliError::BackupPassphraseMissing { var } => ("backup.passphrase_missing".into(), serde_json::json!({ "var": var })),
            CliError::PinMissing { var } => ("pin.missing".into(), serde_json::json!({ "var": var })),
            CliError::PinMismatch => ("pin.mismatch".into(), serde_json::json!({})),
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

/// The exit code when standard output's reader has gone (see the module comment).
pub const EXIT_CLOSED_PIPE: u8 = 141;

/// The language for the one message `write_stdout` may have to say itself; set once in `main`.
static LANG: OnceLock<Lang> = OnceLock::new();

pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// Write `bytes` to standard output and flush. A closed pipe ends the program quietly
/// (`EXIT_CLOSED_PIPE`); any other failure (a full disk behind `> file`) is said on standard
/// error and ends it with exit 1, since what was asked for could not be delivered.
pub fn write_stdout(bytes: &[u8]) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_CLOSED_PIPE.into());
        }
        let lang = LANG.get().copied().unwrap_or(Lang::Vi);
        let message = i18n::message_for(lang, "io", &serde_json::json!({ "path": "-", "detail": e.to_string() }));
        eprintln!("ishc: {message}");
        std::process::exit(1);
    }
}

/// `text` and a newline on standard output, through `write_stdout`.
pub fn out_line(text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(b'\n');
    write_stdout(&bytes);
}

pub fn print_error(e: &CliError, lang: Lang, json: bool) -> ExitCode {
    let body = e.to_json(lang);
    if json && !matches!(e, CliError::Printed(_)) {
        out_line(&serde_json::to_string_pretty(&serde_json::json!({ "error": body })).unwrap_or_default());
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
        out_line(&serde_json::to_string_pretty(&body).unwrap_or_default());
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
        out_line(&serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        out_line(&text());
    }
}

/// What a save warns about (the `Notice`s a meeting or a loan decision returns), one line each on
/// stderr; under `--json` they are in the result itself.
pub fn print_warnings(lang: Lang, json: bool, warnings: &[Notice]) {
    if !json {
        for w in warnings {
            eprintln!("{}", i18n::fill(&i18n::t(lang, &w.code), &w.params));
        }
    }
}
