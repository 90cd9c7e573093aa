// Geometry of the sequence diagram: where the two lanes stand, how far down an instant is, and
// where each arrow, label and note goes. The SVG's viewBox is as wide as the diagram's box in
// CSS pixels, so one unit is one pixel and text keeps its size on a phone and on a projector;
// what changes with the width is how much of a long label fits before its ellipsis.
//
//   time axis | client notes  CLIENT ────arrows──── SERVER  server notes
//
// Time runs down linearly, so an arrow's slope is its travel time. The scale makes the shortest
// trip visibly slanted, within a height cap; labels that would overlap are pushed down in order.
// A long quiet stretch (nothing in flight, nothing happening: a retransmission timer running, a
// poll interval) is folded into a short marked band, so the diagram shows the exchange rather
// than seconds of empty lanes; no arrow ever crosses a fold, so every slope stays true.
import type { Peer, Trace } from "../../sim/trace.ts";
import { endsAt, formatBytes, formatTime, LOST_FRACTION, traceMoments } from "./trace-view.ts";
import { formatCount } from "../shared/format-count.ts";

export const LABEL_FONT_PX = 12;
/** Average advance of a monospace character at LABEL_FONT_PX (0.6 em). */
export const CHAR_PX = LABEL_FONT_PX * 0.6;
export const NOTE_FONT_PX = 11;
const NOTE_CHAR_PX = NOTE_FONT_PX * 0.6;
const LINE_PX = 15;
const TOP = 46;
const BOTTOM = 28;
const AXIS_W = 50;
/** The shortest trip should drop at least this far, so its slope shows. */
const MIN_TRIP_DROP = 44;
const MIN_HEIGHT = 280;
const MAX_HEIGHT = 3600;
/** A quiet stretch that would be taller than this is folded… */
const QUIET_MIN_PX = 110;
/** …into a band this tall. */
const QUIET_PX = 40;
/** Narrower than this, notes are drawn as marks without text. */
export const NOTES_MIN_WIDTH = 520;
/** Same-instant messages from one side: each later one is drawn this much lower, at most 4 times. */
const BUNDLE_PX = 5;
const MAX_BUNDLE_SHIFTS = 4;
/** Time-axis labels are about this far apart. */
const TICK_PX = 70;

export interface Point {
  x: number;
  y: number;
}

export interface ArrowLayout {
  id: number;
  from: Peer;
  start: Point;
  /** Where the drawn arrow ends: the receiver's lane, or the ✗ of a lost message. */
  end: Point;
  lost: boolean;
  retransmission: boolean;
  /** The label as drawn (maybe ellipsized), the full label, and where it sits (its centre baseline). */
  label: { text: string; full: string; x: number; y: number; anchor: "middle" };
}

export interface NoteLayout {
  index: number;
  peer: Peer;
  at: number;
  kind: string;
  mark: Point;
  text: { text: string; full: string; x: number; y: number; anchor: "start" | "end" };
}

/** A piece of the time axis: linear, or a folded quiet stretch. */
export interface TimeSegment {
  t0: number;
  t1: number;
  y0: number;
  y1: number;
  quiet: boolean;
}

export interface TickLayout {
  t: number;
  y: number;
  label: string;
}

export interface DiagramLayout {
  width: number;
  height: number;
  clientX: number;
  serverX: number;
  top: number;
  /** Vertical pixels per virtual millisecond, outside folded stretches. */
  scale: number;
  /** The time axis, piece by piece from 0 to the duration. */
  segments: TimeSegment[];
  /** Folded quiet stretches, with what the band says. */
  quiet: { y0: number; y1: number; label: string }[];
  arrows: ArrowLayout[];
  notes: NoteLayout[];
  ticks: TickLayout[];
}

/** Cuts text to at most `maxChars` characters, ending with "…" when it had to cut. */
export function ellipsize(text: string, maxChars: number): string {
  const chars = [...text];
  if (chars.length <= maxChars) return text;
  if (maxChars <= 1) return "…";
  return `${chars
    .slice(0, maxChars - 1)
    .join("")
    .trimEnd()}…`;
}

/** An arrow's label: what it carries and its size; only the "what" is shortened to fit. */
export function arrowLabel(label: string, bytes: number, maxChars: number, retransmission = false): string {
  const size = ` · ${bytes === 1 ? "1 B" : `${formatCount(bytes)} B`}${retransmission ? " · again" : ""}`;
  return `${ellipsize(label, Math.max(maxChars - size.length, 4))}${size}`;
}

/** The smallest round spacing (1, 2, 5 × 10ⁿ ms) at least `minMs` apart. */
export function tickStep(minMs: number): number {
  if (!(minMs > 0)) return 1;
  const raw = minMs;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const f of [1, 2, 5, 10]) if (f * power >= raw) return f * power;
  return 10 * power;
}

function tickLabel(t: number, step: number): string {
  if (t === 0) return "0";
  if (step >= 1000 || t >= 1000) return `${(t / 1000).toFixed(step >= 1000 ? 0 : step >= 100 ? 1 : 2)} s`;
  return `${t.toFixed(step >= 1 ? 0 : 1)} ms`;
}

/** Pushes wanted positions down so consecutive ones are at least `gap` apart, keeping order. */
export function spreadDown(wanted: readonly number[], gap: number): number[] {
  const order = wanted.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const out = new Array<number>(wanted.length);
  let last = -Infinity;
  for (const { y, i } of order) {
    const placed = Math.max(y, last + gap);
    out[i] = placed;
    last = placed;
  }
  return out;
}

/** The point a fraction `progress` (0–1) of the way along an arrow. */
export function pointAlong(arrow: Pick<ArrowLayout, "start" | "end">, progress: number): Point {
  const p = Math.min(Math.max(progress, 0), 1);
  return { x: arrow.start.x + (arrow.end.x - arrow.start.x) * p, y: arrow.start.y + (arrow.end.y - arrow.start.y) * p };
}

export function layoutDiagram(trace: Trace, width: number): DiagramLayout {
  const w = Math.max(Math.round(width), 280);
  // On a phone the arrows' labels need the room more than notes do: notes keep only their
  // marks there (the transcript and each mark's tooltip still say them).
  const noteText = w >= NOTES_MIN_WIDTH;
  const notesW = noteText ? Math.round(Math.min(Math.max(w * 0.2, 64), 170)) : 30;
  const clientX = AXIS_W + notesW;
  const serverX = w - notesW;
  const duration = Math.max(trace.duration, 1);

  // Lost messages' shortened trips do not set the scale: only whole trips show the latency.
  const trips = trace.messages
    .filter((m) => m.arrivesAt !== null)
    .map((m) => m.arrivesAt! - m.sentAt)
    .filter((d) => d > 0);
  const shortest = trips.length ? Math.min(...trips) : duration;
  const base = Math.max(MIN_TRIP_DROP / shortest, MIN_HEIGHT / duration);
  const folds = quietStretches(trace, QUIET_MIN_PX / base);
  const active = Math.max(duration - folds.reduce((sum, [a, b]) => sum + (b - a), 0), 1);
  const scale = Math.min(Math.max(base, (MIN_HEIGHT - folds.length * QUIET_PX) / active), MAX_HEIGHT / active);
  const segments = timeSegments(duration, folds, scale);
  const y = (t: number): number => yOnSegments(segments, t);

  const maxChars = Math.max(Math.floor((serverX - clientX - 16) / CHAR_PX), 6);
  // Messages one side sends at the same instant (TCP segments back to back) would be drawn on
  // top of one another: each later one is shifted down a little, parallel, so all can be seen.
  // Identical ones (three duplicate ACKs) share one label: "ACK 537 · 0 B ×3".
  const bundled = new Map<string, number>();
  const sameLabel = new Map<string, number[]>();
  trace.messages.forEach((m, i) => {
    const key = `${m.label}|${m.bytes}|${m.from}|${m.sentAt}|${endsAt(m, trace.link)}|${m.retransmission === true}`;
    sameLabel.set(key, [...(sameLabel.get(key) ?? []), i]);
  });
  const labelCount = new Map<number, number>();
  for (const indices of sameLabel.values())
    indices.forEach((index, k) => labelCount.set(index, k === 0 ? indices.length : 0));
  const arrows: ArrowLayout[] = trace.messages.map((m, i) => {
    const towards = m.from === "client" ? 1 : -1;
    const fromX = m.from === "client" ? clientX : serverX;
    const span = (serverX - clientX) * (m.arrivesAt === null ? LOST_FRACTION : 1);
    const bundleKey = `${m.from}|${m.sentAt}`;
    const k = bundled.get(bundleKey) ?? 0;
    bundled.set(bundleKey, k + 1);
    const dy = Math.min(k, MAX_BUNDLE_SHIFTS) * BUNDLE_PX;
    const start = { x: fromX, y: y(m.sentAt) + dy };
    const end = { x: fromX + towards * span, y: y(endsAt(m, trace.link)) + dy };
    const count = labelCount.get(i) ?? 1;
    const times = count > 1 ? ` ×${count}` : "";
    const full = `${m.label} · ${formatBytes(m.bytes)}${m.retransmission ? " · retransmission" : ""}${times}`;
    const shown =
      count === 0 ? "" : `${arrowLabel(m.label, m.bytes, maxChars - times.length, m.retransmission)}${times}`;
    return {
      id: m.id,
      from: m.from,
      start,
      end,
      lost: m.arrivesAt === null,
      retransmission: m.retransmission === true,
      label: { text: shown, full, x: (clientX + serverX) / 2, y: 0, anchor: "middle" },
    };
  });
  // A label sits centred between the lanes just above its arrow's middle (a halo keeps it
  // readable where the arrow crosses it); labels that would collide move down, in order.
  const labelled = arrows.filter((a) => a.label.text !== "");
  const labelYs = spreadDown(
    labelled.map((a) => a.start.y + (a.end.y - a.start.y) * 0.5 - 4),
    LINE_PX,
  );
  labelled.forEach((a, i) => (a.label.y = labelYs[i]!));
  for (const a of arrows) if (a.label.text === "") a.label.y = (a.start.y + a.end.y) / 2;

  const noteChars = Math.max(Math.floor((notesW - 14) / NOTE_CHAR_PX), 4);
  const notes: NoteLayout[] = trace.notes.map((n, index) => {
    const laneX = n.peer === "client" ? clientX : serverX;
    const full = n.text;
    return {
      index,
      peer: n.peer,
      at: n.at,
      kind: n.kind,
      mark: { x: laneX, y: y(n.at) },
      text: {
        text: noteText ? ellipsize(full, noteChars) : "",
        full,
        x: n.peer === "client" ? laneX - 9 : laneX + 9,
        y: 0,
        anchor: n.peer === "client" ? "end" : "start",
      },
    };
  });
  for (const peer of ["client", "server"] as const) {
    const mine = notes.filter((n) => n.peer === peer);
    const ys = spreadDown(
      mine.map((n) => n.mark.y + 4),
      NOTE_FONT_PX + 3,
    );
    mine.forEach((n, i) => (n.text.y = ys[i]!));
  }

  // Ticks only where time is linear, and never crowding one another across a fold.
  const step = tickStep(TICK_PX / scale);
  const ticks: TickLayout[] = [];
  for (let i = 0; i * step <= duration + 1e-9; i++) {
    const t = i * step;
    const inLinear = segments.some((s) => !s.quiet && t >= s.t0 && t <= s.t1);
    const ty = y(t);
    if (inLinear && (ticks.length === 0 || ty - ticks.at(-1)!.y >= 24))
      ticks.push({ t, y: ty, label: tickLabel(t, step) });
  }
  const quiet = segments
    .filter((s) => s.quiet)
    .map((s) => ({ y0: s.y0, y1: s.y1, label: `${formatTime(s.t1 - s.t0)} with nothing on the wire` }));

  const lowest = Math.max(y(duration), ...arrows.map((a) => a.label.y), ...notes.map((n) => n.text.y));
  return {
    width: w,
    height: Math.ceil(lowest + BOTTOM),
    clientX,
    serverX,
    top: TOP,
    scale,
    segments,
    quiet,
    arrows,
    notes,
    ticks,
  };
}

/**
 * Stretches between consecutive moments, at least `minMs` long, during which no message is in
 * flight: folding them hides no arrow and bends no slope.
 */
export function quietStretches(trace: Trace, minMs: number): [number, number][] {
  const moments = traceMoments(trace);
  const found: [number, number][] = [];
  for (let i = 0; i + 1 < moments.length; i++) {
    const a = moments[i]!;
    const b = moments[i + 1]!;
    if (b - a < minMs) continue;
    const busy = trace.messages.some((m) => m.sentAt <= a && endsAt(m, trace.link) >= b);
    if (!busy) found.push([a, b]);
  }
  return found;
}

/** The time axis from 0 to `duration`: linear at `scale`, each fold QUIET_PX tall. */
export function timeSegments(duration: number, folds: readonly [number, number][], scale: number): TimeSegment[] {
  const segments: TimeSegment[] = [];
  let t = 0;
  let y = TOP;
  const linear = (to: number): void => {
    if (to <= t) return;
    segments.push({ t0: t, t1: to, y0: y, y1: y + (to - t) * scale, quiet: false });
    y += (to - t) * scale;
    t = to;
  };
  for (const [a, b] of folds) {
    linear(a);
    segments.push({ t0: a, t1: b, y0: y, y1: y + QUIET_PX, quiet: true });
    y += QUIET_PX;
    t = b;
  }
  linear(duration);
  if (segments.length === 0) segments.push({ t0: 0, t1: duration, y0: TOP, y1: TOP, quiet: false });
  return segments;
}

function yOnSegments(segments: readonly TimeSegment[], t: number): number {
  const first = segments[0]!;
  if (t <= first.t0) return first.y0;
  for (const s of segments) {
    if (t <= s.t1) return s.t1 > s.t0 ? s.y0 + ((t - s.t0) / (s.t1 - s.t0)) * (s.y1 - s.y0) : s.y1;
  }
  return segments.at(-1)!.y1;
}

/** Vertical position of an instant in a layout. */
export function yAt(layout: Pick<DiagramLayout, "segments">, t: number): number {
  return yOnSegments(layout.segments, t);
}
