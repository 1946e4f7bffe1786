import { describe, expect, it } from "vitest";
import type { QueueWait } from "./bindings/QueueWait";
import type { ResolutionTime } from "./bindings/ResolutionTime";
import { countLabel, edgeIndex, histogram, rangeLabel, resolutionGroups, share, waitGroups } from "./distribution";

const bare = { width: 200, height: 100, left: 0, right: 0, top: 0, bottom: 0 };

describe("histogram", () => {
  it("puts groups in equal slots, bars side by side, heights on a round count axis", () => {
    // Tallest bar 3: a step of 1, the axis 0–3 over 100 px. Two groups of 100 px; 14 % of a
    // slot empty on each side leaves 72 px, 36 px a bar, drawn 2 px narrower.
    const g = histogram([[[2], [1]], [[0], [3]]], bare, 0);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 1, 2, 3]);
    expect(g.ticks.map((t) => Math.round(t.y))).toEqual([100, 67, 33, 0]);
    expect(g.groups.map((x) => [x.x, x.centre])).toEqual([
      [0, 50],
      [100, 150],
    ]);
    const [a, b] = g.groups[0].bars;
    expect(a.x).toBeCloseTo(14);
    expect(b.x).toBeCloseTo(50);
    expect(a.width).toBeCloseTo(34);
    expect(a.total).toBe(2);
    expect(a.top).toBeCloseTo(100 / 3);
    expect(a.parts[0].height).toBeCloseTo(200 / 3);
    expect(g.groups[1].bars[1].top).toBeCloseTo(0);
    // The threshold after the first group: on its right edge.
    expect(g.threshold).toBe(100);
  });

  it("keeps the plot inside the margins", () => {
    const g = histogram([[[5]], [[10]]], { width: 300, height: 200, left: 50, right: 10, top: 30, bottom: 40 }, null);
    expect([g.left, g.right, g.top, g.bottom]).toEqual([50, 290, 30, 160]);
    expect(g.groups[0].x).toBe(50);
    expect(g.groups[1].x + g.groups[1].width).toBe(290);
    // 10 is the top of the axis (step 2): the taller bar reaches the plot's top.
    expect(g.groups[1].bars[0].top).toBe(30);
    expect(g.groups[0].bars[0].top).toBe(95);
    expect(g.threshold).toBeNull();
  });

  it("stacks the parts of a bar from the bottom", () => {
    const g = histogram([[[1, 3]]], bare, null);
    const [low, high] = g.groups[0].bars[0].parts;
    // Axis 0–4: the first part 0–1 (y 75–100), the second 1–4 (y 0–75).
    expect([low.y, low.height]).toEqual([75, 25]);
    expect([high.y, high.height]).toEqual([0, 75]);
    expect(g.groups[0].bars[0].total).toBe(4);
  });

  it("sets a group apart with half a slot before it", () => {
    const g = histogram([[[1]], [[1]], [[1]]], { ...bare, width: 350 }, 1, 2);
    expect(g.groups.map((x) => x.x)).toEqual([0, 100, 250]);
    expect(g.threshold).toBe(200);
  });

  it("draws empty bars at the foot of an axis from 0 to 1", () => {
    const g = histogram([[[0], [0]]], bare, null);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 1]);
    expect(g.groups[0].bars.every((b) => b.top === 100 && b.parts[0].height === 0)).toBe(true);
  });

  it("rounds a large axis to a round step", () => {
    const g = histogram([[[12345]]], bare, null);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 5000, 10000, 15000]);
  });
});

describe("labels", () => {
  it("writes ranges and counts in the locale", () => {
    expect(rangeLabel(0, 5, "en")).toBe("0–5");
    expect(rangeLabel(300, null, "en")).toBe("> 300");
    expect(rangeLabel(1000, 5000, "tr")).toBe("1.000–5.000");
    expect(countLabel(9999, "en")).toBe("9,999");
    expect(countLabel(12345, "en")).toBe("12.3k");
  });

  it("finds the bucket whose upper edge is the threshold", () => {
    const buckets = [{ high: 5 }, { high: 20 }, { high: null }];
    expect(edgeIndex(buckets, 20)).toBe(1);
    expect(edgeIndex(buckets, 7)).toBeNull();
    expect(share(3, 4)).toBe(0.75);
    expect(share(0, 0)).toBeNull();
  });
});

describe("chart groups", () => {
  it("draws answered and abandoned side by side in every bucket", () => {
    const q: QueueWait = {
      threshold_seconds: 20,
      short_abandon_seconds: 5,
      buckets: [
        { low: 0, high: 20, answered: 7, abandoned: 1 },
        { low: 20, high: null, answered: 2, abandoned: 4 },
      ],
      answered: 9,
      abandoned: 5,
      answered_within_threshold: 7,
      short_abandons: 0,
    };
    const groups = waitGroups(q, "en");
    expect(groups.map((g) => [g.key, g.label])).toEqual([
      ["0-20", "0–20"],
      ["20-", "> 20"],
    ]);
    expect(groups[1].bars.map((b) => [b.series, b.parts[0].value])).toEqual([
      ["answered", 2],
      ["abandoned", 4],
    ]);
  });

  it("ends the resolution chart with the open complaints, the overdue ones at its foot", () => {
    const r: ResolutionTime = {
      deadline_days: 15,
      buckets: [
        { low: 0, high: 15, complaints: 6 },
        { low: 15, high: null, complaints: 2 },
      ],
      complaints: 11,
      resolved: 8,
      resolved_within_deadline: 6,
      open: 3,
      open_overdue: 1,
    };
    const groups = resolutionGroups(r, "open", "en");
    expect(groups.map((g) => g.key)).toEqual(["0-15", "15-", "open"]);
    expect(groups[2].label).toBe("open");
    expect(groups[2].bars[0].parts).toEqual([
      { series: "overdue", value: 1 },
      { series: "open", value: 2 },
    ]);
  });
});
