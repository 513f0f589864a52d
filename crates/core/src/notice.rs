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
