// The settings panel's fields: labels, and the value shown in and sent from each input. Pure,
// unit-tested; the core validates what is sent.
import type { Parameters } from "./bindings/Parameters";
import type { Unit } from "./bindings/Unit";

export const PARAMETERS: { key: keyof Parameters; label: string; unit: string }[] = [
  { key: "service_level_seconds", label: "T: answered within (service level)", unit: "s" },
  { key: "short_abandon_seconds", label: "Short abandon: abandoned before", unit: "s" },
  { key: "complaint_resolution_days", label: "D: complaints resolved within", unit: "days" },
  { key: "calling_hours_start", label: "Outbound calling hours from", unit: "HH:MM" },
  { key: "calling_hours_end", label: "Outbound calling hours until", unit: "HH:MM" },
  { key: "opt_out_grace_days", label: "Opt-out grace period", unit: "days" },
  { key: "corrective_action_due_days", label: "Corrective actions due after the audit", unit: "days" },
];

/** A target as its input shows it: proportions in percent, seconds and counts as they are. */
export function targetInput(unit: Unit, value: number | null): string {
  if (value === null) return "";
  if (unit === "proportion") return String(Math.round(value * 100 * 10000) / 10000);
  return String(value);
}

/** The unit printed after a target's input. */
export function targetUnit(unit: Unit): string {
  return unit === "proportion" ? "%" : unit === "seconds" ? "s" : unit === "count" ? "breaches" : "";
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
