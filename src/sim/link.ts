// The link between the simulated client and server: one-way latency, jitter, loss and
// bandwidth, each direction independent. `transmit` says when a message sent now arrives, or
// that it was lost. Every random draw comes from the seeded generator, two draws per message
// whatever the settings, so changing one setting never reshuffles the others' luck.
//
// Modelling choices (say them in a lesson if a number depends on them):
// - Bandwidth is a serialization delay, bytes / bandwidth, and the sender's side of the link is
//   busy while it serializes, so back-to-back messages queue behind each other.
// - One path: messages in one direction never overtake one another. Jitter varies latency
//   but a message never arrives before the one sent ahead of it (a FIFO queue).
// - Lost messages still occupy the link while they are serialized (they left the sender).
// - Sizes are the application bytes the trace counts; IP and TCP headers are not added.

import type { LinkSettings, Peer } from "./trace.ts";
import type { Random } from "./random.ts";

export type TransmitResult = { arrivesAt: number } | { arrivesAt: null; lost: true };

/** Round to a microsecond so traces read 150 rather than 150.00000000000003. */
export const roundTime = (t: number): number => Math.round(t * 1000) / 1000;

export class Link {
  readonly settings: LinkSettings;
  #random: Random;
  #busyUntil: Record<Peer, number> = { client: 0, server: 0 };
  #lastArrival: Record<Peer, number> = { client: 0, server: 0 };

  constructor(settings: LinkSettings, random: Random) {
    this.settings = settings;
    this.#random = random;
  }

  /** Send `bytes` from `from` at time `at`. `forceLoss` loses it whatever the loss rate (a reader's "drop this one"). */
  transmit(from: Peer, bytes: number, at: number, options: { forceLoss?: boolean } = {}): TransmitResult {
    const { oneWayMs, jitterMs, lossRate, bandwidthBytesPerSecond } = this.settings;
    const lossDraw = this.#random.next();
    const jitterDraw = this.#random.next();
    const start = Math.max(at, this.#busyUntil[from]);
    const serialization =
      bandwidthBytesPerSecond && bandwidthBytesPerSecond > 0 ? (bytes / bandwidthBytesPerSecond) * 1000 : 0;
    const finished = start + serialization;
    this.#busyUntil[from] = finished;
    if (options.forceLoss || lossDraw < clamp(lossRate, 0, 1)) return { arrivesAt: null, lost: true };
    const latency = Math.max(0, oneWayMs + (jitterDraw * 2 - 1) * Math.max(0, jitterMs));
    const arrivesAt = roundTime(Math.max(finished + latency, this.#lastArrival[from]));
    this.#lastArrival[from] = arrivesAt;
    return { arrivesAt };
  }
}

/**
 * How long a sender waits for an acknowledgment before it retransmits. RFC 6298 computes
 * RTO = SRTT + 4·RTTVAR, which after a first round-trip sample R is 3R, and never less than
 * one second (§2.4, also the initial RTO, §2.1). We use that value for the slowest round trip
 * this link can produce (latency plus jitter both ways), without adapting it over time.
 * Each further timeout of the same data doubles it (§5.5), up to 60 s.
 */
export function retransmissionTimeout(link: LinkSettings): number {
  const worstRoundTrip = 2 * (Math.max(0, link.oneWayMs) + Math.max(0, link.jitterMs));
  return Math.max(1000, 3 * worstRoundTrip);
}

export const MAX_RTO_MS = 60_000;

/** The timeout after `retries` consecutive timeouts: doubled each time (RFC 6298 §5.5), capped. */
export function backedOff(rto: number, retries: number): number {
  return Math.min(MAX_RTO_MS, rto * 2 ** retries);
}

function clamp(x: number, min: number, max: number): number {
  return Number.isFinite(x) ? Math.min(max, Math.max(min, x)) : min;
}
