import { describe, expect, it } from "vitest";
import { closeCodes, describeCloseCode } from "./close-codes.ts";
import { describeOpcode, isControlOpcode, opcodes } from "./opcodes.ts";

describe("opcode reference data", () => {
  it("lists all sixteen opcodes with the reserved ranges of RFC 6455 §5.2", () => {
    expect(opcodes).toHaveLength(16);
    expect(opcodes.filter((o) => !o.reserved).map((o) => [o.opcode, o.name])).toEqual([
      [0, "continuation"],
      [1, "text"],
      [2, "binary"],
      [8, "close"],
      [9, "ping"],
      [10, "pong"],
    ]);
    expect(opcodes.filter((o) => o.reserved).map((o) => o.opcode)).toEqual([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]);
    for (const o of opcodes) {
      expect(o.kind).toBe(isControlOpcode(o.opcode) ? "control" : "data");
      expect(o.rfc).toMatch(/^RFC 6455 §5/);
    }
    expect(describeOpcode(16).reserved).toBe(true);
  });
});

describe("close code reference data", () => {
  it("keeps the locally reported codes off the wire (RFC 6455 §7.4)", () => {
    for (const code of [1004, 1005, 1006, 1015, 999, 1016, 2999, 5000])
      expect(describeCloseCode(code).allowedOnWire, String(code)).toBe(false);
    for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999])
      expect(describeCloseCode(code).allowedOnWire, String(code)).toBe(true);
    expect(closeCodes.every((c) => c.rfc.includes("RFC 6455"))).toBe(true);
  });
});
