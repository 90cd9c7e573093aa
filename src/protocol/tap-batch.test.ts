import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytesToBase64 } from "./base64.ts";
import { CHUNK_HEADER_BYTES, createTapBatchWriter, readTapBatch, type ChunkRecord } from "./tap-batch.ts";
import type { TapEvent } from "./tap-events.ts";

const chunkRecord: fc.Arbitrary<ChunkRecord> = fc
  .record({
    t: fc.double({ min: 0, max: 4e12, noNaN: true }),
    specimen: fc.nat(),
    dir: fc.constantFrom("in" as const, "out" as const),
    offset: fc.nat({ max: 2 ** 40 }),
    pieces: fc.option(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 3 }), { nil: null }),
    truncatedLength: fc.nat({ max: 1e6 }),
  })
  .map(({ pieces, truncatedLength, ...rest }) => ({
    ...rest,
    length: pieces === null ? truncatedLength : pieces.reduce((n, p) => n + p.length, 0),
    data: pieces === null ? null : pieces.length === 1 ? pieces[0]! : pieces,
  }));

/** The event a reader should get for a chunk record. */
function expected(record: ChunkRecord): TapEvent {
  const { t, specimen, dir, offset, length } = record;
  if (record.data === null) return { type: "chunk", t, specimen, dir, offset, length, truncated: true };
  const pieces = record.data instanceof Uint8Array ? [record.data] : record.data;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return { type: "chunk", t, specimen, dir, offset, length, data: bytesToBase64(bytes) };
}

const otherEvent: fc.Arbitrary<TapEvent> = fc.oneof(
  fc.record({
    type: fc.constant("command" as const),
    t: fc.double({ min: 0, max: 4e12, noNaN: true }),
    specimen: fc.nat(),
    command: fc.string({ maxLength: 32 }),
    ok: fc.boolean(),
    detail: fc.string({ maxLength: 200, unit: "grapheme" }),
  }),
  fc.record({
    type: fc.constant("dropped" as const),
    t: fc.double({ min: 0, max: 4e12, noNaN: true }),
    events: fc.nat(),
    bytes: fc.nat(),
  }),
  fc.record({
    type: fc.constant("error" as const),
    t: fc.double({ min: 0, max: 4e12, noNaN: true }),
    message: fc.string({ maxLength: 300, unit: "binary" }),
  }),
);

type Item = { chunk: ChunkRecord } | { event: TapEvent };
const item: fc.Arbitrary<Item> = fc.oneof(
  chunkRecord.map((chunk) => ({ chunk })),
  otherEvent.map((event) => ({ event })),
);

describe("the binary batch a monitor message holds", () => {
  it("reads back every event, in order, exactly as written, across batches cut from the same memory", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(item, { maxLength: 20 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 64, max: 4096 }),
        (batches, slabBytes) => {
          const writer = createTapBatchWriter(slabBytes);
          const taken: Uint8Array[] = [];
          for (const batch of batches) {
            for (const entry of batch) {
              if ("chunk" in entry) writer.chunk(entry.chunk);
              else writer.event(JSON.stringify(entry.event));
            }
            const bytes = writer.take();
            expect(bytes === null).toBe(batch.length === 0);
            if (bytes) taken.push(bytes);
          }
          // Read after every batch was taken: a later batch must not have written over an earlier one.
          const nonEmpty = batches.filter((batch) => batch.length > 0);
          taken.forEach((bytes, i) => {
            const read = readTapBatch(bytes);
            expect(read.errors).toEqual([]);
            expect(read.events).toEqual(
              nonEmpty[i]!.map((entry) => ("chunk" in entry ? expected(entry.chunk) : entry.event)),
            );
          });
        },
      ),
    );
  });

  it("says how many bytes are waiting", () => {
    const writer = createTapBatchWriter();
    writer.chunk({ t: 1, specimen: 1, dir: "in", offset: 0, length: 3, data: Uint8Array.of(1, 2, 3) });
    expect(writer.size).toBe(CHUNK_HEADER_BYTES + 3);
    writer.take();
    expect(writer.size).toBe(0);
    expect(writer.take()).toBeNull();
  });

  it("refuses a chunk whose bytes do not add up to its length", () => {
    const writer = createTapBatchWriter();
    expect(() =>
      writer.chunk({ t: 1, specimen: 1, dir: "in", offset: 0, length: 4, data: Uint8Array.of(1, 2, 3) }),
    ).toThrow(/length 4 was given 3/);
  });

  it("never throws on bytes from anywhere, and names what was wrong", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const read = readTapBatch(bytes);
        expect(Array.isArray(read.events)).toBe(true);
      }),
    );
    const good = createTapBatchWriter();
    good.chunk({ t: 5, specimen: 2, dir: "out", offset: 10, length: 4, data: Uint8Array.of(0x81, 0x02, 0x68, 0x69) });
    const bytes = good.take()!;
    expect(readTapBatch(bytes.subarray(0, 10)).errors[0]).toMatch(/header runs past the end/);
    expect(readTapBatch(bytes.subarray(0, bytes.length - 1)).errors[0]).toMatch(/4 bytes run past the end/);
    expect(readTapBatch(Uint8Array.of(9)).errors[0]).toMatch(/unknown record kind 9/);
    const badDir = Uint8Array.from(bytes);
    badDir[1] = 7;
    expect(readTapBatch(badDir).errors[0]).toMatch(/direction must be 0 \(in\) or 1 \(out\)/);
    const notJson = Uint8Array.of(3, 2, 0, 0, 0, 0x7b, 0x7b);
    expect(readTapBatch(notJson).errors[0]).toMatch(/not UTF-8 JSON/);
    const notUtf8 = Uint8Array.of(3, 1, 0, 0, 0, 0xff);
    expect(readTapBatch(notUtf8).errors[0]).toMatch(/not UTF-8 JSON/);
  });

  it("reports an event that does not validate and reads on", () => {
    const writer = createTapBatchWriter();
    writer.event(JSON.stringify({ type: "nonsense" }));
    writer.event(JSON.stringify({ type: "error", t: 1, message: "after" }));
    const read = readTapBatch(writer.take()!);
    expect(read.errors).toEqual([expect.stringMatching(/unknown event type/)]);
    expect(read.events).toEqual([{ type: "error", t: 1, message: "after" }]);
  });
});
