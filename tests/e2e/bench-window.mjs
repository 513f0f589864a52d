// The window's start and memory, measured (issue 17): `make bench-window`, not part of `npm test`.
// For each run: a fresh copy of the ledger, the real app under Xvfb at 1366×768 through the same
// tauri-driver harness as the tests; time from asking for the session to the sign-in screen's name
// buttons (first content; the WebDriver start is inside it, so it is an upper bound), then to the
// overview after the chairperson signs in (the keypad pressed by WebDriver, inside the figure); then, the window left idle 3 s, the proportional set
// size (PSS, /proc/PID/smaps_rollup) of the app and of each WebKit process it started.
// With BENCH_FLOOR=1 it measures the floor instead: the same app on a laptop with no books yet, its
// first screen (the set-up form: no ledger, no data read), 3 s idle, the same PSS figures.
// Usage: ISHC_APP=… ISHC_BIN=… node bench-window.mjs [ledger.sqlite …]  (default: the 10-year demo)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { APP, ISHC, OUT, TODAY, By, until, copyDb, launch, holderOf, signIn, stopDisplay, DEMO_PINS } from "./harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function demo(years, members) {
  const db = join(mkdtempSync(join(tmpdir(), "ishc-bench-")), "ledger.sqlite");
  execFileSync(ISHC, ["--db", db, "demo", "--years", String(years), "--members", String(members), "--seed", "1336"], {
    env: { ...process.env, ISHC_TODAY: TODAY },
    stdio: "ignore",
  });
  return db;
}

/** pid → { ppid, exe } for every process we may read. */
function processes() {
  const out = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      let exe = "";
      try {
        exe = realpathSync(`/proc/${name}/exe`);
      } catch {
        exe = ""; // a kernel thread or another user's process: no exe to read
      }
      out.set(Number(name), { ppid, exe });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

function pssKiB(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const m = text.match(/^Pss:\s+(\d+) kB/m);
  if (!m) throw new Error(`no Pss for ${pid}`);
  return Number(m[1]);
}

/** The app process (by its binary) and everything it started, with each one's PSS. */
function memory() {
  const procs = processes();
  const app = realpathSync(APP);
  const roots = [...procs].filter(([, p]) => p.exe === app).map(([pid]) => pid);
  if (roots.length !== 1) throw new Error(`expected one app process, found ${roots.length}`);
  const rows = [];
  const walk = (pid) => {
    const p = procs.get(pid);
    rows.push({ pid, name: basename(p.exe), pss_kib: pssKiB(pid) });
    for (const [child, c] of procs) if (c.ppid === pid) walk(child);
  };
  walk(roots[0]);
  return rows;
}

async function once(src) {
  const db = copyDb(src);
  const chair = holderOf(db, "chair");
  const t0 = performance.now();
  // The tests turn WebKit's compositing off under Xvfb; BENCH_COMPOSITING=1 measures it on, as a
  // desktop without that variable runs it.
  const app = await launch(db, process.env.BENCH_COMPOSITING === "1" ? { WEBKIT_DISABLE_COMPOSITING_MODE: "0" } : {});
  try {
    const { driver } = app;
    await driver.wait(until.elementLocated(By.css("#signin .name-button")), 60000);
    const firstContent = performance.now() - t0;
    const t1 = performance.now();
    await signIn(driver, chair, DEMO_PINS.chair, 60000);
    await driver.wait(until.elementLocated(By.css("main h1")), 60000);
    const overview = performance.now() - t1;
    await sleep(3000);
    return { first_content_ms: Math.round(firstContent), sign_in_to_overview_ms: Math.round(overview), processes: memory() };
  } finally {
    await app.close();
  }
}

/** The floor: the app started where no ledger exists, measured on its set-up screen. */
async function floor() {
  const db = join(mkdtempSync(join(tmpdir(), "ishc-floor-")), "ledger.sqlite");
  const t0 = performance.now();
  const app = await launch(db, process.env.BENCH_COMPOSITING === "1" ? { WEBKIT_DISABLE_COMPOSITING_MODE: "0" } : {});
  try {
    await app.driver.wait(until.elementLocated(By.css("#setup-submit")), 60000);
    const firstContent = performance.now() - t0;
    await sleep(3000);
    return { first_content_ms: Math.round(firstContent), sign_in_to_overview_ms: 0, processes: memory() };
  } finally {
    await app.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const FLOOR = process.env.BENCH_FLOOR === "1";
const ledgers = process.argv.slice(2);
if (FLOOR) ledgers.splice(0, ledgers.length, "(none: the set-up screen)");
else if (ledgers.length === 0) ledgers.push(demo(10, 60));
const results = [];
try {
  for (const src of ledgers) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(FLOOR ? await floor() : await once(src));
    const byName = {};
    for (const r of runs) for (const p of r.processes) (byName[p.name] ??= []).push(p.pss_kib);
    const total = runs.map((r) => r.processes.reduce((s, p) => s + p.pss_kib, 0));
    const row = {
      ledger: src,
      runs: RUNS,
      compositing: process.env.BENCH_COMPOSITING === "1",
      floor: FLOOR,
      first_content_ms: median(runs.map((r) => r.first_content_ms)),
      sign_in_to_overview_ms: median(runs.map((r) => r.sign_in_to_overview_ms)),
      pss_total_mib: +(median(total) / 1024).toFixed(1),
      pss_mib: Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, +(median(v) / 1024).toFixed(1)])),
      every_run: runs,
    };
    results.push(row);
    console.log(JSON.stringify({ ...row, every_run: undefined }));
  }
} finally {
  await stopDisplay();
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, FLOOR ? "bench-window-floor.json" : "bench-window.json"), JSON.stringify({ app: APP, results }, null, 2));
