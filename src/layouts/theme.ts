// The reader's theme choice: "system" follows the OS; "light" and "dark" are remembered in
// localStorage under THEME_KEY. theme-init-script.ts applies the same rule before first paint.

export type ThemeChoice = "system" | "light" | "dark";
export type Theme = "light" | "dark";

export const THEME_KEY = "sp:theme";

/** A stored value read back from storage; anything unexpected means "system". */
export function parseThemeChoice(stored: string | null): ThemeChoice {
  return stored === "light" || stored === "dark" ? stored : "system";
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === "system") return systemPrefersDark ? "dark" : "light";
  return choice;
}

/**
 * The toggle flips the theme on screen. A choice equal to the OS preference is stored as
 * "system", so the page goes back to following the OS instead of pinning a stale choice.
 */
export function toggledChoice(current: Theme, systemPrefersDark: boolean): ThemeChoice {
  const wanted: Theme = current === "dark" ? "light" : "dark";
  const system: Theme = systemPrefersDark ? "dark" : "light";
  return wanted === system ? "system" : wanted;
}
