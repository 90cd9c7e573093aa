import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { buildCaptureView } from "../../protocol/capture.ts";
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
  { type: "open", t: 1, specimen: 3, path: "/lab/room", tuple: { clientAddress: "10.0.0.9", clientPort: 50000, serverAddress: "10.0.0.1", serverPort: 4321 } },
  { type: "request", t: 2, specimen: 3, offset: 0, data: bytesToBase64(request) },
  { type: "response", t: 3, specimen: 3, offset: 0, data: bytesToBase64(response) },
  { type: "chunk", t: 4, specimen: 3, dir: "in", offset: request.length, length: up.length, data: bytesToBase64(up) },
  { type: "chunk", t: 5, specimen: 3, dir: "out", offset: response.length, length: down.length + close.length, data: bytesToBase64(new Uint8Array([...down, ...close])) },
];

describe("own room frames", () => {
  it("lists each frame with direction, opcode, size, mask and payload text", () => {
    const rows = frameRows(buildCaptureView(events));
    expect(rows.map(({ dir, opcode, size, payload, masked, maskingKey, text }) => ({ dir, opcode, size, payload, masked, maskingKey, text }))).toEqual([
      { dir: "in", opcode: "text", size: 11, payload: 5, masked: true, maskingKey: "37 fa 21 3d", text: "Hello" },
      { dir: "out", opcode: "text", size: 7, payload: 5, masked: false, maskingKey: null, text: "Hello" },
      { dir: "out", opcode: "close", size: 4, payload: 2, masked: false, maskingKey: null, text: "1000" },
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
    expect(describeRow(rows[0]!)).toBe("you → lab: masked text frame, 11 bytes on the wire: Hello");
  });

  it("keeps only the newest frames and cuts long payloads", () => {
    const view = buildCaptureView(events);
    expect(frameRows(view, 1).map((r) => r.opcode)).toEqual(["close"]);
    expect(frameRows(view, 60, 3)[0]!.text).toBe("Hel…");
  });

  it("totals this connection's frames and bytes each way", () => {
    expect(ownTraffic(buildCaptureView(events))).toEqual({ framesUp: 1, framesDown: 2, bytesUp: 11, bytesDown: 11, handshakeBytes: request.length + response.length });
  });
});
