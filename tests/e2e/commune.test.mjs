// Issue 15 in the real window: the same app opened on a commune ledger shows the commune officer's
// pages. The officer registers a club from its key card (a wrong fingerprint first: refused, the
// field named), receives a stick holding that club's bundle and another club's (unregistered:
// refused with its reason), sees who reported, and the roll-up shows the club's own figures. Then
// she sends the roll-up upward (the unit's key saved, a wrong passphrase refused, the signed bundle
// written), and a district made with the CLI registers the commune and imports it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, holderOf, pinOf, ishc, tempDb, textOf, textNow, click, type, screenshot, axeSerious, describeViolations, stopDisplay, ISHC, TODAY, By, until } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

const DEMO_PASSPHRASE = "demo-passphrase";
const COMMUNE_PASSPHRASE = "mật khẩu của xã";

/** `ishc` with its own environment (a passphrase, a PIN), parsed from JSON. */
function run(args, env = {}) {
  const out = execFileSync(ISHC, [...args, "--json"], {
    env: { ...process.env, ISHC_TODAY: TODAY, ISHC_LANG: "vi", ...env },
    encoding: "utf8",
  });
  return JSON.parse(out);
}

/** A demo club whose secretary signs its 2025 report onto `dir`; returns its ledger and key. */
function clubOnStick(seed, dir) {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "25", "--seed", String(seed)]);
  const secretary = holderOf(db, "secretary");
  mkdirSync(dir, { recursive: true });
  run(["--as", secretary, "export", "--period", "2025", "--out", dir], {
    ISHC_DB: db,
    ISHC_PASSPHRASE: DEMO_PASSPHRASE,
    ISHC_PIN: pinOf(db, secretary),
  });
  return { db, key: ishc(db, ["key", "show"]).current, report: ishc(db, ["report", "--period", "2025"]) };
}

test("the commune officer registers a club, receives a stick, sees who reported and the roll-up", async () => {
  const stick = mkdtempSync(join(tmpdir(), "ishc-usb-"));
  const ours = clubOnStick(5, join(stick, "dong-hoa"));
  // Another club (same demo name, its own key) that the commune has not registered.
  clubOnStick(6, join(stick, "khac"));
  const commune = join(mkdtempSync(join(tmpdir(), "ishc-xa-")), "xa.sqlite");
  run(["--db", commune, "--as", "Cán bộ xã", "commune", "init", "--name", "Xã Quảng Hòa", "--district", "Huyện Quảng Xương", "--province", "Thanh Hóa"], {
    ISHC_PASSPHRASE: COMMUNE_PASSPHRASE,
  });

  let district = null;
  const { driver, close } = await launch(commune);
  try {
    // The commune's first screen: the officer names herself once.
    await driver.wait(until.elementLocated(By.css("#commune-officer")), 20000, "no commune first screen");
    await screenshot(driver, "commune-officer");
    await type(driver, "#commune-officer-name", "Nguyễn Thị Cán Bộ");
    await click(driver, "#commune-officer-go");
    assert.match(await textOf(driver, "#signed-in"), /Nguyễn Thị Cán Bộ/);
    assert.equal(await textOf(driver, "#commune-name"), "Xã Quảng Hòa");
    assert.match(await textOf(driver, "#commune-clubs-none"), /Chưa có câu lạc bộ nào/);
    // The club's pages are not there.
    assert.equal((await driver.findElements(By.css("#nav-members"))).length, 0);

    // Register: the key's base64 line, a fingerprint that is not the card's first.
    const keyLine = ours.key.public_key_file.trim().split("\n").pop();
    await type(driver, "#commune-reg-name", ours.report.club.name);
    await type(driver, "#commune-reg-hamlet", "Thôn Đông Hòa");
    await type(driver, "#commune-reg-key", keyLine);
    await type(driver, "#commune-reg-fingerprint", "0000 1111 2222 3333 4444 5555 6666 7777");
    await click(driver, "#commune-reg-submit");
    const refused = await textOf(driver, "#commune-reg-error");
    assert.match(refused, /^Dấu nhận dạng khóa \(gõ từ thẻ khóa\): /, refused);
    assert.match(refused, /KHÔNG khớp/);
    assert.ok(!refused.includes(ours.key.fingerprint), "the key's own fingerprint is never shown to copy");
    assert.equal(await driver.findElement(By.css("#commune-reg-fingerprint")).getAttribute("aria-invalid"), "true");
    await screenshot(driver, "commune-register-refused");
    await type(driver, "#commune-reg-fingerprint", ours.key.fingerprint.toLowerCase());
    await click(driver, "#commune-reg-submit");
    assert.match(await textOf(driver, "#commune-reg-done"), /Đã đăng ký/);
    const row = await textOf(driver, "#commune-clubs tbody tr");
    assert.ok(row.includes(ours.key.fingerprint), row);
    await screenshot(driver, "commune-clubs");

    // Receive the stick (typed as a folder: the test machine has no removable drive).
    await click(driver, "#nav-commune-receive");
    await type(driver, "#commune-receive-other", stick);
    await click(driver, "#commune-receive-go");
    const summary = await textOf(driver, "#commune-receive-summary", 60000);
    assert.match(summary, /Đã xem 2 tệp: nhận 1 gói, không nhận 1/);
    assert.equal(await driver.findElement(By.css("#commune-receive-progress")).getAttribute("value"), "2");
    const accepted = await textOf(driver, "#commune-accepted tbody");
    assert.ok(accepted.includes(ours.report.club.name) && accepted.includes("dong-hoa"), accepted);
    const refusedRows = await textOf(driver, "#commune-refused tbody");
    assert.match(refusedRows, /khac/);
    assert.match(refusedRows, /khóa chưa đăng ký ở xã/);
    await screenshot(driver, "commune-receive");
    // Twice: nothing more is counted; the bundle is refused as already received.
    await click(driver, "#commune-receive-go");
    await driver.wait(async () => /nhận 0 gói, không nhận 2/.test(await textNow(driver, "#commune-receive-summary")), 60000);
    assert.match(await textOf(driver, "#commune-refused tbody"), /đã nhận rồi/);

    // Who reported for 2025: the club, late (due 10/12/2025), its bundle arrived today.
    await click(driver, "#nav-commune-status");
    await click(driver, "#commune-status-year option[value='2025']");
    await driver.wait(async () => /Kỳ 2025/.test(await textNow(driver, "#commune-status-heading")), 20000);
    assert.match(await textOf(driver, "#commune-status-heading"), /hạn nộp 10\/12\/2025\. Đã nộp 1/);
    const status = await textOf(driver, "#commune-status tbody tr");
    assert.ok(status.includes(ours.report.club.name), status);
    assert.match(status, /muộn, nhận ngày 22\/11\/2026 \(gói số 1\)/);
    await screenshot(driver, "commune-status");
    // The deadline changed in the window: a day not every year has is refused naming the field;
    // 13/12 is taken and the page judges by it.
    // The field starts as the day in force (10/12 by default).
    assert.equal(await driver.findElement(By.css("#commune-deadline")).getAttribute("value"), "10/12");
    await type(driver, "#commune-deadline", "29/02");
    await click(driver, "#commune-deadline-save");
    assert.match(await textOf(driver, "#commune-deadline-error"), /Hạn nộp báo cáo năm/);
    await driver.findElement(By.css("#commune-deadline")).clear();
    await type(driver, "#commune-deadline", "13/12");
    await click(driver, "#commune-deadline-save");
    assert.match(await textOf(driver, "#commune-deadline-saved"), /13\/12/);
    await driver.wait(async () => /hạn nộp 13\/12\/2025/.test(await textNow(driver, "#commune-status-heading")), 20000);
    await screenshot(driver, "commune-deadline");

    // The roll-up of 2025: the club's member count, as its own report says.
    await click(driver, "#nav-commune-rollup");
    await click(driver, "#commune-rollup-year option[value='2025']");
    await click(driver, "#commune-rollup-show");
    await textOf(driver, "#commune-rollup-preview");
    const members = await textNow(driver, "#commune-rollup-preview [data-figure='totals.members.members']");
    assert.equal(Number(members), ours.report.members.end.members);
    await screenshot(driver, "commune-rollup");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    // Saved twice to a folder: the second file never replaces the first.
    const out = mkdtempSync(join(tmpdir(), "ishc-out-"));
    await type(driver, "#commune-rollup-other", out);
    await click(driver, "#commune-rollup-save-json");
    const first = await textOf(driver, "#commune-rollup-saved");
    assert.match(first, /tong-hop\.json$/);
    await click(driver, "#commune-rollup-save-json");
    await driver.wait(async () => /tong-hop-2\.json$/.test(await textNow(driver, "#commune-rollup-saved")), 10000);
    // Excel too: an XLSX is a zip container.
    await click(driver, "#commune-rollup-save-xlsx");
    await driver.wait(async () => /tong-hop\.xlsx$/.test(await textNow(driver, "#commune-rollup-saved")), 10000);
    const xlsx = (await textNow(driver, "#commune-rollup-saved")).match(/(\/\S+\.xlsx)$/)[1];
    assert.equal(readFileSync(xlsx).subarray(0, 2).toString(), "PK");

    // Sent upward: the key saved for the district, a wrong passphrase refused, then the bundle.
    const up = mkdtempSync(join(tmpdir(), "ishc-len-huyen-"));
    await click(driver, "#nav-commune-send");
    const fingerprint = await textOf(driver, "#commune-key-fingerprint");
    await type(driver, "#commune-send-other", up);
    await click(driver, "#commune-key-save");
    const pub = (await textOf(driver, "#commune-key-saved")).match(/(\/\S+\.pub)$/)[1];
    await click(driver, "#commune-send-year option[value='2025']");
    await type(driver, "#commune-send-passphrase", "không phải mật khẩu");
    await click(driver, "#commune-send-go");
    assert.match(await textOf(driver, "#commune-send-error"), /mật khẩu/i);
    await type(driver, "#commune-send-passphrase", COMMUNE_PASSPHRASE);
    await click(driver, "#commune-send-go");
    assert.match(await textOf(driver, "#commune-send-done", 60000), /số 1/);
    assert.match(await textOf(driver, "#commune-sent"), /2025/);
    await driver.executeScript("document.querySelector('#commune-send-done').scrollIntoView({ block: 'center' })");
    await screenshot(driver, "commune-send");
    const sendIssues = await axeSerious(driver);
    assert.deepEqual(sendIssues, [], describeViolations(sendIssues));

    // The district registers the commune by the fingerprint the window showed, and imports the stick.
    district = join(mkdtempSync(join(tmpdir(), "ishc-huyen-")), "huyen.sqlite");
    const asDistrict = (args, env = {}) => run(["--db", district, "--as", "Cán bộ huyện", "commune", ...args], env);
    const made = asDistrict(["init", "--level", "district", "--name", "Huyện Quảng Xương", "--province", "Thanh Hóa"], {
      ISHC_PASSPHRASE: "mật khẩu của huyện",
    });
    assert.equal(made.level, "district");
    asDistrict(["register", "--name", "Xã Quảng Hòa", "--key", pub, "--fingerprint", fingerprint.toLowerCase()]);
    const got = asDistrict(["import", up]);
    assert.equal(got.accepted.length, 1, JSON.stringify(got.refused));
    const rolled = join(up, "huyen-2025.json");
    asDistrict(["rollup", "--period", "2025", "--out", rolled]);
    const r = JSON.parse(readFileSync(rolled, "utf8"));
    assert.equal(r.level, "district");
    assert.equal(r.totals.members.members, ours.report.members.end.members);
  } finally {
    await close();
  }

  // The district's own window: its register is of communes, and its roll-up lists them.
  const win = await launch(district);
  try {
    const d = win.driver;
    await type(d, "#commune-officer-name", "Trần Văn Huyện");
    await click(d, "#commune-officer-go");
    assert.match(await textOf(d, "#commune-level"), /huyện/);
    assert.equal(await textOf(d, "#nav-commune-clubs"), "Các xã");
    // Its ledger checks whole against the signed roll-up it received.
    await click(d, "#commune-check");
    assert.match(await textOf(d, "#commune-check-result"), /Huyện Quảng Xương toàn vẹn: 1 gói đã nhận/);
    await click(d, "#nav-commune-rollup");
    await click(d, "#commune-rollup-year option[value='2025']");
    await click(d, "#commune-rollup-show");
    await textOf(d, "#commune-rollup-preview");
    const m = await textNow(d, "#commune-rollup-preview [data-figure='parts.0.totals.members.members']");
    assert.equal(Number(m), ours.report.members.end.members);
    await d.executeScript("document.querySelector('table.parts').scrollIntoView({ block: 'center' })");
    await screenshot(d, "district-rollup");
  } finally {
    await win.close();
  }
});

test("a district officer makes the inbox from the first screen, with no command line", async () => {
  const db = tempDb();
  const { driver, close } = await launch(db);
  try {
    await click(driver, "#setup-inbox");
    await driver.wait(until.elementLocated(By.css("#commune-setup")), 10000, "no inbox form");
    await click(driver, "#commune-setup-level-district");
    // A district is its own district: there is no district field, and the name's label says so.
    assert.equal((await driver.findElements(By.css("#commune-setup-district"))).length, 0);
    assert.match(await textOf(driver, "label[for='commune-setup-name']"), /Tên huyện/);
    await type(driver, "#commune-setup-name", "Huyện Quảng Xương");
    await type(driver, "#commune-setup-province", "Thanh Hóa");
    await type(driver, "#commune-setup-deadline-day", "13");
    await type(driver, "#commune-setup-officer", "Lê Thị Huyện");
    // A passphrase too short: refused by name, and no file is left for the next start to trip on.
    await type(driver, "#commune-setup-passphrase", "ngắn");
    await type(driver, "#commune-setup-passphrase2", "ngắn");
    await screenshot(driver, "commune-setup");
    await click(driver, "#commune-setup-submit");
    const refused = await textOf(driver, "#commune-setup-error");
    assert.match(refused, /^Mật khẩu/, refused);
    assert.equal(await driver.findElement(By.css("#commune-setup-passphrase")).getAttribute("aria-invalid"), "true");
    assert.ok(!existsSync(db), "a refused inbox leaves no file");

    await type(driver, "#commune-setup-passphrase", COMMUNE_PASSPHRASE);
    await type(driver, "#commune-setup-passphrase2", COMMUNE_PASSPHRASE);
    await click(driver, "#commune-setup-submit");
    // The window is the district's inbox, its officer already named.
    assert.match(await textOf(driver, "#commune-level"), /cấp huyện/);
    assert.match(await textOf(driver, "#signed-in"), /Lê Thị Huyện/);
    assert.equal(await textOf(driver, "#nav-commune-clubs"), "Các xã");
    assert.equal(await textOf(driver, "#commune-name"), "Huyện Quảng Xương");
    // Its register is of communes: named so, and a commune has no hamlet to type.
    assert.equal(await textOf(driver, "main h1"), "Các xã đã đăng ký");
    assert.equal(await textOf(driver, "#commune-clubs-none"), "Chưa có xã nào được đăng ký.");
    assert.equal((await driver.findElements(By.css("#commune-reg-hamlet"))).length, 0);
    assert.match(await textOf(driver, "label[for='commune-reg-name']"), /^Tên xã/);
    await screenshot(driver, "commune-setup-done");
    // The inbox is backed up as the books are: one now, on demand, beside its file.
    assert.equal(await textOf(driver, "#commune-backup-none"), "Chưa có bản sao lưu tự động nào.");
    await click(driver, "#commune-backup-now");
    assert.match(await textOf(driver, "#commune-backup-done"), /^Đã sao lưu: ledger-\d{4}-\d{2}-\d{2}-\d{6}\.sqlite\.$/);
    assert.match(await textOf(driver, "#commune-backup-newest"), /đang giữ 1 bản/);
    await driver.executeScript("document.querySelector('#commune-backup-heading').scrollIntoView({ block: 'start' })");
    await screenshot(driver, "commune-backup");
  } finally {
    await close();
  }
  // The same file, read by the command line: a district, due 13/12, its key made, whole.
  const status = run(["--db", db, "commune", "status", "--period", "2026"]);
  assert.equal(status.deadline, "2026-12-13");
  const key = run(["--db", db, "commune", "key"]);
  assert.match(key.fingerprint, /^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
  const check = run(["--db", db, "commune", "check"]);
  assert.equal(check.ok, true);
});
