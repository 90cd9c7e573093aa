// The wire tap's event format: what the lab's monitor socket (/lab/monitor?watch=TOKEN) sends
// about the specimen connection that presented the same token (/lab/echo?watch=TOKEN). Shared
// by the server (which writes it) and the widgets (which read it, or load it from an exported
// recording), so it lives here, free of Node and the DOM.
//
// Each monitor message is one binary message holding a batch, in order, of the events the lab
// had for the monitor within 15 ms of the first (50 ms while the monitor is busy; at most
// 64 KiB of them: server/tap/event-outbox.ts), laid out as in
// tap-batch.ts: chunks with their bytes raw, every other event as the JSON below. (Format v2
// sent the batch as a JSON array, v1 one event per text message; a reader still takes both.)
// Read, every event is the object below. Times `t` are the server's clock in milliseconds since
// the Unix epoch, with sub-millisecond precision. Bytes are base64 (`data`). Offsets
// count bytes in one direction of the specimen's TCP stream from the connection's first byte,
// so the upgrade request starts at "in" offset 0 and the 101 response at "out" offset 0.
//
//   hello     { type: "hello", v: 3, token, limits }              first event on the monitor
//   open      { type: "open", t, specimen, path, tuple }          a specimen connected with the token
//   request   { type: "request", t, specimen, offset: 0, data }   the upgrade request head exactly as received
//   response  { type: "response", t, specimen, offset: 0, data }  the 101 response head exactly as written
//   chunk     { type: "chunk", t, specimen, dir, offset, length, data? }
//             one TCP read ("in") or one write handed to the socket ("out"), after the handshake;
//             `data` is missing when the capture limit was reached (`truncated: true`), but
//             `offset` and `length` still count every byte
//   close     { type: "close", t, specimen, code, reason, initiator, wasClean }
//             how the connection ended: the close code and reason the server saw (1005/1006 as
//             reported locally), who started it ("client", "server", "network")
//   command   { type: "command", t, specimen, command, ok, detail }  the result of a request sent on the monitor
//   dropped   { type: "dropped", t, events, bytes }               events left out because the monitor fell behind
//                                                                  or exceeded the event rate
//   error     { type: "error", t, message }                       something the monitor asked for could not be done
//
// Requests the widget may send on the monitor (JSON text), each acted on for its specimen:
//   { cmd: "ping", payload }          the server pings with a UTF-8 payload (≤ 125 bytes); the browser pongs
//   { cmd: "fragmented", text, parts } the server sends `text` as a message of `parts` frames (2–16)
//   { cmd: "binary", length }         the server sends `length` (1–65536) pattern bytes as one binary message
//   { cmd: "close", code, reason }    the server closes with that code (1000–4999, allowed on the wire) and reason
//   { cmd: "drop" }                   the server destroys the TCP connection without a close frame (page sees 1006)
//   { cmd: "burst", count }           the server sends `count` (2–50) small text messages at once
//   { cmd: "push", text }             the server sends `text` (≤ 1024 bytes) as one text message, unasked
//   { cmd: "hold-reads", ms }         the server stops reading the specimen for `ms` (100–2000): what the
//                                     page sends meanwhile waits in the kernel and comes out in one read

export const TAP_FORMAT_VERSION = 3;

export type Direction = "in" | "out";
export type Initiator = "client" | "server" | "network";

export interface FourTuple {
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
}

export interface TapLimits {
  captureBytes: number;
  eventsPerSecond: number;
  monitorBufferBytes: number;
}

export type TapEvent =
  | { type: "hello"; v: number; token: string; limits: TapLimits }
  | { type: "open"; t: number; specimen: number; path: string; tuple: FourTuple }
  | { type: "request"; t: number; specimen: number; offset: 0; data: string }
  | { type: "response"; t: number; specimen: number; offset: 0; data: string }
  | {
      type: "chunk";
      t: number;
      specimen: number;
      dir: Direction;
      offset: number;
      length: number;
      data?: string;
      truncated?: true;
    }
  | {
      type: "close";
      t: number;
      specimen: number;
      code: number;
      reason: string;
      initiator: Initiator;
      wasClean: boolean;
    }
  | { type: "command"; t: number; specimen: number; command: string; ok: boolean; detail: string }
  | { type: "dropped"; t: number; events: number; bytes: number }
  | { type: "error"; t: number; message: string };

export type TapCommand =
  | { cmd: "ping"; payload: string }
  | { cmd: "fragmented"; text: string; parts: number }
  | { cmd: "binary"; length: number }
  | { cmd: "close"; code: number; reason: string }
  | { cmd: "drop" }
  | { cmd: "burst"; count: number }
  | { cmd: "push"; text: string }
  | { cmd: "hold-reads"; ms: number };

/** Tokens are 22–64 characters of base64url: 128 bits or more from a cryptographic source. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export function isValidToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** A fresh token from the Web Crypto API (16 random bytes, base64url). */
export function generateToken(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
