// Test data only: a hand-made trace in the shape src/sim/trace.ts defines, so the timeline's
// pure modules are tested without the simulation engine.
import type { LinkSettings, Trace, TraceMessage } from "../../sim/trace.ts";

export const link: LinkSettings = { oneWayMs: 50, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 };

export function msg(
  id: number,
  from: "client" | "server",
  sentAt: number,
  arrivesAt: number | null,
  label: string,
  extra: Partial<TraceMessage> = {},
): TraceMessage {
  return { id, from, sentAt, arrivesAt, connection: 1, layer: "tcp", label, bytes: 0, headerBytes: 0, ...extra };
}

/** A hand-made TCP exchange: handshake, a request whose first try is lost, its retransmission. */
export const fixture: Trace = {
  scenario: "tcp",
  title: "Fixture",
  link,
  messages: [
    msg(1, "client", 0, 50, "SYN", { opensRoundTrip: true }),
    msg(2, "server", 50, 100, "SYN-ACK"),
    msg(3, "client", 100, 150, "ACK"),
    msg(4, "client", 100, null, "GET / HTTP/1.1", { layer: "http", bytes: 78, headerBytes: 78, opensRoundTrip: true }),
    msg(5, "client", 300, 350, "GET / HTTP/1.1", { layer: "http", bytes: 78, headerBytes: 78, retransmission: true }),
    msg(6, "server", 350, 400, "HTTP/1.1 200 OK", { layer: "http", bytes: 120, headerBytes: 100 }),
  ],
  notes: [
    { at: 300, peer: "client", kind: "timeout", text: "retransmission timeout" },
    { at: 400, peer: "client", kind: "delivered", text: "response complete" },
  ],
  deliveries: [],
  duration: 450,
};
