// The only module that calls the Rust side. Every failure is reported through errors.svelte.ts
// and then rethrown so that callers can stop what they were doing.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AssessmentUpdate } from "./bindings/AssessmentUpdate";
import type { Attachment } from "./bindings/Attachment";
import type { AuditView } from "./bindings/AuditView";
import type { DropEvent } from "./bindings/DropEvent";
import type { Exported } from "./bindings/Exported";
import type { ImportEntry } from "./bindings/ImportEntry";
import type { ImportEvent } from "./bindings/ImportEvent";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportReport } from "./bindings/ImportReport";
import type { NewAudit } from "./bindings/NewAudit";
import type { Preview } from "./bindings/Preview";
import type { RejectedPage } from "./bindings/RejectedPage";
import type { Saved } from "./bindings/Saved";
import type { Distributions } from "./bindings/Distributions";
import type { Evidence } from "./bindings/Evidence";
import type { Finding } from "./bindings/Finding";
import type { FindingUpdate } from "./bindings/FindingUpdate";
import type { Grade } from "./bindings/Grade";
import type { Sample } from "./bindings/Sample";
import type { SamplePlan } from "./bindings/SamplePlan";
import type { SampleRequest } from "./bindings/SampleRequest";
import type { Scorecard } from "./bindings/Scorecard";
import type { SettingChange } from "./bindings/SettingChange";
import type { Settings } from "./bindings/Settings";
import type { SizeRule } from "./bindings/SizeRule";
import type { Suggestion } from "./bindings/Suggestion";
import type { PurgeReport } from "./bindings/PurgeReport";
import type { ReportExport } from "./bindings/ReportExport";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { ReportLang } from "./bindings/ReportLang";
import type { ReportPreview } from "./bindings/ReportPreview";
import type { ReportStage } from "./bindings/ReportStage";
import type { DialogText } from "./bindings/DialogText";
import { reportError } from "./errors.svelte";
import { i18n, t, type Key, type Params } from "./i18n.svelte";
import { reportLangOf } from "./report";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw reportError(e);
  }
}

function channel<T>(onMessage: (message: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onMessage;
  return ch;
}

/** The language the Rust side writes its words in (advice, reasons, rules): the window's when it
 * is one the core speaks, else English. */
export function coreLang(): ReportLang {
  return reportLangOf(i18n.locale);
}

/** The words of a native file dialog in the window's language. */
function dialog(title: Key, filter: Key | null, params: Params = {}): DialogText {
  return { title: t(title, params), filter: filter === null ? "" : t(filter), all_files: t("dialog.allFiles") };
}

export const api = {
  /** Tells the Rust side the window's language: error messages are written in it from now on. */
  setLanguage: () => call<null>("set_language", { lang: coreLang() }),
  /** Opens what the app starts on: the file it was started with, the last one, or the demo. */
  start: () => call<AuditView>("start"),
  currentAudit: () => call<AuditView | null>("current_audit"),
  openDemo: () => call<AuditView>("open_demo"),
  /** The recently opened audit files that still exist, most recent first. */
  recentAudits: () => call<string[]>("recent_audits"),
  /** Opens a file of the recent list. */
  openRecent: (path: string) => call<AuditView>("open_recent", { path }),
  /** Native open dialog; `null` when cancelled. */
  chooseAndOpen: () => call<AuditView | null>("choose_and_open", { text: dialog("dialog.openAudit", "dialog.auditFile") }),
  /** Native save dialog, then creates the audit there; `null` when cancelled. */
  chooseAndCreate: (details: NewAudit) => call<AuditView | null>("choose_and_create", { details, text: dialog("dialog.saveNewAudit", "dialog.auditFile") }),
  updateAssessment: (clauseId: string, update: AssessmentUpdate) =>
    call<Saved>("update_assessment", { clauseId, update }),
  /** Writes back a clause's grade, note and reason from before its latest change. */
  undoAssessment: (clauseId: string) => call<Saved>("undo_assessment", { clauseId }),

  /** Native open dialog for a record export; its path, or `null` when cancelled. */
  chooseImportFile: () => call<string | null>("choose_import_file", { text: dialog("dialog.chooseExport", "dialog.exportFiles") }),
  /** What importing the file would do, without importing it. */
  previewImport: (path: string, options: ImportOptions) => call<Preview>("preview_import", { path, options }),
  /** Imports the file; `onEvent` hears its start and progress. */
  startImport: (path: string, options: ImportOptions, onEvent: (e: ImportEvent) => void) =>
    call<ImportReport>("start_import", { path, options, onEvent: channel(onEvent) }),
  cancelImport: () => call<void>("cancel_import"),
  listImports: () => call<ImportEntry[]>("list_imports"),
  rejectedRows: (importId: number, offset: number, limit: number) =>
    call<RejectedPage>("rejected_rows", { importId, offset, limit }),
  /** Native save dialog, then writes the rejected rows there; `null` when cancelled. */
  chooseAndExportRejected: (importId: number, suggestedName: string) =>
    call<Exported | null>("choose_and_export_rejected", {
      importId,
      suggestedName,
      text: dialog("dialog.exportRejected", "dialog.csvFile"),
    }),
  /** Native save dialog, then writes the mapping there; its path, or `null` when cancelled. */
  chooseAndSaveMapping: (toml: string, suggestedName: string) =>
    call<string | null>("choose_and_save_mapping", { toml, suggestedName, text: dialog("dialog.saveMapping", "dialog.mappingFile") }),
  /** From now on, files dragged over or dropped on the window are announced to `onEvent`. */
  watchDrops: (onEvent: (e: DropEvent) => void) => call<void>("watch_drops", { channel: channel(onEvent) }),
  /** `onClose` runs when the window is asked to close; it saves, then calls `closeWindow`. */
  watchClose: (onClose: () => void) => call<void>("watch_close", { channel: channel<boolean>(() => onClose()) }),
  closeWindow: () => call<void>("close_window"),
  // Evidence, scores, findings, settings and sampling.
  evidence: () => call<Evidence>("evidence", { lang: coreLang() }),
  suggestion: (clauseId: string) => call<Suggestion | null>("suggestion", { clauseId, lang: coreLang() }),
  scorecard: () => call<Scorecard>("scorecard", { lang: coreLang() }),
  /** Queue waits and complaint resolution times in buckets cut at the audit's T and D. */
  distributions: () => call<Distributions>("distributions"),
  findings: () => call<Finding[]>("findings"),
  addFinding: (clauseId: string, grade: Grade) => call<Finding>("add_finding", { clauseId, grade }),
  updateFinding: (id: number, update: FindingUpdate) => call<Finding>("update_finding", { id, update }),
  deleteFinding: (id: number) => call<null>("delete_finding", { id }),
  settings: () => call<Settings>("settings"),
  /** Changes one parameter or target (`target.<metric>`); an empty value restores the default. */
  setSetting: (change: SettingChange) => call<Settings>("set_setting", { change }),
  planSample: (rule: SizeRule) => call<SamplePlan>("plan_sample", { rule }),
  /** Native save dialog, then draws the sample and writes its sheet there; `null` when cancelled. */
  chooseAndDrawSample: (request: SampleRequest) => call<Sample | null>("choose_and_draw_sample", { request, text: dialog("dialog.saveSheet", "dialog.csvFile") }),
  samples: () => call<Sample[]>("samples"),
  // Evidence attached to clauses.
  attachments: (clauseId: string) => call<Attachment[]>("attachments", { clauseId }),
  /** Native open dialog (several files); empty when cancelled. */
  chooseAndAttach: (clauseId: string) => call<Attachment[]>("choose_and_attach", { clauseId, text: dialog("dialog.attach", null, { id: clauseId }) }),
  /** Attaches files given by path (dropped on the window or typed). */
  attachFiles: (clauseId: string, paths: string[]) => call<Attachment[]>("attach_files", { clauseId, paths }),
  addInterview: (clauseId: string, title: string, text: string) =>
    call<Attachment>("add_interview", { clauseId, title, text }),
  /** The attachment's bytes (images, PDF and text up to 20 MiB). */
  attachmentPreview: async (id: number) => new Uint8Array(await call<ArrayBuffer>("attachment_preview", { id })),
  /** Native folder dialog, then saves a copy there; the path written, or `null` when cancelled. */
  chooseAndExportAttachment: (id: number) => call<string | null>("choose_and_export_attachment", { id, text: dialog("dialog.saveAttachmentCopy", null) }),
  removeAttachment: (id: number) => call<Attachment>("remove_attachment", { id }),
  // The readiness report, the audit's details and personal data.
  report: (lang: ReportLang) => call<ReportPreview>("report", { lang }),
  /** Native save dialog, then writes the report there; `onStage` hears each stage; `null` when cancelled. */
  chooseAndExportReport: (format: ReportFormat, lang: ReportLang, suggestedName: string, onStage: (s: ReportStage) => void) =>
    call<ReportExport | null>("choose_and_export_report", {
      format,
      lang,
      suggestedName,
      text: { ...dialog("dialog.saveReport", null), filter: format.toUpperCase() },
      onEvent: channel(onStage),
    }),
  updateDetails: (details: NewAudit) => call<AuditView>("update_details", { details }),
  /** Removes customer pseudonyms, rejected-row copies and the pseudonymisation key. */
  purgePersonalData: () => call<PurgeReport>("purge_personal_data"),
};
