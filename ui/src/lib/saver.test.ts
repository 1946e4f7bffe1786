import { describe, expect, it } from "vitest";
import type { AssessmentUpdate } from "./bindings/AssessmentUpdate";
import type { Saved } from "./bindings/Saved";
import { Saver } from "./saver.svelte";

function saved(clauseId: string, note: string): Saved {
  return {
    assessment: { clause_id: clauseId, grade: "minor", note, reason: "", suggested: null, updated_at: "" },
    progress: [],
  };
}

/** A send whose calls the test resolves or rejects by hand. */
function manualSend() {
  const calls: { clauseId: string; update: AssessmentUpdate; resolve: () => void; reject: () => void }[] = [];
  const send = (clauseId: string, update: AssessmentUpdate) =>
    new Promise<Saved>((resolve, reject) => {
      calls.push({
        clauseId,
        update,
        resolve: () => resolve(saved(clauseId, update.note ?? "")),
        reject: () => reject(new Error("disk full")),
      });
    });
  return { calls, send };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("Saver", () => {
  it("sends saves one at a time, in the order they were made", async () => {
    const { calls, send } = manualSend();
    const stored: string[] = [];
    const saver = new Saver(send, (s) => stored.push(s.assessment.note));
    const first = saver.save("4.1.1", { grade: "minor", note: "first", reason: null });
    const second = saver.save("4.1.1", { grade: null, note: "second", reason: null });
    await tick();
    expect(calls.length).toBe(1); // the second waits for the first
    expect(saver.status).toBe("saving");
    calls[0].resolve();
    await first;
    await tick();
    expect(calls.length).toBe(2);
    expect(calls[1].update.note).toBe("second");
    calls[1].resolve();
    expect(await second).toBe(true);
    expect(stored).toEqual(["first", "second"]);
    expect(saver.status).toBe("saved");
  });

  it("reports unsaved drafts, then a failure, until a later save succeeds", async () => {
    const { calls, send } = manualSend();
    const saver = new Saver(send, () => {});
    saver.drafts++;
    expect(saver.status).toBe("unsaved");
    saver.drafts--;
    const failing = saver.save("5.1", { grade: "major", note: null, reason: null });
    await tick();
    calls[0].reject();
    expect(await failing).toBe(false);
    expect(saver.status).toBe("failed");
    const retry = saver.save("5.1", { grade: "major", note: null, reason: null });
    await tick();
    calls[1].resolve();
    expect(await retry).toBe(true);
    expect(saver.status).toBe("saved");
  });
});
