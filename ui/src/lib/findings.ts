// Pure helpers for the findings screen: no I/O, unit-tested.
import type { ActionStatus } from "./bindings/ActionStatus";
import type { Finding } from "./bindings/Finding";
import type { FindingUpdate } from "./bindings/FindingUpdate";
import { t } from "./i18n.svelte";

export const ACTION_STATUSES: ActionStatus[] = ["open", "in_progress", "done", "verified"];

/** What a corrective-action plan can lack, in words. */
export function missingLabel(part: string): string {
  return part === "action" ? t("plan.action") : part === "owner" ? t("plan.owner") : t("plan.due");
}

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
  const parts = [t("findings.count", { n })];
  const lacking = unplanned(findings).length;
  const inactive = findings.filter((f) => !f.active).length;
  if (lacking > 0) parts.push(t("findings.withoutPlan", { n: lacking }));
  else if (n > 0) parts.push(t("findings.everyPlanned"));
  if (inactive > 0) parts.push(t("findings.notCounted", { n: inactive }));
  return parts.join(" · ");
}
