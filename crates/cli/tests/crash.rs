//! Crash test (issue 14): real `ishc` processes writing to a real ledger file are killed with
//! SIGKILL at random moments — the laptop losing power mid-command. After every kill:
//! - the file opens and `ishc check` passes (exit 0, `ok: true`);
//! - everything reported done is there: a process that printed its JSON and exited 0 before the
//!   kill is *acknowledged*, and its voucher, member, leave or meeting must be found, unchanged —
//!   as must anything a killed process turned out to have committed;
//! - a killed operation is there whole (a voucher with exactly its postings, a meeting with its
//!   attendance and areas) or not at all, never twice;
//! - voucher numbers stay unique and gapless per fund, series and year.
//!
//! Also two writers at once on one file (`two_writers_at_once…`).
//!
//! A seeded RNG picks each command and when to kill it: a delay from 0 to 1.2 × the command's
//! typical duration, measured on the same file first, so kills land before, during and after the
//! commit; the figures say how many killed operations turned out committed. The seed is printed;
//! `ISHC_CRASH_SEED=N` replays its choices (the kill moments are real time, so a replay is close,
//! not identical). `ISHC_CRASH_KILLS` (default 40, a few tens of seconds) sets how many kills;
//! `make crash-test` runs 600 and prints the figures. Timing never decides pass or fail.
//!
//! An integration test of the `ishc` package (not a separate binary) so that `cargo test
//! --workspace`, hence `make test`, runs the short version with no extra step, with the binary
//! cargo has just built (`CARGO_BIN_EXE_ishc`).

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::Value;

const TODAY: &str = "2026-11-22";
const TODAY_TYPED: &str = "22/11/2026";
/// The demo's chairperson (default seed) and her demo PIN. The demo club's rule is set to let her
/// handle money too, so that one signed-in person can make every kind of write here.
const ACTOR: &str = "Trịnh Thị Loan";
const ACTOR_PIN: &str = "1111";

/// SplitMix64: a few lines, no dependency, the same stream for the same seed everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| v.trim().parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

fn seed() -> u64 {
    env_u64("ISHC_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 % 1_000_000_007
    })
}

fn ishc(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ishc"));
    cmd.env("ISHC_DB", db)
        .env("ISHC_TODAY", TODAY)
        .env("ISHC_LANG", "en")
        .env("ISHC_PIN", ACTOR_PIN)
        .env_remove("ISHC_ACTOR")
        .env_remove("ISHC_CLUB")
        .env_remove("ISHC_PASSPHRASE")
        .stdin(Stdio::null());
    cmd
}

fn run(db: &Path, args: &[&str]) -> Output {
    ishc(db).args(args).output().expect("ishc runs")
}

fn read_json(db: &Path, args: &[&str], ctx: &str) -> Value {
    let out = run(db, args);
    assert!(out.status.success(), "{ctx}: `ishc {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{ctx}: `ishc {}` printed no JSON: {e}", args.join(" ")))
}

/// A demo club of one year and 20 members (deterministic: default seed, fixed today).
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    read_json(&db, &["demo", "--years", "1", "--members", "20", "--json"], "demo");
    read_json(&db, &["--as", ACTOR, "user", "settings", "--chair-handles-money", "yes", "--json"], "the club's rule");
    (dir, db)
}

/// One writing command, with what makes it findable afterwards (a unique memo, name or date).
#[derive(Clone, Debug)]
enum Op {
    Receipt { fund: &'static str, amount: i64, memo: String },
    Payment { area: u8, amount: i64, memo: String },
    MemberAdd { name: String, sex: &'static str, born: i64 },
    MemberLeave { id: i64 },
    Meeting { date: String, kind: &'static str, minutes: String },
}

const KINDS: [&str; 5] = ["fund receipt", "fund payment", "member add", "member leave", "meeting add"];

impl Op {
    fn kind(&self) -> usize {
        match self {
            Op::Receipt { .. } => 0,
            Op::Payment { .. } => 1,
            Op::MemberAdd { .. } => 2,
            Op::MemberLeave { .. } => 3,
            Op::Meeting { .. } => 4,
        }
    }

    fn args(&self) -> Vec<String> {
        let mut a: Vec<String> = ["--as", ACTOR, "--json"].map(String::from).to_vec();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        a.extend(match self {
            Op::Receipt { fund, amount, memo } => s(&["fund", "receipt", "--fund", fund, "--amount", &amount.to_string(),
                "--source", "community", "--date", TODAY_TYPED, "--memo", memo]),
            Op::Payment { area, amount, memo } => s(&["fund", "payment", "--fund", "activity", "--amount", &amount.to_string(),
                "--area", &area.to_string(), "--date", TODAY_TYPED, "--memo", memo]),
            Op::MemberAdd { name, sex, born } => s(&["member", "add", "--name", name, "--sex", sex, "--born", &born.to_string(),
                "--joined", TODAY_TYPED]),
            Op::MemberLeave { id } => s(&["member", "leave", &id.to_string(), "--date", TODAY_TYPED, "--reason", "moved"]),
            Op::Meeting { date, kind, minutes } => s(&["meeting", "add", "--date", date, "--kind", kind, "--chair", "1",
                "--minutes-by", "4", "--all-present", "--areas", "all", "--minutes", minutes]),
        });
        a
    }

    fn spawn(&self, db: &Path) -> Child {
        ishc(db).args(self.args()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("ishc starts")
    }

    fn shown(&self) -> String {
        format!("ishc {}", self.args().join(" "))
    }
}

/// What the file holds after a run, read by the real binary.
struct Snapshot {
    entries: Vec<Value>,
    members: Vec<Value>,
    meetings: Vec<Value>,
}

impl Snapshot {
    /// The file opens, `ishc check` passes, and the journal, roster and meetings are read back.
    fn take(db: &Path, ctx: &str) -> Snapshot {
        let out = run(db, &["check", "--json"]);
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{ctx}: `ishc check` printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        assert!(
            out.status.success() && report["ok"] == true,
            "{ctx}: `ishc check` failed (exit {:?}): {report}",
            out.status.code()
        );
        Snapshot {
            entries: arr(read_json(db, &["fund", "journal", "--json"], ctx)),
            members: arr(read_json(db, &["member", "list", "--all", "--json"], ctx)),
            meetings: arr(read_json(db, &["meeting", "list", "--json"], ctx)),
        }
    }

    fn activity_cash(&self) -> i64 {
        self.entries
            .iter()
            .flat_map(|e| arr(e["postings"].clone()))
            .filter(|p| p["fund"] == "activity" && p["account"] == "cash")
            .map(|p| p["amount"].as_i64().unwrap())
            .sum()
    }

    /// Voucher labels (`PT-HD-2026-0007`) are unique and numbered 1…n per fund, series and year.
    fn vouchers_unique_and_gapless(&self) -> Result<(), String> {
        let mut by: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for e in &self.entries {
            let label = e["voucher"].as_str().ok_or_else(|| format!("entry without voucher: {e}"))?;
            let (prefix, n) = label.rsplit_once('-').ok_or_else(|| format!("voucher {label}"))?;
            by.entry(prefix.to_string()).or_default().push(n.parse().map_err(|_| format!("voucher {label}"))?);
        }
        for (prefix, mut ns) in by {
            ns.sort_unstable();
            let want: Vec<u32> = (1..=ns.len() as u32).collect();
            if ns != want {
                return Err(format!("vouchers {prefix}-…: numbers {ns:?} are not 1…{} without gap or repeat", ns.len()));
            }
        }
        Ok(())
    }
}

fn arr(v: Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_else(|| panic!("expected a JSON array, got {v}"))
}

/// Everything reported done or found committed so far: it must stay, unchanged.
#[derive(Default)]
struct Book {
    entries: BTreeMap<i64, Value>,
    members: BTreeMap<i64, String>,
    left: BTreeMap<i64, String>,
    meetings: BTreeMap<i64, (String, String)>,
}

impl Book {
    fn len(&self) -> usize {
        self.entries.len() + self.members.len() + self.left.len() + self.meetings.len()
    }

    /// What the book holds that the file does not (each a line saying what and how).
    fn missing(&self, s: &Snapshot) -> Vec<String> {
        let mut lost = Vec::new();
        for (id, want) in &self.entries {
            match s.entries.iter().find(|e| e["id"] == *id) {
                None => lost.push(format!("voucher {} (entry {id}) is gone", want["voucher"])),
                Some(e) if e != want => lost.push(format!("entry {id} changed: was {want}, now {e}")),
                _ => {}
            }
        }
        for (id, name) in &self.members {
            if !s.members.iter().any(|m| m["id"] == *id && m["full_name"] == name.as_str()) {
                lost.push(format!("member {id} {name} is gone"));
            }
        }
        for (id, on) in &self.left {
            if !s.members.iter().any(|m| m["id"] == *id && m["left_on"] == on.as_str()) {
                lost.push(format!("member {id}'s leave on {on} is gone"));
            }
        }
        for (id, (on, kind)) in &self.meetings {
            if !s.meetings.iter().any(|m| m["id"] == *id && m["held_on"] == on.as_str() && m["kind"] == kind.as_str()) {
                lost.push(format!("{kind} meeting {id} of {on} is gone"));
            }
        }
        lost
    }

    fn add(&mut self, op: &Op, found: &Value) {
        let id = found["id"].as_i64().unwrap();
        match op {
            Op::Receipt { .. } | Op::Payment { .. } => {
                self.entries.insert(id, found.clone());
            }
            Op::MemberAdd { name, .. } => {
                self.members.insert(id, name.clone());
            }
            Op::MemberLeave { .. } => {
                self.left.insert(id, TODAY.to_string());
            }
            Op::Meeting { date, kind, .. } => {
                self.meetings.insert(id, (date.clone(), kind.to_string()));
            }
        }
    }
}

/// Whether `op` is in the file: `Ok(None)` absent, `Ok(Some(row))` there whole (the journal entry,
/// roster row or `meeting show`), `Err` there in part, changed or twice.
fn find(op: &Op, s: &Snapshot, db: &Path) -> Result<Option<Value>, String> {
    fn one<'a>(rows: impl Iterator<Item = &'a Value>, what: &str) -> Result<Option<&'a Value>, String> {
        let rows: Vec<&Value> = rows.collect();
        match rows.len() {
            0 => Ok(None),
            1 => Ok(Some(rows[0])),
            n => Err(format!("{what} is there {n} times: {rows:?}")),
        }
    }
    let postings = |e: &Value| {
        let mut p: Vec<(String, String, i64)> = arr(e["postings"].clone())
            .iter()
            .map(|p| (p["fund"].as_str().unwrap().into(), p["account"].as_str().unwrap().into(), p["amount"].as_i64().unwrap()))
            .collect();
        p.sort();
        p
    };
    match op {
        Op::Receipt { fund, amount, memo } => {
            let Some(e) = one(s.entries.iter().filter(|e| e["memo"] == memo.as_str()), memo)? else { return Ok(None) };
            let mut want = vec![(fund.to_string(), "cash".to_string(), *amount), (fund.to_string(), "income:community".to_string(), -amount)];
            want.sort();
            if e["kind"] != "receipt" || e["date"] != TODAY || !e["voucher"].as_str().unwrap_or("").starts_with("PT-") || postings(e) != want {
                return Err(format!("receipt {memo} is not whole: {e}"));
            }
            Ok(Some(e.clone()))
        }
        Op::Payment { area, amount, memo } => {
            let Some(e) = one(s.entries.iter().filter(|e| e["memo"] == memo.as_str()), memo)? else { return Ok(None) };
            let mut want = vec![("activity".to_string(), format!("expense:a{area}"), *amount), ("activity".to_string(), "cash".to_string(), -amount)];
            want.sort();
            if e["kind"] != "payment" || e["date"] != TODAY || !e["voucher"].as_str().unwrap_or("").starts_with("PC-") || postings(e) != want {
                return Err(format!("payment {memo} is not whole: {e}"));
            }
            Ok(Some(e.clone()))
        }
        Op::MemberAdd { name, sex, born } => {
            let Some(m) = one(s.members.iter().filter(|m| m["full_name"] == name.as_str()), name)? else { return Ok(None) };
            if m["sex"] != *sex || m["birth_year"] != *born || m["joined_on"] != TODAY || !m["left_on"].is_null() && m["left_on"] != TODAY {
                return Err(format!("member {name} is not as added: {m}"));
            }
            Ok(Some(m.clone()))
        }
        Op::MemberLeave { id } => {
            let m = s.members.iter().find(|m| m["id"] == *id).ok_or_else(|| format!("member {id} is gone"))?;
            match (&m["left_on"], &m["leave_reason"]) {
                (Value::Null, Value::Null) => Ok(None),
                (on, why) if on == TODAY && why == "moved" => Ok(Some(m.clone())),
                _ => Err(format!("member {id}'s leave is not as written: {m}")),
            }
        }
        Op::Meeting { date, kind, minutes } => {
            let Some(row) = one(s.meetings.iter().filter(|m| m["held_on"] == date.as_str() && m["kind"] == *kind), &format!("{kind} meeting of {date}"))?
            else {
                return Ok(None);
            };
            let id = row["id"].to_string();
            let m = read_json(db, &["meeting", "show", &id, "--json"], "meeting show");
            let present = m["present"].as_array().map_or(0, |p| p.len());
            let ok = present > 0
                && m["members_on_day"] == present
                && m["topics"].as_array().map_or(0, |t| t.len()) == 8
                && m["minutes"] == minutes.as_str()
                && m["chaired_by"]["id"] == 1
                && row["present"] == present;
            if !ok {
                return Err(format!("meeting {id} of {date} is not whole: {m}"));
            }
            Ok(Some(m))
        }
    }
}

/// How a started command ended.
enum End {
    /// Printed its JSON and exited 0: acknowledged.
    Done(Value),
    /// Ended by our SIGKILL.
    Killed,
}

fn end_of(op: &Op, out: Output, ctx: &str) -> End {
    if out.status.signal() == Some(9) {
        return End::Killed;
    }
    assert!(
        out.status.success(),
        "{ctx}: `{}` failed (exit {:?}) without being killed: {}{}",
        op.shown(),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    End::Done(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{ctx}: `{}` exited 0 without JSON: {e}", op.shown())))
}

/// The id an acknowledged command printed (an `Entry`, a `Member`, a `MeetingSaved`).
fn acked_id(op: &Op, printed: &Value) -> i64 {
    match op {
        Op::Meeting { .. } => printed["meeting"]["id"].as_i64(),
        _ => printed["id"].as_i64(),
    }
    .unwrap_or_else(|| panic!("`{}` printed no id: {printed}", op.shown()))
}

/// Picks the next command: unique memos, names and meeting days; payments never beyond the cash.
struct Planner {
    next: u64,
    /// Meeting (day, kind) slots not taken by the demo, handed out once each.
    slots: Vec<(String, &'static str)>,
    /// Members this test added who have not left (candidates for `member leave`).
    ours_active: Vec<i64>,
    activity_cash: i64,
}

impl Planner {
    fn new(s: &Snapshot) -> Planner {
        let start = chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        let end = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
        let mut slots = Vec::new();
        for kind in ["extraordinary", "board"] {
            let mut d = start;
            while d < end {
                let iso = d.format("%Y-%m-%d").to_string();
                if !s.meetings.iter().any(|m| m["held_on"] == iso.as_str() && m["kind"] == kind) {
                    slots.push((iso, kind));
                }
                d = d.succ_opt().unwrap();
            }
        }
        slots.reverse();
        Planner { next: 0, slots, ours_active: Vec::new(), activity_cash: s.activity_cash() }
    }

    /// After a snapshot: the cash to pay from, and which of our members are still there.
    fn learn(&mut self, s: &Snapshot) {
        self.activity_cash = s.activity_cash();
        self.ours_active = s
            .members
            .iter()
            .filter(|m| m["full_name"].as_str().unwrap_or("").starts_with("Nguyễn Thị Thử ") && m["left_on"].is_null())
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
    }

    fn op(&mut self, kind: usize, rng: &mut Rng) -> Op {
        self.next += 1;
        let n = self.next;
        match kind {
            0 => Op::Receipt {
                fund: if rng.below(2) == 0 { "activity" } else { "income" },
                amount: (50 + rng.below(950) as i64) * 1000,
                memo: format!("crash op {n}"),
            },
            1 if self.activity_cash >= 20_000 => Op::Payment {
                area: 1 + rng.below(8) as u8,
                amount: (1 + rng.below((self.activity_cash / 2000).min(50) as u64) as i64) * 1000,
                memo: format!("crash op {n}"),
            },
            3 if !self.ours_active.is_empty() => {
                // Not picked again before the next `learn`.
                Op::MemberLeave { id: self.ours_active.swap_remove(rng.below(self.ours_active.len() as u64) as usize) }
            }
            4 if !self.slots.is_empty() => {
                let (date, kind) = self.slots.pop().unwrap();
                Op::Meeting { date, kind, minutes: format!("crash op {n}") }
            }
            1 | 3 | 4 => self.op(0, rng),
            _ => Op::MemberAdd {
                name: format!("Nguyễn Thị Thử {n}"),
                sex: if rng.below(2) == 0 { "F" } else { "M" },
                born: 1940 + rng.below(66) as i64,
            },
        }
    }
}

#[derive(Default)]
struct Figures {
    runs: u64,
    kills: u64,
    finished_before_kill: u64,
    acknowledged: u64,
    killed_committed: u64,
    killed_absent: u64,
    companions: u64,
    kills_by_kind: [u64; 5],
    committed_by_kind: [u64; 5],
}

#[test]
fn sigkill_at_random_moments_loses_nothing_reported_done() {
    let seed = seed();
    let want_kills = env_u64("ISHC_CRASH_KILLS").unwrap_or(40);
    // Bounded whatever happens: most runs end in a kill, so this cap is never the reason it stops.
    let max_runs = want_kills * 4 + 40;
    eprintln!("crash test: seed {seed} (replay with ISHC_CRASH_SEED={seed}), {want_kills} kills wanted");
    let started = Instant::now();
    let mut rng = Rng(seed);
    let (_dir, db) = demo();
    let mut snap = Snapshot::take(&db, "the demo");
    let mut plan = Planner::new(&snap);
    plan.learn(&snap);
    let mut book = Book::default();
    let mut fig = Figures::default();

    // Whether a finished or killed command is in the file as it should be; adds it to the book.
    let settle = |op: &Op, end: &End, snap: &Snapshot, book: &mut Book, fig: &mut Figures, ctx: &str| {
        let found = find(op, snap, &db).unwrap_or_else(|e| panic!("{ctx}: after `{}`: {e}", op.shown()));
        match (end, found) {
            (End::Done(printed), Some(row)) => {
                let same = match op {
                    Op::Receipt { .. } | Op::Payment { .. } => row == *printed,
                    Op::MemberLeave { .. } => row["id"] == printed["id"] && printed["left_on"] == TODAY,
                    _ => row["id"].as_i64() == Some(acked_id(op, printed)),
                };
                assert!(same, "{ctx}: `{}` printed {printed} but the file holds {row}", op.shown());
                fig.acknowledged += 1;
                book.add(op, &row);
            }
            (End::Done(printed), None) => {
                panic!("{ctx}: LOST: `{}` was acknowledged ({printed}) but is not in the file", op.shown())
            }
            (End::Killed, Some(row)) => {
                fig.killed_committed += 1;
                fig.committed_by_kind[op.kind()] += 1;
                book.add(op, &row);
            }
            (End::Killed, None) => fig.killed_absent += 1,
        }
    };

    // The typical duration of each command, measured on this file (these are acknowledged too).
    let mut typical = [Duration::ZERO; 5];
    let mut measuring = 0;
    for kind in [2, 0, 1, 3, 4] {
        let mut took = Vec::new();
        let mut ended = Vec::new();
        for _ in 0..3 {
            let op = plan.op(kind, &mut rng);
            assert_eq!(op.kind(), kind, "every kind can be made by now");
            let t = Instant::now();
            let out = op.spawn(&db).wait_with_output().unwrap();
            took.push(t.elapsed());
            ended.push((end_of(&op, out, "measuring"), op));
            measuring += 1;
        }
        snap = Snapshot::take(&db, "measuring");
        for (end, op) in &ended {
            settle(op, end, &snap, &mut book, &mut fig, "measuring");
        }
        plan.learn(&snap);
        took.sort();
        typical[kind] = took[1];
    }
    eprintln!(
        "typical durations: {}",
        KINDS.iter().zip(typical).map(|(k, d)| format!("{k} {} ms", d.as_millis())).collect::<Vec<_>>().join(", ")
    );

    while fig.kills < want_kills && fig.runs < max_runs {
        fig.runs += 1;
        let ctx = format!("seed {seed}, run {}", fig.runs);
        let op = plan.op(rng.below(5) as usize, &mut rng);
        let limit = typical[op.kind()].as_micros() as u64 * 6 / 5;
        let delay = Duration::from_micros(rng.below(limit));
        // One run in four, a second writer starts at the same moment and is never killed: it must
        // get the file (the killed one's lock dies with it) and be acknowledged.
        let companion = (rng.below(4) == 0).then(|| plan.op(0, &mut rng));
        let mut child = op.spawn(&db);
        let other = companion.as_ref().map(|c| c.spawn(&db));
        std::thread::sleep(delay);
        // SIGKILL; a child that already exited is a zombie until waited for, so this never reaches
        // another process, and its exit status says whether the kill or the exit came first.
        child.kill().expect("kill");
        let end = end_of(&op, child.wait_with_output().unwrap(), &ctx);
        let other_end = other.map(|c| end_of(companion.as_ref().unwrap(), c.wait_with_output().unwrap(), &ctx));
        match end {
            End::Killed => {
                fig.kills += 1;
                fig.kills_by_kind[op.kind()] += 1;
            }
            End::Done(_) => fig.finished_before_kill += 1,
        }
        snap = Snapshot::take(&db, &ctx);
        let lost = book.missing(&snap);
        assert!(lost.is_empty(), "{ctx}: after `{}`: LOST {lost:?}", op.shown());
        snap.vouchers_unique_and_gapless().unwrap_or_else(|e| panic!("{ctx}: after `{}`: {e}", op.shown()));
        settle(&op, &end, &snap, &mut book, &mut fig, &ctx);
        if let (Some(c), Some(e)) = (&companion, &other_end) {
            assert!(matches!(e, End::Done(_)), "{ctx}: the companion `{}` was never killed", c.shown());
            fig.companions += 1;
            settle(c, e, &snap, &mut book, &mut fig, &ctx);
        }
        plan.learn(&snap);
    }

    let last = Snapshot::take(&db, "the end");
    let lost = book.missing(&last).len();
    let took = started.elapsed();
    let by_kind = |counts: [u64; 5]| KINDS.iter().zip(counts).map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
    eprintln!(
        "crash test figures (seed {seed}):\n  runs {} (plus {} measuring), kills {} ({}), finished before the kill {}\n  \
         operations acknowledged {} (of which {} by a second writer running beside the killed one)\n  \
         operations found {} (acknowledged + killed-but-committed), lost {lost}\n  \
         killed-but-committed {} ({}), killed-and-absent {}\n  time {:.1} s",
        fig.runs,
        measuring,
        fig.kills,
        by_kind(fig.kills_by_kind),
        fig.finished_before_kill,
        fig.acknowledged,
        fig.companions,
        book.len(),
        fig.killed_committed,
        by_kind(fig.committed_by_kind),
        fig.killed_absent,
        took.as_secs_f64()
    );
    assert_eq!(lost, 0, "seed {seed}: lost {:?}", book.missing(&last));
    assert_eq!(book.len() as u64, fig.acknowledged + fig.killed_committed, "seed {seed}: every operation found is counted once");
    assert_eq!(fig.kills, fig.killed_committed + fig.killed_absent);
    assert!(fig.kills > 0 && fig.acknowledged > 0, "seed {seed}: the test killed {} and acknowledged {}", fig.kills, fig.acknowledged);
}

#[test]
fn two_writers_at_once_keep_voucher_numbers_unique_and_gapless() {
    let per_writer = env_u64("ISHC_CRASH_WRITES").unwrap_or(20);
    let (_dir, db) = demo();
    let before = Snapshot::take(&db, "the demo");
    let start = Arc::new(Barrier::new(2));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (db, start) = (db.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                (0..per_writer)
                    .map(|k| {
                        // Both writers number in the same series: receipts of both funds, payments.
                        let op = match (k + w) % 3 {
                            0 => Op::Receipt { fund: "activity", amount: 100_000, memo: format!("writer {w} op {k}") },
                            1 => Op::Receipt { fund: "income", amount: 200_000, memo: format!("writer {w} op {k}") },
                            _ => Op::Payment { area: 3, amount: 1_000, memo: format!("writer {w} op {k}") },
                        };
                        let out = op.spawn(&db).wait_with_output().unwrap();
                        (op, out)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<(Op, Output)> = writers.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let after = Snapshot::take(&db, "after two writers");
    after.vouchers_unique_and_gapless().unwrap();
    let (mut acked, mut told_to_wait) = (0, 0);
    for (op, out) in &results {
        if out.status.success() {
            let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
            let found = find(op, &after, &db).unwrap();
            assert_eq!(found.as_ref(), Some(&printed), "`{}` was acknowledged: it is in the file as printed", op.shown());
            acked += 1;
        } else {
            // The only acceptable refusal is "the file is busy": SQLite's busy error, after the
            // store's busy timeout. It must have written nothing.
            let err: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
                panic!("`{}` failed without a JSON error: {}", op.shown(), String::from_utf8_lossy(&out.stderr))
            });
            let busy = err["error"]["code"] == "db.storage"
                && err["error"]["params"]["detail"].as_str().is_some_and(|d| d.contains("locked") || d.contains("busy"));
            assert!(busy, "`{}` was refused, not told to wait: {err}", op.shown());
            assert_eq!(find(op, &after, &db).unwrap(), None, "`{}` was refused but written", op.shown());
            told_to_wait += 1;
        }
    }
    assert_eq!(after.entries.len(), before.entries.len() + acked, "only the acknowledged vouchers were added");
    // How much the two overlapped (in the order the vouchers were numbered): shown, not asserted.
    let mut ours: Vec<&Value> = after.entries.iter().filter(|e| e["memo"].as_str().is_some_and(|m| m.starts_with("writer "))).collect();
    ours.sort_by_key(|e| e["id"].as_i64());
    let order: Vec<char> = ours.iter().map(|e| e["memo"].as_str().unwrap().chars().nth(7).unwrap()).collect();
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    eprintln!(
        "two writers: {} commands, {acked} acknowledged, {told_to_wait} told to wait, the writers took turns {switches} times",
        results.len()
    );
}
