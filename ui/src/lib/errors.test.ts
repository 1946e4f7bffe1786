import { describe, expect, it } from "vitest";
import { dismissError, errors, reportError, toAppError } from "./errors.svelte";

describe("errors", () => {
  it("keeps the boundary error's code and message", () => {
    expect(toAppError({ code: "unknown", message: "a.ccaudit: damaged" })).toEqual({
      code: "unknown",
      message: "a.ccaudit: damaged",
    });
  });
  it("turns anything else thrown into a message", () => {
    expect(toAppError(new Error("boom")).message).toBe("boom");
    expect(toAppError("command start not found").message).toBe("command start not found");
  });
  it("lists reported errors until they are dismissed", () => {
    reportError("first");
    reportError({ code: "unknown", message: "second" });
    expect(errors.map((e) => e.message)).toEqual(["first", "second"]);
    dismissError(errors[0].id);
    expect(errors.map((e) => e.message)).toEqual(["second"]);
  });
});
