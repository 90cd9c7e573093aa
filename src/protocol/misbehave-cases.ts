// What the lab's own misbehaving client can send (lesson 6): frames a browser never sends, each
// breaking one rule of RFC 6455, plus a peer that never answers pings. Shared by the server,
// which sends the bytes to the lab over a real socket (server/misbehave/), and the widget,
// which names the cases and says what to look for. Pure: no Node, no DOM.
import { encodeFrame } from "./frame-encode.ts";
import { encodeUtf8 } from "./utf8.ts";

export const MISBEHAVE_PATH = "/lab/misbehave";

export type MisbehaveCaseName = "reserved-opcode" | "unmasked" | "bad-utf8" | "too-big" | "silent-peer";

export interface MisbehaveCase {
  name: MisbehaveCaseName;
  /** What the client does, in a few words (a button's label). */
  label: string;
  /** The rule it breaks and where the standard says so. */
  rule: string;
  /** What the lab should answer, in words. */
  expected: string;
  /** The close code the lab's close frame carries; null when it drops the connection without one. */
  expectedCode: number | null;
}

export const MISBEHAVE_CASES: readonly MisbehaveCase[] = [
  {
    name: "reserved-opcode",
    label: "A frame with opcode 0x3",
    rule: "Opcodes 0x3–0x7 and 0xB–0xF are reserved; an endpoint receiving one must fail the connection (RFC 6455 §5.2, §7.1.7).",
    expected: "1002 protocol error",
    expectedCode: 1002,
  },
  {
    name: "unmasked",
    label: "A client frame without a mask",
    rule: "Every frame a client sends must be masked; a server must close the connection when one is not (RFC 6455 §5.1).",
    expected: "1002 protocol error",
    expectedCode: 1002,
  },
  {
    name: "bad-utf8",
    label: "A text frame that is not UTF-8",
    rule: "A text message must be valid UTF-8; an endpoint that finds otherwise must fail the connection with 1007 (RFC 6455 §5.6, §8.1).",
    expected: "1007 invalid frame payload data",
    expectedCode: 1007,
  },
  {
    name: "too-big",
    label: "A message over the lab's size limit",
    rule: "An endpoint may refuse a message too big for it to process, with 1009 (RFC 6455 §7.4.1, §10.4).",
    expected: "1009 message too big",
    expectedCode: 1009,
  },
  {
    name: "silent-peer",
    label: "A peer that never answers pings",
    rule: "A ping must be answered with a pong as soon as practical (RFC 6455 §5.5.2); the lab drops a peer that missed the previous ping.",
    expected: "no close frame: the lab ends the TCP connection (a page would report 1006)",
    expectedCode: null,
  },
];

export function misbehaveCase(name: string): MisbehaveCase | null {
  return MISBEHAVE_CASES.find((c) => c.name === name) ?? null;
}

/** The bytes the misbehaving client sends right after the handshake (none for the silent peer). */
export function misbehavingBytes(name: MisbehaveCaseName, maskingKey: Uint8Array, maxMessageBytes: number): Uint8Array {
  const frame = (opcode: number, payload: Uint8Array, masked = true): Uint8Array => {
    const encoded = encodeFrame({ opcode, payload, maskingKey: masked ? maskingKey : null });
    if (!encoded.ok) throw new Error(encoded.error);
    return encoded.bytes;
  };
  switch (name) {
    case "reserved-opcode":
      return frame(0x3, encodeUtf8("Hi"));
    case "unmasked":
      return frame(0x1, encodeUtf8("Hi"), false);
    case "bad-utf8":
      // "H", then 0xC3 0x28: a two-byte sequence whose second byte is not a continuation byte.
      return frame(0x1, Uint8Array.of(0x48, 0xc3, 0x28));
    case "too-big":
      return frame(0x2, new Uint8Array(maxMessageBytes + 1).fill(0x2a));
    case "silent-peer":
      return new Uint8Array(0);
  }
}
