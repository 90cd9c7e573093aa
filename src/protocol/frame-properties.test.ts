// Property-based tests of the frame code: round trips at the length boundaries, decoding that
// does not depend on how TCP splits the stream, no exceptions on any input, and dissection
// that accounts for every bit exactly once. Fixed seed, so a failure replays identically.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, dissectFrame, encodeFrame, FrameDecoder, MessageAssembler } from "./frame.ts";
import type { DecoderEvent, FrameInput, FrameRules } from "./frame.ts";
import { concatBytes } from "./bytes.ts";

const settings = { seed: 42, numRuns: 1000 };

/** Fast deterministic filler for large payloads; fast-check drives the seed. */
function filled(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const boundaryLength = fc.oneof(
  fc.constantFrom(0, 1, 124, 125, 126, 127, 65535, 65536, 65537),
  fc.integer({ min: 0, max: 130 }),
  fc.integer({ min: 65530, max: 65540 }),
  fc.integer({ min: 0, max: 70000 }),
);

const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(boundaryLength, fc.integer()).map(([n, seed]) => filled(n, seed)),
);

const maskingKey = fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: null });

const dataFrame: fc.Arbitrary<FrameInput> = fc.record({
  fin: fc.boolean(),
  rsv1: fc.boolean(),
  rsv2: fc.boolean(),
  rsv3: fc.boolean(),
  opcode: fc.constantFrom(0, 1, 2),
  maskingKey,
  payload,
});

const controlFrame: fc.Arbitrary<FrameInput> = fc.record({
  fin: fc.constant(true),
  opcode: fc.constantFrom(9, 10),
  maskingKey,
  payload: fc.uint8Array({ maxLength: 125 }),
});

const anyValidFrame = fc.oneof(dataFrame, controlFrame);
const everyRsv: FrameRules = { allowRsv: { rsv1: true, rsv2: true, rsv3: true } };

function bytesOf(frame: FrameInput): Uint8Array {
  const result = encodeFrame(frame);
  if (!result.ok) throw new Error(result.error);
  return result.bytes;
}

/** Valid frames with some bytes changed: reaches deeper into the decoder than pure noise. */
const mutatedFrames = fc
  .tuple(
    fc.array(
      anyValidFrame.filter((f) => (f.payload?.length ?? 0) < 400),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
  )
  .map(([frames, changes]) => {
    const bytes = concatBytes(frames.map(bytesOf));
    for (const [at, value] of changes) bytes[at % bytes.length] = value;
    return bytes;
  });

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutatedFrames);

const rules: fc.Arbitrary<FrameRules> = fc.record({
  direction: fc.constantFrom(undefined, "client-to-server" as const, "server-to-client" as const),
  allowRsv: fc.record({ rsv1: fc.boolean(), rsv2: fc.boolean(), rsv3: fc.boolean() }),
  maxPayloadLength: fc.constantFrom(undefined, 10, 200, 70000),
});

function decodeInChunks(
  bytes: Uint8Array,
  cuts: number[],
  decoderRules: FrameRules,
): { events: DecoderEvent[]; buffered: number } {
  const decoder = new FrameDecoder(decoderRules);
  const events: DecoderEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...decoder.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return { events, buffered: decoder.buffered };
}

describe("frame properties", () => {
  it("decode(encode(frame)) gives the frame back, in the shortest length form", () => {
    fc.assert(
      fc.property(anyValidFrame, (input) => {
        const bytes = bytesOf(input);
        const n = input.payload!.length;
        const expectedHeader = 2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + (input.maskingKey ? 4 : 0);
        const result = decodeFrame(bytes, {
          ...everyRsv,
          direction: input.maskingKey ? "client-to-server" : "server-to-client",
        });
        if (result.kind !== "frame") return false;
        const f = result.frame;
        return (
          f.headerLength === expectedHeader &&
          bytes.length === expectedHeader + n &&
          f.fin === (input.fin ?? true) &&
          f.rsv1 === !!input.rsv1 &&
          f.rsv2 === !!input.rsv2 &&
          f.rsv3 === !!input.rsv3 &&
          f.opcode === input.opcode &&
          f.masked === !!input.maskingKey &&
          f.payloadLength === n &&
          equalBytes(f.payload, input.payload!) &&
          equalBytes(f.raw, bytes) &&
          (input.maskingKey ? equalBytes(f.maskingKey!, input.maskingKey) : f.maskingKey === null)
        );
      }),
      settings,
    );
  });

  it("decoding a stream of frames does not depend on where it is split", () => {
    fc.assert(
      fc.property(
        fc.array(
          anyValidFrame.filter((f) => (f.payload?.length ?? 0) < 2000),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.nat(), { maxLength: 8 }),
        (frames, rawCuts) => {
          const bytes = concatBytes(frames.map(bytesOf));
          const whole = decodeInChunks(bytes, [], everyRsv);
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const split = decodeInChunks(bytes, cuts, everyRsv);
          expect(whole.events.map((e) => e.kind)).toEqual(frames.map(() => "frame"));
          expect(split).toEqual(whole);
        },
      ),
      settings,
    );
  });

  it("gives the same frames and errors when fed one byte at a time, for any bytes", () => {
    fc.assert(
      fc.property(anyBytes, rules, (bytes, decoderRules) => {
        const whole = decodeInChunks(bytes, [], decoderRules);
        const everyByte = decodeInChunks(
          bytes,
          Array.from({ length: bytes.length }, (_, i) => i),
          decoderRules,
        );
        expect(everyByte).toEqual(whole);
      }),
      settings,
    );
  });

  it("splits a 64 KiB frame at every byte and still reads it once", () => {
    const bytes = bytesOf({ opcode: 2, maskingKey: new Uint8Array([1, 2, 3, 4]), payload: filled(65536, 7) });
    const split = decodeInChunks(
      bytes,
      Array.from({ length: bytes.length }, (_, i) => i),
      { direction: "client-to-server" },
    );
    expect(split.events).toHaveLength(1);
    expect(split.events[0]).toMatchObject({ kind: "frame", start: 0, end: bytes.length });
  });

  it("never throws on arbitrary bytes: a frame, need-more, or an error", () => {
    fc.assert(
      fc.property(anyBytes, rules, (bytes, decoderRules) => {
        const result = decodeFrame(bytes, decoderRules);
        expect(["frame", "need-more", "error"]).toContain(result.kind);
        if (result.kind === "need-more") expect(result.needed).toBeGreaterThan(0);
        if (result.kind === "error") {
          expect(result.error.offset).toBeGreaterThanOrEqual(0);
          expect(result.error.offset).toBeLessThan(Math.max(bytes.length, 1));
          expect([1002, 1007, 1009]).toContain(result.error.closeCode);
          expect(result.error.rfc).toMatch(/^RFC 6455 §/);
        }
        const decoder = new FrameDecoder(decoderRules);
        const assembler = new MessageAssembler({ maxMessageLength: 1000 });
        for (const event of decoder.push(bytes)) {
          if (event.kind === "frame")
            expect(["message", "fragment", "control", "error"]).toContain(assembler.push(event).kind);
        }
        dissectFrame(bytes, decoderRules);
      }),
      settings,
    );
  });

  it("dissectFrame accounts for every bit of every byte exactly once", () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, anyValidFrame.map(bytesOf)), (bytes) => {
        const d = dissectFrame(bytes);
        const covered = new Uint8Array(d.length * 8);
        for (const f of d.fields) {
          expect(f.bitLength).toBeGreaterThan(0);
          expect(f.byteStart).toBe(Math.floor(f.bitStart / 8));
          expect(f.byteEnd).toBe(Math.ceil((f.bitStart + f.bitLength) / 8));
          expect(equalBytes(f.bytes, bytes.subarray(f.byteStart, f.byteEnd))).toBe(true);
          for (let bit = f.bitStart; bit < f.bitStart + f.bitLength; bit++) covered[bit]!++;
        }
        expect(covered.every((c) => c === 1)).toBe(true);
        expect(d.length).toBeLessThanOrEqual(bytes.length);
        if (d.complete) expect(d.length).toBe(d.frameLength);
        else expect(d.length).toBe(bytes.length);
        expect(
          d.fields.every((f, i) => i === 0 || f.bitStart === d.fields[i - 1]!.bitStart + d.fields[i - 1]!.bitLength),
        ).toBe(true);
      }),
      settings,
    );
  });

  it("reassembles any text split into fragments with pings between them", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (text, rawCuts, interleave) => {
          const bytes = new TextEncoder().encode(text);
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const bounds = [0, ...cuts, bytes.length];
          const frames: Uint8Array[] = [];
          for (let i = 0; i + 1 < bounds.length; i++) {
            frames.push(
              bytesOf({
                opcode: i === 0 ? 1 : 0,
                fin: i + 2 === bounds.length,
                payload: bytes.subarray(bounds[i], bounds[i + 1]),
              }),
            );
            if (interleave) frames.push(bytesOf({ opcode: 9, payload: new Uint8Array([i]) }));
          }
          const decoder = new FrameDecoder({ direction: "server-to-client" });
          const assembler = new MessageAssembler();
          const results = decoder.push(concatBytes(frames)).map((e) => (e.kind === "frame" ? assembler.push(e) : e));
          const messages = results.filter((r) => r.kind === "message");
          expect(messages).toHaveLength(1);
          expect(messages[0]!.kind === "message" && messages[0]!.message.text).toBe(text);
        },
      ),
      settings,
    );
  });
});

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
