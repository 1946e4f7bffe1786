import { describe, expect, it } from "vitest";
import type { Evidence } from "./bindings/Evidence";
import type { MetricResult } from "./bindings/MetricResult";
import {
  barGeometry,
  clausesByMetric,
  dataSummary,
  formatFigure,
  formatInterval,
  formatKn,
  formatTarget,
  niceStep,
  shortHash,
  sourcesOf,
} from "./evidence";

function metric(over: Partial<MetricResult>): MetricResult {
  return {
    id: "service_level",
    unit: "proportion",
    population: "contacts",
    k: 0,
    n: 0,
    value: null,
    ci_low: null,
    ci_high: null,
    target: 0.8,
    comparator: ">=",
    zero_tolerance: false,
    status: "not_assessable",
    advice: "",
    more_records: null,
    channels: [],
    required_channels: [],
    formula: "",
    parameters: [],
    sources: [],
    ...over,
  };
}

describe("figures", () => {
  it("shows a proportion as a percentage with k / n", () => {
    // 9419 / 14336 = 0.65702…
    const m = metric({ k: 9419, n: 14336, value: 9419 / 14336, ci_low: 0.6492, ci_high: 0.6648 });
    expect(formatFigure(m)).toBe("65.7 %");
    expect(formatKn(m)).toBe("9,419 / 14,336");
    expect(formatInterval(m)).toBe("64.9 % – 66.5 %");
    expect(formatTarget(m)).toBe("≥ 80 %");
  });

  it("shows a mean in seconds with its n", () => {
    const m = metric({ id: "asa_seconds", unit: "seconds", k: undefined, n: 13363, value: 48.42, ci_low: 47.41, ci_high: 49.43, target: 30, comparator: "<=" });
    expect(formatFigure(m)).toBe("48.4 s");
    expect(formatKn(m)).toBe("n = 13,363");
    expect(formatInterval(m)).toBe("47.4 s – 49.4 s");
    expect(formatTarget(m)).toBe("≤ 30 s");
  });

  it("counts breaches in words", () => {
    const two = metric({ id: "outbound_without_consent", unit: "count", k: 2, n: 961, value: 2 / 961, target: 0, comparator: "<=", zero_tolerance: true });
    expect(formatFigure(two)).toBe("2 breaches");
    expect(formatFigure({ ...two, k: 1, value: 1 / 961 })).toBe("1 breach");
    expect(formatTarget(two)).toBe("no breach allowed");
    expect(formatTarget({ ...two, target: 3 })).toBe("at most 3 breaches");
  });

  it("shows rates per thousand, channels, monitored and zero-tolerance targets", () => {
    expect(formatFigure(metric({ unit: "per_thousand", k: 353, n: 19192, value: (353 / 19192) * 1000 }))).toBe("18.39 per 1,000");
    const channels = metric({ id: "channels_present", unit: "channels", k: 3, n: 3, value: 1, comparator: "includes", target: null, required_channels: ["voice", "email", "chat"] });
    expect(formatFigure(channels)).toBe("3 of 3 channels");
    expect(formatTarget(channels)).toBe("all of voice, email, chat");
    expect(formatTarget(metric({ comparator: "monitor", target: null }))).toBe("monitored, no target");
    expect(formatTarget(metric({ target: 1, zero_tolerance: true }))).toBe("≥ 100 % (zero tolerance)");
    expect(formatTarget(metric({ target: 0.955 }))).toBe("≥ 95.5 %");
  });

  it("never shows an empty population as a number", () => {
    const m = metric({ k: 0, n: 0 });
    expect(formatFigure(m)).toBe("—");
    expect(formatInterval(m)).toBeNull();
    expect(barGeometry(m, 100)).toBeNull();
  });
});

describe("interval bar geometry", () => {
  it("places the interval, figure and target on a rounded scale", () => {
    // Points 0.2–0.5, padded by 15 % of 0.3 = 0.045 → 0.155–0.545; the step for a range of
    // 0.39 is 0.1, so the scale runs 0.1–0.6 and 0.1 of it is 20 px of 100.
    const g = barGeometry(metric({ value: 0.3, ci_low: 0.2, ci_high: 0.4, target: 0.5 }), 100)!;
    expect(g.from).toBe(0.1);
    expect(g.to).toBe(0.6);
    expect(g.low).toBeCloseTo(20, 9);
    expect(g.high).toBeCloseTo(60, 9);
    expect(g.value).toBeCloseTo(40, 9);
    expect(g.target).toBeCloseTo(80, 9);
    expect([g.fromLabel, g.toLabel]).toEqual(["10 %", "60 %"]);
  });

  it("keeps shares within 0–100 % and survives binary rounding", () => {
    // 0.98–1.00 with target 0.99: padded by the 1-point minimum to 0.97–1.01, step 0.01;
    // the top is cut at 100 %. 0.97 / 0.01 must not floor to 96.
    const g = barGeometry(metric({ value: 0.99, ci_low: 0.98, ci_high: 1, target: 0.99 }), 300)!;
    expect(g.from).toBe(0.97);
    expect(g.to).toBe(1);
    expect(g.low).toBeCloseTo(100, 6);
    expect(g.high).toBeCloseTo(300, 6);
    expect(g.target).toBeCloseTo(200, 6);
  });

  it("draws a breach count's allowance as a share of its population", () => {
    // 0 breaches allowed among 961 → the marker sits at 0 %, the scale's left end.
    const m = metric({ unit: "count", k: 2, n: 961, value: 2 / 961, ci_low: 0.0006, ci_high: 0.0076, target: 0, comparator: "<=" });
    const g = barGeometry(m, 100)!;
    expect(g.from).toBe(0);
    expect(g.to).toBe(0.02);
    expect(g.target).toBe(0);
    expect(g.low).toBeCloseTo(3, 9);
    expect(g.high).toBeCloseTo(38, 9);
  });

  it("scales seconds from round numbers", () => {
    // 30–49.4 s padded by 2.91 → 27.09–52.31; step 10 → 20–60 s, 40 s over 100 px.
    const m = metric({ unit: "seconds", k: undefined, n: 13363, value: 48.4, ci_low: 47.4, ci_high: 49.4, target: 30, comparator: "<=" });
    const g = barGeometry(m, 100)!;
    expect([g.from, g.to]).toEqual([20, 60]);
    expect(g.target).toBeCloseTo(25, 9);
    expect(g.low).toBeCloseTo(68.5, 9);
    expect(g.value).toBeCloseTo(71, 9);
    expect([g.fromLabel, g.toLabel]).toEqual(["20 s", "60 s"]);
  });

  it("has no target marker for a monitored metric", () => {
    const g = barGeometry(metric({ comparator: "monitor", target: null, value: 0.3, ci_low: 0.29, ci_high: 0.31 }), 100)!;
    expect(g.target).toBeNull();
  });

  it("picks steps of 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(0.39)).toBeCloseTo(0.1, 12);
    expect(niceStep(0.09)).toBeCloseTo(0.02, 12);
    expect(niceStep(25.22)).toBe(10);
    expect(niceStep(5)).toBe(1);
    expect(niceStep(24)).toBe(5);
  });
});

describe("sources", () => {
  it("names the imports a metric came from by file and hash prefix", () => {
    const evidence = {
      sources: [
        { id: 1, kind: "calls", role: "records", file_name: "calls.csv", sha256: "cc4f01a8b4a84b9a37d0", preset: "", records: 3, imported_at: "" },
        { id: 2, kind: "complaints", role: "records", file_name: "complaints.csv", sha256: "0f16c0138947", preset: "", records: 1, imported_at: "" },
      ],
    } as unknown as Evidence;
    const found = sourcesOf(metric({ sources: [2, 9] }), evidence);
    expect(found.map((s) => s.file_name)).toEqual(["complaints.csv"]);
    expect(shortHash("cc4f01a8b4a84b9a37d0")).toBe("cc4f01a8b4a8");
  });

  it("inverts the checklist's bindings", () => {
    const map = clausesByMetric([
      { id: "4.4.1", metrics: [{ id: "channels_present" }] },
      { id: "7.6", metrics: [{ id: "channels_present" }, { id: "asa_seconds" }] },
    ]);
    expect(map.get("channels_present")).toEqual(["4.4.1", "7.6"]);
    expect(map.get("asa_seconds")).toEqual(["7.6"]);
  });
});

describe("data summary", () => {
  it("prints the records and every setting the figures used", () => {
    const e = {
      contacts: 20000,
      complaints: 1500,
      contacts_end: "2026-10-31T18:59:00+03:00",
      complaints_end: null,
      settings: {
        parameters: {
          service_level_seconds: 30,
          short_abandon_seconds: 5,
          complaint_resolution_days: 15,
          calling_hours_start: "09:00",
          calling_hours_end: "20:00",
          opt_out_grace_days: 3,
          corrective_action_due_days: 30,
        },
      },
    } as unknown as Evidence;
    expect(dataSummary(e)).toBe(
      "20,000 contacts up to 31 Oct 2026, 1,500 complaints. Settings in force: T = 30 s, D = 15 days, " +
        "short abandon < 5 s, calling hours 09:00–20:00, opt-out grace 3 days.",
    );
  });
});
