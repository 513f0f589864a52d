// Backups in the real window (issue 14): a backup made in the window onto a folder standing in for
// the USB stick is restored with `ishc restore`; a backup made by `ishc backup --out` is restored in
// the window (a wrong passphrase refused first), and a backup of another club needs the second click
// that names both clubs.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, launchAs, signIn, pinOf, holderOf, firstBoardMember, ishc, copyDb, tempDb, textOf, textNow, click, type, screenshot, axeSerious, describeViolations, stopDisplay, ISHC, TODAY, By } from "./harness.mjs";

after(async () => {
  await stopDisplay();
});

const PASS = "mật khẩu sao lưu";

/** `ishc … --json` with more environment (the backup passphrase); `--as` a demo board member adds her PIN. */
function ishcWith(db, args, env) {
  const as = args.indexOf("--as");
  const pin = as >= 0 && existsSync(db) ? { ISHC_PIN: pinOf(db, args[as + 1]) } : {};
  const out = execFileSync(ISHC, [...args, "--json"], {
    env: { ...process.env, ISHC_DB: db, ISHC_TODAY: TODAY, ISHC_LANG: "vi", ...pin, ...env },
    encoding: "utf8",
  });
  return JSON.parse(out);
}

async function openBackupTab(driver) {
  await click(driver, "#nav-settings");
  await click(driver, "#settings-tab-backup");
  await textOf(driver, "#stick-heading");
}

test("a backup made in the window onto the stick is restored by ishc restore", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "30", "--seed", "5"]);
  const members = ishc(db, ["member", "list", "--all"]).length;
  const acting = firstBoardMember(db);
  const stick = mkdtempSync(join(tmpdir(), "ishc-usb-"));
  let file;
  const { driver, close } = await launchAs(db, acting);
  try {
    await textOf(driver, "#member-count");
    await openBackupTab(driver);
    // The passphrase typed twice differently is refused by name, and nothing is written.
    await type(driver, "#backup-other", stick);
    await type(driver, "#backup-pass", PASS);
    await type(driver, "#backup-pass2", "mật khẩu khác");
    await click(driver, "#backup-stick");
    assert.match(await textOf(driver, "#backup-error"), /^Mật khẩu sao lưu: hai lần gõ không giống nhau/);
    assert.equal(await driver.findElement(By.css("#backup-pass")).getAttribute("aria-invalid"), "true");
    // Too short: the core's rule, named.
    await type(driver, "#backup-pass", "ngắn");
    await type(driver, "#backup-pass2", "ngắn");
    await click(driver, "#backup-stick");
    assert.match(await textOf(driver, "#backup-error"), /Mật khẩu sao lưu: phải có ít nhất 8 ký tự/);
    assert.equal(readdirSync(stick).length, 0);
    await type(driver, "#backup-pass", PASS);
    await type(driver, "#backup-pass2", PASS);
    await click(driver, "#backup-stick");
    const done = await textOf(driver, "#backup-done", 120000);
    const written = readdirSync(stick).filter((n) => n.endsWith(".ishc-backup.age"));
    assert.equal(written.length, 1);
    assert.match(written[0], /^so-sach-clb-[a-z0-9-]+-2026-11-22\.ishc-backup\.age$/);
    assert.match(done, /Đã sao lưu xong/);
    assert.ok(done.includes(written[0]), done);
    assert.ok(done.includes(`${members} thành viên`), done);
    file = join(stick, written[0]);
    // A local backup now, listed with its date.
    await click(driver, "#backup-now");
    await textOf(driver, "#backup-now-done", 60000);
    await driver.wait(async () => (await driver.findElements(By.css("#backup-generations tbody tr"))).length >= 1, 10000);
    await driver.executeScript("window.scrollTo(0, 0)");
    await screenshot(driver, "backup-stick-done");
    await driver.executeScript("document.getElementById('backup-generations').scrollIntoView({ block: 'center' })");
    await screenshot(driver, "backup-local");
    const issues = await axeSerious(driver);
    assert.deepEqual(issues, [], describeViolations(issues));
  } finally {
    await close();
  }
  // The books move on; `ishc restore` brings back the window's backup (on a copy: the window's lock
  // lasts until its process has gone).
  const copy = copyDb(db);
  ishc(copy, ["--as", acting, "member", "add", "--name", "Hà Thị Nụ", "--sex", "F", "--born", "1990", "--joined", "20/11/2026"]);
  assert.equal(ishc(copy, ["member", "list", "--all"]).length, members + 1);
  const restored = ishcWith(copy, ["--as", acting, "restore", file], { ISHC_BACKUP_PASSPHRASE: PASS });
  assert.equal(restored.encrypted, true);
  assert.equal(restored.members, members);
  assert.ok(existsSync(restored.kept_as));
  assert.equal(ishc(copy, ["member", "list", "--all"]).length, members);
  assert.equal(ishc(copy, ["check"]).ok, true);
  assert.equal(ishc(copy, ["audit", "--limit", "1"])[0].action, "backup.restore");
});

test("a backup made by ishc is restored in the window, another club's only with a second click", async () => {
  const db = tempDb();
  ishc(db, ["demo", "--years", "3", "--members", "30", "--seed", "5"]);
  const acting = firstBoardMember(db);
  const stick = mkdtempSync(join(tmpdir(), "ishc-usb-"));
  const made = ishcWith(db, ["backup", "--out", stick], { ISHC_BACKUP_PASSPHRASE: PASS });
  const shown = ishc(db, ["club", "show"]);
  const before = shown.composition.counts.members;
  const ours = shown.club.name;
  ishc(db, ["--as", acting, "member", "add", "--name", "Hà Thị Nụ", "--sex", "F", "--born", "1990", "--joined", "20/11/2026"]);
  assert.equal(ishc(db, ["club", "show"]).composition.counts.members, before + 1);
  // Another club's books, backed up onto the same stick.
  const other = tempDb();
  ishcWith(other, ["--as", "Lê Thị Hoa", "init", "--name", "CLB Xóm Chợ", "--commune", "Xã Quảng Hòa", "--district", "Quảng Xương",
    "--province", "Thanh Hóa", "--founded", "01/03/2019", "--chair-sex", "F", "--chair-born", "1958"],
    { ISHC_PASSPHRASE: "mật khẩu câu lạc bộ", ISHC_NEW_PIN: "2580" });
  const theirs = ishc(other, ["backup", "--auto", "--dir", stick]).made;

  const { driver, close } = await launchAs(db, acting);
  try {
    assert.equal(Number(await textOf(driver, "#member-count")), before + 1);
    await openBackupTab(driver);
    await type(driver, "#backup-other", stick);
    await click(driver, "#restore-list");
    const listed = await textOf(driver, "#restore-files");
    assert.ok(listed.includes(made.file_name) && listed.includes(theirs.file_name), listed);
    // Choose the stick backup (by its row's button).
    const row = await driver.findElement(By.xpath(`//ul[@id='restore-files']/li[span[text()=${JSON.stringify(made.file_name)}]]/button`));
    await row.click();
    assert.equal(await driver.findElement(By.css("#restore-path")).getAttribute("value"), made.path);
    await type(driver, "#restore-pass", "không phải mật khẩu");
    await click(driver, "#restore-go");
    assert.match(await textOf(driver, "#restore-error", 60000), /Mật khẩu sao lưu không đúng/);
    assert.equal(await driver.findElement(By.css("#restore-pass")).getAttribute("aria-invalid"), "true");
    await type(driver, "#restore-pass", PASS);
    await click(driver, "#restore-go");
    const done = await textOf(driver, "#restore-done", 120000);
    assert.match(done, /Đã khôi phục sổ sách/);
    assert.match(done, /Sổ sách cũ được giữ lại ở .*before-restore-/);
    await driver.executeScript("document.getElementById('restore-heading').scrollIntoView()");
    await screenshot(driver, "backup-restored");
    // The window shows the restored books.
    await click(driver, "#nav-overview");
    await driver.wait(async () => Number(await textNow(driver, "#member-count")) === before, 20000, "the overview shows the restored books");

    // Another club's backup: refused with both clubs named, then restored on the second click.
    await openBackupTab(driver);
    await type(driver, "#restore-path", theirs.path);
    await click(driver, "#restore-go");
    const named = await textOf(driver, "#restore-error", 60000);
    assert.match(named, /CLB Xóm Chợ/);
    assert.ok(named.includes(ours), named);
    await driver.executeScript("document.getElementById('restore-confirm').scrollIntoView({ block: 'center' })");
    await screenshot(driver, "backup-other-club");
    await click(driver, "#restore-confirm");
    // Another club's books have their own sign-ins (or none yet: then the set-up screen): the
    // window asks who signs in to them.
    await driver.wait(async () => /CLB Xóm Chợ/.test(await textNow(driver, "main.signin")), 120000, "the sign-in screen names the restored club");
  } finally {
    await close();
  }
  const after = copyDb(db);
  assert.equal(ishc(after, ["club", "show"]).club.name, "CLB Xóm Chợ");
  const audit = ishc(after, ["audit", "--limit", "1"]);
  assert.equal(audit[0].action, "backup.restore");
  assert.equal(audit[0].actor, acting);
});
