// Saves clause changes one after another, in the order they were made, and tracks whether
// everything the user did is on disk.
import type { AssessmentUpdate } from "./bindings/AssessmentUpdate";
import type { Saved } from "./bindings/Saved";

export type SaveStatus = "saved" | "saving" | "unsaved" | "failed";

/** Whether a stored change was an edit or the undo of one. */
export type SaveKind = "edit" | "undo";

export class Saver {
  pending = $state(0);
  failed = $state(false);
  /** Edits typed but not yet sent (e.g. a note still being written). */
  drafts = $state(0);
  #chain: Promise<unknown> = Promise.resolve();
  #send: (clauseId: string, update: AssessmentUpdate) => Promise<Saved>;
  #onSaved: (saved: Saved, kind: SaveKind) => void;

  constructor(
    send: (clauseId: string, update: AssessmentUpdate) => Promise<Saved>,
    onSaved: (saved: Saved, kind: SaveKind) => void,
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

  /** Resolves when every change queued so far has been stored (or has failed). */
  async settled(): Promise<void> {
    await this.#chain;
  }

  /** Queues a save; resolves to whether it was stored. */
  save(clauseId: string, update: AssessmentUpdate): Promise<boolean> {
    return this.#enqueue(() => this.#send(clauseId, update), "edit");
  }

  /**
   * Queues an undo after every change made before it (a note still being typed is sent
   * first); resolves to whether it was stored.
   */
  undo(job: () => Promise<Saved>): Promise<boolean> {
    return this.#enqueue(job, "undo");
  }

  #enqueue(job: () => Promise<Saved>, kind: SaveKind): Promise<boolean> {
    this.pending++;
    const run = this.#chain
      .then(job)
      .then(
        (saved) => {
          this.failed = false;
          this.#onSaved(saved, kind);
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
