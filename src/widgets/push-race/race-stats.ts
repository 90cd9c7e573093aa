// Figures for the push race table and chart, computed from what the page measured (arrivals)
// and what the lab counted on the wire (results), plus the same race simulated on a link with
// the reader's round-trip time, so measured and modelled numbers sit side by side.
import type { RaceResults, Transport } from "../../protocol/lab-api.ts";
import type { Arrival } from "../../machines/push-race.ts";
import { runScenario } from "../../scenarios/run-scenario.ts";
import { totals, type Totals } from "../../sim/trace.ts";

export const transportNames: Record<Transport, string> = {
  "short-polling": "Short polling",
  "long-polling": "Long polling",
  sse: "Server-sent events",
  websocket: "WebSocket",
};

export interface TransportStats {
  delivered: number;
  meanDelayMs: number | null;
  maxDelayMs: number | null;
  requests: number | null;
  bytes: number | null;
  bytesPerEvent: number | null;
}

export function transportStats(
  arrivals: readonly Arrival[],
  counted: RaceResults["transports"][Transport] | null,
): TransportStats {
  const delays = arrivals.map((a) => Math.max(0, a.delayMs));
  const bytes = counted ? counted.bytesIn + counted.bytesOut : null;
  return {
    delivered: arrivals.length,
    meanDelayMs: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
    maxDelayMs: delays.length ? Math.max(...delays) : null,
    requests: counted?.requests ?? null,
    bytes,
    bytesPerEvent: bytes !== null && arrivals.length > 0 ? bytes / arrivals.length : null,
  };
}

/** The race's events as offsets from its first moment, for the simulation. */
export function scheduleOffsets(schedule: readonly number[], startedAt: number): number[] {
  return schedule.map((t) => Math.max(0, Math.round(t - startedAt)));
}

export function simulateRace(
  offsets: readonly number[],
  rttMs: number,
  pollIntervalMs: number,
): Record<Transport, Totals> {
  const link = { oneWayMs: rttMs / 2, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 };
  const run = (kind: Transport): Totals =>
    totals(runScenario({ kind, link, serverEvents: [...offsets], pollIntervalMs }));
  return {
    "short-polling": run("short-polling"),
    "long-polling": run("long-polling"),
    sse: run("sse"),
    websocket: run("websocket"),
  };
}
