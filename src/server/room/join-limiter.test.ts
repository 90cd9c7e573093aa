import { describe, expect, it } from "vitest";
import { createJoinLimiter } from "./join-limiter.ts";

describe("join limiter", () => {
  it("lets the first failures through, then makes each further one wait longer", () => {
    const limiter = createJoinLimiter(3);
    let now = 0;
    for (let i = 0; i < 2; i++) {
      limiter.failed("a", now);
      expect(limiter.waitMs("a", now)).toBe(0);
    }
    limiter.failed("a", now);
    expect(limiter.waitMs("a", now)).toBe(2000);
    now += 2000;
    expect(limiter.waitMs("a", now)).toBe(0);
    limiter.failed("a", now);
    expect(limiter.waitMs("a", now)).toBe(4000);
    now += 4000;
    limiter.failed("a", now);
    expect(limiter.waitMs("a", now)).toBe(8000);
    // Other addresses are not affected.
    expect(limiter.waitMs("b", now)).toBe(0);
  });

  it("never waits more than a minute, keeps a sustained guesser at one guess a minute, and forgets after two quiet minutes", () => {
    const limiter = createJoinLimiter(1);
    let now = 0;
    for (let i = 0; i < 30; i++) {
      now += limiter.waitMs("a", now);
      limiter.failed("a", now);
      expect(limiter.waitMs("a", now)).toBeLessThanOrEqual(60_000);
    }
    expect(limiter.waitMs("a", now)).toBe(60_000);
    now += 60_000;
    limiter.failed("a", now);
    expect(limiter.waitMs("a", now)).toBe(60_000);
    now += 121_000;
    expect(limiter.waitMs("a", now)).toBe(0);
    limiter.failed("a", now);
    expect(limiter.waitMs("a", now)).toBe(2000);
  });
});
