//! Benchmarks on the 10-year demo club and the biggest plausible club (30 years, 500 members).
//! Figures go to BENCHMARKS.md.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ishc_core::roster::composition;
use ishc_core::demo::{self, DemoOptions};
use ishc_core::roster::member::{self, ListQuery};
use ishc_core::roster::club::{self, ClubInput};
use ishc_core::books::{self, Area, Fund, PaymentInput, ReceiptInput, Source, Via};
use ishc_core::{Actor, Store};

/// A busy ledger written through the real rules: ten years, four receipts a day and a payment
/// every third day in the activity fund (about 16,000 vouchers, 32,000 postings).
fn busy_store() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let start = NaiveDate::from_ymd_opt(2016, 11, 23).unwrap();
    let club = club::create(&mut store, &Actor::new("Chủ nhiệm").unwrap(), &ClubInput::new("CLB", "Xã", "Huyện", "Tỉnh", start)).unwrap().id;
    // The founder signs in; the club's rule lets the chairperson handle money (one person posts).
    let chair = ishc_core::roster::member::MemberInput::new("Chủ nhiệm", ishc_core::roster::member::Sex::F, 1960, start);
    let actor = ishc_core::auth::setup_founder(&mut store, club, &chair, "1111").unwrap().actor;
    ishc_core::auth::set_settings(&mut store, &actor, club, ishc_core::auth::AuthSettings { chair_handles_money: true, lock_minutes: 10 }).unwrap();
    let mut day = start;
    let mut n = 0u64;
    while day <= store.today() {
        for i in 0..4 {
            let input = ReceiptInput {
                fund: if i % 2 == 0 { Fund::Activity } else { Fund::Income },
                amount: 50_000 + (n % 7) as i64 * 10_000,
                source: Source::Dues,
                date: day,
                member_id: None,
                memo: String::new(),
                via: Via::Cash,
            };
            books::receipt(&mut store, &actor, club, &input).unwrap();
            n += 1;
        }
        if n % 3 == 0 {
            let input = PaymentInput {
                fund: Fund::Activity,
                amount: 60_000,
                area: Area::A4,
                date: day,
                member_id: None,
                memo: String::new(),
                via: Via::Cash,
            };
            books::payment(&mut store, &actor, club, &input).unwrap();
        }
        day = day.succ_opt().unwrap();
    }
    (store, club)
}

fn demo_store() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let s = demo::build(&mut store, DemoOptions::default()).unwrap();
    (store, s.club_id)
}

/// The demo chairperson's sign-in name (PIN 1111, `demo::DEMO_PINS`).
fn demo_chair(store: &Store, club: i64) -> String {
    let all = ishc_core::auth::list(store, club).unwrap();
    all.into_iter().find(|s| s.roles.contains(&ishc_core::auth::AuthRole::Chair)).unwrap().name
}

fn benches(c: &mut Criterion) {
    c.bench_function("demo_build_10y_60m_in_memory", |b| {
        b.iter(|| {
            let mut store = Store::open_in_memory().unwrap();
            store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
            demo::build(&mut store, DemoOptions::default()).unwrap()
        })
    });
    let (store, club) = demo_store();
    c.bench_function("composition_today_10y", |b| b.iter(|| composition::compute(&store, club, None, None).unwrap()));
    let at = Some(NaiveDate::from_ymd_opt(2020, 6, 30).unwrap());
    c.bench_function("composition_past_date_10y", |b| b.iter(|| composition::compute(&store, club, at, None).unwrap()));
    let q = ListQuery { search: Some("nguyen thi".into()), ..Default::default() };
    c.bench_function("roster_search_nguyen_thi_10y", |b| b.iter(|| member::list(&store, club, &q).unwrap()));
    let (y0, y1) = (NaiveDate::from_ymd_opt(2025, 11, 23).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    c.bench_function("balances_today_10y_demo", |b| b.iter(|| books::balances(&store, club, None).unwrap()));
    c.bench_function("cashbook_one_year_10y_demo", |b| b.iter(|| books::cashbook(&store, club, None, y0, y1).unwrap()));
    c.bench_function("standard_year_10y_demo", |b| b.iter(|| ishc_core::life::standard::assess(&store, club, 2025, None).unwrap()));
    c.bench_function("year_grid_10y_demo", |b| b.iter(|| ishc_core::life::meeting::year_grid(&store, club, 2025).unwrap()));
    let today = store.today();
    c.bench_function("loan_portfolio_today_10y_demo", |b| b.iter(|| ishc_core::loans::portfolio(&store, club, today).unwrap()));
    let mid = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
    c.bench_function("loan_portfolio_2021_10y_demo", |b| b.iter(|| ishc_core::loans::portfolio(&store, club, mid).unwrap()));
    c.bench_function("loan_list_arrears_today_10y_demo", |b| b.iter(|| ishc_core::loans::list(&store, club, today).unwrap()));
    c.bench_function("meeting_list_all_10y_demo", |b| b.iter(|| ishc_core::life::meeting::list(&store, club, None).unwrap()));
    // Reports: the year 2025 of the demo club in all three renderings; then the signed bundle (report,
    // renderings, scrypt unlock of the key, signing, zip, atomic write, read-back, verify, record) and
    // the commune's verification of it.
    let year = ishc_core::reporting::Period::parse("2025").unwrap();
    let opts = ishc_core::reporting::ReportOptions::default();
    c.bench_function("report_year_json_html_xlsx_10y_demo", |b| {
        b.iter(|| {
            let r = ishc_core::reporting::build(&store, club, &year, &opts).unwrap();
            let j = r.to_json().unwrap();
            let h = ishc_core::reporting::html::render(&r, ishc_core::i18n::Lang::Vi);
            let x = ishc_core::reporting::xlsx::render(&r, ishc_core::i18n::Lang::Vi).unwrap();
            (j.len(), h.len(), x.len())
        })
    });
    let (mut signing, signing_club) = demo_store();
    let chair = demo_chair(&signing, signing_club);
    let actor = ishc_core::auth::sign_in(&mut signing, signing_club, &chair, "1111").unwrap();
    let stick = tempfile::tempdir().unwrap();
    let mut last = None;
    c.bench_function("export_signed_bundle_year_10y_demo", |b| {
        b.iter(|| {
            let e = ishc_core::reporting::export_bundle(
                &mut signing, &actor, signing_club, demo::DEMO_PASSPHRASE, "2025", &opts, ishc_core::i18n::Lang::Vi, stick.path(),
            )
            .unwrap();
            last = Some(e.path.clone());
            e.size
        })
    });
    // Only when the export bench ran (a filter may have left it out).
    if let Some(path) = last {
        let bundle = std::fs::read(path).unwrap();
        eprintln!("bundle: {} bytes", bundle.len());
        c.bench_function("verify_bundle_year_10y_demo", |b| b.iter(|| assert!(ishc_core::signing::bundle::verify_bytes(&bundle, None).ok)));
    }
    let (busy, busy_club) = busy_store();
    let entries = books::journal(&busy, busy_club, None, None).unwrap().len();
    eprintln!("busy ledger: {entries} vouchers");
    c.bench_function("balances_today_busy_16k", |b| b.iter(|| books::balances(&busy, busy_club, None).unwrap()));
    c.bench_function("cashbook_one_year_busy_16k", |b| b.iter(|| books::cashbook(&busy, busy_club, Some(Fund::Activity), y0, y1).unwrap()));
    c.bench_function("verify_chain_busy_16k", |b| b.iter(|| books::verify(&busy, busy_club).unwrap()));
}

/// The biggest plausible club: `ishc demo --years 30 --members 500`, in memory.
fn big_store() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let s = demo::build(&mut store, DemoOptions { years: 30, members: 500, seed: 1336 }).unwrap();
    (store, s.club_id)
}

/// One bench per read the window makes on every page, on the big club. The club is built once, and
/// only when one of these benches is selected (building it takes several seconds).
fn big_club(c: &mut Criterion) {
    let big = std::cell::OnceCell::new();
    let get = || -> &(Store, i64) { big.get_or_init(big_store) };
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    c.bench_function("big_dues_grid_month_30y_500m", |b| {
        let (store, club) = get();
        b.iter(|| books::dues_grid(store, *club, "2026-11").unwrap())
    });
    c.bench_function("big_report_year_30y_500m", |b| {
        let (store, club) = get();
        let year = ishc_core::reporting::Period::parse("2025").unwrap();
        let opts = ishc_core::reporting::ReportOptions::default();
        b.iter(|| ishc_core::reporting::build(store, *club, &year, &opts).unwrap())
    });
    c.bench_function("big_loan_portfolio_today_30y_500m", |b| {
        let (store, club) = get();
        b.iter(|| ishc_core::loans::portfolio(store, *club, today).unwrap())
    });
    c.bench_function("big_loan_list_today_30y_500m", |b| {
        let (store, club) = get();
        b.iter(|| ishc_core::loans::list(store, *club, today).unwrap())
    });
    c.bench_function("big_member_list_today_30y_500m", |b| {
        let (store, club) = get();
        b.iter(|| member::list(store, *club, &ListQuery::default()).unwrap())
    });
}

criterion_group! {
    name = core;
    config = Criterion::default().sample_size(30);
    targets = big_club, benches
}
criterion_main!(core);
