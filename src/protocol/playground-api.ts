// POST /lab/playground (lessons 4 and 8): the reader's raw request, sent by the lab as it is on a
// fresh TCP connection to a private copy of itself, and everything that came back
// (server/playground/playground-run.ts). Shared by the server, which answers, and the widget,
// which checks the answer before it trusts it (parsePlaygroundRun).
//
// The record is the conversation in order: the request as the lab wrote it, each TCP read of
// the answer, and, after a 101, the frames the lab's client sent (a masked "Hello" and a close)
// and the frames that came back. Times are ms since the TCP connection opened.
import { base64ToBytes } from "./base64.ts";

export const PLAYGROUND_PATH = "/lab/playground";

/** The largest request the lab will send for a reader: a handshake with a few cookies fits easily. */
export const PLAYGROUND_MAX_REQUEST_BYTES = 4096;

/** How long the lab waits for more of an answer before it reports what it has. */
export const PLAYGROUND_WAIT_MS = 3000;

export type PlaygroundSide = "client" | "lab";

export interface PlaygroundPiece {
  /** Who wrote these bytes: the lab's client (the reader's request, later its frames) or the lab. */
  from: PlaygroundSide;
  /** ms since the TCP connection opened. */
  at: number;
  /** base64 */
  data: string;
}

/**
 * How the conversation ended: the lab closed the TCP connection (with or without an answer: a head
 * that never ends is dropped after the lab's handshake timeout); the answer was complete and the
 * client closed; nothing came back (the client gave up first); or the answer began and then stopped.
 */
export type PlaygroundEnding = "lab-closed" | "complete" | "no-answer" | "answer-stalled";

export interface PlaygroundRun {
  pieces: PlaygroundPiece[];
  ending: PlaygroundEnding;
  /** PLAYGROUND_WAIT_MS as the lab applied it. */
  waitMs: number;
  /** ms from the TCP connection opening to its end (or to the client giving up). */
  endedAt: number;
  /** The lab's handshake timeout: how long a request head may take before the lab drops the connection. */
  handshakeTimeoutMs: number;
}

export type PlaygroundRunResult =
  | { ok: true; run: PlaygroundRun; bytes: { from: PlaygroundSide; at: number; data: Uint8Array }[] }
  | { ok: false; error: string };

const ENDINGS: readonly PlaygroundEnding[] = ["lab-closed", "complete", "no-answer", "answer-stalled"];

/** The most pieces a record may hold: the lab stops recording before it reaches this. */
export const PLAYGROUND_MAX_PIECES = 200;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validates an answer from the lab: every field checked, base64 decoded; an error value otherwise. */
export function parsePlaygroundRun(value: unknown): PlaygroundRunResult {
  const fail = (error: string): PlaygroundRunResult => ({ ok: false, error });
  if (!isObj(value)) return fail("the answer is not a JSON object");
  if (!Array.isArray(value.pieces) || value.pieces.length > PLAYGROUND_MAX_PIECES)
    return fail(`pieces must be a list of at most ${PLAYGROUND_MAX_PIECES}`);
  if (typeof value.ending !== "string" || !ENDINGS.includes(value.ending as PlaygroundEnding))
    return fail(`ending must be one of ${ENDINGS.join(", ")}`);
  for (const field of ["waitMs", "endedAt", "handshakeTimeoutMs"] as const) {
    const ms = value[field];
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
      return fail(`${field} must be a number of milliseconds`);
  }
  const pieces: PlaygroundPiece[] = [];
  const bytes: { from: PlaygroundSide; at: number; data: Uint8Array }[] = [];
  for (const [i, raw] of value.pieces.entries()) {
    if (!isObj(raw)) return fail(`piece ${i} is not an object`);
    if (raw.from !== "client" && raw.from !== "lab") return fail(`piece ${i}: from must be "client" or "lab"`);
    if (typeof raw.at !== "number" || !Number.isFinite(raw.at) || raw.at < 0)
      return fail(`piece ${i}: at must be a time in ms`);
    const data = typeof raw.data === "string" ? base64ToBytes(raw.data) : null;
    if (!data) return fail(`piece ${i}: data must be base64`);
    pieces.push({ from: raw.from, at: raw.at, data: raw.data as string });
    bytes.push({ from: raw.from, at: raw.at, data });
  }
  return {
    ok: true,
    run: {
      pieces,
      ending: value.ending as PlaygroundEnding,
      waitMs: value.waitMs as number,
      endedAt: value.endedAt as number,
      handshakeTimeoutMs: value.handshakeTimeoutMs as number,
    },
    bytes,
  };
}
