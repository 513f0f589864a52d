//! The two self-managed funds as a double-entry journal. The treasurer fills vouchers (phiếu thu,
//! phiếu chi); this module posts balanced entries. **Only this module writes postings**, and within
//! it only `post::post`.
//!
//! Invariants, each re-checked by `verify` (and so by `ishc check`):
//! - every entry balances within each fund (so each fund's assets = its capital + surplus);
//! - cash and bank never go below zero in a fund, at any date;
//! - the journal is append-only (SQL triggers) and hash-chained per club; a correction is a
//!   reversing entry pointing at the one it reverses;
//! - voucher numbers run 1, 2, 3… per club, fund, series and year, never reused;
//! - a cash count or bank check leaves a dated balance assertion; nothing may be dated on or before
//!   it in that fund, nor in a closed month.
//!
//! And, on the way in and out:
//! - every posting is to an `Account`, stored as its code; a stored fund or account code the books
//!   never write is damage, named by every reader (and listed by `ishc check`), never a default;
//! - text the books store (memo, reason, counter, witness, confirmers) follows the one stored-text
//!   rule (`text::bounded` / `text::required`);
//! - the books build no sentences: `memo` is only what a person typed; what the core says about a
//!   voucher (dues of a month, a count, a reversal, a loan's) is its notice (`memo_code`,
//!   `memo_params`: a `memo.*` key and raw values), said by the reader (`i18n::memo_text`), and
//!   covered by the hash chain when present (older entries, without one, hash as they always did).
//!
//! Each rule has one owner:
//! - `types` — the vocabulary (funds, sources, areas, kinds, accounts) and how a stored code is read
//!   back: an unknown one is damage, named, never a default (`stored_fund`, `stored_account`);
//! - `post` — the one writer: balance per fund, the amount bounds, the date rule (club day, closed
//!   month, counted fund), no cash or bank below zero from the entry's date on, numbering, the hash
//!   chain (`entry_hash`, `chain_head`) and the voucher label;
//! - `vouchers` — what each voucher posts (receipt, payment, transfer, opening, reversal, the loan
//!   entries) and reading entries back (`find`, `journal`);
//! - `counts` — cash counts, bank checks and their balance assertions, month close;
//! - `dues` — a month's dues as one receipt, never twice for a member; the dues grid;
//! - `reports` — balances, cash book, summary: sums of postings, never a second copy;
//! - `verify` — re-checks every invariant above on what is stored;
//! - `export` — hledger and beancount files.

mod counts;
mod dues;
mod export;
mod post;
mod reports;
mod types;
mod verify;
mod vouchers;

pub use counts::{bank_check, cash_count, close_month, counts, notes_for, parse_month, CountRow, DENOMINATIONS, MAX_NOTES_OF_A_KIND};
pub(crate) use counts::{cash_count_in, close_month_in};
pub use dues::{dues_grid, record_dues, DuesGrid, DuesRow};
pub(crate) use dues::record_dues_in;
pub use export::{account_path, export, ExportFormat};
pub use post::{GENESIS, MAX_AMOUNT};
pub(crate) use post::{chain_head, chain_head_and_count, VOUCHER_LABEL_SQL};
pub use reports::{
    balance_at, balances, balances_on_two_days, cashbook, sum_amounts, summary, AccountBalance, Balances, Cashbook, CashbookLine, FundBalance,
    PeriodSummary,
};
pub use types::{
    is_asset, Account, Area, CountInput, CountResult, Entry, Fund, Kind, MonthClose, PaymentInput, Posting, ReceiptInput, Source, Via,
};
pub use verify::verify;
pub use vouchers::{find, journal, opening, payment, receipt, reverse, transfer};
pub(crate) use vouchers::{
    loan_disburse_in, loan_repay_in, loan_write_off_in, payment_in, payment_noted_in, receipt_in, receipt_noted_in, transfer_in,
};

#[cfg(test)]
mod tests;
