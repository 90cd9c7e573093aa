import { describe, expect, it } from "vitest";
import { frameSizeRows } from "./frame-sizes.ts";

describe("frame header sizes shown in lesson 5", () => {
  it("are 2–14 bytes, 4 more when masked, in the shortest length form", () => {
    expect(frameSizeRows().map((r) => [r.payload, r.lengthForm, r.serverHeader, r.clientHeader])).toEqual([
      [0, "7-bit", 2, 6],
      [5, "7-bit", 2, 6],
      [125, "7-bit", 2, 6],
      [126, "126 + 16-bit", 4, 8],
      [65535, "126 + 16-bit", 4, 8],
      [65536, "127 + 64-bit", 10, 14],
    ]);
  });
});
