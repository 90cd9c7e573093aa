// The newest frames and TCP reads/writes of one direction, for the boundary grid. A long session
// holds thousands of both; the grid draws a few dozen columns at most, so the inspector keeps only
// a bounded tail per direction, updated in O(1) per frame or chunk, and counts the rest so the
// hint can say how many older ones are left out. Pure, so it is tested without a DOM.
import type { CapturedChunk, CapturedFrame } from "../../protocol/capture.ts";

/** Frames (and chunks) kept per direction: a little more than the grid's columns can show. */
export const BOUNDARY_TAIL = 40;

export interface NumberedFrame {
  frame: CapturedFrame;
  /** Position in the whole capture's frame list (both directions), so labels read F1, F2… */
  index: number;
}

export interface BoundaryWindow {
  frames: NumberedFrame[];
  chunks: CapturedChunk[];
  /** How many frames and chunks of this direction there are in all, drawn or not. */
  totalFrames: number;
  totalChunks: number;
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.shift();
}

const chunkEnd = (c: CapturedChunk): number => c.offset + c.length;

export class BoundaryTail {
  readonly #max: number;
  #frames: NumberedFrame[] = [];
  #chunks: CapturedChunk[] = [];
  #totalFrames = 0;
  #totalChunks = 0;

  constructor(max = BOUNDARY_TAIL) {
    this.#max = max;
  }

  addFrame(frame: CapturedFrame, index: number): void {
    pushBounded(this.#frames, { frame, index }, this.#max);
    this.#totalFrames++;
  }

  addChunk(chunk: CapturedChunk): void {
    pushBounded(this.#chunks, chunk, this.#max);
    this.#totalChunks++;
  }

  clear(): void {
    this.#frames = [];
    this.#chunks = [];
    this.#totalFrames = 0;
    this.#totalChunks = 0;
  }

  /**
   * The kept frames and chunks over the same stretch of the stream. Once older ones are dropped,
   * the two tails start at different bytes (one read may hold many frames); drawing both as they
   * are would show reads with no frames above them, so both start where the later tail starts.
   */
  window(): BoundaryWindow {
    const frames = this.#frames;
    const chunks = this.#chunks;
    const trimmed = this.#totalFrames > frames.length || this.#totalChunks > chunks.length;
    const firstFrame = frames[0]?.frame.start;
    const firstChunk = chunks[0]?.offset;
    const from =
      trimmed && firstFrame !== undefined && firstChunk !== undefined ? Math.max(firstFrame, firstChunk) : -Infinity;
    return {
      frames: frames.filter((f) => f.frame.end > from),
      chunks: chunks.filter((c) => chunkEnd(c) > from),
      totalFrames: this.#totalFrames,
      totalChunks: this.#totalChunks,
    };
  }
}
