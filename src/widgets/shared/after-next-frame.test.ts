import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { afterNextFrame } from "./after-next-frame.ts";

describe("afterNextFrame", () => {
  // A stand-in for the browser's frames: callbacks wait until `drawFrame` runs them.
  let frameCallbacks: Map<number, FrameRequestCallback>;
  let nextId: number;
  const drawFrame = (): void => {
    const callbacks = [...frameCallbacks.values()];
    frameCallbacks.clear();
    for (const callback of callbacks) callback(0);
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    frameCallbacks = new Map();
    nextId = 1;
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
      frameCallbacks.set(nextId, callback);
      return nextId++;
    });
    vi.stubGlobal("cancelAnimationFrame", (id: number) => frameCallbacks.delete(id));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("runs in a task after the next frame, not in the frame itself", () => {
    const run = vi.fn();
    afterNextFrame(run);
    vi.runAllTimers();
    expect(run).not.toHaveBeenCalled();
    drawFrame();
    expect(run).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("can be cancelled before the frame and between the frame and the task", () => {
    const early = vi.fn();
    afterNextFrame(early)();
    drawFrame();
    vi.runAllTimers();
    expect(early).not.toHaveBeenCalled();

    const late = vi.fn();
    const cancel = afterNextFrame(late);
    drawFrame();
    cancel();
    vi.runAllTimers();
    expect(late).not.toHaveBeenCalled();
  });
});
