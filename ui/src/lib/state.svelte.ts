// The window's own state: language, who is acting, which club. Remembered between sessions.
import { errorMessage, LocalError, memoText, translate, type Lang } from "./i18n";
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
  actor: stored("ishc.actor"),
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

export function setActor(name: string) {
  ui.actor = name;
  store("ishc.actor", name);
}

/**
 * The acting person for a write, or a LocalError saying that nobody is chosen: the window never picks
 * someone on the user's behalf, and says so in words before anything is sent.
 */
export function actor(): string {
  if (!ui.actor) throw new LocalError("actor.missing", "actor.label");
  return ui.actor;
}
