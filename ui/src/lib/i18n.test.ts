import { describe, expect, it } from "vitest";
import vi from "../../../assets/i18n/vi.json";
import en from "../../../assets/i18n/en.json";
import { errorField, errorMessage, translate } from "./i18n";

describe("catalogue", () => {
  it("has the same keys in both languages", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });
  it("falls back to Vietnamese, then to the key", () => {
    expect(translate("en", "nav.members")).toBe("Members");
    expect(translate("vi", "nav.members")).toBe("Thành viên");
    expect(translate("vi", "no.such.key")).toBe("no.such.key");
  });
});

describe("errorMessage", () => {
  const err = { code: "input.invalid", params: { field: "member.joined_on", rule: { kind: "in_future", today: "2026-11-22" } } };
  it("names the field and the rule, with dates on screen form", () => {
    expect(errorMessage("vi", err)).toBe("Ngày vào câu lạc bộ: không được sau hôm nay (22/11/2026).");
    expect(errorMessage("en", err)).toBe("Date joined: cannot be after today (22/11/2026).");
    expect(errorField(err)).toBe("member.joined_on");
  });
  it("fills the parameters of other codes", () => {
    const dup = { code: "member.duplicate", params: { full_name: "Nguyễn Thị Lan", birth_year: 1955, existing_id: 7 } };
    expect(errorMessage("vi", dup)).toContain("Nguyễn Thị Lan sinh năm 1955 (số 7)");
    const oneOf = { code: "input.invalid", params: { field: "club.rounding_unit", rule: { kind: "one_of", allowed: ["1", "500", "1000"] } } };
    expect(errorMessage("en", oneOf)).toBe("Money rounding unit: must be one of: 1, 500, 1000.");
  });
  it("shows money parameters as đồng, like the CLI", () => {
    const over = { code: "loan.overpaid", params: { id: 3, owed: 4975000, amount: 9000000 } };
    expect(errorMessage("vi", over)).toContain("9.000.000 đ lớn hơn số còn nợ 4.975.000 đ");
    const short = { code: "ledger.cash_short", params: { fund: "activity", account: "cash", on: "2026-11-22", available: 1500, needed: 20000 } };
    expect(errorMessage("en", short)).toContain("1.500 đ left, 20.000 đ needed");
  });
  it("says something for a thrown value that is not an ApiError", () => {
    expect(errorMessage("vi", new Error("boom"))).toContain("boom");
  });
});
