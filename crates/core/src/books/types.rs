//! The vocabulary of the books: funds, sources, areas, entry kinds, accounts; the inputs a
//! treasurer fills and what a voucher or a count gives back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::damaged;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Fund {
    /// Quỹ tăng thu nhập: the revolving loan fund.
    Income,
    /// Quỹ hoạt động.
    Activity,
}

impl Fund {
    pub const ALL: [Fund; 2] = [Fund::Income, Fund::Activity];
    pub fn code(self) -> &'static str {
        match self {
            Fund::Income => "income",
            Fund::Activity => "activity",
        }
    }
    /// The short letters on a voucher number: TN (tăng thu nhập), HĐ (hoạt động).
    pub fn short(self) -> &'static str {
        match self {
            Fund::Income => "TN",
            Fund::Activity => "HD",
        }
    }
    pub fn parse(s: &str) -> Option<Fund> {
        match text::fold(s).as_str() {
            "income" | "tn" | "tang thu nhap" => Some(Fund::Income),
            "activity" | "hd" | "hoat dong" => Some(Fund::Activity),
            _ => None,
        }
    }
}

/// Where money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Dues,
    Community,
    Family,
    Business,
    Charity,
    /// State or older people's association seed money.
    Seed,
    Fundraising,
    Interest,
    Other,
}

impl Source {
    pub const ALL: [Source; 9] = [
        Source::Dues,
        Source::Community,
        Source::Family,
        Source::Business,
        Source::Charity,
        Source::Seed,
        Source::Fundraising,
        Source::Interest,
        Source::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Source::Dues => "dues",
            Source::Community => "community",
            Source::Family => "family",
            Source::Business => "business",
            Source::Charity => "charity",
            Source::Seed => "seed",
            Source::Fundraising => "fundraising",
            Source::Interest => "interest",
            Source::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// What money is spent on: the eight activity areas, or administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    A1,
    A2,
    A3,
    A4,
    A5,
    A6,
    A7,
    A8,
    Admin,
}

impl Area {
    pub const ALL: [Area; 9] = [Area::A1, Area::A2, Area::A3, Area::A4, Area::A5, Area::A6, Area::A7, Area::A8, Area::Admin];
    pub fn code(self) -> &'static str {
        match self {
            Area::A1 => "a1",
            Area::A2 => "a2",
            Area::A3 => "a3",
            Area::A4 => "a4",
            Area::A5 => "a5",
            Area::A6 => "a6",
            Area::A7 => "a7",
            Area::A8 => "a8",
            Area::Admin => "admin",
        }
    }
    /// `1`..`8`, `a1`..`a8` or `admin`.
    pub fn parse(s: &str) -> Option<Area> {
        let s = s.trim().to_lowercase();
        let s = if s.len() == 1 { format!("a{s}") } else { s };
        Area::ALL.into_iter().find(|a| a.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Receipt,
    Payment,
    Transfer,
    Reversal,
    CountAdjustment,
    Opening,
}

impl Kind {
    pub(super) fn code(self) -> &'static str {
        match self {
            Kind::Receipt => "receipt",
            Kind::Payment => "payment",
            Kind::Transfer => "transfer",
            Kind::Reversal => "reversal",
            Kind::CountAdjustment => "count_adjustment",
            Kind::Opening => "opening",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Kind> {
        match s {
            "receipt" => Some(Kind::Receipt),
            "payment" => Some(Kind::Payment),
            "transfer" => Some(Kind::Transfer),
            "reversal" => Some(Kind::Reversal),
            "count_adjustment" => Some(Kind::CountAdjustment),
            "opening" => Some(Kind::Opening),
            _ => None,
        }
    }
    /// Phiếu thu (PT), phiếu chi (PC), chuyển quỹ (CK), điều chỉnh (DC).
    pub(super) fn series(self) -> &'static str {
        match self {
            Kind::Receipt | Kind::Opening => "PT",
            Kind::Payment => "PC",
            Kind::Transfer => "CK",
            Kind::Reversal | Kind::CountAdjustment => "DC",
        }
    }
}

/// A fund read from `table`'s row `row`: an unknown one is damage, never a default.
pub(super) fn stored_fund(table: &str, row: i64, value: &str) -> rusqlite::Result<Fund> {
    Fund::parse(value).ok_or_else(|| damaged(table, row, "fund", value))
}

/// Whether an account holds what the fund owns (cash, bank, loans) or where it came from / went.
pub fn is_asset(account: &str) -> bool {
    matches!(account, "cash" | "bank" | "loans")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Posting {
    pub fund: Fund,
    /// `cash`, `bank`, `loans`, `capital`, `transfer`, `income:<source>`, `expense:<area>`,
    /// `income:count_surplus`, `expense:count_shortage`.
    pub account: String,
    /// Đồng; debit positive, credit negative.
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Entry {
    pub id: i64,
    pub club_id: i64,
    /// The number people write and read: `PT-HD-2026-0001`.
    pub voucher: String,
    pub fund: Fund,
    pub kind: Kind,
    pub date: NaiveDate,
    pub memo: String,
    pub member_id: Option<i64>,
    pub reverses: Option<i64>,
    pub reversed_by: Option<i64>,
    pub reason: Option<String>,
    pub actor: String,
    pub created_at: String,
    pub prev_hash: String,
    pub hash: String,
    pub postings: Vec<Posting>,
}

impl Entry {
    /// The money this voucher moved (the sum of its debits).
    pub fn amount(&self) -> i64 {
        self.postings.iter().filter(|p| p.amount > 0).map(|p| p.amount).sum()
    }
}

/// Money in or out of the fund through cash (default) or the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    #[default]
    Cash,
    Bank,
}

impl Via {
    pub(super) fn account(self) -> &'static str {
        match self {
            Via::Cash => "cash",
            Via::Bank => "bank",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptInput {
    pub fund: Fund,
    pub amount: i64,
    pub source: Source,
    pub date: NaiveDate,
    #[serde(default)]
    pub member_id: Option<i64>,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub via: Via,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaymentInput {
    pub fund: Fund,
    pub amount: i64,
    pub area: Area,
    pub date: NaiveDate,
    #[serde(default)]
    pub member_id: Option<i64>,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub via: Via,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CountInput {
    pub fund: Fund,
    pub date: NaiveDate,
    /// Banknote value → how many.
    pub notes: BTreeMap<i64, i64>,
    pub counted_by: String,
    pub witness: String,
    /// Why the cash differs from the book, when it does.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CountResult {
    pub id: i64,
    pub fund: Fund,
    pub account: String,
    pub date: NaiveDate,
    pub book: i64,
    pub counted: i64,
    pub difference: i64,
    pub adjustment: Option<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MonthClose {
    pub month: String,
    pub closed_by: String,
    pub confirmed_by: Vec<String>,
    pub chain_head: String,
    pub entries: i64,
}
