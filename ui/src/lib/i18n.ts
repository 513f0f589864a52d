// Words for keys and error codes, from the catalogue shared with the Rust CLI (assets/i18n).
import type { ApiError } from "./shell";
import type { Notice } from "./bindings";
import vi from "../../../assets/i18n/vi.json";
import en from "../../../assets/i18n/en.json";
import paramRules from "../../../assets/i18n/params.json";
import { date, money, MONEY_MAX, parseMoney } from "./format";

export type Lang = "vi" | "en";
type Catalogue = Record<string, string>;
const catalogues: Record<Lang, Catalogue> = { vi: vi as Catalogue, en: en as Catalogue };

function valueText(v: unknown): string {
  if (Array.isArray(v)) return v.map(valueText).join(", ");
  if (v === null || v === undefined) return "";
  if (typeof v === "string") {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return date(v);
    if (/^\d{4}-\d{2}$/.test(v)) return `${v.slice(5)}/${v.slice(0, 4)}`;
    return v;
  }
  return String(v);
}

/**
 * How parameters are shown, from `assets/i18n/params.json` (the core reads the same file): which are
 * sums of money in đồng, and which carry a code the core owns ("activity", "cash", "chair",
 * "approved"), shown as the catalogue's words for that code, never raw. A code with no words is
 * shown as it is.
 */
const MONEY_PARAMS: string[] = paramRules.money;
export const CODE_PARAMS: Record<string, string> = paramRules.codes;

function paramText(lang: Lang, name: string, v: unknown): string {
  if (typeof v === "number" && MONEY_PARAMS.includes(name)) return money(v);
  if (typeof v === "string" && name in CODE_PARAMS) {
    const key = CODE_PARAMS[name] + v;
    const words = catalogues[lang][key] ?? catalogues.vi[key];
    if (words !== undefined) return words;
  }
  // A list of codes (the roles an action needs): each in words, " / " between (as the core says it).
  if (Array.isArray(v) && name in CODE_PARAMS) {
    return v.map((item) => (typeof item === "string" ? paramText(lang, name, item) : valueText(item))).join(" / ");
  }
  return valueText(v);
}

/** Replace each {name} with its parameter; ISO dates become dd/mm/yyyy, money 1.234.567 đ, codes words. */
export function fill(template: string, params?: Record<string, unknown>, lang: Lang = "vi"): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? paramText(lang, name, params[name]) : whole));
}

/** The text for `key` in `lang`, falling back to Vietnamese, then to the key itself. */
export function translate(lang: Lang, key: string, params?: Record<string, unknown>): string {
  const text = catalogues[lang][key] ?? catalogues.vi[key] ?? key;
  return fill(text, params, lang);
}

/**
 * A voucher's memo or a decision's text in words, as the core's `i18n::memo_text` says it: what the
 * core said (`notice`, a `memo.*` or `decision.text.*` key with raw parameters) in `lang`, then what
 * a person typed after it; the typed text alone when there is no notice (entries written before
 * notices keep the sentence composed then).
 */
export function memoText(lang: Lang, notice: Notice | null | undefined, typed: string): string {
  if (!notice) return typed;
  const what = translate(lang, notice.code, notice.params as Record<string, unknown>);
  return typed === "" ? what : translate(lang, "memo.with_note", { what, note: typed });
}

/**
 * A refusal the window finds before sending anything (a typed amount it cannot read, nobody chosen as
 * the acting person): a catalogue key, and the catalogue key of the field it is about. The words are
 * looked up when shown, so they follow the language switch.
 */
export class LocalError {
  constructor(
    readonly key: string,
    readonly field: string | null = null,
    readonly params: Record<string, unknown> = {},
  ) {}
}

/** The whole đồng typed in a money field, or a LocalError naming the field and saying why (and the accepted forms). */
export function readMoney(text: string, field: string): number {
  const r = parseMoney(text);
  if (!r.ok) throw new LocalError(`money.error.${r.reason}`, field);
  return r.value;
}

/** A count typed in digits ("12"; empty is 0), or a LocalError naming the field. */
export function readCount(text: string, field: string, params: Record<string, unknown> = {}): number {
  const s = text.trim();
  if (s === "") return 0;
  if (!/^\d{1,9}$/.test(s)) throw new LocalError("number.not_whole", field, params);
  return Number(s);
}

/** As readMoney, but an empty field is `empty` (for optional amounts). */
export function readOptionalMoney<T>(text: string, field: string, empty: T): number | T {
  return text.trim() === "" ? empty : readMoney(text, field);
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string";
}

/**
 * Was a signing key's passphrase refused (wrong, or breaking its rule)? The send pages empty the
 * field then, so it is typed again; a failure of the folder or the stick keeps it.
 */
export function passphraseRefused(e: unknown): boolean {
  return isApiError(e) && (e.code === "key.wrong_passphrase" || errorField(e) === "key.passphrase");
}

/** An error's parameters (some codes have none). */
function paramsOf(e: ApiError): Record<string, unknown> {
  return "params" in e ? { ...(e.params as Record<string, unknown>) } : {};
}

/** Is there words for `key` in the catalogue (in this language or Vietnamese)? */
function has(lang: Lang, key: string): boolean {
  return translate(lang, key) !== key;
}

/**
 * The system's own words for a failure ("No such file or directory (os error 2)", minisign's
 * "Invalid checksum") replaced by the catalogue's (`detail.*`); a detail with no words is kept.
 */
export function plainDetail(lang: Lang, detail: string): string {
  const os = /\(os error (\d+)\)/.exec(detail);
  if (os && has(lang, `detail.os.${os[1]}`)) return translate(lang, `detail.os.${os[1]}`);
  if (/invalid checksum/i.test(detail)) return translate(lang, "detail.invalid_checksum");
  return detail;
}

/** A sentence for whatever a command rejected with. */
export function errorMessage(lang: Lang, e: unknown): string {
  if (e instanceof LocalError) {
    const field = e.field ? translate(lang, e.field, e.params) : "";
    return translate(lang, e.key, { ...e.params, field, max: money(MONEY_MAX) });
  }
  if (!isApiError(e)) return translate(lang, "error.unknown", { detail: String(e) });
  const params = paramsOf(e);
  if (e.code === "input.invalid") {
    const rule = (params.rule ?? {}) as Record<string, unknown>;
    const ruleText = translate(lang, `rule.${String(rule.kind)}`, rule);
    const field = translate(lang, `field.${String(params.field)}`);
    return translate(lang, `error.${e.code}`, { field, rule: ruleText });
  }
  if (typeof params.detail === "string") params.detail = plainDetail(lang, params.detail);
  // Some messages name a command-line flag (--allow-duplicate); the window has its own words for them.
  const key = has(lang, `window.error.${e.code}`) ? `window.error.${e.code}` : `error.${e.code}`;
  return translate(lang, key, params);
}

/** The field an error is about, so a form can mark it. */
export function errorField(e: unknown): string | null {
  if (e instanceof LocalError) return e.field?.replace(/^field\./, "") ?? null;
  if (isApiError(e) && e.code === "input.invalid") return e.params.field;
  // A refusal about one field that is not a broken rule (a wrong passphrase) names it too.
  const field = isApiError(e) ? paramsOf(e).field : undefined;
  return typeof field === "string" ? field : null;
}
