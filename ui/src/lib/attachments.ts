// Pure helpers of the attachments panel (what to preview, how to show sizes and hashes).
import type { Attachment } from "./bindings/Attachment";

/** The app previews attachments up to this size (the core refuses larger ones). */
export const MAX_PREVIEW_BYTES = 20 * 1024 * 1024;

export type PreviewKind = "image" | "pdf" | "text" | "none";

/** How an attachment is previewed, from the media type the core recognised from its content. */
export function previewKind(a: Pick<Attachment, "media_type" | "size">): PreviewKind {
  if (a.size > MAX_PREVIEW_BYTES) return "none";
  if (/^image\/(png|jpeg|gif|webp)$/.test(a.media_type)) return "image";
  if (a.media_type === "application/pdf") return "pdf";
  if (a.media_type.startsWith("text/plain")) return "text";
  return "none";
}

/** The first 12 hex digits of a SHA-256, enough to tell files apart on screen. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

/** Bytes as a data: URL (the window's policy allows images only from the app and data:). */
export function dataUrl(mediaType: string, bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return `data:${mediaType};base64,${btoa(binary)}`;
}

/** Paths typed into the "attach by path" field: one per line, blank lines ignored. */
export function typedPaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
