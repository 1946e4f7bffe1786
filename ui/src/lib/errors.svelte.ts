// The one path by which failures reach the user: api.ts reports every failed call here and
// the ErrorBanner shows what is in the list.
import type { AppError } from "./bindings/AppError";

export interface ShownError extends AppError {
  id: number;
}

let nextId = 1;
export const errors: ShownError[] = $state([]);

/** Turns anything thrown by a call into the boundary error shape. */
export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "message" in e && "code" in e) {
    return { code: (e as AppError).code, message: String((e as AppError).message) };
  }
  return { code: "unknown", message: e instanceof Error ? e.message : String(e) };
}

export function reportError(e: unknown): AppError {
  const err = toAppError(e);
  errors.push({ ...err, id: nextId++ });
  return err;
}

export function dismissError(id: number): void {
  const i = errors.findIndex((e) => e.id === id);
  if (i >= 0) errors.splice(i, 1);
}
