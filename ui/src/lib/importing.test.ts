import { describe, expect, it } from "vitest";
import type { FieldInfo } from "./bindings/FieldInfo";
import type { PreviewRow } from "./bindings/PreviewRow";
import {
  defaultSettings,
  distinctValues,
  emptyField,
  formatDuration,
  formatRate,
  importOptions,
  initialDraft,
  mappingName,
  mappingToml,
  OWN_MAPPING,
  pageCount,
  percent,
  recordColumns,
  recordValue,
  rejectedFileName,
  tomlString,
  validOffset,
} from "./importing";

const FIELDS: FieldInfo[] = [
  { name: "call_id", ty: "text", values: [], required: true },
  { name: "started_at", ty: "timestamp", values: [], required: true },
  { name: "queue", ty: "text", values: [], required: false },
  { name: "outcome", ty: "enum", values: ["answered", "abandoned"], required: true },
  { name: "agent_id", ty: "text", values: [], required: false },
  { name: "transferred", ty: "bool", values: [], required: false },
];

const NO_EXTRAS = { utcOffset: "", header: "" as const, delimiter: "", encoding: "" };

function row(line: number, fields: string[], result: PreviewRow["result"] = null): PreviewRow {
  return { line, fields, result };
}

describe("import options", () => {
  it("sends detected settings as null and trims what was typed", () => {
    const s = defaultSettings("complaints");
    expect(importOptions(s, null)).toEqual({
      kind: "complaints",
      preset: null,
      mapping: null,
      mapping_toml: null,
      header: null,
      replace: false,
      source: { encoding: null, delimiter: null, quote: null, line_ends: null },
      utc_offset: null,
    });
    const forced = { ...s, preset: "cfpb", encoding: "windows-1254", delimiter: ";", quote: "none", lineEnds: " crlf ", header: "no" as const, utcOffset: " +03:00 ", replace: true };
    const o = importOptions(forced, "ignored");
    expect(o.preset).toBe("cfpb");
    expect(o.mapping_toml).toBeNull();
    expect(o.header).toBe(false);
    expect(o.source).toEqual({ encoding: "windows-1254", delimiter: ";", quote: "none", line_ends: "crlf" });
    expect(o.utc_offset).toBe("+03:00");
    expect(o.replace).toBe(true);
  });

  it("sends the mapping built here instead of a preset", () => {
    const o = importOptions({ ...defaultSettings(), preset: OWN_MAPPING, header: "yes" }, "[mapping]\n");
    expect(o.preset).toBeNull();
    expect(o.mapping_toml).toBe("[mapping]\n");
    expect(o.header).toBe(true);
  });

  it("accepts offsets as +HH:MM or -HH:MM only", () => {
    expect(validOffset("")).toBe(true);
    expect(validOffset("+03:00")).toBe(true);
    expect(validOffset("-05:30")).toBe(true);
    expect(validOffset("+3")).toBe(false);
    expect(validOffset("03:00")).toBe(false);
    expect(validOffset("+03:00x")).toBe(false);
  });
});

describe("the mapping editor", () => {
  it("names a mapping after its file", () => {
    expect(mappingName("ACME Export 2024.csv")).toBe("acme-export-2024");
    expect(mappingName("Çağrı İzmir.csv")).toBe("cagri-izmir");
    expect(mappingName(".csv")).toBe("my-layout");
  });

  it("starts from the columns named like canonical fields", () => {
    const d = initialDraft("calls", "x.csv", ["Call_ID", "Agent", "queue "], FIELDS);
    expect(d.fields.call_id).toMatchObject({ source: "column", column: "Call_ID" });
    expect(d.fields.queue).toMatchObject({ source: "column", column: "queue " });
    expect(d.fields.agent_id.source).toBe("none");
    expect(Object.keys(d.fields)).toEqual(FIELDS.map((f) => f.name));
  });

  it("lists the distinct values of a column in the shown rows", () => {
    const rows = [row(2, ["1", "AGENT"]), row(3, ["2", "HANG"]), row(4, ["3", " AGENT "]), row(5, ["4", ""]), row(6, ["5"])];
    expect(distinctValues(rows, ["id", "Result"], "Result")).toEqual(["AGENT", "HANG"]);
    expect(distinctValues(rows, ["id", "Result"], "Missing")).toEqual([]);
    expect(distinctValues(rows, ["id", "Result"], "id", 2)).toEqual(["1", "2"]);
  });

  it("escapes TOML strings", () => {
    expect(tomlString('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(tomlString("x\ny\tz\u0001\u007f")).toBe('"x\\ny\\tz\\u0001\\u007f"');
    expect(tomlString("İş ğ")).toBe('"İş ğ"');
  });

  it("writes the mapping file of docs/mapping.md", () => {
    const d = initialDraft("calls", "acme.csv", [], FIELDS);
    d.decimalComma = true;
    d.fields.call_id = { ...emptyField(), source: "column", column: "Ref" };
    d.fields.started_at = { ...emptyField(), source: "datetime", date: "Date", time: "Time", format: "%d.%m.%Y %H:%M:%S" };
    d.fields.outcome = { ...emptyField(), source: "column", column: "Result", map: { AGENT: "answered", HANG: "abandoned", TEST: "answered" }, skip: ["TEST"] };
    d.fields.queue = { ...emptyField(), source: "value", value: "Sales" };
    d.fields.agent_id = { ...emptyField(), source: "column", column: "" };
    d.fields.transferred = { ...emptyField(), source: "column", column: "Xfer", map: { Y: "yes", N: "" } };
    const text = mappingToml(d, FIELDS, { utcOffset: "+03:00", header: "no", delimiter: ";", encoding: "" });
    expect(text).toBe(
      [
        "[mapping]",
        'name = "acme"',
        'kind = "calls"',
        'utc_offset = "+03:00"',
        'delimiter = ";"',
        "decimal_comma = true",
        "header = false",
        "",
        "[field.call_id]",
        'column = "Ref"',
        "",
        "[field.started_at]",
        'date = "Date"',
        'time = "Time"',
        'format = ["%d.%m.%Y %H:%M:%S"]',
        "",
        "[field.queue]",
        'value = "Sales"',
        "",
        "[field.outcome]",
        'column = "Result"',
        'map = { "AGENT" = "answered", "HANG" = "abandoned" }',
        'skip = { "TEST" = "outcome is TEST" }',
        "",
        "[field.transferred]",
        'column = "Xfer"',
        'map = { "Y" = "yes", "N" = "" }',
        "",
      ].join("\n"),
    );
  });

  it("leaves out fields not in the file and settings left as detected", () => {
    const d = initialDraft("complaints", "", [], FIELDS);
    expect(mappingToml(d, FIELDS, NO_EXTRAS)).toBe('[mapping]\nname = "my-layout"\nkind = "complaints"\n');
  });
});

describe("figures", () => {
  it("formats counts, speeds and durations", () => {
    expect(formatRate(45678.6)).toBe("45,679 rows/s");
    expect(formatDuration(63)).toBe("63 ms");
    expect(formatDuration(4250)).toBe("4.3 s");
    expect(formatDuration(125000)).toBe("2 min 5 s");
  });

  it("computes whole per cents and page counts", () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 4)).toBe(100);
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
  });

  it("offers a file name for rejected rows", () => {
    expect(rejectedFileName("cfpb.csv")).toBe("cfpb-rejected.csv");
    expect(rejectedFileName("queue_log")).toBe("queue_log-rejected.csv");
  });
});

describe("previewed records", () => {
  const rows: PreviewRow[] = [
    row(2, [], { status: "record", values: [{ field: "call_id", value: "K1" }, { field: "qa_respectful", value: "yes" }, { field: "queue", value: "Q" }] }),
    row(3, [], { status: "rejected", errors: [{ line: 3, column: "agent_id", reason: "bad" }] }),
    row(4, [], { status: "record", values: [{ field: "call_id", value: "K2" }, { field: "qa_accurate", value: "no" }] }),
  ];

  it("shows required fields, the fields some record has, then QA checks", () => {
    expect(recordColumns(FIELDS, rows)).toEqual(["call_id", "started_at", "queue", "outcome", "qa_respectful", "qa_accurate"]);
  });

  it("reads a record's value and nothing from other rows", () => {
    expect(recordValue(rows[0], "queue")).toBe("Q");
    expect(recordValue(rows[2], "queue")).toBe("");
    expect(recordValue(rows[1], "agent_id")).toBe("");
  });
});
