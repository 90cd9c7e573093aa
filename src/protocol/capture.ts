// From tap events to what the frame inspector shows. A capture is the list of events the lab's
// monitor sent (or a recording loaded from a file); it is read as the latest specimen connection
// as the reader should see it: the upgrade request and 101 response exactly as they crossed the
// wire, every TCP read and write ("chunks"), the frames parsed from the byte stream of each
// direction (with the same decoder the tests use), the messages they carry, and how the
// connection ended. Frames and chunks keep their stream offsets, so a view can draw where TCP
// boundaries and frame boundaries do not line up (RFC 9293 §2.2: TCP carries a byte stream, not
// messages).
//
// `CaptureBuilder` takes the events one at a time, so a live view pays for each new event only,
// and says what each push added. `buildCaptureView(events, upTo)` is the same builder fed the
// first `upTo` events, for views that replay a recording to a step.
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
  errors: CaptureError[];
  /** Things worth telling the reader: dropped events, truncated capture, lab errors, commands. */
  notes: CaptureNote[];
  /**
   * When the answer was not 101, the body that came with it (the server's reason, as text): the
   * connection stayed HTTP, so those bytes are not frames and are never decoded as frames.
   */
  refusalBody: string | null;
}

export interface CaptureError {
  dir: Direction;
  error: FrameError;
}

export interface CaptureNote {
  t: number;
  text: string;
}

/** What one push added to the view. After a reset every part of the new view counts as added. */
export interface CaptureChange {
  /** The push opened a specimen, so the view started again from that connection. */
  reset: boolean;
  chunks: readonly CapturedChunk[];
  frames: readonly CapturedFrame[];
  messages: readonly CapturedMessage[];
  notes: readonly CaptureNote[];
  errors: readonly CaptureError[];
}

const frameDirection: Record<Direction, FrameDirection> = { in: "client-to-server", out: "server-to-client" };

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function emptyView(limits: TapLimits | null): CaptureView {
  return {
    limits,
    specimen: null,
    path: null,
    tuple: null,
    openedAt: null,
    request: null,
    response: null,
    chunks: [],
    frames: [],
    messages: [],
    close: null,
    errors: [],
    notes: [],
    refusalBody: null,
  };
}

/** A tap event with its position in the capture (the `event` index that views keep). */
interface IndexedEvent {
  event: TapEvent;
  index: number;
}

/**
 * One view of one specimen, grown event by event: the decoders and message assemblers of both
 * directions live as long as the view, so each chunk is decoded once, where it continues the stream.
 */
class SpecimenView {
  readonly view: CaptureView;
  readonly #specimen: number | null;
  readonly #decoders: Record<Direction, FrameDecoder> = {
    in: new FrameDecoder({ direction: frameDirection.in }),
    out: new FrameDecoder({ direction: frameDirection.out }),
  };
  readonly #assemblers: Record<Direction, MessageAssembler> = {
    in: new MessageAssembler(),
    out: new MessageAssembler(),
  };
  readonly #stopped: Record<Direction, boolean> = { in: false, out: false };
  readonly #bodyText = new TextDecoder();

  constructor(specimen: number | null, limits: TapLimits | null) {
    this.#specimen = specimen;
    this.view = emptyView(limits);
  }

  apply(e: TapEvent, index: number): void {
    const view = this.view;
    if (e.type === "dropped") {
      view.notes.push({
        t: e.t,
        text: `The monitor fell behind: ${e.events} events (${e.bytes} bytes) were left out of this capture.`,
      });
      return;
    }
    if (e.type === "error") {
      view.notes.push({ t: e.t, text: e.message });
      return;
    }
    if (e.type === "hello" || e.specimen !== this.#specimen) return;
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
        const head: CapturedHead = { t: e.t, bytes, text: latin1(bytes), event: index };
        if (e.type === "request") view.request = head;
        else view.response = head;
        break;
      }
      case "chunk":
        this.#applyChunk(e, index);
        break;
      case "close":
        view.close = e;
        break;
      case "command":
        view.notes.push({ t: e.t, text: e.ok ? e.detail : `The lab could not do that: ${e.detail}` });
        break;
    }
  }

  #applyChunk(e: Extract<TapEvent, { type: "chunk" }>, index: number): void {
    const view = this.view;
    const bytes = e.data === undefined ? null : base64ToBytes(e.data);
    view.chunks.push({ dir: e.dir, t: e.t, offset: e.offset, length: e.length, bytes, event: index });
    if (view.response !== null && !view.response.text.startsWith("HTTP/1.1 101 ")) {
      if (e.dir === "out" && bytes !== null)
        view.refusalBody = (view.refusalBody ?? "") + this.#bodyText.decode(bytes, { stream: true });
      return;
    }
    if (this.#stopped[e.dir]) return;
    if (bytes === null) {
      this.#stopped[e.dir] = true;
      view.notes.push({
        t: e.t,
        text: `The capture limit was reached: later ${e.dir === "in" ? "client" : "server"} bytes were counted but not kept, so their frames are not shown.`,
      });
      return;
    }
    for (const decoded of this.#decoders[e.dir].push(bytes)) {
      if (decoded.kind === "error") {
        view.errors.push({ dir: e.dir, error: decoded.error });
        this.#stopped[e.dir] = true;
        return;
      }
      // Decoder offsets count from the first post-handshake byte; the wire offset adds the head.
      const base = (e.dir === "in" ? view.request?.bytes.length : view.response?.bytes.length) ?? 0;
      const start = base + decoded.start;
      const end = base + decoded.end;
      const assembled = this.#assemblers[e.dir].push({ frame: decoded.frame, start, end });
      view.frames.push({
        dir: e.dir,
        t: e.t,
        start,
        end,
        frame: decoded.frame,
        close: assembled.kind === "control" ? assembled.close : null,
        event: index,
      });
      if (assembled.kind === "message") {
        const m = assembled.message;
        view.messages.push({
          dir: e.dir,
          t: e.t,
          type: m.type,
          text: m.text,
          data: m.data,
          frames: m.frames,
          start: m.start,
          end: m.end,
        });
      } else if (assembled.kind === "error") {
        view.errors.push({ dir: e.dir, error: assembled.error });
      }
    }
  }
}

/**
 * What a later `open` has to replay: everything since the latest monitor hello that could reach a
 * view, that is the notes (dropped, error) and each specimen's own events. Kept apart so that a
 * reconnect replays its notes and its own few events, not every event of the connections before.
 */
class EventsSinceHello {
  readonly #notes: IndexedEvent[] = [];
  readonly #bySpecimen = new Map<number, IndexedEvent[]>();

  remember(event: TapEvent, index: number): void {
    if (event.type === "hello") return;
    if (event.type === "dropped" || event.type === "error") {
      this.#notes.push({ event, index });
      return;
    }
    const own = this.#bySpecimen.get(event.specimen);
    if (own) own.push({ event, index });
    else this.#bySpecimen.set(event.specimen, [{ event, index }]);
  }

  /** The notes and the events of `specimen`, in capture order (both lists are already in order). */
  *relevantTo(specimen: number): Generator<IndexedEvent> {
    const notes = this.#notes;
    const own = this.#bySpecimen.get(specimen) ?? [];
    let n = 0;
    let o = 0;
    while (n < notes.length || o < own.length) {
      if (o >= own.length || (n < notes.length && notes[n]!.index < own[o]!.index)) yield notes[n++]!;
      else yield own[o++]!;
    }
  }
}

const noChange: CaptureChange = { reset: false, chunks: [], frames: [], messages: [], notes: [], errors: [] };

/**
 * Builds the capture view one tap event at a time, with the same result as replaying all of them.
 *
 * Specimen numbers count per monitor, and a capture may span several monitors (the page reopened
 * one after the lab restarted), so the view shows the specimen of the latest `open`, together
 * with the notes since the hello of the monitor that reported that open. Each `open` therefore
 * starts a new view (a reset) from what came since that hello; every other event only appends.
 *
 * `view` is grown in place until the next reset replaces it: read it, do not keep it expecting
 * it to stay still. Every push costs the work of that event, amortised O(1) in the capture's
 * length; an `open` costs the notes and that specimen's events since the latest hello.
 */
export class CaptureBuilder {
  #current = new SpecimenView(null, null);
  #limits: TapLimits | null = null;
  #sinceHello = new EventsSinceHello();
  #count = 0;
  #lastChange: CaptureChange = noChange;

  /** The view after every event pushed so far. */
  get view(): CaptureView {
    return this.#current.view;
  }

  /** How many events have been pushed. */
  get count(): number {
    return this.#count;
  }

  /** What the latest push added (nothing before the first push). */
  get lastChange(): CaptureChange {
    return this.#lastChange;
  }

  push(event: TapEvent): CaptureChange {
    const index = this.#count++;
    this.#sinceHello.remember(event, index);
    const before = this.#current.view;
    const counts = {
      chunks: before.chunks.length,
      frames: before.frames.length,
      messages: before.messages.length,
      notes: before.notes.length,
      errors: before.errors.length,
    };
    if (event.type === "hello") this.#meetMonitor(event.limits);
    else if (event.type === "open") this.#startView(event.specimen);
    else this.#current.apply(event, index);
    const view = this.#current.view;
    const reset = view !== before;
    const since = (name: keyof typeof counts): number => (reset ? 0 : counts[name]);
    this.#lastChange = {
      reset,
      chunks: view.chunks.slice(since("chunks")),
      frames: view.frames.slice(since("frames")),
      messages: view.messages.slice(since("messages")),
      notes: view.notes.slice(since("notes")),
      errors: view.errors.slice(since("errors")),
    };
    return this.#lastChange;
  }

  #meetMonitor(limits: TapLimits): void {
    this.#limits = limits;
    this.#current.view.limits = limits;
    this.#sinceHello = new EventsSinceHello();
  }

  #startView(specimen: number): void {
    this.#current = new SpecimenView(specimen, this.#limits);
    for (const { event, index } of this.#sinceHello.relevantTo(specimen)) this.#current.apply(event, index);
  }
}

/** Replays events[0, upTo) and describes the latest specimen connection among them. */
export function buildCaptureView(events: readonly TapEvent[], upTo = events.length): CaptureView {
  const end = Math.max(0, Math.min(upTo, events.length));
  const builder = new CaptureBuilder();
  for (let i = 0; i < end; i++) builder.push(events[i]!);
  return builder.view;
}
