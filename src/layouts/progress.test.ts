import { describe, expect, it } from "vitest";
import { countDone, emptyProgress, markVisited, parseProgress, serializeProgress, setDone } from "./progress.ts";
import { parseThemeChoice, resolveTheme, toggledChoice } from "./theme.ts";

describe("progress", () => {
  it("round-trips through storage", () => {
    const progress = setDone(markVisited(emptyProgress(), "start-here", 1), "tcp", true, 2);
    expect(parseProgress(serializeProgress(progress))).toEqual(progress);
    expect(countDone(progress, ["start-here", "tcp", "frames"])).toBe(1);
  });

  it("treats missing, corrupt or foreign data as no progress", () => {
    for (const raw of [null, "", "not json", "null", "[]", '{"version":2,"lessons":{}}', '{"version":1}', '"text"']) {
      expect(parseProgress(raw)).toEqual(emptyProgress());
    }
  });

  it("drops malformed entries and keeps good ones", () => {
    const raw = JSON.stringify({
      version: 1,
      lessons: {
        "start-here": { visited: true, done: true, updatedAt: 5 },
        tcp: { visited: "yes", done: false, updatedAt: 1 },
        "<script>": { visited: true, done: true, updatedAt: 1 },
        frames: { visited: true, done: false, updatedAt: -3 },
        http: { visited: true, done: false, updatedAt: 7, extra: "ignored" },
      },
    });
    expect(parseProgress(raw).lessons).toEqual({
      "start-here": { visited: true, done: true, updatedAt: 5 },
      http: { visited: true, done: false, updatedAt: 7 },
    });
  });

  it("does not rewrite a lesson already visited", () => {
    const once = markVisited(emptyProgress(), "tcp", 1);
    expect(markVisited(once, "tcp", 2)).toBe(once);
  });
});

describe("theme", () => {
  it("reads only the values it wrote", () => {
    expect(parseThemeChoice("dark")).toBe("dark");
    expect(parseThemeChoice("light")).toBe("light");
    expect(parseThemeChoice("purple")).toBe("system");
    expect(parseThemeChoice(null)).toBe("system");
  });
  it("follows the OS unless a choice is stored", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
  });
  it("flips the theme and stores a choice only when it differs from the OS", () => {
    expect(toggledChoice("light", false)).toBe("dark");
    expect(toggledChoice("dark", false)).toBe("system");
    expect(toggledChoice("dark", true)).toBe("light");
    expect(toggledChoice("light", true)).toBe("system");
  });
});
