import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Pacer } from "./pacer.ts";

describe("Pacer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const pacer = (runs: number[]): Pacer =>
    new Pacer(
      100,
      () => runs.push(Date.now()),
      () => Date.now(),
    );

  it("runs the first request at once, and many later ones once, at the period's end", () => {
    const runs: number[] = [];
    const start = Date.now();
    const p = pacer(runs);
    p.request();
    expect(runs).toEqual([start]);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(5);
      p.request();
    }
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([start, start + 100]);
  });

  it("starts a new period after a direct run, dropping the waiting one", () => {
    const runs: number[] = [];
    const p = pacer(runs);
    p.request();
    vi.advanceTimersByTime(10);
    p.request();
    vi.advanceTimersByTime(20);
    p.ran();
    vi.advanceTimersByTime(200);
    expect(runs).toHaveLength(1);
    p.request();
    expect(runs).toHaveLength(2);
  });

  it("runs nothing after cancel", () => {
    const runs: number[] = [];
    const p = pacer(runs);
    p.request();
    p.request();
    p.cancel();
    vi.advanceTimersByTime(500);
    expect(runs).toHaveLength(1);
  });
});
