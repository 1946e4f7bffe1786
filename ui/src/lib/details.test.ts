import { describe, expect, it } from "vitest";
import type { AuditMeta } from "./bindings/AuditMeta";
import { channelChoices, detailsOf, formOf, formProblem } from "./details";

const meta: AuditMeta = {
  created_at: "2026-11-01T09:00:00Z",
  checklist_id: "c",
  checklist_version: "1",
  checklist_sha256: "",
  schema_version: 5,
  organisation: "Marmara Enerji",
  site: null,
  scope: "Inbound calls",
  channels: ["voice", "sms"],
  audit_type: "stage2",
  auditors: ["Elif Şahin", "Can Öz"],
  start_date: "2026-11-02",
  end_date: null,
};

describe("the audit-details form", () => {
  it("round-trips stored details", () => {
    const form = formOf(meta);
    expect(form.auditors).toBe("Elif Şahin, Can Öz");
    expect(form.site).toBe("");
    const d = detailsOf(form);
    expect(d).toEqual({
      organisation: "Marmara Enerji",
      site: null,
      scope: "Inbound calls",
      channels: ["voice", "sms"],
      audit_type: "stage2",
      auditors: ["Elif Şahin", "Can Öz"],
      start_date: "2026-11-02",
      end_date: null,
    });
  });
  it("trims, drops blanks and splits auditors on commas", () => {
    const d = detailsOf({ ...formOf(meta), organisation: "  Ege ", site: "  ", auditors: " A ,, B,", end: "" });
    expect([d.organisation, d.site, d.auditors, d.end_date]).toEqual(["Ege", null, ["A", "B"], null]);
  });
  it("names what stops the form from being saved", () => {
    expect(formProblem(formOf(meta))).toBeNull();
    expect(formProblem({ ...formOf(meta), organisation: " " })).toBe("details.organisationRequired");
    expect(formProblem({ ...formOf(meta), start: "2026-11-05", end: "2026-11-04" })).toBe("details.endBeforeStart");
  });
  it("offers the usual channels and the audit's own", () => {
    expect(channelChoices(meta.channels)).toEqual(["voice", "chat", "email", "social", "sms"]);
  });
});
