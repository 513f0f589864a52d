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
    let (code, params) = e.code_and_params();
    let message = i18n::message_for(lang, &code, &params);
    if json {
        let body = serde_json::json!({ "error": { "code": code, "params": params, "message": message } });
        out_line(&serde_json::to_string_pretty(&body).unwrap_or_default());
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
        out_line(&serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        out_line(&text());
    }
}
