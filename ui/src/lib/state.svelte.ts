// The window's own state: language, who is acting, which club. Remembered between sessions.
import { errorMessage, translate, type Lang } from "./i18n";

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

export function setLang(lang: Lang) {
  ui.lang = lang;
  store("ishc.lang", lang);
}

export function setActor(name: string) {
  ui.actor = name;
  store("ishc.actor", name);
}
