// The body of a close frame (RFC 6455 §5.5.1): empty, or a 2-byte big-endian close code
// followed by a UTF-8 reason. One byte alone is not a valid body. Codes that are only
// reported locally (1005, 1006, 1015) or unassigned may not appear on the wire (§7.4).

import { describeCloseCode } from "./close-codes.ts";
import { frameError, INVALID_PAYLOAD, PROTOCOL_ERROR } from "./frame-error.ts";
import type { FrameError } from "./frame-error.ts";
import { checkUtf8, decodeUtf8, encodeUtf8 } from "./utf8.ts";

export interface ClosePayload {
  /** null when the body is empty: the receiving page then reports 1005 (RFC 6455 §7.1.5). */
  code: number | null;
  reason: string;
}

export type ClosePayloadResult = ({ ok: true } & ClosePayload) | { ok: false; error: FrameError };

/** Parse a close body; error offsets are relative to the start of the payload. */
export function parseClosePayload(payload: Uint8Array): ClosePayloadResult {
  if (payload.length === 0) return { ok: true, code: null, reason: "" };
  if (payload.length === 1) {
    return {
      ok: false,
      error: frameError(
        "close-body-one-byte",
        "a close frame body of one byte is invalid: it is either empty or starts with a 2-byte close code",
        0,
        "RFC 6455 §5.5.1",
        PROTOCOL_ERROR,
      ),
    };
  }
  const code = (payload[0]! << 8) | payload[1]!;
  const info = describeCloseCode(code);
  if (!info.allowedOnWire) {
    return {
      ok: false,
      error: frameError(
        "close-code-not-allowed",
        `close code ${code} (${info.name}) may not be sent in a close frame`,
        0,
        "RFC 6455 §7.4",
        PROTOCOL_ERROR,
      ),
    };
  }
  const reasonBytes = payload.subarray(2);
  const check = checkUtf8(reasonBytes);
  if (!check.ok) {
    return {
      ok: false,
      error: frameError(
        "close-reason-invalid-utf8",
        `the close reason is not valid UTF-8: ${check.error}`,
        2 + check.index,
        "RFC 6455 §5.5.1",
        INVALID_PAYLOAD,
      ),
    };
  }
  return { ok: true, code, reason: decodeUtf8(reasonBytes) ?? "" };
}

/**
 * Build a close body. No checks, so lessons can also build the invalid ones; the reason must
 * fit in 123 bytes for the frame to stay within the 125-byte control limit (RFC 6455 §5.5).
 */
export function encodeClosePayload(code?: number | null, reason = ""): Uint8Array {
  if (code === undefined || code === null) return new Uint8Array(0);
  const text = encodeUtf8(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = (code >> 8) & 0xff;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}
