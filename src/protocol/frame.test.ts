import { describe, expect, it } from "vitest";
import { decodeFrame, dissectFrame, encodeClosePayload, encodeFrame, FrameDecoder, OPCODE } from "./frame.ts";
import type { DecodedFrame, FrameError, FrameInput, FrameRules } from "./frame.ts";
import { parseHex, toHex } from "./hex.ts";
import { frameExamples } from "./rfc-examples.ts";

function hex(text: string): Uint8Array {
  const parsed = parseHex(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.bytes;
}

function encode(frame: FrameInput): Uint8Array {
  const result = encodeFrame(frame);
  if (!result.ok) throw new Error(result.error);
  return result.bytes;
}

function decodeAll(bytes: Uint8Array, rules: FrameRules = {}): DecodedFrame[] {
  const decoder = new FrameDecoder(rules);
  const frames: DecodedFrame[] = [];
  for (const event of decoder.push(bytes)) {
    if (event.kind === "error") throw new Error(event.error.error);
    frames.push(event.frame);
  }
  expect(decoder.buffered).toBe(0);
  return frames;
}

function errorOf(bytes: Uint8Array, rules: FrameRules = {}): FrameError {
  const result = decodeFrame(bytes, rules);
  if (result.kind !== "error") throw new Error(`expected an error, got ${result.kind}`);
  return result.error;
}

describe("RFC 6455 §5.7 examples", () => {
  for (const example of frameExamples) {
    it(`decodes ${example.id} byte for byte`, () => {
      const frames = decodeAll(example.bytes, { direction: example.direction });
      expect(frames).toHaveLength(example.frames.length);
      frames.forEach((frame, i) => {
        const want = example.frames[i]!;
        expect(frame.fin).toBe(want.fin);
        expect(frame.opcode).toBe(want.opcode);
        expect(frame.maskingKey).toEqual(want.maskingKey);
        expect(frame.payload).toEqual(want.payload);
      });
    });

    it(`encodes ${example.id} to exactly the RFC bytes`, () => {
      const parts = example.frames.map((f) => encode(f));
      const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        joined.set(p, at);
        at += p.length;
      }
      expect(toHex(joined)).toBe(example.hex);
    });
  }

  it("matches the RFC text literally", () => {
    const byId = Object.fromEntries(frameExamples.map((e) => [e.id, e.hex]));
    expect(byId["unmasked-text"]).toBe("81 05 48 65 6c 6c 6f");
    expect(byId["masked-text"]).toBe("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    expect(byId["fragmented-text"]).toBe("01 03 48 65 6c 80 02 6c 6f");
    expect(byId["unmasked-ping"]).toBe("89 05 48 65 6c 6c 6f");
    expect(byId["masked-pong"]).toBe("8a 85 37 fa 21 3d 7f 9f 4d 51 58");
    expect(byId["binary-256"]!.startsWith("82 7e 01 00 ")).toBe(true);
    expect(byId["binary-256"]!.split(" ")).toHaveLength(4 + 256);
    expect(byId["binary-64k"]!.startsWith("82 7f 00 00 00 00 00 01 00 00 ")).toBe(true);
    expect(byId["binary-64k"]!.split(" ")).toHaveLength(10 + 65536);
  });
});

describe("encodeFrame", () => {
  it("uses the shortest length form at each boundary", () => {
    const header = (n: number) =>
      toHex(encode({ opcode: 2, payload: new Uint8Array(n) }).subarray(0, n < 126 ? 2 : n < 65536 ? 4 : 10));
    expect(header(0)).toBe("82 00");
    expect(header(125)).toBe("82 7d");
    expect(header(126)).toBe("82 7e 00 7e");
    expect(header(65535)).toBe("82 7e ff ff");
    expect(header(65536)).toBe("82 7f 00 00 00 00 00 01 00 00");
  });

  it("sets FIN and the RSV bits as asked", () => {
    expect(toHex(encode({ opcode: 1, fin: false, rsv1: true, rsv2: true, rsv3: true }))).toBe("71 00");
  });

  it("returns an error value for what the layout cannot express", () => {
    expect(encodeFrame({ opcode: 16 })).toMatchObject({ ok: false, rfc: "RFC 6455 §5.2" });
    expect(encodeFrame({ opcode: 1.5 })).toMatchObject({ ok: false });
    expect(encodeFrame({ opcode: 1, maskingKey: new Uint8Array(3) })).toMatchObject({
      ok: false,
      rfc: "RFC 6455 §5.3",
    });
  });
});

describe("validation", () => {
  const cases: Array<[string, string, FrameRules, Partial<FrameError>]> = [
    [
      "reserved data opcode",
      "83 00",
      {},
      { reason: "reserved-opcode", offset: 0, closeCode: 1002, rfc: "RFC 6455 §5.2" },
    ],
    ["reserved control opcode", "8b 00", {}, { reason: "reserved-opcode", offset: 0, closeCode: 1002 }],
    ["RSV1 with no extension", "c1 00", {}, { reason: "rsv-without-extension", offset: 0, closeCode: 1002 }],
    ["RSV3 with no extension", "91 00", {}, { reason: "rsv-without-extension", offset: 0 }],
    ["16-bit length under 126", "82 7e 00 05", {}, { reason: "non-minimal-length", offset: 2, closeCode: 1002 }],
    ["64-bit length under 65536", "82 7f 00 00 00 00 00 00 ff ff", {}, { reason: "non-minimal-length", offset: 2 }],
    [
      "64-bit length with its top bit set",
      "82 7f 80 00 00 00 00 00 00 00",
      {},
      { reason: "length-top-bit-set", offset: 2, closeCode: 1002 },
    ],
    [
      "ping over 125 bytes",
      "89 7e 00 7e",
      {},
      { reason: "control-frame-extended-length", offset: 1, rfc: "RFC 6455 §5.5" },
    ],
    // A short payload in a long form breaks the same rule: a control frame's length is always 7-bit.
    [
      "ping of 5 bytes in the 16-bit form",
      "89 7e 00 05",
      {},
      { reason: "control-frame-extended-length", offset: 1, rfc: "RFC 6455 §5.5" },
    ],
    [
      "close in the 64-bit form",
      "88 7f 00 00 00 00 00 00 00 02",
      {},
      { reason: "control-frame-extended-length", offset: 1, rfc: "RFC 6455 §5.5" },
    ],
    ["fragmented close", "08 00", {}, { reason: "control-frame-fragmented", offset: 0, rfc: "RFC 6455 §5.5" }],
    [
      "unmasked client frame",
      "81 00",
      { direction: "client-to-server" },
      { reason: "client-frame-not-masked", offset: 1, rfc: "RFC 6455 §5.1" },
    ],
    [
      "masked server frame",
      "81 80 00 00 00 00",
      { direction: "server-to-client" },
      { reason: "server-frame-masked", offset: 1 },
    ],
    ["one-byte close body", "88 01 03", {}, { reason: "close-body-one-byte", offset: 2, closeCode: 1002 }],
    [
      "close code 1005 on the wire",
      "88 02 03 ed",
      {},
      { reason: "close-code-not-allowed", offset: 2, closeCode: 1002 },
    ],
    ["close code 1006 on the wire", "88 02 03 ee", {}, { reason: "close-code-not-allowed" }],
    ["close code 999", "88 02 03 e7", {}, { reason: "close-code-not-allowed" }],
    ["close code 5000", "88 02 13 88", {}, { reason: "close-code-not-allowed" }],
    [
      "close reason not UTF-8",
      "88 04 03 e8 61 ff",
      {},
      { reason: "close-reason-invalid-utf8", offset: 5, closeCode: 1007 },
    ],
    [
      "payload over the limit",
      "82 7e 01 00",
      { maxPayloadLength: 255 },
      { reason: "payload-too-big", offset: 2, closeCode: 1009 },
    ],
  ];
  for (const [name, bytes, rules, want] of cases) {
    it(`rejects a ${name}`, () => {
      const error = errorOf(hex(bytes), rules);
      expect(error).toMatchObject(want);
      expect(error.error.length).toBeGreaterThan(10);
    });
  }

  it("reports an error as soon as the byte that shows it arrives", () => {
    expect(decodeFrame(hex("83"))).toMatchObject({ kind: "error", error: { reason: "reserved-opcode" } });
    expect(decodeFrame(hex("81 05"), { direction: "client-to-server" })).toMatchObject({
      kind: "error",
      error: { reason: "client-frame-not-masked" },
    });
    expect(decodeFrame(hex("81"))).toEqual({ kind: "need-more", needed: 1 });
    expect(decodeFrame(hex("81 05 48"))).toEqual({ kind: "need-more", needed: 4 });
  });

  it("accepts RSV bits an extension negotiated and valid close frames", () => {
    expect(decodeFrame(hex("c1 00"), { allowRsv: { rsv1: true } }).kind).toBe("frame");
    expect(decodeFrame(hex("88 00")).kind).toBe("frame");
    expect(decodeFrame(encode({ opcode: OPCODE.close, payload: encodeClosePayload(1000, "bye") })).kind).toBe("frame");
    expect(decodeFrame(encode({ opcode: OPCODE.close, payload: encodeClosePayload(4321, "é") })).kind).toBe("frame");
    expect(decodeFrame(hex("89 7d ".concat("00 ".repeat(125)))).kind).toBe("frame");
  });
});

describe("FrameDecoder", () => {
  it("reports stream offsets of each frame and waits for the rest", () => {
    const all = frameExamples.find((e) => e.id === "fragmented-text")!.bytes;
    const decoder = new FrameDecoder();
    expect(decoder.push(all.subarray(0, 4))).toEqual([]);
    expect(decoder.buffered).toBe(4);
    expect(decoder.needed).toBe(1);
    const events = decoder.push(all.subarray(4, 7));
    expect(events.map((e) => e.kind === "frame" && [e.start, e.end])).toEqual([[0, 5]]);
    expect(decoder.offset).toBe(5);
    expect(decoder.buffered).toBe(2);
    const rest = decoder.push(all.subarray(7));
    expect(rest.map((e) => e.kind === "frame" && [e.start, e.end])).toEqual([[5, 9]]);
    expect(decoder.buffered).toBe(0);
  });

  it("stops after an error, with the offset in the stream", () => {
    const decoder = new FrameDecoder({ direction: "server-to-client" });
    const events = decoder.push(hex("81 05 48 65 6c 6c 6f 83 00 81 00"));
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ kind: "error", start: 7, error: { reason: "reserved-opcode", offset: 7 } });
    expect(decoder.push(hex("81 00"))).toEqual([]);
    expect(decoder.error?.reason).toBe("reserved-opcode");
  });
});

describe("dissectFrame", () => {
  it("explains every bit of the masked RFC example", () => {
    const d = dissectFrame(frameExamples.find((e) => e.id === "masked-text")!.bytes, { direction: "client-to-server" });
    expect(d.complete).toBe(true);
    expect(d.problems).toEqual([]);
    expect(d.fields.map((f) => [f.id, f.bitStart, f.bitLength, f.value])).toEqual([
      ["fin", 0, 1, 1],
      ["rsv1", 1, 1, 0],
      ["rsv2", 2, 1, 0],
      ["rsv3", 3, 1, 0],
      ["opcode", 4, 4, 1],
      ["mask", 8, 1, 1],
      ["payload-length", 9, 7, 5],
      ["masking-key", 16, 32, 0x37fa213d],
      ["payload", 48, 40, null],
    ]);
    expect(d.text).toBe("Hello");
    expect(toHex(d.maskingKey!)).toBe("37 fa 21 3d");
    expect(toHex(d.wirePayload)).toBe("7f 9f 4d 51 58");
    expect(toHex(d.payload)).toBe("48 65 6c 6c 6f");
    expect(d.unmaskSteps[0]).toEqual({ offset: 6, wire: 0x7f, keyIndex: 0, key: 0x37, value: 0x48 });
    expect(d.unmaskSteps[4]).toEqual({ offset: 10, wire: 0x58, keyIndex: 0, key: 0x37, value: 0x6f });
    for (const f of d.fields) expect(f.rfc).toMatch(/^RFC 6455 §/);
  });

  it("tells each field's meaning as short facts, each with its section, numbers read from the bytes", () => {
    const frames = [
      frameExamples.find((e) => e.id === "masked-text")!.bytes,
      encode({ opcode: OPCODE.binary, payload: new Uint8Array(300) }),
      encode({ opcode: OPCODE.close, payload: encodeClosePayload(1001, "bye") }),
      hex("01 7e 00 05 01 02 03 04 05"),
      hex("c9 00"),
    ];
    for (const bytes of frames) {
      for (const f of dissectFrame(bytes).fields) {
        expect(f.facts.length, f.name).toBeGreaterThan(0);
        for (const { text, rfc } of f.facts) {
          // One fact a line: one sentence, short enough for two lines of a phone at most (the
          // opcode's and close code's words come from their tables), and its section.
          expect(text.length, text).toBeLessThanOrEqual(f.id === "opcode" || f.id === "close-code" ? 110 : 70);
          expect(text, text).toMatch(/^[A-Z0-9][^;]*[.]$/);
          expect(rfc, text).toMatch(/RFC 6455 §\d/);
        }
        expect(f.meaning).toBe(f.facts.map((x) => x.text).join(" "));
      }
    }
    const long = dissectFrame(frames[1]!);
    expect(long.fields.find((f) => f.id === "payload-length")!.facts.map((x) => x.text)).toEqual([
      "126: the length is in the next 2 bytes.",
      "That 16-bit form is for 126 to 65535 bytes.",
    ]);
    expect(long.fields.find((f) => f.id === "extended-payload-length")!.facts[0]).toEqual({
      text: "The payload is 300 bytes long.",
      rfc: "RFC 6455 §5.2",
    });
    expect(long.fields.find((f) => f.id === "payload")!.facts[0]!.text).toBe("300 bytes of binary data.");
    const masked = dissectFrame(frames[0]!);
    expect(masked.fields.find((f) => f.id === "mask")!.facts.map((x) => x.rfc)).toEqual([
      "RFC 6455 §5.2",
      "RFC 6455 §5.2",
      "RFC 6455 §5.1",
    ]);
    expect(masked.fields.find((f) => f.id === "payload-length")!.facts[0]!.text).toBe("The payload is 5 bytes long.");
    expect(dissectFrame(frames[2]!).fields.find((f) => f.id === "close-code")!.facts[0]).toEqual({
      text: "1001, Going Away.",
      rfc: "RFC 6455 §7.4.1",
    });
    expect(
      dissectFrame(frames[4]!)
        .fields.find((f) => f.id === "rsv1")!
        .facts.map((x) => x.text),
    ).toEqual([
      "Set, but no extension was negotiated to give it a meaning.",
      "So the receiver must fail the connection.",
    ]);
  });

  it("splits a close body into code and reason", () => {
    const d = dissectFrame(encode({ opcode: OPCODE.close, payload: encodeClosePayload(1001, "bye") }));
    expect(d.fields.slice(-2).map((f) => [f.id, f.byteStart, f.byteEnd, f.value])).toEqual([
      ["close-code", 2, 4, 1001],
      ["close-reason", 4, 7, null],
    ]);
    expect(d.close).toEqual({ code: 1001, reason: "bye" });
  });

  it("still takes apart frames that break rules, and lists the problems", () => {
    const d = dissectFrame(hex("83 7e 00 05 01 02 03 04 05"));
    expect(d.problems.map((p) => p.reason)).toEqual(["reserved-opcode"]);
    expect(d.fields.find((f) => f.id === "extended-payload-length")?.meaning).toMatch(/under 126/);
    expect(d.complete).toBe(true);
  });

  it("reports what the first byte alone already breaks, as FrameDecoder does", () => {
    expect(dissectFrame(hex("8d")).problems).toMatchObject([{ reason: "reserved-opcode", offset: 0, closeCode: 1002 }]);
    expect(dissectFrame(hex("c1")).problems).toMatchObject([{ reason: "rsv-without-extension", offset: 0 }]);
    expect(dissectFrame(hex("09")).problems).toMatchObject([{ reason: "control-frame-fragmented", offset: 0 }]);
    const fine = dissectFrame(hex("81"));
    expect(fine.problems).toEqual([]);
    expect(fine.needed).toBe(1);
    for (const first of [0x8d, 0xc1, 0x09, 0x81]) {
      const decoder = new FrameDecoder();
      const reported = decoder.push(Uint8Array.of(first));
      expect(dissectFrame(Uint8Array.of(first)).problems.map((p) => p.reason)).toEqual(
        reported.filter((r) => r.kind === "error").map((r) => r.error.reason),
      );
    }
  });

  it("flags invalid UTF-8 in a text frame", () => {
    const d = dissectFrame(hex("81 02 c3 28"));
    expect(d.problems).toMatchObject([{ reason: "text-invalid-utf8", offset: 3, closeCode: 1007 }]);
  });

  it("describes a partial frame and how much is missing", () => {
    const d = dissectFrame(hex("81 85 37 fa"));
    expect(d.complete).toBe(false);
    expect(d.length).toBe(4);
    expect(d.needed).toBe(7);
    expect(d.fields.at(-1)).toMatchObject({ id: "masking-key", complete: false, byteStart: 2, byteEnd: 4 });
  });

  it("stops at the end of the first frame", () => {
    const d = dissectFrame(hex("81 01 61 81 01 62"));
    expect(d.length).toBe(3);
    expect(d.text).toBe("a");
  });
});
