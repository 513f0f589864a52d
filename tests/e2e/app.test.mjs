// The real app window: overview against what the core reports, keyboard and accessibility, the
// language switch, first run, and one window at a time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  ISHC, launch, launchAs, holderOf, ishc, tempDb, copyDb, textOf, textNow, click, type, typePin, screenshot, axeSerious, describeViolations,
  stopDisplay, By, until,
} from "./harness.mjs";

let demoDb;
let expected;
let chair;

before(() => {
  demoDb = tempDb();
  ishc(demoDb, ["demo", "--years", "10", "--members", "60", "--seed", "1336"]);
  expected = ishc(demoDb, ["club", "show"]);
  chair = holderOf(demoDb, "chair");
});

after(async () => {
  await stopDisplay();
});

test("the overview shows the club name and member count the core reports", async () => {
  const { driver, close } = await launchAs(copyDb(demoDb), chair);
  try {
    assert.equal(await textOf(driver, "#club-name"), expected.club.name);
    assert.equal(await textOf(driver, "#member-count"), String(expected.composition.counts.members));
    const html = await driver.findElement(By.css("html"));
    assert.equal(await html.getAttribute("lang"), "vi");
    assert.match(await textOf(driver, "nav"), /Thành viên/);
    await screenshot(driver, "overview-vi");
  } finally {
    await close();
  }
});

test("no serious accessibility violation, large type, visible focus", async () => {
  const { driver, close } = await launchAs(copyDb(demoDb), chair);
  try {
    await textOf(driver, "#member-count");
    const serious = await axeSerious(driver);
    assert.deepEqual(serious, [], describeViolations(serious));
    const minFont = await driver.executeScript(`
      let min = 1000;
      for (const el of document.querySelectorAll("body *")) {
        if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
        const s = getComputedStyle(el);
        if (s.display === "none" || s.visibility === "hidden") continue;
        min = Math.min(min, parseFloat(s.fontSize));
      }
      return min;`);
    assert.ok(minFont >= 18, `smallest text is ${minFont}px`);
    // Tab reaches a control and the focused control shows an outline.
    await driver.actions().sendKeys("\uE004").perform();
    const outline = await driver.executeScript(`
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { tag: el.tagName, width: parseFloat(s.outlineWidth) || 0, style: s.outlineStyle, shadow: s.boxShadow };`);
    assert.notEqual(outline.tag, "BODY");
    assert.ok(outline.width >= 2 || outline.shadow !== "none", `focus not visible: ${JSON.stringify(outline)}`);
    // Every section of the navigation is reachable and opens its page.
    for (const page of ["members", "composition", "funds", "loans", "meetings", "reports", "audit", "settings", "overview"]) {
      await click(driver, `#nav-${page}`);
      const current = await driver.findElement(By.css(`#nav-${page}`)).getAttribute("aria-current");
      assert.equal(current, "page", page);
      if (page === "settings") {
        // The window names the version of the build it is (the CLI of the same build says the same).
        const cliVersion = execFileSync(ISHC, ["--version"], { encoding: "utf8" }).trim().split(" ").pop();
        assert.equal(await textOf(driver, "#app-version"), `Phiên bản ${cliVersion}`);
      }
      const issues = await axeSerious(driver);
      assert.deepEqual(issues, [], `${page}: ${describeViolations(issues)}`);
    }
  } finally {
    await close();
  }
});

test("the language switch turns the window to English and back", async () => {
  const { driver, close } = await launchAs(copyDb(demoDb), chair);
  try {
    await textOf(driver, "#member-count");
    await click(driver, "#lang-switch");
    await driver.wait(async () => /Members/.test(await textNow(driver, "nav")), 5000);
    assert.equal(await driver.findElement(By.css("html")).getAttribute("lang"), "en");
    await screenshot(driver, "overview-en");
    await click(driver, "#lang-switch");
    await driver.wait(async () => /Thành viên/.test(await textNow(driver, "nav")), 5000);
  } finally {
    await close();
  }
});

test("a first run with no ledger walks through creating the club and the chairperson's sign-in", async () => {
  const db = tempDb();

  const { driver, close } = await launch(db);
  try {
    await driver.wait(until.elementLocated(By.css("#setup-name")), 20000);
    await screenshot(driver, "setup");
    await type(driver, "#setup-name", "CLB Liên thế hệ thôn Bắc Sơn");
    await type(driver, "#setup-commune", "Xã Quảng Hòa");
    await type(driver, "#setup-district", "Huyện Quảng Xương");
    await type(driver, "#setup-province", "Thanh Hóa");
    await type(driver, "#chair-name", "Lê Thị Hoa");
    await type(driver, "#chair-birth-year", "1958");
    await type(driver, "#setup-pin", "2468");
    await type(driver, "#setup-pin2", "2468");
    // The club's signing key is made with the club: a passphrase too short is refused by name.
    await type(driver, "#setup-passphrase", "ngắn");
    await type(driver, "#setup-passphrase2", "ngắn");
    await click(driver, "#setup-submit");
    assert.match(await textOf(driver, "[role='alert']"), /ít nhất 8/);
    await type(driver, "#setup-passphrase", "trâu vàng gặm cỏ");
    await type(driver, "#setup-passphrase2", "trâu vàng gặm cỏ");
    await click(driver, "#setup-submit");
    // The recovery code is shown once, to write down or print, before the books open.
    const code = await textOf(driver, "#recovery-code");
    assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    assert.match(await textOf(driver, ".recovery .notice"), /cất cùng hồ sơ/);
    await screenshot(driver, "setup-recovery-code");
    await click(driver, "#recovery-done");
    // The chairperson is signed in and on the roster.
    assert.equal(await textOf(driver, "#club-name"), "CLB Liên thế hệ thôn Bắc Sơn");
    assert.equal(await textOf(driver, "#signed-in strong"), "Lê Thị Hoa");
    assert.equal(await textOf(driver, "#member-count"), "1");
  } finally {
    await close();
  }
  // The window wrote through the core: the CLI sees the same club, created by the named person.
  const shown = ishc(db, ["club", "show"]);
  assert.equal(shown.club.name, "CLB Liên thế hệ thôn Bắc Sơn");
  const audit = ishc(db, ["audit"]);
  assert.equal(audit[0].actor, "Lê Thị Hoa");
  const key = ishc(db, ["key", "show"]).current;
  assert.match(key.fingerprint, /^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
  const users = ishc(db, ["user", "list"]);
  assert.deepEqual(users.map((u) => [u.name, u.roles]), [["Lê Thị Hoa", ["chair"]]]);
});

test("a second window on the same books is refused", async () => {
  const db = copyDb(demoDb);
  const first = await launchAs(db, chair);
  try {
    await textOf(first.driver, "#member-count");
    const second = await launch(db);
    try {
      const body = await textOf(second.driver, "#busy");
      assert.match(body, /đang được mở ở một cửa sổ khác/);
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
});

/** The outline of every check box and radio button on the page, with its contrast against white. */
async function controlOutlines(driver) {
  return driver.executeScript(`
    const lum = (c) => {
      const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return [...document.querySelectorAll("input[type=checkbox], input[type=radio]")].map((el) => {
      const s = getComputedStyle(el);
      const sides = ["Top", "Right", "Bottom", "Left"].map((side) => s["border" + side + "Color"]);
      const worst = Math.min(...sides.map((c) => 1.05 / (lum(c) + 0.05)));
      return { id: el.id || el.value, type: el.type, checked: el.checked, appearance: s.webkitAppearance || s.appearance,
        width: parseFloat(s.borderTopWidth), color: sides[0], contrast: Math.round(worst * 100) / 100 };
    });`);
}

test("check boxes and radio buttons are outlined at 4.5:1 or more against white, drawn by the window, not the theme", async () => {
  const db = copyDb(demoDb);
  const acting = expected.board[0].full_name;
  const { driver, close } = await launchAs(db, acting);
  try {
    await textOf(driver, "#member-count");
    const seen = { checkbox: 0, radio: 0 };
    for (const [nav, opener] of [["#nav-funds", null], ["#nav-meetings", "#meeting-new"]]) {
      await click(driver, nav);
      if (opener) await click(driver, opener);
      await driver.wait(async () => (await controlOutlines(driver)).length > 0, 10000, `${nav}: no check box or radio button`);
      await driver.sleep(300);
      for (const c of await controlOutlines(driver)) {
        seen[c.type] += 1;
        // The system theme draws over a native control whatever its CSS border says: ours must be drawn by us.
        assert.equal(c.appearance, "none", `${c.type} ${c.id} keeps the theme's look`);
        assert.ok(c.width >= 2, `${c.type} ${c.id} outline ${c.width}px`);
        assert.ok(c.contrast >= 4.5, `${c.type} ${c.id} outline ${c.color} is ${c.contrast}:1 on white`);
      }
      await screenshot(driver, `controls-${nav.slice(5)}`);
    }
    assert.ok(seen.checkbox > 10 && seen.radio >= 2, JSON.stringify(seen));
  } finally {
    await close();
  }
});

test("the settings page fits the window, the preset's name is whole and the monthly due has its dots", async () => {
  const { driver, close } = await launchAs(copyDb(demoDb), chair);
  try {
    await textOf(driver, "#member-count");
    await click(driver, "#nav-settings");
    const preset = await driver.wait(until.elementLocated(By.css("#settings-preset")), 10000);
    await driver.wait(async () => (await preset.getText()).trim() !== "", 10000);
    await driver.sleep(300);
    const look = await driver.executeScript(`
      const sel = document.querySelector("#settings-preset");
      const probe = document.createElement("span");
      probe.style.font = getComputedStyle(sel).font;
      probe.style.whiteSpace = "nowrap";
      probe.textContent = sel.options[sel.selectedIndex].text;
      document.body.appendChild(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      return { page: document.documentElement.scrollWidth, window: window.innerWidth, need, has: sel.clientWidth, due: document.querySelector("#settings-due").value };`);
    assert.ok(look.page <= look.window, `the page is ${look.page}px wide in a ${look.window}px window`);
    assert.ok(look.need + 40 <= look.has, `the preset's name needs ${look.need}px, the box has ${look.has}px`);
    assert.match(look.due, /^\d{1,3}(\.\d{3})+$|^\d{1,3}$/, `monthly due shown as ${look.due}`);
    await screenshot(driver, "settings");
  } finally {
    await close();
  }
});
