// Pure helpers for walking the checklist: which clauses the filters keep, and the progress of
// each top-level section. No I/O, unit-tested.
import type { Assessment } from "./bindings/Assessment";
import type { Checklist } from "./bindings/Checklist";
import type { Clause } from "./bindings/Clause";
import type { Grade } from "./bindings/Grade";
import type { Method } from "./bindings/Method";
import type { SectionProgress } from "./bindings/SectionProgress";
import { gradeOf } from "./checklist";

/** Which clauses to show by their grade: all, assessed, not assessed, or one grade. */
export type StatusFilter = "all" | "assessed" | "unassessed" | Grade;

export interface ClauseFilter {
  /** A top-level section id, or "" for every section. */
  section: string;
  status: StatusFilter;
  /** An audit method the clause lists, or "" for any. */
  method: Method | "";
}

export const NO_FILTER: ClauseFilter = { section: "", status: "all", method: "" };

/** Whether any filter is set. */
export function isFiltering(f: ClauseFilter): boolean {
  return f.section !== "" || f.status !== "all" || f.method !== "";
}

/** The top-level section of every section id of the checklist. */
export function topSections(checklist: Checklist): Map<string, string> {
  const parent = new Map(checklist.sections.map((s) => [s.id, s.parent]));
  const out = new Map<string, string>();
  for (const s of checklist.sections) {
    let id = s.id;
    const seen = new Set<string>();
    for (let p = parent.get(id); p && !seen.has(p); p = parent.get(id)) {
      seen.add(p);
      id = p;
    }
    out.set(s.id, id);
  }
  return out;
}

/** Whether a clause passes the filters. */
export function keeps(
  f: ClauseFilter,
  clause: Clause,
  assessments: Record<string, Assessment>,
  top: Map<string, string>,
): boolean {
  if (f.section !== "" && (top.get(clause.section) ?? clause.section) !== f.section) return false;
  if (f.method !== "" && !clause.methods.includes(f.method)) return false;
  const grade = gradeOf(assessments, clause.id);
  switch (f.status) {
    case "all":
      return true;
    case "assessed":
      return grade !== "not-assessed";
    case "unassessed":
      return grade === "not-assessed";
    default:
      return grade === f.status;
  }
}

/** "4: 3/12 · 5: 0/9 …" as a list: each top-level section with its assessed and total clauses. */
export function progressRows(
  progress: SectionProgress[],
): { section: string; assessed: number; total: number; done: boolean }[] {
  return progress.map((p) => ({ ...p, done: p.total > 0 && p.assessed === p.total }));
}
