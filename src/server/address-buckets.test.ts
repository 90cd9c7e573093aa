import { describe, expect, it } from "vitest";
import { createAddressBuckets } from "./address-buckets.ts";

describe("per-address token buckets", () => {
  it("gives each address its burst, then its rate, independently of the others", () => {
    const buckets = createAddressBuckets(2, 4);
    const taken = (address: string, now: number, n: number): number =>
      Array.from({ length: n }, () => buckets.take(address, now)).filter(Boolean).length;
    expect(taken("10.0.0.1", 0, 10)).toBe(4);
    expect(taken("10.0.0.2", 0, 10)).toBe(4);
    expect(taken("10.0.0.1", 500, 10)).toBe(1);
    expect(taken("10.0.0.1", 2500, 10)).toBe(4);
  });

  it("forgets addresses whose bucket is full again, and never holds more than its bound", () => {
    const buckets = createAddressBuckets(1, 2, 100);
    for (let i = 0; i < 60; i++) buckets.take(`a${i}`, 0);
    expect(buckets.size).toBe(60);
    buckets.take("late", 10_000);
    expect(buckets.size).toBe(1);
    for (let i = 0; i < 500; i++) buckets.take(`b${i}`, 10_000);
    expect(buckets.size).toBeLessThanOrEqual(100);
  });
});
