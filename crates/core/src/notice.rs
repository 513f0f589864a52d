//! A notice: something the core has to tell the reader that is not a refusal — a problem `check`
//! found, a warning after a save, the first thing wrong with a bundle. Like an error, it is a stable
//! code with parameters; the CLI and the window turn it into words (`i18n::notice_message`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Notice {
    pub code: String,
    pub params: serde_json::Value,
}

impl Notice {
    pub fn new(code: &str, params: serde_json::Value) -> Notice {
        Notice { code: code.to_string(), params }
    }
}

/// A notice stored as a catalogue key and its parameters in two columns (a voucher's `memo_code`
/// and `memo_params`, a decision's `text_code` and `text_params`): both NULL is no notice; a key
/// with a JSON object is one; anything else is damage named by table, row and column, never a default.
pub(crate) fn stored(table: &str, row: i64, columns: [&str; 2], code: Option<String>, params: Option<String>) -> rusqlite::Result<Option<Notice>> {
    match (code, params) {
        (None, None) => Ok(None),
        (Some(code), Some(p)) => match stored_params(&p) {
            Some(params) => Ok(Some(Notice { code, params })),
            None => Err(crate::error::damaged(table, row, columns[1], p)),
        },
        (None, Some(p)) => Err(crate::error::damaged(table, row, columns[1], p)),
        (Some(code), None) => Err(crate::error::damaged(table, row, columns[0], code)),
    }
}

/// Stored parameters read back: a JSON object, or `None` (damage).
pub(crate) fn stored_params(s: &str) -> Option<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(s).ok().filter(|v| v.is_object())
}
