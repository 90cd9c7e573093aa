import { describe, expect, it } from "vitest";
import { QUIET_AFTER_MS, QUIET_FACTOR, TimeAxis } from "./time-axis.ts";

describe("the stage's time axis", () => {
  it("runs linearly while something is in flight, so a trip's slope is its travel time", () => {
    const axis = new TimeAxis();
    axis.markBusy(100, 150);
    axis.extendTo(150);
    expect(axis.y(150) - axis.y(100)).toBe(50);
    expect(axis.y(125) - axis.y(100)).toBe(25);
  });

  it("folds a quiet stretch after a short linear tail, and says where", () => {
    const axis = new TimeAxis();
    axis.markBusy(0, 50);
    axis.extendTo(10_000);
    const foldStart = 50 + QUIET_AFTER_MS;
    expect(axis.y(foldStart)).toBe(foldStart);
    expect(axis.y(10_000)).toBeCloseTo(foldStart + (10_000 - foldStart) / QUIET_FACTOR, 9);
    expect(axis.folds(0, 10_000)).toEqual([{ t0: foldStart, t1: 10_000 }]);
    expect(axis.linear(0, 10_000)).toEqual([{ t0: 0, t1: foldStart }]);
  });

  it("never moves what is placed: new activity starts a new linear stretch after the fold", () => {
    const axis = new TimeAxis();
    axis.markBusy(0, 50);
    axis.extendTo(5000);
    const before = [0, 50, 1000, 4000, 5000].map((t) => axis.y(t));
    axis.markBusy(5000, 5100);
    axis.extendTo(9000);
    expect([0, 50, 1000, 4000, 5000].map((t) => axis.y(t))).toEqual(before);
    expect(axis.y(5100) - axis.y(5000)).toBe(100);
  });

  it("places a future arrival where the axis will put it", () => {
    const axis = new TimeAxis();
    axis.markBusy(1000, 1300);
    const predicted = axis.y(1300);
    axis.extendTo(1300);
    expect(axis.y(1300)).toBe(predicted);
  });

  it("maps positions back to times, through folds", () => {
    const axis = new TimeAxis();
    axis.markBusy(0, 50);
    axis.extendTo(20_000);
    axis.markBusy(20_000, 20_050);
    axis.extendTo(20_050);
    for (const t of [0, 25, 700, 5000, 19_999, 20_010]) expect(axis.timeAt(axis.y(t))).toBeCloseTo(t, 6);
  });

  it("keeps its work per step small over a long session", () => {
    const axis = new TimeAxis();
    for (let i = 0; i < 5000; i++) {
      axis.markBusy(i * 2000, i * 2000 + 50);
      axis.extendTo(i * 2000 + 60);
    }
    // One linear and one folded stretch per quiet gap: positions come from a binary search.
    expect(axis.folds(0, 1e9).length).toBeLessThanOrEqual(5000);
    expect(axis.timeAt(axis.y(5_000_000))).toBeCloseTo(5_000_000, 3);
  });
});
