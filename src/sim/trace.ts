// The output of every simulation: a trace of what crossed a simulated link, in virtual time.
// Scenarios (src/scenarios/run-scenario.ts) produce traces; the timeline widget draws
// them; tests read them. One trace format for all, so a number a page shows (requests, round
// trips, bytes, delivery delay) is always computed from a trace by `totals`, never typed in.
//
// Times are virtual milliseconds from the start of the scenario. A message that the link lost
// has `arrivesAt: null`. Byte counts are application-layer bytes as the protocol code
// serializes them (HTTP heads from src/protocol/http1.ts, WebSocket frames from
// src/protocol/frame.ts); TCP segments count their payload, and control segments (SYN, ACK,
// FIN) count 0 application bytes. `headerBytes` is the part of `bytes` that is protocol
// overhead (HTTP head, frame header), not the application's data.

export type Peer = "client" | "server";
export type Layer = "tcp" | "http" | "sse" | "websocket";

export type ScenarioKind = "tcp" | "http10" | "http11" | "short-polling" | "long-polling" | "sse" | "websocket";

export interface LinkSettings {
  /** One-way latency; the round-trip time is twice this. */
  oneWayMs: number;
  /** Each message's latency varies by up to ± this many ms (seeded, so reproducible). */
  jitterMs: number;
  /** Probability (0–1) that a message is lost. TCP retransmits; the trace shows both tries. */
  lossRate: number;
  /** Serialization delay per byte; null means unlimited bandwidth. */
  bandwidthBytesPerSecond: number | null;
  /** The same seed and settings always give the same trace. */
  seed: number;
}

export interface TraceMessage {
  id: number;
  from: Peer;
  sentAt: number;
  /** Null when the link lost it. */
  arrivesAt: number | null;
  /** Which TCP connection carried it (1, 2, …): HTTP/1.0 opens one per request. */
  connection: number;
  layer: Layer;
  /** What an arrow in the diagram says: "SYN", "GET /poll HTTP/1.1", "text frame “hi”". */
  label: string;
  bytes: number;
  headerBytes: number;
  /** Set on messages that start a round trip the sender waits on (SYN, an HTTP request, a poll). */
  opensRoundTrip?: boolean;
  /** Present on TCP-level segments. */
  tcp?: { flags: string[]; seq: number; ack: number; payload: number };
  retransmission?: boolean;
  /** For an HTTP or WebSocket message that carries server events: their ids. */
  carriesEvents?: number[];
}

export interface TraceNote {
  at: number;
  peer: Peer;
  kind: "app-event" | "delivered" | "timeout" | "state" | "note";
  text: string;
  eventId?: number;
  /** On "delivered" notes of the TCP scenario: the bytes handed to the application, 1-based and inclusive (relative sequence numbers). */
  byteRange?: { first: number; last: number };
}

/** A server event's life: when it happened on the server, when the client had it. */
export interface Delivery {
  eventId: number;
  occurredAt: number;
  /** Null when the scenario ended before it was delivered. */
  deliveredAt: number | null;
}

export interface Trace {
  scenario: ScenarioKind;
  title: string;
  link: LinkSettings;
  messages: TraceMessage[];
  notes: TraceNote[];
  deliveries: Delivery[];
  /** Virtual time when the last message arrived or the scenario's horizon, whichever is later. */
  duration: number;
}

export interface ScenarioRequest {
  kind: ScenarioKind;
  link: LinkSettings;
  /** http10 / http11: how many requests the client makes, one after another. */
  requests?: number;
  /** Push scenarios (polling, SSE, WebSocket): virtual times at which the server has a new event. */
  serverEvents?: number[];
  /** websocket: virtual times at which the client sends a message (the server echoes it). */
  clientMessages?: number[];
  /** short-polling: time between the end of one poll and the next request. */
  pollIntervalMs?: number;
  /** tcp: how many data segments the client sends. */
  dataSegments?: number;
  /** tcp: index of a data segment whose first transmission is lost (null: none). */
  dropSegment?: number | null;
  /** Push scenarios: how long to simulate. */
  durationMs?: number;
  /** long-polling: how long the server holds a poll with nothing to say before answering empty. */
  longPollTimeoutMs?: number;
  /** websocket: how often the server pings. */
  pingIntervalMs?: number;
}

export interface Totals {
  messages: number;
  /** HTTP requests (including polls) made by the client. */
  requests: number;
  roundTrips: number;
  tcpConnections: number;
  bytes: number;
  headerBytes: number;
  lost: number;
  retransmissions: number;
  delivered: number;
  meanDeliveryMs: number | null;
  maxDeliveryMs: number | null;
}

export function totals(trace: Trace): Totals {
  const m = trace.messages;
  const delays = trace.deliveries.flatMap((d) => (d.deliveredAt === null ? [] : [d.deliveredAt - d.occurredAt]));
  return {
    messages: m.length,
    // A retransmitted request is the same request sent again, not a new one.
    requests: m.filter((x) => x.layer === "http" && x.from === "client" && !x.retransmission).length,
    roundTrips: m.filter((x) => x.opensRoundTrip && !x.retransmission).length,
    tcpConnections: new Set(m.map((x) => x.connection)).size,
    bytes: m.reduce((sum, x) => sum + x.bytes, 0),
    headerBytes: m.reduce((sum, x) => sum + x.headerBytes, 0),
    lost: m.filter((x) => x.arrivesAt === null).length,
    retransmissions: m.filter((x) => x.retransmission).length,
    delivered: delays.length,
    meanDeliveryMs: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
    maxDeliveryMs: delays.length ? Math.max(...delays) : null,
  };
}
