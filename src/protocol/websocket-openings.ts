// Lesson 9's one model of a WebSocket conversation, written out three ways: over HTTP/1.1 (GET
// with Upgrade, 101: RFC 6455 §4), over HTTP/2 (extended CONNECT on a stream, 200: RFC 8441) and
// over HTTP/3 (the same on a QUIC stream: RFC 9220). One conversation (who, where, the message,
// the masking keys) gives every version its header fields, its units on the wire in order, and
// which unit waits for which, so the lesson's numbers (round trips before the first message,
// connections per WebSocket) are computed, not typed. The WebSocket frames are built once and
// carried by all three: only what carries them differs (RFC 8441 §5, RFC 9220 §3).
//
// The HTTP/1.1 and HTTP/2 columns of the lesson pair these units with what the reader's browser
// and the lab really sent; the HTTP/3 column is this model alone, labelled a simulation.
//
// Timing assumptions (round trips, one-way = half of one): a TCP server accepts on the client's
// final ACK; a server sends its SETTINGS as soon as it can (an HTTP/2 server over TLS with its
// first flight, an HTTP/3 server on its control stream with its first flight); TLS is 1.3 with a
// full handshake (no resumption, no early data). Pure: no Node, no DOM.
import { encodeClosePayload } from "./close-payload.ts";
import { encodeFrame } from "./frame-encode.ts";
import { encodeUtf8 } from "./utf8.ts";
import {
  encodeHttp3Frame,
  encodeQpackLiterals,
  encodeSettingsPayload,
  encodeVarint,
  HTTP3_FRAME,
  HTTP3_STREAM_TYPE,
  SETTINGS_ENABLE_CONNECT_PROTOCOL,
  type FieldLine,
} from "./http3-frames.ts";
import { concatBytes } from "./bytes.ts";

export type HttpVersion = "http/1.1" | "h2" | "h3";
export const HTTP_VERSIONS: readonly HttpVersion[] = ["http/1.1", "h2", "h3"];
export const VERSION_NAMES: Readonly<Record<HttpVersion, string>> = {
  "http/1.1": "HTTP/1.1",
  h2: "HTTP/2",
  h3: "HTTP/3",
};

export type Sender = "client" | "server";
export type Phase = "connection" | "opening" | "messages" | "closing";
export const PHASES: readonly Phase[] = ["connection", "opening", "messages", "closing"];

/** The close code both ends use: the page closes with 1000 and the lab's reply repeats it (RFC 6455 §5.5.1). */
export const CONVERSATION_CLOSE_CODE = 1000;

export interface Conversation {
  /** host:port, as Host (HTTP/1.1) or :authority (HTTP/2, HTTP/3) says it. */
  authority: string;
  path: string;
  origin: string;
  message: string;
  /** The client's masking keys: its text frame's, then its close frame's. */
  maskingKeys: readonly [Uint8Array, Uint8Array];
  /** HTTP/1.1 only: the client's Sec-WebSocket-Key and the accept a server computes from it (RFC 6455 §4.2.2). */
  key: string;
  accept: string;
  /** TLS under HTTP/1.1 and HTTP/2 (wss://, https://). HTTP/3 always has it: QUIC carries TLS 1.3. */
  secure: boolean;
}

export interface OpeningUnit {
  /** Stable within a version: what the widget and the tests refer to. */
  id: string;
  from: Sender;
  phase: Phase;
  /** What carries it on the wire. */
  layer: "TCP" | "TLS" | "QUIC" | "HTTP/1.1" | "WebSocket" | "HTTP/2" | "HTTP/3";
  title: string;
  /** The HTTP/2 or QUIC stream it travels on; null for the connection itself (HTTP/2's stream 0, TCP, TLS, QUIC's handshake). */
  stream: number | null;
  /** Units that must have arrived before the sender can send this one. */
  after: string[];
  /** The WebSocket frame inside it, the same bytes in every version. */
  websocket?: Uint8Array;
  /** The bytes, where the model writes them: HTTP/1.1 heads, WebSocket frames, HTTP/3 frames before QUIC encrypts them. */
  bytes?: Uint8Array;
  /** The header fields it carries, in order (the request's and the response's). */
  fields?: FieldLine[];
  lines: string[];
  rfc: string;
}

interface WebSocketFrames {
  text: Uint8Array;
  echo: Uint8Array;
  close: Uint8Array;
  closeReply: Uint8Array;
}

function must(result: ReturnType<typeof encodeFrame>): Uint8Array {
  if (!result.ok) throw new Error(result.error);
  return result.bytes;
}

/** The conversation's four WebSocket frames: the message masked by the client, its echo, and the closing pair (RFC 6455 §5.2, §5.3, §5.5.1). */
function conversationFrames(c: Conversation): WebSocketFrames {
  const text = encodeUtf8(c.message);
  const close = encodeClosePayload(CONVERSATION_CLOSE_CODE, "");
  return {
    text: must(encodeFrame({ opcode: 0x1, payload: text, maskingKey: c.maskingKeys[0] })),
    echo: must(encodeFrame({ opcode: 0x1, payload: text })),
    close: must(encodeFrame({ opcode: 0x8, payload: close, maskingKey: c.maskingKeys[1] })),
    closeReply: must(encodeFrame({ opcode: 0x8, payload: close })),
  };
}

/** The request's header fields; HTTP/1.1's request line is separate (requestLine). */
export function requestFields(version: HttpVersion, c: Conversation): FieldLine[] {
  if (version === "http/1.1") {
    return [
      ["Host", c.authority],
      ["Upgrade", "websocket"],
      ["Connection", "Upgrade"],
      ["Sec-WebSocket-Key", c.key],
      ["Sec-WebSocket-Version", "13"],
      ["Origin", c.origin],
    ];
  }
  // RFC 8441 §4-§5 (HTTP/2) and RFC 9220 §3 (HTTP/3): CONNECT with :protocol, and the target as
  // :scheme, :path and :authority. No Upgrade, no Connection (both forbidden in HTTP/2 and
  // HTTP/3: RFC 9113 §8.2.2, RFC 9114 §4.2), no key: the stream itself is the proof.
  const scheme = version === "h3" || c.secure ? "https" : "http";
  return [
    [":method", "CONNECT"],
    [":protocol", "websocket"],
    [":scheme", scheme],
    [":path", c.path],
    [":authority", c.authority],
    ["sec-websocket-version", "13"],
    ["origin", c.origin],
  ];
}

export const requestLine = (c: Conversation): string => `GET ${c.path} HTTP/1.1`;

export function responseFields(version: HttpVersion, c: Conversation): FieldLine[] {
  if (version === "http/1.1")
    return [
      ["Upgrade", "websocket"],
      ["Connection", "Upgrade"],
      ["Sec-WebSocket-Accept", c.accept],
    ];
  return [[":status", "200"]];
}

export const STATUS_LINE_101 = "HTTP/1.1 101 Switching Protocols";

/** The success status of each version's opening, read from its response. */
export function successStatus(version: HttpVersion, c: Conversation): number {
  if (version === "http/1.1") return Number(STATUS_LINE_101.split(" ")[1]);
  return Number(responseFields(version, c).find(([name]) => name === ":status")![1]);
}

const ascii = (text: string): Uint8Array => encodeUtf8(text);
const head = (first: string, fields: readonly FieldLine[]): Uint8Array =>
  ascii(`${first}\r\n${fields.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`);

/** TCP's three-way handshake, and TLS 1.3's full handshake over it when the conversation is secure. */
function tcpAndTls(c: Conversation): OpeningUnit[] {
  const units: OpeningUnit[] = [
    {
      id: "tcp-syn",
      from: "client",
      phase: "connection",
      layer: "TCP",
      title: "SYN",
      stream: null,
      after: [],
      lines: ["The client asks for a TCP connection: a new one for this conversation."],
      rfc: "RFC 9293 §3.5",
    },
    {
      id: "tcp-syn-ack",
      from: "server",
      phase: "connection",
      layer: "TCP",
      title: "SYN-ACK",
      stream: null,
      after: ["tcp-syn"],
      lines: ["The server agrees."],
      rfc: "RFC 9293 §3.5",
    },
    {
      id: "tcp-ack",
      from: "client",
      phase: "connection",
      layer: "TCP",
      title: "ACK",
      stream: null,
      after: ["tcp-syn-ack"],
      lines: ["The client's last step; it may send data with it."],
      rfc: "RFC 9293 §3.5",
    },
  ];
  if (!c.secure) return units;
  return [
    ...units,
    {
      id: "tls-client-hello",
      from: "client",
      phase: "connection",
      layer: "TLS",
      title: "ClientHello",
      stream: null,
      after: ["tcp-syn-ack"],
      lines: ["TLS 1.3 starts, with the client's key share."],
      rfc: "RFC 8446 §2",
    },
    {
      id: "tls-server-flight",
      from: "server",
      phase: "connection",
      layer: "TLS",
      title: "ServerHello … Finished",
      stream: null,
      after: ["tls-client-hello"],
      lines: ["The server's half of the handshake in one flight: from here on everything is encrypted."],
      rfc: "RFC 8446 §2",
    },
    {
      id: "tls-client-finished",
      from: "client",
      phase: "connection",
      layer: "TLS",
      title: "Finished",
      stream: null,
      after: ["tls-server-flight"],
      lines: ["The client's Finished; application data may ride with it."],
      rfc: "RFC 8446 §2",
    },
  ];
}

function http11Units(c: Conversation, ws: WebSocketFrames): OpeningUnit[] {
  const ready = c.secure ? "tls-server-flight" : "tcp-syn-ack";
  const request = requestFields("http/1.1", c);
  const response = responseFields("http/1.1", c);
  const frame = (
    id: string,
    from: Sender,
    phase: Phase,
    after: string,
    bytes: Uint8Array,
    title: string,
    lines: string[],
    rfc: string,
  ): OpeningUnit => ({
    id,
    from,
    phase,
    layer: "WebSocket",
    title,
    stream: null,
    after: [after],
    websocket: bytes,
    bytes,
    lines,
    rfc,
  });
  return [
    ...tcpAndTls(c),
    {
      id: "request",
      from: "client",
      phase: "opening",
      layer: "HTTP/1.1",
      title: requestLine(c),
      stream: null,
      after: [ready],
      bytes: head(requestLine(c), request),
      fields: request,
      lines: [
        "An HTTP GET that asks to switch protocols: Upgrade and Connection, a fresh key, the version, the page's Origin.",
      ],
      rfc: "RFC 6455 §4.1",
    },
    {
      id: "response",
      from: "server",
      phase: "opening",
      layer: "HTTP/1.1",
      title: STATUS_LINE_101,
      stream: null,
      after: ["request"],
      bytes: head(STATUS_LINE_101, response),
      fields: response,
      lines: [
        "101: from the next byte on, the whole connection speaks WebSocket. The accept proves the server read the key.",
      ],
      rfc: "RFC 6455 §4.2.2",
    },
    frame(
      "text",
      "client",
      "messages",
      "response",
      ws.text,
      "Text frame (masked)",
      ["The message, masked with the client's key, straight on the TCP stream."],
      "RFC 6455 §5.2",
    ),
    frame("echo", "server", "messages", "text", ws.echo, "Text frame", ["The lab's echo, unmasked."], "RFC 6455 §5.2"),
    frame(
      "close",
      "client",
      "closing",
      "echo",
      ws.close,
      `Close frame (${CONVERSATION_CLOSE_CODE})`,
      ["The client closes."],
      "RFC 6455 §5.5.1",
    ),
    frame(
      "close-reply",
      "server",
      "closing",
      "close",
      ws.closeReply,
      `Close frame (${CONVERSATION_CLOSE_CODE})`,
      ["The server answers the close…"],
      "RFC 6455 §5.5.1",
    ),
    {
      id: "tcp-fin",
      from: "server",
      phase: "closing",
      layer: "TCP",
      title: "FIN",
      stream: null,
      after: ["close"],
      lines: ["…and closes the TCP connection first, as the RFC asks. The connection is gone with the WebSocket."],
      rfc: "RFC 6455 §7.1.1",
    },
  ];
}

const HTTP2_STREAM = 1;

function http2Units(c: Conversation, ws: WebSocketFrames): OpeningUnit[] {
  // Over TLS the server's SETTINGS can ride with its first flight; over cleartext it follows the accept.
  const serverCan = c.secure ? "tls-client-hello" : "tcp-ack";
  const clientCan = c.secure ? "tls-server-flight" : "tcp-syn-ack";
  const request = requestFields("h2", c);
  const response = responseFields("h2", c);
  const data = (
    id: string,
    from: Sender,
    phase: Phase,
    after: string,
    bytes: Uint8Array,
    title: string,
    lines: string[],
  ): OpeningUnit => ({
    id,
    from,
    phase,
    layer: "HTTP/2",
    title: `DATA (stream ${HTTP2_STREAM}): ${title}`,
    stream: HTTP2_STREAM,
    after: [after],
    websocket: bytes,
    lines,
    rfc: "RFC 8441 §5",
  });
  return [
    ...tcpAndTls(c),
    {
      id: "preface",
      from: "client",
      phase: "connection",
      layer: "HTTP/2",
      title: "Connection preface",
      stream: null,
      after: [clientCan],
      lines: [
        `"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n": 24 bytes chosen so that an HTTP/1.1 server stops there instead of reading HTTP/2 frames as a request.`,
      ],
      rfc: "RFC 9113 §3.4",
    },
    {
      id: "client-settings",
      from: "client",
      phase: "connection",
      layer: "HTTP/2",
      title: "SETTINGS",
      stream: null,
      after: [clientCan],
      lines: ["The client's settings follow the preface at once."],
      rfc: "RFC 9113 §3.4",
    },
    {
      id: "server-settings",
      from: "server",
      phase: "connection",
      layer: "HTTP/2",
      title: "SETTINGS: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1",
      stream: null,
      after: [serverCan],
      lines: ["The server's first frame. Parameter 0x8 = 1 says: you may open WebSockets with extended CONNECT here."],
      rfc: "RFC 8441 §3",
    },
    {
      id: "server-settings-ack",
      from: "server",
      phase: "connection",
      layer: "HTTP/2",
      title: "SETTINGS (ACK)",
      stream: null,
      after: ["client-settings"],
      lines: ["The server acknowledges the client's settings."],
      rfc: "RFC 9113 §6.5.3",
    },
    {
      id: "client-settings-ack",
      from: "client",
      phase: "connection",
      layer: "HTTP/2",
      title: "SETTINGS (ACK)",
      stream: null,
      after: ["server-settings"],
      lines: ["And the client the server's."],
      rfc: "RFC 9113 §6.5.3",
    },
    {
      id: "request",
      from: "client",
      phase: "opening",
      layer: "HTTP/2",
      title: `HEADERS (stream ${HTTP2_STREAM}): CONNECT, :protocol websocket`,
      stream: HTTP2_STREAM,
      after: ["server-settings"],
      fields: request,
      lines: [
        "Only after the server's SETTINGS allowed it. A new stream, HPACK-coded fields, and no END_STREAM: the stream stays open both ways.",
      ],
      rfc: "RFC 8441 §4",
    },
    {
      id: "response",
      from: "server",
      phase: "opening",
      layer: "HTTP/2",
      title: `HEADERS (stream ${HTTP2_STREAM}): :status 200`,
      stream: HTTP2_STREAM,
      after: ["request"],
      fields: response,
      lines: ["Success is any 2xx. No 101, no accept value: the stream is the WebSocket's byte stream now."],
      rfc: "RFC 8441 §5",
    },
    data("text", "client", "messages", "response", ws.text, "text frame (masked)", [
      "The same masked frame as over HTTP/1.1, inside a DATA frame.",
    ]),
    data("echo", "server", "messages", "text", ws.echo, "text frame", ["The echo, the same bytes as over HTTP/1.1."]),
    data("close", "client", "closing", "echo", ws.close, `close frame (${CONVERSATION_CLOSE_CODE})`, [
      "The WebSocket closing handshake happens inside the stream…",
    ]),
    data("close-reply", "server", "closing", "close", ws.closeReply, `close frame (${CONVERSATION_CLOSE_CODE})`, [
      "…and is answered there.",
    ]),
    {
      id: "client-end",
      from: "client",
      phase: "closing",
      layer: "HTTP/2",
      title: `DATA (stream ${HTTP2_STREAM}), END_STREAM`,
      stream: HTTP2_STREAM,
      after: ["close-reply"],
      lines: ["Ending the stream stands for TCP's FIN."],
      rfc: "RFC 8441 §5",
    },
    {
      id: "server-end",
      from: "server",
      phase: "closing",
      layer: "HTTP/2",
      title: `DATA (stream ${HTTP2_STREAM}), END_STREAM`,
      stream: HTTP2_STREAM,
      after: ["client-end"],
      lines: ["The stream is closed; the connection stays open for other streams."],
      rfc: "RFC 9113 §5.1",
    },
  ];
}

/** Client-initiated bidirectional stream 0, and the first unidirectional streams of each side (RFC 9000 §2.1). */
const QUIC_STREAMS = { request: 0, clientControl: 2, serverControl: 3 } as const;

/** The SETTINGS each side sends on its control stream: the server allows extended CONNECT (RFC 9220 §3). */
const SERVER_H3_SETTINGS: ReadonlyArray<readonly [number, number]> = [[SETTINGS_ENABLE_CONNECT_PROTOCOL, 1]];
const CLIENT_H3_SETTINGS: ReadonlyArray<readonly [number, number]> = [];

const controlStream = (settings: ReadonlyArray<readonly [number, number]>): Uint8Array =>
  concatBytes([
    encodeVarint(HTTP3_STREAM_TYPE.CONTROL),
    encodeHttp3Frame(HTTP3_FRAME.SETTINGS, encodeSettingsPayload(settings)),
  ]);

function http3Units(c: Conversation, ws: WebSocketFrames): OpeningUnit[] {
  const request = requestFields("h3", c);
  const response = responseFields("h3", c);
  const stream = QUIC_STREAMS.request;
  const data = (
    id: string,
    from: Sender,
    phase: Phase,
    after: string,
    frame: Uint8Array,
    title: string,
    lines: string[],
  ): OpeningUnit => ({
    id,
    from,
    phase,
    layer: "HTTP/3",
    title: `DATA (stream ${stream}): ${title}`,
    stream,
    after: [after],
    websocket: frame,
    bytes: encodeHttp3Frame(HTTP3_FRAME.DATA, frame),
    lines,
    rfc: "RFC 9220 §3",
  });
  return [
    {
      id: "quic-initial",
      from: "client",
      phase: "connection",
      layer: "QUIC",
      title: "Initial: ClientHello",
      stream: null,
      after: [],
      lines: [
        "No TCP: one UDP datagram opens the QUIC connection and starts TLS 1.3 at once (padded to at least 1200 bytes).",
      ],
      rfc: "RFC 9000 §7, §14.1",
    },
    {
      id: "quic-server-flight",
      from: "server",
      phase: "connection",
      layer: "QUIC",
      title: "Initial + Handshake: ServerHello … Finished",
      stream: null,
      after: ["quic-initial"],
      lines: ["The server's half of the TLS handshake, in QUIC packets."],
      rfc: "RFC 9001 §4",
    },
    {
      id: "server-settings",
      from: "server",
      phase: "connection",
      layer: "HTTP/3",
      title: `Control stream (${QUIC_STREAMS.serverControl}): SETTINGS_ENABLE_CONNECT_PROTOCOL = 1`,
      stream: QUIC_STREAMS.serverControl,
      after: ["quic-initial"],
      bytes: controlStream(SERVER_H3_SETTINGS),
      lines: [
        "A unidirectional stream of type 0x00, then SETTINGS: parameter 0x08, the same number as in HTTP/2, says extended CONNECT is allowed.",
      ],
      rfc: "RFC 9220 §3, RFC 9114 §6.2.1",
    },
    {
      id: "quic-client-finished",
      from: "client",
      phase: "connection",
      layer: "QUIC",
      title: "Handshake: Finished",
      stream: null,
      after: ["quic-server-flight"],
      lines: ["The client's Finished: the connection is set up, one round trip after it began."],
      rfc: "RFC 9001 §4",
    },
    {
      id: "client-settings",
      from: "client",
      phase: "connection",
      layer: "HTTP/3",
      title: `Control stream (${QUIC_STREAMS.clientControl}): SETTINGS`,
      stream: QUIC_STREAMS.clientControl,
      after: ["quic-server-flight"],
      bytes: controlStream(CLIENT_H3_SETTINGS),
      lines: ["Each side opens one control stream and sends SETTINGS first on it, even when it has none to change."],
      rfc: "RFC 9114 §6.2.1",
    },
    {
      id: "request",
      from: "client",
      phase: "opening",
      layer: "HTTP/3",
      title: `HEADERS (stream ${stream}): CONNECT, :protocol websocket`,
      stream,
      after: ["server-settings", "quic-server-flight"],
      bytes: encodeHttp3Frame(HTTP3_FRAME.HEADERS, encodeQpackLiterals(request)),
      fields: request,
      lines: ["The same fields as over HTTP/2, QPACK-coded, on a new bidirectional QUIC stream."],
      rfc: "RFC 9220 §3",
    },
    {
      id: "response",
      from: "server",
      phase: "opening",
      layer: "HTTP/3",
      title: `HEADERS (stream ${stream}): :status 200`,
      stream,
      after: ["request"],
      bytes: encodeHttp3Frame(HTTP3_FRAME.HEADERS, encodeQpackLiterals(response)),
      fields: response,
      lines: ["A 2xx again; no key, no accept."],
      rfc: "RFC 9220 §3",
    },
    data("text", "client", "messages", "response", ws.text, "text frame (masked)", [
      "The same masked frame again, now in an HTTP/3 DATA frame on a QUIC stream.",
    ]),
    data("echo", "server", "messages", "text", ws.echo, "text frame", ["The same echo."]),
    data("close", "client", "closing", "echo", ws.close, `close frame (${CONVERSATION_CLOSE_CODE})`, [
      "The closing handshake, inside the stream.",
    ]),
    data("close-reply", "server", "closing", "close", ws.closeReply, `close frame (${CONVERSATION_CLOSE_CODE})`, [
      "Answered there.",
    ]),
    {
      id: "client-end",
      from: "client",
      phase: "closing",
      layer: "QUIC",
      title: `STREAM (${stream}) with FIN`,
      stream,
      after: ["close-reply"],
      lines: [
        "The FIN bit on the QUIC stream stands for TCP's FIN; an abrupt end would be a stream reset with H3_REQUEST_CANCELLED.",
      ],
      rfc: "RFC 9220 §3",
    },
    {
      id: "server-end",
      from: "server",
      phase: "closing",
      layer: "QUIC",
      title: `STREAM (${stream}) with FIN`,
      stream,
      after: ["client-end"],
      lines: ["The stream is done; the QUIC connection stays for other streams."],
      rfc: "RFC 9114 §4.4",
    },
  ];
}

/** The conversation's units on the wire, in an order each sender could send them. */
export function openingUnits(version: HttpVersion, c: Conversation): OpeningUnit[] {
  const ws = conversationFrames(c);
  if (version === "http/1.1") return http11Units(c, ws);
  if (version === "h2") return http2Units(c, ws);
  return http3Units(c, ws);
}

/** When each unit is sent and arrives, in round trips from the first unit (one-way = 0.5). */
export function unitTimes(units: readonly OpeningUnit[]): Map<string, { sent: number; arrived: number }> {
  const times = new Map<string, { sent: number; arrived: number }>();
  const lastSent: Record<Sender, number> = { client: 0, server: 0 };
  for (const unit of units) {
    let sent = lastSent[unit.from];
    for (const id of unit.after) {
      const before = times.get(id);
      if (before) sent = Math.max(sent, before.arrived);
    }
    lastSent[unit.from] = sent;
    times.set(unit.id, { sent, arrived: sent + 0.5 });
  }
  return times;
}

/** Round trips from the first packet until the client may send its message; on an open connection when `reuse`, null if the version cannot. */
export function roundTripsToFirstMessage(version: HttpVersion, c: Conversation, reuse = false): number | null {
  if (reuse && !sharesConnection(version)) return null;
  const all = openingUnits(version, c);
  const units = reuse ? all.filter((u) => u.phase !== "connection") : all;
  const first = units.find((u) => u.phase === "messages" && u.from === "client")!;
  return unitTimes(units).get(first.id)!.sent;
}

/**
 * Whether a WebSocket can share its connection with other requests and WebSockets: over HTTP/1.1
 * the 101 switches the whole connection (RFC 9110 §7.8), so each WebSocket needs its own; over
 * HTTP/2 and HTTP/3 it is one stream among many. Read from the model: a version shares when its
 * WebSocket travels on a stream.
 */
export function sharesConnection(version: HttpVersion): boolean {
  const units = openingUnits(version, EXAMPLE_CONVERSATION);
  return units.filter((u) => u.phase === "messages").every((u) => u.stream !== null);
}

/** A conversation for figures that do not depend on who talks: RFC 6455's own example key and accept (§1.3). */
export const EXAMPLE_CONVERSATION: Conversation = {
  authority: "lab.example:4321",
  path: "/lab/echo",
  origin: "http://lab.example:4321",
  message: "Hello",
  maskingKeys: [Uint8Array.of(0x37, 0xfa, 0x21, 0x3d), Uint8Array.of(0x01, 0x02, 0x03, 0x04)],
  key: "dGhlIHNhbXBsZSBub25jZQ==",
  accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
  secure: false,
};

/** A unit's header fields as text, one "name: value" a line (values may hold commas). */
export const fieldLines = (unit: OpeningUnit): string =>
  (unit.fields ?? []).map(([name, value]) => `${name}: ${value}`).join("\n");
