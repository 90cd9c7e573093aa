// The chunked transfer coding (RFC 9112 §7.1): the body as a series of chunks, each a hex size
// line, that many bytes, and CRLF; a zero-size chunk ends it, followed by optional trailer
// fields and an empty line. It lets a sender start before it knows the length. The parser
// counts data bytes and framing bytes apart, to show what chunking costs.

import { httpError } from "./http1-error.ts";
import type { HttpError } from "./http1-error.ts";
import { parseFieldSection } from "./http1-head.ts";
import type { HeaderField } from "./http1-headers.ts";
import { concatBytes } from "./bytes.ts";

export interface Chunk {
  /** Offset of the size line, relative to the start of the body. */
  offset: number;
  /** Bytes of the size line (with extensions and CRLF) and of the data. */
  sizeLineLength: number;
  dataLength: number;
}

export interface ChunkedBody {
  data: Uint8Array;
  chunks: Chunk[];
  trailers: HeaderField[];
  /** Bytes consumed from the input: the whole chunked body. */
  length: number;
  /** length = dataBytes + framingBytes. */
  dataBytes: number;
  framingBytes: number;
}

export type ChunkedResult =
  { kind: "body"; body: ChunkedBody } | { kind: "need-more" } | { kind: "error"; error: HttpError };

/** Parse a chunked body starting at bytes[0]; error offsets are relative to that start. */
export function parseChunkedBody(bytes: Uint8Array, options: { maxBodyLength?: number } = {}): ChunkedResult {
  const max = options.maxBodyLength ?? 64 * 1024 * 1024;
  const chunks: Chunk[] = [];
  const parts: Uint8Array[] = [];
  let dataBytes = 0;
  let at = 0;
  for (;;) {
    const lineEnd = findCrlf(bytes, at);
    if (lineEnd === -1) return { kind: "need-more" };
    let line = "";
    for (let i = at; i < lineEnd; i++) line += String.fromCharCode(bytes[i]!);
    const m = /^([0-9A-Fa-f]+)[ \t]*(;.*)?$/.exec(line);
    if (!m || m[1]!.length > 13) {
      return {
        kind: "error",
        error: httpError("bad-chunk-size", `"${line}" is not a chunk size in hexadecimal`, at, "RFC 9112 §7.1"),
      };
    }
    const size = parseInt(m[1]!, 16);
    if (dataBytes + size > max) {
      return {
        kind: "error",
        error: httpError("body-too-large", `the chunked body grows past ${max} bytes`, at, "RFC 9112 §7.1", 413),
      };
    }
    const sizeLineLength = lineEnd + 2 - at;
    chunks.push({ offset: at, sizeLineLength, dataLength: size });
    at = lineEnd + 2;
    if (size === 0) break;
    if (bytes.length < at + size + 2) return { kind: "need-more" };
    parts.push(bytes.subarray(at, at + size));
    dataBytes += size;
    at += size;
    if (bytes[at] !== 0x0d || bytes[at + 1] !== 0x0a) {
      return {
        kind: "error",
        error: httpError(
          "bad-chunk-ending",
          "chunk data is not followed by CR LF: the chunk is longer than its size says",
          at,
          "RFC 9112 §7.1",
        ),
      };
    }
    at += 2;
  }
  // The trailer section has the syntax of a header section (RFC 9112 §7.1.2).
  const section = parseFieldSection(bytes, at);
  if (section.kind !== "fields") return section;
  const trailers = section.fields;
  const trailerEnd = section.end;
  const data = new Uint8Array(dataBytes);
  let filled = 0;
  for (const p of parts) {
    data.set(p, filled);
    filled += p.length;
  }
  return {
    kind: "body",
    body: { data, chunks, trailers, length: trailerEnd, dataBytes, framingBytes: trailerEnd - dataBytes },
  };
}

/** Encode data as chunks of at most `chunkSize` bytes, then the last chunk and an empty trailer. */
export function encodeChunked(data: Uint8Array, chunkSize = 16 * 1024): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += Math.max(1, chunkSize)) {
    const part = data.subarray(at, at + Math.max(1, chunkSize));
    pieces.push(encoder.encode(`${part.length.toString(16)}\r\n`), part, encoder.encode("\r\n"));
  }
  pieces.push(encoder.encode("0\r\n\r\n"));
  return concatBytes(pieces);
}

function findCrlf(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) return i;
  return -1;
}
