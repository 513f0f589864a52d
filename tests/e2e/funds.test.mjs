// The fund ledger in the real window: a receipt shows in the cash book and the balance; a payment
// larger than the cash is refused with the rule and changes nothing; dues in one pass.
import { test, after } from "node:test";
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { launch, launchAs, signIn, pinOf, holderOf, firstBoardMember, ishc, ISHC, tempDb, textOf, textNow, click, type, screenshot, axeSerious, describeViolations, stopDisplay, By, until } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

const money = (n) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;

test("a receipt recorded in the window appears in the cash book and the balance", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "30", "--seed", "3"]);
  const before = ishc(db, ["fund", "balance"]).funds.find((f) => f.fund === "activity").cash;
  const acting = holderOf(db, "treasurer");
  const { driver, close } = await launchAs(db, acting);
  try {
    await textOf(driver, "#member-count");
    await click(driver, "#nav-funds");
    const card = await driver.wait(until.elementLocated(By.css("#fund-balances [data-fund='activity'] .cash")), 10000);
    assert.equal((await card.getText()).trim(), money(before));
    await type(driver, "#voucher-amount", "1.250.000");
    await type(driver, "#voucher-memo", "Con cháu ủng hộ dịp 20/11");
    await driver.findElement(By.css("#voucher-source option[value='family']")).click();
    await click(driver, "#voucher-save");
    const number = await textOf(driver, "#voucher-number");
    assert.match(number, /^PT-HD-2026-\d{4}$/);
    await driver.wait(async () => (await card.getText()).trim() === money(before + 1250000), 5000);
    await screenshot(driver, "funds-voucher");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    await click(driver, "#funds-tab-cashbook");
    const row = await driver.wait(until.elementLocated(By.css(`#cashbook-table tr[data-voucher='${number}']`)), 10000);
    assert.match(await row.getText(), /1\.250\.000 đ/);
    assert.equal(await textOf(driver, "#cashbook-closing"), money(before + 1250000 + ishc(db, ["fund", "balance"]).funds.find((f) => f.fund === "income").cash));
    await screenshot(driver, "funds-cashbook");
    // Voucher numbers and "Hủy phiếu" each on one line: a text broken over lines has more than one
    // line box (client rect) per text node.
    const lines = await driver.executeScript(`
      const count = (el) => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size; };
      const rows = [...document.querySelectorAll("#cashbook-table tr[data-voucher]")];
      return rows.flatMap((tr) => [...tr.querySelectorAll("td.nowrap, button")].map((el) => [el.textContent.trim(), count(el)]));`);
    assert.ok(lines.length > 2, JSON.stringify(lines));
    for (const [text, n] of lines) assert.equal(n, 1, `"${text}" takes ${n} lines`);
  } finally {
    await close();
  }
  const entry = ishc(db, ["fund", "journal", "--from", "2026-11-22"]).find((e) => e.memo === "Con cháu ủng hộ dịp 20/11");
  assert.ok(entry, "the CLI sees the window's voucher");
  assert.deepEqual(entry.postings.map((p) => [p.account, p.amount]), [["cash", 1250000], ["income:family", -1250000]]);
  const check = ishc(db, ["check"]);
  assert.equal(check.ok, true);
});

test("a payment larger than the fund's cash is refused and nothing changes", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "2", "--members", "20", "--seed", "4"]);
  const entriesBefore = ishc(db, ["fund", "journal"]).length;
  const acting = holderOf(db, "treasurer");
  const { driver, close } = await launchAs(db, acting);
  try {
    await click(driver, "#nav-funds");
    await click(driver, "#voucher-payment");
    await type(driver, "#voucher-amount", "999.000.000");
    await click(driver, "#voucher-save");
    const alert = await textOf(driver, "[role='alert']");
    assert.match(alert, /không đủ/);
    // The refusal describes the amount as it was: correcting it takes the message away before saving.
    await type(driver, "#voucher-amount", "1.000");
    await driver.wait(async () => (await driver.findElements(By.css("#voucher-error"))).length === 0, 5000, "the old refusal stays after the amount is corrected");
    assert.notEqual(await driver.findElement(By.css("#voucher-amount")).getAttribute("aria-invalid"), "true");
    await screenshot(driver, "funds-voucher-corrected");
  } finally {
    await close();
  }
  assert.equal(ishc(db, ["fund", "journal"]).length, entriesBefore);
});

test("dues for the month in one pass", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "2", "--members", "20", "--seed", "9"]);
  const acting = holderOf(db, "treasurer");
  const { driver, close } = await launchAs(db, acting);
  try {
    await click(driver, "#nav-funds");
    await click(driver, "#funds-tab-dues");
    const save = await driver.wait(until.elementLocated(By.css("#dues-save")), 10000);
    const label = await save.getText();
    const n = Number(/(\d+)/.exec(label)[1]);
    assert.ok(n > 0, label);
    await save.click();
    await driver.wait(async () => /PT-TN-2026-/.test(await textNow(driver, "p.status")), 10000);
    await screenshot(driver, "funds-dues");
  } finally {
    await close();
  }
  const grid = ishc(db, ["fund", "dues-grid", "--month", "2026-11"]);
  assert.equal(grid.rows.filter((r) => r.months[11] === "due").length, 0);
});

test("a voucher is corrected by reversal from the cash book, and a month is closed by the board with their PINs", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "2", "--members", "20", "--seed", "12"]);
  const treasurer = holderOf(db, "treasurer");
  const chair = holderOf(db, "chair");
  const vice = holderOf(db, "vice_chair");
  const ids = Object.fromEntries(ishc(db, ["user", "list"]).map((u) => [u.name, u.id]));
  let number = "";
  const { driver, close } = await launchAs(db, treasurer);
  try {
    await click(driver, "#nav-funds");
    await type(driver, "#voucher-amount", "200000");
    await type(driver, "#voucher-memo", "Ghi nhầm");
    await click(driver, "#voucher-save");
    number = await textOf(driver, "#voucher-number");
    // A reversal is the chairperson's: she takes the laptop ("Đổi người") and corrects it.
    await click(driver, "#switch-user");
    await signIn(driver, chair, pinOf(db, chair));
    await click(driver, "#nav-funds");
    await click(driver, "#funds-tab-cashbook");
    const row = await driver.wait(until.elementLocated(By.css(`#cashbook-table tr[data-voucher='${number}']`)), 10000);
    await row.findElement(By.css("button")).click();
    await type(driver, "#reverse-reason", "Ghi nhầm quỹ");
    await click(driver, "#reverse-save");
    await driver.wait(async () => /DC-HD-2026-/.test(await textNow(driver, "#cashbook-table")), 10000);
    // Close October (the demo counted its cash at the end of it): the treasurer closes, the
    // chairperson and the vice-chair each pick their name and type their own PIN.
    await click(driver, "#switch-user");
    await signIn(driver, treasurer, pinOf(db, treasurer));
    await click(driver, "#nav-funds");
    await click(driver, "#funds-tab-close");
    const month = await driver.wait(until.elementLocated(By.css("#close-month")), 10000);
    await month.findElement(By.css("option[value='2026-10']")).click();
    await driver.wait(until.elementLocated(By.css(`#close-chair option[value='${ids[chair]}']`)), 10000).click();
    await driver.findElement(By.css(`#close-other option[value='${ids[vice]}']`)).click();
    await type(driver, "#close-chair-pin", pinOf(db, chair));
    // A wrong PIN of a countersigner is refused in words, and nothing is closed.
    await type(driver, "#close-other-pin", "9999");
    await click(driver, "#close-save");
    assert.match(await textOf(driver, "[role='alert']"), new RegExp(`Mã PIN của ${vice} không đúng`));
    await driver.sleep(1200);
    await type(driver, "#close-chair-pin", pinOf(db, chair));
    await type(driver, "#close-other-pin", pinOf(db, vice));
    await screenshot(driver, "funds-close-pins");
    await click(driver, "#close-save");
    await driver.wait(async () => /Đã khóa sổ tháng 10\/2026/.test(await textNow(driver, "p.status")), 10000);
    await screenshot(driver, "funds-close");
  } finally {
    await close();
  }
  const original = ishc(db, ["fund", "journal"]).find((e) => e.voucher === number);
  assert.ok(original.reversed_by, "the window's reversal points at the original");
  assert.equal(ishc(db, ["check"]).ok, true);
  const closed = ishc(db, ["audit", "--limit", "40"]).find((e) => e.action === "ledger.close");
  assert.equal(closed.actor, treasurer);
  // The closed month takes no new vouchers.
  const late = spawnSync(ISHC, ["--as", treasurer, "fund", "receipt", "--fund", "activity", "--amount", "1000", "--source", "other", "--date", "2026-10-20"],
    { env: { ...process.env, ISHC_DB: db, ISHC_TODAY: "2026-11-22", ISHC_PIN: pinOf(db, treasurer) }, encoding: "utf8" });
  assert.equal(late.status, 1);
  assert.match(late.stderr, /đã khóa sổ/);
});

test("the bank statement is checked against the book in the window, and a difference is recorded with its reason", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "2", "--members", "20", "--seed", "31"]);
  const before = ishc(db, ["fund", "balance"]).funds.find((f) => f.fund === "income").bank;
  const acting = holderOf(db, "treasurer");
  const { driver, close } = await launchAs(db, acting);
  try {
    await click(driver, "#nav-funds");
    await click(driver, "#funds-tab-bank");
    await driver.wait(async () => (await textNow(driver, "#bank-book")) === money(before), 10000, "the book's bank balance is not shown");
    await type(driver, "#bank-statement", "1.500.000");
    await driver.wait(async () => (await textNow(driver, "#bank-difference")) === money(1500000 - before), 5000);
    await type(driver, "#bank-witness", "Nguyễn Văn Kiểm");
    await type(driver, "#bank-reason", "Lãi tiền gửi tháng 11");
    await screenshot(driver, "funds-bank-check");
    await click(driver, "#bank-save");
    assert.match(await textOf(driver, "#bank-saved"), /Đã ghi đối chiếu ngân hàng: chênh lệch 1\.500\.000 đ/);
    // The history shows it, with the difference and its reason.
    await click(driver, "#funds-tab-counts");
    const row = await textOf(driver, "#count-history tbody tr");
    assert.match(row, /22\/11\/2026\s*Đối chiếu ngân hàng\s*Quỹ tăng thu nhập/);
    assert.match(row, /1\.500\.000 đ[\s\S]*Lãi tiền gửi tháng 11\s*\(DC-TN-2026-\d{4}\)/);
    await screenshot(driver, "funds-count-history");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
  } finally {
    await close();
  }
  assert.equal(ishc(db, ["fund", "balance"]).funds.find((f) => f.fund === "income").bank, 1500000);
  assert.equal(ishc(db, ["check"]).ok, true);
});
