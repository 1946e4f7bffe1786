// The sampling dialog's form, checked and turned into a request: no I/O, unit-tested.
import type { SampleRequest } from "./bindings/SampleRequest";
import type { SizeRule } from "./bindings/SizeRule";
import type { Stratum } from "./bindings/Stratum";
import { t, type Key } from "./i18n.svelte";

export type Method = SizeRule["method"];

/** The dialog's fields as typed; rates in percent. */
export interface SamplingForm {
  method: Method;
  size: string;
  confidence: string;
  tolerable: string;
  margin: string;
  seed: string;
  strata: Stratum[];
}

export const STRATA: Stratum[] = ["channel", "queue", "month", "weekday"];

export const METHODS: { value: Method; label: Key }[] = [
  { value: "fixed", label: "sampling.fixed" },
  { value: "zero_defect", label: "sampling.zeroDefect" },
  { value: "estimate", label: "sampling.estimate" },
];

/** The defaults of metrics.md's examples: 95 % confidence, 5 % tolerable rate or margin. */
export function defaultForm(seed: number): SamplingForm {
  return { method: "zero_defect", size: "50", confidence: "95", tolerable: "5", margin: "5", seed: String(seed), strata: [] };
}

/** A random seed a person can still read and type (below 2³²). */
export function randomSeed(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0];
}

function number(raw: string): number | null {
  const t = raw.trim().replace(",", ".");
  if (t === "" || !/^[0-9]*\.?[0-9]+$/.test(t)) return null;
  return Number(t);
}

function rate(raw: string, problem: Key): number | string {
  const v = number(raw.replace(/%\s*$/, ""));
  if (v === null || v <= 0 || v >= 100) return t(problem);
  return v / 100;
}

/** The size rule of the form, or what is wrong with it. */
export function ruleOf(form: SamplingForm): { rule: SizeRule } | { error: string } {
  switch (form.method) {
    case "fixed": {
      const size = number(form.size);
      if (size === null || !Number.isInteger(size) || size < 1) return { error: t("sampling.errSize") };
      return { rule: { method: "fixed", size } };
    }
    case "zero_defect": {
      const confidence = rate(form.confidence, "sampling.errConfidence");
      if (typeof confidence === "string") return { error: confidence };
      const tolerable = rate(form.tolerable, "sampling.errTolerable");
      if (typeof tolerable === "string") return { error: tolerable };
      return { rule: { method: "zero_defect", confidence, tolerable } };
    }
    case "estimate": {
      const confidence = rate(form.confidence, "sampling.errConfidence");
      if (typeof confidence === "string") return { error: confidence };
      const margin = rate(form.margin, "sampling.errMargin");
      if (typeof margin === "string") return { error: margin };
      return { rule: { method: "estimate", confidence, margin } };
    }
  }
}

/** The whole request, or what is wrong with the form. */
export function requestOf(form: SamplingForm): { request: SampleRequest } | { error: string } {
  const r = ruleOf(form);
  if ("error" in r) return r;
  const seed = form.seed.trim();
  if (!/^[0-9]+$/.test(seed) || !Number.isSafeInteger(Number(seed))) {
    return { error: t("sampling.errSeed", { max: Number.MAX_SAFE_INTEGER }) };
  }
  return { request: { rule: r.rule, seed: Number(seed), strata: [...form.strata] } };
}
