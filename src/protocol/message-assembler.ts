// Messages from frames (RFC 6455 §5.4, §5.6). A message is one text or binary frame with
// FIN = 1, or a text/binary frame with FIN = 0 followed by continuation frames, the last with
// FIN = 1. Control frames may arrive between fragments and pass straight through. Text is
// checked as UTF-8 while it arrives, so a bad byte is reported in the fragment that holds it
// (§8.1, close code 1007). After the first error the assembler stops, like the connection.

import { parseClosePayload } from "./close-payload.ts";
import type { ClosePayload } from "./close-payload.ts";
import { frameError, INVALID_PAYLOAD, MESSAGE_TOO_BIG, PROTOCOL_ERROR } from "./frame-error.ts";
import type { FrameError } from "./frame-error.ts";
import type { DecodedFrame } from "./frame-types.ts";
import { DEFAULT_MAX_PAYLOAD_LENGTH } from "./frame-types.ts";
import { describeOpcode, isControlOpcode, OPCODE } from "./opcodes.ts";
import { decodeUtf8, Utf8Validator } from "./utf8.ts";
import { concatBytes } from "./bytes.ts";

export interface Message {
  type: "text" | "binary";
  data: Uint8Array;
  /** The decoded text of a text message; null for binary. */
  text: string | null;
  /** How many frames carried it. */
  frames: number;
  /** Stream offsets of the first frame's first byte and the last frame's end. */
  start: number;
  end: number;
}

export type AssemblyEvent =
  | { kind: "message"; message: Message }
  /** A fragment was accepted; the message is not finished yet. */
  | { kind: "fragment"; type: "text" | "binary"; frames: number; length: number }
  /** A control frame; for close frames, the parsed code and reason. */
  | { kind: "control"; frame: DecodedFrame; start: number; end: number; close: ClosePayload | null }
  | { kind: "error"; error: FrameError };

/** A frame with its stream offsets, as `FrameDecoder` reports it. */
export interface PositionedFrame {
  frame: DecodedFrame;
  start: number;
  end: number;
}

export interface AssemblerOptions {
  /** Larger messages are refused with 1009 (RFC 6455 §10.4). */
  maxMessageLength?: number;
}

interface MessageInProgress {
  type: "text" | "binary";
  parts: Uint8Array[];
  length: number;
  start: number;
  utf8: Utf8Validator | null;
}

export class MessageAssembler {
  #max: number;
  #partial: MessageInProgress | null = null;
  #error: FrameError | null = null;

  constructor(options: AssemblerOptions = {}) {
    this.#max = options.maxMessageLength ?? DEFAULT_MAX_PAYLOAD_LENGTH;
  }

  push({ frame, start, end }: PositionedFrame): AssemblyEvent {
    if (this.#error) return { kind: "error", error: this.#error };
    const { opcode } = frame;
    const info = describeOpcode(opcode);
    if (info.reserved) {
      return this.#fail(
        frameError(
          "reserved-opcode",
          `opcode 0x${opcode.toString(16)} is reserved`,
          start,
          "RFC 6455 §5.2",
          PROTOCOL_ERROR,
        ),
      );
    }
    if (isControlOpcode(opcode)) {
      let close: ClosePayload | null = null;
      if (opcode === OPCODE.close) {
        const parsed = parseClosePayload(frame.payload);
        if (!parsed.ok)
          return this.#fail({ ...parsed.error, offset: parsed.error.offset + start + frame.headerLength });
        close = { code: parsed.code, reason: parsed.reason };
      }
      return { kind: "control", frame, start, end, close };
    }
    if (opcode === OPCODE.continuation && !this.#partial) {
      return this.#fail(
        frameError(
          "continuation-without-message",
          "a continuation frame arrived, but no fragmented message had been started",
          start,
          "RFC 6455 §5.4",
          PROTOCOL_ERROR,
        ),
      );
    }
    if (opcode !== OPCODE.continuation && this.#partial) {
      return this.#fail(
        frameError(
          "data-frame-inside-fragmented-message",
          `a new ${info.name} frame arrived before the fragmented ${this.#partial.type} message was finished; its remaining fragments must be continuation frames`,
          start,
          "RFC 6455 §5.4",
          PROTOCOL_ERROR,
        ),
      );
    }
    if (!this.#partial) {
      const type = opcode === OPCODE.text ? "text" : "binary";
      this.#partial = { type, parts: [], length: 0, start, utf8: type === "text" ? new Utf8Validator() : null };
    }
    const partial = this.#partial;
    const payloadStart = start + frame.headerLength;
    if (partial.length + frame.payload.length > this.#max) {
      return this.#fail(
        frameError(
          "message-too-big",
          `the message grows past ${this.#max} bytes, more than this reader accepts`,
          start,
          "RFC 6455 §10.4",
          MESSAGE_TOO_BIG,
        ),
      );
    }
    if (partial.utf8) {
      const check = partial.utf8.push(frame.payload);
      if (!check.ok) {
        return this.#fail(
          frameError(
            "text-invalid-utf8",
            `the text message is not valid UTF-8: ${check.error}`,
            payloadStart + check.index,
            "RFC 6455 §8.1",
            INVALID_PAYLOAD,
          ),
        );
      }
      if (frame.fin && !partial.utf8.atBoundary) {
        return this.#fail(
          frameError(
            "text-invalid-utf8",
            "the text message ends in the middle of a multi-byte character",
            end,
            "RFC 6455 §8.1",
            INVALID_PAYLOAD,
          ),
        );
      }
    }
    partial.parts.push(frame.payload);
    partial.length += frame.payload.length;
    if (!frame.fin)
      return { kind: "fragment", type: partial.type, frames: partial.parts.length, length: partial.length };
    this.#partial = null;
    const data = concatBytes(partial.parts);
    const text = partial.type === "text" ? decodeUtf8(data) : null;
    return {
      kind: "message",
      message: { type: partial.type, data, text, frames: partial.parts.length, start: partial.start, end },
    };
  }

  /** True while a fragmented message is waiting for its last fragment. */
  get inMessage(): boolean {
    return this.#partial !== null;
  }

  get error(): FrameError | null {
    return this.#error;
  }

  #fail(error: FrameError): AssemblyEvent {
    this.#error = error;
    this.#partial = null;
    return { kind: "error", error };
  }
}
