// The lab's plain-HTTP API, shared by the server (which answers) and the widgets (which ask):
// which TCP connection served a request (lessons 1 and 3), and the push race, where one stream
// of server events is delivered by four transports at once. Types and validators only, so a
// widget never trusts a response it has not checked.
//
// Every endpoint below accepts `delay=MS` (0–2000): the lab then waits that long before each
// write it makes on that connection, so differences that loopback hides become visible.
//
// Connection reporting
//   GET /lab/http/whoami[?close=1][&delay=MS]
//     → 200 WhoAmI. With close=1 the response carries `Connection: close` and the lab closes the
//       connection after it (RFC 9112 §9.6), so the browser's next request needs a new one.
//
// The push race
//   POST /lab/race?events=N&spacingMs=MS[&delay=MS]     N 1–20, spacing 100–5000
//     → 201 RaceCreated: the lab will produce N events, the first about a second after creation,
//       then one every spacingMs (with a little seeded irregularity), the same events for all
//       four transports.
//   GET /lab/race/ID/poll?after=K            short polling: answers at once with events > K
//   GET /lab/race/ID/long-poll?after=K       long polling: held until an event > K exists (or 20 s)
//   GET /lab/race/ID/sse                     text/event-stream, one event block per event
//   WS  /lab/race/ID/ws                      one text message per event
//       Each delivers RaceEvent JSON (poll answers: { events: RaceEvent[] }).
//   GET /lab/race/ID/results                 → RaceResults: per transport, requests served and
//       bytes read and written on the wire (request and response heads included), counted by
//       the server on the sockets that carried them.
// Races expire a minute after their last event; unknown or expired IDs get 404.

export type Transport = "short-polling" | "long-polling" | "sse" | "websocket";
export const TRANSPORTS: readonly Transport[] = ["short-polling", "long-polling", "sse", "websocket"];

export interface WhoAmI {
  /** Opaque id of the TCP connection that carried this request, stable for its lifetime. */
  connection: string;
  clientAddress: string;
  clientPort: number;
  /** 1 for the first request on this connection, 2 for the second, … */
  request: number;
  /** True when this response closes the connection (Connection: close). */
  closing: boolean;
  httpVersion: string;
  /** Server clock, ms since the Unix epoch, when the request was handled. */
  serverTime: number;
}

export interface RaceEvent {
  id: number;
  /** Server clock (epoch ms) when the event happened. */
  at: number;
}

export interface RaceCreated {
  race: string;
  events: number;
  spacingMs: number;
  /** Server clock (epoch ms) of each event, known in advance so every transport races fairly. */
  schedule: number[];
  serverTime: number;
}

export interface TransportCount {
  requests: number;
  bytesIn: number;
  bytesOut: number;
  /** Events this transport has handed to the network so far. */
  eventsSent: number;
}

export interface RaceResults {
  race: string;
  schedule: number[];
  transports: Record<Transport, TransportCount>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;

export function parseWhoAmI(value: unknown): WhoAmI | null {
  if (!isObj(value)) return null;
  const v = value;
  if (
    typeof v.connection !== "string" ||
    v.connection.length > 64 ||
    typeof v.clientAddress !== "string" ||
    !isCount(v.clientPort) ||
    !isCount(v.request) ||
    typeof v.closing !== "boolean" ||
    typeof v.httpVersion !== "string" ||
    !isTime(v.serverTime)
  )
    return null;
  return {
    connection: v.connection,
    clientAddress: v.clientAddress,
    clientPort: v.clientPort,
    request: v.request,
    closing: v.closing,
    httpVersion: v.httpVersion,
    serverTime: v.serverTime,
  };
}

export function parseRaceEvent(value: unknown): RaceEvent | null {
  if (!isObj(value) || !isCount(value.id) || !isTime(value.at)) return null;
  return { id: value.id, at: value.at };
}

export function parseRaceCreated(value: unknown): RaceCreated | null {
  if (
    !isObj(value) ||
    typeof value.race !== "string" ||
    !isCount(value.events) ||
    !isCount(value.spacingMs) ||
    !Array.isArray(value.schedule) ||
    !value.schedule.every(isTime) ||
    !isTime(value.serverTime)
  )
    return null;
  return {
    race: value.race,
    events: value.events,
    spacingMs: value.spacingMs,
    schedule: value.schedule as number[],
    serverTime: value.serverTime,
  };
}

export function parseRaceResults(value: unknown): RaceResults | null {
  if (!isObj(value) || typeof value.race !== "string" || !Array.isArray(value.schedule) || !isObj(value.transports))
    return null;
  const transports = {} as Record<Transport, TransportCount>;
  for (const name of TRANSPORTS) {
    const t = value.transports[name];
    if (!isObj(t) || !isCount(t.requests) || !isCount(t.bytesIn) || !isCount(t.bytesOut) || !isCount(t.eventsSent))
      return null;
    transports[name] = { requests: t.requests, bytesIn: t.bytesIn, bytesOut: t.bytesOut, eventsSent: t.eventsSent };
  }
  return { race: value.race, schedule: (value.schedule as unknown[]).filter(isTime), transports };
}
