// The settings panel's fields: labels, and the value shown in and sent from each input. Pure,
// unit-tested; the core validates what is sent.
import type { Parameters } from "./bindings/Parameters";
import type { Unit } from "./bindings/Unit";
import { t } from "./i18n.svelte";

export const PARAMETERS: { key: keyof Parameters; unit: "s" | "days" | "HH:MM" }[] = [
  { key: "service_level_seconds", unit: "s" },
  { key: "short_abandon_seconds", unit: "s" },
  { key: "complaint_resolution_days", unit: "days" },
  { key: "calling_hours_start", unit: "HH:MM" },
  { key: "calling_hours_end", unit: "HH:MM" },
  { key: "opt_out_grace_days", unit: "days" },
  { key: "corrective_action_due_days", unit: "days" },
];

/** A parameter's name in words. */
export function parameterLabel(key: keyof Parameters): string {
  return t(`param.${key}`);
}

/** A parameter's unit in words. */
export function parameterUnit(unit: "s" | "days" | "HH:MM"): string {
  return unit === "s" ? t("unit.secondsShort") : unit === "days" ? t("unit.days") : unit;
}

/** A target as its input shows it: proportions in percent, seconds and counts as they are. */
export function targetInput(unit: Unit, value: number | null): string {
  if (value === null) return "";
  if (unit === "proportion") return String(Math.round(value * 100 * 10000) / 10000);
  return String(value);
}

/** The unit printed after a target's input. */
export function targetUnit(unit: Unit): string {
  return unit === "proportion" ? "%" : unit === "seconds" ? t("unit.secondsShort") : unit === "count" ? t("unit.breaches") : "";
}

/**
 * What is sent for a target typed in its input: proportions are typed in percent, so a bare
 * number gets a "%"; an empty input restores the checklist's default.
 */
export function targetChange(unit: Unit, typed: string): string {
  const t = typed.trim();
  if (t === "" || unit !== "proportion" || t.endsWith("%")) return t;
  return `${t}%`;
}
