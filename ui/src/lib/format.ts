// How money and dates look on screen in Vietnam: "1.234.567 đ", "dd/mm/yyyy".

/** Whole đồng with dots between thousands: 1234567 → "1.234.567 đ". */
export function money(n: number): string {
  return `${grouped(n)} đ`;
}

/** Dots between thousands, as an amount is typed back into a money field: 1234567 → "1.234.567". */
export function grouped(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = Math.abs(Math.trunc(n)).toString();
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".")}`;
}

/** A file's size in whole kilobytes, rounded up, thousands dotted: 51888 → "51 KB". */
export function kb(bytes: number): string {
  return `${grouped(Math.ceil(bytes / 1024))} KB`;
}

/** "2026-11-22" → "22/11/2026"; anything else is returned unchanged. */
export function date(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * A moment stored in UTC (RFC 3339, the audit trail's `at`) as the laptop's clock shows it:
 * "22/11/2026 14:05". `offsetMinutes` is as `Date.getTimezoneOffset` gives it (-420 in Vietnam).
 * Anything that is not a moment is returned unchanged.
 */
export function dateTime(iso: string, offsetMinutes?: number): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(iso)) return iso;
  const local = new Date(at.getTime() - (offsetMinutes ?? at.getTimezoneOffset()) * 60000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
}

/** What people type — "22/11/2026", "2/3/26", "2026-11-22" — as ISO, or null if it is not a real date. */
export function parseDate(text: string): string | null {
  const s = text.trim();
  let y: number, m: number, d: number;
  let iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
    if (!dmy) return null;
    [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
    if (dmy[3].length === 2) y += 2000;
  }
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The largest amount a typed money field accepts (as in the shared vectors, assets/vectors/money.json). */
export const MONEY_MAX = 999_999_999_999_999;

/** Why a typed amount was refused: the codes of assets/vectors/money.json, one catalogue key each. */
export type MoneyReason = "required" | "not_a_number" | "negative" | "decimal_part" | "bad_groups" | "too_large";
export type MoneyParse = { ok: true; value: number } | { ok: false; reason: MoneyReason };

const SEPARATORS = new Set([".", ",", " ", "\u00a0", "\u202f"]);
/** The three spaces are one kind of separator; "." and "," are each their own. */
const sepKind = (c: string) => (c === "." || c === "," ? c : " ");

/**
 * Typed money in whole đồng, the one grammar shared with the core (crates/core, same vectors): "1.500.000",
 * "1500000", "1 500 000", "1,500,000", an optional trailing đ / đồng / VNĐ / VND. Never guesses: a decimal
 * part or groups that are not three digits are refused with the reason, not read as another amount.
 */
export function parseMoney(text: string): MoneyParse {
  // Lower case changes no digit or separator, and lets "VNĐ" match "vnđ".
  const s = text.normalize("NFC").trim().toLowerCase().replace(/\s*(?:đồng|vnđ|vnd|đ)$/, "").trim();
  if (s === "") return { ok: false, reason: "required" };
  if (s.startsWith("-")) return { ok: false, reason: "negative" };
  for (const c of s) if (!(c >= "0" && c <= "9") && !SEPARATORS.has(c)) return { ok: false, reason: "not_a_number" };
  if (!/\d/.test(s)) return { ok: false, reason: "not_a_number" };
  // Digits and single separators, alternating, starting and ending with digits.
  const groups: string[] = [];
  const seps: string[] = [];
  let cur = "";
  for (const c of s) {
    if (SEPARATORS.has(c)) {
      if (cur === "") return { ok: false, reason: "bad_groups" };
      groups.push(cur);
      seps.push(c);
      cur = "";
    } else cur += c;
  }
  if (cur === "") return { ok: false, reason: "bad_groups" };
  groups.push(cur);
  if (groups.length > 1) {
    const kinds = seps.map(sepKind);
    const last = kinds[kinds.length - 1];
    if (kinds.every((k) => k === last)) {
      const grouped = groups[0].length <= 3 && groups.slice(1).every((g) => g.length === 3);
      if (!grouped) {
        const decimal = seps.length === 1 && last !== " " && groups[1].length <= 2;
        return { ok: false, reason: decimal ? "decimal_part" : "bad_groups" };
      }
    } else {
      const decimal = last !== " " && kinds.slice(0, -1).every((k) => k !== last);
      return { ok: false, reason: decimal ? "decimal_part" : "bad_groups" };
    }
  }
  const digits = groups.join("").replace(/^0+(?=\d)/, "");
  if (digits.length > String(MONEY_MAX).length || Number(digits) > MONEY_MAX) return { ok: false, reason: "too_large" };
  return { ok: true, value: Number(digits) };
}

/** A percentage with one decimal: "66,7 %" in Vietnamese, "66.7 %" in English. */
export function pct(x: number, lang: "vi" | "en"): string {
  return `${decimal((Math.round(x * 10) / 10).toFixed(1), lang)} %`;
}

/** A number as written in `lang`: "2,5" in Vietnamese, "2.5" in English; whole numbers as they are. */
export function num(x: number, lang: "vi" | "en"): string {
  return decimal(String(x), lang);
}

/** A decimal the core sends as text ("1.5", an interest rate) with the decimal sign of `lang`. */
export function decimal(text: string, lang: "vi" | "en"): string {
  return lang === "vi" ? text.replace(".", ",") : text;
}

/** A rate per cent the core sends as text: "1.5" → "1,5 %" in Vietnamese, "1.5 %" in English. */
export function rate(text: string, lang: "vi" | "en"): string {
  return `${decimal(text, lang)} %`;
}

/** The numbers of the instalments a loan payment paid, "1, 2" ("" when none was recorded). */
export function instalmentNos(paid: readonly { no: number }[]): string {
  return paid.map((x) => x.no).join(", ");
}

/** "2026-11" → "11/2026". */
export function month(ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  return m ? `${m[2]}/${m[1]}` : ym;
}
