// The playground's report, from bytes shaped like the lab's records: a refusal's status and body,
// an upgrade's accept value recomputed from the request's key and its frames both ways, and the
// line endings kept exactly as they were.
import { describe, expect, it } from "vitest";
import { frameExample } from "../../protocol/rfc-examples.ts";
import { handshakeExample } from "../../protocol/handshake-example.ts";
import { presetRequest } from "../../protocol/playground-presets.ts";
import { buildPlaygroundReport, wireLines, type RunBytes } from "./playground-report.ts";

const text = (s: string) => new TextEncoder().encode(s);
const page = { host: "localhost:5173", origin: "http://localhost:5173" };
const facts = (ending: "lab-closed" | "complete" | "no-answer" | "answer-stalled", endedAt = 5) => ({
  ending,
  waitMs: 3000,
  endedAt,
  handshakeTimeoutMs: 10_000,
});

describe("buildPlaygroundReport", () => {
  it("a refusal: status, reason, the body in words, times, and no frames", async () => {
    const body = "Pages from http://other-site.example may not use this lab.\n";
    const pieces: RunBytes[] = [
      { from: "client", at: 0.2, data: text(presetRequest("foreign-origin", page)) },
      {
        from: "lab",
        at: 1.5,
        data: text(`HTTP/1.1 403 Forbidden\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
      },
      { from: "lab", at: 1.7, data: text(body) },
    ];
    const report = await buildPlaygroundReport(pieces, facts("complete"));
    expect(report.status).toBe(403);
    expect(report.verdict).toMatch(/^403 Forbidden: the lab refused/);
    expect(report.body).toBe(body);
    expect(report.head.endsWith("\r\n\r\n")).toBe(true);
    expect(report.frames).toEqual([]);
    expect(report.accept).toBeNull();
    expect([report.firstByteMs, report.lastByteMs]).toEqual([1.5, 1.7]);
    expect(report.sentBytes).toBe(presetRequest("foreign-origin", page).length);
  });

  it("an upgrade: the accept value checked against the request's own key, and the frames in order", async () => {
    const hello = frameExample("unmasked-text")!.bytes;
    const pieces: RunBytes[] = [
      { from: "client", at: 0.1, data: text(presetRequest("good", page)) },
      { from: "lab", at: 2, data: text(handshakeExample.response.replace("Sec-WebSocket-Protocol: chat\r\n", "")) },
      { from: "client", at: 2.1, data: frameExample("masked-text")!.bytes },
      { from: "lab", at: 2.5, data: hello },
      { from: "client", at: 2.6, data: new Uint8Array([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xe8 ^ 2]) },
      { from: "lab", at: 3, data: new Uint8Array([0x88, 0x02, 0x03, 0xe8]) },
    ];
    const report = await buildPlaygroundReport(pieces, facts("lab-closed"));
    expect(report.status).toBe(101);
    expect(report.accept).toEqual({
      key: handshakeExample.key,
      expected: handshakeExample.accept,
      received: handshakeExample.accept,
    });
    expect(report.verdict).toMatch(/accept value matches your key/);
    expect(report.frames.map((f) => [f.from, f.masked, f.says])).toEqual([
      ["client", true, "a text frame: “Hello”"],
      ["lab", false, "a text frame: “Hello”"],
      ["client", true, "a close frame: 1000 Normal Closure"],
      ["lab", false, "a close frame: 1000 Normal Closure"],
    ]);
    expect(report.body).toBe("");
  });

  it("a wrong accept value is reported as received", async () => {
    const pieces: RunBytes[] = [
      { from: "client", at: 0, data: text(presetRequest("good", page)) },
      {
        from: "lab",
        at: 1,
        data: text(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
        ),
      },
    ];
    const report = await buildPlaygroundReport(pieces, facts("lab-closed"));
    expect(report.accept?.received).toBe("AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    expect(report.verdict).not.toMatch(/matches/);
  });

  it("a head that never ends: the lab drops it after its handshake timeout, without a word", async () => {
    const report = await buildPlaygroundReport(
      [{ from: "client", at: 0, data: text("GET / HTTP/1.1\r\nHost: a\r\n") }],
      facts("lab-closed", 10_003.4),
    );
    expect(report.status).toBeNull();
    expect(report.verdict).toBe("No answer.");
    expect(report.ending).toMatch(
      /^The lab closed the TCP connection 10\.00 s after it opened, without a word: .*empty line.*10\.00 s to arrive \(its handshake timeout\)/,
    );
    expect(report.firstByteMs).toBeNull();
    expect((await buildPlaygroundReport([], facts("no-answer", 11_000))).ending).toMatch(/still waiting/);
  });
});

describe("wireLines", () => {
  it("keeps each line's real ending, lone LF and CR included", () => {
    expect(wireLines("a\r\nb\nc\rd")).toEqual([
      { text: "a", eol: "\r\n" },
      { text: "b", eol: "\n" },
      { text: "c", eol: "\r" },
      { text: "d", eol: "" },
    ]);
    expect(wireLines("x\r\n\r\n")).toEqual([
      { text: "x", eol: "\r\n" },
      { text: "", eol: "\r\n" },
    ]);
  });
});
