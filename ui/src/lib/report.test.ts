import { describe, expect, it } from "vitest";
import type { ClausePart } from "./bindings/ClausePart";
import type { MetricPart } from "./bindings/MetricPart";
import {
  clauseMetrics,
  driverText,
  reportLangOf,
  num,
  reportFileName,
  scoreText,
  shortSha,
  stageText,
  withGroups,
} from "./report";

describe("reportFileName", () => {
  it("names the file after the audit file, what it holds and its language", () => {
    expect(reportFileName("/home/elif/Marmara Enerji.ccaudit", "pdf", "tr")).toBe("Marmara Enerji-readiness-report-tr.pdf");
    expect(reportFileName("C:\\audits\\site.CCAUDIT", "html", "en")).toBe("site-readiness-report-en.html");
    expect(reportFileName("/a/site.ccaudit", "csv", "en")).toBe("site-findings-en.csv");
    expect(reportFileName("/a/.ccaudit", "json", "en")).toBe("audit-readiness-report-en.json");
  });
});

describe("numbers in the report's language", () => {
  it("groups and separates decimals as each language does", () => {
    expect(num(20000, "en")).toBe("20,000");
    expect(num(20000, "tr")).toBe("20.000");
    expect(num(82.5, "tr", 1)).toBe("82,5");
    expect(scoreText(82.46, "en")).toBe("82.5");
    expect(scoreText(null, "en")).toBe("—");
  });
  it("starts in Turkish only when the checklist is shown in Turkish", () => {
    expect(reportLangOf("tr")).toBe("tr");
    expect(reportLangOf("en")).toBe("en");
    expect(reportLangOf("de")).toBe("en");
  });
});

describe("stages and digests", () => {
  it("describes each stage and shortens a SHA-256", () => {
    expect(stageText("rendering")).toBe("export.stageRendering");
    const sha = "0123456789abcdef".repeat(4);
    expect(shortSha(sha)).toBe("0123456789ab…cdef");
    expect(shortSha("abc")).toBe("abc");
  });
});

function part(id: string, group: string, metrics: string[] = []): ClausePart {
  return { id, group, metrics } as unknown as ClausePart;
}

describe("withGroups and clauseMetrics", () => {
  it("prints a group heading only where the group starts", () => {
    const rows = withGroups([part("4.1", "4 A"), part("4.2", "4 A"), part("5.1", "5 B"), part("4.3", "4 A")]);
    expect(rows.map((r) => r.group)).toEqual(["4 A", null, "5 B", "4 A"]);
  });
  it("lists a clause's metrics in its order and skips unknown ids", () => {
    const metrics = [{ id: "a" }, { id: "b" }] as MetricPart[];
    expect(clauseMetrics(part("4.1", "", ["b", "x", "a"]), metrics).map((m) => m.id)).toEqual(["b", "a"]);
  });
});

describe("driverText", () => {
  it("drops the clause id the link shows", () => {
    const d = { clause_id: "4.2.4", title: "T", kind: "major", text: "4.2.4 T: major nonconformity" } as const;
    expect(driverText(d)).toBe("T: major nonconformity");
    expect(driverText({ ...d, text: "no id here" })).toBe("no id here");
  });
});
