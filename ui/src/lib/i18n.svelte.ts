// The app's own text in the user's language: English (the source of every key), Turkish
// (complete) and Persian (partial; missing keys fall back to English). One setting,
// `clausewise.lang`, chooses the language of the app and of the checklist text (when the
// checklist has that language). Dates and numbers are formatted with Intl in the same locale.
//
// To add a string: add its key and English text to locales/en.ts, then the Turkish text to
// locales/tr.ts (the type checker and i18n.test.ts refuse a missing key or a different set of
// {parameters}); Persian in locales/fa.ts is optional. Use it as t("area.key", { n: 3 }).
import en, { type Key, type Message } from "./locales/en";
import fa from "./locales/fa";
import tr from "./locales/tr";

export type { Key, Message };
export type Locale = "en" | "tr" | "fa";
export type Params = Record<string, string | number>;

export const LOCALES: { code: Locale; name: string; dir: "ltr" | "rtl" }[] = [
  { code: "en", name: "English", dir: "ltr" },
  { code: "tr", name: "Türkçe", dir: "ltr" },
  { code: "fa", name: "فارسی", dir: "rtl" },
];

const CATALOGUES: Record<Locale, Partial<Record<Key, Message>>> = { en, tr, fa };

/** Where the language is remembered (shared with the checklist language). */
export const STORAGE_KEY = "clausewise.lang";

export function isLocale(code: string | null): code is Locale {
  return code === "en" || code === "tr" || code === "fa";
}

function stored(): Locale {
  try {
    const code = localStorage.getItem(STORAGE_KEY);
    return isLocale(code) ? code : "en";
  } catch {
    return "en";
  }
}

/** The language in force; reading it in a template makes the template follow changes. */
export const i18n = $state<{ locale: Locale }>({ locale: stored() });

/** Chooses the language, remembers it and sets `lang` and `dir` on the document. */
export function setLocale(code: Locale): void {
  i18n.locale = code;
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Private mode: the choice lasts until the window closes.
  }
  applyToDocument();
}

export function direction(code: Locale = i18n.locale): "ltr" | "rtl" {
  return LOCALES.find((l) => l.code === code)?.dir ?? "ltr";
}

export function applyToDocument(): void {
  if (typeof document === "undefined") return;
  document.documentElement.lang = i18n.locale;
  document.documentElement.dir = direction();
}

// Formatters are costly to build: one per locale and options (a cache, not state).
const numberFormats: Record<string, Intl.NumberFormat> = {};

/** A number in the locale's digits and separators. */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}, locale: Locale = i18n.locale): string {
  const key = `${locale}|${JSON.stringify(options)}`;
  numberFormats[key] ??= new Intl.NumberFormat(locale === "en" ? "en-GB" : locale, options);
  return numberFormats[key].format(n);
}

/** A size in bytes in binary units, in the locale's digits: `512 B`, `548.2 KiB`, `12.0 MiB`. */
export function formatBytes(n: number, locale: Locale = i18n.locale): string {
  const fixed = (x: number, digits: number) =>
    formatNumber(x, { minimumFractionDigits: digits, maximumFractionDigits: digits }, locale);
  if (n < 1024) return `${formatNumber(n, { maximumFractionDigits: 0 }, locale)} B`;
  if (n < 1024 * 1024) return `${fixed(n / 1024, 1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${fixed(n / 1024 / 1024, 1)} MiB`;
  return `${fixed(n / 1024 / 1024 / 1024, 2)} GiB`;
}

/** A date (`YYYY-MM-DD…`) or timestamp (RFC 3339) in the locale's words; the text as given if unreadable. */
export function formatDate(iso: string, withTime = false, locale: Locale = i18n.locale): string {
  const date = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date)) return iso;
  const options: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }
    : { dateStyle: "medium", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : locale, options).format(date);
}

/** The message of `key` in `locale`, or in English when that locale lacks it. */
export function message(key: Key, locale: Locale = i18n.locale): Message {
  return CATALOGUES[locale][key] ?? en[key];
}

/**
 * The text of `key` with its {parameters} filled in. A message with plural forms picks the
 * form for the parameter `n` by the locale's plural rules. Numbers are formatted in the locale.
 */
export function t(key: Key, params: Params = {}, locale: Locale = i18n.locale): string {
  const m = message(key, locale);
  let text: string;
  if (typeof m === "string") {
    text = m;
  } else {
    const n = Number(params.n ?? 0);
    const form = new Intl.PluralRules(locale).select(n) as keyof typeof m;
    text = m[form] ?? m.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === "number" ? formatNumber(v, {}, locale) : v;
  });
}

/** Upper case by the locale's rules (Turkish: i → İ, ı → I). */
export function upper(text: string, locale: Locale = i18n.locale): string {
  return text.toLocaleUpperCase(locale);
}

/** The {parameters} a message uses, in every plural form. */
export function parametersOf(m: Message): string[] {
  const texts = typeof m === "string" ? [m] : Object.values(m).filter((x): x is string => typeof x === "string");
  const names: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(/\{(\w+)\}/g)) if (!names.includes(match[1])) names.push(match[1]);
  }
  return names.sort();
}

function digitsOf(digits: number | undefined): Intl.NumberFormatOptions {
  return digits === undefined
    ? { maximumFractionDigits: 2 }
    : { minimumFractionDigits: digits, maximumFractionDigits: digits };
}

/** A number already in per cent, with its sign where the locale puts it: 65.7 → "65.7 %" / "%65,7". */
export function percentText(x: number, digits?: number, locale: Locale = i18n.locale): string {
  return t("unit.percent", { x: formatNumber(x, digitsOf(digits), locale) }, locale);
}

/** Seconds with their unit: 30 → "30 s" / "30 sn". */
export function secondsText(x: number, digits?: number, locale: Locale = i18n.locale): string {
  return t("unit.seconds", { x: formatNumber(x, digitsOf(digits), locale) }, locale);
}
