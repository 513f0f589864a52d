// Roster and composition in the real window: add a member, see the count and the ratios change.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { launch, launchAs, signIn, pinOf, holderOf, firstBoardMember, ishc, tempDb, textOf, textNow, click, type, screenshot, stopDisplay, By, until } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

test("adding a member in the window changes the count and the ratios", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "5", "--members", "50", "--seed", "11"]);
  const before = ishc(db, ["composition"]);
  const acting = firstBoardMember(db);
  const { driver, close } = await launchAs(db, acting);
  try {
    assert.equal(await textOf(driver, "#member-count"), String(before.counts.members));
    await click(driver, "#nav-members");
    await driver.wait(until.elementLocated(By.css("#member-table tbody tr")), 10000);
    await click(driver, "#member-add");
    await type(driver, "#member-name", "Hà Thị Nụ");
    const sex = await driver.wait(until.elementLocated(By.css("#member-sex")), 10000);
    if ((await sex.getTagName()) === "select") {
      await sex.findElement(By.css("option[value='F']")).click();
    } else {
      await click(driver, "#member-sex input[value='F'], #member-sex[value='F']");
    }
    await type(driver, "#member-birth-year", "1990");
    await screenshot(driver, "member-add");
    await click(driver, "#member-save");
    await driver.wait(async () => /Hà Thị Nụ/.test(await textNow(driver, "#member-table")), 10000);
    // Search ignores diacritics.
    await type(driver, "#member-search", "ha thi nu");
    await driver.wait(async () => (await driver.findElements(By.css("#member-table tbody tr"))).length === 1, 5000);
    await screenshot(driver, "members");
    await click(driver, "#nav-overview");
    await driver.wait(async () => (await textOf(driver, "#member-count")) === String(before.counts.members + 1), 10000);
    await click(driver, "#nav-composition");
    const women = await driver.wait(until.elementLocated(By.css("#composition [data-measure='women']")), 10000);
    await driver.wait(async () => (await women.getText()).includes(`${before.counts.women + 1} / ${before.counts.members + 1}`), 5000);
    await screenshot(driver, "composition");
  } finally {
    await close();
  }
  const afterwards = ishc(db, ["composition"]);
  assert.equal(afterwards.counts.members, before.counts.members + 1);
  assert.equal(afterwards.counts.women, before.counts.women + 1);
  assert.equal(afterwards.counts.younger, before.counts.younger + 1);
  const found = ishc(db, ["member", "list", "--search", "Hà Thị Nụ"]);
  assert.equal(found.length, 1);
  assert.equal(found[0].joined_on, "2026-11-22");
});

test("a refused member shows the rule and changes nothing", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "20", "--seed", "5"]);
  const before = ishc(db, ["composition"]).counts.members;
  const acting = firstBoardMember(db);
  const { driver, close } = await launchAs(db, acting);
  try {
    await click(driver, "#nav-members");
    await click(driver, "#member-add");
    await type(driver, "#member-name", "Người Tương Lai");
    await type(driver, "#member-birth-year", "2090");
    await click(driver, "#member-save");
    const alert = await textOf(driver, "[role='alert']");
    assert.match(alert, /Năm sinh/);
  } finally {
    await close();
  }
  assert.equal(ishc(db, ["composition"]).counts.members, before);
});

test("importing a member sheet: row-by-row check, nothing until confirmed, then all rows", async () => {
  const { writeFileSync } = await import("node:fs");
  const { dirname, join } = await import("node:path");
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "20", "--seed", "8"]);
  const before = ishc(db, ["composition"]).counts.members;
  const bad = join(dirname(db), "co-loi.csv");
  writeFileSync(bad, "STT;Họ và tên;Giới tính;Năm sinh;Ngày vào\n1;Vi Thị Mến;Nữ;1958;01/06/2025\n2;Lục Văn Sáng;?;1970;01/06/2025\n");
  const good = join(dirname(db), "danh-sach.csv");
  writeFileSync(good, "\uFEFFSTT;Họ và tên;Giới tính;Năm sinh;Ngày vào\n1;Vi Thị Mến;Nữ;1958;01/06/2025\n2;Lục Văn Sáng;Nam;1970;01/06/2025\n");
  const acting = firstBoardMember(db);
  const { driver, close } = await launchAs(db, acting);
  try {
    await click(driver, "#nav-members");
    await click(driver, "#member-import");
    const fileInput = await driver.wait(until.elementLocated(By.css("#import-file")), 10000);
    await fileInput.sendKeys(bad);
    const summary = await textOf(driver, "#import-summary");
    assert.match(summary, /1 dòng hợp lệ, 1 dòng có lỗi/);
    assert.match(await textOf(driver, "#import-table"), /Giới tính: phải là một trong/);
    assert.equal(await driver.findElement(By.css("#import-commit")).isEnabled(), false);
    await screenshot(driver, "import-errors");
    assert.equal(ishc(db, ["composition"]).counts.members, before, "a check writes nothing");
    await fileInput.sendKeys(good);
    await driver.wait(async () => /2 dòng hợp lệ, 0 dòng có lỗi/.test(await textNow(driver, "#import-summary")), 10000);
    await click(driver, "#import-commit");
    await driver.wait(async () => /Đã nhập 2 thành viên/.test(await textNow(driver, "p.status")), 10000);
  } finally {
    await close();
  }
  assert.equal(ishc(db, ["composition"]).counts.members, before + 2);
});

test("editing a member's status and role from a date keeps the history; the consent form prints their details", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "20", "--seed", "13"]);
  const someone = ishc(db, ["member", "list"]).find((r) => r.flags.length === 0 && r.roles.length === 0);
  const acting = firstBoardMember(db);
  const { driver, close } = await launchAs(db, acting);
  try {
    await click(driver, "#nav-members");
    await type(driver, "#member-search", someone.full_name);
    await driver.wait(async () => (await driver.findElements(By.css("#member-table tbody tr"))).length >= 1, 5000);
    const row = await driver.findElement(By.css("#member-table tbody tr"));
    await row.findElement(By.xpath(`.//button[normalize-space(.)="Sửa"]`)).click();
    const form = await driver.wait(until.elementLocated(By.css("#member-form-h")), 10000);
    assert.match(await form.getText(), new RegExp(someone.full_name));
    const section = await driver.findElement(By.xpath(`//label[contains(normalize-space(.), "Hộ nghèo") and not(contains(., "cận"))]/input`));
    await section.click();
    await driver.findElement(By.xpath(`//label[contains(normalize-space(.), "Tình nguyện viên")]/input`)).click();
    await type(driver, "#member-change-on", "01/11/2026");
    await click(driver, "#member-save");
    await driver.wait(async () => /Đã lưu thông tin/.test(await textNow(driver, "p.status")), 10000);
    const again = await driver.findElement(By.css("#member-table tbody tr"));
    await again.findElement(By.xpath(`.//button[normalize-space(.)="Phiếu đồng ý"]`)).click();
    const consent = await textOf(driver, "#consent-printable");
    assert.match(consent, new RegExp(someone.full_name));
    assert.match(consent, /không được đưa ra khỏi câu lạc bộ/);
    await screenshot(driver, "consent");
  } finally {
    await close();
  }
  const m = ishc(db, ["member", "show", String(someone.id)]);
  const poor = m.flags.find((f) => f.what === "poor");
  assert.equal(poor.from_on, "2026-11-01");
  assert.match(poor.standard, /Chuẩn nghèo 2026/);
  assert.ok(m.roles.some((r) => r.what === "volunteer" && r.from_on === "2026-11-01"));
  const before = ishc(db, ["member", "list", "--at", "2026-10-31", "--search", someone.full_name]);
  assert.deepEqual(before[0].flags, [], "the earlier history is unchanged");
});
