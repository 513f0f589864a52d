// Issue 16 in the real window: the public fund notice of a month (figures, no names, the books'
// check code, which the window and the CLI both find) and a member's own statement.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { launchAs, holderOf, ishc, tempDb, textOf, click, screenshot, axeSerious, describeViolations, stopDisplay, By, until } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

test("the treasurer shows and checks the month's public fund notice; a member's statement shows only her", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "2", "--members", "20", "--seed", "5"]);
  const notice = ishc(db, ["fund", "notice", "--month", "2026-10"]);
  const members = ishc(db, ["member", "list", "--all"]);
  const { driver, close } = await launchAs(db, holderOf(db, "treasurer"));
  try {
    await textOf(driver, "#member-count");
    await click(driver, "#nav-funds");
    await click(driver, "#funds-tab-notice");
    await driver.findElement(By.css("#notice-year option[value='2026']")).click();
    await driver.findElement(By.css("#notice-month option[value='10']")).click();
    await click(driver, "#notice-show");
    const page = await driver.wait(until.elementLocated(By.css("#notice-preview")), 10000);
    await driver.wait(async () => (await page.getText()).includes("CÔNG KHAI QUỸ"), 10000);
    const text = await page.getText();
    assert.match(text, /Tháng 10\/2026/);
    assert.ok(text.includes(notice.chain_code), `the code ${notice.chain_code} is on the page`);
    for (const m of members) assert.ok(!text.includes(m.full_name), `the notice names ${m.full_name}`);
    await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", page);
    await screenshot(driver, "fund-notice");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    // The code read off the page is found in the books; a mistyped one is said plainly.
    await driver.findElement(By.css("#notice-code")).sendKeys(notice.chain_code.toLowerCase());
    await click(driver, "#notice-check");
    await driver.wait(async () => (await textOf(driver, "#notice-check-result")).includes("có trong sổ"), 10000);
    const field = await driver.findElement(By.css("#notice-code"));
    await field.clear();
    await field.sendKeys("0123 4567 89AB CDEF");
    await click(driver, "#notice-check");
    await driver.wait(async () => (await textOf(driver, "#notice-check-result")).includes("KHÔNG thấy mã"), 10000);
    await screenshot(driver, "fund-notice-check");

    // A member's statement from her roster row.
    const borrower = ishc(db, ["loan", "list"]).find((r) => r.loan.status === "disbursed").loan.member;
    await click(driver, "#nav-members");
    const button = await driver.wait(
      until.elementLocated(By.xpath(`//button[@aria-label=${JSON.stringify(`Sổ của hội viên ${borrower.full_name}`)}]`)),
      10000,
    );
    await button.click();
    const statement = await driver.wait(until.elementLocated(By.css("#statement-preview")), 10000);
    await driver.wait(async () => (await statement.getText()).includes("SỔ CỦA HỘI VIÊN"), 10000);
    const st = await statement.getText();
    assert.ok(st.includes(borrower.full_name));
    assert.match(st, /Khoản vay/);
    const others = members.filter((m) => m.id !== borrower.id).map((m) => m.full_name);
    for (const name of others) assert.ok(!st.includes(name), `the statement names ${name}`);
    await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", statement);
    await screenshot(driver, "member-statement");
    const closeButton = await driver.findElement(By.css("#statement-close"));
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", closeButton);
    await closeButton.click();
    await driver.wait(async () => (await driver.findElements(By.css("#statement-preview"))).length === 0, 5000);
  } finally {
    await close();
  }
});
