import { describe, expect, it } from "vitest";
import { realConversation, realTotals, scenarioFor } from "./conversation.ts";
import { buildCaptureView } from "../../protocol/capture.ts";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { frameExamples, handshakeExample } from "../../protocol/rfc-examples.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const request = ascii(handshakeExample.request);
const response = ascii(handshakeExample.response);
const masked = frameExamples.find((f) => f.id === "masked-text")!.bytes;
const plain = frameExamples.find((f) => f.id === "unmasked-text")!.bytes;
const tuple = { clientAddress: "127.0.0.1", clientPort: 1, serverAddress: "127.0.0.1", serverPort: 2 };

const events: TapEvent[] = [
  { type: "hello", v: 1, token: "t".repeat(22), limits: { captureBytes: 1, eventsPerSecond: 1, monitorBufferBytes: 1 } },
  { type: "open", t: 1000, specimen: 1, path: "/lab/echo", tuple },
  { type: "request", t: 1000, specimen: 1, offset: 0, data: bytesToBase64(request) },
  { type: "response", t: 1002, specimen: 1, offset: 0, data: bytesToBase64(response) },
  { type: "chunk", t: 1500, specimen: 1, dir: "in", offset: request.length, length: masked.length, data: bytesToBase64(masked) },
  { type: "chunk", t: 1501, specimen: 1, dir: "out", offset: response.length, length: plain.length, data: bytesToBase64(plain) },
];

describe("the real conversation for the side-by-side view", () => {
  it("times messages from the 101 and counts their wire bytes", () => {
    const conversation = realConversation(buildCaptureView(events));
    expect(conversation.origin).toBe(1002);
    expect(conversation.messages).toEqual([
      { dir: "in", t: 498, text: "Hello", bytes: 11, headerBytes: 6 },
      { dir: "out", t: 499, text: "Hello", bytes: 7, headerBytes: 2 },
    ]);
    expect(realTotals(conversation)).toEqual({ messages: 2, bytes: 18, headerBytes: 8 });
  });

  it("asks the simulation for the same events on the chosen link", () => {
    const conversation = realConversation(buildCaptureView(events));
    const link = { oneWayMs: 50, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 };
    const request = scenarioFor(conversation, "long-polling", link, 1000, 600);
    expect(request).toMatchObject({ kind: "long-polling", serverEvents: [499] });
    expect(request.clientMessages).toBeUndefined();
    expect(request.durationMs).toBeGreaterThan(600);
  });
});
