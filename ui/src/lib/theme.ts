// Light or dark: the system's choice by default (prefers-color-scheme), or forced by the user.
// The choice is kept in localStorage; the theme drawn (light or dark) is `data-theme` on the root
// element, so that the colours are written once in app.css.
export type Theme = "system" | "light" | "dark";
export const THEMES: Theme[] = ["system", "light", "dark"];
export const THEME_KEY = "clausewise.theme";

export function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    return t === "light" || t === "dark" ? t : "system";
  } catch {
    return "system";
  }
}

/** The theme drawn: the one chosen, or the system's while the choice is "system". */
export function resolvedTheme(theme: Theme, systemPrefersDark: boolean): "light" | "dark" {
  return theme === "system" ? (systemPrefersDark ? "dark" : "light") : theme;
}

/** The system's preference (absent where the page has no media queries, as in unit tests). */
const systemDark = typeof window !== "undefined" && typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;
let chosen: Theme = "system";

function draw(): void {
  document.documentElement.dataset.theme = resolvedTheme(chosen, systemDark?.matches ?? false);
}

// While the choice is "system", a change of the system's preference redraws the window.
systemDark?.addEventListener("change", () => {
  if (chosen === "system") draw();
});

export function applyTheme(theme: Theme): void {
  chosen = theme;
  draw();
  try {
    if (theme === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Private mode: the choice lasts until the window closes.
  }
}
