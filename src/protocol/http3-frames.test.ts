// The HTTP/3 writer lesson 9's simulation uses: QUIC varints against RFC 9000's own examples,
// SETTINGS and frames byte for byte, and QPACK literal field sections read back.
import { describe, expect, it } from "vitest";
import {
  decodeQpackLiterals,
  decodeVarint,
  encodeHttp3Frame,
  encodeQpackLiterals,
  encodeSettingsPayload,
  encodeVarint,
  HTTP3_FRAME,
  HTTP3_SETTINGS,
  readHttp3Frames,
  readSettingsPayload,
  SETTINGS_ENABLE_CONNECT_PROTOCOL,
} from "./http3-frames.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"));

describe("QUIC variable-length integers (RFC 9000 §16)", () => {
  it("reads RFC 9000 Appendix A.1's examples", () => {
    expect(decodeVarint(bytes("9d7f3e7d"))).toEqual({ value: 494_878_333, length: 4 });
    expect(decodeVarint(bytes("7bbd"))).toEqual({ value: 15_293, length: 2 });
    expect(decodeVarint(bytes("25"))).toEqual({ value: 37, length: 1 });
    // The same 37 in two bytes: longer than needed, and still valid.
    expect(decodeVarint(bytes("4025"))).toEqual({ value: 37, length: 2 });
  });

  it("writes the shortest form, and reads back every boundary", () => {
    expect(hex(encodeVarint(37))).toBe("25");
    expect(hex(encodeVarint(15_293))).toBe("7bbd");
    expect(hex(encodeVarint(494_878_333))).toBe("9d7f3e7d");
    for (const value of [0, 63, 64, 16_383, 16_384, 2 ** 30 - 1, 2 ** 30, Number.MAX_SAFE_INTEGER]) {
      const written = encodeVarint(value);
      expect(decodeVarint(written)).toEqual({ value, length: written.length });
    }
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(decodeVarint(bytes("9d7f"))).toBeNull();
  });
});

describe("HTTP/3 frames (RFC 9114 §7)", () => {
  it("writes the server's SETTINGS with SETTINGS_ENABLE_CONNECT_PROTOCOL = 1: type 0x04, length 2, then 0x08 = 1 (RFC 9220 §3)", () => {
    const frame = encodeHttp3Frame(
      HTTP3_FRAME.SETTINGS,
      encodeSettingsPayload([[SETTINGS_ENABLE_CONNECT_PROTOCOL, 1]]),
    );
    expect(hex(frame)).toBe("04020801");
    const [read] = readHttp3Frames(frame)!;
    expect(read!.typeName).toBe("SETTINGS");
    expect(readSettingsPayload(read!.payload)).toEqual([[8, 1]]);
    expect(HTTP3_SETTINGS[8]!.name).toBe("SETTINGS_ENABLE_CONNECT_PROTOCOL");
  });

  it("frames a payload of any length with a varint length, and reads frames back in order", () => {
    const big = new Uint8Array(300).fill(7);
    const both = new Uint8Array([
      ...encodeHttp3Frame(HTTP3_FRAME.DATA, Uint8Array.of(1, 2, 3)),
      ...encodeHttp3Frame(HTTP3_FRAME.DATA, big),
    ]);
    expect(hex(both.subarray(0, 5))).toBe("0003010203");
    expect(hex(both.subarray(5, 8))).toBe("00412c"); // 300 = 0x12c, in the two-byte form
    const frames = readHttp3Frames(both)!;
    expect(frames.map((f) => [f.typeName, f.offset, f.payload.length])).toEqual([
      ["DATA", 0, 3],
      ["DATA", 5, 300],
    ]);
    expect(readHttp3Frames(both.subarray(0, 20))).toBeNull();
    expect(readHttp3Frames(Uint8Array.of(0x21, 0x00))![0]!.typeName).toBe("unknown (0x21)");
  });
});

describe("QPACK field sections with literal names (RFC 9204 §4.5.1, §4.5.6)", () => {
  it("writes the prefix 00 00 and each line as 001 N H + name length, name, H + value length, value", () => {
    const section = encodeQpackLiterals([["origin", "x"]]);
    expect(hex(section)).toBe(`0000` + `26` + hex(Buffer.from("origin")) + `01` + `78`);
    // A name of 7 or more bytes overflows the 3-bit prefix: 0x27, then the rest (RFC 7541 §5.1).
    expect(hex(encodeQpackLiterals([[":protocol", "websocket"]]).subarray(2, 4))).toBe("2702");
  });

  it("reads back what it writes, and refuses what it does not model", () => {
    const fields = [
      [":method", "CONNECT"],
      [":protocol", "websocket"],
      ["sec-websocket-version", "13"],
      ["x-long", "v".repeat(200)],
    ] as const;
    expect(decodeQpackLiterals(encodeQpackLiterals(fields))).toEqual(fields.map((f) => [...f]));
    expect(decodeQpackLiterals(Uint8Array.of(0x00, 0x00, 0xd1))).toBeNull(); // an indexed static line (§4.5.2)
    expect(decodeQpackLiterals(Uint8Array.of(0x01, 0x00))).toBeNull(); // a dynamic-table prefix
  });
});
