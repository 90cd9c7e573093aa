// A stand-in for the browser's frames in unit tests: requestAnimationFrame callbacks wait until
// the test draws a frame, and setTimeout is faked (vi.runAllTimers runs the tasks queued).
import { afterEach, beforeEach, vi } from "vitest";

export interface FakeFrames {
  /** Runs every animation-frame callback waiting, as the browser's next frame would. */
  drawFrame(): void;
  /** How many animation-frame callbacks are waiting. */
  readonly waiting: number;
}

/** Installs the stand-in before each test of the calling file and removes it after. */
export function useFakeFrames(): FakeFrames {
  let frameCallbacks = new Map<number, FrameRequestCallback>();
  let nextId = 1;
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
  return {
    drawFrame: () => {
      const callbacks = [...frameCallbacks.values()];
      frameCallbacks.clear();
      for (const callback of callbacks) callback(0);
    },
    get waiting() {
      return frameCallbacks.size;
    },
  };
}
