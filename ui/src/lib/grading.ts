// Pure helpers for suggested grades and the readiness decision: no I/O, unit-tested.
import type { Decision } from "./bindings/Decision";
import type { Grade } from "./bindings/Grade";
import type { GradeCounts } from "./bindings/GradeCounts";
import type { Scorecard } from "./bindings/Scorecard";
import { gradeLabel } from "./checklist";
import { formatNumber, t } from "./i18n.svelte";

/** Why a grade cannot be saved yet: it needs a written reason first. */
export type ReasonNeeded = "na" | "deviation" | null;

/**
 * Whether `grade` needs a reason before it is stored (as the core refuses it otherwise): "not
 * applicable" always does, and so does any grade other than the one the evidence suggests.
 */
export function reasonNeeded(grade: Grade, suggested: Grade | null, reason: string): ReasonNeeded {
  if (reason.trim() !== "") return null;
  if (grade === "na") return "na";
  if (grade === "not-assessed" || suggested === null || grade === suggested) return null;
  return "deviation";
}

/** What the auditor is told when a grade departs from the suggestion. */
export function deviationText(grade: Grade, suggested: Grade): string {
  return t("clause.deviation", { suggested: gradeLabel(suggested), grade: gradeLabel(grade) });
}

/** The readiness decision in words. */
export function decisionLabel(decision: Decision): string {
  return t(`decision.${decision}`);
}

/**
 * The decision's reasons with the clause each one names, from the clauses that drove the
 * decision (`drivers`, in the order of `reasons`): "4.2.4 Estimated resolution time: …" →
 * `4.2.4` and the rest of the sentence; a reason about no single clause keeps `null`.
 */
export function decisionReasons(card: Pick<Scorecard, "reasons" | "drivers">): { clause: string | null; text: string }[] {
  return card.reasons.map((reason, i) => {
    const clause = card.drivers[i]?.clause_id ?? null;
    const text = clause !== null && reason.startsWith(clause) ? reason.slice(clause.length).trim() : reason;
    return { clause, text };
  });
}

/** The grade counts of a scorecard, in the order and words of the grading table. */
export function countRows(counts: GradeCounts): { key: keyof GradeCounts; grade: Grade; label: string; count: number }[] {
  const rows: [keyof GradeCounts, Grade][] = [
    ["conforming", "conforming"],
    ["observation", "observation"],
    ["ofi", "ofi"],
    ["minor", "minor"],
    ["major", "major"],
    ["not_applicable", "na"],
    ["not_assessed", "not-assessed"],
  ];
  return rows.map(([key, grade]) => ({ key, grade, label: gradeLabel(grade), count: counts[key] }));
}

/** A score out of 100 with one decimal, or "—" when nothing is assessed. */
export function formatScore(score: number | null): string {
  return score === null ? "—" : formatNumber(score, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}
