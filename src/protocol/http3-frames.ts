// HTTP/3 as lesson 9 simulates it: the frames a WebSocket opened over HTTP/3 (RFC 9220) puts on
// its QUIC streams, before QUIC encrypts them into packets. The lab runs no QUIC, so nothing here
// reads a live connection; it writes the bytes the model in websocket-openings.ts describes and
// reads them back, so a test can hold the two to each other.
//
// - QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the
//   length (1, 2, 4 or 8 bytes); every HTTP/3 frame type, length, stream type and setting uses them.
// - HTTP/3 frames (RFC 9114 §7.1): type, length, payload; unlike HTTP/2 there are no flags and no
//   stream identifier, because the QUIC stream a frame travels on already says which it is.
// - Unidirectional stream types (RFC 9114 §6.2, RFC 9204 §4.2): the first varint on the stream.
// - QPACK field sections (RFC 9204 §4.5), written with literal names only: a legal encoding that
//   uses neither table, so every name and value is readable in the bytes. Real encoders index
//   what they can; the fields, not their compression, are what the lesson compares.
// Pure: no Node, no DOM.
import { concatBytes } from "./bytes.ts";
import { decodeUtf8, encodeUtf8 } from "./utf8.ts";

/** A QUIC varint holds up to 2^62 - 1 (RFC 9000 §16); numbers here stay below 2^53, which JavaScript holds exactly. */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`a QUIC varint holds a whole number ≥ 0, not ${value}`);
  if (value < 0x40) return Uint8Array.of(value);
  if (value < 0x4000) return Uint8Array.of(0x40 | (value >> 8), value & 0xff);
  if (value < 0x4000_0000)
    return Uint8Array.of(0x80 | (value >>> 24), (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  const bytes = new Uint8Array(8);
  let rest = BigInt(value);
  for (let i = 7; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  bytes[0]! |= 0xc0;
  return bytes;
}

/** The varint at `at`: its value and length, or null when the bytes end inside it. */
export function decodeVarint(bytes: Uint8Array, at = 0): { value: number; length: number } | null {
  if (at >= bytes.length) return null;
  const length = 1 << (bytes[at]! >> 6);
  if (at + length > bytes.length) return null;
  let value = BigInt(bytes[at]! & 0x3f);
  for (let i = 1; i < length; i++) value = (value << 8n) | BigInt(bytes[at + i]!);
  return { value: Number(value), length };
}

interface Named {
  name: string;
  rfc: string;
}

/** Frame types a WebSocket over HTTP/3 meets (RFC 9114 §7.2, §11.2.1). */
export const HTTP3_FRAME_TYPES: Readonly<Record<number, Named>> = {
  0x00: { name: "DATA", rfc: "RFC 9114 §7.2.1" },
  0x01: { name: "HEADERS", rfc: "RFC 9114 §7.2.2" },
  0x03: { name: "CANCEL_PUSH", rfc: "RFC 9114 §7.2.3" },
  0x04: { name: "SETTINGS", rfc: "RFC 9114 §7.2.4" },
  0x05: { name: "PUSH_PROMISE", rfc: "RFC 9114 §7.2.5" },
  0x07: { name: "GOAWAY", rfc: "RFC 9114 §7.2.6" },
  0x0d: { name: "MAX_PUSH_ID", rfc: "RFC 9114 §7.2.7" },
};

export const HTTP3_FRAME = { DATA: 0x00, HEADERS: 0x01, SETTINGS: 0x04 } as const;

/** Unidirectional stream types: the varint that opens the stream (RFC 9114 §6.2.1, RFC 9204 §4.2). */
export const HTTP3_STREAM_TYPE = { CONTROL: 0x00, QPACK_ENCODER: 0x02, QPACK_DECODER: 0x03 } as const;

/** SETTINGS parameters (RFC 9114 §7.2.4.1, RFC 9204 §5, RFC 9220 §3). */
export const HTTP3_SETTINGS: Readonly<Record<number, Named>> = {
  0x01: { name: "SETTINGS_QPACK_MAX_TABLE_CAPACITY", rfc: "RFC 9204 §5" },
  0x06: { name: "SETTINGS_MAX_FIELD_SECTION_SIZE", rfc: "RFC 9114 §7.2.4.1" },
  0x07: { name: "SETTINGS_QPACK_BLOCKED_STREAMS", rfc: "RFC 9204 §5" },
  // The same number as in HTTP/2 (RFC 8441 §3), registered again for HTTP/3 (RFC 9220 §3).
  0x08: { name: "SETTINGS_ENABLE_CONNECT_PROTOCOL", rfc: "RFC 9220 §3" },
};

export const SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x08;

export function encodeHttp3Frame(type: number, payload: Uint8Array): Uint8Array {
  return concatBytes([encodeVarint(type), encodeVarint(payload.length), payload]);
}

export function encodeSettingsPayload(settings: readonly (readonly [number, number])[]): Uint8Array {
  return concatBytes(settings.flatMap(([id, value]) => [encodeVarint(id), encodeVarint(value)]));
}

/** A prefixed integer (RFC 7541 §5.1, as QPACK uses it, RFC 9204 §4.1.1); `high` holds the bits above the prefix. */
function prefixedInteger(value: number, prefixBits: number, high: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [high | value];
  const out = [high | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function readPrefixedInteger(
  bytes: Uint8Array,
  at: number,
  prefixBits: number,
): { value: number; next: number } | null {
  const max = (1 << prefixBits) - 1;
  if (at >= bytes.length) return null;
  let value = bytes[at]! & max;
  let next = at + 1;
  if (value < max) return { value, next };
  for (let shift = 0; ; shift += 7) {
    if (next >= bytes.length || shift > 28) return null;
    const b = bytes[next++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { value, next };
  }
}

export type FieldLine = readonly [name: string, value: string];

/**
 * A QPACK field section with every line a "literal field line with literal name" (RFC 9204
 * §4.5.6: 001, N=0, H=0, a 3-bit-prefix name length, the name, then H=0 and a 7-bit-prefix value
 * length and the value), after a prefix of Required Insert Count 0 and Base 0 (§4.5.1): no
 * dynamic table, so no encoder stream instructions are needed.
 */
export function encodeQpackLiterals(fields: readonly FieldLine[]): Uint8Array {
  const out: number[] = [0x00, 0x00];
  for (const [name, value] of fields) {
    const n = encodeUtf8(name);
    const v = encodeUtf8(value);
    out.push(...prefixedInteger(n.length, 3, 0x20), ...n, ...prefixedInteger(v.length, 7, 0x00), ...v);
  }
  return Uint8Array.from(out);
}

/** Reads back what encodeQpackLiterals writes; null for anything else (other representations are not modelled). */
export function decodeQpackLiterals(bytes: Uint8Array): FieldLine[] | null {
  if (bytes.length < 2 || bytes[0] !== 0x00 || bytes[1] !== 0x00) return null;
  const fields: FieldLine[] = [];
  let at = 2;
  while (at < bytes.length) {
    if ((bytes[at]! & 0xf8) !== 0x20) return null;
    const nameLength = readPrefixedInteger(bytes, at, 3);
    if (!nameLength || nameLength.next + nameLength.value > bytes.length) return null;
    const name = decodeUtf8(bytes.subarray(nameLength.next, nameLength.next + nameLength.value));
    at = nameLength.next + nameLength.value;
    if (at >= bytes.length || (bytes[at]! & 0x80) !== 0) return null;
    const valueLength = readPrefixedInteger(bytes, at, 7);
    if (!valueLength || valueLength.next + valueLength.value > bytes.length) return null;
    const value = decodeUtf8(bytes.subarray(valueLength.next, valueLength.next + valueLength.value));
    if (name === null || value === null) return null;
    fields.push([name, value]);
    at = valueLength.next + valueLength.value;
  }
  return fields;
}

export interface Http3Frame {
  type: number;
  /** The type's name, or "unknown (0x…)": unknown types are ignored (RFC 9114 §9). */
  typeName: string;
  /** Where the frame starts in the bytes read, and its whole length (type and length varints included). */
  offset: number;
  length: number;
  payload: Uint8Array;
}

/** The frames in `bytes` (a stream's data, after any stream type); null when the bytes end inside a frame. */
export function readHttp3Frames(bytes: Uint8Array): Http3Frame[] | null {
  const frames: Http3Frame[] = [];
  let at = 0;
  while (at < bytes.length) {
    const type = decodeVarint(bytes, at);
    const length = type && decodeVarint(bytes, at + type.length);
    if (!type || !length) return null;
    const start = at + type.length + length.length;
    if (start + length.value > bytes.length) return null;
    frames.push({
      type: type.value,
      typeName: HTTP3_FRAME_TYPES[type.value]?.name ?? `unknown (0x${type.value.toString(16)})`,
      offset: at,
      length: start + length.value - at,
      payload: bytes.subarray(start, start + length.value),
    });
    at = start + length.value;
  }
  return frames;
}

/** A SETTINGS payload as (identifier, value) pairs; null when it ends inside one. */
export function readSettingsPayload(payload: Uint8Array): Array<[number, number]> | null {
  const pairs: Array<[number, number]> = [];
  let at = 0;
  while (at < payload.length) {
    const id = decodeVarint(payload, at);
    const value = id && decodeVarint(payload, at + id.length);
    if (!id || !value) return null;
    pairs.push([id.value, value.value]);
    at += id.length + value.length;
  }
  return pairs;
}
