// Loans in the real window: an application approved at a meeting, handed over, and a repayment
// recorded; the loan card, the register and the fund ledger agree; a repayment above what is owed
// is refused with the rule and changes nothing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { launch, launchAs, signIn, pinOf, holderOf, firstBoardMember, ishc, tempDb, textOf, textNow, click, type, screenshot, axeSerious, describeViolations, stopDisplay, By, until } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

test("a loan is approved, handed over and repaid in the window", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "30", "--seed", "21"]);
  const borrowing = ishc(db, ["loan", "list"]).filter((r) => r.loan.status === "disbursed").map((r) => r.loan.member.id);
  const member = ishc(db, ["member", "list"]).find((m) => !borrowing.includes(m.id));
  const cashBefore = ishc(db, ["fund", "balance"]).funds.find((f) => f.fund === "income").cash;
  // The chairperson takes the application and approves it at a meeting; the treasurer hands it over.
  const acting = holderOf(db, "chair");
  const treasurer = holderOf(db, "treasurer");
  const { driver, close } = await launchAs(db, acting);
  try {
    await textOf(driver, "#member-count");
    await click(driver, "#nav-loans");
    await textOf(driver, "#loan-rules");
    await screenshot(driver, "loans-register");
    await click(driver, "#loans-tab-waiting");
    const option = await driver.wait(until.elementLocated(By.css(`#loan-member option[value='${member.id}']`)), 10000);
    await option.click();
    await type(driver, "#loan-amount", "4.000.000");
    await type(driver, "#loan-months", "12");
    await type(driver, "#loan-applied", "01/11/2026");
    await click(driver, "#loan-apply-save");
    // The card opens with the keyboard in the first field of its next step, not on the page body.
    await driver.wait(async () => (await driver.executeScript("return document.activeElement.id")) === "loan-meeting", 10000, "focus is not on the meeting to approve at");
    await click(driver, "#loan-approve");
    await driver.wait(async () => (await textNow(driver, "#loan-state")).includes("chờ giải ngân"), 10000);
    // Handing over money is the treasurer's: she takes the laptop ("Đổi người") and opens the loan.
    await click(driver, "#switch-user");
    await signIn(driver, treasurer, pinOf(db, treasurer));
    await click(driver, "#nav-loans");
    const approvedId = await driver.wait(() => driver.executeScript("return [...document.querySelectorAll('#loan-register tr[data-loan]')].find((tr) => tr.textContent.includes(arguments[0]))?.dataset.loan ?? null", member.full_name), 10000, "the approved loan is not in the register");
    await click(driver, `#loan-register tr[data-loan='${approvedId}'] button`);
    await type(driver, "#loan-disburse-date", "22/11/2026");
    await click(driver, "#loan-disburse");
    await driver.wait(async () => (await textNow(driver, "#loan-status")).includes("PC-TN-2026"), 10000);
    assert.match(await textOf(driver, "#loan-owes"), /4\.000\.000 đ/);
    // More than the payoff: refused, with the rule.
    await type(driver, "#loan-repay-amount", "9.000.000");
    await click(driver, "#loan-repay");
    assert.match(await textOf(driver, "[role='alert']"), /lớn hơn số còn nợ 4\.000\.000 đ/);
    // Trả trước gốc, ticked on purpose: the million goes to principal (by default it would pay the
    // next instalments, interest first); the principal is due with instalment 12.
    await type(driver, "#loan-repay-amount", "1.000.000");
    await click(driver, "#loan-repay-prepay");
    await click(driver, "#loan-repay");
    await driver.wait(async () => (await textNow(driver, "#loan-status")).includes("PT-TN-2026"), 10000);
    assert.match(await textOf(driver, "#loan-status"), /gốc 1\.000\.000 đ · trả kỳ 12/);
    assert.match(await textOf(driver, "#loan-payments"), /1\.000\.000 đ\s*12\b/);
    await driver.wait(async () => /3\.000\.000 đ/.test(await textNow(driver, "#loan-owes")), 10000);
    await screenshot(driver, "loan-card");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
    await click(driver, "#loan-close");
    // Opened again from the register: the keyboard lands in the repayment amount.
    await click(driver, "#loans-tab-register");
    const loanId = await driver.wait(() => driver.executeScript("return [...document.querySelectorAll('#loan-register tr[data-loan]')].find((tr) => tr.textContent.includes(arguments[0]))?.dataset.loan ?? null", member.full_name), 10000, "the loan is not in the register");
    await click(driver, `#loan-register tr[data-loan='${loanId}'] button`);
    await driver.wait(async () => (await driver.executeScript("return document.activeElement.id")) === "loan-repay-amount", 10000, "focus is not on the repayment amount");
    await click(driver, "#loan-close");
    await click(driver, "#loans-tab-portfolio");
    // In words first; the code only beside it, in small type.
    assert.match(await textOf(driver, "#loan-par30"), /^Dư nợ có kỳ trả chậm quá 30 ngày: .*PAR30$/);
    assert.match(await textOf(driver, "#loan-par90"), /^Dư nợ có kỳ trả chậm quá 90 ngày: .*PAR90$/);
    await screenshot(driver, "loans-portfolio");
  } finally {
    await close();
  }
  const row = ishc(db, ["loan", "list"]).find((r) => r.loan.member.id === member.id && r.loan.amount === 4000000);
  assert.equal(row.loan.status, "disbursed");
  assert.equal(row.state.principal_out, 3000000);
  const cashAfter = ishc(db, ["fund", "balance"]).funds.find((f) => f.fund === "income");
  assert.equal(cashAfter.cash, cashBefore - 4000000 + 1000000);
  assert.equal(cashAfter.loans, ishc(db, ["loan", "portfolio"]).outstanding);
  const meeting = ishc(db, ["meeting", "show", String(row.loan.approval.meeting_id)]);
  assert.ok(meeting.decisions.some((d) => d.kind === "loan_approval" && d.member.id === member.id));
  assert.equal(ishc(db, ["check"]).ok, true);
});
