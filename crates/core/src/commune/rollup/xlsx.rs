//! The roll-up's `report.xlsx`, laid out as the club report's (`reporting::xlsx`: the same blocks of
//! title, header words, field codes and rows ending in their path in the roll-up's `report.json`),
//! written by `rust_xlsxwriter`, which Excel and LibreOffice both open.

use rust_xlsxwriter::Workbook;

use super::types::{Ratio, Rollup};
use crate::error::Result;
use crate::i18n::{t, Lang};
use crate::reporting::xlsx::{col, err, write_block, Block, Cell, Styles};

fn ratio_cells(r: &Ratio) -> Vec<Cell> {
    vec![Cell::Num(r.part as f64), Cell::Num(r.whole as f64), r.pct.map(Cell::Num).unwrap_or(Cell::Empty)]
}

pub fn render(r: &Rollup, lang: Lang) -> Result<Vec<u8>> {
    let tr = |k: &str| t(lang, k);
    let tt = &r.totals;
    let n = |x: u32| vec![Cell::Num(x as f64)];
    let v = |s: &str| vec![col(s.to_string(), "=")];
    let mut sheets: Vec<(String, Vec<Block>)> = Vec::new();

    sheets.push((
        tr("rollup.sheet.totals"),
        vec![
            Block {
                title: tr("rollup.title"),
                cols: v(&tr("report.xlsx.value")),
                rows: vec![
                    (tr("field.club.commune"), vec![Cell::Text(r.commune.clone())], "commune".into()),
                    (tr("field.club.district"), vec![Cell::Text(r.district.clone())], "district".into()),
                    (tr("field.club.province"), vec![Cell::Text(r.province.clone())], "province".into()),
                    (tr("report.xlsx.period"), vec![Cell::Text(r.period.label.clone())], "period.label".into()),
                    (tr("report.xlsx.from"), vec![Cell::Date(r.period.from)], "period.from".into()),
                    (tr("report.xlsx.to"), vec![Cell::Date(r.period.to)], "period.to".into()),
                    (tr("report.xlsx.generated_on"), vec![Cell::Date(r.generated_on)], "generated_on".into()),
                ],
            },
            Block {
                title: tr("rollup.s.totals"),
                cols: v(&tr("report.xlsx.value")),
                rows: vec![
                    (tr("rollup.clubs"), n(tt.clubs), "totals.clubs".into()),
                    (tr("measure.members"), n(tt.members.members), "totals.members.members".into()),
                    (tr("measure.women"), n(tt.members.women), "totals.members.women".into()),
                    (tr("measure.men"), n(tt.members.men), "totals.members.men".into()),
                    (tr("measure.older"), n(tt.members.older), "totals.members.older".into()),
                    (tr("measure.younger"), n(tt.members.younger), "totals.members.younger".into()),
                    (tr("rollup.older_women"), n(tt.sex_age.older_women), "totals.sex_age.older_women".into()),
                    (tr("rollup.older_men"), n(tt.sex_age.older_men), "totals.sex_age.older_men".into()),
                    (tr("rollup.younger_women"), n(tt.sex_age.younger_women), "totals.sex_age.younger_women".into()),
                    (tr("rollup.younger_men"), n(tt.sex_age.younger_men), "totals.sex_age.younger_men".into()),
                    (tr("measure.disadvantaged"), n(tt.members.disadvantaged), "totals.members.disadvantaged".into()),
                    (tr("rollup.clubs_within_targets"), n(tt.clubs_within_targets), "totals.clubs_within_targets".into()),
                    (tr("rollup.clubs_meeting_monthly"), n(tt.clubs_meeting_monthly), "totals.clubs_meeting_monthly".into()),
                    (tr("rollup.clubs_all_areas_monthly"), n(tt.clubs_all_areas_monthly), "totals.clubs_all_areas_monthly".into()),
                    (tr("rollup.clubs_with_themes"), n(tt.clubs_with_themes), "totals.clubs_with_themes".into()),
                    (tr("rollup.clubs_assessed_standard"), n(tt.clubs_assessed_standard), "totals.clubs_assessed_standard".into()),
                    (tr("rollup.clubs_meeting_standard"), n(tt.clubs_meeting_standard), "totals.clubs_meeting_standard".into()),
                    (tr("rollup.meetings_held"), n(tt.meetings_held), "totals.meetings_held".into()),
                    (tr("measure.volunteers"), n(tt.volunteers), "totals.volunteers".into()),
                    (tr("rollup.care_recipients"), n(tt.care_recipients), "totals.care_recipients".into()),
                    (tr("rollup.care_recipients_visited"), n(tt.care_recipients_visited), "totals.care_recipients_visited".into()),
                    (tr("rollup.hamlets_with_club"), n(tt.hamlets_with_club), "totals.hamlets_with_club".into()),
                    (tr("rollup.members_ever_borrowed"), n(tt.members_ever_borrowed), "totals.members_ever_borrowed".into()),
                    (tr("rollup.loans_outstanding"), vec![Cell::Money(tt.loans_outstanding)], "totals.loans_outstanding".into()),
                    (tr("rollup.par30_amount"), vec![Cell::Money(tt.par30)], "totals.par30".into()),
                    (tr("rollup.loans_disbursed"), vec![Cell::Money(tt.loans_disbursed)], "totals.loans_disbursed".into()),
                    (tr("rollup.funds_total"), vec![Cell::Money(tt.funds_total)], "totals.funds_total".into()),
                ],
            },
            Block {
                title: tr("rollup.s.shares"),
                cols: vec![col(tr("rollup.part"), "part"), col(tr("rollup.whole"), "whole"), col(tr("report.pct"), "pct")],
                rows: [
                    ("rollup.share_women", &tt.share_women, "totals.share_women"),
                    ("rollup.share_older", &tt.share_older, "totals.share_older"),
                    ("rollup.share_older_women", &tt.share_older_women, "totals.share_older_women"),
                    ("rollup.share_borrowed", &tt.share_borrowed, "totals.share_borrowed"),
                    ("rollup.par30", &tt.par30_ratio, "totals.par30_ratio"),
                ]
                .into_iter()
                .map(|(k, ratio, path)| (tr(k), ratio_cells(ratio), path.to_string()))
                .chain(tt.board.iter().map(|b| (tr("rollup.measure.board_trained"), ratio_cells(b), "totals.board".to_string())))
                .collect(),
            },
            Block {
                title: tr("rollup.s.funds"),
                cols: vec![
                    col(tr("rollup.clubs"), "clubs"),
                    col(tr("report.start"), "opening_total"),
                    col(tr("rollup.receipts"), "receipts_total"),
                    col(tr("rollup.payments"), "payments_total"),
                    col(tr("report.end"), "closing.total"),
                ],
                rows: tt
                    .funds
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        (
                            tr(&format!("fund.{}", f.fund)),
                            vec![
                                Cell::Num(f.clubs as f64),
                                Cell::Money(f.opening_total),
                                Cell::Money(f.receipts_total),
                                Cell::Money(f.payments_total),
                                Cell::Money(f.closing.total),
                            ],
                            format!("totals.funds.{i}"),
                        )
                    })
                    .collect(),
            },
        ],
    ));

    sheets.push((
        tr("rollup.sheet.plan"),
        vec![Block {
            title: match lang {
                Lang::Vi => r.plan.name_vi.clone(),
                Lang::En => r.plan.name_en.clone(),
            },
            cols: vec![
                col(tr("rollup.part"), "figure.part"),
                col(tr("rollup.whole"), "figure.whole"),
                col(tr("report.pct"), "figure.pct"),
                col(tr("report.xlsx.min"), "min_pct"),
                col(tr("report.xlsx.max"), "max_pct"),
                col(tr("report.status"), "status"),
            ],
            rows: r
                .plan
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut cells = l.figure.as_ref().map(ratio_cells).unwrap_or_else(|| vec![Cell::Empty, Cell::Empty, Cell::Empty]);
                    cells.push(Cell::Num(l.min_pct as f64));
                    cells.push(Cell::Num(l.max_pct as f64));
                    cells.push(Cell::Text(super::html::verdict(lang, l)));
                    (tr(&format!("rollup.measure.{}", l.measure.code())), cells, format!("plan.lines.{i}"))
                })
                .collect(),
        }],
    ));

    sheets.push((
        tr("rollup.sheet.clubs"),
        vec![Block {
            title: tr("rollup.s.clubs"),
            cols: vec![
                col(tr("report.hamlet"), "hamlet"),
                col(tr("measure.members"), "members.members"),
                col(tr("measure.women"), "members.women"),
                col(tr("measure.older"), "members.older"),
                col(tr("measure.older_women"), "members.older_women"),
                col(tr("rollup.composition"), "all_within"),
                col(tr("rollup.months_met"), "months_with_meeting"),
                col(tr("rollup.months"), "months"),
                col(tr("rollup.areas"), "areas_covered"),
                col(tr("fund.income"), "funds.0.closing.total"),
                col(tr("fund.activity"), "funds.1.closing.total"),
                col(tr("rollup.loans_outstanding"), "loans_outstanding"),
                col(tr("rollup.par30_amount"), "par30"),
                col(tr("rollup.borrowed"), "members_ever_borrowed"),
                col(tr("rollup.standard"), "standard_met"),
            ],
            rows: r
                .clubs
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let fund = |k: usize| c.funds.get(k).map(|f| Cell::Money(f.closing.total)).unwrap_or(Cell::Empty);
                    (
                        c.name.clone(),
                        vec![
                            Cell::Text(c.hamlet.clone()),
                            Cell::Num(c.members.members as f64),
                            Cell::Num(c.members.women as f64),
                            Cell::Num(c.members.older as f64),
                            Cell::Num(c.members.older_women as f64),
                            Cell::Text(tr(if c.all_within { "common.yes" } else { "common.no" })),
                            Cell::Num(c.months_with_meeting as f64),
                            Cell::Num(c.months as f64),
                            Cell::Num(c.areas_covered as f64),
                            fund(0),
                            fund(1),
                            Cell::Money(c.loans_outstanding),
                            Cell::Money(c.par30),
                            Cell::Num(c.members_ever_borrowed as f64),
                            c.standard_met.map(|m| Cell::Num(m as f64)).unwrap_or(Cell::Empty),
                        ],
                        format!("clubs.{i}"),
                    )
                })
                .collect(),
        }],
    ));

    if let Some(first) = r.parts.first() {
        sheets.push((
            tr(&format!("rollup.part_{}", first.level)),
            vec![Block {
                title: tr(&format!("rollup.s.parts_{}", first.level)),
                cols: vec![
                    col(tr("rollup.clubs"), "totals.clubs"),
                    col(tr("measure.members"), "totals.members.members"),
                    col(tr("measure.women"), "totals.members.women"),
                    col(tr("measure.older"), "totals.members.older"),
                    col(tr("rollup.clubs_meeting_monthly"), "totals.clubs_meeting_monthly"),
                    col(tr("rollup.funds_total"), "totals.funds_total"),
                    col(tr("rollup.loans_outstanding"), "totals.loans_outstanding"),
                    col(tr("rollup.par30_amount"), "totals.par30"),
                ],
                rows: r
                    .parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let t = &p.totals;
                        (
                            p.name.clone(),
                            vec![
                                Cell::Num(t.clubs as f64),
                                Cell::Num(t.members.members as f64),
                                Cell::Num(t.members.women as f64),
                                Cell::Num(t.members.older as f64),
                                Cell::Num(t.clubs_meeting_monthly as f64),
                                Cell::Money(t.funds_total),
                                Cell::Money(t.loans_outstanding),
                                Cell::Money(t.par30),
                            ],
                            format!("parts.{i}"),
                        )
                    })
                    .collect(),
            }],
        ));
    }

    let styles = Styles::new();
    let mut book = Workbook::new();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(format!("{} — {}", r.commune, r.period.label)));
    for (name, blocks) in &sheets {
        let ws = book.add_worksheet();
        ws.set_name(name).map_err(err)?;
        ws.set_column_width(0, 42).map_err(err)?;
        for c in 1..18u16 {
            ws.set_column_width(c, 14).map_err(err)?;
        }
        let mut row = 0;
        for b in blocks {
            write_block(ws, &mut row, b, &styles, lang).map_err(err)?;
        }
    }
    book.save_to_buffer().map_err(err)
}
