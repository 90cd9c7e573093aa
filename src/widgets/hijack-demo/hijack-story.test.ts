// Lesson 8's story, from captures shaped like the lab's tap reports: a refused attempt with the
// demo cookie, an accepted one on the naive server with its echo, and the token never shown.
import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { buildCaptureView } from "../../protocol/capture.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { hijackStory } from "./hijack-story.ts";

const ascii = (text: string) => new TextEncoder().encode(text);
const b64 = (bytes: Uint8Array) => bytesToBase64(bytes);
const tuple = { clientAddress: "127.0.0.1", clientPort: 50000, serverAddress: "127.0.0.1", serverPort: 4321 };
const token = "Rf_Ce0BcD2-9H0GYauyTIg";
const request = ascii(
  `GET /lab/echo?watch=${token} HTTP/1.1\r\nHost: 127.0.0.1:4321\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:4322\r\nCookie: theme=dark; sp-demo=reader-0123456789ab\r\n\r\n`,
);

function frame(opcode: number, text: string, masked: boolean): Uint8Array {
  const out = encodeFrame({ opcode, payload: ascii(text), maskingKey: masked ? new Uint8Array([1, 2, 3, 4]) : null });
  if (!out.ok) throw new Error(out.error);
  return out.bytes;
}

describe("hijackStory", () => {
  it("a refused attempt: the other origin, the demo cookie that rode along, and the lab's words", () => {
    const head = ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 60\r\nConnection: close\r\n\r\n");
    const body = ascii("Pages from http://127.0.0.1:4322 may not use this lab.\n");
    const events: TapEvent[] = [
      { type: "open", t: 1, specimen: 1, path: "/lab/echo", tuple },
      { type: "request", t: 1, specimen: 1, offset: 0, data: b64(request) },
      { type: "response", t: 2, specimen: 1, offset: 0, data: b64(head) },
      { type: "chunk", t: 2, specimen: 1, dir: "out", offset: head.length, length: body.length, data: b64(body) },
    ];
    const story = hijackStory(buildCaptureView(events));
    expect(story.state).toBe("refused");
    expect(story).toMatchObject({
      origin: "http://127.0.0.1:4322",
      demoCookie: "reader-0123456789ab",
      status: 403,
      reason: "Forbidden",
    });
    expect(story.refusal).toBe("Pages from http://127.0.0.1:4322 may not use this lab.");
    expect(story.summary).toMatch(/^Refused: .*sp-demo=reader-0123456789ab.*403 Forbidden/);
    expect(story.lines.filter((l) => l.mark).map((l) => l.mark)).toEqual(["origin", "cookie"]);
    expect(story.lines.map((l) => l.text).join("\n")).not.toContain(token);
    expect(story.lines[0]!.text).toBe("GET /lab/echo?watch=… HTTP/1.1");
  });

  it("an accepted attempt on the naive server: 101, the page's message and its echo", () => {
    const head = ascii(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
    );
    const events: TapEvent[] = [
      { type: "open", t: 1, specimen: 1, path: "/lab/naive-echo", tuple },
      { type: "request", t: 1, specimen: 1, offset: 0, data: b64(request) },
      { type: "response", t: 2, specimen: 1, offset: 0, data: b64(head) },
      {
        type: "chunk",
        t: 3,
        specimen: 1,
        dir: "in",
        offset: request.length,
        length: 11,
        data: b64(frame(1, "hi", true)),
      },
      {
        type: "chunk",
        t: 4,
        specimen: 1,
        dir: "out",
        offset: head.length,
        length: 4,
        data: b64(frame(1, "hi", false)),
      },
    ];
    const story = hijackStory(buildCaptureView(events));
    expect(story.state).toBe("accepted");
    expect([story.sent, story.echoed]).toEqual(["hi", "hi"]);
    expect(story.summary).toMatch(/^Accepted: .*101 Switching Protocols.*“hi” and got it back/);
  });

  it("waiting, and an attempt without the demo cookie says how to see it", () => {
    expect(hijackStory(buildCaptureView([])).summary).toMatch(/open the other site/);
    const bare = ascii(new TextDecoder().decode(request).replace(/Cookie: .*\r\n/, ""));
    const view = buildCaptureView([
      { type: "open", t: 1, specimen: 1, path: "/lab/echo", tuple },
      { type: "request", t: 1, specimen: 1, offset: 0, data: b64(bare) },
      { type: "response", t: 2, specimen: 1, offset: 0, data: b64(ascii("HTTP/1.1 403 Forbidden\r\n\r\n")) },
    ]);
    expect(hijackStory(view).summary).toMatch(/no cookie \(get the demo cookie first/);
  });
});
