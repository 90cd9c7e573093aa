// Reading the first 2–14 bytes of a frame (RFC 6455 §5.2). Each rule is checked as soon as the
// byte that breaks it has arrived, the way a receiver fails fast: a reserved opcode is known
// from byte 0, a missing mask from byte 1, a non-minimal length from the extended length.
// Offsets in errors are relative to the first byte of the frame.

import { describeOpcode, isControlOpcode } from "./opcodes.ts";
import { frameError, MESSAGE_TOO_BIG, PROTOCOL_ERROR } from "./frame-error.ts";
import type { FrameError } from "./frame-error.ts";
import { DEFAULT_MAX_PAYLOAD_LENGTH, MAX_CONTROL_PAYLOAD } from "./frame-types.ts";
import type { FrameHeader, FrameRules, LengthForm } from "./frame-types.ts";

export type HeaderResult =
  | { kind: "header"; header: FrameHeader }
  /** `needed`: at least this many more bytes before anything more can be said. */
  | { kind: "need-more"; needed: number }
  | { kind: "error"; error: FrameError };

export function readFrameHeader(bytes: Uint8Array, rules: FrameRules = {}): HeaderResult {
  if (bytes.length < 1) return { kind: "need-more", needed: 2 };
  const b0 = bytes[0]!;
  const fin = (b0 & 0x80) !== 0;
  const rsv1 = (b0 & 0x40) !== 0;
  const rsv2 = (b0 & 0x20) !== 0;
  const rsv3 = (b0 & 0x10) !== 0;
  const opcode = b0 & 0x0f;
  const allow = rules.allowRsv ?? {};
  const badRsv = rsv1 && !allow.rsv1 ? 1 : rsv2 && !allow.rsv2 ? 2 : rsv3 && !allow.rsv3 ? 3 : 0;
  if (badRsv) {
    return fail(
      "rsv-without-extension",
      `RSV${badRsv} is set, but no extension was negotiated that gives it a meaning`,
      0,
      "RFC 6455 §5.2",
    );
  }
  const info = describeOpcode(opcode);
  if (info.reserved) {
    return fail(
      "reserved-opcode",
      `opcode 0x${opcode.toString(16)} is reserved for future ${info.kind} frames and no extension defines it`,
      0,
      "RFC 6455 §5.2",
    );
  }
  const control = isControlOpcode(opcode);
  if (control && !fin) {
    return fail(
      "control-frame-fragmented",
      `a ${info.name} frame has FIN = 0, but control frames cannot be fragmented`,
      0,
      "RFC 6455 §5.5",
    );
  }
  if (bytes.length < 2) return { kind: "need-more", needed: 1 };

  const b1 = bytes[1]!;
  const masked = (b1 & 0x80) !== 0;
  if (rules.direction === "client-to-server" && !masked) {
    return fail(
      "client-frame-not-masked",
      "a frame from the client has MASK = 0; every client frame must be masked",
      1,
      "RFC 6455 §5.1",
    );
  }
  if (rules.direction === "server-to-client" && masked) {
    return fail(
      "server-frame-masked",
      "a frame from the server has MASK = 1; a server must never mask its frames",
      1,
      "RFC 6455 §5.1",
    );
  }
  const len7 = b1 & 0x7f;
  if (control && len7 > MAX_CONTROL_PAYLOAD) {
    // The extended forms exist only for lengths over 125 (§5.2), and a control frame's payload is
    // at most 125 bytes (§5.5), so its length must always be in the 7-bit form, whatever follows.
    const form = len7 === 126 ? "16-bit" : "64-bit";
    return fail(
      "control-frame-extended-length",
      `a ${info.name} frame uses the ${form} length form; a control frame carries at most 125 bytes, so its length must fit the 7-bit form`,
      1,
      "RFC 6455 §5.5",
    );
  }
  const extended = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  const headerLength = 2 + extended + (masked ? 4 : 0);
  if (bytes.length < 2 + extended) return { kind: "need-more", needed: headerLength - bytes.length };

  let payloadLength = len7;
  let lengthForm: LengthForm = "7-bit";
  if (extended === 2) {
    lengthForm = "16-bit";
    payloadLength = (bytes[2]! << 8) | bytes[3]!;
    if (payloadLength < 126) {
      return fail(
        "non-minimal-length",
        `a length of ${payloadLength} uses the 16-bit form, but lengths under 126 must use the 7-bit field`,
        2,
        "RFC 6455 §5.2",
      );
    }
  } else if (extended === 8) {
    lengthForm = "64-bit";
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const high = view.getUint32(2);
    if (high & 0x80000000) {
      return fail(
        "length-top-bit-set",
        "the most significant bit of the 64-bit length is set; it must be 0",
        2,
        "RFC 6455 §5.2",
      );
    }
    payloadLength = high * 2 ** 32 + view.getUint32(6);
    if (payloadLength <= 0xffff) {
      return fail(
        "non-minimal-length",
        `a length of ${payloadLength} uses the 64-bit form, but lengths up to 65535 must use a shorter form`,
        2,
        "RFC 6455 §5.2",
      );
    }
  }
  const max = rules.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH;
  if (payloadLength > max) {
    return {
      kind: "error",
      error: frameError(
        "payload-too-big",
        `the payload is ${payloadLength} bytes, more than the ${max} this reader accepts`,
        extended ? 2 : 1,
        "RFC 6455 §10.4",
        MESSAGE_TOO_BIG,
      ),
    };
  }
  if (bytes.length < headerLength) return { kind: "need-more", needed: headerLength - bytes.length };
  const maskingKey = masked ? bytes.slice(2 + extended, headerLength) : null;
  return {
    kind: "header",
    header: { fin, rsv1, rsv2, rsv3, opcode, masked, maskingKey, payloadLength, lengthForm, headerLength },
  };
}

function fail(reason: FrameError["reason"], error: string, offset: number, rfc: string): HeaderResult {
  return { kind: "error", error: frameError(reason, error, offset, rfc, PROTOCOL_ERROR) };
}
