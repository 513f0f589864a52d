// Board sign-in in the real window: the name buttons and keypad, the idle lock (the shell forgets
// who was signed in), a wrong PIN refused in words, what a secretary may and may not do, books made
// before sign-ins asking the chairperson for the first PIN, and the audit page.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  launch, launchAs, signIn, typePin, pinOf, holderOf, ishc, tempDb, textOf, textNow, click, type, screenshot, axeSerious,
  describeViolations, stopDisplay, By, until, DEMO_PINS,
} from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

/** Call a shell command from inside the window, as the window's own code does; resolves to {ok} or {err}. */
async function invoke(driver, cmd, args) {
  const out = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
      .then((ok) => done(JSON.stringify({ ok: ok ?? null })), (err) => done(JSON.stringify({ err })));`, cmd, args);
  return JSON.parse(out);
}

test("the window locks after idle time, asks for the PIN, refuses a wrong one and signs in with the right one", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "1", "--members", "15", "--seed", "41"]);
  const chair = holderOf(db, "chair");
  const clubId = ishc(db, ["club", "show"]).club.id;
  // The sign-in screen: every board member's name and role as a large button.
  const { driver, close } = await launch(db, { ISHC_IDLE_SECONDS: "3" });
  try {
    await driver.wait(until.elementLocated(By.css("#signin")), 20000);
    const names = await driver.executeScript("return [...document.querySelectorAll('.name-button .who')].map((e) => e.textContent.trim())");
    assert.deepEqual(names, ishc(db, ["user", "list"]).map((u) => u.name));
    assert.match(await textOf(driver, "#signin"), /Chủ nhiệm/);
    await screenshot(driver, "signin-names");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    // Digits typed on the keyboard show as dots; the keypad's "Xóa" takes the last one back.
    await click(driver, `.name-button[id^='signin-']`);
    await driver.findElement(By.css("#signin-pin")).sendKeys("12a3");
    assert.equal(await driver.findElement(By.css("#signin-pin")).getAttribute("type"), "password");
    assert.equal(await driver.findElement(By.css("#signin-pin")).getAttribute("value"), "123");
    await click(driver, "#signin-pin-erase");
    assert.equal(await driver.findElement(By.css("#signin-pin")).getAttribute("value"), "12");
    await screenshot(driver, "signin-keypad");
    await click(driver, "#signin-back");

    await signIn(driver, chair, DEMO_PINS.chair);
    await textOf(driver, "#member-count");
    // No input for the idle time: the window locks on its own, with the chairperson's keypad open.
    await driver.wait(until.elementLocated(By.css("#signin-pin")), 15000, "the window did not lock");
    assert.equal(await textOf(driver, "#signin-chosen"), chair);
    // Locking is the shell forgetting her, not only a screen over the page: a write is refused.
    const refused = await invoke(driver, "fund_receipt", {
      clubId, input: { fund: "activity", via: "cash", date: "2026-11-22", amount: 1000, memo: "thử", source: "other", member_id: null },
    });
    assert.equal(refused.err?.code, "auth.signed_out", JSON.stringify(refused));
    // A wrong PIN is refused in words, with the wait before the next try.
    await typePin(driver, "signin-pin", "9999");
    await click(driver, "#signin-pin-submit");
    const wrong = await textOf(driver, "#signin-error");
    assert.match(wrong, new RegExp(`Mã PIN của ${chair} không đúng`));
    assert.match(wrong, /đợi 1 giây/);
    await screenshot(driver, "signin-wrong-pin");
    await driver.sleep(1200);
    await signIn(driver, chair, DEMO_PINS.chair);
    assert.match(await textOf(driver, "#signed-in"), /Chủ nhiệm/);
    // "Khóa" locks at once; "Đổi người" goes back to the name buttons in one step.
    await click(driver, "#lock");
    await driver.wait(until.elementLocated(By.css("#signin-chosen")), 10000);
    await signIn(driver, chair, DEMO_PINS.chair);
    await click(driver, "#switch-user");
    await driver.wait(until.elementLocated(By.css(".name-button")), 10000);
    assert.equal((await driver.findElements(By.css("#signin-chosen"))).length, 0);
  } finally {
    await close();
  }
  // The wrong PIN is in the audit trail, under the name that was tried.
  const trail = ishc(db, ["audit", "--limit", "20"]);
  assert.ok(trail.some((e) => e.action === "auth.wrong_pin" && e.actor === chair), JSON.stringify(trail.slice(0, 5)));
});

test("the secretary records a meeting but a payment is refused, naming the treasurer's role", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "1", "--members", "15", "--seed", "42"]);
  const secretary = holderOf(db, "secretary");
  const journal = ishc(db, ["fund", "journal"]).length;
  const { driver, close } = await launchAs(db, secretary);
  try {
    assert.match(await textOf(driver, "#signed-in"), /Thư ký/);
    await click(driver, "#nav-funds");
    await click(driver, "#voucher-payment");
    await type(driver, "#voucher-amount", "150000");
    await type(driver, "#voucher-memo", "Mua chè");
    await click(driver, "#voucher-save");
    const refusal = await textOf(driver, "[role='alert']");
    assert.match(refusal, /Thủ quỹ/);
    assert.match(refusal, /Chưa có gì được ghi/);
    await screenshot(driver, "signin-secretary-refused");
    // A meeting is hers to record.
    await click(driver, "#nav-meetings");
    await click(driver, "#meeting-new");
    await click(driver, "#meeting-minutes");
    await driver.findElement(By.css("#meeting-minutes")).sendKeys("Họp ban chủ nhiệm tháng 11.");
    await click(driver, "#meeting-save");
    await textOf(driver, "#meeting-record");
  } finally {
    await close();
  }
  assert.equal(ishc(db, ["fund", "journal"]).length, journal, "nothing was paid");
  const [made] = ishc(db, ["meeting", "list", "--year", "2026"]).filter((m) => m.held_on === "2026-11-22");
  assert.ok(made, "the secretary's meeting is in the books");
  assert.equal(ishc(db, ["audit", "--limit", "1"])[0].actor, secretary);
});

test("the audit page lists who did what and when, newest first, in words", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "1", "--members", "15", "--seed", "43"]);
  const treasurer = holderOf(db, "treasurer");
  const { driver, close } = await launchAs(db, treasurer);
  try {
    await click(driver, "#nav-funds");
    await type(driver, "#voucher-amount", "120000");
    await type(driver, "#voucher-memo", "Bán hàng gây quỹ");
    await click(driver, "#voucher-save");
    const number = await textOf(driver, "#voucher-number");
    await click(driver, "#nav-audit");
    const first = await driver.wait(until.elementLocated(By.css("#audit-table tbody tr")), 10000);
    const cells = await first.findElements(By.css("td"));
    const texts = await Promise.all(cells.map((c) => c.getText()));
    assert.match(texts[0], /^22\/11\/2026 \d{2}:\d{2}$|^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    assert.equal(texts[1], treasurer);
    assert.equal(texts[2], "Lập phiếu thu");
    assert.equal(texts[3], number);
    // Every action the demo wrote is said in words, none as the core's code.
    const actions = await driver.executeScript("return [...document.querySelectorAll('#audit-table tbody tr td:nth-child(3)')].map((e) => e.textContent.trim())");
    assert.deepEqual(actions.filter((a) => /^[a-z_]+\.[a-z_.]+$/.test(a)), []);
    // Nothing on the page edits the trail.
    assert.equal((await driver.findElements(By.css("#audit-table button, #audit-table input"))).length, 0);
    await screenshot(driver, "audit-page");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
  } finally {
    await close();
  }
});
