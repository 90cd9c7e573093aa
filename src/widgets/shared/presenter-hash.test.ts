import { describe, expect, it } from "vitest";
import { hashForSection, hashWithoutSection, hashWithSection, sectionFromHash } from "./presenter-hash.ts";

describe("presenter deep link", () => {
  it("reads a 1-based section as a 0-based index", () => {
    expect(sectionFromHash("#present=1")).toBe(0);
    expect(sectionFromHash("#present=3")).toBe(2);
  });

  it("finds the parameter among others", () => {
    expect(sectionFromHash("#timeline-tcp=120&present=4")).toBe(3);
    expect(sectionFromHash("#present=2&inspector-step=5")).toBe(1);
  });

  it("names no section for other hashes and nonsense", () => {
    for (const hash of [
      "",
      "#",
      "#present",
      "#present=",
      "#present=0",
      "#present=-1",
      "#present=2x",
      "#present=1.5",
      "#represent=2",
      "#present=99999",
      "#handshake-step=3",
    ]) {
      expect(sectionFromHash(hash), hash).toBeNull();
    }
  });

  it("clamps to the number of sections when it is known", () => {
    expect(sectionFromHash("#present=40", 9)).toBe(8);
    expect(sectionFromHash("#present=9", 9)).toBe(8);
    expect(sectionFromHash("#present=2", 9)).toBe(1);
  });

  it("writes the hash a deep link reads back", () => {
    expect(hashForSection(0)).toBe("#present=1");
    expect(hashForSection(2)).toBe("#present=3");
    expect(hashForSection(-4)).toBe("#present=1");
    for (const index of [0, 1, 7, 41]) expect(sectionFromHash(hashForSection(index))).toBe(index);
  });

  it("removes only its own parameter when leaving", () => {
    expect(hashWithoutSection("#present=3")).toBe("");
    expect(hashWithoutSection("#present=3&timeline-tcp=120")).toBe("#timeline-tcp=120");
    expect(hashWithSection("#present=3&timeline-tcp=120", 4)).toBe("#present=5&timeline-tcp=120");
    expect(hashWithSection("#handshake-step=2", 0)).toBe("#present=1&handshake-step=2");
    expect(hashWithSection("", 1)).toBe("#present=2");
    expect(hashWithoutSection("#timeline-tcp=120&present=3")).toBe("#timeline-tcp=120");
    expect(hashWithoutSection("")).toBe("");
  });
});
