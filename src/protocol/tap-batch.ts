// The wire tap's monitor messages (format v3): one binary WebSocket message holds a batch of
// tap events, in order, as records laid end to end. Chunk events (one per TCP read or write of
// the specimen, by far the most common) carry their bytes raw instead of as base64 inside JSON:
// the lab copies them into the batch and writes a fixed header, with no text to build, no number
// to print and no UTF-8 to check on either side. Every other event is a record holding its JSON.
//
// All numbers little-endian:
//   chunk with data   u8 1 · u8 dir (0 in, 1 out) · f64 t · u32 specimen · f64 offset · u32 length · `length` bytes
//   chunk, truncated  u8 2 · the same header, no bytes (the capture limit was reached)
//   any other event   u8 3 · u32 byte length · that many bytes of UTF-8 JSON (tap-events.ts)
//
// The reader trusts nothing: a record that does not fit, an unknown kind or a bad field ends
// the batch with an error naming it (records have no marker to resynchronise on).
import { bytesToBase64 } from "./base64.ts";
import type { Direction, TapEvent } from "./tap-events.ts";
import { toTapEvent, MAX_BATCH_EVENTS, type TapMessage } from "./tap-parse.ts";

const CHUNK_WITH_DATA = 1;
const CHUNK_TRUNCATED = 2;
const JSON_EVENT = 3;
export const CHUNK_HEADER_BYTES = 26;
const EVENT_HEADER_BYTES = 5;
const MAX_EVENT_JSON_BYTES = 1 << 20;

export interface ChunkRecord {
  t: number;
  specimen: number;
  dir: Direction;
  offset: number;
  length: number;
  /** The chunk's bytes (one piece, or pieces written together, `length` in all); null if not kept. */
  data: Uint8Array | readonly Uint8Array[] | null;
}

export interface TapBatchWriter {
  chunk(record: ChunkRecord): void;
  /** Any event other than a chunk, as its JSON text. */
  event(json: string): void;
  /** Bytes in the batch being written. */
  readonly size: number;
  /**
   * The batch written so far, and a fresh one begun. The bytes returned are never written again
   * (a sent message may still be queued on a socket), so the next batch starts after them.
   */
  take(): Uint8Array | null;
}

const encoder = new TextEncoder();

/** `slabBytes`: memory taken at a time; batches are cut from it one after another, like Node's buffer pool. */
export function createTapBatchWriter(slabBytes = 64 * 1024): TapBatchWriter {
  let slab = new Uint8Array(slabBytes);
  let view = new DataView(slab.buffer);
  let start = 0;
  let end = 0;

  /** Room for `n` more bytes, moving the batch so far to a new slab if this one is full. */
  function reserve(n: number): void {
    if (end + n <= slab.length) return;
    const sofar = slab.subarray(start, end);
    slab = new Uint8Array(Math.max(slabBytes, sofar.length + n));
    view = new DataView(slab.buffer);
    slab.set(sofar, 0);
    start = 0;
    end = sofar.length;
  }

  return {
    chunk(record) {
      const keep = record.data !== null;
      reserve(CHUNK_HEADER_BYTES + (keep ? record.length : 0));
      slab[end] = keep ? CHUNK_WITH_DATA : CHUNK_TRUNCATED;
      slab[end + 1] = record.dir === "in" ? 0 : 1;
      view.setFloat64(end + 2, record.t, true);
      view.setUint32(end + 10, record.specimen, true);
      view.setFloat64(end + 14, record.offset, true);
      view.setUint32(end + 22, record.length, true);
      end += CHUNK_HEADER_BYTES;
      const data = record.data;
      if (data === null) return;
      let written = 0;
      if (data instanceof Uint8Array) {
        slab.set(data, end);
        written = data.length;
      } else {
        for (const piece of data) {
          slab.set(piece, end + written);
          written += piece.length;
        }
      }
      if (written !== record.length) throw new Error(`a chunk of length ${record.length} was given ${written} bytes`);
      end += written;
    },
    event(json) {
      // UTF-8 takes at most 3 bytes for each UTF-16 code unit.
      reserve(EVENT_HEADER_BYTES + json.length * 3);
      const { written } = encoder.encodeInto(json, slab.subarray(end + EVENT_HEADER_BYTES));
      view.setUint8(end, JSON_EVENT);
      view.setUint32(end + 1, written, true);
      end += EVENT_HEADER_BYTES + written;
    },
    get size() {
      return end - start;
    },
    take() {
      if (end === start) return null;
      const batch = slab.subarray(start, end);
      start = end;
      return batch;
    },
  };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The events of one binary monitor message, and what was wrong if it could not all be read. */
export function readTapBatch(bytes: Uint8Array): TapMessage {
  const message: TapMessage = { events: [], errors: [] };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let record = 0;
  const stop = (error: string): TapMessage => {
    message.errors.push(`${error} (record ${record}, byte ${pos})`);
    return message;
  };
  while (pos < bytes.length) {
    record++;
    if (record > MAX_BATCH_EVENTS) return stop(`a batch holds at most ${MAX_BATCH_EVENTS} events`);
    const kind = bytes[pos]!;
    if (kind === CHUNK_WITH_DATA || kind === CHUNK_TRUNCATED) {
      if (pos + CHUNK_HEADER_BYTES > bytes.length) return stop("a chunk header runs past the end of the message");
      const dirByte = view.getUint8(pos + 1);
      const t = view.getFloat64(pos + 2, true);
      const specimen = view.getUint32(pos + 10, true);
      const offset = view.getFloat64(pos + 14, true);
      const length = view.getUint32(pos + 22, true);
      if (dirByte > 1) return stop(`a chunk's direction must be 0 (in) or 1 (out), not ${dirByte}`);
      if (!Number.isFinite(t)) return stop("a chunk's time must be a finite number");
      if (!Number.isSafeInteger(offset) || offset < 0) return stop("a chunk's offset must be a whole number of bytes");
      const event: TapEvent = { type: "chunk", t, specimen, dir: dirByte === 0 ? "in" : "out", offset, length };
      pos += CHUNK_HEADER_BYTES;
      if (kind === CHUNK_WITH_DATA) {
        if (pos + length > bytes.length) return stop(`a chunk's ${length} bytes run past the end of the message`);
        event.data = bytesToBase64(bytes.subarray(pos, pos + length));
        pos += length;
      } else {
        event.truncated = true;
      }
      message.events.push(event);
    } else if (kind === JSON_EVENT) {
      if (pos + EVENT_HEADER_BYTES > bytes.length) return stop("an event header runs past the end of the message");
      const length = view.getUint32(pos + 1, true);
      if (length > MAX_EVENT_JSON_BYTES)
        return stop(`an event of ${length} bytes is more than ${MAX_EVENT_JSON_BYTES}`);
      if (pos + EVENT_HEADER_BYTES + length > bytes.length)
        return stop("an event's JSON runs past the end of the message");
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(bytes.subarray(pos + EVENT_HEADER_BYTES, pos + EVENT_HEADER_BYTES + length)));
      } catch {
        return stop("an event is not UTF-8 JSON");
      }
      pos += EVENT_HEADER_BYTES + length;
      // One event that does not validate is reported and skipped: its record's length is known.
      const parsed = toTapEvent(value);
      if (parsed.ok) message.events.push(parsed.event);
      else message.errors.push(parsed.error);
    } else {
      return stop(`unknown record kind ${kind}`);
    }
  }
  return message;
}
