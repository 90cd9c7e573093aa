// This page's own room connection as the lab saw it, frame by frame: the wire tap reports the
// bytes of the room socket (opened as a tapped specimen), `buildCaptureView` decodes them with
// the shared frame decoder, and this module turns the frames into short rows (direction,
// opcode, size, masked or not, the payload as text) and totals for the projector.
import type { CaptureView, CapturedFrame } from "../../protocol/capture.ts";
import { describeOpcode } from "../../protocol/opcodes.ts";

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
  /** The payload as text (close frames: code and reason), cut at `max` characters. */
  text: string;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function payloadText(frame: CapturedFrame, max: number): string {
  if (frame.close) return `${frame.close.code ?? "no code"}${frame.close.reason ? ` “${frame.close.reason}”` : ""}`;
  const { opcode, payload } = frame.frame;
  if (payload.length === 0) return "(empty)";
  if (opcode === 0x1 || opcode === 0x0 || opcode === 0x9 || opcode === 0xa) {
    try {
      const text = decoder.decode(payload);
      return text.length > max ? `${text.slice(0, max)}…` : text;
    } catch {
      /* a fragment may split a character: fall through to hex */
    }
  }
  const hex = Array.from(payload.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return payload.length > 16 ? `${hex} …` : hex;
}

export function frameRows(view: CaptureView, limit = 60, max = 120): FrameRow[] {
  const frames = view.frames.slice(-limit);
  return frames.map((f) => ({
    key: `${view.specimen ?? 0}:${f.dir}:${f.start}`,
    dir: f.dir,
    arrow: f.dir === "in" ? "↑" : "↓",
    who: f.dir === "in" ? "you → lab" : "lab → you",
    opcode: describeOpcode(f.frame.opcode).name,
    size: f.end - f.start,
    payload: f.frame.payloadLength,
    masked: f.frame.masked,
    maskingKey: f.frame.maskingKey ? Array.from(f.frame.maskingKey, (b) => b.toString(16).padStart(2, "0")).join(" ") : null,
    text: payloadText(f, max),
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
  return { framesUp, framesDown, bytesUp, bytesDown, handshakeBytes: (view.request?.bytes.length ?? 0) + (view.response?.bytes.length ?? 0) };
}

/** One sentence for a screen reader or a caption. */
export function describeRow(row: FrameRow): string {
  return `${row.who}: ${row.masked ? "masked" : "unmasked"} ${row.opcode} frame, ${row.size} bytes on the wire: ${row.text}`;
}
