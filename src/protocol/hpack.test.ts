// HPACK against RFC 7541's own examples (Appendix C): each representation, Huffman-coded strings,
// and the dynamic table across a connection's blocks; then every rule that makes a block malformed.
import { describe, expect, it } from "vitest";
import { decodeHuffman, HpackDecoder } from "./hpack.ts";
import { parseHex } from "./hex.ts";

function bytes(hex: string): Uint8Array {
  const parsed = parseHex(hex.replace(/\s+/g, ""));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.bytes;
}
const pairs = (result: ReturnType<HpackDecoder["decode"]>) => {
  if (!result.ok) throw new Error(result.error.error);
  return result.fields.map((f) => [f.name, f.value]);
};

describe("HPACK, RFC 7541 Appendix C", () => {
  it("C.2.1–C.2.4: each representation once", () => {
    const withIndexing = new HpackDecoder();
    const result = withIndexing.decode(bytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    expect(pairs(result)).toEqual([["custom-key", "custom-header"]]);
    expect(result.ok && result.fields[0]).toMatchObject({
      representation: "literal-indexed",
      index: null,
      huffmanName: false,
      huffmanValue: false,
      offset: 0,
      length: 26,
    });
    expect(withIndexing.dynamicTable).toEqual([["custom-key", "custom-header"]]);

    const without = new HpackDecoder();
    expect(pairs(without.decode(bytes("040c 2f73 616d 706c 652f 7061 7468")))).toEqual([[":path", "/sample/path"]]);
    expect(without.dynamicTable).toEqual([]);

    const never = new HpackDecoder();
    const secret = never.decode(bytes("1008 7061 7373 776f 7264 0673 6563 7265 74"));
    expect(pairs(secret)).toEqual([["password", "secret"]]);
    expect(secret.ok && secret.fields[0]!.representation).toBe("literal-never-indexed");

    const indexed = new HpackDecoder().decode(bytes("82"));
    expect(pairs(indexed)).toEqual([[":method", "GET"]]);
    expect(indexed.ok && indexed.fields[0]).toMatchObject({ representation: "indexed", index: 2 });
  });

  it("C.4: three requests with Huffman coding, sharing one dynamic table", () => {
    const decoder = new HpackDecoder();
    const first = decoder.decode(bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"));
    expect(pairs(first)).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ]);
    expect(first.ok && first.fields[3]).toMatchObject({
      representation: "literal-indexed",
      index: 1,
      huffmanValue: true,
    });
    expect(pairs(decoder.decode(bytes("8286 84be 5886 a8eb 1064 9cbf")))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ]);
    expect(pairs(decoder.decode(bytes("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")))).toEqual([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ]);
    expect(decoder.dynamicTable).toEqual([
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ]);
  });

  it("evicts the oldest entries when the table is full, and a size update shrinks it", () => {
    const decoder = new HpackDecoder(100);
    // Two entries of 32 + 10 + 13 = 55 bytes each: the second evicts the first.
    decoder.decode(bytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    decoder.decode(bytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6573"));
    expect(decoder.dynamicTable).toEqual([["custom-key", "custom-heades"]]);
    // A size update to 0 (0x20) empties it.
    const update = decoder.decode(bytes("20 82"));
    expect(update.ok && update.tableSizeUpdates).toEqual([0]);
    expect(decoder.dynamicTable).toEqual([]);
  });
});

describe("HPACK errors", () => {
  it.each([
    ["index 0", "80", /index 0/, "RFC 7541 §6.1, §2.3.3"],
    ["an index past both tables", "be", /index 62/, "RFC 7541 §6.1, §2.3.3"],
    ["a string longer than the block", "400a 6375", /longer than what is left/, "RFC 7541 §5.2"],
    ["an integer that never ends", "7f ff ff", /runs past/, "RFC 7541 §5.1"],
    ["a size update after a field", "82 20", /before the first field/, "RFC 7541 §4.2"],
    ["a size update over the setting", "3fe2 1f", /more than SETTINGS_HEADER_TABLE_SIZE/, "RFC 7541 §6.3"],
  ])("refuses %s", (_what, hex, message, rfc) => {
    const result = new HpackDecoder().decode(bytes(hex));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.error).toMatch(message);
      expect(result.error.rfc).toBe(rfc);
    }
  });

  it("Huffman: padding over 7 bits, padding that is not all ones, and EOS are refused", () => {
    // "a" is 00011 (5 bits); then 3 bits of ones pad the byte: 0x1f.
    expect(decodeHuffman(bytes("1f"))).toEqual({ ok: true, bytes: Uint8Array.of(0x61) });
    expect(decodeHuffman(bytes("1f ff"))).toMatchObject({ ok: false, reason: /longer than 7 bits/ });
    expect(decodeHuffman(bytes("18"))).toMatchObject({ ok: false, reason: /all ones/ });
    expect(decodeHuffman(bytes("ff ff ff fc"))).toMatchObject({ ok: false, reason: /EOS/ });
  });
});
