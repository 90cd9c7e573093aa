// Wires the header's theme button: flips the theme, remembers the choice, and keeps following
// the OS when no choice is stored. The button's label always says what pressing it will do.
import { THEME_KEY, parseThemeChoice, resolveTheme, toggledChoice, type Theme, type ThemeChoice } from "./theme.ts";

function readChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_KEY));
  } catch {
    return "system";
  }
}

function storeChoice(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    /* private mode or blocked storage: the toggle still works for this page */
  }
}

export function setUpThemeToggle(button: HTMLButtonElement): void {
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = (theme: Theme): void => {
    document.documentElement.setAttribute("data-theme", theme);
    const other = theme === "dark" ? "light" : "dark";
    button.dataset.theme = theme;
    const text = button.querySelector("[data-theme-label]");
    if (text) text.textContent = `Use ${other} theme`;
  };
  apply(resolveTheme(readChoice(), media.matches));
  button.addEventListener("click", () => {
    const current = (document.documentElement.getAttribute("data-theme") as Theme | null) ?? "light";
    const choice = toggledChoice(current, media.matches);
    storeChoice(choice);
    apply(resolveTheme(choice, media.matches));
  });
  media.addEventListener("change", () => {
    if (readChoice() === "system") apply(resolveTheme("system", media.matches));
  });
}
