//! The vocabulary of the books: funds, sources, areas, entry kinds, accounts; the inputs a
//! treasurer fills and what a voucher or a count gives back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::coded_enum;
use crate::error::damaged;
use crate::text;

coded_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Fund {
        /// Quỹ tăng thu nhập: the revolving loan fund.
        Income = "income",
        /// Quỹ hoạt động.
        Activity = "activity",
    }
}

impl Fund {
    /// The short letters on a voucher number: TN (tăng thu nhập), HĐ (hoạt động).
    pub fn short(self) -> &'static str {
        match self {
            Fund::Income => "TN",
            Fund::Activity => "HD",
        }
    }
    /// Its code, or its Vietnamese name or letters (`tn`, `tăng thu nhập`, `HĐ`, `hoạt động`), in
    /// any case, with or without diacritics.
    pub fn parse(s: &str) -> Option<Fund> {
        let s = text::fold(s);
        Fund::from_code(&s).or(match s.as_str() {
            "tn" | "tang thu nhap" => Some(Fund::Income),
            "hd" | "hoat dong" => Some(Fund::Activity),
            _ => None,
        })
    }
}

coded_enum! {
    /// Where money comes from.
    #[derive(PartialOrd, Ord)]
    pub enum Source {
        Dues = "dues",
        Community = "community",
        Family = "family",
        Business = "business",
        Charity = "charity",
        /// State or older people's association seed money.
        Seed = "seed",
        Fundraising = "fundraising",
        Interest = "interest",
        Other = "other",
    }
}

coded_enum! {
    /// What money is spent on: the eight activity areas, or administration.
    #[derive(PartialOrd, Ord)]
    pub enum Area {
        A1 = "a1",
        A2 = "a2",
        A3 = "a3",
        A4 = "a4",
        A5 = "a5",
        A6 = "a6",
        A7 = "a7",
        A8 = "a8",
        Admin = "admin",
    }
}

impl Area {
    /// `1`..`8`, `a1`..`a8` or `admin`.
    pub fn parse(s: &str) -> Option<Area> {
        let s = s.trim().to_lowercase();
        let s = if s.len() == 1 { format!("a{s}") } else { s };
        Area::from_code(&s)
    }
}

coded_enum! {
    pub enum Kind {
        Receipt = "receipt",
        Payment = "payment",
        Transfer = "transfer",
        Reversal = "reversal",
        CountAdjustment = "count_adjustment",
        Opening = "opening",
    }
}

impl Kind {
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

/// An account of a fund: what the fund owns (cash, bank, loans), where its money came from (capital,
/// transfers from the other fund, income) or where it went (expenses). Stored and shown as its code
/// (`as_str`: `cash`, `income:dues`, `expense:a2`…), the shapes the `posting_valid` trigger admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Account {
    Cash,
    Bank,
    /// Loans receivable: principal lent to members (income fund only).
    Loans,
    /// Money the fund had before the books (an opening entry).
    Capital,
    /// Money moved between the two funds.
    Transfer,
    /// `income:<source>`: a receipt.
    Income(Source),
    /// `income:count_surplus`: a count found more than the book.
    CountSurplus,
    /// `income:penalty`: a late-repayment penalty.
    Penalty,
    /// `expense:<area>`: a payment.
    Expense(Area),
    /// `expense:count_shortage`: a count found less than the book.
    CountShortage,
    /// `expense:write_off`: a loan written off.
    WriteOff,
}

impl Account {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Account::Cash => "cash",
            Account::Bank => "bank",
            Account::Loans => "loans",
            Account::Capital => "capital",
            Account::Transfer => "transfer",
            Account::Income(source) => match source {
                Source::Dues => "income:dues",
                Source::Community => "income:community",
                Source::Family => "income:family",
                Source::Business => "income:business",
                Source::Charity => "income:charity",
                Source::Seed => "income:seed",
                Source::Fundraising => "income:fundraising",
                Source::Interest => "income:interest",
                Source::Other => "income:other",
            },
            Account::CountSurplus => "income:count_surplus",
            Account::Penalty => "income:penalty",
            Account::Expense(area) => match area {
                Area::A1 => "expense:a1",
                Area::A2 => "expense:a2",
                Area::A3 => "expense:a3",
                Area::A4 => "expense:a4",
                Area::A5 => "expense:a5",
                Area::A6 => "expense:a6",
                Area::A7 => "expense:a7",
                Area::A8 => "expense:a8",
                Area::Admin => "expense:admin",
            },
            Account::CountShortage => "expense:count_shortage",
            Account::WriteOff => "expense:write_off",
        }
    }

    /// Every account, in the order of the chart: assets, capital, transfers, income, expenses.
    pub fn all() -> impl Iterator<Item = Account> {
        [Account::Cash, Account::Bank, Account::Loans, Account::Capital, Account::Transfer]
            .into_iter()
            .chain(Source::ALL.map(Account::Income))
            .chain([Account::CountSurplus, Account::Penalty])
            .chain(Area::ALL.map(Account::Expense))
            .chain([Account::CountShortage, Account::WriteOff])
    }

    /// The account a stored code names; `None` for any other text (exact: no trimming, no case folding).
    pub fn parse(code: &str) -> Option<Account> {
        Account::all().find(|a| a.as_str() == code)
    }

    /// The code after `income:` or `expense:` (the whole code for the others): `dues`, `a2`, `cash`.
    pub(super) fn leaf(self) -> &'static str {
        let code = self.as_str();
        code.split_once(':').map_or(code, |(_, leaf)| leaf)
    }

    /// What the fund owns: cash, bank, loans.
    pub fn is_asset(self) -> bool {
        matches!(self, Account::Cash | Account::Bank | Account::Loans)
    }

    /// `income:…`: money the fund earned.
    pub fn is_income(self) -> bool {
        matches!(self, Account::Income(_) | Account::CountSurplus | Account::Penalty)
    }

    /// `expense:…`: money the fund spent or lost.
    pub fn is_expense(self) -> bool {
        matches!(self, Account::Expense(_) | Account::CountShortage | Account::WriteOff)
    }
}

impl Serialize for Account {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Account::parse(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown account {code:?}")))
    }
}

/// An account read from `table`'s row `row`: an unknown one is damage, never a default.
pub(super) fn stored_account(table: &str, row: i64, value: &str) -> rusqlite::Result<Account> {
    Account::parse(value).ok_or_else(|| damaged(table, row, "account", value))
}

/// Whether an account holds what the fund owns (cash, bank, loans) or where it came from / went.
pub fn is_asset(account: Account) -> bool {
    account.is_asset()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Posting {
    pub fund: Fund,
    /// `cash`, `bank`, `loans`, `capital`, `transfer`, `income:<source>`, `expense:<area>`,
    /// `income:count_surplus`, `income:penalty`, `expense:count_shortage`, `expense:write_off`.
    #[ts(type = "string")]
    pub account: Account,
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

coded_enum! {
    /// Money in or out of the fund through cash (default) or the bank.
    #[derive(Default)]
    pub enum Via {
        #[default]
        Cash = "cash",
        Bank = "bank",
    }
}

impl Via {
    pub(super) fn account(self) -> Account {
        match self {
            Via::Cash => Account::Cash,
            Via::Bank => Account::Bank,
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
    /// `cash` or `bank`.
    #[ts(type = "string")]
    pub account: Account,
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
