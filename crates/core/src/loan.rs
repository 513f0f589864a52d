//! Member loans from the income-generation fund. `schedule` is the arithmetic of repayment
//! schedules; the register (rules, applications, disbursements, repayments) builds on it.

pub mod schedule;
