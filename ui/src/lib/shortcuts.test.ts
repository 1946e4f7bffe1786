import { describe, expect, it } from "vitest";
import { commandOf, isTyping, SHORTCUTS } from "./shortcuts";
import en from "./locales/en";

describe("commandOf", () => {
  it("grades with the digits of the grading table", () => {
    expect(commandOf({ key: "1" })).toEqual({ do: "grade", grade: "conforming" });
    expect(commandOf({ key: "4" })).toEqual({ do: "grade", grade: "minor" });
    expect(commandOf({ key: "6" })).toEqual({ do: "grade", grade: "na" });
    expect(commandOf({ key: "0" })).toEqual({ do: "grade", grade: "not-assessed" });
    expect(commandOf({ key: "7" })).toBeNull();
  });

  it("moves, searches, undoes and opens the help", () => {
    expect(commandOf({ key: "j" })).toEqual({ do: "clause", step: 1 });
    expect(commandOf({ key: "k" })).toEqual({ do: "clause", step: -1 });
    expect(commandOf({ key: "n" })).toEqual({ do: "open", step: 1 });
    expect(commandOf({ key: "N", shiftKey: true })).toEqual({ do: "open", step: -1 });
    expect(commandOf({ key: "/" })).toEqual({ do: "search" });
    expect(commandOf({ key: "f", ctrlKey: true })).toEqual({ do: "search" });
    expect(commandOf({ key: "z", ctrlKey: true })).toEqual({ do: "undo" });
    expect(commandOf({ key: "Z", ctrlKey: true, shiftKey: true })).toBeNull();
    expect(commandOf({ key: "?", shiftKey: true })).toEqual({ do: "help" });
  });

  it("switches screens with Alt and the digit's key code, whatever the layout types", () => {
    expect(commandOf({ key: "¡", code: "Digit1", altKey: true })).toEqual({ do: "screen", screen: "checklist" });
    expect(commandOf({ key: "4", code: "Digit4", altKey: true })).toEqual({ do: "screen", screen: "import" });
    expect(commandOf({ key: "5", code: "Digit5", altKey: true })).toEqual({ do: "screen", screen: "report" });
    expect(commandOf({ key: "6", code: "Digit6", altKey: true })).toEqual({ do: "sampling" });
    expect(commandOf({ key: "7", code: "Digit7", altKey: true })).toBeNull();
    expect(commandOf({ key: "1", ctrlKey: true })).toBeNull();
  });

  it("lists every shortcut with English text", () => {
    for (const s of SHORTCUTS) expect(en[s.what]).toBeTruthy();
  });
});

describe("isTyping", () => {
  it("is on in text fields and off on buttons, radios and check boxes", () => {
    const make = (html: string) => {
      const div = document.createElement("div");
      div.innerHTML = html;
      return div.firstElementChild;
    };
    expect(isTyping(make("<textarea></textarea>"))).toBe(true);
    expect(isTyping(make("<input>"))).toBe(true);
    expect(isTyping(make('<input type="search">'))).toBe(true);
    expect(isTyping(make("<select></select>"))).toBe(true);
    expect(isTyping(make('<input type="radio">'))).toBe(false);
    expect(isTyping(make('<input type="checkbox">'))).toBe(false);
    expect(isTyping(make("<button></button>"))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
