//! Benchmarks on the 10-year demo club. Figures go to BENCHMARKS.md.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ishc_core::composition;
use ishc_core::demo::{self, DemoOptions};
use ishc_core::member::{self, ListQuery};
use ishc_core::Store;

fn demo_store() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let s = demo::build(&mut store, DemoOptions::default()).unwrap();
    (store, s.club_id)
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
}

criterion_group! {
    name = core;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(core);
