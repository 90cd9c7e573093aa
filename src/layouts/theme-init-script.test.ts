import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { runInNewContext } from "node:vm";
import { THEME_INIT_HASH, THEME_INIT_SCRIPT } from "./theme-init-script.ts";
import { parseThemeChoice, resolveTheme, THEME_KEY } from "./theme.ts";

/** Runs the inline script against a stand-in page and returns the data-theme it set. */
function run(stored: string | null | "throws", systemDark: boolean, withMatchMedia = true): string | undefined {
  let theme: string | undefined;
  runInNewContext(THEME_INIT_SCRIPT, {
    localStorage: {
      getItem(key: string) {
        if (stored === "throws") throw new Error("storage blocked");
        return key === THEME_KEY ? stored : null;
      },
    },
    window: withMatchMedia
      ? { matchMedia: (q: string) => ({ matches: q === "(prefers-color-scheme: dark)" && systemDark }) }
      : {},
    document: {
      documentElement: { setAttribute: (name: string, value: string) => name === "data-theme" && (theme = value) },
    },
  });
  return theme;
}

describe("the inline theme script", () => {
  it("applies the same rule as resolveTheme for every stored value and OS preference", () => {
    for (const stored of ["light", "dark", "system", null, "purple"]) {
      for (const dark of [false, true]) {
        expect(run(stored, dark), `${stored} ${dark}`).toBe(resolveTheme(parseThemeChoice(stored), dark));
      }
    }
  });
  it("follows the OS when storage is blocked, and picks light when it cannot ask", () => {
    expect(run("throws", true)).toBe("dark");
    expect(run(null, true, false)).toBe("light");
  });
  it("is one line, and the CSP hash is the hash of exactly its text", () => {
    expect(THEME_INIT_SCRIPT).not.toMatch(/\n|\s{2}/);
    expect(THEME_INIT_HASH).toBe(`'sha256-${createHash("sha256").update(THEME_INIT_SCRIPT).digest("base64")}'`);
  });
});
