import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { buildCaptureView } from "../../protocol/capture.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { describeRow, frameRows, ownTraffic } from "./own-frames.ts";

const enc = new TextEncoder();
const request = enc.encode("GET /lab/room?watch=x HTTP/1.1\r\nHost: lab\r\n\r\n");
const response = enc.encode("HTTP/1.1 101 Switching Protocols\r\n\r\n");
// RFC 6455 §5.7: a masked "Hello" from the client, an unmasked "Hello" from the server, then a close 1000.
const up = new Uint8Array([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
const down = new Uint8Array([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
const close = new Uint8Array([0x88, 0x02, 0x03, 0xe8]);
const limits = { captureBytes: 1 << 20, eventsPerSecond: 500, monitorBufferBytes: 1 << 20 };

const events: TapEvent[] = [
  { type: "hello", v: 1, token: "t".repeat(22), limits },
  {
    type: "open",
    t: 1,
    specimen: 3,
    path: "/lab/room",
    tuple: { clientAddress: "10.0.0.9", clientPort: 50000, serverAddress: "10.0.0.1", serverPort: 4321 },
  },
  { type: "request", t: 2, specimen: 3, offset: 0, data: bytesToBase64(request) },
  { type: "response", t: 3, specimen: 3, offset: 0, data: bytesToBase64(response) },
  { type: "chunk", t: 4, specimen: 3, dir: "in", offset: request.length, length: up.length, data: bytesToBase64(up) },
  {
    type: "chunk",
    t: 5,
    specimen: 3,
    dir: "out",
    offset: response.length,
    length: down.length + close.length,
    data: bytesToBase64(new Uint8Array([...down, ...close])),
  },
];

describe("own room frames", () => {
  it("lists each frame with direction, opcode, size, mask and payload text", () => {
    const rows = frameRows(buildCaptureView(events));
    expect(
      rows.map(({ dir, opcode, size, payload, masked, maskingKey, text, redacted }) => ({
        dir,
        opcode,
        size,
        payload,
        masked,
        maskingKey,
        text,
        redacted,
      })),
    ).toEqual([
      {
        dir: "in",
        opcode: "text",
        size: 11,
        payload: 5,
        masked: true,
        maskingKey: "37 fa 21 3d",
        text: "Hello",
        redacted: false,
      },
      {
        dir: "out",
        opcode: "text",
        size: 7,
        payload: 5,
        masked: false,
        maskingKey: null,
        text: "Hello",
        redacted: false,
      },
      {
        dir: "out",
        opcode: "close",
        size: 4,
        payload: 2,
        masked: false,
        maskingKey: null,
        text: "1000",
        redacted: false,
      },
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
    expect(describeRow(rows[0]!)).toBe("you → lab: masked text frame, 11 bytes on the wire: Hello");
  });

  it("keeps only the newest frames and cuts long payloads", () => {
    const view = buildCaptureView(events);
    expect(frameRows(view, 1).map((r) => r.opcode)).toEqual(["close"]);
    expect(frameRows(view, 60, 3)[0]!.text).toBe("Hel…");
  });

  it("masks the teacher key and resume tokens, whichever way they travel and however the frame is cut", () => {
    const key = "Zq3vR8kLm2Xw9TnB4yHcPa";
    const frame = (text: string, fin: boolean, opcode: number, masked: boolean): Uint8Array => {
      const encoded = encodeFrame({
        opcode,
        fin,
        payload: enc.encode(text),
        maskingKey: masked ? new Uint8Array([1, 2, 3, 4]) : null,
      });
      if (!encoded.ok) throw new Error(encoded.error);
      return encoded.bytes;
    };
    const teach = frame(JSON.stringify({ type: "teach", code: "ABC234", teacherKey: key }), true, 1, true);
    const created = JSON.stringify({ type: "created", code: "ABC234", teacherKey: key, you: { id: "t" } });
    // The lab's welcome split in two fragments inside the key.
    const cut = created.indexOf(key) + 5;
    const down = new Uint8Array([
      ...frame(created.slice(0, cut), false, 1, false),
      ...frame(created.slice(cut), true, 0, false),
    ]);
    const secretEvents: TapEvent[] = [
      ...events.slice(0, 4),
      {
        type: "chunk",
        t: 4,
        specimen: 3,
        dir: "in",
        offset: request.length,
        length: teach.length,
        data: bytesToBase64(teach),
      },
      {
        type: "chunk",
        t: 5,
        specimen: 3,
        dir: "out",
        offset: response.length,
        length: down.length,
        data: bytesToBase64(down),
      },
    ];
    const rows = frameRows(buildCaptureView(secretEvents));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      for (let i = 0; i + 4 <= key.length; i++) expect(describeRow(row)).not.toContain(key.slice(i, i + 4));
    }
    expect(rows.map((r) => r.redacted)).toEqual([true, true, true]);
    expect(rows[2]!.text).toBe(`••••","you":{"id":"t"}}`);
    // Only the newest row shown: the fragment before it is still read to find the secret.
    expect(frameRows(buildCaptureView(secretEvents), 1)[0]!.text).toBe(`••••","you":{"id":"t"}}`);
    expect(rows[0]!.text).toContain('"teacherKey":"••••"');
  });

  it("shows a binary message's fragments as hex, and hides a continuation whose start was not captured", () => {
    const frame = (opcode: number, fin: boolean, bytes: number[]): Uint8Array => {
      const encoded = encodeFrame({ opcode, fin, payload: new Uint8Array(bytes) });
      if (!encoded.ok) throw new Error(encoded.error);
      return encoded.bytes;
    };
    const down = new Uint8Array([
      ...frame(0x0, true, [0x61, 0x62]),
      ...frame(0x2, false, [1, 2]),
      ...frame(0x0, true, [3, 4]),
    ]);
    const rows = frameRows(
      buildCaptureView([
        ...events.slice(0, 4),
        {
          type: "chunk",
          t: 5,
          specimen: 3,
          dir: "out",
          offset: response.length,
          length: down.length,
          data: bytesToBase64(down),
        },
      ]),
    );
    expect(rows.map((r) => r.text)).toEqual([
      "(2 bytes continuing a message that began before the capture)",
      "01 02",
      "03 04",
    ]);
  });

  it("totals this connection's frames and bytes each way", () => {
    expect(ownTraffic(buildCaptureView(events))).toEqual({
      framesUp: 1,
      framesDown: 2,
      bytesUp: 11,
      bytesDown: 11,
      handshakeBytes: request.length + response.length,
    });
  });
});
