// Reading one whole frame from the start of a byte array: a frame, "need more bytes", or the
// first rule it breaks. The checks that need the payload (a close frame's body) run here;
// checks that need more than one frame (fragment order, UTF-8 of a text message) belong to
// the message assembler.

import { parseClosePayload } from "./close-payload.ts";
import { shiftError } from "./frame-error.ts";
import type { FrameError } from "./frame-error.ts";
import { readFrameHeader } from "./frame-header.ts";
import { applyMask } from "./mask.ts";
import { OPCODE } from "./opcodes.ts";
import type { DecodedFrame, FrameRules } from "./frame-types.ts";

export type DecodeResult =
  { kind: "frame"; frame: DecodedFrame } | { kind: "need-more"; needed: number } | { kind: "error"; error: FrameError };

export function decodeFrame(bytes: Uint8Array, rules: FrameRules = {}): DecodeResult {
  const head = readFrameHeader(bytes, rules);
  if (head.kind !== "header") return head;
  const { header } = head;
  const end = header.headerLength + header.payloadLength;
  if (bytes.length < end) return { kind: "need-more", needed: end - bytes.length };
  const raw = bytes.slice(0, end);
  const wirePayload = raw.subarray(header.headerLength);
  const payload = header.maskingKey ? applyMask(wirePayload, header.maskingKey) : wirePayload;
  if (header.opcode === OPCODE.close) {
    const close = parseClosePayload(payload);
    if (!close.ok) return { kind: "error", error: shiftError(close.error, header.headerLength) };
  }
  return { kind: "frame", frame: { ...header, payload, raw } };
}
