import { describe, expect, it } from "vitest";
import { byteGridRows, MAX_GRID_BYTES } from "./byte-grid.ts";

describe("byteGridRows", () => {
  it("counts the rows a frame takes, 16 or 8 bytes a row", () => {
    expect(byteGridRows(2, 16)).toBe(1);
    expect(byteGridRows(16, 16)).toBe(1);
    expect(byteGridRows(17, 16)).toBe(2);
    expect(byteGridRows(19, 8)).toBe(3);
  });

  it("stops at the bytes shown, plus the line that says how many were left out", () => {
    expect(byteGridRows(MAX_GRID_BYTES, 16)).toBe(MAX_GRID_BYTES / 16);
    expect(byteGridRows(65546, 16)).toBe(MAX_GRID_BYTES / 16 + 1);
    expect(byteGridRows(65546, 8)).toBe(MAX_GRID_BYTES / 8 + 1);
  });
});
