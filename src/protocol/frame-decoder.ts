// The streaming frame reader. TCP delivers a byte stream, not messages (RFC 9293 §2.2): one
// read may hold several frames or a piece of one. `push(chunk)` accepts chunks split anywhere
// and returns every frame completed so far, each with its start and end offset in the stream
// (end exclusive). Bytes of an unfinished frame wait; `buffered` and `needed` describe them.
// After the first error the decoder stops, as a receiver fails the connection (RFC 6455 §7.1.7).

import { ByteQueue } from "./byte-queue.ts";
import { decodeFrame } from "./frame-decode.ts";
import { shiftError } from "./frame-error.ts";
import type { FrameError } from "./frame-error.ts";
import { readFrameHeader } from "./frame-header.ts";
import type { DecodedFrame, FrameHeader, FrameRules } from "./frame-types.ts";

export type FrameEvent = { kind: "frame"; frame: DecodedFrame; start: number; end: number };
export type FrameErrorEvent = { kind: "error"; error: FrameError; start: number };
export type DecoderEvent = FrameEvent | FrameErrorEvent;

/** The longest header: 2 bytes, an 8-byte length and a 4-byte key. */
const MAX_HEADER = 14;

export class FrameDecoder {
  #rules: FrameRules;
  #queue = new ByteQueue();
  #offset = 0;
  #header: FrameHeader | null = null;
  #needed = 2;
  #error: FrameError | null = null;

  constructor(rules: FrameRules = {}) {
    this.#rules = rules;
  }

  push(chunk: Uint8Array): DecoderEvent[] {
    if (this.#error) return [];
    this.#queue.push(chunk);
    const events: DecoderEvent[] = [];
    for (;;) {
      if (this.#header === null) {
        if (this.#queue.length === 0) {
          this.#needed = 2;
          break;
        }
        const head = readFrameHeader(this.#queue.peek(MAX_HEADER), this.#rules);
        if (head.kind === "need-more") {
          this.#needed = head.needed;
          break;
        }
        if (head.kind === "error") {
          events.push(this.#fail(head.error));
          break;
        }
        this.#header = head.header;
      }
      const total = this.#header.headerLength + this.#header.payloadLength;
      if (this.#queue.length < total) {
        this.#needed = total - this.#queue.length;
        break;
      }
      const result = decodeFrame(this.#queue.take(total), this.#rules);
      this.#header = null;
      if (result.kind === "error") {
        events.push(this.#fail(result.error));
        break;
      }
      if (result.kind === "need-more") break; // cannot happen: the whole frame was taken
      events.push({ kind: "frame", frame: result.frame, start: this.#offset, end: this.#offset + total });
      this.#offset += total;
    }
    return events;
  }

  /** Stream offset of the first byte not yet returned as part of a frame. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes received that belong to a frame not yet complete. */
  get buffered(): number {
    return this.#queue.length;
  }

  /** At least this many more bytes are needed to finish the frame in progress (2 when none has begun). */
  get needed(): number {
    return this.#error ? 0 : this.#needed;
  }

  /** The error that stopped the decoder, if any. */
  get error(): FrameError | null {
    return this.#error;
  }

  #fail(error: FrameError): FrameErrorEvent {
    const start = this.#offset;
    this.#error = shiftError(error, start);
    this.#queue.clear();
    return { kind: "error", error: this.#error, start };
  }
}
