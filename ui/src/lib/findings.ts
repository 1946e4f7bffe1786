// Pure helpers for the findings screen: no I/O, unit-tested.
import type { ActionStatus } from "./bindings/ActionStatus";
import type { Finding } from "./bindings/Finding";
import type { FindingUpdate } from "./bindings/FindingUpdate";

export const ACTION_STATUSES: { value: ActionStatus; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "in_progress", label: "In progress" },
  { value: "done", label: "Done" },
  { value: "verified", label: "Verified" },
];

/** The text fields of a finding that the screen edits. */
export type FindingField = "statement" | "evidence" | "requirement" | "cause" | "action" | "owner" | "due_date";

/** A change that keeps everything as stored. */
export function noChange(): FindingUpdate {
  return {
    grade: null,
    statement: null,
    evidence: null,
    requirement: null,
    cause: null,
    action: null,
    owner: null,
    due_date: null,
    status: null,
  };
}

/** A change of one text field, everything else kept as stored. */
export function changeOf(field: FindingField, value: string): FindingUpdate {
  return { ...noChange(), [field]: value };
}

/** What a corrective-action plan still lacks (the core's rule: action, owner and due date). */
export function missingPlan(f: Pick<Finding, "action" | "owner" | "due_date">): string[] {
  const missing: string[] = [];
  if (f.action.trim() === "") missing.push("action");
  if (f.owner.trim() === "") missing.push("owner");
  if (!f.due_date) missing.push("due date");
  return missing;
}

/** The findings that lack a corrective-action plan. */
export function unplanned(findings: Finding[]): Finding[] {
  return findings.filter((f) => !f.planned);
}

/** The findings screen's summary line. */
export function findingsSummary(findings: Finding[]): string {
  const n = findings.length;
  const parts = [`${n} finding${n === 1 ? "" : "s"}`];
  const lacking = unplanned(findings).length;
  const inactive = findings.filter((f) => !f.active).length;
  if (lacking > 0) parts.push(`${lacking} without a corrective-action plan`);
  else if (n > 0) parts.push("every finding has a corrective-action plan");
  if (inactive > 0) parts.push(`${inactive} not counted (clause not graded a nonconformity)`);
  return parts.join(" · ");
}
