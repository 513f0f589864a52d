//! The commune inbox at scale (a benchmark, not a test): `scripts/bench-commune.sh` runs it.
//!
//! `commune_bench generate DIR N` makes a commune ledger `DIR/commune.sqlite` with N clubs, each
//! registered from its key's fingerprint, and writes each club's 13 bundles (12 months and the year,
//! chained by sequence and digest, with a real `report.json` from the demo club) to `DIR/stick/`.
//! `commune_bench import DIR` imports the stick (timed) through `import::import_each`, counting the
//! rows as they are handed over and keeping none. `commune_bench rollup DIR` reads every club's
//! latest year report back (timed) and rolls the year up (`send::roll_up_inbox`, timed). Each prints
//! its figures as one JSON line; run as separate processes, `/usr/bin/time -v` measures each one's
//! peak memory alone.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use ishc_core::commune::{import, ledger, register, status, CommuneInput, CommuneStore};
use ishc_core::reporting::Period;
use ishc_core::signing::bundle::kit::{digest, KitClub, KitKey};
use ishc_core::signing::bundle::BundleFile;
use ishc_core::{demo, Actor, Store};


const PASS: &str = "mật khẩu của xã";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// A real report.json (the demo club's year) to put in every bundle.
fn real_report() -> Vec<u8> {
    let mut store = Store::open_in_memory().expect("memory store");
    store.set_today(d("2026-12-31"));
    let summary = demo::build(&mut store, demo::DemoOptions { seed: 7, years: 2, members: 60 }).expect("demo");
    let year = Period::year(2026).expect("year");
    ishc_core::reporting::build(&store, summary.club_id, &year, &Default::default()).expect("report").to_json().expect("json")
}

fn generate(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir.join("stick")).expect("stick");
    let mut store = CommuneStore::open(&dir.join("commune.sqlite"), true).expect("ledger");
    let actor = Actor::new("Bench").expect("actor");
    let input = CommuneInput {
        level: ishc_core::commune::Level::Commune,
        name: "Xã Quảng Hòa".into(),
        district: "Quảng Xương".into(),
        province: "Thanh Hóa".into(),
        deadline_day: 10,
        deadline_month: 12,
    };
    ledger::init(&mut store, &actor, &input, PASS).expect("init");
    let json = real_report();
    for c in 0..n {
        let key = KitKey::generate().expect("key");
        let name = format!("CLB số {c:05}");
        let club = KitClub { name: name.clone(), commune: "Quảng Hòa".into(), district: "Quảng Xương".into(), province: "Thanh Hóa".into() };
        let reg = register::ClubInput { name: name.clone(), hamlet: format!("Thôn {}", c % 12), public_key: key.public_key_file(&name), fingerprint: key.fingerprint() };
        register::register(&mut store, &actor, &reg).expect("register");
        let mut previous: Option<String> = None;
        for seq in 1..=13u32 {
            let (label, from, to) = if seq <= 12 {
                let p = Period::month(2026, seq).expect("month");
                (p.label, p.from, p.to)
            } else {
                ("2026".to_string(), d("2026-01-01"), d("2026-12-31"))
            };
            let files = [BundleFile { name: "report.json".into(), bytes: json.clone() }];
            let bytes = key.bundle(&club, &label, from, to, seq, previous.take(), &files).expect("bundle");
            previous = Some(digest(&bytes));
            std::fs::write(dir.join("stick").join(format!("ishc-clb-{c:05}-{label}-{seq:04}.zip")), &bytes).expect("write");
        }
    }
}

/// Counts the rows as the import hands them over, keeping none (as `ishc commune import` prints
/// them and keeps none).
#[derive(Default)]
struct Count {
    accepted: u32,
    refused: u32,
}

impl import::ImportSink for Count {
    fn accepted(&mut self, _row: import::Accepted) -> ishc_core::error::Result<()> {
        self.accepted += 1;
        Ok(())
    }
    fn refused(&mut self, _row: import::Refused) -> ishc_core::error::Result<()> {
        self.refused += 1;
        Ok(())
    }
}

fn run_import(dir: &Path) {
    let mut store = CommuneStore::open(&dir.join("commune.sqlite"), false).expect("ledger");
    let actor = Actor::new("Bench").expect("actor");
    let t = Instant::now();
    let mut rows = Count::default();
    let counts = import::import_each(&mut store, &actor, &[dir.join("stick")], &mut rows).expect("import");
    let import_s = t.elapsed().as_secs_f64();
    assert_eq!((rows.accepted, rows.refused), (counts.accepted, counts.refused), "every row was handed over");
    let bytes = std::fs::metadata(dir.join("commune.sqlite")).map(|m| m.len()).unwrap_or(0);
    println!(
        "{{\"bundles\":{},\"accepted\":{},\"refused\":{},\"import_s\":{import_s:.2},\"bundles_per_s\":{:.0},\"ledger_bytes\":{bytes}}}",
        counts.files,
        counts.accepted,
        counts.refused,
        f64::from(counts.files) / import_s,
    );
}

fn run_rollup(dir: &Path) {
    let store = CommuneStore::open(&dir.join("commune.sqlite"), false).expect("ledger");
    let year = Period::year(2026).expect("year");
    let t = Instant::now();
    let mut clubs = 0u32;
    let mut members = 0i64;
    status::each_latest_report(&store, &year, |c| {
        clubs += 1;
        if let Some(status::ReportBody::Parsed(rep)) = &c.report {
            members += i64::from(rep.members.end.members);
        }
        Ok(())
    })
    .expect("latest");
    let read_s = t.elapsed().as_secs_f64();
    // The roll-up itself, as `ishc commune rollup` and the window make it: every club's latest year
    // report parsed and summed as it is read, the plan judged.
    let t = Instant::now();
    let plan = ishc_core::commune::rollup::plan::find_builtin(ishc_core::commune::rollup::plan::DEFAULT_PLAN).expect("plan");
    let rolled = ishc_core::commune::send::roll_up_inbox(&store, &year, None, &plan).expect("roll-up");
    let rollup_s = t.elapsed().as_secs_f64();
    assert_eq!(i64::from(rolled.totals.members.members), members, "the roll-up sums what was read");
    println!(
        "{{\"latest_reports_s\":{read_s:.2},\"rollup_s\":{rollup_s:.2},\"rollup_clubs\":{},\"clubs_read\":{clubs},\"members_summed\":{members}}}",
        rolled.totals.clubs,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") => generate(&PathBuf::from(&args[2]), args[3].parse().expect("N")),
        Some("import") => run_import(&PathBuf::from(&args[2])),
        Some("rollup") => run_rollup(&PathBuf::from(&args[2])),
        _ => eprintln!("usage: commune_bench generate DIR N | import DIR | rollup DIR"),
    }
}
