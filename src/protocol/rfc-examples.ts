// The worked examples of RFC 6455, in one place for tests and lessons alike: the opening
// handshake of §1.2 with the key/accept pair of §1.3, and every frame of §5.7. Each frame
// example carries its bytes, what a reader should decode from them, and who may send it.
// The RFC leaves the content of the 256-byte and 64 KiB binary payloads open ("[256 bytes of
// binary data]"); here byte i of those payloads is i mod 256.

import type { Direction } from "./frame-types.ts";
import { toHex } from "./hex.ts";
import { concatBytes } from "./bytes.ts";

// The handshake lives in a module of its own: pages that simulate a conversation need it, and
// should not build the 64 KiB frame example below just by loading.
export { handshakeExample } from "./handshake-example.ts";

export interface ExpectedFrame {
  fin: boolean;
  opcode: number;
  maskingKey: Uint8Array | null;
  /** Unmasked application data. */
  payload: Uint8Array;
}

export interface FrameExample {
  id: string;
  title: string;
  rfc: string;
  /** Who could send these bytes: masked frames come from a client, unmasked from a server. */
  direction: Direction;
  /** The whole example on the wire; several frames for the fragmented message. */
  bytes: Uint8Array;
  hex: string;
  frames: ExpectedFrame[];
}

const hello = ascii("Hello");
const key = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
const maskedHello = [0x7f, 0x9f, 0x4d, 0x51, 0x58];

function example(
  id: string,
  title: string,
  direction: Direction,
  bytes: number[] | Uint8Array,
  frames: ExpectedFrame[],
): FrameExample {
  const data = Uint8Array.from(bytes);
  return { id, title, rfc: "RFC 6455 §5.7", direction, bytes: data, hex: toHex(data), frames };
}

function sequence(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i & 0xff);
}

const bytes256 = sequence(256);
const bytes64k = sequence(65536);

export const frameExamples: readonly FrameExample[] = [
  example(
    "unmasked-text",
    'A single-frame unmasked text message ("Hello")',
    "server-to-client",
    [0x81, 0x05, ...hello],
    [{ fin: true, opcode: 0x1, maskingKey: null, payload: hello }],
  ),
  example(
    "masked-text",
    'A single-frame masked text message ("Hello")',
    "client-to-server",
    [0x81, 0x85, ...key, ...maskedHello],
    [{ fin: true, opcode: 0x1, maskingKey: key, payload: hello }],
  ),
  example(
    "fragmented-text",
    'A fragmented unmasked text message ("Hel" then "lo")',
    "server-to-client",
    [0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f],
    [
      { fin: false, opcode: 0x1, maskingKey: null, payload: ascii("Hel") },
      { fin: true, opcode: 0x0, maskingKey: null, payload: ascii("lo") },
    ],
  ),
  example(
    "unmasked-ping",
    'An unmasked ping whose body is "Hello"',
    "server-to-client",
    [0x89, 0x05, ...hello],
    [{ fin: true, opcode: 0x9, maskingKey: null, payload: hello }],
  ),
  example(
    "masked-pong",
    'A masked pong answering that ping ("Hello")',
    "client-to-server",
    [0x8a, 0x85, ...key, ...maskedHello],
    [{ fin: true, opcode: 0xa, maskingKey: key, payload: hello }],
  ),
  example(
    "binary-256",
    "256 bytes of binary data in a single unmasked frame (16-bit length)",
    "server-to-client",
    concatBytes([new Uint8Array([0x82, 0x7e, 0x01, 0x00]), bytes256]),
    [{ fin: true, opcode: 0x2, maskingKey: null, payload: bytes256 }],
  ),
  example(
    "binary-64k",
    "64 KiB of binary data in a single unmasked frame (64-bit length)",
    "server-to-client",
    concatBytes([new Uint8Array([0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00]), bytes64k]),
    [{ fin: true, opcode: 0x2, maskingKey: null, payload: bytes64k }],
  ),
];

export function frameExample(id: string): FrameExample | undefined {
  return frameExamples.find((e) => e.id === id);
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
