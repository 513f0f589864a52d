import { describe, expect, it } from "vitest";
import vectors from "../../../assets/vectors/money.json";
import dateVectors from "../../../assets/vectors/dates.json";
import { date, dateTime, grouped, instalmentNos, kb, money, MONEY_MAX, month, num, parseDate, parseMoney, pct, rate } from "./format";

describe("money", () => {
  it("groups thousands with dots and ends with đ", () => {
    expect(money(0)).toBe("0 đ");
    expect(money(500)).toBe("500 đ");
    expect(money(1000)).toBe("1.000 đ");
    expect(money(1234567)).toBe("1.234.567 đ");
    expect(money(-50000)).toBe("-50.000 đ");
    expect(grouped(1500000)).toBe("1.500.000");
  });
});

describe("kb", () => {
  it("rounds a file's size up to whole kilobytes, dotted like money", () => {
    expect(kb(0)).toBe("0 KB");
    expect(kb(1)).toBe("1 KB");
    expect(kb(51888)).toBe("51 KB");
    expect(kb(9779718)).toBe("9.551 KB");
  });
});

describe("parseMoney", () => {
  it("has the shared vectors' maximum", () => {
    expect(MONEY_MAX).toBe(vectors.max);
  });
  it.each(vectors.cases.map((c) => [JSON.stringify(c.input), c] as const))("reads %s as the shared vectors say", (_, c) => {
    const expected = "ok" in c ? { ok: true, value: c.ok } : { ok: false, reason: c.error };
    expect(parseMoney(c.input)).toEqual(expected);
  });
  it("covers every reason code", () => {
    const reasons = new Set(vectors.cases.flatMap((c) => ("error" in c ? [c.error] : [])));
    expect([...reasons].sort()).toEqual(["bad_groups", "decimal_part", "negative", "not_a_number", "required", "too_large"]);
  });
});

describe("dates", () => {
  it("shows ISO dates as dd/mm/yyyy", () => {
    expect(date("2026-03-05")).toBe("05/03/2026");
    expect(date(null)).toBe("");
    expect(month("2026-11")).toBe("11/2026");
  });
  it("parses typed dates and refuses impossible ones", () => {
    expect(parseDate("22/11/2026")).toBe("2026-11-22");
    expect(parseDate("5/3/26")).toBe("2026-03-05");
    expect(parseDate("2026-11-22")).toBe("2026-11-22");
    expect(parseDate("31/02/2026")).toBeNull();
    expect(parseDate("hôm nay")).toBeNull();
  });
  it("reads every shared date vector as the core does (assets/vectors/dates.json)", () => {
    expect(dateVectors.dates.length).toBeGreaterThanOrEqual(30);
    for (const c of dateVectors.dates) {
      expect(parseDate(c.input), c.input).toBe("ok" in c ? c.ok : null);
    }
  });
});

describe("pct", () => {
  it("uses a decimal comma in Vietnamese", () => {
    expect(pct(66.66, "vi")).toBe("66,7 %");
    expect(pct(66.66, "en")).toBe("66.7 %");
    expect(pct(39.06, "vi")).toBe("39,1 %");
    expect(pct(0.5, "vi")).toBe("0,5 %");
    expect(pct(0.5, "en")).toBe("0.5 %");
    expect(pct(100, "vi")).toBe("100,0 %");
  });
  it("writes rates and other decimals with the language's decimal sign", () => {
    expect(rate("1.5", "vi")).toBe("1,5 %");
    expect(rate("1.5", "en")).toBe("1.5 %");
    expect(rate("2", "vi")).toBe("2 %");
    expect(num(2.5, "vi")).toBe("2,5");
    expect(num(2.5, "en")).toBe("2.5");
    expect(num(40, "vi")).toBe("40");
  });
});

describe("instalmentNos", () => {
  it("lists the instalments a loan payment paid, in order, and nothing for an older payment", () => {
    expect(instalmentNos([{ no: 1 }])).toBe("1");
    expect(instalmentNos([{ no: 2 }, { no: 3 }])).toBe("2, 3");
    expect(instalmentNos([])).toBe("");
  });
});

describe("dateTime", () => {
  it("shows a UTC moment as the laptop's clock, dd/mm/yyyy HH:mm", () => {
    expect(dateTime("2026-11-22T03:05:09.123Z", -420)).toBe("22/11/2026 10:05");
    expect(dateTime("2026-12-31T20:30:00.000Z", -420)).toBe("01/01/2027 03:30");
    expect(dateTime("2026-11-22T03:05:00Z", 0)).toBe("22/11/2026 03:05");
  });
  it("leaves what is not a moment unchanged", () => {
    expect(dateTime("hôm qua")).toBe("hôm qua");
    expect(dateTime("2026-11-22")).toBe("2026-11-22");
  });
});
