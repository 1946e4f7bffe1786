import { describe, expect, it } from "vitest";
import type { Assessment } from "./bindings/Assessment";
import type { Checklist } from "./bindings/Checklist";
import type { Clause } from "./bindings/Clause";
import type { Method } from "./bindings/Method";
import { nextUnassessed } from "./checklist";
import { isFiltering, keeps, NO_FILTER, progressRows, topSections, type ClauseFilter } from "./walk";

function clause(id: string, section: string, methods: Method[]): Clause {
  return {
    id,
    section,
    title: { en: id },
    requirement: { en: "" },
    guidance: {},
    methods,
    evidence: {},
    weight: 1,
    mandatory: false,
    refs: [],
    metrics: [],
  };
}

const checklist = {
  sections: [
    { id: "4", parent: null, title: { en: "Four" } },
    { id: "4.2", parent: "4", title: { en: "Four two" } },
    { id: "4.2.1", parent: "4.2", title: { en: "Deep" } },
    { id: "5", parent: null, title: { en: "Five" } },
  ],
  clauses: [
    clause("4.1", "4", ["interview"]),
    clause("4.2.1.1", "4.2.1", ["record_sampling", "document_review"]),
    clause("4.2.2", "4.2", ["observation"]),
    clause("5.1", "5", ["record_sampling"]),
  ],
} as unknown as Checklist;

const assessed = (id: string, grade: Assessment["grade"]): Assessment => ({
  clause_id: id,
  grade,
  note: "",
  reason: "",
  suggested: null,
  updated_at: "",
});
const assessments: Record<string, Assessment> = {
  "4.1": assessed("4.1", "minor"),
  "4.2.2": assessed("4.2.2", "not-assessed"),
  "5.1": assessed("5.1", "conforming"),
};
const top = topSections(checklist);
const kept = (f: Partial<ClauseFilter>) =>
  checklist.clauses.filter((c) => keeps({ ...NO_FILTER, ...f }, c, assessments, top)).map((c) => c.id);

describe("topSections", () => {
  it("maps nested sections to their top-level section", () => {
    expect(Object.fromEntries(top)).toEqual({ "4": "4", "4.2": "4", "4.2.1": "4", "5": "5" });
  });
});

describe("keeps", () => {
  it("keeps everything without filters", () => {
    expect(kept({})).toEqual(["4.1", "4.2.1.1", "4.2.2", "5.1"]);
    expect(isFiltering(NO_FILTER)).toBe(false);
  });
  it("filters by top-level section, including nested clauses", () => {
    expect(kept({ section: "4" })).toEqual(["4.1", "4.2.1.1", "4.2.2"]);
    expect(kept({ section: "5" })).toEqual(["5.1"]);
  });
  it("filters by status: a stored 'not assessed' counts as not assessed", () => {
    expect(kept({ status: "unassessed" })).toEqual(["4.2.1.1", "4.2.2"]);
    expect(kept({ status: "assessed" })).toEqual(["4.1", "5.1"]);
    expect(kept({ status: "minor" })).toEqual(["4.1"]);
    expect(kept({ status: "major" })).toEqual([]);
  });
  it("filters by method and combines filters", () => {
    expect(kept({ method: "record_sampling" })).toEqual(["4.2.1.1", "5.1"]);
    expect(kept({ method: "record_sampling", section: "4", status: "unassessed" })).toEqual(["4.2.1.1"]);
    expect(isFiltering({ ...NO_FILTER, method: "interview" })).toBe(true);
  });
  it("lets next/previous open clause walk only the kept clauses", () => {
    const inFive = checklist.clauses.filter((c) => keeps({ ...NO_FILTER, section: "5" }, c, assessments, top));
    expect(nextUnassessed(inFive, assessments, "5.1", 1)).toBeNull();
    const sampled = checklist.clauses.filter((c) => keeps({ ...NO_FILTER, method: "observation" }, c, assessments, top));
    expect(nextUnassessed(sampled, assessments, "4.1", 1)).toBe("4.2.2");
  });
});

describe("progressRows", () => {
  it("marks sections with every clause assessed", () => {
    expect(
      progressRows([
        { section: "4", assessed: 3, total: 3 },
        { section: "5", assessed: 1, total: 4 },
        { section: "6", assessed: 0, total: 0 },
      ]).map((r) => r.done),
    ).toEqual([true, false, false]);
  });
});
