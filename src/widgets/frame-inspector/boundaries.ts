// Where TCP reads/writes and WebSocket frames begin and end in one direction of the stream.
// Pure, so the picture of "frames and chunks do not line up" is computed, not drawn by hand:
// every distinct boundary becomes a column, and each frame and chunk spans the columns
// between its start and end offsets.
import type { CapturedChunk, CapturedFrame } from "../../protocol/capture.ts";
import type { Direction } from "../../protocol/tap-events.ts";

export interface Span {
  label: string;
  start: number;
  end: number;
  /** First and last column (1-based, end exclusive) for CSS grid placement. */
  column: [number, number];
  frameIndex?: number;
}

export interface BoundaryLayout {
  /** Byte width of each column, in order. */
  widths: number[];
  frames: Span[];
  chunks: Span[];
  /** True when some chunk boundary falls inside a frame or holds several frames. */
  misaligned: boolean;
}

/** The latest `maxColumns` columns are kept, so a long session still draws legibly. */
export function layoutBoundaries(
  frames: readonly CapturedFrame[],
  chunks: readonly CapturedChunk[],
  dir: Direction,
  maxColumns = 48,
): BoundaryLayout {
  const f = frames.map((frame, index) => ({ frame, index })).filter((x) => x.frame.dir === dir);
  const c = chunks.filter((chunk) => chunk.dir === dir);
  const points = new Set<number>();
  for (const { frame } of f) points.add(frame.start).add(frame.end);
  for (const chunk of c) points.add(chunk.offset).add(chunk.offset + chunk.length);
  let sorted = [...points].sort((a, b) => a - b);
  if (sorted.length - 1 > maxColumns) sorted = sorted.slice(sorted.length - 1 - maxColumns);
  const first = sorted[0] ?? 0;
  const columnOf = (offset: number): number => {
    const i = sorted.indexOf(offset);
    return i < 0 ? (offset < first ? 1 : sorted.length) : i + 1;
  };
  const widths = sorted.slice(1).map((p, i) => p - sorted[i]!);
  // A span is drawn when any of it lies past the oldest boundary kept (it may start before it).
  const visible = (end: number): boolean => end > first;
  const framesOut: Span[] = f
    .filter(({ frame }) => visible(frame.end))
    .map(({ frame, index }) => ({
      label: `frame`,
      start: frame.start,
      end: frame.end,
      column: [columnOf(Math.max(frame.start, first)), columnOf(frame.end)],
      frameIndex: index,
    }));
  const chunksOut: Span[] = c
    .filter((chunk) => visible(chunk.offset + chunk.length))
    .map((chunk) => ({
      label: dir === "in" ? "read" : "write",
      start: chunk.offset,
      end: chunk.offset + chunk.length,
      column: [columnOf(Math.max(chunk.offset, first)), columnOf(chunk.offset + chunk.length)],
    }));
  const frameEdges = new Set(f.flatMap(({ frame }) => [frame.start, frame.end]));
  const chunkEdges = new Set(c.flatMap((chunk) => [chunk.offset, chunk.offset + chunk.length]));
  const misaligned =
    [...chunkEdges].some((edge) => !frameEdges.has(edge)) || [...frameEdges].some((edge) => !chunkEdges.has(edge));
  return { widths, frames: framesOut, chunks: chunksOut, misaligned };
}
