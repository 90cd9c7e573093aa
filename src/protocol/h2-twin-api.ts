// POST /lab/h2-twin (lesson 9): the lab opens the same WebSocket to a private copy of itself twice,
// over HTTP/1.1 (GET with Upgrade, 101) and over HTTP/2 (extended CONNECT with :protocol websocket,
// 200, RFC 8441), says the same message with the same masking keys, and answers with every byte
// of both connections as a watcher between client and server saw them (server/h2/h2-twin.ts).
// Shared by the server, which answers, and the widget, which checks the answer (parseH2TwinRun).
import { capturedSideOk, type TwinChunk, type TwinTuple } from "./tls-twin-api.ts";

export const H2_TWIN_PATH = "/lab/h2-twin";

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The answer, checked field by field; null when it is not an H2TwinRun. */
export function parseH2TwinRun(value: unknown): H2TwinRun | null {
  if (!isObject(value) || typeof value.message !== "string") return null;
  if (!Array.isArray(value.maskingKeys) || value.maskingKeys.length !== 2 || !value.maskingKeys.every((k) => typeof k === "string" && /^[0-9a-f]{8}$/.test(k))) return null;
  for (const [name, protocol] of [["http1", "http/1.1"], ["http2", "h2c"]] as const) {
    const side = value[name];
    if (!capturedSideOk(side) || (side as Record<string, unknown>).protocol !== protocol) return null;
  }
  return value as unknown as H2TwinRun;
}
