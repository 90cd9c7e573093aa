import { describe, expect, it } from "vitest";
import { bytesLabel } from "./bytes-label.ts";

describe("bytesLabel", () => {
  it("writes one byte in the singular and groups thousands", () => {
    expect(bytesLabel(0)).toBe("0 bytes");
    expect(bytesLabel(1)).toBe("1 byte");
    expect(bytesLabel(65537)).toBe("65,537 bytes");
  });
});
