// Frames to bytes (RFC 6455 §5.2), always in the shortest length form. The encoder writes any
// frame the layout can express, including ones a peer would reject (a 200-byte ping, a
// reserved opcode), because lessons show those too; reading enforces the rules.

import { applyMask } from "./mask.ts";
import type { FrameInput } from "./frame-types.ts";

export type EncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string; rfc: string };

export function encodeFrame(frame: FrameInput): EncodeResult {
  const { opcode } = frame;
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15) {
    return { ok: false, error: `opcode ${opcode} does not fit in the 4-bit opcode field (0–15)`, rfc: "RFC 6455 §5.2" };
  }
  const key = frame.maskingKey ?? null;
  if (key !== null && key.length !== 4) {
    return { ok: false, error: `a masking key is exactly 4 bytes, not ${key.length}`, rfc: "RFC 6455 §5.3" };
  }
  const payload = frame.payload ?? new Uint8Array(0);
  const n = payload.length;
  const extended = n < 126 ? 0 : n <= 0xffff ? 2 : 8;
  const headerLength = 2 + extended + (key ? 4 : 0);
  const out = new Uint8Array(headerLength + n);
  out[0] =
    (frame.fin === false ? 0 : 0x80) |
    (frame.rsv1 ? 0x40 : 0) |
    (frame.rsv2 ? 0x20 : 0) |
    (frame.rsv3 ? 0x10 : 0) |
    opcode;
  const maskBit = key ? 0x80 : 0;
  const view = new DataView(out.buffer);
  if (extended === 0) {
    out[1] = maskBit | n;
  } else if (extended === 2) {
    out[1] = maskBit | 126;
    view.setUint16(2, n);
  } else {
    out[1] = maskBit | 127;
    // Payloads beyond 2^53 cannot exist in memory, so the top bit stays 0 as §5.2 requires.
    view.setUint32(2, Math.floor(n / 2 ** 32));
    view.setUint32(6, n >>> 0);
  }
  if (key) {
    out.set(key, 2 + extended);
    out.set(applyMask(payload, key), headerLength);
  } else {
    out.set(payload, headerLength);
  }
  return { ok: true, bytes: out };
}
