// POST /lab/h2-twin (lesson 9): the lab opens the same WebSocket to a private copy of itself twice,
// over HTTP/1.1 (GET with Upgrade, 101) and over HTTP/2 (extended CONNECT with :protocol websocket,
// 200, RFC 8441), says the same message with the same masking keys, and answers with every byte
// of both connections as a watcher between client and server saw them (server/h2/h2-twin.ts).
// Shared by the server, which answers, and the widget, which checks the answer (parseH2TwinRun).
//
// The request's body may name the message and the masking keys (H2TwinRequest, JSON): lesson 9
// sends those of the reader's own HTTP/1.1 connection, so the lab's HTTP/2 DATA frames carry
// the very WebSocket frames the reader's browser sent. Without a body: "Hello", fresh keys.
import { capturedSideOk, type TwinChunk, type TwinTuple } from "./tls-twin-api.ts";
import { encodeUtf8 } from "./utf8.ts";

export const H2_TWIN_PATH = "/lab/h2-twin";

/** A message of this many UTF-8 bytes fits one frame with a 16-bit length: enough to type, small to hold. */
export const H2_TWIN_MAX_MESSAGE_BYTES = 1024;
/** The largest body the lab reads for a run: the message, escaped, and two keys. */
export const H2_TWIN_MAX_BODY_BYTES = 8192;

export interface H2TwinRequest {
  message: string;
  /** Hex, 8 digits each: the text frame's key, then the close frame's. */
  maskingKeys: [string, string];
}

const MASKING_KEY = /^[0-9a-f]{8}$/;

/** The body read and checked: the request, or why it cannot be run (in words for a 400). */
export function parseH2TwinRequest(body: string): { ok: true; request: H2TwinRequest } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: "The body is not JSON." };
  }
  if (!isObject(value) || typeof value.message !== "string")
    return { ok: false, reason: "The body needs a message (text)." };
  if (value.message.length === 0) return { ok: false, reason: "The message is empty." };
  // A lone surrogate would be sent as U+FFFD, so the frames would not be the reader's.
  if (!value.message.isWellFormed()) return { ok: false, reason: "The message is not well-formed Unicode." };
  if (encodeUtf8(value.message).length > H2_TWIN_MAX_MESSAGE_BYTES)
    return { ok: false, reason: `The message may be at most ${H2_TWIN_MAX_MESSAGE_BYTES} bytes of UTF-8.` };
  const keys = value.maskingKeys;
  if (!Array.isArray(keys) || keys.length !== 2 || !keys.every((k) => typeof k === "string" && MASKING_KEY.test(k)))
    return { ok: false, reason: "maskingKeys must be two keys of 8 lowercase hex digits." };
  return { ok: true, request: { message: value.message, maskingKeys: [keys[0] as string, keys[1] as string] } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export interface H2TwinSide {
  protocol: "http/1.1" | "h2c";
  tuple: TwinTuple | null;
  /** TCP reads of the capture relay, "in" toward the server, times in ms since the Unix epoch. */
  chunks: TwinChunk[];
}

export interface H2TwinRun {
  message: string;
  /** The masking keys both sides used (hex): the text message's, then the close frame's. */
  maskingKeys: [string, string];
  http1: H2TwinSide;
  http2: H2TwinSide;
}

/** The answer, checked field by field; null when it is not an H2TwinRun. */
export function parseH2TwinRun(value: unknown): H2TwinRun | null {
  if (!isObject(value) || typeof value.message !== "string") return null;
  if (
    !Array.isArray(value.maskingKeys) ||
    value.maskingKeys.length !== 2 ||
    !value.maskingKeys.every((k) => typeof k === "string" && MASKING_KEY.test(k))
  )
    return null;
  for (const [name, protocol] of [
    ["http1", "http/1.1"],
    ["http2", "h2c"],
  ] as const) {
    const side = value[name];
    if (!capturedSideOk(side) || (side as Record<string, unknown>).protocol !== protocol) return null;
  }
  return value as unknown as H2TwinRun;
}
