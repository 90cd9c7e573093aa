// What a goodbye looked like on the wire, in sentences, from a captured connection (the reader's
// own, through the tap, or the lab's misbehaving client): the close frames each way with their
// bytes, code and reason, how the TCP connection ended, and for a rule breaker, the rule the
// page's own decoder found broken. Pure: the element writes the result into the DOM.
import type { CapturedFrame, CaptureView } from "../../protocol/capture.ts";
import { describeCloseCode } from "../../protocol/close-codes.ts";
import { toHex } from "../../protocol/hex.ts";
import { formatMs } from "../shared/format-ms.ts";
import { shortHex } from "../shared/short-hex.ts";

export interface CloseFrameLine {
  /** "in" was sent by the client (the reader's browser, or the lab's own client), "out" by the lab. */
  dir: "in" | "out";
  hex: string;
  /** The frame in words: its code and reason, or that it had none. */
  says: string;
  masked: boolean;
}

export interface CloseStory {
  frames: CloseFrameLine[];
  /** How the TCP connection ended, and after what. */
  ending: string;
}

export function closeFrameSays(frame: CapturedFrame): string {
  const close = frame.close;
  if (!close || close.code === null) return "a close frame with an empty body: no code, no reason (RFC 6455 §5.5.1)";
  const info = describeCloseCode(close.code);
  const reason = close.reason ? `, reason “${close.reason}”` : ", no reason";
  return `close code ${close.code} ${info.name}${reason} (${info.rfc})`;
}

export function closeStory(view: CaptureView): CloseStory {
  const closes = view.frames.filter((f) => f.frame.opcode === 0x8);
  const frames = closes.map((f) => ({
    dir: f.dir,
    hex: toHex(f.frame.raw),
    says: closeFrameSays(f),
    masked: f.frame.masked,
  }));
  const end = view.close;
  let ending = "The connection is still open.";
  if (end) {
    const first = closes[0];
    const after = first ? ` ${formatMs(end.t - first.t)} after the first close frame` : "";
    if (closes.length === 0)
      ending = "The TCP connection ended with no close frame either way: a page reports 1006 (RFC 6455 §7.1.5).";
    else if (closes.length === 1)
      ending = `The TCP connection ended${after}, with a close frame one way only: the close handshake did not complete.`;
    else
      ending = `Both sides sent a close frame; then the TCP connection ended${after}, the server closing it first (RFC 6455 §7.1.1).`;
  }
  return { frames, ending };
}

export interface RuleBreakerStory {
  /** The bytes the client sent after the handshake. */
  sent: string;
  /** The rule the page's own decoder finds broken in them, or null when the bytes are well formed. */
  broken: string | null;
  /** Pings the lab sent before its answer. */
  pings: number;
  /** The lab's answer. */
  answer: string;
}

export function ruleBreakerStory(view: CaptureView): RuleBreakerStory {
  const sentChunks = view.chunks.filter((c) => c.dir === "in" && c.bytes !== null);
  const first = sentChunks[0];
  const sent = first?.bytes ? shortHex(first.bytes) : "nothing at all";
  const error = view.errors.find((e) => e.dir === "in")?.error ?? null;
  const broken = error
    ? `${error.error} (${error.rfc}; the lab must fail the connection with ${error.closeCode})`
    : null;
  const pings = view.frames.filter((f) => f.dir === "out" && f.frame.opcode === 0x9).length;
  const labClose = view.frames.find((f) => f.dir === "out" && f.frame.opcode === 0x8);
  const sentAt = first?.t ?? view.response?.t ?? view.openedAt ?? 0;
  let answer: string;
  if (labClose) answer = `The lab answered ${formatMs(labClose.t - sentAt)} later with ${closeFrameSays(labClose)}.`;
  else if (view.close)
    answer = `The lab sent ${pings === 1 ? "a ping" : `${pings} pings`}, got no pong, and ended the TCP connection ${formatMs(view.close.t - sentAt)} after the handshake, with no close frame.`;
  else answer = "No answer yet.";
  return { sent, broken, pings, answer };
}
