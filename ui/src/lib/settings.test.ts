import { describe, expect, it } from "vitest";
import type { Parameters } from "./bindings/Parameters";
import { PARAMETERS, targetChange, targetInput, targetUnit } from "./settings";

describe("settings fields", () => {
  it("has a field for every parameter the core stores", () => {
    // A full Parameters value: the compiler rejects it when the Rust type gains a field.
    const all: Parameters = {
      service_level_seconds: 20,
      short_abandon_seconds: 5,
      complaint_resolution_days: 15,
      calling_hours_start: "09:00",
      calling_hours_end: "20:00",
      opt_out_grace_days: 3,
      corrective_action_due_days: 30,
    };
    expect(PARAMETERS.map((p) => p.key).sort()).toEqual(Object.keys(all).sort());
  });

  it("shows proportion targets in percent and sends them with a % sign", () => {
    expect(targetInput("proportion", 0.8)).toBe("80");
    expect(targetInput("proportion", 0.955)).toBe("95.5");
    expect(targetInput("seconds", 30)).toBe("30");
    expect(targetInput("count", 0)).toBe("0");
    expect(targetInput("proportion", null)).toBe("");
    expect(targetChange("proportion", " 85 ")).toBe("85%");
    expect(targetChange("proportion", "85%")).toBe("85%");
    expect(targetChange("seconds", "25")).toBe("25");
    expect(targetUnit("proportion")).toBe("%");
  });

  it("sends an emptied field as empty: the default comes back", () => {
    expect(targetChange("proportion", "  ")).toBe("");
  });
});
