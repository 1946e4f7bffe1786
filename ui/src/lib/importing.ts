// The import screen's logic, kept out of the components so that it can be tested: the options
// sent to the Rust side, the mapping built in the editor and its TOML text, and the figures
// shown while and after importing.
import type { FieldInfo } from "./bindings/FieldInfo";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { Kind } from "./bindings/Kind";
import type { PreviewRow } from "./bindings/PreviewRow";
import { formatNumber, t, type Key } from "./i18n.svelte";

/** The preset select's value for "the mapping built here". */
export const OWN_MAPPING = "mapping";

/** What the user chose on the import screen; "" means "as detected". */
export interface ImportSettings {
  kind: Kind;
  /** "" (detect), a preset name, or OWN_MAPPING. */
  preset: string;
  encoding: string;
  delimiter: string;
  /** "" (the usual double quote), "'" or "none". */
  quote: string;
  /** "" (any line end: CR LF, LF or a lone CR), "lf", "crlf" or "cr". */
  lineEnds: string;
  /** "" (as the layout says), "yes" or "no". */
  header: "" | "yes" | "no";
  utcOffset: string;
  replace: boolean;
}

export function defaultSettings(kind: Kind = "calls"): ImportSettings {
  return { kind, preset: "", encoding: "", delimiter: "", quote: "", lineEnds: "", header: "", utcOffset: "", replace: false };
}

export const DELIMITERS: { value: string; label: Key }[] = [
  { value: ",", label: "delimiter.comma" },
  { value: ";", label: "delimiter.semicolon" },
  { value: "tab", label: "delimiter.tab" },
  { value: "|", label: "delimiter.pipe" },
];

export const LINE_ENDS: { value: string; label: Key }[] = [
  { value: "lf", label: "lineEnds.lf" },
  { value: "crlf", label: "lineEnds.crlf" },
  { value: "cr", label: "lineEnds.cr" },
];

/** Encodings that can be forced, with their names and what they are for. */
export const ENCODINGS: { value: string; name: string; note?: Key }[] = [
  { value: "utf-8", name: "UTF-8" },
  { value: "utf-16le", name: "UTF-16 LE" },
  { value: "utf-16be", name: "UTF-16 BE" },
  { value: "windows-1254", name: "Windows-1254", note: "encoding.turkish" },
  { value: "iso-8859-9", name: "ISO-8859-9", note: "encoding.turkish" },
  { value: "windows-1252", name: "Windows-1252", note: "encoding.western" },
];

/** An encoding as the select shows it: "Windows-1254 (Turkish)". */
export function encodingLabel(e: { name: string; note?: Key }): string {
  return e.note ? t(e.note, { name: e.name }) : e.name;
}

/** Timestamp formats offered in the mapping editor (chrono syntax). */
export const TIME_FORMATS: { value: string; example: string }[] = [
  { value: "%d.%m.%Y %H:%M:%S", example: "01.03.2024 09:00:05" },
  { value: "%d/%m/%Y %H:%M:%S", example: "01/03/2024 09:00:05" },
  { value: "%m/%d/%Y %H:%M:%S", example: "03/01/2024 09:00:05" },
  { value: "%m/%d/%Y %I:%M:%S %p", example: "03/01/2024 09:00:05 AM" },
  { value: "%d.%m.%Y", example: "01.03.2024" },
  { value: "%m/%d/%Y", example: "03/01/2024" },
  { value: "%y%m%d %H:%M:%S", example: "240301 09:00:05" },
  { value: "%Y%m%d%H%M%S", example: "20240301090005" },
];

/** A "+HH:MM" / "-HH:MM" offset (or nothing, meaning "as the preset says"). */
export function validOffset(text: string): boolean {
  return text.trim() === "" || /^[+-]\d{2}:\d{2}$/.test(text.trim());
}

/** The options of an import (or preview) with these settings. */
export function importOptions(s: ImportSettings, mappingToml: string | null): ImportOptions {
  const blank = (v: string) => (v.trim() === "" ? null : v.trim());
  const own = s.preset === OWN_MAPPING;
  return {
    kind: s.kind,
    preset: own ? null : blank(s.preset),
    mapping: null,
    mapping_toml: own ? mappingToml : null,
    header: s.header === "" ? null : s.header === "yes",
    replace: s.replace,
    source: {
      encoding: blank(s.encoding),
      delimiter: blank(s.delimiter),
      quote: blank(s.quote),
      line_ends: blank(s.lineEnds),
    },
    utc_offset: blank(s.utcOffset),
  };
}

// ---- the mapping editor -------------------------------------------------------------------------

/** Where one canonical field comes from in a mapping built in the app. */
export interface FieldDraft {
  source: "none" | "column" | "value" | "datetime";
  column: string;
  value: string;
  date: string;
  time: string;
  format: string;
  /** Source value -> canonical value ("" = unknown). Values not listed pass through. */
  map: Record<string, string>;
  /** Source values whose rows are not records. */
  skip: string[];
}

export interface MappingDraft {
  name: string;
  kind: Kind;
  decimalComma: boolean;
  fields: Record<string, FieldDraft>;
}

export function emptyField(): FieldDraft {
  return { source: "none", column: "", value: "", date: "", time: "", format: "", map: {}, skip: [] };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A mapping name from a file name: `ACME Export 2024.csv` -> `acme-export-2024`, `Çağrı.csv` -> `cagri`. */
export function mappingName(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, "");
  const slug = stem
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ı/g, "i")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "my-layout" : slug;
}

/** A first draft: each field from the column of the same name, if the file has one. */
export function initialDraft(kind: Kind, fileName: string, columns: string[], fields: FieldInfo[]): MappingDraft {
  const draft: MappingDraft = { name: mappingName(fileName), kind, decimalComma: false, fields: {} };
  for (const f of fields) {
    const field = emptyField();
    const column = columns.find((c) => same(c, f.name));
    if (column !== undefined) {
      field.source = "column";
      field.column = column;
    }
    draft.fields[f.name] = field;
  }
  return draft;
}

/** The distinct non-empty values of a column in the previewed rows, sorted, at most `limit`. */
export function distinctValues(rows: PreviewRow[], columns: string[], column: string, limit = 12): string[] {
  const i = columns.indexOf(column);
  if (i < 0) return [];
  const seen = new Set<string>();
  for (const row of rows) {
    const v = (row.fields[i] ?? "").trim();
    if (v !== "") seen.add(v);
  }
  return [...seen].sort((a, b) => a.localeCompare(b)).slice(0, limit);
}

/** A TOML basic string: quotes, backslashes and control characters escaped. */
export function tomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

function inlineTable(entries: [string, string][]): string {
  return `{ ${entries.map(([k, v]) => `${tomlString(k)} = ${tomlString(v)}`).join(", ")} }`;
}

/** Settings of the screen that a saved mapping keeps. */
export interface MappingExtras {
  utcOffset: string;
  header: "" | "yes" | "no";
  delimiter: string;
  encoding: string;
}

/** The mapping file (docs/mapping.md) for a draft. */
export function mappingToml(draft: MappingDraft, fields: FieldInfo[], extras: MappingExtras): string {
  const lines = ["[mapping]", `name = ${tomlString(draft.name.trim() || "my-layout")}`, `kind = ${tomlString(draft.kind)}`];
  if (extras.utcOffset.trim() !== "") lines.push(`utc_offset = ${tomlString(extras.utcOffset.trim())}`);
  if (extras.delimiter !== "") lines.push(`delimiter = ${tomlString(extras.delimiter)}`);
  if (extras.encoding !== "") lines.push(`encoding = ${tomlString(extras.encoding)}`);
  if (draft.decimalComma) lines.push("decimal_comma = true");
  if (extras.header === "no") lines.push("header = false");
  for (const info of fields) {
    const f = draft.fields[info.name];
    if (!f || f.source === "none") continue;
    const body: string[] = [];
    if (f.source === "column") {
      if (f.column === "") continue;
      body.push(`column = ${tomlString(f.column)}`);
    } else if (f.source === "value") {
      if (f.value.trim() === "") continue;
      body.push(`value = ${tomlString(f.value.trim())}`);
    } else {
      if (f.date === "") continue;
      body.push(`date = ${tomlString(f.date)}`);
      if (f.time !== "") body.push(`time = ${tomlString(f.time)}`);
    }
    if (info.ty === "timestamp" && f.source !== "value" && f.format.trim() !== "") {
      body.push(`format = [${tomlString(f.format.trim())}]`);
    }
    if (f.source === "column") {
      const map = Object.entries(f.map).filter(([k]) => !f.skip.includes(k));
      if (map.length > 0) body.push(`map = ${inlineTable(map)}`);
      if (f.skip.length > 0) {
        body.push(`skip = ${inlineTable(f.skip.map((v) => [v, `${info.name} is ${v}`]))}`);
      }
    }
    lines.push("", `[field.${info.name}]`, ...body);
  }
  return lines.join("\n") + "\n";
}

// ---- figures ------------------------------------------------------------------------------------

export function formatCount(n: number): string {
  return formatNumber(n, { maximumFractionDigits: 0 });
}

export function formatRate(rowsPerSecond: number): string {
  return t("rows.perSecond", { n: Math.round(rowsPerSecond) });
}

function fixed(x: number, digits: number): string {
  return formatNumber(x, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Whole per cent of `part` in `total` (0 when the total is unknown), never above 100. */
export function percent(part: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((part * 100) / total));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return t("duration.ms", { n: ms });
  const s = ms / 1000;
  if (s < 60) return t("duration.s", { n: fixed(s, 1) });
  return t("duration.min", { m: Math.floor(s / 60), s: Math.round(s % 60) });
}

/** How a delimiter is shown. */
export function delimiterLabel(d: string): string {
  const known = DELIMITERS.find((x) => x.value === d);
  return known ? t(known.label) : d;
}

/** Pages of `size` needed for `total` rows (at least one). */
export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The file name offered for the rejected rows of an import of `fileName`. */
export function rejectedFileName(fileName: string): string {
  return `${fileName.replace(/\.[^.]*$/, "") || "import"}-rejected.csv`;
}

/**
 * The canonical fields worth a column in the previewed records: the required ones and those
 * that some shown record has, in spec order, then any others (QA checks) in order of appearance.
 */
export function recordColumns(fields: FieldInfo[], rows: PreviewRow[]): string[] {
  const used = new Set<string>();
  const extra: string[] = [];
  for (const row of rows) {
    if (row.result?.status !== "record") continue;
    for (const v of row.result.values) {
      used.add(v.field);
      if (!fields.some((f) => f.name === v.field) && !extra.includes(v.field)) extra.push(v.field);
    }
  }
  return [...fields.filter((f) => f.required || used.has(f.name)).map((f) => f.name), ...extra];
}

/** A shown row's value of `field` ("" when it has none or is not a record). */
export function recordValue(row: PreviewRow, field: string): string {
  if (row.result?.status !== "record") return "";
  return row.result.values.find((v) => v.field === field)?.value ?? "";
}

/** A previewed row's result in words. */
export function rowStatusLabel(status: string): string {
  switch (status) {
    case "record":
      return t("row.record");
    case "rejected":
      return t("row.rejected");
    case "skipped":
      return t("row.skipped");
    case "folded":
      return t("row.folded");
    default:
      return status;
  }
}
