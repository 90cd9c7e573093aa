// Works through a list a few items at a time, each batch in a task of its own after the browser
// has drawn a frame (see after-next-frame.ts). For work whose cost lands in the browser's own
// layout rather than in script: each batch's layout and paint then fall in a frame of their own.
import { afterNextFrame } from "./after-next-frame.ts";

/** Runs `run` on `items` in batches of `perFrame`, one batch per frame; returns a cancel function. */
export function inFrames<T>(items: readonly T[], perFrame: number, run: (batch: T[]) => void): () => void {
  const size = Math.max(1, Math.floor(perFrame));
  let next = 0;
  let cancel: () => void = () => {};
  const step = (): void => {
    run(items.slice(next, next + size));
    next += size;
    if (next < items.length) cancel = afterNextFrame(step);
  };
  if (items.length > 0) cancel = afterNextFrame(step);
  return () => cancel();
}
