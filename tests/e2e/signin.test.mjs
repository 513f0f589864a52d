// Board sign-in in the real window: the name buttons and keypad, the idle lock (the shell forgets
// who was signed in), a wrong PIN refused in words, what a secretary may and may not do, books made
// before sign-ins asking the chairperson for the first PIN, and the audit page.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  launch, launchAs, signIn, typePin, pinOf, holderOf, ishc, tempDb, textOf, textNow, click, type, screenshot, axeSerious,
  describeViolations, stopDisplay, By, until, DEMO_PINS, ISHC, TODAY,
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
    // The keypad rests for that second, then takes the PIN again.
    assert.equal(await driver.findElement(By.css("#signin-pin-key-1")).isEnabled(), false);
    await screenshot(driver, "signin-wrong-pin");
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
    await driver.wait(until.elementLocated(By.css("#meeting-kind option[value='board']")), 10000).click();
    await click(driver, "#meeting-minutes");
    await driver.findElement(By.css("#meeting-minutes")).sendKeys("Họp ban chủ nhiệm tháng 11.");
    await click(driver, "#meeting-save");
    await driver.wait(async () => (await driver.findElements(By.css("#meeting-record, [role='alert']"))).length > 0, 20000);
    assert.equal(await textNow(driver, "[role='alert']"), "", "the meeting is refused");
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

test("books without sign-ins ask the chairperson for the first PIN and show the recovery code once", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "1", "--members", "15", "--seed", "44"]);
  const chair = holderOf(db, "chair");
  const chairMember = ishc(db, ["club", "show"]).board.find((b) => b.role === "chair").member_id;
  // Every sign-in removed (the chairperson's last): the books are as before sign-ins existed.
  const users = ishc(db, ["user", "list"]);
  const pin = pinOf(db, chair);
  for (const u of [...users.filter((u) => u.name !== chair), users.find((u) => u.name === chair)]) {
    ishcPin(db, ["--as", chair, "user", "remove", String(u.id)], pin);
  }
  assert.deepEqual(ishc(db, ["user", "list"]), []);
  const { driver, close } = await launch(db);
  try {
    await driver.wait(until.elementLocated(By.css("#setup-signin")), 20000);
    await click(driver, `#setup-member-${chairMember}`);
    await screenshot(driver, "setup-signin");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    // Typed twice differently: refused in words, and asked again from the start.
    await typePin(driver, "setup-pin-first", "8642");
    await click(driver, "#setup-pin-first-submit");
    await typePin(driver, "setup-pin-again", "8643");
    await click(driver, "#setup-pin-again-submit");
    assert.match(await textOf(driver, "#setup-pin-mismatch"), /không giống nhau/);
    await typePin(driver, "setup-pin-first", "8642");
    await click(driver, "#setup-pin-first-submit");
    await typePin(driver, "setup-pin-again", "8642");
    await click(driver, "#setup-pin-again-submit");
    const code = await textOf(driver, "#recovery-code");
    assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    assert.notEqual(code, "CHBD-EMXA-2345-6789", "a new code, not the demo's");
    assert.match(await textOf(driver, ".recovery"), /cất cùng hồ sơ/);
    await screenshot(driver, "setup-signin-recovery-code");
    await click(driver, "#recovery-done");
    assert.equal(await textOf(driver, "#signed-in strong"), chair);
  } finally {
    await close();
  }
  assert.deepEqual(ishc(db, ["user", "list"]).map((u) => u.name), [chair]);
});

test("every PIN lost: the recovery code kept with the club's papers lets the chairperson set a new one", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "1", "--members", "15", "--seed", "45"]);
  const chair = holderOf(db, "chair");
  const chairMember = ishc(db, ["club", "show"]).board.find((b) => b.role === "chair").member_id;
  const { driver, close } = await launch(db);
  try {
    await click(driver, "#signin-forgot", 20000);
    await type(driver, "#recover-code", "CHBD-EMXA-2345-6789");
    await click(driver, `#recover-member-${chairMember}`);
    await typePin(driver, "recover-pin-first", "135790");
    await click(driver, "#recover-pin-first-submit");
    await typePin(driver, "recover-pin-again", "135790");
    await click(driver, "#recover-pin-again-submit");
    const code = await textOf(driver, "#recovery-code");
    assert.notEqual(code, "CHBD-EMXA-2345-6789", "the old code is used up: a new one is shown");
    await click(driver, "#recovery-done");
    assert.equal(await textOf(driver, "#signed-in strong"), chair);
    // Her new PIN signs her in after a lock.
    await click(driver, "#lock");
    await signIn(driver, chair, "135790");
  } finally {
    await close();
  }
  assert.ok(ishc(db, ["audit", "--limit", "10"]).some((e) => e.action === "auth.recover"));
});

/** `ishc` with a PIN given (for a person whose PIN is not the demo's, or a write before the lookup). */
function ishcPin(db, args, pin) {
  return JSON.parse(execFileSync(ISHC, [...args, "--json"], {
    env: { ...process.env, ISHC_DB: db, ISHC_TODAY: TODAY, ISHC_LANG: "vi", ISHC_PIN: pin },
    encoding: "utf8",
  }));
}

test("the chairperson resets a PIN, removes and adds a sign-in and sets the lock minutes in Settings, and changes her own PIN", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "1", "--members", "15", "--seed", "46"]);
  const chair = holderOf(db, "chair");
  const treasurer = holderOf(db, "treasurer");
  const secretary = holderOf(db, "secretary");
  const users = ishc(db, ["user", "list"]);
  const ids = Object.fromEntries(users.map((u) => [u.name, u.id]));
  const secretaryMember = users.find((u) => u.name === secretary).member_id;
  const { driver, close } = await launchAs(db, chair);
  try {
    await click(driver, "#nav-settings");
    await click(driver, "#settings-tab-signin");
    const listed = await textOf(driver, "#signins-table");
    for (const name of Object.keys(ids)) assert.ok(listed.includes(name), `${name} is not listed`);
    await screenshot(driver, "settings-signins");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    // The treasurer forgot her PIN: the chairperson resets it, the treasurer typing the new one twice.
    await click(driver, `#signins-reset-${ids[treasurer]}`);
    await type(driver, "#reset-pin", "5678");
    await type(driver, "#reset-pin2", "5679");
    await click(driver, "#reset-save");
    assert.match(await textOf(driver, "#signins-mismatch"), /không giống nhau/);
    await type(driver, "#reset-pin2", "5678");
    await click(driver, "#reset-save");
    await driver.wait(async () => /Đã đặt mã PIN mới/.test(await textNow(driver, "#signins-status")), 10000);
    // A sign-in removed, then made again for her with the PIN she types twice.
    await click(driver, `#signins-remove-${ids[secretary]}`);
    await click(driver, "#remove-confirm");
    await driver.wait(async () => /Đã bỏ người đăng nhập này/.test(await textNow(driver, "#signins-status")), 10000);
    assert.ok(!(await textOf(driver, "#signins-table")).includes(secretary), "the removed sign-in is still listed");
    await driver.wait(until.elementLocated(By.css(`#add-member option[value='${secretaryMember}']`)), 10000).click();
    await type(driver, "#add-pin", "2468");
    await type(driver, "#add-pin2", "2468");
    await click(driver, "#add-save");
    await driver.wait(async () => /Đã thêm người đăng nhập/.test(await textNow(driver, "#signins-status")), 10000);
    assert.ok((await textOf(driver, "#signins-table")).includes(secretary));
    await type(driver, "#lock-minutes", "15");
    await click(driver, "#lock-minutes-save");
    await driver.wait(async () => /Đã lưu/.test(await textNow(driver, "#signins-status")), 10000);
    await type(driver, "#own-old", DEMO_PINS.chair);
    await type(driver, "#own-new", "1212");
    await type(driver, "#own-new2", "1212");
    await click(driver, "#own-save");
    await driver.wait(async () => /Đã đặt mã PIN mới/.test(await textNow(driver, "#signins-status")), 10000);
    // The new PINs sign them in.
    await click(driver, "#switch-user");
    await signIn(driver, treasurer, "5678");
    await click(driver, "#switch-user");
    await signIn(driver, secretary, "2468");
    await click(driver, "#switch-user");
    await signIn(driver, chair, "1212");
  } finally {
    await close();
  }
  const trail = ishc(db, ["audit", "--limit", "20"]).map((e) => e.action);
  for (const a of ["auth.reset_pin", "auth.remove", "auth.add", "auth.settings", "auth.set_pin"]) assert.ok(trail.includes(a), `${a} not in ${trail}`);
});
