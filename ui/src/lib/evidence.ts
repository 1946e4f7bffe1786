// Pure helpers for showing the evidence engine's figures: no I/O, unit-tested.
import type { Evidence } from "./bindings/Evidence";
import type { MetricResult } from "./bindings/MetricResult";
import type { Source } from "./bindings/Source";
import type { Status } from "./bindings/Status";
import type { Unit } from "./bindings/Unit";

const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

/** A whole number with thousands separators: 14336 → "14,336". */
export function count(n: number): string {
  return whole.format(n);
}

/** A fraction as a percentage with one decimal: 0.6571 → "65.7 %". */
export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}

/** A fraction as a percentage without needless decimals: 0.8 → "80 %", 0.955 → "95.5 %". */
export function percentShort(x: number): string {
  const p = Math.round(x * 100 * 100) / 100;
  return `${p} %`;
}

/** The figure in the metric's unit, or "—" when it is not assessable. */
export function formatFigure(m: MetricResult): string {
  if (m.value === null) return "—";
  switch (m.unit) {
    case "proportion":
      return percent(m.value);
    case "seconds":
      return `${m.value.toFixed(1)} s`;
    case "count": {
      const k = m.k ?? 0;
      return `${count(k)} breach${k === 1 ? "" : "es"}`;
    }
    case "channels":
      return `${m.k ?? 0} of ${m.n} channels`;
    case "per_thousand":
      return `${m.value.toFixed(2)} per 1,000`;
  }
}

/** The counts behind the figure: "9,419 / 14,336", or "n = 13,363" for a mean. */
export function formatKn(m: MetricResult): string {
  if (m.k === undefined) return `n = ${count(m.n)}`;
  return `${count(m.k)} / ${count(m.n)}`;
}

/** An interval's end in the unit of its metric (breach counts are shares of their population). */
function intervalValue(unit: Unit, x: number): string {
  return unit === "seconds" ? `${x.toFixed(1)} s` : percent(x);
}

/** The 95 % interval in words, or `null` when there is none. */
export function formatInterval(m: MetricResult): string | null {
  if (m.ci_low === null || m.ci_high === null) return null;
  return `${intervalValue(m.unit, m.ci_low)} – ${intervalValue(m.unit, m.ci_high)}`;
}

/** The target in words: "≥ 80 %", "≤ 30 s", "no breach allowed", "voice, email, chat". */
export function formatTarget(m: Pick<MetricResult, "unit" | "comparator" | "target" | "zero_tolerance" | "required_channels">): string {
  if (m.comparator === "monitor") return "monitored, no target";
  if (m.comparator === "includes") return `all of ${m.required_channels.join(", ")}`;
  const t = m.target ?? 0;
  const sign = m.comparator === ">=" ? "≥" : "≤";
  switch (m.unit) {
    case "seconds":
      return `${sign} ${t} s`;
    case "count":
      return t === 0 ? "no breach allowed" : `at most ${t} breach${t === 1 ? "" : "es"}`;
    default:
      return `${sign} ${percentShort(t)}${m.zero_tolerance ? " (zero tolerance)" : ""}`;
  }
}

export const STATUS_LABELS: Record<Status, string> = {
  pass: "Pass",
  fail: "Fail",
  inconclusive: "Inconclusive",
  not_assessable: "Not assessable",
  monitor: "Monitor",
};

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
  const label = (v: number) => (share ? percentShort(v) : `${round(v)} s`);
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
  const upTo = (end: string | null) => (end ? ` up to ${end.slice(0, 10)}` : "");
  return (
    `${count(e.contacts)} contacts${upTo(e.contacts_end)}, ${count(e.complaints)} complaints${upTo(e.complaints_end)}. ` +
    `Settings in force: T = ${p.service_level_seconds} s, D = ${p.complaint_resolution_days} days, ` +
    `short abandon < ${p.short_abandon_seconds} s, calling hours ${p.calling_hours_start}–${p.calling_hours_end}, ` +
    `opt-out grace ${p.opt_out_grace_days} days.`
  );
}
