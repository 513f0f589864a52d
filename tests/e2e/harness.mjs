// Starts the real app under Xvfb and drives it through tauri-driver + WebKitWebDriver (W3C WebDriver).
// All traffic stays on 127.0.0.1; every process started here is stopped with SIGTERM, never SIGKILL
// (a killed tauri-driver orphans WebKitWebDriver, which then holds its port and our pipes).
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Builder, By, until, Key, Capabilities } from "selenium-webdriver";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, "..", "..");
export const APP = process.env.ISHC_APP ?? join(ROOT, "target", "debug", "ishc-app");
export const ISHC = process.env.ISHC_BIN ?? join(ROOT, "target", "debug", "ishc");
export const TODAY = "2026-11-22";
export const OUT = join(here, "out");
export { By, until, Key };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tauriDriverPath() {
  const local = join(homedir(), ".cargo", "bin", "tauri-driver");
  return existsSync(local) ? local : "tauri-driver";
}

function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(resolve, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

let xvfb = null;
let display = process.env.E2E_DISPLAY ?? null;

/** One Xvfb for the whole run, at the village laptop's 1366×768. */
export async function startDisplay() {
  if (display) return display;
  for (let n = 90; n < 140; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    xvfb = spawn("Xvfb", [`:${n}`, "-screen", "0", "1366x768x24", "-nolisten", "tcp"], { stdio: "ignore" });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(100);
    if (existsSync(`/tmp/.X11-unix/X${n}`)) {
      display = `:${n}`;
      return display;
    }
    await stop(xvfb);
  }
  throw new Error("could not start Xvfb");
}

export async function stopDisplay() {
  await stop(xvfb);
  xvfb = null;
  display = process.env.E2E_DISPLAY ?? null;
}

/** A fresh folder for one test's ledger. */
export function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), "ishc-e2e-"));
  return join(dir, "ledger.sqlite");
}

/**
 * A private copy of a ledger for one app session. Sessions must not share a file: the app holds a
 * one-window lock on its ledger until its process has fully exited.
 */
export function copyDb(src) {
  const db = tempDb();
  copyFileSync(src, db);
  return db;
}

/** The demo board's PINs by role (crates/core/src/demo DEMO_PINS; `ishc demo` prints them too). */
export const DEMO_PINS = { chair: "1111", vice_chair: "2222", treasurer: "3333", secretary: "4444" };
export const DEMO_RECOVERY_CODE = "CHBD-EMXA-2345-6789";

/**
 * Run the real `ishc` on a ledger and parse its JSON. A write names its person with `--as NAME`;
 * her demo PIN (from her role in `ishc user list`) goes in ISHC_PIN, as a script would pass it.
 */
export function ishc(db, args) {
  const env = { ...process.env, ISHC_DB: db, ISHC_TODAY: TODAY, ISHC_LANG: "vi" };
  const as = args.indexOf("--as");
  if (as >= 0) env.ISHC_PIN = pinOf(db, args[as + 1]);
  const out = execFileSync(ISHC, [...args, "--json"], { env, encoding: "utf8" });
  return JSON.parse(out);
}

/** The demo PIN of a board member with a sign-in, from her roles today. */
export function pinOf(db, name) {
  const signIns = ishc(db, ["user", "list"]);
  const who = signIns.find((s) => s.name === name);
  if (!who) throw new Error(`${name} has no sign-in (${signIns.map((s) => s.name).join(", ")})`);
  const role = who.roles.find((r) => r in DEMO_PINS);
  if (!role) throw new Error(`${name} holds no demo role with a PIN: ${who.roles.join(", ")}`);
  return DEMO_PINS[role];
}

/** The name of the demo sign-in holding `role` today (chair, vice_chair, treasurer, secretary). */
export function holderOf(db, role) {
  const who = ishc(db, ["user", "list"]).find((s) => s.roles.includes(role));
  if (!who) throw new Error(`nobody signs in as ${role}`);
  return who.name;
}

/**
 * Launch the app on `db` and open a WebDriver session to its window.
 * Returns { driver, close }.
 */
export async function launch(db, extraEnv = {}) {
  if (!existsSync(APP)) throw new Error(`app binary missing: ${APP} (run make app)`);
  const disp = await startDisplay();
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const env = { ...process.env, DISPLAY: disp, ISHC_DB: db, ISHC_TODAY: TODAY, WEBKIT_DISABLE_COMPOSITING_MODE: "1", ...extraEnv };
  delete env.WAYLAND_DISPLAY;
  const driverProc = spawn(tauriDriverPath(), ["--port", String(port), "--native-port", String(nativePort)], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let driverLog = "";
  driverProc.stderr.on("data", (d) => (driverLog += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${url}/status`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  const caps = new Capabilities();
  caps.set("browserName", "wry");
  caps.set("tauri:options", { application: APP });
  let driver;
  try {
    driver = await new Builder().usingServer(url).withCapabilities(caps).build();
  } catch (e) {
    await stop(driverProc);
    throw new Error(`WebDriver session failed: ${e.message}\n${driverLog}`);
  }
  return {
    driver,
    async close() {
      try {
        await driver.quit();
      } catch {
        /* the app may already be gone */
      }
      await stop(driverProc);
    },
  };
}

/** Wait for an element and for its text to be non-empty; return the text. */
export async function textOf(driver, css, timeout = 20000) {
  const el = await driver.wait(until.elementLocated(By.css(css)), timeout, `no ${css}`);
  await driver.wait(async () => (await el.getText()).trim() !== "", timeout, `${css} stays empty`);
  return (await el.getText()).trim();
}

/** The text of the first element matching `css` now, or "" when there is none (for use inside waits). */
export async function textNow(driver, css) {
  const found = await driver.findElements(By.css(css));
  if (found.length === 0) return "";
  try {
    return (await found[0].getText()).trim();
  } catch {
    return ""; // re-rendered between the lookup and the read
  }
}

/**
 * Sign in on the window's sign-in screen as a person does: press her name, type her PIN on the
 * on-screen keypad, press "Đăng nhập"; then wait for the header to name her.
 * (The window locks after idle time and writes need a signed-in person, so every test signs in.)
 */
export async function signIn(driver, name, pin, timeout = 20000) {
  await driver.wait(until.elementLocated(By.css("#signin")), timeout, "no sign-in screen");
  if ((await driver.findElements(By.css("#signin-chosen"))).length === 0) {
    const button = await driver.wait(
      until.elementLocated(By.xpath(`//button[contains(@class,'name-button')][.//span[@class='who' and normalize-space()=${JSON.stringify(name)}]]`)),
      timeout,
      `${name} has no name button`,
    );
    await button.click();
  }
  await typePin(driver, "signin-pin", pin);
  await click(driver, "#signin-pin-submit");
  try {
    await driver.wait(async () => (await textNow(driver, "#signed-in strong")) === name, timeout);
  } catch {
    throw new Error(`${name} is not signed in: ${await textNow(driver, "#signin-error")}`);
  }
}

/** Type a PIN on the keypad whose field has id `pad` (each digit a press of its button). */
export async function typePin(driver, pad, pin) {
  await driver.wait(until.elementLocated(By.css(`#${pad}`)), 10000, `no keypad #${pad}`);
  // After a wrong PIN the keypad rests for the wait the core asks for.
  const key = await driver.findElement(By.css(`#${pad}-key-1`));
  await driver.wait(until.elementIsEnabled(key), 20000, `the keypad #${pad} stays disabled`);
  for (const d of pin) await click(driver, `#${pad}-key-${d}`);
}

/** Launch the app on `db` and sign in `name` with her demo PIN. */
export async function launchAs(db, name, extraEnv = {}) {
  const app = await launch(db, extraEnv);
  try {
    await signIn(app.driver, name, pinOf(db, name));
  } catch (e) {
    await app.close();
    throw e;
  }
  return app;
}

/** The first board member the core lists (whom the window used to choose by itself). */
export function firstBoardMember(db) {
  return ishc(db, ["club", "show"]).board[0].full_name;
}

export async function click(driver, css, timeout = 10000) {
  const el = await driver.wait(until.elementLocated(By.css(css)), timeout, `no ${css}`);
  await driver.wait(until.elementIsVisible(el), timeout);
  await el.click();
  return el;
}

export async function type(driver, css, text) {
  const el = await driver.wait(until.elementLocated(By.css(css)), 10000, `no ${css}`);
  await el.clear();
  await el.sendKeys(text);
  return el;
}

/** Save a screenshot of the window for a person to look at (tests/e2e/out/NAME.png). */
export async function screenshot(driver, name) {
  mkdirSync(OUT, { recursive: true });
  // The whole X screen, as a person sees it: WebDriver's own screenshot can hang on a page after
  // axe-core has been injected (seen on WebKitGTK), and a hung screenshot hangs the run.
  await driver.sleep(150);
  const r = spawnSync("import", ["-window", "root", join(OUT, `${name}.png`)], {
    env: { ...process.env, DISPLAY: display },
    timeout: 20000,
  });
  if (r.status !== 0) throw new Error(`screenshot ${name} failed: ${r.stderr?.toString() ?? r.error}`);
}

/** Run axe-core inside the window; return violations of impact serious or critical. */
export async function axeSerious(driver) {
  const source = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
  await driver.executeScript(source);
  const result = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "best-practice"] },
      resultTypes: ["violations"],
    }).then((r) => done(JSON.stringify(r.violations))).catch((e) => done(JSON.stringify([{ id: "axe-error", impact: "critical", description: String(e), nodes: [] }])));
  `);
  const violations = JSON.parse(result);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export function describeViolations(vs) {
  return vs
    .map((v) => `${v.id} (${v.impact}): ${v.description}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`)
    .join("\n");
}
