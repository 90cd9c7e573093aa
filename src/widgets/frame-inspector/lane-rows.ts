// The frame lane as plain data: one row per frame, and a note row after the last frame of a
// message that took several (RFC 6455 §5.4), stacked down the lane in the order they were
// captured. Each frame row is an arrow in the wire stage's style, from the sender's side to the
// receiver's, with its label above and its time at the left. Pure, so it is tested without a
// DOM: lane-canvas.ts paints the rows in view, frame-lane.ts keeps them in step with the capture.
//
// Content coordinates: x in CSS pixels across the lane, y in CSS pixels down from the first row
// ever added. Rows leave from the top and join at the bottom; a row's y never changes, so the
// rows in a window are found by a binary search, whatever the length of the session.
import type { Direction } from "../../protocol/tap-events.ts";
import { LABEL_CHAR_PX, truncate } from "../shared/diagram-geometry.ts";

export const FRAME_ROW_PX = 36;
export const MESSAGE_ROW_PX = 22;
/** Room at the left for the row's time ("+12.34 s"). */
export const TIME_PX = 78;
const EDGE_PX = 18;

export type LaneRowKind = "frame" | "message";

/**
 * A frame's time since the connection opened, as the lane's margin shows it: never wider than
 * nine characters, so it fits beside the browser's side however long the session ("+16:40.3"
 * after a quarter of an hour rather than "+1000.30 s").
 */
export function laneTime(ms: number): string {
  if (ms < 999.95) return `+${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(2)} s`;
  const tenths = Math.floor(ms / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = (tenths % 600) / 10;
  return `+${minutes}:${seconds.toFixed(1).padStart(4, "0")}`;
}

export interface LaneRow {
  /** The frame's key (`dir:start`), or the key of the frame a message note follows, with ":message". */
  key: string;
  kind: LaneRowKind;
  /** "in": the browser sent it to the lab (drawn left to right); "out": the lab sent it. */
  dir: Direction;
  /** What the row says (shortened to fit when painted). */
  text: string;
  /** The frame's time since the connection opened ("+1.2 ms"); empty for a note. */
  time: string;
  /** The whole sentence, for the tooltip. */
  full: string;
  y: number;
  height: number;
  /** How far the frame's marker has crossed: 0 as it leaves, 1 once landed. */
  progress: number;
}

export interface LaneGeometry {
  width: number;
  /** The browser's side (left) and the lab's (right). */
  clientX: number;
  serverX: number;
  /** Characters of a label that fit between the sides. */
  labelChars: number;
}

export function laneGeometry(width: number): LaneGeometry {
  const w = Math.max(220, Math.round(width));
  const clientX = TIME_PX;
  const serverX = w - EDGE_PX;
  return { width: w, clientX, serverX, labelChars: Math.max(10, Math.floor((serverX - clientX - 12) / LABEL_CHAR_PX)) };
}

export interface RowShape {
  /** The arrow, from where the frame left to where it landed. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Where the label is centred, on its baseline. */
  labelX: number;
  labelY: number;
  /** The label as it fits between the sides. */
  label: string;
}

/** Where a row's parts go. The arrow drops a little as it crosses: the trip takes time. */
export function rowShape(row: LaneRow, g: LaneGeometry): RowShape {
  const [x1, x2] = row.dir === "in" ? [g.clientX, g.serverX] : [g.serverX, g.clientX];
  const labelX = (g.clientX + g.serverX) / 2;
  if (row.kind === "message")
    return { x1, y1: row.y, x2, y2: row.y, labelX, labelY: row.y + 15, label: truncate(row.text, g.labelChars) };
  return {
    x1,
    y1: row.y + 21,
    x2,
    y2: row.y + 29,
    labelX,
    labelY: row.y + 15,
    label: truncate(row.text, g.labelChars),
  };
}

/** Where a frame's marker is at its row's progress. */
export function markerOf(shape: RowShape, progress: number): { x: number; y: number } {
  return { x: shape.x1 + (shape.x2 - shape.x1) * progress, y: shape.y1 + (shape.y2 - shape.y1) * progress };
}

export class LaneRows {
  /** Rows in order; the first `#gone` have left (dropped lazily, so leaving is O(1) on average). */
  #rows: LaneRow[] = [];
  #gone = 0;
  #bottom = 0;

  /** Adds a row at the bottom. */
  add(row: Omit<LaneRow, "y" | "height" | "progress">): LaneRow {
    const height = row.kind === "frame" ? FRAME_ROW_PX : MESSAGE_ROW_PX;
    const added: LaneRow = { ...row, y: this.#bottom, height, progress: 1 };
    this.#rows.push(added);
    this.#bottom += height;
    return added;
  }

  /** Removes the oldest row; returns it. */
  shift(): LaneRow | undefined {
    const row = this.#rows[this.#gone];
    if (!row) return undefined;
    this.#gone++;
    if (this.#gone > 64 && this.#gone * 2 > this.#rows.length) {
      this.#rows = this.#rows.slice(this.#gone);
      this.#gone = 0;
    }
    return row;
  }

  /** The oldest row still in the lane. */
  get first(): LaneRow | undefined {
    return this.#rows[this.#gone];
  }

  get length(): number {
    return this.#rows.length - this.#gone;
  }

  /** Content y of the lane's top edge (the oldest row's top). */
  get top(): number {
    return this.first?.y ?? this.#bottom;
  }

  get bottom(): number {
    return this.#bottom;
  }

  /** Empties the lane; new rows start again at y = 0. */
  clear(): void {
    this.#rows = [];
    this.#gone = 0;
    this.#bottom = 0;
  }

  /** The rows overlapping content y in [from, to), oldest first. */
  visible(from: number, to: number): LaneRow[] {
    const out: LaneRow[] = [];
    for (let i = this.#firstEndingAfter(from); i < this.#rows.length; i++) {
      const row = this.#rows[i]!;
      if (row.y >= to) break;
      out.push(row);
    }
    return out;
  }

  /** The row at content y, or null. */
  at(y: number): LaneRow | null {
    const row = this.#rows[this.#firstEndingAfter(y)];
    return row && row.y <= y ? row : null;
  }

  #firstEndingAfter(y: number): number {
    let lo = this.#gone;
    let hi = this.#rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const row = this.#rows[mid]!;
      if (row.y + row.height <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
