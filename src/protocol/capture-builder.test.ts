// The incremental capture builder against the batch replay it replaced: for random captures
// (several monitors and specimens, frames split anywhere across reads, truncated captures,
// protocol errors, notes), the view after every push must equal a replay of that prefix, and
// what each push reports as added must add up to the view. Fixed seed, so a failure replays
// identically.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildCaptureView,
  CaptureBuilder,
  type CapturedChunk,
  type CapturedFrame,
  type CapturedHead,
  type CapturedMessage,
  type CaptureView,
} from "./capture.ts";
import { bytesToBase64, base64ToBytes } from "./base64.ts";
import { concatBytes } from "./bytes.ts";
import { encodeFrame } from "./frame-encode.ts";
import { FrameDecoder } from "./frame-decoder.ts";
import { MessageAssembler } from "./message-assembler.ts";
import { handshakeExample } from "./rfc-examples.ts";
import type { Direction, TapEvent, TapLimits } from "./tap-events.ts";

const settings = { seed: 6455, numRuns: 300 };
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/**
 * The two-pass replay that buildCaptureView used to be, kept verbatim as the oracle: first find
 * the latest open and the hello before it, then replay from that hello. Written independently of
 * the builder's single pass, so agreeing with it means something.
 */
function replayTwoPass(events: readonly TapEvent[], upTo = events.length): CaptureView {
  const end = Math.max(0, Math.min(upTo, events.length));
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
  const view: CaptureView = {
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
  const bodyText = new TextDecoder();
  const decoders: Record<Direction, FrameDecoder> = {
    in: new FrameDecoder({ direction: "client-to-server" }),
    out: new FrameDecoder({ direction: "server-to-client" }),
  };
  const assemblers: Record<Direction, MessageAssembler> = { in: new MessageAssembler(), out: new MessageAssembler() };
  const stopped: Record<Direction, boolean> = { in: false, out: false };
  for (let i = from; i < end; i++) {
    const e = events[i]!;
    if (e.type === "dropped") {
      view.notes.push({
        t: e.t,
        text: `The monitor fell behind: ${e.events} events (${e.bytes} bytes) were left out of this capture.`,
      });
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
        const head: CapturedHead = { t: e.t, bytes, text: String.fromCharCode(...bytes), event: i };
        if (e.type === "request") view.request = head;
        else view.response = head;
        break;
      }
      case "chunk": {
        const bytes = e.data === undefined ? null : base64ToBytes(e.data);
        view.chunks.push({ dir: e.dir, t: e.t, offset: e.offset, length: e.length, bytes, event: i });
        if (view.response && !view.response.text.startsWith("HTTP/1.1 101 ")) {
          if (e.dir === "out" && bytes)
            view.refusalBody = (view.refusalBody ?? "") + bodyText.decode(bytes, { stream: true });
          break;
        }
        if (stopped[e.dir]) break;
        if (bytes === null) {
          stopped[e.dir] = true;
          view.notes.push({
            t: e.t,
            text: `The capture limit was reached: later ${e.dir === "in" ? "client" : "server"} bytes were counted but not kept, so their frames are not shown.`,
          });
          break;
        }
        for (const decoded of decoders[e.dir].push(bytes)) {
          if (decoded.kind === "error") {
            view.errors.push({ dir: e.dir, error: decoded.error });
            stopped[e.dir] = true;
            break;
          }
          const base = (e.dir === "in" ? view.request?.bytes.length : view.response?.bytes.length) ?? 0;
          const start = base + decoded.start;
          const stop = base + decoded.end;
          const assembled = assemblers[e.dir].push({ frame: decoded.frame, start, end: stop });
          view.frames.push({
            dir: e.dir,
            t: e.t,
            start,
            end: stop,
            frame: decoded.frame,
            close: assembled.kind === "control" ? assembled.close : null,
            event: i,
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

// ---- random captures -------------------------------------------------------------------------

const time = fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1000);
/** Mostly the first specimen, so most chunks belong to the connection on show. */
const specimen = fc.oneof(
  { weight: 4, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) },
);
const direction = fc.constantFrom<Direction>("in", "out");
const tuple = { clientAddress: "127.0.0.1", clientPort: 50000, serverAddress: "127.0.0.1", serverPort: 4321 };

const hello = fc
  .record({ captureBytes: fc.nat(), eventsPerSecond: fc.nat(), monitorBufferBytes: fc.nat() })
  .map((limits): TapEvent => ({ type: "hello", v: 1, token: "t".repeat(22), limits }));
const open = fc.tuple(time, specimen, fc.nat(65535)).map(([t, s, port]): TapEvent => ({
  type: "open",
  t,
  specimen: s,
  path: "/lab/echo",
  tuple: { ...tuple, clientPort: port },
}));
const headData = fc.oneof(
  fc.constantFrom(
    bytesToBase64(ascii(handshakeExample.request)),
    bytesToBase64(ascii(handshakeExample.response)),
    "not base64!",
  ),
  fc.uint8Array({ maxLength: 24 }).map(bytesToBase64),
);
const head = fc
  .tuple(fc.constantFrom("request" as const, "response" as const), time, specimen, headData)
  .map(([type, t, s, data]): TapEvent => ({ type, t, specimen: s, offset: 0, data }));

const text = fc.string({ maxLength: 30 }).map((t) => new TextEncoder().encode(t));

function encoded(
  dir: Direction,
  key: Uint8Array,
  frame: { opcode: number; fin: boolean; payload: Uint8Array },
  wrongMasking = false,
): Uint8Array {
  const masked = (dir === "in") !== wrongMasking;
  const out = encodeFrame({ ...frame, maskingKey: masked ? key : null });
  if (!out.ok) throw new Error(out.error);
  return out.bytes;
}

/** A text or binary message in one to three frames (RFC 6455 §5.4). */
const message = fc.tuple(
  fc.constantFrom(1, 2),
  fc.oneof(text, fc.uint8Array({ maxLength: 30 })),
  fc.integer({ min: 1, max: 3 }),
);
const control = fc.tuple(
  fc.constantFrom(8, 9, 10),
  fc.oneof(text, fc.constantFrom(Uint8Array.of(0x03, 0xe8), concatBytes([Uint8Array.of(0x0f, 0xa1), ascii("bye")]))),
);
/** Anything the encoder can write: reserved opcodes, fragmented control frames, bad UTF-8. */
const anyFrame = fc.record({
  opcode: fc.integer({ min: 0, max: 15 }),
  fin: fc.boolean(),
  payload: fc.uint8Array({ maxLength: 30 }),
});

/** Frames of one direction, mostly well formed (masked from the client), sometimes not. */
const frameBytes = (dir: Direction): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      fc.uint8Array({ minLength: 4, maxLength: 4 }),
      fc.oneof(
        {
          weight: 6,
          arbitrary: message.map(([opcode, data, parts]) => ({ kind: "message" as const, opcode, data, parts })),
        },
        { weight: 2, arbitrary: control.map(([opcode, payload]) => ({ kind: "control" as const, opcode, payload })) },
        { weight: 1, arbitrary: anyFrame.map((frame) => ({ kind: "any" as const, frame })) },
        { weight: 1, arbitrary: message.map(([opcode, data]) => ({ kind: "wrong-masking" as const, opcode, data })) },
      ),
    )
    .map(([key, pick]) => {
      switch (pick.kind) {
        case "message": {
          const size = Math.ceil(pick.data.length / pick.parts);
          const frames = Array.from({ length: pick.parts }, (_, i) =>
            encoded(dir, key, {
              opcode: i === 0 ? pick.opcode : 0,
              fin: i === pick.parts - 1,
              payload: pick.data.subarray(i * size, (i + 1) * size),
            }),
          );
          return concatBytes(frames);
        }
        case "control":
          return encoded(dir, key, { opcode: pick.opcode, fin: true, payload: pick.payload });
        case "any":
          return encoded(dir, key, pick.frame);
        case "wrong-masking":
          return encoded(dir, key, { opcode: pick.opcode, fin: true, payload: pick.data }, true);
      }
    });

/** One stretch of a direction's stream, cut into reads or writes at random places. */
const chunks = fc.tuple(time, specimen, direction, fc.nat(100_000)).chain(([t, s, dir, offset]) =>
  fc
    .tuple(
      fc.oneof(
        { arbitrary: fc.array(frameBytes(dir), { minLength: 1, maxLength: 3 }).map(concatBytes), weight: 9 },
        { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }), weight: 1 },
      ),
      fc.array(fc.nat(), { maxLength: 3 }),
      fc.oneof({ arbitrary: fc.constant(false), weight: 19 }, { arbitrary: fc.constant(true), weight: 1 }),
    )
    .map(([stream, cuts, truncated]): TapEvent[] => {
      const points = [...new Set([0, ...cuts.map((c) => c % stream.length), stream.length])].sort((a, b) => a - b);
      return points.slice(1).map((end, i) => {
        const start = points[i]!;
        const base = {
          type: "chunk" as const,
          t: t + i,
          specimen: s,
          dir,
          offset: offset + start,
          length: end - start,
        };
        return truncated
          ? { ...base, truncated: true as const }
          : { ...base, data: bytesToBase64(stream.subarray(start, end)) };
      });
    }),
);

const close = fc
  .tuple(
    time,
    specimen,
    fc.constantFrom(1000, 1005, 1006, 4001),
    fc.constantFrom("client" as const, "server" as const, "network" as const),
    fc.boolean(),
  )
  .map(([t, s, code, initiator, wasClean]): TapEvent => ({
    type: "close",
    t,
    specimen: s,
    code,
    reason: "",
    initiator,
    wasClean,
  }));
const command = fc.tuple(time, specimen, fc.boolean()).map(([t, s, ok]): TapEvent => ({
  type: "command",
  t,
  specimen: s,
  command: "ping",
  ok,
  detail: ok ? "Pinged" : "not open",
}));
const dropped = fc
  .tuple(time, fc.nat(50), fc.nat(5000))
  .map(([t, events, bytes]): TapEvent => ({ type: "dropped", t, events, bytes }));
const labError = time.map((t): TapEvent => ({ type: "error", t, message: `problem at ${t}` }));

const single = (a: fc.Arbitrary<TapEvent>) => a.map((e) => [e]);
const capture = fc
  .array(
    fc.oneof(
      { arbitrary: single(hello), weight: 1 },
      { arbitrary: single(open), weight: 2 },
      { arbitrary: single(head), weight: 2 },
      { arbitrary: chunks, weight: 8 },
      { arbitrary: single(close), weight: 1 },
      { arbitrary: single(command), weight: 1 },
      { arbitrary: single(dropped), weight: 1 },
      { arbitrary: single(labError), weight: 1 },
    ),
    { maxLength: 25 },
  )
  .map((groups) => groups.flat());

/** A realistic start: a monitor, then a specimen with its real handshake. */
const afterHandshake = (s: number): TapEvent[] => [
  {
    type: "hello",
    v: 1,
    token: "t".repeat(22),
    limits: { captureBytes: 1 << 20, eventsPerSecond: 500, monitorBufferBytes: 1 << 20 },
  },
  { type: "open", t: 1, specimen: s, path: "/lab/echo", tuple },
  { type: "request", t: 2, specimen: s, offset: 0, data: bytesToBase64(ascii(handshakeExample.request)) },
  { type: "response", t: 3, specimen: s, offset: 0, data: bytesToBase64(ascii(handshakeExample.response)) },
];
const captures = fc.oneof(
  capture,
  capture.map((rest) => [...afterHandshake(1), ...rest]),
);

// ---- properties ------------------------------------------------------------------------------

describe("capture builder", () => {
  it("after every push, shows what replaying that prefix shows (and buildCaptureView agrees)", () => {
    fc.assert(
      fc.property(captures, (events) => {
        const builder = new CaptureBuilder();
        expect(builder.view).toEqual(replayTwoPass(events, 0));
        for (let i = 0; i < events.length; i++) {
          builder.push(events[i]!);
          const replayed = replayTwoPass(events, i + 1);
          expect(builder.view).toEqual(replayed);
          expect(buildCaptureView(events, i + 1)).toEqual(replayed);
          expect(builder.count).toBe(i + 1);
        }
      }),
      settings,
    );
  });

  it("reports what each push added, and those reports add up to the view", () => {
    fc.assert(
      fc.property(captures, (events) => {
        const builder = new CaptureBuilder();
        const added = {
          chunks: [] as CapturedChunk[],
          frames: [] as CapturedFrame[],
          messages: [] as CapturedMessage[],
          notes: [] as CaptureView["notes"],
          errors: [] as CaptureView["errors"],
        };
        for (const event of events) {
          const before = builder.view;
          const change = builder.push(event);
          expect(builder.lastChange).toBe(change);
          expect(change.reset).toBe(event.type === "open");
          expect(change.reset).toBe(builder.view !== before);
          if (change.reset) for (const list of Object.values(added)) list.length = 0;
          added.chunks.push(...change.chunks);
          added.frames.push(...change.frames);
          added.messages.push(...change.messages);
          added.notes.push(...change.notes);
          added.errors.push(...change.errors);
          expect(added).toEqual({
            chunks: builder.view.chunks,
            frames: builder.view.frames,
            messages: builder.view.messages,
            notes: builder.view.notes,
            errors: builder.view.errors,
          });
        }
      }),
      settings,
    );
  });

  it("grows one view in place between opens, so a live reader can keep it", () => {
    const events: TapEvent[] = [
      ...afterHandshake(1),
      {
        type: "chunk",
        t: 4,
        specimen: 1,
        dir: "out",
        offset: 129,
        length: 7,
        data: bytesToBase64(Uint8Array.of(0x81, 0x05, ...ascii("Hello"))),
      },
    ];
    const builder = new CaptureBuilder();
    for (const event of events.slice(0, 4)) builder.push(event);
    const view = builder.view;
    const change = builder.push(events[4]!);
    expect(builder.view).toBe(view);
    expect(change).toMatchObject({
      reset: false,
      chunks: [{ dir: "out", length: 7 }],
      frames: [{ dir: "out", event: 4 }],
      messages: [{ text: "Hello" }],
      notes: [],
      errors: [],
    });
    expect(builder.push({ type: "open", t: 9, specimen: 2, path: "/lab/echo", tuple }).reset).toBe(true);
    expect(builder.view).not.toBe(view);
    expect(builder.view).toMatchObject({ specimen: 2, frames: [], request: null });
  });
});
