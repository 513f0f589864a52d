import { describe, expect, it } from "vitest";
import vi from "../../../assets/i18n/vi.json";
import en from "../../../assets/i18n/en.json";
import { ACTIONS, AUTH_ROLES, FUNDS, LOAN_STATUSES, ROLES } from "./codes";
import { CODE_PARAMS, errorField, errorMessage, passphraseRefused, plainDetail, LocalError, memoText, readCount, readMoney, readOptionalMoney, translate, type Lang } from "./i18n";

describe("catalogue", () => {
  it("has the same keys in both languages", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });
  it("names each of the eight areas the same way as a meeting topic and as a payment's area", () => {
    for (const lang of ["vi", "en"] as Lang[]) {
      for (let n = 1; n <= 8; n++) expect(translate(lang, `topic.a${n}`)).toBe(translate(lang, `area.a${n}`));
    }
    expect(translate("vi", "topic.a3")).toBe("3. Tình nguyện viên chăm sóc tại nhà");
    expect(translate("vi", "topic.a6")).toBe("6. Truyền thông, nâng cao nhận thức");
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
  it("names the field of a refusal that carries one (a wrong backup passphrase), so the form can mark it", () => {
    const wrong = { code: "backup.wrong_passphrase", params: { path: "/media/usb/so-sach.ishc-backup.age", field: "backup.passphrase" } };
    expect(errorField(wrong)).toBe("backup.passphrase");
    expect(errorMessage("vi", wrong)).toContain("Mật khẩu sao lưu không đúng");
    expect(errorField({ code: "backup.not_ours", params: { path: "/x" } })).toBe(null);
  });
  it("says something for a thrown value that is not an ApiError", () => {
    expect(errorMessage("vi", new Error("boom"))).toContain("boom");
  });
});

describe("refusals found in the window", () => {
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error("not refused");
  };
  it("names the money field and the reason, with the accepted forms", () => {
    const e = refusal(() => readMoney("1,5", "field.loan.amount"));
    expect(e).toBeInstanceOf(LocalError);
    expect(errorField(e)).toBe("loan.amount");
    expect(errorMessage("vi", e)).toBe(
      "Số tiền vay: số tiền không được có phần lẻ (chỉ ghi đồng chẵn; dấu chấm, dấu phẩy chỉ để tách nhóm ba chữ số). Viết như 1.500.000, 1 500 000 hoặc 1500000.",
    );
    expect(errorMessage("en", e)).toContain("an amount cannot have a decimal part");
    expect(errorMessage("en", e)).toContain("1.500.000, 1 500 000 or 1500000");
  });
  it("names the repayment field as the core does: Số tiền trả, not the loan amount", () => {
    const e = refusal(() => readMoney("", "field.loan.repay_amount"));
    expect(errorField(e)).toBe("loan.repay_amount");
    expect(errorMessage("vi", e)).toMatch(/^Số tiền trả: /);
    const core = { code: "input.invalid", params: { field: "loan.repay_amount", rule: { kind: "range", min: 1, max: 1000 } } };
    expect(errorMessage("vi", core)).toMatch(/^Số tiền trả/);
    expect(errorField(core)).toBe(errorField(e));
  });
  it("says 'not a number' for words, not a range", () => {
    const e = refusal(() => readMoney("abc", "field.ledger.amount"));
    expect(errorMessage("vi", e)).toMatch(/^Số tiền: đây không phải là một số tiền/);
    expect(errorMessage("en", e)).toMatch(/^Amount: this is not an amount of money/);
  });
  it("has words for every reason in both languages, and shows the maximum as đồng", () => {
    for (const reason of ["required", "not_a_number", "negative", "decimal_part", "bad_groups", "too_large"]) {
      for (const lang of ["vi", "en"] as Lang[]) {
        const text = errorMessage(lang, new LocalError(`money.error.${reason}`, "field.ledger.amount"));
        expect(text).not.toContain("money.error");
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }
    expect(errorMessage("vi", refusal(() => readMoney("1.000.000.000.000.000", "field.ledger.amount")))).toContain("999.999.999.999.999 đ");
  });
  it("reads amounts and counts that are right", () => {
    expect(readMoney("1.500.000 đ", "field.ledger.amount")).toBe(1500000);
    expect(readOptionalMoney("  ", "field.activity.value", 0)).toBe(0);
    expect(readOptionalMoney("500.000", "field.activity.value", 0)).toBe(500000);
    expect(readCount("12", "field.loan.months")).toBe(12);
    expect(readCount("", "field.loan.months")).toBe(0);
    expect(errorMessage("vi", refusal(() => readCount("1,5", "field.loan.months")))).toBe(
      "Thời hạn vay (tháng): hãy ghi một số nguyên bằng chữ số, ví dụ 12.",
    );
  });
  it("asks for the acting person in words", () => {
    expect(errorMessage("vi", new LocalError("actor.missing", "actor.label"))).toMatch(/^Chưa chọn người thao tác/);
    expect(errorMessage("en", new LocalError("actor.missing", "actor.label"))).toMatch(/^Nobody is chosen/);
  });
});

describe("codes in messages", () => {
  it("are shown as words, never raw", () => {
    const short = { code: "ledger.cash_short", params: { fund: "activity", account: "cash", on: "2026-11-22", available: 1500, needed: 20000 } };
    expect(errorMessage("vi", short)).toBe("Quỹ hoạt động không đủ tiền mặt ngày 22/11/2026: còn 1.500 đ, cần 20.000 đ. Không có gì được ghi.");
    expect(errorMessage("en", short)).toContain("Not enough cash in the Activity fund on 22/11/2026");
    const status = { code: "loan.wrong_status", params: { id: 3, status: "approved", needed: "applied" } };
    expect(errorMessage("vi", status)).toBe("Khoản vay số 3 đang ở trạng thái \"đã duyệt, chờ giải ngân\", cần \"chờ duyệt\".");
    const role = { code: "ledger.close_role", params: { name: "Lê Thị Hoa", role: "treasurer", month: "2026-10" } };
    expect(errorMessage("vi", role)).toContain("vai trò Thủ quỹ cần thiết để khóa sổ tháng 10/2026");
    // A list of codes (the roles an action needs) is said item by item, as the core says it.
    const forbidden = { code: "auth.forbidden", params: { action: "money", roles: ["treasurer", "chair"] } };
    expect(errorMessage("vi", forbidden)).toBe(
      "Việc \"thu, chi tiền quỹ\" cần người giữ vai trò Thủ quỹ / Chủ nhiệm đăng nhập. Chưa có gì được ghi.",
    );
    expect(errorMessage("en", forbidden)).toContain("the role Treasurer / Chairperson signed in");
  });
  it("every code the core can put in a message has words in both languages", () => {
    const codes: [string, readonly string[]][] = [
      ["fund", FUNDS], ["account", ["cash", "bank", "loans"]], ["role", ROLES], ["status", LOAN_STATUSES], ["needed", LOAN_STATUSES],
      // The commune roll-up's plan measures (`commune::rollup::plan::PlanMeasure`).
      ["measure", ["all_areas_monthly", "themes", "board_trained", "in_need_supported", "older_women", "women", "older",
                   "borrowed", "hamlets_with_club", "meeting_monthly", "within_targets", "meeting_standard", "par30"]],
      ["roles", AUTH_ROLES], ["action", ACTIONS],
    ];
    expect(Object.keys(CODE_PARAMS).sort()).toEqual(codes.map(([p]) => p).sort());
    for (const [param, values] of codes) {
      for (const v of values) {
        const key = CODE_PARAMS[param] + v;
        expect(vi, key).toHaveProperty([key]);
        expect(en, key).toHaveProperty([key]);
        expect(translate("vi", `x {${param}} x`, { [param]: v })).toBe(`x ${(vi as Record<string, string>)[key]} x`);
      }
    }
  });
  it("no Vietnamese error template shows a raw code the core sends", () => {
    const samples: Record<string, unknown> = {
      fund: "income", account: "bank", role: "chair", status: "disbursed", needed: "approved", measure: "older_women",
      roles: ["vice_chair"], action: "write_off",
    };
    for (const lang of ["vi"] as Lang[]) {
      const cat = vi as Record<string, string>;
      for (const [key, template] of Object.entries(cat)) {
        if (!key.startsWith("error.")) continue;
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => n in samples);
        if (names.length === 0) continue;
        const shown = translate(lang, key, samples);
        for (const n of names) expect(shown, `${lang} ${key}`).not.toMatch(new RegExp(`\\b${String(samples[n])}\\b`));
      }
    }
  });
});

describe("memoText", () => {
  it("says the core's notice in the reader's language, months and money as on screen", () => {
    const dues = { code: "memo.dues_month", params: { month: "2026-11", count: 45 } };
    expect(memoText("vi", dues, "")).toBe("Hội phí tháng 11/2026: 45 thành viên");
    expect(memoText("en", dues, "")).toBe("Dues for 11/2026: 45 members");
    const approval = { code: "decision.text.loan_approval", params: { loan_id: 3, amount: 5000000, full_name: "Nguyễn Thị Lan" } };
    expect(memoText("vi", approval, "")).toBe("Duyệt cho vay khoản vay số 3: 5.000.000 đ (Nguyễn Thị Lan)");
    expect(memoText("en", approval, "")).toBe("Loan no. 3 approved: 5.000.000 đ (Nguyễn Thị Lan)");
  });
  it("puts what was typed after the notice, and alone when the core said nothing", () => {
    expect(memoText("en", { code: "memo.fundraising", params: {} }, "Đêm văn nghệ")).toBe("Fundraising: Đêm văn nghệ");
    expect(memoText("en", null, "Hội phí tháng 01/2026: 3 thành viên")).toBe("Hội phí tháng 01/2026: 3 thành viên");
    expect(memoText("vi", undefined, "")).toBe("");
  });
  it("never reads a typed name as a placeholder", () => {
    const count = { code: "memo.cash_count", params: { counted_by: "{witness}", witness: "Lê Thị Hoa" } };
    expect(memoText("vi", count, "")).toBe("Kiểm kê quỹ tiền mặt: {witness}, chứng kiến Lê Thị Hoa");
  });
});

describe("words a person reads in the window", () => {
  it("never shows a raw system error or a command-line flag", () => {
    const missing = { code: "bundle.read_failed", params: { path: "/media/usb/goi.zip", detail: "No such file or directory (os error 2)" } };
    const said = errorMessage("vi", missing);
    expect(said).not.toMatch(/os error|No such file/);
    expect(said).toContain("không có tệp hoặc thư mục này");
    const key = { code: "key.invalid", params: { detail: "Invalid checksum" } };
    expect(errorMessage("vi", key)).toContain("khóa bị chép thiếu hoặc sai ký tự");
    expect(errorMessage("vi", key)).not.toMatch(/Invalid checksum/);
    const dup = { code: "member.duplicate", params: { full_name: "Lê Thị Hoa", birth_year: 1958, existing_id: 3 } };
    expect(errorMessage("vi", dup)).not.toMatch(/--/);
    expect(errorMessage("vi", dup)).toContain(translate("vi", "members.save_anyway"));
    expect(errorMessage("en", dup)).not.toMatch(/--/);
  });
  it("keeps a detail it has no words for", () => {
    expect(plainDetail("vi", "zip: bad header")).toBe("zip: bad header");
  });
});

describe("passphraseRefused", () => {
  it("is a wrong passphrase or a passphrase that breaks its rule, nothing else", () => {
    expect(passphraseRefused({ code: "key.wrong_passphrase", params: { field: "key.passphrase" } })).toBe(true);
    expect(passphraseRefused({ code: "input.invalid", params: { field: "key.passphrase", rule: { kind: "too_short", min: 8 } } })).toBe(true);
    expect(passphraseRefused({ code: "bundle.folder_missing", params: { path: "/media/usb" } })).toBe(false);
    expect(passphraseRefused({ code: "input.invalid", params: { field: "bundle.period", rule: { kind: "required" } } })).toBe(false);
    expect(passphraseRefused(new Error("x"))).toBe(false);
  });
});
