// HPACK (RFC 7541): how HTTP/2 writes a header list into a HEADERS frame. Lesson 9 shows the
// header list of a WebSocket opened by extended CONNECT (:method CONNECT, :protocol websocket),
// decoded from the bytes that crossed the wire. A decoder keeps the connection's dynamic table
// (§2.3.2, §4), so header blocks must be fed in the order they were sent, one decoder per
// direction. Every field says how it was written (indexed, literal with or without indexing,
// Huffman-coded or not), because that is what a reader sees in the bytes. Errors are values with
// the rule broken (a peer must treat them as COMPRESSION_ERROR, RFC 9113 §4.3). Pure: no Node, no DOM.
import { HPACK_HUFFMAN_CODES, HPACK_STATIC_TABLE } from "./hpack-tables.ts";

export type HpackRepresentation = "indexed" | "literal-indexed" | "literal-not-indexed" | "literal-never-indexed";

export interface HpackField {
  name: string;
  value: string;
  representation: HpackRepresentation;
  /** The table index the field or its name came from (1–61 static, 62 on dynamic); null for a new name. */
  index: number | null;
  /** Whether the name and the value were Huffman-coded (false for parts taken from a table). */
  huffmanName: boolean;
  huffmanValue: boolean;
  /** Where the field's representation starts in the block, and its length in bytes. */
  offset: number;
  length: number;
}

export interface HpackError {
  error: string;
  offset: number;
  rfc: string;
}

export type HpackResult =
  | { ok: true; fields: HpackField[]; tableSizeUpdates: number[] }
  | { ok: false; error: HpackError; fields: HpackField[] };

/** The default size of the dynamic table, until SETTINGS_HEADER_TABLE_SIZE says otherwise (RFC 9113 §6.5.2). */
export const HPACK_DEFAULT_TABLE_SIZE = 4096;

/** A decoding tree for the Huffman code: node i's children at [2i] (bit 0) and [2i+1] (bit 1); a leaf holds -(symbol + 1). */
let huffmanTree: Int32Array | null = null;

function buildHuffmanTree(): Int32Array {
  // 257 codes make at most 256 inner nodes.
  const tree = new Int32Array(2 * 512);
  let nodes = 1;
  HPACK_HUFFMAN_CODES.forEach(([code, bits], symbol) => {
    let node = 0;
    for (let i = bits - 1; i >= 0; i--) {
      const slot = 2 * node + ((code >>> i) & 1);
      if (i === 0) tree[slot] = -(symbol + 1);
      else {
        if (tree[slot] === 0) tree[slot] = nodes++;
        node = tree[slot]!;
      }
    }
  });
  return tree;
}

/** Decodes a Huffman-coded string (RFC 7541 §5.2); null plus a reason when the padding or EOS rule is broken. */
export function decodeHuffman(bytes: Uint8Array): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  huffmanTree ??= buildHuffmanTree();
  const tree = huffmanTree;
  const out: number[] = [];
  let node = 0;
  let depth = 0;
  let allOnes = true;
  for (const byte of bytes) {
    for (let i = 7; i >= 0; i--) {
      const bit = (byte >> i) & 1;
      const next = tree[2 * node + bit]!;
      depth++;
      allOnes &&= bit === 1;
      if (next < 0) {
        const symbol = -next - 1;
        if (symbol === 256) return { ok: false, reason: "the string contains the EOS symbol" };
        out.push(symbol);
        node = 0;
        depth = 0;
        allOnes = true;
      } else node = next;
    }
  }
  if (depth > 7) return { ok: false, reason: "the padding is longer than 7 bits" };
  if (!allOnes) return { ok: false, reason: "the padding is not the most significant bits of EOS (all ones)" };
  return { ok: true, bytes: Uint8Array.from(out) };
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

export class HpackDecoder {
  /** Newest first, as the index space counts them (RFC 7541 §2.3.3). */
  #dynamic: Array<readonly [string, string]> = [];
  #size = 0;
  #maxSize: number;
  /** The limit SETTINGS_HEADER_TABLE_SIZE gave: a size update may not exceed it (§4.2, §6.3). */
  readonly #settingsLimit: number;

  constructor(settingsLimit = HPACK_DEFAULT_TABLE_SIZE) {
    this.#settingsLimit = settingsLimit;
    this.#maxSize = settingsLimit;
  }

  /** The dynamic table, newest entry first: what index 62 and after refer to now. */
  get dynamicTable(): ReadonlyArray<readonly [string, string]> {
    return this.#dynamic;
  }

  /** Decodes one whole header block (the field blocks of a HEADERS frame and its CONTINUATIONs, joined). */
  decode(block: Uint8Array): HpackResult {
    const fields: HpackField[] = [];
    const tableSizeUpdates: number[] = [];
    let at = 0;
    const fail = (error: string, offset: number, rfc: string): HpackResult => ({
      ok: false,
      error: { error, offset, rfc },
      fields,
    });

    const readInteger = (prefixBits: number): number | null => {
      const max = (1 << prefixBits) - 1;
      let value = block[at++]! & max;
      if (value < max) return value;
      let shift = 0;
      for (;;) {
        const byte = block[at++];
        if (byte === undefined) return null;
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (value > 0x7fffffff) return null;
        if ((byte & 0x80) === 0) return value;
      }
    };
    const readString = (): { text: string; huffman: boolean } | string => {
      if (at >= block.length) return "the block ends where a string should start";
      const huffman = (block[at]! & 0x80) !== 0;
      const length = readInteger(7);
      if (length === null) return "a string length runs past the block or past 2^31";
      if (at + length > block.length) return "a string is longer than what is left of the block";
      const raw = block.subarray(at, at + length);
      at += length;
      if (!huffman) return { text: latin1(raw), huffman };
      const decoded = decodeHuffman(raw);
      return decoded.ok
        ? { text: latin1(decoded.bytes), huffman }
        : `a Huffman-coded string is malformed: ${decoded.reason}`;
    };
    const entry = (index: number): readonly [string, string] | null => {
      if (index >= 1 && index <= HPACK_STATIC_TABLE.length) return HPACK_STATIC_TABLE[index - 1]!;
      return this.#dynamic[index - HPACK_STATIC_TABLE.length - 1] ?? null;
    };

    while (at < block.length) {
      const start = at;
      const first = block[at]!;
      if (first & 0x80) {
        const index = readInteger(7);
        if (index === null) return fail("an index runs past the block", start, "RFC 7541 §5.1");
        const found = index === 0 ? null : entry(index);
        if (!found)
          return fail(`index ${index} is not in the static or the dynamic table`, start, "RFC 7541 §6.1, §2.3.3");
        fields.push({
          name: found[0],
          value: found[1],
          representation: "indexed",
          index,
          huffmanName: false,
          huffmanValue: false,
          offset: start,
          length: at - start,
        });
        continue;
      }
      if ((first & 0xe0) === 0x20) {
        if (fields.length > 0)
          return fail(
            "a dynamic table size update must come before the first field of a block",
            start,
            "RFC 7541 §4.2",
          );
        const size = readInteger(5);
        if (size === null) return fail("a table size runs past the block", start, "RFC 7541 §5.1");
        if (size > this.#settingsLimit)
          return fail(
            `a table size of ${size} is more than SETTINGS_HEADER_TABLE_SIZE (${this.#settingsLimit})`,
            start,
            "RFC 7541 §6.3",
          );
        this.#maxSize = size;
        this.#evict(0);
        tableSizeUpdates.push(size);
        continue;
      }
      const representation: HpackRepresentation =
        first & 0x40 ? "literal-indexed" : first & 0x10 ? "literal-never-indexed" : "literal-not-indexed";
      const index = readInteger(first & 0x40 ? 6 : 4);
      if (index === null) return fail("an index runs past the block", start, "RFC 7541 §5.1");
      let name: string;
      let huffmanName = false;
      if (index === 0) {
        const read = readString();
        if (typeof read === "string") return fail(read, start, "RFC 7541 §5.2");
        name = read.text;
        huffmanName = read.huffman;
      } else {
        const found = entry(index);
        if (!found)
          return fail(`index ${index} is not in the static or the dynamic table`, start, "RFC 7541 §6.2, §2.3.3");
        name = found[0];
      }
      const value = readString();
      if (typeof value === "string") return fail(value, start, "RFC 7541 §5.2");
      fields.push({
        name,
        value: value.text,
        representation,
        index: index === 0 ? null : index,
        huffmanName,
        huffmanValue: value.huffman,
        offset: start,
        length: at - start,
      });
      if (representation === "literal-indexed") this.#add(name, value.text);
    }
    return { ok: true, fields, tableSizeUpdates };
  }

  /** Adds an entry, evicting the oldest first; one larger than the whole table empties it (§4.4). */
  #add(name: string, value: string): void {
    const size = name.length + value.length + 32;
    this.#evict(size);
    if (size > this.#maxSize) return;
    this.#dynamic.unshift([name, value]);
    this.#size += size;
  }

  /** Evicts until `incoming` more bytes fit (§4.1: an entry's size is its name, its value and 32). */
  #evict(incoming: number): void {
    while (this.#dynamic.length > 0 && this.#size + incoming > this.#maxSize) {
      const [name, value] = this.#dynamic.pop()!;
      this.#size -= name.length + value.length + 32;
    }
  }
}
