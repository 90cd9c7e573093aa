import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./rate-limit.ts";

function takeAll(bucket: ReturnType<typeof createTokenBucket>, at: number): number {
  let taken = 0;
  while (taken < 1000 && bucket.take(at)) taken++;
  return taken;
}

describe("token bucket", () => {
  it("allows a burst of twice the rate at once", () => {
    expect(takeAll(createTokenBucket(10), 0)).toBe(20);
  });

  it("refills at the rate, never beyond the burst", () => {
    const bucket = createTokenBucket(10);
    takeAll(bucket, 0);
    expect(bucket.take(50)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(takeAll(bucket, 1100)).toBe(10);
    expect(takeAll(bucket, 60_000)).toBe(20);
  });
});
