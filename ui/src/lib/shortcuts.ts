// The keyboard shortcuts: which key does what, and when they are off (while typing in a text
// field). Pure, unit-tested; App.svelte carries the commands out and HelpPanel lists SHORTCUTS.
import type { Grade } from "./bindings/Grade";
import { gradeOfKey } from "./checklist";
import type { Key } from "./i18n.svelte";

export type Screen = "checklist" | "dashboard" | "findings" | "import" | "report";
export const SCREEN_ORDER: Screen[] = ["checklist", "dashboard", "findings", "import", "report"];

export type Command =
  | { do: "grade"; grade: Grade }
  | { do: "clause"; step: 1 | -1 }
  | { do: "open"; step: 1 | -1 }
  | { do: "note" }
  | { do: "search" }
  | { do: "screen"; screen: Screen }
  | { do: "sampling" }
  | { do: "undo" }
  | { do: "help" };

/** The keys of one event that matter here. */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);

/** Whether keys pressed in `el` are typing: text inputs, text areas, selects, editable text. */
export function isTyping(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select") return true;
  if (tag === "input") return !NOT_TEXT.has(((el as HTMLInputElement).type || "text").toLowerCase());
  return (el as HTMLElement).isContentEditable === true;
}

/** The command of a key press outside a text field, or `null`. */
export function commandOf(e: KeyPress): Command | null {
  const ctrl = e.ctrlKey === true || e.metaKey === true;
  if (ctrl && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "z") return { do: "undo" };
  if (ctrl && !e.altKey && e.key.toLowerCase() === "f") return { do: "search" };
  if (e.altKey && !ctrl) {
    // The code, not the key: Alt+digit types other characters on some layouts.
    const digit = e.code?.startsWith("Digit") ? e.code.slice(5) : e.key;
    const i = Number(digit) - 1;
    if (Number.isInteger(i) && i >= 0 && i < SCREEN_ORDER.length) return { do: "screen", screen: SCREEN_ORDER[i] };
    if (digit === String(SCREEN_ORDER.length + 1)) return { do: "sampling" };
    return null;
  }
  if (ctrl || e.altKey) return null;
  const grade = gradeOfKey(e.key);
  if (grade) return { do: "grade", grade };
  switch (e.key) {
    case "j":
      return { do: "clause", step: 1 };
    case "k":
      return { do: "clause", step: -1 };
    case "n":
      return { do: "open", step: 1 };
    case "N":
      return { do: "open", step: -1 };
    case "e":
      return { do: "note" };
    case "/":
      return { do: "search" };
    case "?":
      return { do: "help" };
    default:
      return null;
  }
}

/** Every shortcut as the help panel lists it. */
export const SHORTCUTS: { keys: string[]; what: Key }[] = [
  { keys: ["1", "2", "3", "4", "5", "6"], what: "help.grades" },
  { keys: ["0"], what: "help.notAssessed" },
  { keys: ["J"], what: "help.nextClause" },
  { keys: ["K"], what: "help.previousClause" },
  { keys: ["N"], what: "help.nextOpen" },
  { keys: ["Shift+N"], what: "help.previousOpen" },
  { keys: ["E"], what: "help.note" },
  { keys: ["/", "Ctrl+F"], what: "help.search" },
  { keys: ["Alt+1", "Alt+2", "Alt+3", "Alt+4", "Alt+5"], what: "help.tabs" },
  { keys: ["Alt+6"], what: "help.sampling" },
  { keys: ["Ctrl+Z"], what: "help.undo" },
  { keys: ["?"], what: "help.help" },
  { keys: ["Esc"], what: "help.escape" },
];
