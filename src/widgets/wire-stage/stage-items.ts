// What the wire stage draws: one item per thing that crossed a link, on either side, on one
// clock. "Stage time" is milliseconds since the reader's browser sent its opening handshake.
// The real side's items come from the lab's capture (real-projection.ts); the HTTP side's from
// the live simulation (src/sim/live-scenario.ts). Items are append-only: once made, an item
// never changes, so a drawn item never needs redrawing.
import type { TraceMessage } from "../../sim/trace.ts";

export type StageSide = "ws" | "http";
export type StagePeer = "client" | "server";

export interface StageItem {
  /** Unique within one stage session, in the order items were made. */
  id: number;
  side: StageSide;
  from: StagePeer;
  departAt: number;
  /** Null when the (simulated) link lost it. */
  arriveAt: number | null;
  /** Short text for the arrow, without the byte count. */
  label: string;
  /** One sentence for the transcript, tooltips and the live region. */
  full: string;
  bytes: number;
  /** The part of `bytes` that is protocol overhead (frame header, HTTP head). */
  headerBytes: number;
  kind: "handshake" | "data" | "control" | "tcp" | "http";
}

export function formatStageTime(ms: number): string {
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  return `${Math.round(ms)} ms`;
}

export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString("en")} B`;
}

/** An HTTP-side item for a simulated message: a TCP segment or an HTTP message. */
export function itemFromTraceMessage(id: number, message: TraceMessage): StageItem {
  const to = message.from === "client" ? "server" : "browser";
  const from = message.from === "client" ? "browser" : "server";
  const when = message.arrivesAt === null ? "lost on the way" : `arrives at ${formatStageTime(message.arrivesAt)}`;
  return {
    id,
    side: "http",
    from: message.from,
    departAt: message.sentAt,
    arriveAt: message.arrivesAt,
    label: message.label,
    full: `HTTP (simulated), ${formatStageTime(message.sentAt)}: ${from} → ${to}, ${message.label}${message.retransmission ? " (sent again)" : ""}, ${formatBytes(message.bytes)}${message.layer === "tcp" ? "" : ` (${formatBytes(message.headerBytes)} of headers)`}, ${when}.`,
    bytes: message.bytes,
    headerBytes: message.headerBytes,
    kind: message.layer === "tcp" ? "tcp" : "http",
  };
}

/** Instants closer than this are one step: a step the eye cannot see is no step at all. */
export const MOMENT_RESOLUTION_MS = 1;

/**
 * Every instant worth stopping at (departures and arrivals), kept sorted as items come in.
 * Items arrive almost in time order, so an insertion is a short search from the end. An echo
 * leaves the lab a few microseconds after its message arrived: such near-twins are one moment.
 */
export class MomentList {
  #times: number[] = [];

  add(time: number): void {
    const times = this.#times;
    let i = times.length;
    while (i > 0 && times[i - 1]! > time) i--;
    const near = (j: number): boolean => j >= 0 && j < times.length && Math.abs(times[j]! - time) < MOMENT_RESOLUTION_MS;
    if (near(i - 1) || near(i)) return;
    times.splice(i, 0, time);
  }

  get length(): number {
    return this.#times.length;
  }

  /** The first moment strictly after `time`, or null. */
  after(time: number): number | null {
    const i = this.#firstAbove(time);
    return i < this.#times.length ? this.#times[i]! : null;
  }

  /** The last moment strictly before `time`, or null. */
  before(time: number): number | null {
    let lo = 0;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#times[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.#times[lo - 1]! : null;
  }

  /** How many moments are at or before `time` (the step number a deep link names). */
  indexAt(time: number): number {
    return this.#firstAbove(time);
  }

  /** The time of step `index` (1-based: step 1 is the first moment); 0 for step 0. */
  timeOf(index: number): number {
    if (index <= 0 || this.#times.length === 0) return 0;
    return this.#times[Math.min(index, this.#times.length) - 1]!;
  }

  #firstAbove(time: number): number {
    let lo = 0;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#times[mid]! <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
