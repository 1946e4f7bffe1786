// Pure helpers for showing the evidence engine's figures: no I/O, unit-tested.
import type { Evidence } from "./bindings/Evidence";
import type { MetricResult } from "./bindings/MetricResult";
import type { Source } from "./bindings/Source";
import type { Status } from "./bindings/Status";
import type { Unit } from "./bindings/Unit";
import { formatDate, formatNumber, percentText, secondsText, t } from "./i18n.svelte";

/** A whole number with thousands separators: 14336 → "14,336". */
export function count(n: number): string {
  return formatNumber(n, { maximumFractionDigits: 0 });
}

/** A fraction as a percentage with one decimal: 0.6571 → "65.7 %". */
export function percent(x: number, digits = 1): string {
  return percentText(x * 100, digits);
}

/** A fraction as a percentage without needless decimals: 0.8 → "80 %", 0.955 → "95.5 %". */
export function percentShort(x: number): string {
  return percentText(Math.round(x * 100 * 100) / 100);
}

/** The figure in the metric's unit, or "—" when it is not assessable. */
export function formatFigure(m: MetricResult): string {
  if (m.value === null) return "—";
  switch (m.unit) {
    case "proportion":
      return percent(m.value);
    case "seconds":
      return secondsText(m.value, 1);
    case "count":
      return t("figure.breaches", { n: m.k ?? 0 });
    case "channels":
      return t("figure.channels", { k: m.k ?? 0, n: m.n });
    case "per_thousand":
      return t("figure.perThousand", { x: formatNumber(m.value, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) });
  }
}

/** The counts behind the figure: "9,419 / 14,336", or "n = 13,363" for a mean. */
export function formatKn(m: MetricResult): string {
  if (m.k === undefined) return t("figure.mean", { n: m.n });
  return `${count(m.k)} / ${count(m.n)}`;
}

/** An interval's end in the unit of its metric (breach counts are shares of their population). */
function intervalValue(unit: Unit, x: number): string {
  return unit === "seconds" ? secondsText(x, 1) : percent(x);
}

/** The 95 % interval in words, or `null` when there is none. */
export function formatInterval(m: MetricResult): string | null {
  if (m.ci_low === null || m.ci_high === null) return null;
  return `${intervalValue(m.unit, m.ci_low)} – ${intervalValue(m.unit, m.ci_high)}`;
}

/** The target in words: "≥ 80 %", "≤ 30 s", "no breach allowed", "voice, email, chat". */
export function formatTarget(m: Pick<MetricResult, "unit" | "comparator" | "target" | "zero_tolerance" | "required_channels">): string {
  if (m.comparator === "monitor") return t("target.monitoredNoTarget");
  if (m.comparator === "includes") return t("target.allOf", { channels: m.required_channels.join(t("list.separator")) });
  const target = m.target ?? 0;
  const sign = m.comparator === ">=" ? "≥" : "≤";
  switch (m.unit) {
    case "seconds":
      return `${sign} ${secondsText(target)}`;
    case "count":
      return target === 0 ? t("target.noBreach") : t("target.atMost", { n: target });
    default: {
      const text = `${sign} ${percentShort(target)}`;
      return m.zero_tolerance ? t("target.zeroTolerance", { target: text }) : text;
    }
  }
}

/** A metric's status in words. */
export function statusLabel(status: Status): string {
  return t(`status.${status}`);
}

/** The imports a metric's population came from, as they are named in the audit. */
export function sourcesOf(m: MetricResult, evidence: Evidence): Source[] {
  return m.sources
    .map((id) => evidence.sources.find((s) => s.id === id))
    .filter((s): s is Source => s !== undefined);
}

/** The first 12 hex digits of a SHA-256, enough to tell files apart when shown. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

/** Where an interval, its figure and the target sit on a small horizontal bar. */
export interface BarGeometry {
  /** The scale's ends, in the metric's unit (fractions for proportions and breach shares). */
  from: number;
  to: number;
  /** Pixel positions on a bar `width` wide. */
  low: number;
  high: number;
  value: number | null;
  target: number | null;
  fromLabel: string;
  toLabel: string;
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** A round step (1, 2 or 5 × 10ⁿ) that cuts `range` into at most about five parts. */
export function niceStep(range: number): number {
  const raw = range / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / magnitude;
  return magnitude * (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10);
}

/**
 * The interval bar of a metric `width` pixels wide: a scale that holds the interval, the figure
 * and the target with some room around them, widened to round numbers (never below 0, and never
 * above 100 % for shares). `null` when the metric has no interval.
 */
export function barGeometry(m: MetricResult, width: number): BarGeometry | null {
  if (m.ci_low === null || m.ci_high === null) return null;
  const share = m.unit !== "seconds";
  // Breach counts are drawn as shares of their population, like their interval.
  let target: number | null = null;
  if (m.target !== null && (m.comparator === ">=" || m.comparator === "<=")) {
    target = m.unit === "count" ? (m.n > 0 ? m.target / m.n : null) : m.target;
  }
  const points = [m.ci_low, m.ci_high, ...(m.value !== null ? [m.value] : []), ...(target !== null ? [target] : [])];
  const min = Math.min(...points);
  const max = Math.max(...points);
  const pad = Math.max((max - min) * 0.15, share ? 0.01 : 1);
  const step = niceStep(max - min + 2 * pad);
  // Quotients are rounded first: 0.97 / 0.01 is 96.99999999999999 in binary floating point.
  let from = round(Math.floor(round((min - pad) / step)) * step);
  let to = round(Math.ceil(round((max + pad) / step)) * step);
  from = Math.max(0, from);
  if (share) to = Math.min(1, to);
  const x = (v: number) => Math.min(width, Math.max(0, ((v - from) / (to - from)) * width));
  const label = (v: number) => (share ? percentShort(v) : secondsText(round(v)));
  return {
    from,
    to,
    low: x(m.ci_low),
    high: x(m.ci_high),
    value: m.value === null ? null : x(m.value),
    target: target === null ? null : x(target),
    fromLabel: label(from),
    toLabel: label(to),
  };
}

/** The metric ids each clause binds, inverted: which clauses a metric evidences. */
export function clausesByMetric(clauses: { id: string; metrics: { id: string }[] }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of clauses) {
    for (const m of c.metrics) {
      const list = out.get(m.id) ?? [];
      list.push(c.id);
      out.set(m.id, list);
    }
  }
  return out;
}

/** What the figures were computed from, and with: the records, their end and the settings. */
export function dataSummary(e: Evidence): string {
  const p = e.settings.parameters;
  const upTo = (end: string | null) => (end ? t("evidence.upTo", { date: formatDate(end.slice(0, 10)) }) : "");
  return t("evidence.summary", {
    contacts: e.contacts,
    contactsEnd: upTo(e.contacts_end),
    complaints: e.complaints,
    complaintsEnd: upTo(e.complaints_end),
    t: p.service_level_seconds,
    d: p.complaint_resolution_days,
    short: p.short_abandon_seconds,
    from: p.calling_hours_start,
    until: p.calling_hours_end,
    grace: p.opt_out_grace_days,
  });
}
