import { describe, expect, it } from "vitest";
import { layoutBoundaries } from "./boundaries.ts";
import type { CapturedChunk, CapturedFrame } from "../../protocol/capture.ts";

const frame = (start: number, end: number): CapturedFrame => ({
  dir: "in",
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
    masked: true,
    maskingKey: null,
    payloadLength: 0,
    lengthForm: "7-bit",
    headerLength: 6,
    payload: new Uint8Array(),
    raw: new Uint8Array(),
  },
});
const chunk = (offset: number, length: number): CapturedChunk => ({
  dir: "in",
  t: 0,
  offset,
  length,
  bytes: null,
  event: 0,
});

describe("frame and chunk boundaries", () => {
  it("lines up when every read holds exactly one frame", () => {
    const layout = layoutBoundaries([frame(100, 111), frame(111, 122)], [chunk(100, 11), chunk(111, 11)], "in");
    expect(layout.misaligned).toBe(false);
    expect(layout.widths).toEqual([11, 11]);
  });

  it("shows one read holding two frames, and a frame split over two reads", () => {
    const together = layoutBoundaries([frame(100, 111), frame(111, 122)], [chunk(100, 22)], "in");
    expect(together.misaligned).toBe(true);
    expect(together.chunks[0]!.column).toEqual([1, 3]);
    expect(together.frames.map((f) => f.column)).toEqual([
      [1, 2],
      [2, 3],
    ]);

    const split = layoutBoundaries([frame(100, 111)], [chunk(100, 4), chunk(104, 7)], "in");
    expect(split.misaligned).toBe(true);
    expect(split.frames[0]!.column).toEqual([1, 3]);
    expect(split.widths).toEqual([4, 7]);
  });

  it("keeps only the latest columns of a long session", () => {
    const frames = Array.from({ length: 100 }, (_, i) => frame(100 + i * 10, 110 + i * 10));
    const chunks = Array.from({ length: 100 }, (_, i) => chunk(100 + i * 10, 10));
    const layout = layoutBoundaries(frames, chunks, "in", 8);
    expect(layout.widths).toHaveLength(8);
    expect(layout.frames).toHaveLength(8);
  });
});
