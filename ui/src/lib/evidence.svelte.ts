// The open audit's evidence, loaded once per audit and again after a setting changes, shared by
// the clause view and the dashboard.
import { api } from "./api";
import type { Evidence } from "./bindings/Evidence";

class EvidenceState {
  current = $state<Evidence | null>(null);

  /** Reloads the evidence; a failure is already shown by the error banner. */
  async refresh(): Promise<void> {
    try {
      this.current = await api.evidence();
    } catch {
      this.current = null;
    }
  }
}

export const evidence = new EvidenceState();
