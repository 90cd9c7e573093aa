import { describe, expect, it } from "vitest";
import { buildCaptureView } from "./capture.ts";
import { bytesToBase64 } from "./base64.ts";
import { encodeFrame } from "./frame-encode.ts";
import { concatBytes } from "./bytes.ts";
import { frameExamples, handshakeExample } from "./rfc-examples.ts";
import type { TapEvent } from "./tap-events.ts";
import { toTapEvent } from "./tap-parse.ts";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const b64 = (bytes: Uint8Array) => bytesToBase64(bytes);
const frame = (input: Parameters<typeof encodeFrame>[0]) => {
  const out = encodeFrame(input);
  if (!out.ok) throw new Error(out.error);
  return out.bytes;
};

const request = ascii(handshakeExample.request);
const response = ascii(handshakeExample.response);
const maskedHello = frameExamples.find((f) => f.id === "masked-text")!.bytes;
const hello = frameExamples.find((f) => f.id === "unmasked-text")!.bytes;
const limits = { captureBytes: 1 << 20, eventsPerSecond: 500, monitorBufferBytes: 1 << 20 };
const tuple = { clientAddress: "127.0.0.1", clientPort: 50000, serverAddress: "127.0.0.1", serverPort: 4321 };

function session(): TapEvent[] {
  const fragmented = concatBytes([
    frame({ opcode: 1, fin: false, payload: ascii("Hel") }),
    frame({ opcode: 0, fin: true, payload: ascii("lo") }),
  ]);
  return [
    { type: "hello", v: 1, token: "t".repeat(22), limits },
    { type: "open", t: 1000, specimen: 1, path: "/lab/echo", tuple },
    { type: "request", t: 1000.5, specimen: 1, offset: 0, data: b64(request) },
    { type: "response", t: 1001, specimen: 1, offset: 0, data: b64(response) },
    // The client's masked "Hello" arrives split across two reads.
    {
      type: "chunk",
      t: 1010,
      specimen: 1,
      dir: "in",
      offset: request.length,
      length: 4,
      data: b64(maskedHello.subarray(0, 4)),
    },
    {
      type: "chunk",
      t: 1011,
      specimen: 1,
      dir: "in",
      offset: request.length + 4,
      length: maskedHello.length - 4,
      data: b64(maskedHello.subarray(4)),
    },
    {
      type: "chunk",
      t: 1012,
      specimen: 1,
      dir: "out",
      offset: response.length,
      length: hello.length,
      data: b64(hello),
    },
    // A fragmented message in one write.
    {
      type: "chunk",
      t: 1020,
      specimen: 1,
      dir: "out",
      offset: response.length + hello.length,
      length: fragmented.length,
      data: b64(fragmented),
    },
  ];
}

describe("capture view", () => {
  it("every event in the fixture is valid tap data", () => {
    for (const event of session()) expect(toTapEvent(JSON.parse(JSON.stringify(event))).ok).toBe(true);
  });

  it("shows the handshake exactly and frames with their wire offsets", () => {
    const view = buildCaptureView(session());
    expect(view.request?.text).toBe(handshakeExample.request);
    expect(view.response?.text).toBe(handshakeExample.response);
    expect(view.tuple).toEqual(tuple);
    expect(view.frames.map((f) => [f.dir, f.frame.opcode, f.frame.masked, f.start, f.end])).toEqual([
      ["in", 1, true, request.length, request.length + 11],
      ["out", 1, false, response.length, response.length + 7],
      ["out", 1, false, response.length + 7, response.length + 12],
      ["out", 0, false, response.length + 12, response.length + 16],
    ]);
    expect(view.frames[0]!.t).toBe(1011);
    expect(view.messages.map((m) => [m.dir, m.text, m.frames])).toEqual([
      ["in", "Hello", 1],
      ["out", "Hello", 1],
      ["out", "Hello", 2],
    ]);
    expect(view.chunks).toHaveLength(4);
  });

  it("replays only the first N events, for stepping", () => {
    const events = session();
    expect(buildCaptureView(events, 4).frames).toEqual([]);
    expect(buildCaptureView(events, 5).frames).toEqual([]);
    expect(buildCaptureView(events, 6).frames).toHaveLength(1);
    expect(buildCaptureView(events, 0).request).toBeNull();
  });

  it("follows the latest specimen after a reconnect", () => {
    const events = session();
    events.push({ type: "close", t: 1100, specimen: 1, code: 1000, reason: "", initiator: "client", wasClean: true });
    events.push({ type: "open", t: 1200, specimen: 2, path: "/lab/echo", tuple: { ...tuple, clientPort: 50001 } });
    const view = buildCaptureView(events);
    expect(view.specimen).toBe(2);
    expect(view.frames).toEqual([]);
    expect(view.tuple?.clientPort).toBe(50001);
    expect(buildCaptureView(events, events.length - 1).close?.code).toBe(1000);
  });

  it("does not mix up specimens of two monitors that share a number", () => {
    const first = session();
    const second: TapEvent[] = [
      { type: "hello", v: 1, token: "u".repeat(22), limits },
      { type: "open", t: 2000, specimen: 1, path: "/lab/echo", tuple: { ...tuple, clientPort: 50002 } },
    ];
    const view = buildCaptureView([...first, ...second]);
    expect(view.tuple?.clientPort).toBe(50002);
    expect(view.request).toBeNull();
    expect(view.frames).toEqual([]);
  });

  it("reports a protocol error and stops decoding that direction", () => {
    const events = session().slice(0, 4);
    events.push({
      type: "chunk",
      t: 1010,
      specimen: 1,
      dir: "in",
      offset: request.length,
      length: hello.length,
      data: b64(hello),
    });
    const view = buildCaptureView(events);
    expect(view.errors).toHaveLength(1);
    expect(view.errors[0]!.error.reason).toBe("client-frame-not-masked");
  });

  it("notes truncated captures and dropped events", () => {
    const events = session().slice(0, 4);
    events.push({
      type: "chunk",
      t: 1010,
      specimen: 1,
      dir: "in",
      offset: request.length,
      length: 70000,
      truncated: true,
    });
    events.push({ type: "dropped", t: 1011, events: 3, bytes: 900 });
    const view = buildCaptureView(events);
    expect(view.chunks[0]!.bytes).toBeNull();
    expect(view.notes.map((n) => n.text).join(" ")).toMatch(/capture limit[\s\S]*3 events \(900 bytes\)/);
  });
});

describe("tap event parsing", () => {
  it("rejects malformed or hostile events with a reason", () => {
    expect(toTapEvent(null)).toMatchObject({ ok: false });
    expect(toTapEvent({ type: "chunk", t: 1, specimen: 1, dir: "sideways", offset: 0, length: 1 })).toMatchObject({
      ok: false,
    });
    expect(toTapEvent({ type: "request", t: 1, specimen: 1, offset: 0, data: "<script>" })).toMatchObject({
      ok: false,
    });
    expect(toTapEvent({ type: "chunk", t: 1, specimen: 1, dir: "in", offset: 0, length: 1 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/truncated/),
    });
    expect(toTapEvent({ type: "nonsense" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unknown event type/),
    });
  });
});

describe("a refused handshake", () => {
  it("keeps the refusal's body as text and decodes no frames from it", () => {
    const head = ascii(
      "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 33\r\nConnection: close\r\n\r\n",
    );
    // A body whose first byte would read as a frame header with RSV1 set ("P" is 0x50).
    const body = new TextEncoder().encode("Pages from elsewhere: refused ✗\n");
    const view = buildCaptureView([
      { type: "open", t: 1, specimen: 1, path: "/lab/echo", tuple },
      { type: "request", t: 1, specimen: 1, offset: 0, data: b64(request) },
      { type: "response", t: 2, specimen: 1, offset: 0, data: b64(head) },
      {
        type: "chunk",
        t: 2,
        specimen: 1,
        dir: "out",
        offset: head.length,
        length: 20,
        data: b64(body.subarray(0, 20)),
      },
      {
        type: "chunk",
        t: 3,
        specimen: 1,
        dir: "out",
        offset: head.length + 20,
        length: body.length - 20,
        data: b64(body.subarray(20)),
      },
    ]);
    expect(view.refusalBody).toBe("Pages from elsewhere: refused ✗\n");
    expect(view.frames).toEqual([]);
    expect(view.errors).toEqual([]);
    expect(view.chunks).toHaveLength(2);
  });

  it("an upgraded connection has no refusal body", () => {
    expect(buildCaptureView(session()).refusalBody).toBeNull();
  });
});
