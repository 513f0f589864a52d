//! Export for an accountant's own tools: the journal as an hledger or beancount file.

use super::types::{Account, Fund};
use super::vouchers::journal;
use crate::codes::coded_enum;
use crate::error::Result;
use crate::store::Store;

coded_enum! {
    pub enum ExportFormat {
        Hledger = "hledger",
        Beancount = "beancount",
    }
}

/// The account name in an hledger (lower-case top level) or beancount (capitalised) file.
pub fn account_path(fund: Fund, account: Account, beancount: bool) -> String {
    let fund_name = match fund {
        Fund::Income => "IncomeFund",
        Fund::Activity => "ActivityFund",
    };
    let cap = |s: &str| {
        s.split(['_', ':'])
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
            })
            .collect::<String>()
    };
    let top = if account.is_asset() {
        "Assets"
    } else if account.is_income() {
        "Income"
    } else if account.is_expense() {
        "Expenses"
    } else {
        "Equity"
    };
    let leaf = match account {
        Account::Transfer => "Transfers".to_string(),
        a => cap(a.leaf()),
    };
    if beancount {
        format!("{top}:{fund_name}:{leaf}")
    } else {
        format!("{}:{}:{}", top.to_lowercase(), fund_name, leaf)
    }
}

/// The whole journal as an hledger or beancount file; their balance reports agree with ours.
pub fn export(store: &Store, club_id: i64, format: ExportFormat) -> Result<String> {
    let entries = journal(store, club_id, None, None)?;
    let bean = format == ExportFormat::Beancount;
    let mut out = String::new();
    let quote = |s: &str| s.replace('"', "'");
    if bean {
        out.push_str("option \"operating_currency\" \"VND\"\n\n");
        let mut opened: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let first = entries.first().map(|e| e.date).unwrap_or(store.today());
        for e in &entries {
            for p in &e.postings {
                opened.insert(account_path(p.fund, p.account, true));
            }
        }
        for a in opened {
            out.push_str(&format!("{first} open {a} VND\n"));
        }
        out.push('\n');
    }
    for e in &entries {
        let memo = quote(&e.memo);
        if bean {
            out.push_str(&format!("{} * \"{}\" \"{}\"\n", e.date, e.voucher, memo));
        } else {
            out.push_str(&format!("{} ({}) {}\n", e.date, e.voucher, memo));
        }
        for p in &e.postings {
            let acct = account_path(p.fund, p.account, bean);
            out.push_str(&format!("    {acct:<40}  {} VND\n", p.amount));
        }
        out.push('\n');
    }
    Ok(out)
}
