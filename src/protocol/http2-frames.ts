// HTTP/2 frames as they cross the wire (RFC 9113 §4.1): a 9-byte header (24-bit length, type,
// flags, a reserved bit and a 31-bit stream identifier) and a payload. Lesson 9 reads a real
// cleartext HTTP/2 connection (h2c with prior knowledge) that carries a WebSocket by extended
// CONNECT (RFC 8441), so this reader names what a reader meets there: the client's connection
// preface, SETTINGS with their identifiers (SETTINGS_ENABLE_CONNECT_PROTOCOL among them),
// HEADERS, DATA, WINDOW_UPDATE, PING, RST_STREAM and GOAWAY. Bytes are fed as they arrive, like
// TCP reads; a frame split across reads comes out once whole. Pure: no Node, no DOM.

/** The client connection preface (RFC 9113 §3.4): "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24 octets. */
export const HTTP2_PREFACE = new Uint8Array(
  [...("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" as string)].map((c) => c.charCodeAt(0)),
);

export const HTTP2_FRAME_HEADER_LENGTH = 9;

/** The largest payload a peer may send before SETTINGS_MAX_FRAME_SIZE raises it (RFC 9113 §4.2). */
export const HTTP2_DEFAULT_MAX_FRAME_SIZE = 16_384;

interface Named {
  name: string;
  rfc: string;
}

/** Frame types (RFC 9113 §6, §11.2). */
export const HTTP2_FRAME_TYPES: Readonly<Record<number, Named & { flags: Readonly<Record<number, string>> }>> = {
  0x0: { name: "DATA", rfc: "RFC 9113 §6.1", flags: { 0x1: "END_STREAM", 0x8: "PADDED" } },
  0x1: {
    name: "HEADERS",
    rfc: "RFC 9113 §6.2",
    flags: { 0x1: "END_STREAM", 0x4: "END_HEADERS", 0x8: "PADDED", 0x20: "PRIORITY" },
  },
  0x2: { name: "PRIORITY", rfc: "RFC 9113 §6.3", flags: {} },
  0x3: { name: "RST_STREAM", rfc: "RFC 9113 §6.4", flags: {} },
  0x4: { name: "SETTINGS", rfc: "RFC 9113 §6.5", flags: { 0x1: "ACK" } },
  0x5: { name: "PUSH_PROMISE", rfc: "RFC 9113 §6.6", flags: { 0x4: "END_HEADERS", 0x8: "PADDED" } },
  0x6: { name: "PING", rfc: "RFC 9113 §6.7", flags: { 0x1: "ACK" } },
  0x7: { name: "GOAWAY", rfc: "RFC 9113 §6.8", flags: {} },
  0x8: { name: "WINDOW_UPDATE", rfc: "RFC 9113 §6.9", flags: {} },
  0x9: { name: "CONTINUATION", rfc: "RFC 9113 §6.10", flags: { 0x4: "END_HEADERS" } },
};

/** SETTINGS parameters (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1). */
export const HTTP2_SETTINGS: Readonly<Record<number, Named>> = {
  0x1: { name: "SETTINGS_HEADER_TABLE_SIZE", rfc: "RFC 9113 §6.5.2" },
  0x2: { name: "SETTINGS_ENABLE_PUSH", rfc: "RFC 9113 §6.5.2" },
  0x3: { name: "SETTINGS_MAX_CONCURRENT_STREAMS", rfc: "RFC 9113 §6.5.2" },
  0x4: { name: "SETTINGS_INITIAL_WINDOW_SIZE", rfc: "RFC 9113 §6.5.2" },
  0x5: { name: "SETTINGS_MAX_FRAME_SIZE", rfc: "RFC 9113 §6.5.2" },
  0x6: { name: "SETTINGS_MAX_HEADER_LIST_SIZE", rfc: "RFC 9113 §6.5.2" },
  0x8: { name: "SETTINGS_ENABLE_CONNECT_PROTOCOL", rfc: "RFC 8441 §3" },
  0x9: { name: "SETTINGS_NO_RFC7540_PRIORITIES", rfc: "RFC 9218 §2.1" },
};

/** Error codes of RST_STREAM and GOAWAY (RFC 9113 §7). */
export const HTTP2_ERROR_CODES: readonly string[] = [
  "NO_ERROR",
  "PROTOCOL_ERROR",
  "INTERNAL_ERROR",
  "FLOW_CONTROL_ERROR",
  "SETTINGS_TIMEOUT",
  "STREAM_CLOSED",
  "FRAME_SIZE_ERROR",
  "REFUSED_STREAM",
  "CANCEL",
  "COMPRESSION_ERROR",
  "CONNECT_ERROR",
  "ENHANCE_YOUR_CALM",
  "INADEQUATE_SECURITY",
  "HTTP_1_1_REQUIRED",
];

export interface Http2Setting {
  id: number;
  /** The parameter's name, or "unknown (0x…)": unknown settings must be ignored (RFC 9113 §6.5.2). */
  name: string;
  value: number;
}

/** What a frame's payload says, for the types a WebSocket over HTTP/2 shows. */
export type Http2Detail =
  | { kind: "settings"; settings: Http2Setting[] }
  | { kind: "window-update"; increment: number }
  | { kind: "ping"; opaque: Uint8Array }
  | { kind: "rst-stream"; errorCode: number; error: string }
  | { kind: "goaway"; lastStreamId: number; errorCode: number; error: string; debug: Uint8Array }
  /** HEADERS, CONTINUATION, PUSH_PROMISE: the HPACK-encoded field block (after padding and priority). */
  | { kind: "field-block"; block: Uint8Array }
  /** DATA: the data, without padding. */
  | { kind: "data"; data: Uint8Array }
  | { kind: "other" };

export interface Http2Frame {
  /** Byte offset of the frame in the stream fed to the reader (the preface counts). */
  offset: number;
  length: number;
  type: number;
  /** The type's name, or "unknown (0x…)": unknown types must be ignored (RFC 9113 §4.1). */
  typeName: string;
  flags: number;
  /** Names of the flags set that this type defines. */
  flagNames: string[];
  streamId: number;
  payload: Uint8Array;
  /** The whole frame, header and payload, as it crossed the wire. */
  raw: Uint8Array;
  detail: Http2Detail;
}

export interface Http2FrameError {
  error: string;
  offset: number;
  rfc: string;
}

export type Http2ReaderEvent =
  | { kind: "preface"; offset: number; raw: Uint8Array }
  | { kind: "frame"; frame: Http2Frame }
  | { kind: "error"; error: Http2FrameError };

const hex = (n: number): string => `0x${n.toString(16)}`;
const u32 = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

function errorName(code: number): string {
  return HTTP2_ERROR_CODES[code] ?? `unknown (${hex(code)})`;
}

/** Why a frame is malformed, and the rule it breaks. */
export interface Malformed {
  malformed: string;
  rfc: string;
}

/** The payload of a frame read as its type defines it; an error value when it breaks a length or padding rule. */
export function readFrameDetail(type: number, flags: number, payload: Uint8Array): Http2Detail | Malformed {
  const unpadded = (): Uint8Array | Malformed => {
    if (!(flags & 0x8)) return payload;
    const pad = payload[0];
    if (pad === undefined || pad >= payload.length)
      return { malformed: "the padding is as long as the payload or longer", rfc: "RFC 9113 §6.1" };
    return payload.subarray(1, payload.length - pad);
  };
  switch (type) {
    case 0x0: {
      const data = unpadded();
      return data instanceof Uint8Array ? { kind: "data", data } : data;
    }
    case 0x1:
    case 0x5: {
      const body = unpadded();
      if (!(body instanceof Uint8Array)) return body;
      // HEADERS with PRIORITY carries 5 more bytes; PUSH_PROMISE a promised stream id (4 bytes).
      const skip = type === 0x1 ? (flags & 0x20 ? 5 : 0) : 4;
      if (body.length < skip)
        return {
          malformed: "the payload is shorter than its fixed fields",
          rfc: type === 0x1 ? "RFC 9113 §6.2" : "RFC 9113 §6.6",
        };
      return { kind: "field-block", block: body.subarray(skip) };
    }
    case 0x9:
      return { kind: "field-block", block: payload };
    case 0x3:
      if (payload.length !== 4) return { malformed: "RST_STREAM must be 4 bytes long", rfc: "RFC 9113 §6.4" };
      return { kind: "rst-stream", errorCode: u32(payload, 0), error: errorName(u32(payload, 0)) };
    case 0x4: {
      if (payload.length % 6 !== 0)
        return { malformed: "a SETTINGS payload must be a multiple of 6 bytes", rfc: "RFC 9113 §6.5" };
      if (flags & 0x1 && payload.length > 0)
        return { malformed: "a SETTINGS acknowledgment must be empty", rfc: "RFC 9113 §6.5" };
      const settings: Http2Setting[] = [];
      for (let at = 0; at < payload.length; at += 6) {
        const id = (payload[at]! << 8) | payload[at + 1]!;
        settings.push({ id, name: HTTP2_SETTINGS[id]?.name ?? `unknown (${hex(id)})`, value: u32(payload, at + 2) });
      }
      return { kind: "settings", settings };
    }
    case 0x6:
      if (payload.length !== 8) return { malformed: "PING must carry exactly 8 bytes", rfc: "RFC 9113 §6.7" };
      return { kind: "ping", opaque: payload };
    case 0x7:
      if (payload.length < 8) return { malformed: "GOAWAY must be at least 8 bytes long", rfc: "RFC 9113 §6.8" };
      return {
        kind: "goaway",
        lastStreamId: u32(payload, 0) & 0x7fffffff,
        errorCode: u32(payload, 4),
        error: errorName(u32(payload, 4)),
        debug: payload.subarray(8),
      };
    case 0x8:
      if (payload.length !== 4) return { malformed: "WINDOW_UPDATE must be 4 bytes long", rfc: "RFC 9113 §6.9" };
      return { kind: "window-update", increment: u32(payload, 0) & 0x7fffffff };
    default:
      return { kind: "other" };
  }
}

/**
 * Reads one direction of an HTTP/2 connection. The client's direction starts with the connection
 * preface (`expectPreface`); the server's starts with a SETTINGS frame. After the first error the
 * reader stops, as an endpoint would treat the connection as broken.
 */
export class Http2FrameReader {
  #buffer = new Uint8Array(0);
  #consumed = 0;
  #needPreface: boolean;
  #stopped = false;
  readonly #maxFrameSize: number;

  constructor(options: { expectPreface: boolean; maxFrameSize?: number }) {
    this.#needPreface = options.expectPreface;
    this.#maxFrameSize = options.maxFrameSize ?? HTTP2_DEFAULT_MAX_FRAME_SIZE;
  }

  push(bytes: Uint8Array): Http2ReaderEvent[] {
    if (this.#stopped) return [];
    const joined = new Uint8Array(this.#buffer.length + bytes.length);
    joined.set(this.#buffer);
    joined.set(bytes, this.#buffer.length);
    this.#buffer = joined;
    const events: Http2ReaderEvent[] = [];
    const fail = (error: string, rfc: string): Http2ReaderEvent[] => {
      this.#stopped = true;
      events.push({ kind: "error", error: { error, offset: this.#consumed, rfc } });
      return events;
    };
    if (this.#needPreface) {
      const have = Math.min(this.#buffer.length, HTTP2_PREFACE.length);
      for (let i = 0; i < have; i++)
        if (this.#buffer[i] !== HTTP2_PREFACE[i])
          return fail("the connection does not start with the HTTP/2 client preface", "RFC 9113 §3.4");
      if (have < HTTP2_PREFACE.length) return events;
      events.push({ kind: "preface", offset: this.#consumed, raw: this.#buffer.slice(0, HTTP2_PREFACE.length) });
      this.#take(HTTP2_PREFACE.length);
      this.#needPreface = false;
    }
    while (this.#buffer.length >= HTTP2_FRAME_HEADER_LENGTH) {
      const b = this.#buffer;
      const length = (b[0]! << 16) | (b[1]! << 8) | b[2]!;
      if (length > this.#maxFrameSize)
        return fail(
          `a frame of ${length} bytes is larger than SETTINGS_MAX_FRAME_SIZE (${this.#maxFrameSize})`,
          "RFC 9113 §4.2",
        );
      if (b.length < HTTP2_FRAME_HEADER_LENGTH + length) break;
      const type = b[3]!;
      const flags = b[4]!;
      const streamId = u32(b, 5) & 0x7fffffff;
      const raw = b.slice(0, HTTP2_FRAME_HEADER_LENGTH + length);
      const payload = raw.subarray(HTTP2_FRAME_HEADER_LENGTH);
      const known = HTTP2_FRAME_TYPES[type];
      const detail = readFrameDetail(type, flags, payload);
      if ("malformed" in detail) return fail(detail.malformed, detail.rfc);
      const flagNames = Object.entries(known?.flags ?? {})
        .filter(([bit]) => flags & Number(bit))
        .map(([, name]) => name);
      events.push({
        kind: "frame",
        frame: {
          offset: this.#consumed,
          length,
          type,
          typeName: known?.name ?? `unknown (${hex(type)})`,
          flags,
          flagNames,
          streamId,
          payload,
          raw,
          detail,
        },
      });
      this.#take(raw.length);
    }
    return events;
  }

  #take(n: number): void {
    this.#buffer = this.#buffer.slice(n);
    this.#consumed += n;
  }
}
