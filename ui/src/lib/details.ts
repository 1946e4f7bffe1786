// The audit-details form and the details it stores: pure, unit-tested.
import type { AuditMeta } from "./bindings/AuditMeta";
import type { AuditType } from "./bindings/AuditType";
import type { NewAudit } from "./bindings/NewAudit";
import type { Key } from "./i18n.svelte";

/** The channels offered as boxes to tick; an audit's other channels are offered too. */
export const CHANNELS = ["voice", "chat", "email", "social"];

/** What the form's fields hold: text as typed. */
export interface DetailsForm {
  organisation: string;
  site: string;
  scope: string;
  channels: string[];
  auditType: AuditType;
  /** Names separated by commas. */
  auditors: string;
  start: string;
  end: string;
}

export function formOf(meta: AuditMeta): DetailsForm {
  return {
    organisation: meta.organisation,
    site: meta.site ?? "",
    scope: meta.scope ?? "",
    channels: [...meta.channels],
    auditType: meta.audit_type,
    auditors: meta.auditors.join(", "),
    start: meta.start_date ?? "",
    end: meta.end_date ?? "",
  };
}

/** The channels to offer: the usual ones, then any other the audit has, in its order. */
export function channelChoices(current: string[]): string[] {
  return [...CHANNELS, ...current.filter((c) => !CHANNELS.includes(c))];
}

/** The details the form describes: blanks become null, auditors split on commas. */
export function detailsOf(form: DetailsForm): NewAudit {
  const blank = (s: string) => (s.trim() === "" ? null : s.trim());
  return {
    organisation: form.organisation.trim(),
    site: blank(form.site),
    scope: blank(form.scope),
    channels: form.channels,
    audit_type: form.auditType,
    auditors: form.auditors
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== ""),
    start_date: blank(form.start),
    end_date: blank(form.end),
  };
}

/** Why the form cannot be saved yet (a message key), or `null` when it can. */
export function formProblem(form: DetailsForm): Key | null {
  if (form.organisation.trim() === "") return "details.organisationRequired";
  if (form.start !== "" && form.end !== "" && form.end < form.start) {
    return "details.endBeforeStart";
  }
  return null;
}
