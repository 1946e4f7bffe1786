// The only module that calls the Rust side. Every failure is reported through errors.svelte.ts
// and then rethrown so that callers can stop what they were doing.
import { invoke } from "@tauri-apps/api/core";
import type { AssessmentUpdate } from "./bindings/AssessmentUpdate";
import type { AuditView } from "./bindings/AuditView";
import type { NewAudit } from "./bindings/NewAudit";
import type { Saved } from "./bindings/Saved";
import { reportError } from "./errors.svelte";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw reportError(e);
  }
}

export const api = {
  /** Opens what the app starts on: the file it was started with, the last one, or the demo. */
  start: () => call<AuditView>("start"),
  currentAudit: () => call<AuditView | null>("current_audit"),
  openDemo: () => call<AuditView>("open_demo"),
  /** Native open dialog; `null` when cancelled. */
  chooseAndOpen: () => call<AuditView | null>("choose_and_open"),
  /** Native save dialog, then creates the audit there; `null` when cancelled. */
  chooseAndCreate: (details: NewAudit) => call<AuditView | null>("choose_and_create", { details }),
  updateAssessment: (clauseId: string, update: AssessmentUpdate) =>
    call<Saved>("update_assessment", { clauseId, update }),
};
