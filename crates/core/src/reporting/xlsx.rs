//! `report.xlsx`: one sheet per section, numbers as numbers (money in whole đồng with a `#,##0 đ`
//! format, dates as dates), for the commune's own spreadsheets.
//!
//! Each block on a sheet is a small table: a title row, a header row in words, a row of column codes
//! (the field names of `report.json`; `=` where the row's path is itself the figure), then data rows whose last column
//! is the row's path in `report.json`. So a program — or a test — can find every figure again.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::Report;
use crate::error::{CoreError, Result};
use crate::i18n::{t, Lang};

pub(crate) fn err(e: XlsxError) -> CoreError {
    CoreError::Storage { detail: format!("xlsx: {e}") }
}

/// One cell of a data row.
pub(crate) enum Cell {
    Text(String),
    Num(f64),
    Money(i64),
    Date(chrono::NaiveDate),
    Empty,
}

pub(crate) struct Col {
    pub(crate) words: String,
    pub(crate) code: &'static str,
}

pub(crate) struct Block {
    pub(crate) title: String,
    pub(crate) cols: Vec<Col>,
    /// (label, cells, path)
    pub(crate) rows: Vec<(String, Vec<Cell>, String)>,
}

pub(crate) struct Styles {
    pub(crate) bold: Format,
    pub(crate) code: Format,
    pub(crate) money: Format,
    pub(crate) date: Format,
    pub(crate) pct: Format,
    pub(crate) header: Format,
}

impl Styles {
    pub(crate) fn new() -> Styles {
        Styles {
            bold: Format::new().set_bold().set_font_size(12),
            code: Format::new().set_font_color("#808080").set_font_size(8),
            money: Format::new().set_num_format("#,##0 \"đ\""),
            date: Format::new().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Left),
            pct: Format::new().set_num_format("0.0"),
            header: Format::new().set_bold().set_background_color("#EEEEEE").set_text_wrap(),
        }
    }
}

pub(crate) fn write_block(ws: &mut Worksheet, row: &mut u32, b: &Block, s: &Styles, lang: Lang) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(*row, 0, &b.title, &s.bold)?;
    *row += 1;
    let key_col = b.cols.len() as u16 + 1;
    ws.write_string_with_format(*row, 0, t(lang, "report.xlsx.item"), &s.header)?;
    for (i, c) in b.cols.iter().enumerate() {
        ws.write_string_with_format(*row, i as u16 + 1, &c.words, &s.header)?;
    }
    ws.write_string_with_format(*row, key_col, t(lang, "report.xlsx.key"), &s.header)?;
    *row += 1;
    ws.write_string_with_format(*row, 0, "", &s.code)?;
    for (i, c) in b.cols.iter().enumerate() {
        ws.write_string_with_format(*row, i as u16 + 1, c.code, &s.code)?;
    }
    *row += 1;
    for (label, cells, path) in &b.rows {
        ws.write_string(*row, 0, label)?;
        for (i, cell) in cells.iter().enumerate() {
            let col = i as u16 + 1;
            let pct = b.cols.get(i).is_some_and(|c| c.code.ends_with("pct"));
            match cell {
                Cell::Text(v) => {
                    ws.write_string(*row, col, v)?;
                }
                Cell::Num(v) if pct => {
                    ws.write_number_with_format(*row, col, *v, &s.pct)?;
                }
                Cell::Num(v) => {
                    ws.write_number(*row, col, *v)?;
                }
                Cell::Money(v) => {
                    ws.write_number_with_format(*row, col, *v as f64, &s.money)?;
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::parse_from_str(&d.format("%Y-%m-%d").to_string())?;
                    ws.write_datetime_with_format(*row, col, &dt, &s.date)?;
                }
                Cell::Empty => {}
            }
        }
        ws.write_string_with_format(*row, key_col, path, &s.code)?;
        *row += 1;
    }
    *row += 1;
    Ok(())
}

pub(crate) fn col(words: String, code: &'static str) -> Col {
    Col { words, code }
}

/// The figure at `path` (dots; numbers index arrays) of the report's JSON form.
pub fn lookup<'a>(json: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(json, |v, part| match part.parse::<usize>() {
        Ok(i) if v.is_array() => v.get(i),
        _ => v.get(part),
    })
}

pub fn render(report: &Report, lang: Lang) -> Result<Vec<u8>> {
    let tr = |k: &str| t(lang, k);
    let r = report;
    let mut sheets: Vec<(String, Vec<Block>)> = Vec::new();

    // The club and the period.
    let c = &r.club;
    let v = |s: &str| vec![col(s.to_string(), "=")];
    sheets.push((
        tr("report.sheet.club"),
        vec![
            Block {
                title: tr("report.s.club"),
                cols: v(&tr("report.xlsx.value")),
                rows: vec![
                    (tr("report.xlsx.club_name"), vec![Cell::Text(c.name.clone())], "club.name".into()),
                    (tr("field.club.hamlet"), vec![Cell::Text(c.hamlet.clone())], "club.hamlet".into()),
                    (tr("field.club.commune"), vec![Cell::Text(c.commune.clone())], "club.commune".into()),
                    (tr("field.club.district"), vec![Cell::Text(c.district.clone())], "club.district".into()),
                    (tr("field.club.province"), vec![Cell::Text(c.province.clone())], "club.province".into()),
                    (tr("report.founded"), vec![Cell::Date(c.founded_on)], "club.founded_on".into()),
                    (tr("report.xlsx.period"), vec![Cell::Text(r.period.label.clone())], "period.label".into()),
                    (tr("report.xlsx.from"), vec![Cell::Date(r.period.from)], "period.from".into()),
                    (tr("report.xlsx.to"), vec![Cell::Date(r.period.to)], "period.to".into()),
                    (tr("report.xlsx.as_of"), vec![Cell::Date(r.as_of)], "as_of".into()),
                    (tr("report.xlsx.generated_on"), vec![Cell::Date(r.generated_on)], "generated_on".into()),
                    (
                        tr("report.xlsx.personal_data"),
                        vec![Cell::Text(tr(if r.includes_personal_data { "common.yes" } else { "common.no" }))],
                        "includes_personal_data".into(),
                    ),
                ],
            },
            Block {
                title: tr("report.xlsx.board"),
                cols: vec![col(tr("report.holders"), "holders")],
                rows: c
                    .board
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (tr(&format!("role.{}", b.role)), vec![Cell::Num(b.holders as f64)], format!("club.board.{i}")))
                    .collect(),
            },
        ],
    ));

    // Members and composition.
    let m = &r.members;
    let measures: [&'static str; 13] = [
        "members", "women", "men", "older", "younger", "older_women", "disadvantaged", "poor", "near_poor", "disability",
        "living_alone", "ethnic_minority", "volunteers",
    ];
    let start_json = serde_json::to_value(&m.start).unwrap_or(Value::Null);
    let end_json = serde_json::to_value(&m.end).unwrap_or(Value::Null);
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
    sheets.push((
        tr("report.sheet.members"),
        vec![
            Block {
                title: tr("report.s.members"),
                cols: v(&tr("report.xlsx.value")),
                rows: vec![
                    (tr("report.joined"), vec![Cell::Num(m.joined as f64)], "members.joined".into()),
                    (tr("report.joined_women"), vec![Cell::Num(m.joined_women as f64)], "members.joined_women".into()),
                    (tr("report.left"), vec![Cell::Num(m.left as f64)], "members.left".into()),
                    (tr("report.consent"), vec![Cell::Num(m.consent_recorded as f64)], "members.consent_recorded".into()),
                ],
            },
            Block {
                title: tr("report.xlsx.counts"),
                cols: measures.iter().map(|k| col(tr(&format!("measure.{k}")), k)).collect(),
                rows: vec![
                    (tr("report.start"), measures.iter().map(|k| Cell::Num(num(&start_json, k) as f64)).collect(), "members.start".into()),
                    (tr("report.end"), measures.iter().map(|k| Cell::Num(num(&end_json, k) as f64)).collect(), "members.end".into()),
                ],
            },
            Block {
                title: tr("report.xlsx.targets"),
                cols: vec![
                    col(tr("report.count"), "count"),
                    col(tr("report.pct"), "pct"),
                    col(tr("report.xlsx.min"), "min"),
                    col(tr("report.xlsx.max"), "max"),
                    col(tr("report.status"), "status"),
                ],
                rows: m
                    .targets
                    .iter()
                    .enumerate()
                    .map(|(i, ts)| {
                        (
                            tr(&format!("measure.{}", ts.measure)),
                            vec![
                                Cell::Num(ts.count as f64),
                                Cell::Num(ts.pct),
                                Cell::Num(ts.min as f64),
                                Cell::Num(ts.max as f64),
                                Cell::Text(ts.status.code().into()),
                            ],
                            format!("members.targets.{i}"),
                        )
                    })
                    .collect(),
            },
        ],
    ));

    // Meetings.
    let mt = &r.meetings;
    let mut rows = vec![
        (tr("report.held"), vec![Cell::Num(mt.held as f64)], "meetings.held".to_string()),
        (tr("report.xlsx.months"), vec![Cell::Num(mt.months as f64)], "meetings.months".into()),
        (tr("report.months_with_meeting"), vec![Cell::Num(mt.months_with_meeting as f64)], "meetings.months_with_meeting".into()),
        (tr("report.average_present"), vec![Cell::Num(mt.average_present)], "meetings.average_present".into()),
        (tr("report.areas_covered"), vec![Cell::Num(mt.areas_covered as f64)], "meetings.areas_covered".into()),
        (tr("report.decisions"), vec![Cell::Num(mt.decisions as f64)], "meetings.decisions".into()),
        (tr("report.loan_approvals"), vec![Cell::Num(mt.loan_approvals as f64)], "meetings.loan_approvals".into()),
    ];
    for (i, k) in mt.by_kind.iter().enumerate() {
        rows.push((tr(&format!("meeting_kind.{}", k.code)), vec![Cell::Num(k.count as f64)], format!("meetings.by_kind.{i}.count")));
    }
    for (i, k) in mt.themes.iter().enumerate() {
        rows.push((tr(&format!("topic.{}", k.code)), vec![Cell::Num(k.count as f64)], format!("meetings.themes.{i}.count")));
    }
    sheets.push((
        tr("report.sheet.meetings"),
        vec![
            Block { title: tr("report.s.meetings"), cols: v(&tr("report.xlsx.value")), rows },
            Block {
                title: tr("report.area"),
                cols: vec![col(tr("report.meetings"), "meetings"), col(tr("report.activities"), "activities")],
                rows: mt
                    .areas
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        (
                            tr(&format!("area.{}", a.area)),
                            vec![Cell::Num(a.meetings as f64), Cell::Num(a.activities as f64)],
                            format!("meetings.areas.{i}"),
                        )
                    })
                    .collect(),
            },
        ],
    ));

    // Activities.
    let ac = &r.activities;
    sheets.push((
        tr("report.sheet.activities"),
        vec![
            Block {
                title: tr("report.s.activities"),
                cols: vec![col(tr("report.times"), "count"), col(tr("report.people"), "people"), col(tr("report.value"), "value")],
                rows: ac
                    .by_kind
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        (
                            tr(&format!("activity.{}", a.kind)),
                            vec![Cell::Num(a.count as f64), Cell::Num(a.people as f64), Cell::Money(a.value)],
                            format!("activities.by_kind.{i}"),
                        )
                    })
                    .collect(),
            },
            Block {
                title: tr("report.xlsx.home_care"),
                cols: v(&tr("report.xlsx.value")),
                rows: vec![
                    (tr("report.members_visited"), vec![Cell::Num(ac.members_visited as f64)], "activities.members_visited".into()),
                    (tr("report.xlsx.care_recipients"), vec![Cell::Num(ac.care_recipients as f64)], "activities.care_recipients".into()),
                    (
                        tr("report.xlsx.care_recipients_visited"),
                        vec![Cell::Num(ac.care_recipients_visited as f64)],
                        "activities.care_recipients_visited".into(),
                    ),
                ],
            },
        ],
    ));

    // Funds.
    let mut blocks = Vec::new();
    for (fi, f) in r.funds.iter().enumerate() {
        let pos_cols = || {
            vec![
                col(tr("report.cash"), "cash"),
                col(tr("report.bank"), "bank"),
                col(tr("report.loans_out"), "loans"),
                col(tr("report.total"), "total"),
            ]
        };
        let pos = |p: &super::Position| vec![Cell::Money(p.cash), Cell::Money(p.bank), Cell::Money(p.loans), Cell::Money(p.total)];
        blocks.push(Block {
            title: tr(&format!("fund.{}", f.fund)),
            cols: pos_cols(),
            rows: vec![
                (tr("report.opening"), pos(&f.opening), format!("funds.{fi}.opening")),
                (tr("report.closing"), pos(&f.closing), format!("funds.{fi}.closing")),
            ],
        });
        let mut rows: Vec<(String, Vec<Cell>, String)> = Vec::new();
        for (i, x) in f.receipts.iter().enumerate() {
            rows.push((format!("{}: {}", tr("report.receipts"), tr(&format!("source.{}", x.code))), vec![Cell::Money(x.amount)], format!("funds.{fi}.receipts.{i}.amount")));
        }
        rows.push((tr("report.xlsx.receipts_total"), vec![Cell::Money(f.receipts_total)], format!("funds.{fi}.receipts_total")));
        for (i, x) in f.payments.iter().enumerate() {
            rows.push((format!("{}: {}", tr("report.payments"), tr(&format!("area.{}", x.code))), vec![Cell::Money(x.amount)], format!("funds.{fi}.payments.{i}.amount")));
        }
        rows.push((tr("report.xlsx.payments_total"), vec![Cell::Money(f.payments_total)], format!("funds.{fi}.payments_total")));
        rows.push((tr("report.transfers"), vec![Cell::Money(f.transfers_in)], format!("funds.{fi}.transfers_in")));
        rows.push((tr("report.capital"), vec![Cell::Money(f.capital_added)], format!("funds.{fi}.capital_added")));
        blocks.push(Block { title: format!("{} — {}", tr(&format!("fund.{}", f.fund)), tr("report.xlsx.flows")), cols: v(&tr("report.xlsx.amount")), rows });
        if let Some(cl) = &f.last_count {
            blocks.push(Block {
                title: format!("{} — {}", tr(&format!("fund.{}", f.fund)), tr("report.last_count")),
                cols: vec![
                    col(tr("report.xlsx.date"), "date"),
                    col(tr("report.book"), "book"),
                    col(tr("report.counted"), "counted"),
                    col(tr("report.difference"), "difference"),
                ],
                rows: vec![(
                    tr(&format!("report.xlsx.account.{}", cl.account)),
                    vec![Cell::Date(cl.date), Cell::Money(cl.book), Cell::Money(cl.counted), Cell::Money(cl.difference)],
                    format!("funds.{fi}.last_count"),
                )],
            });
        }
    }
    sheets.push((tr("report.sheet.funds"), blocks));

    // Loans.
    let l = &r.loans;
    let pf = &l.at_end;
    let money_row = |label: &str, v: i64, path: &str| (tr(label), vec![Cell::Money(v)], path.to_string());
    let num_row = |label: &str, v: f64, path: &str| (tr(label), vec![Cell::Num(v)], path.to_string());
    sheets.push((
        tr("report.sheet.loans"),
        vec![Block {
            title: tr("report.s.loans"),
            cols: v(&tr("report.xlsx.value")),
            rows: vec![
                num_row("report.xlsx.disbursed_count", l.disbursed_count as f64, "loans.disbursed_count"),
                money_row("report.disbursed", l.disbursed_amount, "loans.disbursed_amount"),
                money_row("report.repaid", l.repaid_principal, "loans.repaid_principal"),
                money_row("report.interest", l.interest_received, "loans.interest_received"),
                money_row("report.penalty", l.penalty_received, "loans.penalty_received"),
                money_row("report.written_off", l.written_off, "loans.written_off"),
                money_row("report.outstanding", pf.outstanding, "loans.at_end.outstanding"),
                num_row("report.active_loans", pf.active_loans as f64, "loans.at_end.active_loans"),
                num_row("report.xlsx.borrowers", pf.borrowers as f64, "loans.at_end.borrowers"),
                money_row("report.par30", pf.par30, "loans.at_end.par30"),
                num_row("report.xlsx.par30_pct", pf.par30_pct, "loans.at_end.par30_pct"),
                money_row("report.par90", pf.par90, "loans.at_end.par90"),
                num_row("report.xlsx.par90_pct", pf.par90_pct, "loans.at_end.par90_pct"),
                num_row("report.repayment_rate", pf.repayment_rate_pct, "loans.at_end.repayment_rate_pct"),
                num_row("report.xlsx.members", pf.members as f64, "loans.at_end.members"),
                num_row("report.ever_borrowed", pf.members_ever_borrowed as f64, "loans.at_end.members_ever_borrowed"),
                num_row("report.xlsx.ever_borrowed_pct", pf.ever_borrowed_pct, "loans.at_end.ever_borrowed_pct"),
                money_row("report.xlsx.cash_available", pf.cash_available, "loans.at_end.cash_available"),
                num_row("report.waiting", pf.waiting as f64, "loans.at_end.waiting"),
            ],
        }],
    ));

    if let Some(st) = &r.standard {
        let opt = |v: Option<i64>| v.map(|v| Cell::Num(v as f64)).unwrap_or(Cell::Empty);
        sheets.push((
            tr("report.sheet.standard"),
            vec![Block {
                title: crate::i18n::fill(&tr("report.s.standard"), &serde_json::json!({"year": st.year})),
                cols: vec![
                    col(tr("report.result"), "value"),
                    col(tr("report.xlsx.of"), "of"),
                    col(tr("report.xlsx.min"), "min"),
                    col(tr("report.xlsx.max"), "max"),
                    col(tr("report.judgement"), "met"),
                ],
                rows: st
                    .criteria
                    .iter()
                    .enumerate()
                    .map(|(i, cr)| {
                        (
                            tr(&format!("standard.{}", cr.id)),
                            vec![
                                Cell::Num(cr.value as f64),
                                opt(cr.of),
                                opt(cr.min),
                                opt(cr.max),
                                match cr.met {
                                    Some(true) => Cell::Text(tr("report.met")),
                                    Some(false) => Cell::Text(tr("report.not_met")),
                                    None => Cell::Empty,
                                },
                            ],
                            format!("standard.criteria.{i}"),
                        )
                    })
                    .collect(),
            }],
        ));
    }

    if let Some(list) = &r.member_list {
        sheets.push((
            tr("report.sheet.member_list"),
            vec![Block {
                title: tr("report.s.member_list"),
                cols: vec![
                    col(tr("report.sex"), "sex"),
                    col(tr("report.birth_year"), "birth_year"),
                    col(tr("report.hamlet"), "hamlet"),
                    col(tr("report.joined_on"), "joined_on"),
                    col(tr("report.left_on"), "left_on"),
                ],
                rows: list
                    .iter()
                    .enumerate()
                    .map(|(i, ml)| {
                        (
                            ml.full_name.clone(),
                            vec![
                                Cell::Text(ml.sex.clone()),
                                Cell::Num(ml.birth_year as f64),
                                Cell::Text(ml.hamlet.clone()),
                                Cell::Date(ml.joined_on),
                                ml.left_on.map(Cell::Date).unwrap_or(Cell::Empty),
                            ],
                            format!("member_list.{i}"),
                        )
                    })
                    .collect(),
            }],
        ));
    }

    let styles = Styles::new();
    let mut book = Workbook::new();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(&format!("{} — {}", r.club.name, r.period.label)));
    for (name, blocks) in &sheets {
        let ws = book.add_worksheet();
        ws.set_name(name).map_err(err)?;
        ws.set_column_width(0, 42).map_err(err)?;
        for c in 1..15u16 {
            ws.set_column_width(c, 16).map_err(err)?;
        }
        let mut row = 0;
        for b in blocks {
            write_block(ws, &mut row, b, &styles, lang).map_err(err)?;
        }
        ws.set_column_width(blocks.iter().map(|b| b.cols.len()).max().unwrap_or(1) as u16 + 1, 30).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}
