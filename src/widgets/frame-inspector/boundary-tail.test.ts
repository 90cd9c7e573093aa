import { describe, expect, it } from "vitest";
import { BoundaryTail } from "./boundary-tail.ts";
import { leftOutHint } from "./boundary-grid.ts";
import { layoutBoundaries } from "./boundaries.ts";
import type { CapturedChunk, CapturedFrame } from "../../protocol/capture.ts";

const frame = (start: number, end: number): CapturedFrame => ({
  dir: "out",
  t: 0,
  start,
  end,
  close: null,
  event: 0,
  frame: {
    fin: true,
    rsv1: false,
    rsv2: false,
    rsv3: false,
    opcode: 1,
    masked: false,
    maskingKey: null,
    payloadLength: 0,
    lengthForm: "7-bit",
    headerLength: 2,
    payload: new Uint8Array(),
    raw: new Uint8Array(),
  },
});
const chunk = (offset: number, length: number): CapturedChunk => ({
  dir: "out",
  t: 0,
  offset,
  length,
  bytes: null,
  event: 0,
});

describe("the boundary grid's bounded tail", () => {
  it("keeps everything while the session is short", () => {
    const tail = new BoundaryTail(4);
    tail.addChunk(chunk(100, 22));
    tail.addFrame(frame(100, 111), 0);
    tail.addFrame(frame(111, 122), 1);
    const window = tail.window();
    expect(window.frames.map((f) => f.index)).toEqual([0, 1]);
    expect(window.chunks).toHaveLength(1);
    expect(leftOutHint("out", window, 2, 1)).toBe("");
  });

  it("keeps only the newest frames and chunks, and counts the rest", () => {
    const tail = new BoundaryTail(3);
    for (let i = 0; i < 10; i++) {
      tail.addChunk(chunk(100 + i * 10, 10));
      tail.addFrame(frame(100 + i * 10, 110 + i * 10), i * 2);
    }
    const window = tail.window();
    expect(window.frames.map((f) => f.index)).toEqual([14, 16, 18]);
    expect(window.chunks.map((c) => c.offset)).toEqual([170, 180, 190]);
    expect(window).toMatchObject({ totalFrames: 10, totalChunks: 10 });
    expect(
      layoutBoundaries(
        window.frames.map((f) => f.frame),
        window.chunks,
        "out",
      ).misaligned,
    ).toBe(false);
    expect(leftOutHint("out", window, 3, 3)).toBe(
      "Only the latest 3 frames and 3 writes are drawn; 7 older frames and 7 older writes are left out.",
    );
  });

  it("draws frames and chunks over the same bytes when one write held many frames", () => {
    const tail = new BoundaryTail(4);
    // Ten writes of five frames each: the chunk tail reaches far further back than the frame tail.
    for (let w = 0; w < 10; w++) {
      tail.addChunk(chunk(100 + w * 50, 50));
      for (let f = 0; f < 5; f++) tail.addFrame(frame(100 + w * 50 + f * 10, 110 + w * 50 + f * 10), w * 5 + f);
    }
    const window = tail.window();
    expect(window.frames.map((f) => f.frame.start)).toEqual([560, 570, 580, 590]);
    // Only the write those frames are in: the older writes would stand under no frame at all.
    expect(window.chunks.map((c) => c.offset)).toEqual([550]);
  });

  it("starts again empty", () => {
    const tail = new BoundaryTail(2);
    tail.addFrame(frame(0, 10), 0);
    tail.addChunk(chunk(0, 10));
    tail.clear();
    expect(tail.window()).toEqual({ frames: [], chunks: [], totalFrames: 0, totalChunks: 0 });
  });
});
