import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCount } from "./format-count.ts";

describe("formatCount", () => {
  it("groups thousands as English writes them", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(65536)).toBe("65,536");
    expect(formatCount(-1234567)).toBe("-1,234,567");
  });

  it("writes any whole number exactly as Intl does for English", () => {
    const intl = new Intl.NumberFormat("en");
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => formatCount(n) === intl.format(n)));
    fc.assert(fc.property(fc.integer(), (n) => formatCount(n) === intl.format(n)));
  });

  it("leaves fractions to Intl", () => {
    expect(formatCount(1234.5)).toBe("1,234.5");
  });
});
