// From tap events to what the frame inspector shows. A capture is the list of events the lab's
// monitor sent (or a recording loaded from a file); `buildCaptureView(events, upTo)` replays the
// first `upTo` of them and returns the latest specimen connection as the reader should see it:
// the upgrade request and 101 response exactly as they crossed the wire, every TCP read and
// write ("chunks"), the frames parsed from the byte stream of each direction (with the same
// decoder the tests use), the messages they carry, and how the connection ended. Frames and
// chunks keep their stream offsets, so a view can draw where TCP boundaries and frame
// boundaries do not line up (RFC 9293 §3.1: TCP carries a byte stream, not messages).
import { base64ToBytes } from "./base64.ts";
import { FrameDecoder } from "./frame-decoder.ts";
import type { FrameError } from "./frame-error.ts";
import type { DecodedFrame, Direction as FrameDirection } from "./frame-types.ts";
import { MessageAssembler } from "./message-assembler.ts";
import type { ClosePayload } from "./close-payload.ts";
import type { Direction, FourTuple, TapEvent, TapLimits } from "./tap-events.ts";

export interface CapturedChunk {
  dir: Direction;
  t: number;
  offset: number;
  length: number;
  /** Null when the capture limit was reached before this chunk. */
  bytes: Uint8Array | null;
  event: number;
}

export interface CapturedFrame {
  dir: Direction;
  /** Server time of the chunk that completed the frame. */
  t: number;
  start: number;
  end: number;
  frame: DecodedFrame;
  /** For close frames, the code and reason inside. */
  close: ClosePayload | null;
  /** Index of the event whose chunk completed the frame. */
  event: number;
}

export interface CapturedMessage {
  dir: Direction;
  t: number;
  type: "text" | "binary";
  text: string | null;
  data: Uint8Array;
  frames: number;
  start: number;
  end: number;
}

export interface CapturedHead {
  t: number;
  bytes: Uint8Array;
  text: string;
  event: number;
}

export interface CaptureView {
  limits: TapLimits | null;
  specimen: number | null;
  path: string | null;
  tuple: FourTuple | null;
  openedAt: number | null;
  request: CapturedHead | null;
  response: CapturedHead | null;
  chunks: CapturedChunk[];
  frames: CapturedFrame[];
  messages: CapturedMessage[];
  close: Extract<TapEvent, { type: "close" }> | null;
  /** Protocol errors found while decoding each direction (the decoder stops at the first). */
  errors: { dir: Direction; error: FrameError }[];
  /** Things worth telling the reader: dropped events, truncated capture, lab errors, commands. */
  notes: { t: number; text: string }[];
}

const frameDirection: Record<Direction, FrameDirection> = { in: "client-to-server", out: "server-to-client" };

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function emptyView(limits: TapLimits | null): CaptureView {
  return { limits, specimen: null, path: null, tuple: null, openedAt: null, request: null, response: null, chunks: [], frames: [], messages: [], close: null, errors: [], notes: [] };
}

/** Replays events[0, upTo) and describes the latest specimen connection among them. */
export function buildCaptureView(events: readonly TapEvent[], upTo = events.length): CaptureView {
  const end = Math.max(0, Math.min(upTo, events.length));
  // Specimen numbers count per monitor; a recording may span several monitors (the page
  // reopened one after the lab restarted), so the latest specimen is looked for only after
  // the hello of the monitor that reported its opening.
  let latest: number | null = null;
  let limits: TapLimits | null = null;
  let from = 0;
  let lastHello = 0;
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.type === "hello") {
      limits = e.limits;
      lastHello = i;
    }
    if (e.type === "open") {
      latest = e.specimen;
      from = lastHello;
    }
  }
  const view = emptyView(limits);
  const decoders: Record<Direction, FrameDecoder> = {
    in: new FrameDecoder({ direction: frameDirection.in }),
    out: new FrameDecoder({ direction: frameDirection.out }),
  };
  const assemblers: Record<Direction, MessageAssembler> = { in: new MessageAssembler(), out: new MessageAssembler() };
  const stopped: Record<Direction, boolean> = { in: false, out: false };

  for (let i = from; i < end; i++) {
    const e = events[i]!;
    if (e.type === "dropped") {
      view.notes.push({ t: e.t, text: `The monitor fell behind: ${e.events} events (${e.bytes} bytes) were left out of this capture.` });
      continue;
    }
    if (e.type === "error") {
      view.notes.push({ t: e.t, text: e.message });
      continue;
    }
    if (e.type === "hello" || !("specimen" in e) || e.specimen !== latest) continue;
    switch (e.type) {
      case "open":
        view.specimen = e.specimen;
        view.path = e.path;
        view.tuple = e.tuple;
        view.openedAt = e.t;
        break;
      case "request":
      case "response": {
        const bytes = base64ToBytes(e.data) ?? new Uint8Array(0);
        const head: CapturedHead = { t: e.t, bytes, text: latin1(bytes), event: i };
        if (e.type === "request") view.request = head;
        else view.response = head;
        break;
      }
      case "chunk": {
        const bytes = e.data === undefined ? null : base64ToBytes(e.data);
        view.chunks.push({ dir: e.dir, t: e.t, offset: e.offset, length: e.length, bytes, event: i });
        if (stopped[e.dir]) break;
        if (bytes === null) {
          stopped[e.dir] = true;
          view.notes.push({ t: e.t, text: `The capture limit was reached: later ${e.dir === "in" ? "client" : "server"} bytes were counted but not kept, so their frames are not shown.` });
          break;
        }
        for (const decoded of decoders[e.dir].push(bytes)) {
          if (decoded.kind === "error") {
            view.errors.push({ dir: e.dir, error: decoded.error });
            stopped[e.dir] = true;
            break;
          }
          // Decoder offsets count from the first post-handshake byte; the wire offset adds the head.
          const base = (e.dir === "in" ? view.request?.bytes.length : view.response?.bytes.length) ?? 0;
          const start = base + decoded.start;
          const stop = base + decoded.end;
          const assembled = assemblers[e.dir].push({ frame: decoded.frame, start, end: stop });
          view.frames.push({ dir: e.dir, t: e.t, start, end: stop, frame: decoded.frame, close: assembled.kind === "control" ? assembled.close : null, event: i });
          if (assembled.kind === "message") {
            const m = assembled.message;
            view.messages.push({ dir: e.dir, t: e.t, type: m.type, text: m.text, data: m.data, frames: m.frames, start: m.start, end: m.end });
          } else if (assembled.kind === "error") {
            view.errors.push({ dir: e.dir, error: assembled.error });
          }
        }
        break;
      }
      case "close":
        view.close = e;
        break;
      case "command":
        view.notes.push({ t: e.t, text: e.ok ? e.detail : `The lab could not do that: ${e.detail}` });
        break;
    }
  }
  return view;
}
