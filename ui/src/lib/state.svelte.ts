// The window's own state: language (remembered between sessions), which club, and the name of who is
// signed in (shown only: the shell holds the signed-in person and every write uses it).
import { errorMessage, memoText, translate, type Lang } from "./i18n";
import type { Notice } from "./bindings";

function stored(key: string): string {
  try {
    return localStorage.getItem(key) ?? "";
  } catch {
    return "";
  }
}

function store(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode: not remembered, still works */
  }
}

export const ui = $state({
  lang: (stored("ishc.lang") === "en" ? "en" : "vi") as Lang,
  actor: "",
  clubId: 0,
  today: "",
});

export function t(key: string, params?: Record<string, unknown>): string {
  return translate(ui.lang, key, params);
}

export function msg(e: unknown): string {
  return errorMessage(ui.lang, e);
}

/** A memo (or a decision's text) in the window's language: the core's notice, then what was typed. */
export function memo(notice: Notice | null | undefined, typed: string): string {
  return memoText(ui.lang, notice, typed);
}

export function setLang(lang: Lang) {
  ui.lang = lang;
  store("ishc.lang", lang);
}
