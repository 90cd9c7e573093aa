import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { frameExamples, handshakeExample } from "../../protocol/rfc-examples.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { RealProjection } from "./real-projection.ts";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const request = ascii(handshakeExample.request);
const response = ascii(handshakeExample.response);
const masked = frameExamples.find((f) => f.id === "masked-text")!.bytes;
const plain = frameExamples.find((f) => f.id === "unmasked-text")!.bytes;
const ping = frameExamples.find((f) => f.id === "unmasked-ping")!.bytes;
const tuple = { clientAddress: "127.0.0.1", clientPort: 1, serverAddress: "127.0.0.1", serverPort: 2 };
const T0 = 1_000_000;

function conversation(): TapEvent[] {
  let inOffset = request.length;
  let outOffset = response.length;
  const chunk = (dir: "in" | "out", t: number, bytes: Uint8Array): TapEvent => {
    const offset = dir === "in" ? inOffset : outOffset;
    if (dir === "in") inOffset += bytes.length;
    else outOffset += bytes.length;
    return { type: "chunk", t: T0 + t, specimen: 1, dir, offset, length: bytes.length, data: bytesToBase64(bytes) };
  };
  return [
    { type: "open", t: T0, specimen: 1, path: "/lab/echo", tuple },
    { type: "request", t: T0, specimen: 1, offset: 0, data: bytesToBase64(request) },
    { type: "response", t: T0 + 0.5, specimen: 1, offset: 0, data: bytesToBase64(response) },
    chunk("in", 10, masked),
    chunk("out", 10.1, plain),
    chunk("out", 2000, ping),
  ];
}

function project(oneWay: number) {
  let id = 1;
  const projection = new RealProjection(oneWay, () => id++);
  const updates = conversation().map((e) => projection.push(e));
  return { projection, items: updates.flatMap((u) => u.items), updates };
}

describe("the real conversation on the chosen link", () => {
  it("keeps the real bytes: handshake heads and every frame parsed from the capture", () => {
    const { items } = project(50);
    expect(items.map((i) => [i.from, i.kind, i.bytes, i.headerBytes])).toEqual([
      ["client", "handshake", request.length, request.length],
      ["server", "handshake", response.length, response.length],
      ["client", "data", 11, 6],
      ["server", "data", 7, 2],
      ["server", "control", ping.length, 2],
    ]);
    expect(items[2]!.label).toBe("“Hello”");
    expect(items[1]!.label).toContain("101");
  });

  it("writes each item's sentence from its own figures: who sent it, what it is, its size, when it leaves and lands", () => {
    const { items } = project(50);
    expect(items.map((i) => i.full)).toEqual([
      `WebSocket (real), 0 ms: your browser → lab, the opening handshake request (RFC 6455 §4.1), ${request.length} B on the wire, lands at 50 ms.`,
      `WebSocket (real), 50 ms: lab → your browser, the handshake response, “HTTP/1.1 101 Switching Protocols” (RFC 6455 §4.2.2), ${response.length} B on the wire, lands at 100 ms.`,
      "WebSocket (real), 110 ms: your browser → lab, “Hello” (6-byte header, masked), 11 B on the wire, lands at 160 ms.",
      "WebSocket (real), 160 ms: lab → your browser, “Hello” (2-byte header), 7 B on the wire, lands at 210 ms.",
      "WebSocket (real), 2.15 s: lab → your browser, ping 5 B (2-byte header), 7 B on the wire, lands at 2.20 s.",
    ]);
  });

  it("never shows an answer leaving before what it answers has arrived", () => {
    const { items } = project(50);
    const [req, res, msg, echo] = items;
    expect(req!.departAt).toBe(0);
    expect(res!.departAt).toBeGreaterThanOrEqual(req!.arriveAt!);
    // The page can only send once the 101 reached it.
    expect(msg!.departAt).toBeGreaterThanOrEqual(res!.arriveAt!);
    expect(echo!.departAt).toBeGreaterThanOrEqual(msg!.arriveAt!);
    for (const item of items) expect(item.arriveAt! - item.departAt).toBe(50);
  });

  it("keeps the real gap between the lab's own messages", () => {
    const { items } = project(50);
    const echo = items[3]!;
    const ping = items[4]!;
    expect(ping.departAt - echo.departAt).toBeCloseTo(2000 - 10.1, 6);
  });

  it("tells the simulation when the page sent a message and which lab messages were echoes", () => {
    const { updates } = project(50);
    const page = updates.flatMap((u) => u.pageMessages);
    const lab = updates.flatMap((u) => u.labMessages);
    expect(page).toEqual([{ at: expect.any(Number), payloadBytes: 5, echo: false }]);
    expect(lab).toEqual([{ at: expect.any(Number), payloadBytes: 5, echo: true }]);
  });

  it("maps the lab's clock to the stage's live edge on the page's side", () => {
    const { projection, items } = project(50);
    const msg = items[2]!;
    // The page sent at real +10 ms; on the stage that is the message's departure.
    expect(projection.stageTimeAt(T0 + 10)).toBeCloseTo(msg.departAt, 6);
  });

  it("starts over when a new connection opens, and says why frames stop when the capture does", () => {
    let id = 1;
    const projection = new RealProjection(10, () => id++);
    for (const e of conversation()) projection.push(e);
    const truncated = projection.push({
      type: "chunk",
      t: T0 + 3000,
      specimen: 1,
      dir: "in",
      offset: 999,
      length: 11,
      truncated: true,
    });
    expect(truncated.notes[0]).toMatch(/capture limit/);
    expect(projection.push({ type: "open", t: T0 + 5000, specimen: 2, path: "/lab/echo", tuple }).reset).toBe(true);
    expect(projection.started).toBe(false);
  });
});
