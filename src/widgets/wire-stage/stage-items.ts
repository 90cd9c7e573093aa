// What the wire stage draws: one item per thing that crossed a link, on either side, on one
// clock. "Stage time" is milliseconds since the reader's browser sent its opening handshake.
// The real side's items come from the lab's capture (real-projection.ts); the HTTP side's from
// the live simulation (src/scenarios/live-scenario.ts). Items are append-only: once made, an item
// never changes, so a drawn item never needs redrawing.
import type { TraceMessage } from "../../sim/trace.ts";
import { formatCount } from "../shared/format-count.ts";

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
  /**
   * One sentence for the transcript and the tooltips. The items made from a session write it
   * when it is read (a getter): a recording holds thousands of items, few are ever hovered, and
   * a sentence built ahead of time is a dozen small strings the garbage collector walks for as
   * long as the recording lives (measured: 125,000 rope pieces after 3 minutes at 20 messages/s).
   */
  readonly full: string;
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
  return `${formatCount(bytes)} B`;
}

/** An HTTP-side item for a simulated message: a TCP segment or an HTTP message. */
export class SimulatedItem implements StageItem {
  // Declared, not defined: the constructor gives them their values.
  declare readonly side: "http";
  declare readonly id: number;
  declare readonly from: StagePeer;
  declare readonly departAt: number;
  declare readonly arriveAt: number | null;
  declare readonly label: string;
  declare readonly bytes: number;
  declare readonly headerBytes: number;
  declare readonly kind: "tcp" | "http";
  readonly #retransmission: boolean;

  constructor(id: number, message: TraceMessage) {
    this.side = "http";
    this.id = id;
    this.from = message.from;
    this.departAt = message.sentAt;
    this.arriveAt = message.arrivesAt;
    this.label = message.label;
    this.bytes = message.bytes;
    this.headerBytes = message.headerBytes;
    this.kind = message.layer === "tcp" ? "tcp" : "http";
    this.#retransmission = !!message.retransmission;
  }

  get full(): string {
    const direction = this.from === "client" ? "browser → server" : "server → browser";
    const when = this.arriveAt === null ? "lost on the way" : `arrives at ${formatStageTime(this.arriveAt)}`;
    const headers = this.kind === "tcp" ? "" : ` (${formatBytes(this.headerBytes)} of headers)`;
    return `HTTP (simulated), ${formatStageTime(this.departAt)}: ${direction}, ${this.label}${this.#retransmission ? " (sent again)" : ""}, ${formatBytes(this.bytes)}${headers}, ${when}.`;
  }
}

/** Instants closer than this are one step: a step the eye cannot see is no step at all. */
export const MOMENT_RESOLUTION_MS = 1;

/**
 * Every instant worth stopping at (departures and arrivals), kept sorted as items come in.
 * An echo leaves the lab a few microseconds after its message arrived: instants that follow one
 * another by less than MOMENT_RESOLUTION_MS are one moment, stopped at its last instant so that
 * everything in it has happened. Which instants form a moment depends only on the instants, not
 * on the order they were added in: a session fed live (HTTP items interleaved with real ones)
 * and the same session replayed from a link number their steps alike.
 * Items arrive almost in time order, so an insertion is a short search from the end.
 */
export class MomentList {
  /** Each moment's first and last instant, sorted; moments never overlap. */
  #starts: number[] = [];
  #ends: number[] = [];

  add(time: number): void {
    const starts = this.#starts;
    const ends = this.#ends;
    let i = starts.length;
    while (i > 0 && starts[i - 1]! > time) i--;
    if (i > 0 && time <= ends[i - 1]!) return;
    const joinsPrevious = i > 0 && time - ends[i - 1]! < MOMENT_RESOLUTION_MS;
    const joinsNext = i < starts.length && starts[i]! - time < MOMENT_RESOLUTION_MS;
    if (joinsPrevious && joinsNext) {
      ends[i - 1] = ends[i]!;
      starts.splice(i, 1);
      ends.splice(i, 1);
    } else if (joinsPrevious) {
      ends[i - 1] = time;
    } else if (joinsNext) {
      starts[i] = time;
    } else {
      starts.splice(i, 0, time);
      ends.splice(i, 0, time);
    }
  }

  get length(): number {
    return this.#ends.length;
  }

  /** The first moment strictly after `time`, or null. */
  after(time: number): number | null {
    const i = this.#firstAbove(time);
    return i < this.#ends.length ? this.#ends[i]! : null;
  }

  /** The last moment strictly before `time`, or null. */
  before(time: number): number | null {
    let lo = 0;
    let hi = this.#ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ends[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.#ends[lo - 1]! : null;
  }

  /** How many moments are at or before `time` (the step number a deep link names). */
  indexAt(time: number): number {
    return this.#firstAbove(time);
  }

  /** The time of step `index` (1-based: step 1 is the first moment); 0 for step 0. */
  timeOf(index: number): number {
    if (index <= 0 || this.#ends.length === 0) return 0;
    return this.#ends[Math.min(index, this.#ends.length) - 1]!;
  }

  #firstAbove(time: number): number {
    let lo = 0;
    let hi = this.#ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ends[mid]! <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
