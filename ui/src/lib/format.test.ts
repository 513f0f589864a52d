import { describe, expect, it } from "vitest";
import { date, money, month, parseDate, parseMoney, pct } from "./format";

describe("money", () => {
  it("groups thousands with dots and ends with đ", () => {
    expect(money(0)).toBe("0 đ");
    expect(money(500)).toBe("500 đ");
    expect(money(1000)).toBe("1.000 đ");
    expect(money(1234567)).toBe("1.234.567 đ");
    expect(money(-50000)).toBe("-50.000 đ");
  });
  it("reads amounts the way people type them", () => {
    expect(parseMoney("1.234.567")).toBe(1234567);
    expect(parseMoney("50.000 đ")).toBe(50000);
    expect(parseMoney("1,000")).toBe(1000);
    expect(parseMoney("abc")).toBeNull();
    expect(parseMoney("")).toBeNull();
    expect(parseMoney("99999999999999999999")).toBeNull();
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
});

describe("pct", () => {
  it("uses a decimal comma in Vietnamese", () => {
    expect(pct(66.66, "vi")).toBe("66,7 %");
    expect(pct(66.66, "en")).toBe("66.7 %");
  });
});
