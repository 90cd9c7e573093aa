import { describe, expect, it, vi } from "vitest";
import { inFrames } from "./in-frames.ts";
import { useFakeFrames } from "./frame-test-helpers.ts";

describe("inFrames", () => {
  const frames = useFakeFrames();
  const frameThenTask = (): void => {
    frames.drawFrame();
    vi.runOnlyPendingTimers();
  };

  it("runs one batch per frame, in order, nothing before the first frame", () => {
    const batches: number[][] = [];
    inFrames([1, 2, 3, 4, 5, 6, 7], 3, (batch) => batches.push(batch));
    vi.runAllTimers();
    expect(batches).toEqual([]);
    frameThenTask();
    expect(batches).toEqual([[1, 2, 3]]);
    vi.runAllTimers();
    expect(batches).toEqual([[1, 2, 3]]);
    frameThenTask();
    frameThenTask();
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    frameThenTask();
    expect(batches).toHaveLength(3);
    expect(frames.waiting).toBe(0);
  });

  it("stops when cancelled between batches", () => {
    const batches: number[][] = [];
    const cancel = inFrames([1, 2, 3, 4], 2, (batch) => batches.push(batch));
    frameThenTask();
    cancel();
    frameThenTask();
    frameThenTask();
    expect(batches).toEqual([[1, 2]]);
  });

  it("does nothing for an empty list, and treats a batch size below one as one", () => {
    const run = vi.fn();
    inFrames([], 4, run);
    frameThenTask();
    expect(run).not.toHaveBeenCalled();
    const batches: string[][] = [];
    inFrames(["a", "b"], 0, (batch) => batches.push(batch));
    frameThenTask();
    frameThenTask();
    expect(batches).toEqual([["a"], ["b"]]);
  });
});
