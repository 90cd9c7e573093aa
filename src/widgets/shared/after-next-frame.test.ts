import { describe, expect, it, vi } from "vitest";
import { afterNextFrame } from "./after-next-frame.ts";
import { useFakeFrames } from "./frame-test-helpers.ts";

describe("afterNextFrame", () => {
  const { drawFrame } = useFakeFrames();

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
