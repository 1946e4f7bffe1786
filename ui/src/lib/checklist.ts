// Pure helpers over the checklist and the assessments: no I/O, unit-tested.
import type { Assessment } from "./bindings/Assessment";
import type { AuditType } from "./bindings/AuditType";
import type { Checklist } from "./bindings/Checklist";
import type { Clause } from "./bindings/Clause";
import type { Grade } from "./bindings/Grade";
import type { MetricBinding } from "./bindings/MetricBinding";
import type { Method } from "./bindings/Method";
import type { Section } from "./bindings/Section";
import { percentText as percent, secondsText as seconds, t } from "./i18n.svelte";

export type Localized = { [key in string]?: string };

export interface TreeNode {
  section: Section;
  children: TreeNode[];
  clauses: Clause[];
}

/** Sections nested under their parents, each with its own clauses, in checklist order. */
export function buildTree(checklist: Checklist): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const section of checklist.sections) {
    nodes.set(section.id, { section, children: [], clauses: [] });
  }
  const roots: TreeNode[] = [];
  for (const section of checklist.sections) {
    const node = nodes.get(section.id)!;
    const parent = section.parent ? nodes.get(section.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  for (const clause of checklist.clauses) nodes.get(clause.section)?.clauses.push(clause);
  return roots;
}

/** Text in `lang`, else in the checklist's first language. */
export function tr(text: Localized, lang: string, languages: string[]): string {
  return text[lang] ?? (languages[0] !== undefined ? text[languages[0]] : undefined) ?? "";
}

/** The grades in the order of the grading table, each with its keyboard shortcut. */
export const GRADES: { grade: Grade; key: string }[] = [
  { grade: "conforming", key: "1" },
  { grade: "observation", key: "2" },
  { grade: "ofi", key: "3" },
  { grade: "minor", key: "4" },
  { grade: "major", key: "5" },
  { grade: "na", key: "6" },
  { grade: "not-assessed", key: "0" },
];

/** The grade a key chooses on the clause view ("1" → conforming), or `null`. */
export function gradeOfKey(key: string): Grade | null {
  return GRADES.find((g) => g.key === key)?.grade ?? null;
}

export const AUDIT_TYPES: AuditType[] = ["stage1", "stage2", "surveillance", "self-assessment"];

export function auditTypeLabel(type: AuditType): string {
  return AUDIT_TYPES.includes(type) ? t(`auditType.${type}`) : type;
}

export function gradeLabel(grade: Grade): string {
  return GRADES.some((g) => g.grade === grade) ? t(`grade.${grade}`) : grade;
}

export function gradeOf(assessments: Record<string, Assessment>, clauseId: string): Grade {
  return assessments[clauseId]?.grade ?? "not-assessed";
}

export function methodLabel(method: Method): string {
  return t(`method.${method}`);
}

/** A metric's target in words, e.g. "≥ 80 %", "≤ 30 s", "= 0", "voice, email, chat". */
export function targetText(m: MetricBinding): string {
  switch (m.comparator) {
    case "monitor":
      return t("target.monitored");
    case "includes":
      return t("target.includes", { channels: m.channels.join(t("list.separator")) });
    default: {
      const target = m.target ?? 0;
      const sign = m.comparator === ">=" ? "≥" : "≤";
      if (m.id === "asa_seconds") return `${sign} ${seconds(target)}`;
      if (target === 0 && m.comparator === "<=") return "= 0";
      return `${sign} ${percent(Math.round(target * 1000) / 10)}`;
    }
  }
}

/** Whether a clause matches a search query (id, title or requirement, case-insensitive). */
export function matches(clause: Clause, query: string, lang: string, languages: string[]): boolean {
  const q = query.trim().toLocaleLowerCase(lang);
  if (q === "") return true;
  const hay = [clause.id, tr(clause.title, lang, languages), tr(clause.requirement, lang, languages)]
    .join("\n")
    .toLocaleLowerCase(lang);
  return hay.includes(q);
}

/**
 * The next (or previous) clause after `currentId` in checklist order that is not assessed yet,
 * wrapping around; `null` when every clause is assessed.
 */
export function nextUnassessed(
  clauses: Clause[],
  assessments: Record<string, Assessment>,
  currentId: string | null,
  step: 1 | -1 = 1,
): string | null {
  const n = clauses.length;
  const start = clauses.findIndex((c) => c.id === currentId);
  for (let i = 1; i <= n; i++) {
    const idx = (((start + step * i) % n) + n) % n;
    if (gradeOf(assessments, clauses[idx].id) === "not-assessed") return clauses[idx].id;
  }
  return null;
}
