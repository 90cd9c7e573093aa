// The HTTP/2 frame reader, on frames built byte by byte from RFC 9113's layouts: the preface,
// SETTINGS with RFC 8441's SETTINGS_ENABLE_CONNECT_PROTOCOL, frames split across reads, padding
// and priority fields removed from field blocks, and each length rule that makes a frame malformed.
import { describe, expect, it } from "vitest";
import { HTTP2_PREFACE, Http2FrameReader, type Http2Frame, type Http2ReaderEvent } from "./http2-frames.ts";

function frame(type: number, flags: number, streamId: number, payload: number[] | Uint8Array): Uint8Array {
  const body = Uint8Array.from(payload);
  const out = new Uint8Array(9 + body.length);
  out.set([
    (body.length >> 16) & 0xff,
    (body.length >> 8) & 0xff,
    body.length & 0xff,
    type,
    flags,
    (streamId >>> 24) & 0x7f,
    (streamId >> 16) & 0xff,
    (streamId >> 8) & 0xff,
    streamId & 0xff,
  ]);
  out.set(body, 9);
  return out;
}
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const frames = (events: Http2ReaderEvent[]): Http2Frame[] =>
  events.flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
const setting = (id: number, value: number) => [
  id >> 8,
  id & 0xff,
  (value >>> 24) & 0xff,
  (value >> 16) & 0xff,
  (value >> 8) & 0xff,
  value & 0xff,
];

describe("Http2FrameReader", () => {
  it("reads the client preface, then a SETTINGS frame that enables extended CONNECT, in pieces", () => {
    const settings = frame(0x4, 0, 0, [...setting(0x3, 100), ...setting(0x8, 1), ...setting(0x42, 7)]);
    const wire = concat(HTTP2_PREFACE, settings);
    const reader = new Http2FrameReader({ expectPreface: true });
    const events = [
      ...reader.push(wire.subarray(0, 10)),
      ...reader.push(wire.subarray(10, 30)),
      ...reader.push(wire.subarray(30)),
    ];
    expect(events[0]).toMatchObject({ kind: "preface", offset: 0 });
    const [read] = frames(events);
    expect(read).toMatchObject({ offset: 24, typeName: "SETTINGS", streamId: 0, length: 18, flagNames: [] });
    expect(read!.detail).toEqual({
      kind: "settings",
      settings: [
        { id: 0x3, name: "SETTINGS_MAX_CONCURRENT_STREAMS", value: 100 },
        { id: 0x8, name: "SETTINGS_ENABLE_CONNECT_PROTOCOL", value: 1 },
        { id: 0x42, name: "unknown (0x42)", value: 7 },
      ],
    });
    expect(read!.raw).toEqual(settings);
  });

  it("names flags and strips padding and priority fields from a HEADERS field block", () => {
    const block = [0x82, 0x86, 0x84];
    // PADDED | PRIORITY | END_HEADERS: pad length 2, 5 bytes of priority, the block, 2 bytes of padding.
    const headers = frame(0x1, 0x8 | 0x20 | 0x4, 1, [2, 0, 0, 0, 0, 15, ...block, 0, 0]);
    const [read] = frames(new Http2FrameReader({ expectPreface: false }).push(headers));
    expect(read).toMatchObject({ typeName: "HEADERS", streamId: 1, flagNames: ["END_HEADERS", "PADDED", "PRIORITY"] });
    expect(read!.detail).toEqual({ kind: "field-block", block: Uint8Array.from(block) });
  });

  it("reads DATA, WINDOW_UPDATE, PING, RST_STREAM and GOAWAY, and names an unknown type without failing", () => {
    const wire = concat(
      frame(0x0, 0x1, 1, [0x81, 0x02, 0x68, 0x69]),
      frame(0x8, 0, 0, [0, 0, 0x40, 0]),
      frame(0x6, 0x1, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
      frame(0x3, 0, 1, [0, 0, 0, 8]),
      frame(0x7, 0, 0, [0, 0, 0, 1, 0, 0, 0, 0, 0x62, 0x79, 0x65]),
      frame(0xfa, 0, 0, [9]),
    );
    const read = frames(new Http2FrameReader({ expectPreface: false }).push(wire));
    expect(read.map((f) => f.typeName)).toEqual([
      "DATA",
      "WINDOW_UPDATE",
      "PING",
      "RST_STREAM",
      "GOAWAY",
      "unknown (0xfa)",
    ]);
    expect(read[0]!.flagNames).toEqual(["END_STREAM"]);
    expect(read[0]!.detail).toEqual({ kind: "data", data: Uint8Array.from([0x81, 0x02, 0x68, 0x69]) });
    expect(read[1]!.detail).toEqual({ kind: "window-update", increment: 0x4000 });
    expect(read[2]!.flagNames).toEqual(["ACK"]);
    expect(read[3]!.detail).toMatchObject({ kind: "rst-stream", errorCode: 8, error: "CANCEL" });
    expect(read[4]!.detail).toMatchObject({
      kind: "goaway",
      lastStreamId: 1,
      error: "NO_ERROR",
      debug: Uint8Array.from([0x62, 0x79, 0x65]),
    });
    expect(read[5]!.detail).toEqual({ kind: "other" });
    expect(read.map((f) => f.offset)).toEqual([0, 13, 26, 43, 56, 76]);
  });

  it.each([
    ["a wrong preface", true, new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"), /client preface/, "RFC 9113 §3.4"],
    [
      "a frame over the maximum size",
      false,
      Uint8Array.from([0x00, 0x40, 0x01, 0, 0, 0, 0, 0, 1]),
      /larger than SETTINGS_MAX_FRAME_SIZE/,
      "RFC 9113 §4.2",
    ],
    ["SETTINGS not a multiple of 6", false, frame(0x4, 0, 0, [0, 1, 0, 0]), /multiple of 6/, "RFC 9113 §6.5"],
    [
      "a SETTINGS ACK with a body",
      false,
      frame(0x4, 0x1, 0, setting(1, 1)),
      /acknowledgment must be empty/,
      "RFC 9113 §6.5",
    ],
    ["a short PING", false, frame(0x6, 0, 0, [1, 2, 3]), /exactly 8 bytes/, "RFC 9113 §6.7"],
    ["padding longer than the payload", false, frame(0x0, 0x8, 1, [5, 1, 2]), /padding/, "RFC 9113 §6.1"],
  ])("stops at %s with the rule it breaks", (_what, preface, bytes, message, rfc) => {
    const reader = new Http2FrameReader({ expectPreface: preface });
    const events = reader.push(bytes);
    const error = events.find((e) => e.kind === "error");
    expect(error).toBeDefined();
    if (error?.kind === "error") {
      expect(error.error.error).toMatch(message);
      expect(error.error.rfc).toBe(rfc);
    }
    expect(reader.push(frame(0x8, 0, 0, [0, 0, 0, 1]))).toEqual([]);
  });
});
