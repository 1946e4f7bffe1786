// The grade-needs-a-reason flow of the clause view, with the Rust side replaced by a stub that
// suggests "minor" and a saver that records what would be sent.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AssessmentUpdate } from "../lib/bindings/AssessmentUpdate";
import type { Clause } from "../lib/bindings/Clause";
import { Saver } from "../lib/saver.svelte";
import ClauseDetail from "./ClauseDetail.svelte";

vi.mock("../lib/api", () => ({
  api: {
    suggestion: vi.fn(async () => ({ grade: "minor", reasons: ["complaint_ack_24h: target missed — Fails: 66.8 %"] })),
    attachments: vi.fn(async () => []),
  },
  coreLang: () => "en",
}));

const clause: Clause = {
  id: "4.4.3",
  section: "4.4",
  title: { en: "Complaint recorded and acknowledged" },
  requirement: { en: "Each complaint gets a unique id and a prompt acknowledgement." },
  guidance: {},
  methods: ["record_sampling"],
  evidence: {},
  weight: 1,
  mandatory: true,
  refs: [],
  metrics: [],
};

function setup() {
  const sent: AssessmentUpdate[] = [];
  const saver = new Saver(
    async (clauseId, update) => {
      sent.push(update);
      return {
        assessment: { clause_id: clauseId, grade: update.grade ?? "not-assessed", note: update.note ?? "", reason: update.reason ?? "", suggested: "minor", updated_at: "" },
        progress: [],
      };
    },
    () => {},
  );
  render(ClauseDetail, { clause, assessment: null, lang: "en", languages: ["en"], saver });
  return sent;
}

afterEach(cleanup);

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("grading against the suggestion", () => {
  it("stores a different grade only with its reason, and the suggested one at once", async () => {
    const sent = setup();
    expect(await screen.findByTestId("suggestion")).toHaveProperty("dataset.grade", "minor");

    await fireEvent.click(screen.getByRole("radio", { name: "Conforming" }));
    await settle();
    expect(sent).toEqual([]);
    const hint = screen.getByTestId("deviation");
    expect(hint.textContent).toContain("Minor nonconformity");
    expect(hint.textContent).toContain("Conforming");
    expect(screen.getByTestId("chosen-grade").textContent).toBe("Conforming");

    const reason = screen.getByLabelText(/Reason \/ justification/) as HTMLTextAreaElement;
    await fireEvent.input(reason, { target: { value: "Re-sampled 40 complaints: all acknowledged within a day." } });
    await fireEvent.blur(reason);
    await settle();
    expect(sent).toEqual([{ grade: "conforming", note: "", reason: "Re-sampled 40 complaints: all acknowledged within a day." }]);
    expect(screen.queryByTestId("deviation")).toBeNull();
  });

  it("saves the suggested grade without a reason", async () => {
    const sent = setup();
    await screen.findByTestId("suggestion");
    await fireEvent.click(screen.getByRole("radio", { name: "Minor nonconformity" }));
    await settle();
    expect(sent).toEqual([{ grade: "minor", note: "", reason: "" }]);
  });

  it("keeps a note typed under an unjustified grade without storing the grade", async () => {
    const sent = setup();
    await screen.findByTestId("suggestion");
    await fireEvent.click(screen.getByRole("radio", { name: "Major nonconformity" }));
    const note = screen.getByLabelText(/Note/) as HTMLTextAreaElement;
    await fireEvent.input(note, { target: { value: "Seen on the floor." } });
    await fireEvent.blur(note);
    await settle();
    expect(sent).toEqual([{ grade: null, note: "Seen on the floor.", reason: "" }]);
  });
});
