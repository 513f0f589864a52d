// Reports in the real window: a year's report previewed and saved, then sent as a signed bundle to
// a folder standing in for the USB stick; the bundle verifies with `ishc verify` and in the window,
// and a copy with one byte changed is refused there. Also: report.json validates against the
// published JSON Schema.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { launch, launchAs, signIn, pinOf, holderOf, firstBoardMember, ishc, tempDb, textOf, textNow, click, type, screenshot, axeSerious, describeViolations, stopDisplay, ROOT, By } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

const DEMO_PASSPHRASE = "demo-passphrase";

test("report.json follows the published schema", () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "30", "--seed", "5"]);
  const schema = JSON.parse(readFileSync(join(ROOT, "docs", "schema", "report-v1.schema.json"), "utf8"));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  for (const args of [["--period", "2025"], ["--period", "2026-Q3", "--with-members"], ["--period", "2026-11"]]) {
    const report = ishc(db, ["report", ...args]);
    assert.ok(validate(report), `${args.join(" ")}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
  // And the schema is not a rubber stamp: a figure of the wrong type is caught.
  const report = ishc(db, ["report", "--period", "2025"]);
  report.members.end.members = "sixty";
  assert.equal(validate(report), false);
});

test("a year's report is previewed, sent signed to the stick, and checked", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "30", "--seed", "5"]);
  const expected = ishc(db, ["report", "--period", "2025"]);
  const key = ishc(db, ["key", "show"]).current;
  const stick = mkdtempSync(join(tmpdir(), "ishc-usb-"));
  const acting = firstBoardMember(db);
  const { driver, close } = await launchAs(db, acting);
  try {
    await textOf(driver, "#member-count");
    await click(driver, "#nav-reports");
    await click(driver, "#report-year option[value='2025']");
    await click(driver, "#report-show");
    const page = await textOf(driver, "#report-preview");
    assert.match(page, /BÁO CÁO HOẠT ĐỘNG/);
    assert.match(page, /Năm 2025/);
    const members = await textNow(driver, "#report-preview [data-figure='members.end.members']");
    assert.equal(Number(members), expected.members.end.members);
    const outstanding = await textNow(driver, "#report-preview [data-figure='loans.at_end.outstanding']");
    assert.equal(Number(outstanding.replace(/[^\d]/g, "")), expected.loans.at_end.outstanding);
    await screenshot(driver, "reports-preview");
    // The preview is at reading size on screen (the page zoomed), and fits the window's width.
    const look = await driver.executeScript(`
      const doc = document.querySelector("#report-preview .report-doc");
      const p = doc.querySelector("p");
      return { zoom: parseFloat(getComputedStyle(doc).zoom), font: parseFloat(getComputedStyle(p).fontSize), right: doc.getBoundingClientRect().right, width: window.innerWidth };`);
    assert.ok(look.zoom * look.font >= 18, JSON.stringify(look));
    // Nothing on the page is smaller than 18 px on screen: footer, chart labels and ticks included.
    // WebKit reports an SVG's text size before the zoom, so a chart label's size is read from its
    // drawn box, against the box of an inline run of text whose size is known.
    const small = await driver.executeScript(`
      const doc = document.querySelector("#report-preview .report-doc");
      const zoom = parseFloat(getComputedStyle(doc).zoom) || 1;
      const cell = doc.querySelector("header strong"); // inline: its box is the glyphs, as an SVG text's
      const boxPerPx = cell.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).fontSize);
      const out = [];
      for (const el of doc.querySelectorAll("*")) {
        if (el.closest("title")) continue; // a chart's text alternative, not drawn
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
        if (!own) continue;
        const px = el.closest("svg")
          ? (el.getBoundingClientRect().height / boxPerPx) * zoom
          : parseFloat(getComputedStyle(el).fontSize) * zoom;
        if (px < 17.5) out.push(el.tagName + " " + px.toFixed(1) + " " + el.textContent.trim().slice(0, 30));
      }
      return out;`);
    assert.deepEqual(small, [], "text under 18 px on screen");
    assert.ok(look.right <= look.width, `the preview is wider than the window: ${JSON.stringify(look)}`);
    // Another year chosen without pressing "Xem": the preview follows, and print/save wait for it.
    await click(driver, "#report-year option[value='2024']");
    await driver.wait(async () => /Năm 2024/.test(await textNow(driver, "#report-preview")), 15000, "the preview stays on 2025 after choosing 2024");
    assert.equal(await driver.findElement(By.css("#report-print")).isEnabled(), true);
    await click(driver, "#report-year option[value='2025']");
    await driver.wait(async () => /Năm 2025/.test(await textNow(driver, "#report-preview")), 15000);
    await type(driver, "#report-other", stick);
    await click(driver, "#report-save-xlsx");
    assert.match(await textOf(driver, "#report-saved"), /\.xlsx/);

    // Send: a wrong passphrase is refused and writes nothing; the right one writes and checks.
    await click(driver, "#reports-tab-send");
    await click(driver, "#bundle-year option[value='2025']");
    // A folder that is not there: refused in words, and the passphrase typed is kept for the retry.
    await type(driver, "#bundle-other", join(stick, "not-plugged-in"));
    await type(driver, "#bundle-passphrase", DEMO_PASSPHRASE);
    await click(driver, "#bundle-send");
    const missing = await textOf(driver, "[role='alert']");
    assert.doesNotMatch(missing, /os error|No such file/, missing);
    assert.equal(await driver.findElement(By.css("#bundle-passphrase")).getAttribute("value"), DEMO_PASSPHRASE, "the passphrase was emptied after a folder failure");
    await type(driver, "#bundle-other", stick);
    await type(driver, "#bundle-passphrase", "not-the-passphrase");
    await click(driver, "#bundle-send");
    assert.match(await textOf(driver, "[role='alert']"), /mật khẩu/i);
    assert.equal(await driver.findElement(By.css("#bundle-passphrase")).getAttribute("value"), "", "a refused passphrase is emptied");
    assert.equal(readdirSync(stick).filter((n) => n.endsWith(".zip")).length, 0);
    await type(driver, "#bundle-passphrase", DEMO_PASSPHRASE);
    await click(driver, "#bundle-send");
    const done = await textOf(driver, "#bundle-done");
    assert.match(done, /Gói số 1/);
    await textOf(driver, "#bundle-history");
    await screenshot(driver, "reports-sent");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));

    const zips = readdirSync(stick).filter((n) => n.endsWith(".zip"));
    assert.equal(zips.length, 1, readdirSync(stick).join(", "));
    assert.ok(readdirSync(stick).every((n) => !n.endsWith(".partial")));
    const bundle = join(stick, zips[0]);
    const verified = ishc(db, ["verify", bundle, "--key", key.public_key]);
    assert.equal(verified.ok, true);
    assert.equal(verified.manifest.sequence, 1);
    assert.equal(verified.manifest.period.label, "2025");
    assert.equal(verified.manifest.includes_personal_data, false);

    // Check in the window: the real bundle passes, a copy with one byte changed does not.
    const bad = join(stick, "tampered.zip");
    const bytes = readFileSync(bundle);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(bad, bytes);
    await click(driver, "#reports-tab-check");
    // The bundle is chosen from the ones found on the stick, not typed: both zips are offered,
    // the tampered copy (written last) first.
    await type(driver, "#check-other", stick);
    await click(driver, "#check-find");
    const offered = await textOf(driver, "#check-found");
    assert.ok(offered.indexOf("tampered.zip") < offered.indexOf(zips[0]) && offered.includes(zips[0]), offered);
    await screenshot(driver, "reports-check-found");
    const rows = await driver.findElements(By.css("#check-found li"));
    for (const row of rows) {
      if ((await row.getText()).includes(zips[0])) await row.findElement(By.css("button")).click();
    }
    assert.equal(await driver.findElement(By.css("#check-path")).getAttribute("value"), bundle);
    await click(driver, "#check-run");
    assert.match(await textOf(driver, "#check-result"), /hợp lệ/);
    assert.doesNotMatch(await textNow(driver, "#check-result"), /KHÔNG/);
    // No key typed: the window says it checked only against the bundle's own key, and names the
    // fingerprint to compare with the card.
    assert.ok((await textOf(driver, "#check-fingerprint")).includes(key.fingerprint));
    // Not the green verdict: it says what was checked, what was not, and to compare with the key card.
    const partial = await textOf(driver, "#check-result");
    assert.match(partial, /CHƯA biết gói có đúng do câu lạc bộ ký/);
    assert.match(partial, /Đã kiểm tra[\s\S]*Chưa kiểm tra[\s\S]*thẻ khóa/);
    assert.doesNotMatch(await driver.findElement(By.css("#check-result")).getAttribute("class"), /\bok\b/);
    await screenshot(driver, "reports-check-no-key");
    // With the key from the card: the full, green verdict.
    await type(driver, "#check-key", key.public_key);
    await click(driver, "#check-run");
    await driver.wait(async () => /Gói báo cáo hợp lệ/.test(await textNow(driver, "#check-result")), 10000);
    assert.match(await textOf(driver, "#check-result"), /Đã kiểm tra bằng khóa trên thẻ/);
    await driver.findElement(By.css("#check-key")).clear();
    await type(driver, "#check-path", bad);
    await click(driver, "#check-run");
    await driver.wait(async () => /KHÔNG hợp lệ/.test(await textNow(driver, "#check-result")), 10000);
    await screenshot(driver, "reports-check-refused");

    // The key card shows the fingerprint the commune registers.
    await click(driver, "#reports-tab-key");
    assert.equal((await textOf(driver, "#key-fingerprint")).replace(/\s+/g, " "), key.fingerprint);
    // The card's main text is for the board and the officer; SHA-256 and the minisign command are in
    // the technical note for the commune's IT person.
    const main = await driver.executeScript("const c = document.querySelector('#key-card').cloneNode(true); c.querySelector('#key-tech-note').remove(); return c.textContent;");
    assert.doesNotMatch(main, /SHA-256|minisign/);
    assert.match(await textOf(driver, "#key-tech-note"), /minisign -Vm manifest\.json -p club\.pub/);
    await screenshot(driver, "reports-key-card");
  } finally {
    await close();
  }
});
