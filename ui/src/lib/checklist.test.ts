import { describe, expect, it } from "vitest";
import type { Assessment } from "./bindings/Assessment";
import type { Checklist } from "./bindings/Checklist";
import type { Clause } from "./bindings/Clause";
import type { MetricBinding } from "./bindings/MetricBinding";
import { buildTree, matches, nextUnassessed, targetText, tr } from "./checklist";

function clause(id: string, section: string, title = `Title ${id}`): Clause {
  return {
    id,
    section,
    title: { en: title, tr: `Başlık ${id}` },
    requirement: { en: `Requirement of ${id}`, tr: `Gereklilik ${id}` },
    guidance: { en: "", tr: "" },
    methods: ["interview"],
    evidence: {},
    weight: 1,
    mandatory: true,
    refs: [],
    metrics: [],
  };
}

const checklist: Checklist = {
  id: "t",
  version: "1",
  sha256: "",
  languages: ["en", "tr"],
  title: { en: "T", tr: "T" },
  description: {},
  parameters: {
    service_level_seconds: 20,
    short_abandon_seconds: 5,
    complaint_resolution_days: 15,
    calling_hours_start: "09:00",
    calling_hours_end: "20:00",
    opt_out_grace_days: 3,
    corrective_action_due_days: 30,
  },
  sections: [
    { id: "4", parent: null, title: { en: "Four", tr: "Dört" } },
    { id: "4.1", parent: "4", title: { en: "Four one", tr: "Dört bir" } },
    { id: "5", parent: null, title: { en: "Five", tr: "Beş" } },
  ],
  clauses: [clause("4.1.1", "4.1"), clause("4.1.2", "4.1", "Reference number"), clause("5.1", "5")],
};

function graded(id: string, grade: Assessment["grade"]): Assessment {
  return { clause_id: id, grade, note: "", reason: "", suggested: null, updated_at: "" };
}

describe("buildTree", () => {
  it("nests subsections under their parent and keeps clause order", () => {
    const tree = buildTree(checklist);
    expect(tree.map((n) => n.section.id)).toEqual(["4", "5"]);
    expect(tree[0].children.map((n) => n.section.id)).toEqual(["4.1"]);
    expect(tree[0].clauses).toEqual([]);
    expect(tree[0].children[0].clauses.map((c) => c.id)).toEqual(["4.1.1", "4.1.2"]);
    expect(tree[1].clauses.map((c) => c.id)).toEqual(["5.1"]);
  });
});

describe("tr", () => {
  it("gives the asked language, else the first language of the checklist", () => {
    expect(tr({ en: "Yes", tr: "Evet" }, "tr", ["en", "tr"])).toBe("Evet");
    expect(tr({ en: "Yes" }, "fa", ["en", "tr"])).toBe("Yes");
    expect(tr({}, "en", ["en"])).toBe("");
  });
});

describe("targetText", () => {
  const m = (over: Partial<MetricBinding>): MetricBinding => ({
    id: "service_level",
    comparator: ">=",
    target: 0.8,
    zero_tolerance: false,
    channels: [],
    formula: "",
    ...over,
  });
  it("writes proportions as percentages with their comparator", () => {
    expect(targetText(m({}))).toBe("≥ 80 %");
    expect(targetText(m({ id: "abandon_rate", comparator: "<=", target: 0.05 }))).toBe("≤ 5 %");
    expect(targetText(m({ target: 0.955 }))).toBe("≥ 95.5 %");
  });
  it("writes seconds, zero counts, monitored and channel targets in words", () => {
    expect(targetText(m({ id: "asa_seconds", comparator: "<=", target: 30 }))).toBe("≤ 30 s");
    expect(targetText(m({ id: "outbound_without_consent", comparator: "<=", target: 0 }))).toBe("= 0");
    expect(targetText(m({ comparator: "monitor", target: null }))).toBe("monitored");
    expect(targetText(m({ comparator: "includes", target: null, channels: ["voice", "chat"] }))).toBe(
      "includes voice, chat",
    );
  });
});

describe("matches", () => {
  it("finds clauses by id, title or requirement in the chosen language", () => {
    const c = checklist.clauses[1];
    expect(matches(c, "", "en", ["en"])).toBe(true);
    expect(matches(c, "4.1.2", "en", ["en"])).toBe(true);
    expect(matches(c, "REFERENCE", "en", ["en"])).toBe(true);
    expect(matches(c, "gereklilik", "tr", ["en", "tr"])).toBe(true);
    expect(matches(c, "gereklilik", "en", ["en", "tr"])).toBe(false);
  });
});

describe("nextUnassessed", () => {
  const clauses = checklist.clauses;
  it("skips assessed clauses and wraps around", () => {
    const a = { "4.1.2": graded("4.1.2", "minor") };
    expect(nextUnassessed(clauses, a, "4.1.1")).toBe("5.1");
    expect(nextUnassessed(clauses, a, "5.1")).toBe("4.1.1");
    expect(nextUnassessed(clauses, a, "4.1.1", -1)).toBe("5.1");
  });
  it("counts a clause set back to not assessed as open", () => {
    const a = { "4.1.1": graded("4.1.1", "not-assessed"), "4.1.2": graded("4.1.2", "na") };
    expect(nextUnassessed(clauses, a, "5.1")).toBe("4.1.1");
  });
  it("returns null when every clause is assessed", () => {
    const a = Object.fromEntries(clauses.map((c) => [c.id, graded(c.id, "conforming")]));
    expect(nextUnassessed(clauses, a, "4.1.1")).toBeNull();
  });
});
