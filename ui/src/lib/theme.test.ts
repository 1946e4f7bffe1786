// The theme drawn: the one chosen, or the system's while the choice is "system".
import { describe, expect, it } from "vitest";
import { applyTheme, resolvedTheme, storedTheme } from "./theme";

describe("theme", () => {
  it("follows the system only while the choice is the system's", () => {
    expect(resolvedTheme("system", true)).toBe("dark");
    expect(resolvedTheme("system", false)).toBe("light");
    expect(resolvedTheme("light", true)).toBe("light");
    expect(resolvedTheme("dark", false)).toBe("dark");
  });

  it("marks the root with the theme drawn and remembers only a forced choice", () => {
    applyTheme("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(storedTheme()).toBe("dark");
    // No media queries here: the system is taken as light.
    applyTheme("system");
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(storedTheme()).toBe("system");
  });
});
