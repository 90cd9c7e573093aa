// Every application message the simulations send, built with the real serializers in
// src/protocol, so each size in a trace is the byte count of real text a browser or server
// would write. The header sets live here, in one place, and are fixed (no dates or keys that
// change from run to run), so traces are reproducible and header overhead is honest:
//
// - Browser requests carry what a current desktop browser sends on every request: Host,
//   User-Agent, Accept (per resource type), Accept-Language and Accept-Encoding. Real
//   browsers often add more (cookies, Sec-Fetch-*), so real overhead is if anything larger.
//   HTTP/1.0 and HTTP/1.1 requests carry the same fields, so the only difference between the
//   two scenarios is what happens to the connection.
// - Server responses carry Date, Content-Type and Content-Length (Transfer-Encoding: chunked
//   for the never-ending SSE stream), plus Cache-Control on polls and `Connection: close`
//   on HTTP/1.0 answers.
// - The WebSocket handshake is buildClientRequest with the sample key of RFC 6455 §1.3, and
//   the 101 carries that key's accept value (handshakeExample). Every key has the same length,
//   so the byte counts are those of any real handshake. Client frames are masked with the key
//   of the RFC 6455 §5.7 example; any key gives the same size.
// - A server event's payload is the same small JSON object in every transport, so the race
//   between transports compares only what each wraps around it. A live view may give an
//   event the size of the reader's real message instead (EventSizes): its data is then text of
//   that many bytes, again the same in every transport (a poll's JSON array carries it as a
//   JSON string, so the poll pays two quote bytes more).
// - Requests that carry the page's own messages (POST /echo, POST /messages) are what fetch()
//   sends for a string body; their answers are a 200 echo or a 204 (see postRequest).

import { encodeFrame, OPCODE } from "../protocol/frame.ts";
import { buildClientRequest } from "../protocol/handshake.ts";
import { serializeRequest, serializeResponse } from "../protocol/http1.ts";
import type { HeaderPair, SerializeResult } from "../protocol/http1.ts";
import { handshakeExample } from "../protocol/handshake-example.ts";
import type { Unit } from "./connection.ts";
import type { Peer } from "./trace.ts";

export const SITE_HOST = "localhost:4321";
export const SITE_ORIGIN = `http://${SITE_HOST}`;
/** A fixed sample date: every Date value (IMF-fixdate, RFC 9110 §5.6.7) has this length. */
export const SAMPLE_DATE = "Mon, 02 Mar 2026 09:00:00 GMT";

/** Fields a browser adds to every request besides Host and Accept. */
export const BROWSER_FIELDS: readonly HeaderPair[] = [
  ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"],
  ["Accept-Language", "en-GB,en;q=0.5"],
  ["Accept-Encoding", "gzip, deflate, br, zstd"],
];

/** The resources the http10 / http11 scenarios fetch, in order (then again from the top). */
export const PAGE_RESOURCES: readonly { target: string; accept: string; contentType: string; bodyBytes: number }[] = [
  {
    target: "/",
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    contentType: "text/html; charset=utf-8",
    bodyBytes: 1800,
  },
  { target: "/style.css", accept: "text/css,*/*;q=0.1", contentType: "text/css", bodyBytes: 900 },
  { target: "/app.js", accept: "*/*", contentType: "text/javascript", bodyBytes: 2400 },
  {
    target: "/logo.svg",
    accept: "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
    contentType: "image/svg+xml",
    bodyBytes: 1200,
  },
];

/** Client frames' masking key: the one in RFC 6455 §5.7's masked "Hello". */
export const SAMPLE_MASKING_KEY = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);

/** The application data of server event `id`, identical in every transport. */
export function eventPayload(id: number): string {
  return JSON.stringify({ id, text: `update ${id}` });
}

/** Sizes of events' data in bytes, by event id; undefined keeps the default eventPayload. */
export type EventSizes = (eventId: number) => number | undefined;

/**
 * The most bytes of data one event or one posted message is built with. The lab refuses
 * messages over 64 KiB by default, so real sizes fit; a bigger or bad number must not make a
 * page build megabytes of text per event.
 */
export const MAX_SIMULATED_DATA_BYTES = 1024 * 1024;

/** Event `id`'s data: `bytes` bytes of text when a size is given, else eventPayload. */
export function eventData(id: number, bytes?: number): string {
  return bytes === undefined ? eventPayload(id) : filler(dataBytes(bytes));
}

export function pageRequest(index: number, version: "HTTP/1.0" | "HTTP/1.1"): Unit {
  const page = resource(index);
  const written = serializeRequest({
    method: "GET",
    target: page.target,
    version,
    headers: [["Host", SITE_HOST], ...BROWSER_FIELDS.slice(0, 1), ["Accept", page.accept], ...BROWSER_FIELDS.slice(1)],
  });
  return http("request", written, { opensRoundTrip: true });
}

export function pageResponse(index: number, version: "HTTP/1.0" | "HTTP/1.1"): Unit {
  const page = resource(index);
  const body = filler(page.bodyBytes);
  const headers: HeaderPair[] = [
    ["Date", SAMPLE_DATE],
    ["Content-Type", page.contentType],
    ["Content-Length", String(body.length)],
  ];
  // HTTP/1.0 closes after every response by default; servers say so explicitly (RFC 9112 §9.3, §9.6).
  if (version === "HTTP/1.0") headers.push(["Connection", "close"]);
  return http("response", serializeResponse({ status: 200, version, headers, body }), {
    label: `200 OK ${page.target} (${body.length} B body)`,
  });
}

/** A poll (short or long) asks for whatever happened since the last one. */
export function pollRequest(target: "/poll" | "/poll?wait=1"): Unit {
  return http(
    "request",
    serializeRequest({
      method: "GET",
      target,
      headers: [
        ["Host", SITE_HOST],
        ...BROWSER_FIELDS.slice(0, 1),
        ["Accept", "application/json"],
        ...BROWSER_FIELDS.slice(1),
      ],
    }),
    { opensRoundTrip: true },
  );
}

/** The answer to a poll: a JSON array of the events (empty when nothing happened). */
export function pollResponse(eventIds: readonly number[], sizeOf?: EventSizes): Unit {
  const element = (id: number) => {
    const bytes = sizeOf?.(id);
    // Sized data is plain text, which a JSON array can only carry as a string.
    return bytes === undefined ? eventPayload(id) : JSON.stringify(eventData(id, bytes));
  };
  const body = `[${eventIds.map(element).join(",")}]`;
  const written = serializeResponse({
    status: 200,
    headers: [
      ["Date", SAMPLE_DATE],
      ["Content-Type", "application/json"],
      ["Content-Length", String(new TextEncoder().encode(body).length)],
      ["Cache-Control", "no-store"],
    ],
    body,
  });
  const what = eventIds.length === 0 ? "nothing new" : `event${eventIds.length > 1 ? "s" : ""} ${eventIds.join(", ")}`;
  return http("response", written, { label: `200 OK (${what})`, carriesEvents: [...eventIds] });
}

/** EventSource's request: it asks for text/event-stream and no cached copy (HTML Standard §9.2). */
export function sseRequest(): Unit {
  const written = serializeRequest({
    method: "GET",
    target: "/events",
    headers: [
      ["Host", SITE_HOST],
      ...BROWSER_FIELDS.slice(0, 1),
      ["Accept", "text/event-stream"],
      ...BROWSER_FIELDS.slice(1),
      ["Cache-Control", "no-cache"],
    ],
  });
  return http("request", written, { opensRoundTrip: true });
}

/** The head of the never-ending SSE response; its body is sent event by event. */
export function sseResponseHead(): Unit {
  const written = serializeResponse({
    status: 200,
    headers: [
      ["Date", SAMPLE_DATE],
      ["Content-Type", "text/event-stream"],
      ["Cache-Control", "no-cache"],
      ["Transfer-Encoding", "chunked"],
    ],
  });
  return http("response", written, { label: "200 OK text/event-stream (head; body follows)" });
}

/** One event block of the stream, as one HTTP chunk: the chunk framing and the `id:`/`data:` syntax are overhead. */
export function sseEventBlock(eventIds: readonly number[], sizeOf?: EventSizes): Unit {
  const encoder = new TextEncoder();
  const data = eventIds.map((id) => eventData(id, sizeOf?.(id)));
  const block = eventIds.map((id, i) => `id: ${id}\ndata: ${data[i]}\n\n`).join("");
  const blockBytes = encoder.encode(block).length;
  const chunkBytes = encoder.encode(`${blockBytes.toString(16)}\r\n`).length + blockBytes + 2;
  const dataBytes = data.reduce((sum, d) => sum + encoder.encode(d).length, 0);
  return {
    kind: "event",
    layer: "sse",
    label: `data: event ${eventIds.join(", ")}`,
    bytes: chunkBytes,
    headerBytes: chunkBytes - dataBytes,
    carriesEvents: [...eventIds],
  };
}

// A message the page sends over plain HTTP, as fetch(target, { method: "POST", body: text })
// writes it. (Line comments: the Accept value below would end a block comment.) Beside Host
// and the browser's usual fields:
// - Accept: */*, because fetch() asks for anything unless the page says otherwise (Fetch
//   Standard, "fetching").
// - Content-Type: text/plain;charset=UTF-8, the type fetch() gives a string body (Fetch
//   Standard, "extract a body").
// - Content-Length, because a body needs its length up front unless it is chunked
//   (RFC 9112 §6.2), and a browser always knows a string's length.
// - Origin, which browsers send on every request that is not GET or HEAD, same origin
//   included (Fetch Standard, "append a request Origin header").
export function postRequest(target: "/echo" | "/messages", bodyBytes: number): Unit {
  const body = filler(dataBytes(bodyBytes));
  const written = serializeRequest({
    method: "POST",
    target,
    headers: [
      ["Host", SITE_HOST],
      ...BROWSER_FIELDS.slice(0, 1),
      ["Accept", "*/*"],
      ...BROWSER_FIELDS.slice(1),
      ["Content-Type", "text/plain;charset=UTF-8"],
      ["Content-Length", String(body.length)],
      ["Origin", SITE_ORIGIN],
    ],
    body,
  });
  return http("request", written, { opensRoundTrip: true, label: `POST ${target} (${body.length} B body)` });
}

/** The echo server's answer: the same text back, so its Content-Type and Content-Length match the request's. */
export function echoResponse(bodyBytes: number): Unit {
  const body = filler(dataBytes(bodyBytes));
  const written = serializeResponse({
    status: 200,
    headers: [
      ["Date", SAMPLE_DATE],
      ["Content-Type", "text/plain;charset=UTF-8"],
      ["Content-Length", String(body.length)],
    ],
    body,
  });
  return http("response", written, { label: `200 OK (echo, ${body.length} B body)` });
}

/**
 * A chat server's answer to a posted message: stored, nothing to say. Date only: a 204 has no
 * body and must not carry Content-Length (RFC 9110 §8.6), and an origin server with a clock
 * sends Date on every 2xx (RFC 9110 §6.6.1).
 */
export function noContentResponse(): Unit {
  return http("response", serializeResponse({ status: 204, headers: [["Date", SAMPLE_DATE]] }), {
    label: "204 No Content",
  });
}

export function upgradeRequest(): Unit {
  const written = buildClientRequest({
    host: SITE_HOST,
    path: "/lab/echo",
    key: handshakeExample.key,
    origin: SITE_ORIGIN,
    extensions: ["permessage-deflate; client_max_window_bits"],
    headers: [...BROWSER_FIELDS, ["Pragma", "no-cache"], ["Cache-Control", "no-cache"]],
  });
  return http("upgrade", written, { opensRoundTrip: true, label: "GET /lab/echo HTTP/1.1 (Upgrade: websocket)" });
}

export function switchingProtocols(): Unit {
  const written = serializeResponse({
    status: 101,
    headers: [
      ["Upgrade", "websocket"],
      ["Connection", "Upgrade"],
      ["Sec-WebSocket-Accept", handshakeExample.accept],
    ],
  });
  return http("response", written, { label: "101 Switching Protocols" });
}

/** A WebSocket frame: masked when the client sends it (RFC 6455 §5.3), unmasked from the server. */
export function wsFrame(
  from: Peer,
  opcode: number,
  payload: string | Uint8Array,
  options: { label?: string; carriesEvents?: number[] } = {},
): Unit {
  const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const encoded = encodeFrame({ opcode, payload: bytes, maskingKey: from === "client" ? SAMPLE_MASKING_KEY : null });
  if (!encoded.ok) throw new Error(`wire-messages: ${encoded.error}`); // only fixed, valid frames are built here
  const name =
    opcode === OPCODE.text
      ? "text"
      : opcode === OPCODE.binary
        ? "binary"
        : opcode === OPCODE.ping
          ? "ping"
          : opcode === OPCODE.pong
            ? "pong"
            : opcode === OPCODE.close
              ? "close"
              : `opcode ${opcode}`;
  const preview =
    opcode === OPCODE.text && typeof payload === "string"
      ? ` “${payload.length > 24 ? `${payload.slice(0, 23)}…` : payload}”`
      : "";
  return {
    kind: "frame",
    layer: "websocket",
    label: options.label ?? `${name} frame${preview}`,
    bytes: encoded.bytes.length,
    headerBytes: encoded.bytes.length - bytes.length,
    opcode,
    ...(opcode === OPCODE.text && typeof payload === "string" ? { text: payload } : {}),
    ...(options.carriesEvents ? { carriesEvents: options.carriesEvents } : {}),
  };
}

/** Server event `id` as a WebSocket text frame, the way the websocket scenario pushes it. */
export function eventFrame(id: number, sizeOf?: EventSizes): Unit {
  return wsFrame("server", OPCODE.text, eventData(id, sizeOf?.(id)), {
    label: `text frame: event ${id}`,
    carriesEvents: [id],
  });
}

/**
 * The same message with its events' data at the sizes `sizeOf` gives, for the machines that
 * build poll answers, event blocks and event frames with the default payload. Only those
 * messages carry events, so the layer says which one to rebuild.
 */
export function withEventSizes(unit: Unit, sizeOf: EventSizes): Unit {
  const ids = unit.carriesEvents;
  if (!ids?.length || ids.every((id) => sizeOf(id) === undefined)) return unit;
  switch (unit.layer) {
    case "http":
      return pollResponse(ids, sizeOf);
    case "sse":
      return sseEventBlock(ids, sizeOf);
    case "websocket":
      return ids.length === 1 ? eventFrame(ids[0]!, sizeOf) : unit;
    case "tcp":
      return unit;
  }
}

function http(
  kind: Unit["kind"],
  written: SerializeResult,
  extra: { label?: string; opensRoundTrip?: boolean; carriesEvents?: number[] } = {},
): Unit {
  if (!written.ok) throw new Error(`wire-messages: ${written.error.error}`); // only fixed, valid messages are built here
  const startLine = written.text.slice(0, written.text.indexOf("\r\n"));
  return {
    kind,
    layer: "http",
    label: extra.label ?? startLine,
    bytes: written.sizes.total,
    headerBytes: written.sizes.head,
    ...(extra.opensRoundTrip ? { opensRoundTrip: true } : {}),
    ...(extra.carriesEvents?.length ? { carriesEvents: extra.carriesEvents } : {}),
  };
}

function resource(index: number) {
  return PAGE_RESOURCES[index % PAGE_RESOURCES.length]!;
}

/** A whole number of bytes in range; a size that is not a number means no data. */
function dataBytes(bytes: number): number {
  return Number.isFinite(bytes) ? Math.min(MAX_SIMULATED_DATA_BYTES, Math.max(0, Math.floor(bytes))) : 0;
}

/** Body text of a given size: the size matters, not the words. ASCII without quotes or line breaks, so it fits a JSON string or an SSE data line as it is. */
function filler(bytes: number): string {
  const text = "Switching Protocols: what HTTP, TCP and WebSockets put on the wire. ";
  return text.repeat(Math.ceil(bytes / text.length)).slice(0, bytes);
}
