import { describe, expect, it } from "vitest";
import { choiceOf, choicesWith, FALLBACK_LINK, linkWith } from "./settings.ts";

describe("network settings", () => {
  it("turn a round-trip time into the one-way latency the link uses, keeping the seed", () => {
    const link = linkWith({ ...FALLBACK_LINK, seed: 42 }, { rttMs: 200, lossRate: 0.1, jitterMs: 5 });
    expect(link).toEqual({ ...FALLBACK_LINK, seed: 42, oneWayMs: 100, lossRate: 0.1, jitterMs: 5 });
    expect(choiceOf(link)).toEqual({ rttMs: 200, lossRate: 0.1, jitterMs: 5 });
  });

  it("keep the base value for anything unusable", () => {
    expect(linkWith(FALLBACK_LINK, { rttMs: Number.NaN, lossRate: 3, jitterMs: -1 })).toEqual(FALLBACK_LINK);
  });

  it("offer the engine's default among the choices", () => {
    expect(choicesWith([10, 100, 500], 60)).toEqual([10, 60, 100, 500]);
    expect(choicesWith([10, 100], 100)).toEqual([10, 100]);
  });
});
