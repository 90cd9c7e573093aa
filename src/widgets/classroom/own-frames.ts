// This page's own room connection as the lab saw it, frame by frame: the wire tap reports the
// bytes of the room socket (opened as a tapped specimen), `buildCaptureView` decodes them with
// the shared frame decoder, and this module turns the frames into short rows (direction,
// opcode, size, masked or not, the payload as text) and totals for the projector. This panel is
// on the page a teacher projects, so the room's secrets are masked before anything is cut or
// shown (room-secrets.ts).
import type { CaptureView, CapturedFrame } from "../../protocol/capture.ts";
import { describeOpcode } from "../../protocol/opcodes.ts";
import { secretRanges, showRedacted } from "../../protocol/room-secrets.ts";

export interface FrameRow {
  /** Stable across re-renders of the same connection: direction and stream offset. */
  key: string;
  dir: "in" | "out";
  arrow: string;
  who: string;
  opcode: string;
  /** The whole frame on the wire, header included. */
  size: number;
  payload: number;
  masked: boolean;
  maskingKey: string | null;
  /** The payload as text (close frames: code and reason), secrets masked, cut at `max` characters. */
  text: string;
  /** True when a teacher key or resume token was masked in `text`. */
  redacted: boolean;
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** A message's payload so far, in one direction: its fragments' bytes joined. */
interface MessageSoFar {
  bytes: Uint8Array;
  /** A binary message is being continued (its fragments are shown as hex). */
  binary: boolean;
}

/**
 * A data frame's text with the room's secrets masked. Secrets are looked for in the whole
 * message up to and including this frame, so a fragment boundary inside a secret hides nothing
 * (and a fragment that ends inside a character shows U+FFFD there, never hex).
 */
function dataText(frame: CapturedFrame, message: MessageSoFar): { text: string; redacted: boolean } {
  const { opcode, payload } = frame.frame;
  const from = opcode === 0x0 ? message.bytes.length : 0;
  const joined = new Uint8Array(from + payload.length);
  if (from) joined.set(message.bytes);
  joined.set(payload, from);
  message.bytes = frame.frame.fin ? new Uint8Array(0) : joined;
  return showRedacted(joined, from, joined.length, secretRanges(joined));
}

function payloadText(frame: CapturedFrame, message: MessageSoFar, max: number): { text: string; redacted: boolean } {
  if (frame.close)
    return {
      text: `${frame.close.code ?? "no code"}${frame.close.reason ? ` “${frame.close.reason}”` : ""}`,
      redacted: false,
    };
  const { opcode, payload } = frame.frame;
  let shown: { text: string; redacted: boolean } | null = null;
  const continuesBinary = opcode === 0x0 && message.binary;
  if (opcode === 0x2 || continuesBinary) message.binary = !frame.frame.fin;
  if (continuesBinary) {
    /* hex, below */
  } else if (opcode === 0x1 || (opcode === 0x0 && message.bytes.length > 0)) shown = dataText(frame, message);
  // The rest of a message whose start was not captured: it could hold part of a secret, and
  // without the start there is no telling, so its bytes are not shown.
  else if (opcode === 0x0 && payload.length > 0)
    return { text: `(${payload.length} bytes continuing a message that began before the capture)`, redacted: true };
  else if (opcode === 0x9 || opcode === 0xa) {
    try {
      shown = { text: strict.decode(payload), redacted: false };
    } catch {
      /* not text: shown as hex */
    }
  }
  if (payload.length === 0) return { text: "(empty)", redacted: false };
  if (shown)
    return { text: shown.text.length > max ? `${shown.text.slice(0, max)}…` : shown.text, redacted: shown.redacted };
  const hex = Array.from(payload.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return { text: payload.length > 16 ? `${hex} …` : hex, redacted: false };
}

export function frameRows(view: CaptureView, limit = 60, max = 120): FrameRow[] {
  // Every frame is read (a fragmented message may begin before the rows shown); only the newest
  // `limit` become rows.
  const messages = {
    in: { bytes: new Uint8Array(0), binary: false },
    out: { bytes: new Uint8Array(0), binary: false },
  };
  const first = Math.max(0, view.frames.length - limit);
  const texts = view.frames.map((f, i) => {
    const isData = f.frame.opcode <= 0x2;
    return i >= first ||
      (isData && !f.frame.fin) ||
      (isData && (messages[f.dir].bytes.length > 0 || messages[f.dir].binary))
      ? payloadText(f, messages[f.dir], max)
      : null;
  });
  return view.frames.slice(first).map((f, i) => ({
    key: `${view.specimen ?? 0}:${f.dir}:${f.start}`,
    dir: f.dir,
    arrow: f.dir === "in" ? "↑" : "↓",
    who: f.dir === "in" ? "you → lab" : "lab → you",
    opcode: describeOpcode(f.frame.opcode).name,
    size: f.end - f.start,
    payload: f.frame.payloadLength,
    masked: f.frame.masked,
    maskingKey: f.frame.maskingKey
      ? Array.from(f.frame.maskingKey, (b) => b.toString(16).padStart(2, "0")).join(" ")
      : null,
    ...texts[first + i]!,
  }));
}

export interface OwnTraffic {
  framesUp: number;
  framesDown: number;
  bytesUp: number;
  bytesDown: number;
  /** The upgrade request and 101 response, counted apart from frames. */
  handshakeBytes: number;
}

export function ownTraffic(view: CaptureView): OwnTraffic {
  let framesUp = 0;
  let framesDown = 0;
  let bytesUp = 0;
  let bytesDown = 0;
  for (const f of view.frames) {
    if (f.dir === "in") {
      framesUp++;
      bytesUp += f.end - f.start;
    } else {
      framesDown++;
      bytesDown += f.end - f.start;
    }
  }
  return {
    framesUp,
    framesDown,
    bytesUp,
    bytesDown,
    handshakeBytes: (view.request?.bytes.length ?? 0) + (view.response?.bytes.length ?? 0),
  };
}

/** One sentence for a screen reader or a caption. */
export function describeRow(row: FrameRow): string {
  return `${row.who}: ${row.masked ? "masked" : "unmasked"} ${row.opcode} frame, ${row.size} bytes on the wire: ${row.text}`;
}
