//! Words for codes. One catalogue per language in `assets/i18n/`, shared with the window (which
//! imports the same files), so the CLI and the screen say the same thing.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::notice::Notice;
use crate::error::CoreError;
use crate::format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

static VI: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../../assets/i18n/vi.json")).expect("vi.json is valid"));
static EN: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../../assets/i18n/en.json")).expect("en.json is valid"));

fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// The text for `key`, falling back to Vietnamese, then to the key itself.
pub fn t(lang: Lang, key: &str) -> String {
    catalogue(lang).get(key).or_else(|| VI.get(key)).cloned().unwrap_or_else(|| key.to_string())
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => format::iso_date_to_display(s).or_else(|| format::iso_month_to_display(s)).unwrap_or_else(|| s.clone()),
        serde_json::Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// How parameters are shown (`assets/i18n/params.json`, shared with the window): which are money and
/// which carry a code said through the catalogue.
#[derive(Deserialize)]
struct ParamRules {
    money: Vec<String>,
    codes: HashMap<String, String>,
}

static PARAMS: LazyLock<ParamRules> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../../assets/i18n/params.json")).expect("params.json is valid"));

/// Is `name` a parameter that holds a sum of money in đồng?
pub fn is_money_param(name: &str) -> bool {
    PARAMS.money.iter().any(|m| m == name)
}

/// The words for a code parameter (`fund` = `activity` → "Quỹ hoạt động"), if it is one and has words.
fn code_words(lang: Lang, name: &str, value: &str) -> Option<String> {
    let prefix = PARAMS.codes.get(name)?;
    let key = format!("{prefix}{value}");
    catalogue(lang).get(&key).or_else(|| VI.get(&key)).cloned()
}

/// Replace each `{name}` in `template` with the parameter of that name; ISO dates become dd/mm/yyyy,
/// money parameters `1.234.567 đ`, and codes the core owns their words. One pass over the template,
/// as the window's `fill` does: a parameter's value (a typed name or reason) is never read as a
/// placeholder itself.
pub fn fill_in(lang: Lang, template: &str, params: &serde_json::Value) -> String {
    let Some(map) = params.as_object() else { return template.to_string() };
    let text_of = |k: &str, v: &serde_json::Value| match v {
        serde_json::Value::Number(n) if is_money_param(k) => n.as_i64().map(format::money).unwrap_or_else(|| n.to_string()),
        serde_json::Value::String(s) => code_words(lang, k, s).unwrap_or_else(|| value_text(v)),
        // A list of codes (the roles an action needs): each in words, " / " between.
        serde_json::Value::Array(items) if PARAMS.codes.contains_key(k) => items
            .iter()
            .map(|i| match i {
                serde_json::Value::String(s) => code_words(lang, k, s).unwrap_or_else(|| s.clone()),
                other => value_text(other),
            })
            .collect::<Vec<_>>()
            .join(" / "),
        _ => value_text(v),
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let name = &after[..name_len];
        match map.get(name) {
            Some(v) if !name.is_empty() && after[name_len..].starts_with('}') => {
                out.push_str(&text_of(name, v));
                rest = &after[name_len + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `fill_in` in Vietnamese, for templates whose parameters are already words or numbers.
pub fn fill(template: &str, params: &serde_json::Value) -> String {
    fill_in(Lang::Vi, template, params)
}

/// A sentence for an error `{code, params}` as the core or the CLI produced it.
pub fn message_for(lang: Lang, code: &str, params: &serde_json::Value) -> String {
    if code == "input.invalid" || code == "arg.invalid" {
        let field = params["field"].as_str().unwrap_or_default();
        let rule = &params["rule"];
        let rule_text = fill_in(lang, &t(lang, &format!("rule.{}", rule["kind"].as_str().unwrap_or_default())), rule);
        let label = t(lang, &format!("field.{field}"));
        return fill_in(lang, &t(lang, &format!("error.{code}")), &serde_json::json!({ "field": label, "rule": rule_text }));
    }
    fill_in(lang, &t(lang, &format!("error.{code}")), params)
}

pub fn error_message(lang: Lang, err: &CoreError) -> String {
    let json = err.to_json();
    message_for(lang, json["code"].as_str().unwrap_or_default(), &json["params"])
}

pub fn notice_message(lang: Lang, p: &Notice) -> String {
    fill_in(lang, &t(lang, &p.code), &p.params)
}

/// A voucher's memo (or a decision's text) in words: what the core said (`notice`) in `lang`, then
/// what a person typed (`typed`) after it (`memo.with_note`); the typed text alone when the core said
/// nothing (entries written before notices keep the sentence composed then). The window's
/// `memoText` (ui/src/lib/i18n.ts) does the same.
pub fn memo_text(lang: Lang, notice: Option<&Notice>, typed: &str) -> String {
    match notice {
        None => typed.to_string(),
        Some(n) if typed.is_empty() => notice_message(lang, n),
        Some(n) => fill_in(lang, &t(lang, "memo.with_note"), &serde_json::json!({ "what": notice_message(lang, n), "note": typed })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Field, Rule};

    #[test]
    fn codes_inside_messages_are_said_in_words() {
        for lang in [Lang::Vi, Lang::En] {
            let cases = [
                (CoreError::LedgerCashShort { fund: "activity".into(), account: "cash".into(), on: "2026-11-02".into(), available: 5, needed: 9 }, vec!["fund.activity", "account.cash"]),
                (CoreError::LedgerBeforeCount { fund: "income".into(), counted_on: "2026-11-02".into(), date: "2026-11-01".into() }, vec!["fund.income"]),
                (CoreError::LedgerCloseNeedsCount { fund: "income".into(), month: "2026-10".into() }, vec!["fund.income"]),
                (CoreError::LedgerCloseRole { name: "Lan".into(), role: "chair".into(), month: "2026-10".into() }, vec!["role.chair"]),
                (CoreError::LoanWrongStatus { id: 3, status: "approved".into(), needed: "applied".into() }, vec!["loan.status.approved", "loan.status.applied"]),
            ];
            for (err, keys) in cases {
                let m = error_message(lang, &err);
                for k in keys {
                    assert!(m.contains(&t(lang, k)), "{lang:?}: {m} lacks the words for {k}");
                }
                for raw in ["\"approved\"", "\"applied\"", "(chair)", " activity ", " income ", "{"] {
                    assert!(!m.contains(raw), "{lang:?}: raw {raw} in {m}");
                }
            }
        }
        let m = error_message(Lang::Vi, &CoreError::LedgerCashShort { fund: "activity".into(), account: "cash".into(), on: "2026-11-02".into(), available: 5, needed: 9 });
        assert!(m.starts_with("Quỹ hoạt động không đủ tiền mặt ngày 02/11/2026"), "{m}");
    }

    /// A memo is said from its notice, one pass: a typed name that looks like a placeholder stays
    /// as typed; the typed note follows the notice; with no notice the typed text is the memo.
    #[test]
    fn memos_are_said_from_their_notice() {
        let count = Notice::new("memo.cash_count", serde_json::json!({ "counted_by": "{witness}", "witness": "Lê Thị Hoa" }));
        assert_eq!(memo_text(Lang::Vi, Some(&count), ""), "Kiểm kê quỹ tiền mặt: {witness}, chứng kiến Lê Thị Hoa");
        let dues = Notice::new("memo.dues_month", serde_json::json!({ "month": "2026-11", "count": 45 }));
        assert_eq!(memo_text(Lang::En, Some(&dues), ""), "Dues for 11/2026: 45 members");
        assert_eq!(memo_text(Lang::En, Some(&Notice::new("memo.support", serde_json::json!({}))), "Gạo"), "Support: Gạo");
        assert_eq!(memo_text(Lang::En, None, "Hội phí tháng 01/2026: 3 thành viên"), "Hội phí tháng 01/2026: 3 thành viên");
        assert_eq!(fill("{a}{b} {c", &serde_json::json!({ "a": "{b}", "b": 1 })), "{b}1 {c");
    }

    #[test]
    fn catalogues_have_the_same_keys() {
        let mut vi: Vec<_> = VI.keys().collect();
        let mut en: Vec<_> = EN.keys().collect();
        vi.sort();
        en.sort();
        assert_eq!(vi, en);
    }

    #[test]
    fn every_field_and_rule_has_words() {
        let fields = [
            Field::Actor, Field::ClubName, Field::ClubHamlet, Field::ClubCommune, Field::ClubDistrict,
            Field::ClubProvince, Field::ClubFoundedOn, Field::ClubRoundingUnit, Field::ClubTargetPreset,
            Field::ClubReportDeadline, Field::MemberFullName, Field::MemberSex, Field::MemberBirth,
            Field::MemberEthnicity, Field::MemberPhone, Field::MemberHamlet, Field::MemberJoinedOn, Field::MemberLeftOn,
            Field::MemberLeaveReason, Field::MemberConsentOn, Field::MemberFlag, Field::MemberRole, Field::Date,
            Field::DemoYears, Field::DemoMembers, Field::Preset, Field::LedgerAmount, Field::LedgerDate,
            Field::LedgerFund, Field::LedgerSource, Field::LedgerArea, Field::LedgerReason, Field::LedgerMemo,
            Field::LedgerNotes, Field::LedgerCountedBy, Field::LedgerWitness, Field::LedgerMonth, Field::LedgerMembers,
            Field::LedgerConfirmedBy,
            Field::ClubMonthlyDue,
            Field::MeetingDate, Field::MeetingPlace, Field::MeetingMinutes, Field::MeetingChair, Field::MeetingKind, Field::MeetingTopic, Field::MeetingPresent, Field::DecisionText, Field::DecisionMember, Field::DecisionAmount, Field::DecisionKind, Field::ActivityKind, Field::ActivitySubkind, Field::ActivityDate, Field::ActivityPerson, Field::ActivityBy, Field::ActivityPeople, Field::ActivityValue, Field::ActivityNote, Field::Year, Field::ReportPeriod, Field::ReportFormat, Field::ReportOut, Field::LoanAmount, Field::LoanRepayAmount, Field::LoanMonths, Field::LoanPurpose, Field::LoanRate, Field::LoanMethod, Field::LoanRepayment, Field::LoanCap, Field::LoanPenalty, Field::LoanMeeting, Field::LoanDate, Field::LoanReason, Field::LoanInKind, Field::LoanNote,
            Field::Passphrase, Field::NewPassphrase, Field::BundlePeriod, Field::BundlePeriodTo, Field::BackupPassphrase, Field::RollupOrgUnit, Field::KeyFingerprint, Field::CommuneLevel, Field::CommuneLevelName,
            Field::Pin, Field::NewPin, Field::RecoveryCode, Field::LockMinutes, Field::ChairHandlesMoney, Field::ChainCode,
        ];
        for f in fields {
            let code = serde_json::to_value(f).unwrap();
            let key = format!("field.{}", code.as_str().unwrap());
            assert!(VI.contains_key(&key), "missing {key}");
        }
        let rules = [
            Rule::Required, Rule::TooLong { max: 1 }, Rule::NotNfcDecodable, Rule::DateFormat,
            Rule::InFuture { today: String::new() }, Rule::BeforeFounding { founded_on: String::new() },
            Rule::BeforeDate { other: String::new() }, Rule::OneOf { allowed: vec![] },
            Rule::Range { min: 0, max: 1 }, Rule::Unknown { value: String::new() }, Rule::NotAllowed,
            Rule::TooShort { min: 8 }, Rule::Characters { example: String::new() }, Rule::NotANumber,
            Rule::Negative, Rule::MonthFormat, Rule::FourDigitYear, Rule::MoneyDecimal, Rule::MoneyGroups, Rule::MoneyRange { min_amount: 1, max_amount: 2 },
            Rule::ForbiddenCharacter { character: String::new(), position: 1 },
            Rule::PinDigits { min: 4, max: 8 },
        ];
        for r in rules {
            let key = format!("rule.{}", serde_json::to_value(r).unwrap()["kind"].as_str().unwrap());
            assert!(VI.contains_key(&key), "missing {key}");
        }
    }

    #[test]
    fn messages_name_the_field_and_rule_with_dates_on_screen_form() {
        let err = CoreError::invalid(Field::MemberJoinedOn, Rule::InFuture { today: "2026-11-22".into() });
        assert_eq!(error_message(Lang::Vi, &err), "Ngày vào câu lạc bộ: không được sau hôm nay (22/11/2026).");
        assert_eq!(error_message(Lang::En, &err), "Date joined: cannot be after today (22/11/2026).");
        let err = CoreError::LoanOverpaid { id: 3, owed: 4_975_000, amount: 9_000_000 };
        assert!(error_message(Lang::Vi, &err).contains("9.000.000 đ lớn hơn số còn nợ 4.975.000 đ"), "{}", error_message(Lang::Vi, &err));
        let err = CoreError::DbTooNew { found: 9, supported: 2 };
        assert!(error_message(Lang::Vi, &err).contains("phiên bản dữ liệu 9"));
        let err = CoreError::invalid(Field::ClubRoundingUnit, Rule::OneOf { allowed: vec!["1".into(), "500".into()] });
        assert_eq!(error_message(Lang::En, &err), "Money rounding unit: must be one of: 1, 500.");
    }
}
