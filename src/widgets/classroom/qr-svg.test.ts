import { describe, expect, it } from "vitest";
import { qrDrawing, qrMatrix, qrPath, QUIET_ZONE } from "./qr-svg.ts";

/** Reads a path made by qrPath back into the set of dark cells, "x,y". */
function cellsOf(path: string): Set<string> {
  const cells = new Set<string>();
  const re = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let consumed = 0;
  for (const m of path.matchAll(re)) {
    const [x, y, run, back] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    expect(back).toBe(run);
    for (let i = 0; i < run; i++) cells.add(`${x + i},${y}`);
    consumed += m[0].length;
  }
  expect(consumed).toBe(path.length);
  return cells;
}

describe("QR code drawing", () => {
  it("draws exactly the dark modules, shifted by the quiet zone", () => {
    const matrix = [
      [true, true, false],
      [false, true, false],
      [true, false, true],
    ];
    expect(qrPath(matrix, 0)).toBe("M0 0h2v1h-2zM1 1h1v1h-1zM0 2h1v1h-1zM2 2h1v1h-1z");
    expect(qrPath(matrix, 4)).toBe("M4 4h2v1h-2zM5 5h1v1h-1zM4 6h1v1h-1zM6 6h1v1h-1z");
    expect(qrPath([[false, false]], 4)).toBe("");
  });

  it("builds a square symbol of a valid QR size with finder patterns in three corners", () => {
    const matrix = qrMatrix("http://192.168.1.20:4321/join/");
    const n = matrix.length;
    expect((n - 17) % 4).toBe(0);
    expect(matrix.every((row) => row.length === n)).toBe(true);
    // A finder pattern: dark 7×7 ring, light ring inside, dark 3×3 centre.
    const finder = (top: number, left: number) => {
      for (let r = 0; r < 7; r++) {
        for (let c = 0; c < 7; c++) {
          const ring = r === 0 || r === 6 || c === 0 || c === 6;
          const centre = r >= 2 && r <= 4 && c >= 2 && c <= 4;
          expect(matrix[top + r]![left + c], `module ${top + r},${left + c}`).toBe(ring || centre);
        }
      }
    };
    finder(0, 0);
    finder(0, n - 7);
    finder(n - 7, 0);
  });

  it("round-trips the matrix through the path, and sizes the viewBox with the quiet zone", () => {
    const text = "http://10.0.0.7:4321/join/?code=ABC234";
    const matrix = qrMatrix(text);
    const drawing = qrDrawing(text);
    expect(drawing.size).toBe(matrix.length + 2 * QUIET_ZONE);
    expect(drawing.viewBox).toBe(`0 0 ${drawing.size} ${drawing.size}`);
    const expected = new Set<string>();
    matrix.forEach((row, y) => row.forEach((dark, x) => dark && expected.add(`${x + QUIET_ZONE},${y + QUIET_ZONE}`)));
    expect(cellsOf(drawing.path)).toEqual(expected);
  });

  it("longer addresses need a larger symbol; non-ASCII is percent-encoded, not mangled", () => {
    expect(qrMatrix("http://a/").length).toBeLessThan(qrMatrix(`http://a/${"x".repeat(120)}`).length);
    expect(qrMatrix("http://é.test/")).toEqual(qrMatrix("http://%C3%A9.test/"));
  });
});
