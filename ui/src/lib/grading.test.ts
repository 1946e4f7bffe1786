import { describe, expect, it } from "vitest";
import { countRows, decisionLabel, decisionReasons, deviationText, formatScore, reasonNeeded } from "./grading";

describe("a grade that needs a reason", () => {
  it("asks for a justification of not applicable, whatever the suggestion", () => {
    expect(reasonNeeded("na", null, "")).toBe("na");
    expect(reasonNeeded("na", "minor", "  ")).toBe("na");
    expect(reasonNeeded("na", null, "Outside the scope")).toBeNull();
  });

  it("asks for a reason when the grade differs from the suggestion", () => {
    expect(reasonNeeded("conforming", "minor", "")).toBe("deviation");
    expect(reasonNeeded("major", "minor", " \n")).toBe("deviation");
    expect(reasonNeeded("conforming", "minor", "Sampled 40 more complaints: all had a reference")).toBeNull();
  });

  it("needs nothing for the suggested grade, without a suggestion, or when not assessed", () => {
    expect(reasonNeeded("minor", "minor", "")).toBeNull();
    expect(reasonNeeded("conforming", null, "")).toBeNull();
    expect(reasonNeeded("not-assessed", "major", "")).toBeNull();
  });

  it("names both grades", () => {
    expect(deviationText("conforming", "minor")).toBe(
      "The evidence suggests “Minor nonconformity”; grading it “Conforming” is saved once you write the reason below.",
    );
  });
});

describe("the readiness decision", () => {
  it("puts every decision in words", () => {
    expect(decisionLabel("ready")).toBe("Ready");
    expect(decisionLabel("ready_subject_to_corrective_actions")).toBe("Ready subject to corrective actions");
    expect(decisionLabel("conditionally_ready")).toBe("Conditionally ready");
    expect(decisionLabel("not_ready")).toBe("Not ready");
    expect(decisionLabel("incomplete")).toBe("Incomplete");
  });

  it("names the clause of each reason from the clauses that drove the decision", () => {
    const incomplete = decisionReasons({
      reasons: [
        "4.2.4 Estimated resolution time: mandatory and not assessed",
        "7.2 Erişilebilirlik: zorunlu ve değerlendirilmedi",
      ],
      drivers: [
        { clause_id: "4.2.4", kind: "mandatory_not_assessed" },
        { clause_id: "7.2", kind: "mandatory_not_assessed" },
      ],
    });
    expect(incomplete).toEqual([
      { clause: "4.2.4", text: "Estimated resolution time: mandatory and not assessed" },
      { clause: "7.2", text: "Erişilebilirlik: zorunlu ve değerlendirilmedi" },
    ]);
    // A ready decision has a reason and no driving clause.
    expect(decisionReasons({ reasons: ["no clause is graded a nonconformity"], drivers: [] })).toEqual([
      { clause: null, text: "no clause is graded a nonconformity" },
    ]);
  });

  it("lists the grade counts in the order of the grading table", () => {
    const rows = countRows({ conforming: 9, observation: 1, ofi: 1, minor: 1, major: 0, not_applicable: 1, not_assessed: 42 });
    expect(rows.map((r) => [r.grade, r.count])).toEqual([
      ["conforming", 9],
      ["observation", 1],
      ["ofi", 1],
      ["minor", 1],
      ["major", 0],
      ["na", 1],
      ["not-assessed", 42],
    ]);
    expect(rows[5].label).toBe("Not applicable");
  });

  it("shows a score with one decimal, or a dash when nothing is assessed", () => {
    expect(formatScore(95)).toBe("95.0");
    expect(formatScore(96.04)).toBe("96.0");
    expect(formatScore(null)).toBe("—");
  });
});
