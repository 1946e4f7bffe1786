// Pure helpers for the dashboard's distribution charts (queue wait, complaint resolution time):
// the bars' geometry, their labels and the groups drawn; no I/O, unit-tested.
import type { QueueWait } from "./bindings/QueueWait";
import type { ResolutionTime } from "./bindings/ResolutionTime";
import { niceStep } from "./evidence";
import { formatNumber, type Locale, i18n } from "./i18n.svelte";

/** The drawing area: its size and the margins around the plot, in pixels. */
export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** One bar of a group: its stacked parts (bottom first), each with its series. */
export interface ChartBar {
  series: string;
  parts: { series: string; value: number }[];
}

/** One bucket of a chart: a key for tests, its label on the axis and its bars side by side. */
export interface ChartGroup {
  key: string;
  label: string;
  bars: ChartBar[];
}

export interface PartGeometry {
  y: number;
  height: number;
}

export interface BarGeometry {
  x: number;
  width: number;
  total: number;
  /** The y of the bar's top (the plot's bottom for an empty bar). */
  top: number;
  parts: PartGeometry[];
}

export interface GroupGeometry {
  x: number;
  width: number;
  centre: number;
  bars: BarGeometry[];
}

export interface Histogram {
  /** The plot's edges. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  groups: GroupGeometry[];
  /** Round values on the count axis, 0 first, the last at the plot's top. */
  ticks: { value: number; y: number }[];
  /** The x of the threshold line (the right edge of the group `thresholdAfter`), if any. */
  threshold: number | null;
}

/** The share of a group's slot left empty on each side of its bars. */
const SIDE = 0.14;

/**
 * Bars of `groups` (per group, per bar, the stacked values) in `box`: groups in equal slots
 * from left to right (half a slot more before group `gapBefore`, if given), bars of a group side
 * by side, heights on a count axis from 0 to a round number at or above the tallest bar.
 */
export function histogram(groups: number[][][], box: Box, thresholdAfter: number | null, gapBefore: number | null = null): Histogram {
  const left = box.left;
  const right = box.width - box.right;
  const top = box.top;
  const bottom = box.height - box.bottom;
  const totals = groups.map((g) => g.map((bar) => bar.reduce((a, b) => a + b, 0)));
  const max = Math.max(0, ...totals.flat());
  const step = Math.max(1, niceStep(max));
  const ceiling = Math.max(step, Math.ceil(max / step) * step);
  const y = (v: number) => bottom - (v / ceiling) * (bottom - top);
  const slots = groups.length + (gapBefore !== null ? 0.5 : 0);
  const slot = slots > 0 ? (right - left) / slots : 0;
  const groupX = (i: number) => left + (i + (gapBefore !== null && i >= gapBefore ? 0.5 : 0)) * slot;
  const out: GroupGeometry[] = groups.map((bars, i) => {
    const x = groupX(i);
    const inner = slot * (1 - 2 * SIDE);
    const width = bars.length > 0 ? inner / bars.length : 0;
    return {
      x,
      width: slot,
      centre: x + slot / 2,
      bars: bars.map((parts, j) => {
        let base = 0;
        const geometry = parts.map((v) => {
          const part = { y: y(base + v), height: y(base) - y(base + v) };
          base += v;
          return part;
        });
        return { x: x + slot * SIDE + j * width, width: Math.max(1, width - 2), total: totals[i][j], top: y(base), parts: geometry };
      }),
    };
  });
  const ticks: { value: number; y: number }[] = [];
  for (let v = 0; v <= ceiling; v += step) ticks.push({ value: v, y: y(v) });
  const threshold = thresholdAfter !== null && thresholdAfter >= 0 && thresholdAfter < groups.length ? groupX(thresholdAfter) + slot : null;
  return { left, right, top, bottom, groups: out, ticks, threshold };
}

/** A bucket's range on the axis: `0–5`, `> 300`. */
export function rangeLabel(low: number, high: number | null, locale: Locale = i18n.locale): string {
  const n = (x: number) => formatNumber(x, { maximumFractionDigits: 0 }, locale);
  return high === null ? `> ${n(low)}` : `${n(low)}–${n(high)}`;
}

/** A count above a bar: whole below 10,000, shortened above (`12.3k`; the exact figure is in the chart's table). */
export function countLabel(n: number, locale: Locale = i18n.locale): string {
  return n < 10000
    ? formatNumber(n, { maximumFractionDigits: 0 }, locale)
    : formatNumber(n, { notation: "compact", maximumFractionDigits: 1 }, locale);
}

/** The index of the bucket whose upper edge is `edge`, or `null`. */
export function edgeIndex(buckets: { high: number | null }[], edge: number): number | null {
  const i = buckets.findIndex((b) => b.high === edge);
  return i < 0 ? null : i;
}

/** A share k / n as a fraction, or `null` when n is 0. */
export function share(k: number, n: number): number | null {
  return n > 0 ? k / n : null;
}

/** The queue-wait chart's groups: answered and abandoned side by side in each bucket. */
export function waitGroups(q: QueueWait, locale: Locale = i18n.locale): ChartGroup[] {
  return q.buckets.map((b) => ({
    key: b.high === null ? `${b.low}-` : `${b.low}-${b.high}`,
    label: rangeLabel(b.low, b.high, locale),
    bars: [
      { series: "answered", parts: [{ series: "answered", value: b.answered }] },
      { series: "abandoned", parts: [{ series: "abandoned", value: b.abandoned }] },
    ],
  }));
}

/**
 * The resolution-time chart's groups: the resolved complaints by days taken, then one bar of
 * the complaints not resolved (those open for more than D days at the end of the data at its
 * foot), labelled `openLabel`.
 */
export function resolutionGroups(r: ResolutionTime, openLabel: string, locale: Locale = i18n.locale): ChartGroup[] {
  const resolved: ChartGroup[] = r.buckets.map((b) => ({
    key: b.high === null ? `${b.low}-` : `${b.low}-${b.high}`,
    label: rangeLabel(b.low, b.high, locale),
    bars: [{ series: "resolved", parts: [{ series: "resolved", value: b.complaints }] }],
  }));
  const open: ChartGroup = {
    key: "open",
    label: openLabel,
    bars: [
      {
        series: "open",
        parts: [
          { series: "overdue", value: r.open_overdue },
          { series: "open", value: r.open - r.open_overdue },
        ],
      },
    ],
  };
  return [...resolved, open];
}
