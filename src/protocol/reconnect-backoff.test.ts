import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF, worstCaseRetryMs } from "./reconnect-backoff.ts";

describe("reconnect backoff", () => {
  it("doubles from the base up to the ceiling, half fixed and half random", () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, low))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, high))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("never goes below half the ceiling or above it, whatever the random source says", () => {
    for (const r of [-1, 0, 0.5, 1, 2]) {
      const d = backoffDelay(3, () => r);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
    expect(backoffDelay(0, () => 0)).toBe(250);
  });

  it("gives up within a bounded time", () => {
    expect(worstCaseRetryMs()).toBe(500 + 1000 + 2000 + 4000 + 8000 + 8000);
    expect(worstCaseRetryMs({ ...DEFAULT_BACKOFF, attempts: 2 })).toBe(1500);
  });
});
