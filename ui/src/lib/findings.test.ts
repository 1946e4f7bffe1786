import { describe, expect, it } from "vitest";
import type { Finding } from "./bindings/Finding";
import { changeOf, findingsSummary, missingPlan, noChange, unplanned } from "./findings";

function finding(over: Partial<Finding>): Finding {
  return {
    id: 1,
    clause_id: "4.2.5",
    grade: "minor",
    statement: "",
    evidence: "",
    requirement: "",
    cause: "",
    action: "",
    owner: "",
    due_date: null,
    status: "open",
    planned: false,
    active: true,
    created_at: "",
    updated_at: "",
    ...over,
  };
}

describe("findings", () => {
  it("changes one field and keeps the rest as stored", () => {
    expect(changeOf("owner", "Ayşe Demir")).toEqual({ ...noChange(), owner: "Ayşe Demir" });
    expect(Object.values(noChange()).every((v) => v === null)).toBe(true);
  });

  it("says what a plan lacks: action, owner and due date", () => {
    expect(missingPlan(finding({}))).toEqual(["action", "owner", "due date"]);
    expect(missingPlan(finding({ action: "Train", owner: " ", due_date: "2026-12-18" }))).toEqual(["owner"]);
    expect(missingPlan(finding({ action: "Train", owner: "Ayşe", due_date: "2026-12-18" }))).toEqual([]);
  });

  it("lists the findings without a plan and sums them up", () => {
    const list = [
      finding({ id: 1 }),
      finding({ id: 2, planned: true }),
      finding({ id: 3, active: false }),
    ];
    expect(unplanned(list).map((f) => f.id)).toEqual([1, 3]);
    expect(findingsSummary(list)).toBe(
      "3 findings · 2 without a corrective-action plan · 1 not counted (clause not graded a nonconformity)",
    );
    expect(findingsSummary([finding({ planned: true })])).toBe("1 finding · every finding has a corrective-action plan");
    expect(findingsSummary([])).toBe("0 findings");
  });
});
