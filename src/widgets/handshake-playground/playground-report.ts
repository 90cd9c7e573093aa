// What a playground run shows, worked out from its bytes alone: the request as sent, the lab's
// answer split into status line, header fields and body, the frames both ways after a 101, the
// accept value recomputed from the request's own key, and the times. Pure (Web Crypto only, for
// SHA-1): the element writes the result into the DOM, as text.
import { describeCloseCode } from "../../protocol/close-codes.ts";
import { parseClosePayload } from "../../protocol/close-payload.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { computeAccept, isValidKey } from "../../protocol/handshake-key.ts";
import { toHex } from "../../protocol/hex.ts";
import { headerValue, latin1Decode, parseRequestHead, parseResponseHead } from "../../protocol/http1.ts";
import { describeOpcode } from "../../protocol/opcodes.ts";
import type { PlaygroundRun, PlaygroundSide } from "../../protocol/playground-api.ts";
import { formatMs } from "../shared/format-ms.ts";

export interface PlaygroundFrameLine {
  from: PlaygroundSide;
  at: number;
  hex: string;
  masked: boolean;
  /** The frame in words: its kind and what it carried. */
  says: string;
}

export interface AcceptCheck {
  key: string;
  /** What the accept must be for this key (RFC 6455 §4.2.2), computed in the browser. */
  expected: string;
  /** What the lab sent. */
  received: string | null;
}

export interface PlaygroundReport {
  /** The request as it went on the wire (latin1, one character per byte). */
  sent: string;
  sentBytes: number;
  /** The answer's head as text, with its empty line; "" when none arrived whole. */
  head: string;
  /** What followed the head before any frame: the body of a refusal. */
  body: string;
  status: number | null;
  reason: string;
  /** The answer in one sentence, for the verdict line and the live region. */
  verdict: string;
  accept: AcceptCheck | null;
  frames: PlaygroundFrameLine[];
  /** ms from the TCP connection opening to the first byte of the answer, and to its last. */
  firstByteMs: number | null;
  lastByteMs: number | null;
  /** How the conversation ended, in words. */
  ending: string;
}

export interface RunBytes {
  from: PlaygroundSide;
  at: number;
  data: Uint8Array;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function frameSays(opcode: number, payload: Uint8Array): string {
  const info = describeOpcode(opcode);
  if (opcode === 0x1) return `a text frame: “${new TextDecoder("utf-8", { fatal: false }).decode(payload)}”`;
  if (opcode === 0x8) {
    const close = parseClosePayload(payload);
    if (!close.ok) return "a close frame with a malformed body";
    if (close.code === null) return "a close frame with no code";
    return `a close frame: ${close.code} ${describeCloseCode(close.code).name}${close.reason ? `, “${close.reason}”` : ""}`;
  }
  return `a ${info.name} frame (opcode 0x${opcode.toString(16)}), ${payload.length} bytes of payload`;
}

/** The frames in one direction's bytes, with the time of the piece each frame ends in. */
function framesOf(
  pieces: readonly RunBytes[],
  skip: number,
  direction: "client-to-server" | "server-to-client",
): PlaygroundFrameLine[] {
  const decoder = new FrameDecoder({ direction });
  const lines: PlaygroundFrameLine[] = [];
  let skipped = 0;
  for (const piece of pieces) {
    const data = skipped < skip ? piece.data.subarray(Math.min(piece.data.length, skip - skipped)) : piece.data;
    skipped += piece.data.length - data.length;
    for (const event of decoder.push(data)) {
      if (event.kind !== "frame") continue;
      const { frame } = event;
      lines.push({
        from: piece.from,
        at: piece.at,
        hex: toHex(frame.raw),
        masked: frame.masked,
        says: frameSays(frame.opcode, frame.payload),
      });
    }
  }
  return lines;
}

/** How the conversation ended, in words, from the run's own figures. */
function endingText(run: RunFacts, answered: boolean): string {
  switch (run.ending) {
    case "lab-closed":
      return answered
        ? "The lab closed the TCP connection."
        : `The lab closed the TCP connection ${formatMs(run.endedAt)} after it opened, without a word: the request head never ended (a head ends with an empty line, RFC 9112 §2.1), and the lab gives a head ${formatMs(run.handshakeTimeoutMs)} to arrive (its handshake timeout) before it drops the connection.`;
    case "complete":
      return "The answer was complete (its Content-Length said how long), so the lab's client closed the connection.";
    case "no-answer":
      return `Nothing came back within ${formatMs(run.endedAt)}: the lab is still waiting for the rest of the request. A head ends with an empty line (RFC 9112 §2.1).`;
    case "answer-stalled":
      return `The answer stopped, and nothing more came within ${formatMs(run.waitMs)}.`;
  }
}

/** The parts of a run the report needs besides its bytes (playground-api.ts's PlaygroundRun). */
export type RunFacts = Pick<PlaygroundRun, "ending" | "waitMs" | "endedAt" | "handshakeTimeoutMs">;

/** Reads a run's bytes; async only because SHA-1 (for the accept value) is async in Web Crypto. */
export async function buildPlaygroundReport(pieces: readonly RunBytes[], run: RunFacts): Promise<PlaygroundReport> {
  const fromClient = pieces.filter((p) => p.from === "client");
  const fromLab = pieces.filter((p) => p.from === "lab");
  const request = fromClient[0]?.data ?? new Uint8Array(0);
  const answer = concat(fromLab.map((p) => p.data));
  const parsedHead = parseResponseHead(answer);
  const head = parsedHead.kind === "head" ? parsedHead.head : null;
  const status = head?.startLine.status ?? null;
  const headLength = head?.sizes.total ?? 0;
  const upgraded = status === 101;
  const contentLength = head ? Number(headerValue(head.fields, "content-length") ?? Number.NaN) : Number.NaN;
  const bodyEnd = upgraded
    ? headLength
    : Number.isSafeInteger(contentLength)
      ? headLength + contentLength
      : answer.length;
  const frames = upgraded
    ? [
        ...framesOf(fromClient.slice(1), 0, "client-to-server"),
        ...framesOf(fromLab, headLength, "server-to-client"),
      ].sort((a, b) => a.at - b.at)
    : [];

  let accept: AcceptCheck | null = null;
  const requestHead = parseRequestHead(request);
  const key =
    requestHead.kind === "head" ? headerValue(requestHead.head.fields, "sec-websocket-key")?.trim() : undefined;
  if (upgraded && head && key && isValidKey(key)) {
    accept = {
      key,
      expected: await computeAccept(key),
      received: headerValue(head.fields, "sec-websocket-accept")?.trim() ?? null,
    };
  }

  const reason = head?.startLine.reason ?? "";
  let verdict: string;
  if (status === null)
    verdict = answer.length === 0 ? "No answer." : "The answer did not start with a complete HTTP head.";
  else if (upgraded)
    verdict = `${status} ${reason}: the lab switched this connection to WebSocket${accept && accept.received === accept.expected ? ", and its accept value matches your key" : ""}.`;
  else verdict = `${status} ${reason}: the lab refused to switch; the connection stays HTTP.`;

  return {
    sent: latin1Decode(request),
    sentBytes: request.length,
    head: head ? latin1Decode(answer, 0, headLength) : latin1Decode(answer),
    body:
      head && !upgraded ? new TextDecoder().decode(answer.subarray(headLength, Math.min(bodyEnd, answer.length))) : "",
    status,
    reason,
    verdict,
    accept,
    frames,
    firstByteMs: fromLab[0]?.at ?? null,
    lastByteMs: fromLab.at(-1)?.at ?? null,
    ending: endingText(run, fromLab.length > 0),
  };
}

export interface WireLine {
  text: string;
  /** The line's ending as it is on the wire: "\r\n", a lone "\n" or "\r", or "" for the last piece. */
  eol: "\r\n" | "\n" | "\r" | "";
}

/** Wire text cut into lines, each keeping the ending it really had, so it can be shown visibly. */
export function wireLines(text: string): WireLine[] {
  const lines: WireLine[] = [];
  const pattern = /\r\n|\n|\r/g;
  let from = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push({ text: text.slice(from, match.index), eol: match[0] as WireLine["eol"] });
    from = match.index + match[0].length;
  }
  if (from < text.length) lines.push({ text: text.slice(from), eol: "" });
  return lines;
}
