// Saves clause changes one after another, in the order they were made, and tracks whether
// everything the user did is on disk.
import type { AssessmentUpdate } from "./bindings/AssessmentUpdate";
import type { Saved } from "./bindings/Saved";

export type SaveStatus = "saved" | "saving" | "unsaved" | "failed";

export class Saver {
  pending = $state(0);
  failed = $state(false);
  /** Edits typed but not yet sent (e.g. a note still being written). */
  drafts = $state(0);
  #chain: Promise<unknown> = Promise.resolve();
  #send: (clauseId: string, update: AssessmentUpdate) => Promise<Saved>;
  #onSaved: (saved: Saved) => void;

  constructor(
    send: (clauseId: string, update: AssessmentUpdate) => Promise<Saved>,
    onSaved: (saved: Saved) => void,
  ) {
    this.#send = send;
    this.#onSaved = onSaved;
  }

  get status(): SaveStatus {
    if (this.failed) return "failed";
    if (this.pending > 0) return "saving";
    if (this.drafts > 0) return "unsaved";
    return "saved";
  }

  /** Queues a save; resolves to whether it was stored. */
  save(clauseId: string, update: AssessmentUpdate): Promise<boolean> {
    this.pending++;
    const run = this.#chain
      .then(() => this.#send(clauseId, update))
      .then(
        (saved) => {
          this.failed = false;
          this.#onSaved(saved);
          return true;
        },
        () => {
          this.failed = true;
          return false;
        },
      )
      .finally(() => {
        this.pending--;
      });
    this.#chain = run;
    return run;
  }
}
