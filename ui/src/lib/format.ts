// How money and dates look on screen in Vietnam: "1.234.567 đ", "dd/mm/yyyy".

/** Whole đồng with dots between thousands: 1234567 → "1.234.567 đ". */
export function money(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = Math.abs(Math.trunc(n)).toString();
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;
}

/** "2026-11-22" → "22/11/2026"; anything else is returned unchanged. */
export function date(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
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

/** "1.234.567", "1234567 đ", "1,234,567" → 1234567; null when it is not a whole amount. */
export function parseMoney(text: string): number | null {
  const s = text.replace(/đ/g, "").replace(/[.,\s]/g, "");
  if (!/^-?\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** A percentage with one decimal: "66,7 %" in Vietnamese, "66.7 %" in English. */
export function pct(x: number, lang: "vi" | "en"): string {
  const s = (Math.round(x * 10) / 10).toFixed(1);
  return `${lang === "vi" ? s.replace(".", ",") : s} %`;
}

/** "2026-11" → "11/2026". */
export function month(ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  return m ? `${m[2]}/${m[1]}` : ym;
}
