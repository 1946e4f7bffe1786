// Pure helpers for the report screen: file names, sizes, stages and lookups. No I/O, unit-tested.
import type { ClausePart } from "./bindings/ClausePart";
import type { Driver } from "./bindings/Driver";
import type { MetricPart } from "./bindings/MetricPart";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { ReportLang } from "./bindings/ReportLang";
import type { ReportStage } from "./bindings/ReportStage";
import type { Key } from "./i18n.svelte";

/** The export buttons, in order. */
export const EXPORTS: { format: ReportFormat; label: Key; ext: string }[] = [
  { format: "pdf", label: "export.pdf", ext: "pdf" },
  { format: "html", label: "export.html", ext: "html" },
  { format: "json", label: "export.json", ext: "json" },
  { format: "csv", label: "export.findingsCsv", ext: "csv" },
];

export const REPORT_LANGS: { lang: ReportLang; label: string }[] = [
  { lang: "en", label: "English" },
  { lang: "tr", label: "Türkçe" },
];

/** The core's language for a language code (the reports' and the core's sentences are English
 * or Turkish): Turkish for Turkish, else English. The report starts in the checklist's. */
export function reportLangOf(code: string): ReportLang {
  return code === "tr" ? "tr" : "en";
}

/**
 * The name the save dialog suggests: the audit file's name without its folder and extension,
 * then what the file is and its language (`site.ccaudit` → `site-readiness-report-en.pdf`,
 * `site-findings-tr.csv`).
 */
export function reportFileName(auditPath: string, format: ReportFormat, lang: ReportLang): string {
  const base = auditPath.split(/[\\/]/).pop() ?? "";
  const stem = base.replace(/\.ccaudit$/i, "").trim() || "audit";
  const ext = EXPORTS.find((e) => e.format === format)?.ext ?? format;
  const what = format === "csv" ? "findings" : "readiness-report";
  return `${stem}-${what}-${lang}.${ext}`;
}

const STAGES: Record<ReportStage, Key> = {
  building: "export.stageBuilding",
  rendering: "export.stageRendering",
  writing: "export.stageWriting",
};

/** The message key of a report stage. */
export function stageText(stage: ReportStage): Key {
  return STAGES[stage];
}

/** A SHA-256 shortened for display (`3f2a9c1b…e07d`); the full value goes in a tooltip. */
export function shortSha(sha: string): string {
  return sha.length > 16 ? `${sha.slice(0, 12)}…${sha.slice(-4)}` : sha;
}

/** The clauses in order, each with the group heading to print before it when its group starts. */
export function withGroups(clauses: ClausePart[]): { clause: ClausePart; group: string | null }[] {
  let last: string | null = null;
  return clauses.map((clause) => {
    const group = clause.group !== last ? clause.group : null;
    last = clause.group;
    return { clause, group };
  });
}

/** The metrics a clause names, in its order, skipping ids the report does not hold. */
export function clauseMetrics(clause: ClausePart, metrics: MetricPart[]): MetricPart[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  return clause.metrics.flatMap((id) => {
    const m = byId.get(id);
    return m ? [m] : [];
  });
}

/** A number as the report's language writes it (`82.5` / `82,5`; `20,000` / `20.000`). */
export function num(x: number, lang: ReportLang, decimals = 0): string {
  return new Intl.NumberFormat(lang === "tr" ? "tr-TR" : "en-GB", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(x);
}

/** A score out of 100 with one decimal, or a dash when nothing is scored. */
export function scoreText(score: number | null, lang: ReportLang): string {
  return score === null ? "—" : num(score, lang, 1);
}

/** Why a clause drove the decision, without the clause id the link already shows. */
export function driverText(d: Driver): string {
  return d.text.startsWith(d.clause_id) ? d.text.slice(d.clause_id.length).trim() : d.text;
}
