import { describe, expect, it } from "vitest";
import { buildCaptureView } from "../../protocol/capture.ts";
import { encodeClosePayload } from "../../protocol/close-payload.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { misbehavingBytes } from "../../protocol/misbehave-cases.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { shortHex } from "../shared/short-hex.ts";
import { closeStory, ruleBreakerStory } from "./close-story.ts";

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const frame = (opcode: number, payload: Uint8Array, key: Uint8Array | null): Uint8Array => {
  const encoded = encodeFrame({ opcode, payload, maskingKey: key });
  if (!encoded.ok) throw new Error(encoded.error);
  return encoded.bytes;
};
const key = Uint8Array.of(1, 2, 3, 4);
const request = new TextEncoder().encode("GET /lab/echo HTTP/1.1\r\nHost: x\r\n\r\n");
const response = new TextEncoder().encode("HTTP/1.1 101 Switching Protocols\r\n\r\n");

function conversation(
  chunks: { dir: "in" | "out"; bytes: Uint8Array; t: number }[],
  close: Partial<Extract<TapEvent, { type: "close" }>> | null,
): TapEvent[] {
  const events: TapEvent[] = [
    {
      type: "open",
      t: 0,
      specimen: 1,
      path: "/lab/echo",
      tuple: { clientAddress: "127.0.0.1", clientPort: 5, serverAddress: "127.0.0.1", serverPort: 6 },
    },
    { type: "request", t: 1, specimen: 1, offset: 0, data: b64(request) },
    { type: "response", t: 2, specimen: 1, offset: 0, data: b64(response) },
  ];
  const offsets = { in: request.length, out: response.length };
  for (const c of chunks) {
    events.push({
      type: "chunk",
      t: c.t,
      specimen: 1,
      dir: c.dir,
      offset: offsets[c.dir],
      length: c.bytes.length,
      data: b64(c.bytes),
    });
    offsets[c.dir] += c.bytes.length;
  }
  if (close)
    events.push({
      type: "close",
      t: 50,
      specimen: 1,
      code: 1000,
      reason: "",
      initiator: "client",
      wasClean: true,
      ...close,
    });
  return events;
}

describe("closeStory", () => {
  it("tells both close frames, their bytes, and that the server closed TCP first", () => {
    const view = buildCaptureView(
      conversation(
        [
          { dir: "in", bytes: frame(0x8, encodeClosePayload(4000, "bye"), key), t: 10 },
          { dir: "out", bytes: frame(0x8, encodeClosePayload(4000, "bye"), null), t: 12 },
        ],
        { code: 4000, reason: "bye" },
      ),
    );
    const story = closeStory(view);
    expect(story.frames.map((f) => f.dir)).toEqual(["in", "out"]);
    expect(story.frames[0]!.masked).toBe(true);
    expect(story.frames[1]!.hex).toBe("88 05 0f a0 62 79 65");
    expect(story.frames[1]!.says).toMatch(/^close code 4000 .*reason “bye” \(RFC 6455 §7\.4\.\d\)$/);
    expect(story.ending).toMatch(
      /^Both sides sent a close frame; then the TCP connection ended 40\.0 ms after the first close frame/,
    );
  });

  it("says when a close frame had no code (the page then reports 1005)", () => {
    const view = buildCaptureView(
      conversation(
        [
          { dir: "in", bytes: frame(0x8, new Uint8Array(0), key), t: 10 },
          { dir: "out", bytes: frame(0x8, new Uint8Array(0), null), t: 11 },
        ],
        { code: 1005 },
      ),
    );
    expect(closeStory(view).frames[1]!.says).toMatch(/empty body: no code, no reason/);
    expect(closeStory(view).frames[1]!.hex).toBe("88 00");
  });

  it("says when the connection ended with no close frame at all", () => {
    const view = buildCaptureView(conversation([], { code: 1006, wasClean: false, initiator: "network" }));
    expect(closeStory(view).ending).toMatch(/no close frame either way: a page reports 1006/);
    expect(closeStory(buildCaptureView(conversation([], null))).ending).toBe("The connection is still open.");
  });
});

describe("ruleBreakerStory", () => {
  it("names the rule the bytes break, and the lab's answer", () => {
    const view = buildCaptureView(
      conversation(
        [
          { dir: "in", bytes: misbehavingBytes("reserved-opcode", key, 1024), t: 10 },
          { dir: "out", bytes: frame(0x8, encodeClosePayload(1002, "Invalid opcode 3"), null), t: 13 },
        ],
        { code: 1002, reason: "Invalid opcode 3", initiator: "server" },
      ),
    );
    const story = ruleBreakerStory(view);
    expect(story.sent).toBe("83 82 01 02 03 04 49 6b");
    expect(story.broken).toMatch(/opcode.*RFC 6455 §5\.2.*1002/);
    expect(story.answer).toBe(
      "The lab answered 3.0 ms later with close code 1002 Protocol Error, reason “Invalid opcode 3” (RFC 6455 §7.4.1).",
    );
  });

  it("counts the pings a silent peer left unanswered", () => {
    const ping = frame(0x9, new Uint8Array(0), null);
    const view = buildCaptureView(
      conversation([{ dir: "out", bytes: ping, t: 1000 }], { code: 1006, wasClean: false, initiator: "server" }),
    );
    const story = ruleBreakerStory(view);
    expect(story.sent).toBe("nothing at all");
    expect(story.broken).toBeNull();
    expect(story.pings).toBe(1);
    expect(story.answer).toMatch(
      /^The lab sent a ping, got no pong, and ended the TCP connection .* with no close frame\.$/,
    );
  });

  it("cuts long bytes short", () => {
    expect(shortHex(new Uint8Array(30), 4)).toBe("00 00 00 00 … and 26 bytes more");
  });
});
