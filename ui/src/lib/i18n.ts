// Words for keys and error codes, from the catalogue shared with the Rust CLI (assets/i18n).
import vi from "../../../assets/i18n/vi.json";
import en from "../../../assets/i18n/en.json";
import { date, money } from "./format";

export type Lang = "vi" | "en";
type Catalogue = Record<string, string>;
const catalogues: Record<Lang, Catalogue> = { vi: vi as Catalogue, en: en as Catalogue };

function valueText(v: unknown): string {
  if (Array.isArray(v)) return v.map(valueText).join(", ");
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return /^\d{4}-\d{2}-\d{2}$/.test(v) ? date(v) : v;
  return String(v);
}

/** Parameters that are sums of money in đồng (as in the core's i18n::MONEY_PARAMS). */
const MONEY_PARAMS = ["amount", "owed", "cap", "available", "needed"];

/** Replace each {name} with its parameter; ISO dates become dd/mm/yyyy, money 1.234.567 đ. */
export function fill(template: string, params?: Record<string, unknown>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const v = params[name];
    return typeof v === "number" && MONEY_PARAMS.includes(name) ? money(v) : valueText(v);
  });
}

/** The text for `key` in `lang`, falling back to Vietnamese, then to the key itself. */
export function translate(lang: Lang, key: string, params?: Record<string, unknown>): string {
  const text = catalogues[lang][key] ?? catalogues.vi[key] ?? key;
  return fill(text, params);
}

export type ApiError = { code: string; params?: Record<string, unknown> };

function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && typeof (e as ApiError).code === "string";
}

/** A sentence for whatever a command rejected with. */
export function errorMessage(lang: Lang, e: unknown): string {
  if (!isApiError(e)) return translate(lang, "error.unknown", { detail: String(e) });
  const params = (e.params ?? {}) as Record<string, unknown>;
  if (e.code === "input.invalid" || e.code === "arg.invalid") {
    const rule = (params.rule ?? {}) as Record<string, unknown>;
    const ruleText = translate(lang, `rule.${String(rule.kind)}`, rule);
    const field = translate(lang, `field.${String(params.field)}`);
    return translate(lang, `error.${e.code}`, { field, rule: ruleText });
  }
  return translate(lang, `error.${e.code}`, params);
}

/** The field an error is about, so a form can mark it. */
export function errorField(e: unknown): string | null {
  if (isApiError(e) && e.code === "input.invalid") return String((e.params as Record<string, unknown>)?.field ?? "");
  return null;
}
