// Geometry of the wire stage, pure so it is tested without a DOM. Each side (the real WebSocket,
// the simulated HTTP) is a sequence diagram of its own: two lanes (browser, server), time running
// down, one canvas unit per CSS pixel, so text keeps its size on a phone and on a projector.
// Both sides use the same scale and the same time axis (time-axis.ts), and show the same window
// of time ending at the stage's "now": the view follows time by moving the window, never by
// growing a page-long picture.
//
//   time labels | BROWSER ──── arrow and label ────▶ SERVER
//
// Labels never overlap: a label that would sit within a line's height of the previous one on its
// side joins it instead ("“Hello” 11 B · +2 more"), and the full text of every item stays in the
// transcript and in the arrow's accessible name.
import { LABEL_CHAR_PX, LABEL_FONT_PX, truncate } from "../shared/diagram-geometry.ts";
import { formatCount } from "../shared/format-count.ts";

export const LABEL_LINE_PX = 18;
export const HEAD_PX = 34;
export const AXIS_PX = 46;
export const SIDE_PAD_PX = 18;

export interface LaneGeometry {
  width: number;
  clientX: number;
  serverX: number;
  labelX: number;
  /** Characters of a label that fit between the lanes. */
  labelChars: number;
}

export function laneGeometry(width: number): LaneGeometry {
  const w = Math.max(200, Math.round(width));
  const clientX = AXIS_PX + 14;
  const serverX = w - SIDE_PAD_PX - 10;
  return {
    width: w,
    clientX,
    serverX,
    labelX: (clientX + serverX) / 2,
    labelChars: Math.max(8, Math.floor((serverX - clientX - 16) / LABEL_CHAR_PX)),
  };
}

/**
 * How much time the visible window holds: enough for the slowest exchange the reader chose to
 * show whole (a poll interval and a round trip, or several round trips), and no more, so each
 * trip's slope stays visible.
 */
export function windowMs(oneWayMs: number, pollIntervalMs: number | null): number {
  const exchange = (pollIntervalMs ?? 0) + 4 * oneWayMs;
  return Math.min(8000, Math.max(1500, 12 * oneWayMs, 1.6 * exchange));
}

/** Pixels per millisecond for a window of `ms` in a diagram `heightPx` tall. */
export function pxPerMs(ms: number, heightPx: number): number {
  return Math.max(1, heightPx - HEAD_PX - 8) / Math.max(1, ms);
}

export interface PlacedLabel {
  /** The label's baseline y, in content coordinates. */
  y: number;
  /** Null: a label of its own at `y`. Otherwise this item joined the label of item `joined`. */
  joined: number | null;
}

/**
 * Places labels one side at a time, in the order items are drawn. A message to the server is
 * labelled just above where it leaves, a message to the browser just below where it lands, so
 * a request and its answer keep labels of their own. A label that would come within a line of
 * another joins it instead. Labels are kept sorted by y, so a placement is a binary search, and
 * earlier labels never move, so drawing stays incremental.
 */
export class LabelPlacer {
  #ys: number[] = [];
  #owners: number[] = [];

  place(id: number, arrowStartY: number, arrowEndY: number, toServer = true): PlacedLabel {
    const y = toServer ? arrowStartY - 5 : arrowEndY + LABEL_FONT_PX + 2;
    let lo = 0;
    let hi = this.#ys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ys[mid]! < y) lo = mid + 1;
      else hi = mid;
    }
    for (const near of [lo - 1, lo]) {
      const other = this.#ys[near];
      if (other !== undefined && Math.abs(other - y) < LABEL_LINE_PX) return { y: other, joined: this.#owners[near]! };
    }
    this.#ys.splice(lo, 0, y);
    this.#owners.splice(lo, 0, id);
    return { y, joined: null };
  }

  reset(): void {
    this.#ys = [];
    this.#owners = [];
  }
}

/** The text of a label that others joined: the first item's label and how many more. */
export function joinedLabel(first: string, bytes: number, more: number, chars: number): string {
  const tail = more > 0 ? ` · +${more} more` : "";
  const size = ` ${formatCount(bytes)} B`;
  return `${truncate(first, Math.max(4, chars - size.length - tail.length))}${size}${tail}`;
}

/** Time-axis ticks inside [from, to], about every `minPx` pixels, at round times. */
export function ticks(from: number, to: number, scale: number, minPx = 60): number[] {
  const steps = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
  const step = steps.find((s) => s * scale >= minPx) ?? steps.at(-1)!;
  const out: number[] = [];
  for (let t = Math.ceil(Math.max(0, from) / step) * step; t <= to && out.length < 200; t += step) out.push(t);
  return out;
}
