import { describe, expect, it } from "vitest";
import { QUIET_ZONE, qrModules, renderTerminalQr, terminalQr, type ModuleMatrix } from "./terminal-qr.ts";

/** Reads printed rows back into modules: the inverse of renderTerminalQr. */
function decode(rows: string[], ink: "light" | "dark", quiet = QUIET_ZONE): ModuleMatrix {
  const halves: boolean[][] = [];
  for (const row of rows) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const ch of row) {
      expect(" ▀▄█").toContain(ch);
      top.push(ch === "▀" || ch === "█");
      bottom.push(ch === "▄" || ch === "█");
    }
    halves.push(top, bottom);
  }
  const size = rows[0]!.length;
  const printed = halves.slice(0, size); // an odd size leaves one half row below the code
  const isDark = (inked: boolean): boolean => (ink === "dark" ? inked : !inked);
  // The quiet zone is all light.
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const inZone = r < quiet || c < quiet || r >= size - quiet || c >= size - quiet;
      if (inZone) expect(isDark(printed[r]![c]!)).toBe(false);
    }
  }
  return printed.slice(quiet, size - quiet).map((row) => row.slice(quiet, size - quiet).map(isDark));
}

describe("terminal QR code", () => {
  const url = "http://192.168.1.20:4321/join/";

  it("prints rows that decode back to the same module matrix, in either ink", () => {
    const modules = qrModules(url);
    expect(modules.length).toBeGreaterThanOrEqual(21);
    for (const ink of ["light", "dark"] as const) {
      const rows = renderTerminalQr(modules, { ink });
      expect(rows).toHaveLength(Math.ceil((modules.length + 2 * QUIET_ZONE) / 2));
      expect(new Set(rows.map((r) => [...r].length))).toEqual(new Set([modules.length + 2 * QUIET_ZONE]));
      expect(decode(rows, ink)).toEqual(modules);
    }
  });

  it("draws a known pattern exactly, top half ▀ and bottom half ▄", () => {
    const modules = [
      [true, false],
      [false, true],
    ];
    expect(renderTerminalQr(modules, { ink: "dark", quietZone: 1 })).toEqual([" ▄  ", "  ▀ "]);
    expect(renderTerminalQr(modules, { ink: "light", quietZone: 1 })).toEqual(["█▀██", "██▄█"]);
  });

  it("draws the finder patterns in the corners", () => {
    const rows = terminalQr(url, { ink: "dark" });
    const modules = decode(rows, "dark");
    // The top-left finder: a 7×7 dark ring around a light ring around a 3×3 dark square.
    expect(modules[0]!.slice(0, 7).every(Boolean)).toBe(true);
    expect(modules[1]!.slice(0, 7)).toEqual([true, false, false, false, false, false, true]);
    expect(modules[3]!.slice(0, 7)).toEqual([true, false, true, true, true, false, true]);
  });
});
