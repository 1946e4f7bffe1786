// The dashboard's two charts from a hand-made result: every bucket drawn with its counts, the
// T and D lines on their edges, the words and the table that assistive technology reads.
import { cleanup, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Distributions } from "../lib/bindings/Distributions";
import { setLocale } from "../lib/i18n.svelte";
import DistributionCharts from "./DistributionCharts.svelte";

const data: Distributions = {
  queue_wait: {
    threshold_seconds: 20,
    short_abandon_seconds: 5,
    buckets: [
      { low: 0, high: 5, answered: 2, abandoned: 1 },
      { low: 5, high: 10, answered: 2, abandoned: 0 },
      { low: 10, high: 20, answered: 1, abandoned: 1 },
      { low: 20, high: 30, answered: 1, abandoned: 0 },
      { low: 30, high: null, answered: 1234, abandoned: 3 },
    ],
    answered: 1240,
    abandoned: 5,
    answered_within_threshold: 5,
    short_abandons: 1,
  },
  resolution_time: {
    deadline_days: 15,
    buckets: [
      { low: 0, high: 1, complaints: 2 },
      { low: 1, high: 15, complaints: 5 },
      { low: 15, high: null, complaints: 3 },
    ],
    complaints: 13,
    resolved: 10,
    resolved_within_deadline: 7,
    open: 3,
    open_overdue: 1,
  },
};

// jsdom has no layout: the charts keep their default width.
vi.stubGlobal(
  "ResizeObserver",
  class {
    observe() {}
    unobserve() {}
    disconnect() {}
  },
);

afterEach(() => {
  cleanup();
  setLocale("en");
});

function bars(chart: HTMLElement): string[] {
  return [...chart.querySelectorAll("[data-bucket]")].flatMap((g) =>
    [...g.querySelectorAll("[data-series]")].map((b) => `${g.getAttribute("data-bucket")} ${b.getAttribute("data-series")} ${b.getAttribute("data-count")}`),
  );
}

function lineX(chart: HTMLElement, testid: string): number {
  return Number(chart.querySelector(`[data-testid=${testid}]`)?.getAttribute("x1"));
}

function barX(chart: HTMLElement, bucket: string): [number, number] {
  const rects = [...chart.querySelectorAll(`[data-bucket='${bucket}'] rect`)];
  const xs = rects.flatMap((r) => [Number(r.getAttribute("x")), Number(r.getAttribute("x")) + Number(r.getAttribute("width"))]);
  return [Math.min(...xs), Math.max(...xs)];
}

describe("DistributionCharts", () => {
  it("draws every bucket with its counts and the T line after the bucket ending at T", () => {
    render(DistributionCharts, { data });
    const chart = screen.getByTestId("queue-wait-chart");
    expect(bars(chart)).toEqual([
      "0-5 answered 2",
      "0-5 abandoned 1",
      "5-10 answered 2",
      "5-10 abandoned 0",
      "10-20 answered 1",
      "10-20 abandoned 1",
      "20-30 answered 1",
      "20-30 abandoned 0",
      "30- answered 1234",
      "30- abandoned 3",
    ]);
    const x = lineX(chart, "queue-wait-chart-threshold");
    expect(barX(chart, "10-20")[1]).toBeLessThan(x);
    expect(barX(chart, "20-30")[0]).toBeGreaterThan(x);
    expect(chart.textContent).toContain("T = 20 s");
    expect(chart.textContent).toContain("1,234");
    // The share is the service level's: answered within T of answered and abandoned.
    expect(screen.getByTestId("queue-wait-summary").textContent).toBe(
      "5 of 1,245 offered contacts answered within T = 20 s (0.4 %, the service level); 1,240 answered in all, 5 abandoned.",
    );
    expect(screen.getByTestId("short-abandons").textContent).toBe("1 short abandon (under 5 s) is left out.");
  });

  it("ends the resolution chart with the open complaints, the overdue ones at the foot", () => {
    render(DistributionCharts, { data });
    const chart = screen.getByTestId("resolution-time-chart");
    expect(bars(chart)).toEqual(["0-1 resolved 2", "1-15 resolved 5", "15- resolved 3", "open open 3"]);
    const open = chart.querySelectorAll("[data-bucket=open] rect");
    expect([...open].map((r) => r.getAttribute("class"))).toEqual(["bar series-overdue", "bar series-open"]);
    const x = lineX(chart, "resolution-time-chart-threshold");
    expect(barX(chart, "1-15")[1]).toBeLessThan(x);
    expect(barX(chart, "15-")[0]).toBeGreaterThan(x);
    expect(screen.getByTestId("resolution-time-summary").textContent).toBe(
      "7 of 10 resolved complaints took D = 15 days or less (70.0 %); 3 not resolved, 1 of them open for more than D at the end of the data.",
    );
  });

  it("tells assistive technology what the charts show, with the numbers in a table", () => {
    render(DistributionCharts, { data });
    const img = screen.getByRole("img", { name: /queue wait/i });
    expect(img.getAttribute("aria-label")).toBe(
      "Bar chart of queue wait: 1,240 answered and 5 abandoned offered contacts; 5 answered within T = 20 s.",
    );
    const table = screen.getByRole("table", { name: "Offered contacts by wait in the queue" });
    const rows = within(table).getAllByRole("row").map((r) => r.textContent);
    // Each row: the range, then answered, then abandoned.
    expect(rows).toEqual(["Seconds in the queueAnsweredAbandoned", "0–521", "5–1020", "10–2011", "20–3010", "> 301,2343"]);
    const complaints = screen.getByRole("table", { name: "Complaints by days to resolve" });
    expect(within(complaints).getAllByRole("row").map((r) => r.textContent).slice(-2)).toEqual(["Not resolved3", "Not resolved, older than D1"]);
  });

  it("speaks Turkish", () => {
    setLocale("tr");
    render(DistributionCharts, { data });
    expect(screen.getByRole("heading", { name: "KUYRUKTA BEKLEME SÜRESİ" })).toBeTruthy();
    expect(screen.getByTestId("queue-wait-chart").textContent).toContain("T = 20 sn");
    expect(screen.getByTestId("resolution-time-chart").textContent).toContain("D = 15 gün");
  });

  it("says so when there is nothing to draw", () => {
    const empty: Distributions = {
      queue_wait: { ...data.queue_wait, buckets: [], answered: 0, abandoned: 0, answered_within_threshold: 0, short_abandons: 0 },
      resolution_time: { ...data.resolution_time, buckets: [], complaints: 0, resolved: 0, resolved_within_deadline: 0, open: 0, open_overdue: 0 },
    };
    render(DistributionCharts, { data: empty });
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByTestId("queue-wait-empty").textContent).toBe("No offered contacts in the imported records.");
    expect(screen.getByTestId("resolution-time-empty").textContent).toBe("No complaints in the imported records.");
  });
});
