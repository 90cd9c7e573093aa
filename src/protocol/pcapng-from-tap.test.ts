import { describe, expect, it } from "vitest";
import { PCAPNG_BLOCK_TYPES } from "./pcapng.ts";
import { tapRecordingToPcapng } from "./pcapng-from-tap.ts";
import type { TapEvent } from "./tap-events.ts";

const b64 = (text: string): string => btoa(text);
const tuple = { clientAddress: "127.0.0.1", clientPort: 50000, serverAddress: "127.0.0.1", serverPort: 4321 };

function connection(specimen: number, extra: TapEvent[] = []): TapEvent[] {
  return [
    {
      type: "open",
      t: 1000 * specimen,
      specimen,
      path: "/lab/echo",
      tuple: { ...tuple, clientPort: 50000 + specimen },
    },
    { type: "request", t: 1000 * specimen + 1, specimen, offset: 0, data: b64("GET /lab/echo HTTP/1.1\r\n\r\n") },
    {
      type: "response",
      t: 1000 * specimen + 2,
      specimen,
      offset: 0,
      data: b64("HTTP/1.1 101 Switching Protocols\r\n\r\n"),
    },
    ...extra,
  ];
}

const packetsIn = (bytes: Uint8Array): number => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let at = 0; at < bytes.length; at += view.getUint32(at + 4, true))
    if (view.getUint32(at, true) === PCAPNG_BLOCK_TYPES.enhancedPacket) count++;
  return count;
};

describe("tapRecordingToPcapng", () => {
  it("writes the newest connection's heads and chunks as packets", () => {
    const chunk: TapEvent = {
      type: "chunk",
      t: 2005,
      specimen: 2,
      dir: "in",
      offset: 26,
      length: 2,
      data: b64("\x81\x00"),
    };
    const first = tapRecordingToPcapng(connection(1));
    const both = tapRecordingToPcapng([...connection(1), ...connection(2, [chunk])]);
    expect(first.ok && both.ok).toBe(true);
    if (!first.ok || !both.ok) return;
    // Three handshake packets, the data, three closing packets.
    expect(packetsIn(first.bytes)).toBe(3 + 2 + 3);
    expect(packetsIn(both.bytes)).toBe(3 + 3 + 3);
  });

  it("refuses a recording with a hole in it, or with no connection", () => {
    const cut: TapEvent = { type: "chunk", t: 1005, specimen: 1, dir: "out", offset: 36, length: 10, truncated: true };
    const holed = tapRecordingToPcapng(connection(1, [cut]));
    expect(holed.ok).toBe(false);
    if (!holed.ok) expect(holed.error).toMatch(/capture limit/);
    expect(tapRecordingToPcapng([]).ok).toBe(false);
  });
});
