import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chunkJson } from "./chunk-json.ts";

describe("a chunk event's JSON, written out directly", () => {
  it("is exactly what JSON.stringify gives for the same event", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 4e12, noNaN: true }),
        fc.nat(),
        fc.constantFrom("in" as const, "out" as const),
        fc.nat(),
        fc.nat(),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: null }),
        (t, specimen, dir, offset, length, bytes) => {
          const data = bytes === null ? null : Buffer.from(bytes).toString("base64");
          const event = data === null ? { type: "chunk", t, specimen, dir, offset, length, truncated: true } : { type: "chunk", t, specimen, dir, offset, length, data };
          expect(chunkJson(t, specimen, dir, offset, length, data)).toBe(JSON.stringify(event));
        },
      ),
    );
  });
});
