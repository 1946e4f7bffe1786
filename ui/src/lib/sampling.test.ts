import { describe, expect, it } from "vitest";
import { defaultForm, randomSeed, requestOf, ruleOf, type SamplingForm } from "./sampling";

const form = (over: Partial<SamplingForm>): SamplingForm => ({ ...defaultForm(7), ...over });

describe("the sampling form", () => {
  it("starts at metrics.md's example: zero-defect, 95 % confidence, 5 % tolerable", () => {
    expect(ruleOf(defaultForm(7))).toEqual({ rule: { method: "zero_defect", confidence: 0.95, tolerable: 0.05 } });
  });

  it("reads rates in percent, with a comma or a % sign", () => {
    expect(ruleOf(form({ method: "estimate", confidence: "99,5", margin: "5%" }))).toEqual({
      rule: { method: "estimate", confidence: 0.995, margin: 0.05 },
    });
  });

  it("refuses rates outside 0–100 % (exclusive) and text", () => {
    for (const confidence of ["100", "0", "", "abc", "-5", "1e2"]) {
      const r = ruleOf(form({ confidence }));
      expect("error" in r && r.error).toMatch(/confidence must be a percentage/);
    }
    const r = ruleOf(form({ tolerable: "150" }));
    expect("error" in r && r.error).toMatch(/tolerable deviation rate/);
  });

  it("takes a whole fixed size of 1 or more", () => {
    expect(ruleOf(form({ method: "fixed", size: "60" }))).toEqual({ rule: { method: "fixed", size: 60 } });
    for (const size of ["0", "12.5", "", "x"]) {
      expect("error" in ruleOf(form({ method: "fixed", size }))).toBe(true);
    }
  });

  it("builds the request with the seed and a copy of the strata", () => {
    const f = form({ seed: "18295", strata: ["channel", "month"] });
    const r = requestOf(f);
    expect(r).toEqual({ request: { rule: { method: "zero_defect", confidence: 0.95, tolerable: 0.05 }, seed: 18295, strata: ["channel", "month"] } });
    if ("request" in r) expect(r.request.strata).not.toBe(f.strata);
  });

  it("refuses a seed that is not a whole number JavaScript can hold exactly", () => {
    for (const seed of ["-1", "1.5", "", "9007199254740993"]) {
      const r = requestOf(form({ seed }));
      expect("error" in r && r.error).toMatch(/seed/);
    }
  });

  it("draws random seeds below 2^32", () => {
    const seeds = new Set(Array.from({ length: 20 }, randomSeed));
    expect(seeds.size).toBeGreaterThan(1);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});
