use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::xlsx::lookup;
use super::*;
use crate::books;
use crate::life::standard;
use crate::loans;
use crate::roster::{composition, member};
use crate::demo::{self, DemoOptions};
use crate::i18n::{t, Lang};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn demo_store(years: u32) -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(d("2026-11-22"));
    let s = demo::build(&mut store, DemoOptions { years, members: 40, seed: 7 }).unwrap();
    (store, s.club_id)
}

#[test]
fn periods_parse_and_bad_ones_name_the_field() {
    let q = Period::parse("2026-Q4").unwrap();
    assert_eq!((q.from, q.to, q.kind), (d("2026-10-01"), d("2026-12-31"), PeriodKind::Quarter));
    assert_eq!(Period::parse("2026-q1").unwrap().to, d("2026-03-31"));
    let m = Period::parse("2024-02").unwrap();
    assert_eq!((m.from, m.to, m.label.as_str()), (d("2024-02-01"), d("2024-02-29"), "2024-02"));
    assert_eq!(Period::parse("11/2026").unwrap().label, "2026-11");
    let y = Period::parse(" 2025 ").unwrap();
    assert_eq!((y.from, y.to, y.kind), (d("2025-01-01"), d("2025-12-31"), PeriodKind::Year));
    for bad in ["", "26", "2026-13", "2026-Q5", "2026-Q0", "abcd", "2026-00", "20260"] {
        match Period::parse(bad) {
            Err(CoreError::Invalid { field: Field::ReportPeriod, rule: Rule::Unknown { .. } }) => {}
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
}

#[test]
fn a_period_in_the_future_or_before_the_club_is_refused() {
    let (store, club) = demo_store(2);
    let future = Period::parse("2027").unwrap();
    assert!(matches!(
        build(&store, club, &future, &ReportOptions::default()),
        Err(CoreError::Invalid { field: Field::ReportPeriod, rule: Rule::InFuture { .. } })
    ));
    let before = Period::parse("2001").unwrap();
    assert!(matches!(
        build(&store, club, &before, &ReportOptions::default()),
        Err(CoreError::Invalid { field: Field::ReportPeriod, rule: Rule::BeforeFounding { .. } })
    ));
}

#[test]
fn every_figure_agrees_with_the_other_commands() {
    let (store, club) = demo_store(4);
    for label in ["2025", "2026-Q3", "2026-11", "2026", "2024-02"] {
        let p = Period::parse(label).unwrap();
        let r = build(&store, club, &p, &ReportOptions::default()).unwrap();
        let as_of = p.to.min(store.today());
        assert_eq!(r.as_of, as_of);
        // Members: the composition command on the same day, and start + joined − left = end.
        let comp = composition::compute(&store, club, Some(as_of), None).unwrap();
        assert_eq!(r.members.end, comp.counts, "{label}");
        assert_eq!(r.members.targets, comp.targets);
        let before = composition::compute(&store, club, Some(p.from.pred_opt().unwrap()), None).unwrap();
        assert_eq!(r.members.start, before.counts);
        assert_eq!(r.members.start.members + r.members.joined - r.members.left, r.members.end.members, "{label}");
        // Funds: balances on both days, and the movements between them add up to the đồng.
        let open = books::balances(&store, club, Some(p.from.pred_opt().unwrap())).unwrap();
        let close = books::balances(&store, club, Some(as_of)).unwrap();
        let summary = books::summary(&store, club, p.from, as_of).unwrap();
        for f in &r.funds {
            let fb = close.funds.iter().find(|b| b.fund.code() == f.fund).unwrap();
            assert_eq!((f.closing.cash, f.closing.bank, f.closing.loans, f.closing.total), (fb.cash, fb.bank, fb.loans, fb.assets));
            let ob = open.funds.iter().find(|b| b.fund.code() == f.fund).unwrap();
            assert_eq!(f.opening.total, ob.assets);
            assert_eq!(
                f.opening.total + f.receipts_total - f.payments_total + f.transfers_in + f.capital_added,
                f.closing.total,
                "{label} {}",
                f.fund
            );
            let received: i64 = summary.receipts.iter().filter(|(x, _, _)| x.code() == f.fund).map(|(_, _, a)| a).sum();
            assert_eq!(f.receipts_total, received);
        }
        // Loans: the portfolio command on the same day.
        assert_eq!(r.loans.at_end, loans::portfolio(&store, club, as_of).unwrap());
        // The standard: only in a yearly report, and the same as the standard command.
        match p.kind {
            PeriodKind::Year => assert_eq!(r.standard, Some(StandardPart::of(&standard::assess(&store, club, p.year, None).unwrap(), false))),
            _ => assert!(r.standard.is_none()),
        }
        assert!(r.meetings.areas_covered <= 8);
        assert_eq!(r.meetings.held, r.meetings.by_kind.iter().map(|k| k.count).sum::<u32>());
    }
    // A year with loans in the demo: money was lent and repaid.
    let r = build(&store, club, &Period::parse("2025").unwrap(), &ReportOptions::default()).unwrap();
    assert!(r.loans.disbursed_count > 0 && r.loans.repaid_principal > 0, "{:?}", r.loans);
    assert!(r.meetings.held >= 10 && r.activities.by_kind.iter().any(|a| a.count > 0));
}

#[test]
fn by_default_no_personal_identifier_leaves_and_the_option_says_so() {
    let (store, club) = demo_store(2);
    let p = Period::parse("2026").unwrap();
    let members = member::load_club(&store, club).unwrap();
    let plain = build(&store, club, &p, &ReportOptions::default()).unwrap();
    let json = String::from_utf8(plain.to_json().unwrap()).unwrap();
    let html = html::render(&plain, Lang::Vi);
    let xlsx = xlsx::render(&plain, Lang::Vi).unwrap();
    let mut sheets_text = String::new();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).unwrap();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                sheets_text.push_str(&c.to_string());
                sheets_text.push('\n');
            }
        }
    }
    for m in members.iter() {
        assert!(!json.contains(&m.full_name), "json names {}", m.full_name);
        assert!(!html.contains(&m.full_name), "html names {}", m.full_name);
        assert!(!sheets_text.contains(&m.full_name), "xlsx names {}", m.full_name);
    }
    assert!(!plain.includes_personal_data && plain.member_list.is_none());
    assert!(plain.club.board.iter().all(|b| b.names.is_none()));
    assert!(html.contains(&t(Lang::Vi, "report.counts_only")));

    let full = build(&store, club, &p, &ReportOptions { with_members: true }).unwrap();
    assert!(full.includes_personal_data);
    let html = html::render(&full, Lang::Vi);
    let notice = html.find(&t(Lang::Vi, "report.with_members")).expect("the first page says so");
    assert!(notice < html.find("<h2").unwrap(), "the notice comes before the first section");
    let list = full.member_list.as_ref().unwrap();
    assert!(!list.is_empty());
    for m in list {
        assert!(html.contains(&maud::html! { (m.full_name) }.into_string()));
    }
    let chair = full.club.board.iter().find(|b| b.role == "chair").unwrap();
    assert_eq!(chair.names.as_ref().map(|n| n.len() as u32), Some(chair.holders));
}

#[test]
fn no_report_of_any_year_or_quarter_names_a_person_on_several_seeds() {
    let mut people_behind_figures = 0;
    for seed in [7, 1336, 2026] {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(d("2026-11-22"));
        let club = demo::build(&mut store, DemoOptions { years: 8, members: 40, seed }).unwrap().club_id;
        let members = member::load_club(&store, club).unwrap();
        let founded = crate::roster::club::get(&store, club).unwrap().founded_on;
        for year in founded.year()..=2026 {
            let labels = [year.to_string(), format!("{year}-Q1"), format!("{year}-Q2"), format!("{year}-Q3"), format!("{year}-Q4")];
            for label in labels {
                let Ok(p) = Period::parse(&label) else { continue };
                let Ok(r) = build(&store, club, &p, &ReportOptions::default()) else { continue };
                let json = String::from_utf8(r.to_json().unwrap()).unwrap();
                let html = html::render(&r, Lang::Vi);
                for m in members.iter() {
                    assert!(!json.contains(&m.full_name), "seed {seed} {label}: report.json names {}", m.full_name);
                    assert!(!html.contains(&m.full_name), "seed {seed} {label}: report.html names {}", m.full_name);
                }
                if let Some(st) = &r.standard {
                    let full = standard::assess(&store, club, year, None).unwrap();
                    for (c, part) in full.criteria.iter().zip(&st.criteria) {
                        assert_eq!(part.people_count as usize, c.people.len());
                        assert!(part.people.is_none());
                        people_behind_figures += c.people.len();
                    }
                }
            }
        }
    }
    // The test means something only if some standard had people behind a figure (the seed-7 case).
    assert!(people_behind_figures > 0, "no year had untrained board members or unvisited care recipients");
}

/// The text a page shows for a figure, read back as the JSON value it came from.
fn shown_equals(shown: &str, v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            let cleaned: String = shown.replace(" đ", "").replace(" %", "").replace('.', "").replace(',', ".");
            cleaned.trim().parse::<f64>().ok() == n.as_f64()
        }
        Value::String(s) => {
            let as_date = crate::format::iso_date_to_display(s);
            shown == s || as_date.as_deref() == Some(shown)
        }
        _ => false,
    }
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

#[test]
fn the_html_page_shows_the_json_figures_and_needs_no_network() {
    let (store, club) = demo_store(3);
    for (label, lang) in [("2025", Lang::Vi), ("2026-Q3", Lang::En)] {
        let r = build(&store, club, &Period::parse(label).unwrap(), &ReportOptions { with_members: true }).unwrap();
        let json: Value = serde_json::from_slice(&r.to_json().unwrap()).unwrap();
        let page = html::render(&r, lang);
        assert!(page.starts_with("<!DOCTYPE html>"));
        for banned in ["http://", "https://", "<script", "<link", "src="] {
            let outside_svg_ns = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
            assert!(!outside_svg_ns.contains(banned), "{banned} in the page");
        }
        let mut checked = 0;
        let mut rest = page.as_str();
        while let Some(i) = rest.find("data-figure=\"") {
            rest = &rest[i + 13..];
            let end = rest.find('"').unwrap();
            let path = &rest[..end];
            let gt = rest.find('>').unwrap();
            let text_end = rest[gt + 1..].find('<').unwrap();
            let shown = html_unescape(&rest[gt + 1..gt + 1 + text_end]);
            let value = lookup(&json, path).unwrap_or_else(|| panic!("{path} is not in report.json"));
            assert!(shown_equals(&shown, value), "{label}: {path} shows {shown:?}, json has {value}");
            checked += 1;
        }
        assert!(checked > 80, "only {checked} figures tagged");
    }
}

fn cell_f64(c: &Data) -> Option<f64> {
    match c {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    }
}

#[test]
fn the_spreadsheet_holds_the_json_figures_as_numbers() {
    let (store, club) = demo_store(3);
    let r = build(&store, club, &Period::parse("2025").unwrap(), &ReportOptions::default()).unwrap();
    let json: Value = serde_json::from_slice(&r.to_json().unwrap()).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx::render(&r, Lang::Vi).unwrap())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 7, "club, members, meetings, activities, funds, loans, standard: {names:?}");
    let (mut numbers, mut dates) = (0, 0);
    for name in names {
        let range = wb.worksheet_range(&name).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let mut codes: Option<Vec<String>> = None;
        for row in &rows {
            let first_empty = matches!(row.first(), None | Some(Data::Empty)) || row.first().is_some_and(|c| c.to_string().is_empty());
            if first_empty && row.get(1).is_some_and(|c| matches!(c, Data::String(s) if !s.is_empty())) {
                codes = Some(row[1..].iter().map(|c| c.to_string()).take_while(|s| !s.is_empty()).collect());
                continue;
            }
            let Some(cs) = &codes else { continue };
            if row.iter().all(|c| matches!(c, Data::Empty)) {
                codes = None;
                continue;
            }
            let path = row[cs.len() + 1].to_string();
            for (i, code) in cs.iter().enumerate() {
                let full = if code == "=" { path.clone() } else { format!("{path}.{code}") };
                let want = lookup(&json, &full).unwrap_or_else(|| panic!("{name}: {full} is not in report.json"));
                let cell = &row[i + 1];
                if let Some(x) = cell_f64(cell) {
                    assert_eq!(Some(x), want.as_f64(), "{name}: {full}");
                    numbers += 1;
                } else if let Data::DateTime(dt) = cell {
                    let shown = dt.as_datetime().unwrap().date().to_string();
                    assert_eq!(Some(shown.as_str()), want.as_str(), "{name}: {full}");
                    dates += 1;
                } else if want.is_number() {
                    panic!("{name}: {full} is {cell:?} in the sheet, a number in json");
                }
            }
        }
    }
    assert!(numbers > 100 && dates >= 5, "{numbers} numbers, {dates} dates");
}

#[test]
fn the_published_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schema/report-v1.schema.json");
    let schema = json_schema();
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &schema).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == schema, "docs/schema/report-v1.schema.json is stale: run UPDATE_SNAPSHOTS=1 cargo test -p ishc-core");
    // A report is its own proof of shape: it reads back into the same types.
    let (store, club) = demo_store(2);
    let r = build(&store, club, &Period::parse("2025").unwrap(), &ReportOptions { with_members: true }).unwrap();
    let back: Report = serde_json::from_slice(&r.to_json().unwrap()).unwrap();
    assert_eq!(back, r);
}


#[test]
fn a_signed_bundle_holds_the_three_renderings_and_verifies() {
    let (mut store, club) = demo_store(2);
    let actor = crate::store::audit::Actor::system("Phạm Thị Thu").unwrap();
    let stick = tempfile::tempdir().unwrap();
    let opts = ReportOptions::default();
    let wrong = export_bundle(&mut store, &actor, club, "wrong passphrase", "2025", &opts, Lang::Vi, stick.path());
    assert!(matches!(wrong, Err(CoreError::KeyWrongPassphrase { .. })), "{wrong:?}");
    assert_eq!(std::fs::read_dir(stick.path()).unwrap().count(), 0);
    let first = export_bundle(&mut store, &actor, club, demo::DEMO_PASSPHRASE, "2025", &opts, Lang::Vi, stick.path()).unwrap();
    let second = export_bundle(&mut store, &actor, club, demo::DEMO_PASSPHRASE, "2026-Q3", &opts, Lang::En, stick.path()).unwrap();
    assert_eq!((first.sequence, second.sequence), (1, 2));
    assert_eq!(second.manifest.previous_bundle_sha256.as_deref(), Some(first.sha256.as_str()));
    let v = crate::signing::bundle::verify_file(&first.path, None).unwrap();
    assert!(v.ok, "{:?}", v.problem);
    let names: Vec<&str> = first.manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["club.pub", "report.html", "report.json", "report.xlsx"]);
    // The report.json inside is the report of the period, byte for byte.
    let r = build(&store, club, &Period::parse("2025").unwrap(), &opts).unwrap();
    let digest = crate::signing::bundle::sha256_hex(&r.to_json().unwrap());
    assert_eq!(first.manifest.files.iter().find(|f| f.name == "report.json").unwrap().sha256, digest);
    assert!(!first.manifest.includes_personal_data);
}

#[test]
fn saving_one_rendering_names_a_missing_folder_and_writes_whole_files() {
    let (store, club) = demo_store(2);
    let dir = tempfile::tempdir().unwrap();
    let opts = ReportOptions::default();
    let missing = save(&store, club, "2025", &opts, Lang::Vi, "xlsx", &dir.path().join("no-stick"));
    assert!(matches!(missing, Err(CoreError::BundleFolderMissing { .. })), "{missing:?}");
    let bad = save(&store, club, "2025", &opts, Lang::Vi, "pdf", dir.path());
    assert!(matches!(bad, Err(CoreError::Invalid { field: Field::ReportFormat, .. })), "{bad:?}");
    let path = save(&store, club, "2025", &opts, Lang::Vi, "json", dir.path()).unwrap();
    assert!(path.ends_with("-2025-bao-cao.json"), "{path}");
    let back: Report = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(back, build(&store, club, &Period::parse("2025").unwrap(), &opts).unwrap());
    let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn every_chart_has_a_text_alternative_and_no_table_header_is_empty() {
    let (store, club) = demo_store(3);
    let r = build(&store, club, &Period::parse("2025").unwrap(), &ReportOptions { with_members: false }).unwrap();
    let page = html::render(&r, Lang::Vi);
    let charts: Vec<&str> = page.split("<svg").skip(1).collect();
    assert!(!charts.is_empty(), "the year report has charts");
    for c in &charts {
        let head = &c[..c.find('>').unwrap()];
        let label = head.split("aria-label=\"").nth(1).map(|s| &s[..s.find('"').unwrap()]).unwrap_or("");
        assert!(label.contains(": "), "a chart without words: <svg{head}>");
        assert!(c.contains("<title>"), "a chart without a title");
    }
    assert!(!page.contains("<th></th>"), "an empty table header");
}

/// The public fund notice (công khai quỹ): the report's own fund figures for the month, whose
/// balances add up; loans as counts and sums with no name anywhere; a chain code that is found in
/// the books exactly as long as they are not rewritten, and a closed month's code is its close's.
#[test]
fn the_public_fund_notice_adds_up_names_nobody_and_its_code_finds_a_rewrite() {
    let (mut store, club) = demo_store(2);
    let n = notice::fund_notice(&store, club, "10/2026").unwrap();
    assert_eq!((n.month.as_str(), n.from, n.to), ("2026-10", d("2026-10-01"), d("2026-10-31")));
    let report = build(&store, club, &Period::parse("2026-10").unwrap(), &ReportOptions::default()).unwrap();
    assert_eq!(n.funds, report.funds, "the report's own figures");
    assert_eq!(n.loans, report.loans.at_end);
    for f in &n.funds {
        let sum = |xs: &[CodeAmount]| xs.iter().map(|x| x.amount).sum::<i64>();
        assert_eq!((sum(&f.receipts), sum(&f.payments)), (f.receipts_total, f.payments_total));
        assert_eq!(f.opening.total + f.receipts_total - f.payments_total + f.transfers_in + f.capital_added, f.closing.total, "{}", f.fund);
    }
    assert!(n.funds.iter().any(|f| f.receipts_total > 0), "the demo month moved money");
    let html = notice::fund_notice_html(&n, Lang::Vi);
    let json = serde_json::to_string(&n).unwrap();
    for m in member::load_club(&store, club).unwrap().iter() {
        assert!(!html.contains(&m.full_name) && !json.contains(&m.full_name), "the notice names {}", m.full_name);
    }
    assert!(html.contains("CÔNG KHAI QUỸ") && html.contains("Tháng 10/2026") && html.contains(&n.chain_code));
    assert!(!html.contains("<script") && !html.contains("http"), "one page, no script, no network");
    // The code: 16 hex digits in groups of four, found in the books (typed any way).
    assert!(regex_like_code(&n.chain_code), "{}", n.chain_code);
    assert!(!n.closed);
    let found = notice::check_code(&store, club, &n.chain_code.to_lowercase().replace(' ', "")).unwrap().expect("found");
    assert_eq!(found.position, n.entries);
    for bad in ["", "ABCD", "ABCD EF01 2345 678G", "ABCD EF01 2345 6789 0"] {
        assert_eq!(notice::check_code(&store, club, bad).unwrap_err().code(), "input.invalid", "{bad:?}");
    }
    // A later entry changes today's code but leaves the printed one found.
    let name = demo_name(&store, club, crate::auth::AuthRole::Treasurer);
    let treasurer = crate::auth::sign_in(&mut store, club, &name, "3333").unwrap();
    let input = books::ReceiptInput {
        fund: books::Fund::Activity, amount: 10_000, source: books::Source::Community, date: d("2026-11-20"),
        member_id: None, memo: "Ủng hộ".into(), via: books::Via::Cash,
    };
    books::receipt(&mut store, &treasurer, club, &input).unwrap();
    assert_ne!(notice::fund_notice(&store, club, "2026-10").unwrap().chain_code, n.chain_code);
    assert!(notice::check_code(&store, club, &n.chain_code).unwrap().is_some());
    // Rewritten behind the app's back (every hash recomputed from a changed entry): not found.
    store
        .conn()
        .execute_batch("DROP TRIGGER journal_entry_no_update; UPDATE journal_entry SET hash = lower(hex(randomblob(32)))")
        .unwrap();
    assert_eq!(notice::check_code(&store, club, &n.chain_code).unwrap(), None);
}

#[test]
fn a_closed_months_notice_carries_the_code_its_close_recorded() {
    let (store, club) = demo_store(2);
    let closed: (String, String, i64) = store
        .conn()
        .query_row("SELECT month, chain_head, entries FROM month_close WHERE club_id = ?1 ORDER BY month DESC LIMIT 1", [club], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("the demo closes its months");
    let n = notice::fund_notice(&store, club, &closed.0).unwrap();
    assert!(n.closed);
    assert_eq!(n.entries, closed.2);
    assert_eq!(n.chain_code.replace(' ', "").to_lowercase(), closed.1[..16]);
    assert_eq!(notice::check_code(&store, club, &n.chain_code).unwrap().unwrap().position, closed.2);
    let html = notice::fund_notice_html(&n, Lang::En);
    assert!(html.contains("PUBLIC FUND NOTICE") && html.contains("when the month was closed"));
}

fn regex_like_code(code: &str) -> bool {
    let groups: Vec<&str> = code.split(' ').collect();
    groups.len() == 4 && groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()))
}

fn demo_name(store: &Store, club: i64, role: crate::auth::AuthRole) -> String {
    crate::auth::list(store, club).unwrap().into_iter().find(|s| s.roles.contains(&role)).unwrap().name
}

/// A member's own statement says what the books say: the dues grid's months for her, every loan
/// card of hers, what she received; the page shows them and nobody else's loans.
#[test]
fn a_members_statement_is_her_dues_grid_row_her_loan_cards_and_what_she_received() {
    let (store, club) = demo_store(3);
    let at = d("2026-11-22");
    let borrower = loans::list(&store, club, at).unwrap().into_iter().find(|r| r.loan.disbursed_on.is_some()).unwrap().loan.member.id;
    let s = statement::member_statement(&store, club, borrower, 2026).unwrap();
    assert_eq!((s.year, s.as_of), (2026, at));
    assert_eq!(s.months.len(), 11, "January to November while the year runs");
    let grid = books::dues_grid(&store, club, "2026-11").unwrap();
    let row = grid.rows.iter().find(|r| r.member_id == borrower).unwrap();
    assert_eq!(s.dues[..], row.months[1..], "the grid's months of this year, for her");
    assert_eq!(s.behind, s.dues.iter().filter(|x| *x == "due").count() as u32);
    let hers: Vec<i64> = loans::list(&store, club, at).unwrap().iter().filter(|r| r.loan.member.id == borrower).map(|r| r.loan.id).collect();
    assert_eq!(s.loans.iter().map(|c| c.loan.id).collect::<Vec<_>>(), hers);
    for c in &s.loans {
        assert_eq!(c, &loans::card(&store, club, c.loan.id, at).unwrap());
    }
    assert!(s.received.iter().all(|a| a.member.as_ref().map(|p| p.id) == Some(borrower) && a.held_on.year() == 2026));
    let html = statement::member_statement_html(&s, Lang::Vi);
    assert!(html.contains("SỔ CỦA HỘI VIÊN") && html.contains(&s.full_name));
    for c in &s.loans {
        assert!(html.contains(&crate::format::money(c.loan.amount)));
        for p in &c.payments {
            assert!(html.contains(&p.voucher), "payment {} shown", p.voucher);
        }
    }
    let others: Vec<String> = loans::list(&store, club, at).unwrap().iter().filter(|r| r.loan.member.id != borrower).filter_map(|r| r.loan.voucher.clone()).collect();
    assert!(others.iter().all(|v| !html.contains(v.as_str())), "no other member's loan voucher");
    // A year outside the club's life is refused by field.
    let err = statement::member_statement(&store, club, borrower, 2030).unwrap_err();
    assert!(matches!(err, crate::error::CoreError::Invalid { field: crate::error::Field::Year, .. }), "{err:?}");
    assert_eq!(statement::member_statement(&store, club, 999_999, 2026).unwrap_err().code(), "member.not_found");
}
