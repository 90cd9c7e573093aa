// The playground's presets and the record the lab answers with: the requests are well-formed
// wire text that differ from a correct handshake only where they say, and a record is checked
// field by field before a page trusts it.
import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "./base64.ts";
import { handshakeExample } from "./handshake-example.ts";
import { headerValue, parseRequestHead } from "./http1.ts";
import { parsePlaygroundRun } from "./playground-api.ts";
import {
  PLAYGROUND_DEMO_COOKIE,
  PLAYGROUND_PRESETS,
  PLAYGROUND_TARGET,
  playgroundPreset,
  presetRequest,
  toEditorText,
  toWireText,
} from "./playground-presets.ts";

const page = { host: "localhost:5173", origin: "http://localhost:5173" };
const bytes = (text: string) => new TextEncoder().encode(text);

function fields(name: (typeof PLAYGROUND_PRESETS)[number]["name"]) {
  const parsed = parseRequestHead(bytes(presetRequest(name, page)));
  if (parsed.kind !== "head") throw new Error(`${name} is not a complete head`);
  return parsed.head;
}

describe("playground presets", () => {
  it("every preset is a complete head with CRLF line endings only, aimed at the echo endpoint", () => {
    for (const preset of PLAYGROUND_PRESETS) {
      const text = presetRequest(preset.name, page);
      expect(text.endsWith("\r\n\r\n")).toBe(true);
      expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      expect(fields(preset.name).startLine.target).toBe(PLAYGROUND_TARGET);
      expect(playgroundPreset(preset.name)).toBe(preset);
    }
  });

  it("the correct one is the browser's handshake with the sample key of RFC 6455 §1.3 and the page's own Host and Origin", () => {
    const head = fields("good");
    expect(head.startLine).toMatchObject({ method: "GET", version: { major: 1, minor: 1 } });
    expect(headerValue(head.fields, "host")).toBe(page.host);
    expect(headerValue(head.fields, "origin")).toBe(page.origin);
    expect(headerValue(head.fields, "upgrade")).toBe("websocket");
    expect(headerValue(head.fields, "connection")).toBe("Upgrade");
    expect(headerValue(head.fields, "sec-websocket-key")).toBe(handshakeExample.key);
    expect(headerValue(head.fields, "sec-websocket-version")).toBe("13");
  });

  it("each broken preset changes only what its rule names", () => {
    const good = presetRequest("good", page);
    const changed = (name: Parameters<typeof presetRequest>[0]) => {
      const a = good.split("\r\n");
      const b = presetRequest(name, page).split("\r\n");
      return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
    };
    expect(changed("cookie")).toEqual({ removed: [], added: [`Cookie: ${PLAYGROUND_DEMO_COOKIE}`] });
    expect(changed("no-upgrade")).toEqual({ removed: ["Upgrade: websocket", "Connection: Upgrade"], added: [] });
    expect(changed("wrong-version")).toEqual({
      removed: ["Sec-WebSocket-Version: 13"],
      added: ["Sec-WebSocket-Version: 8"],
    });
    expect(changed("bad-key").added).toEqual(["Sec-WebSocket-Key: not-a-key"]);
    expect(changed("post")).toEqual({
      removed: [`GET ${PLAYGROUND_TARGET} HTTP/1.1`],
      added: [`POST ${PLAYGROUND_TARGET} HTTP/1.1`, "Content-Length: 0"],
    });
    expect(changed("http10")).toEqual({
      removed: [`GET ${PLAYGROUND_TARGET} HTTP/1.1`],
      added: [`GET ${PLAYGROUND_TARGET} HTTP/1.0`],
    });
    expect(changed("foreign-origin").added).toEqual(["Origin: http://other-site.example"]);
    expect(changed("foreign-host").added).toEqual(["Host: other-site.example", "Origin: http://other-site.example"]);
  });

  it("editor text becomes wire text with CRLF everywhere, and back", () => {
    expect(toWireText("GET / HTTP/1.1\nHost: a\n\n")).toBe("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(toWireText("a\r\nb\rc")).toBe("a\r\nb\r\nc");
    expect(toEditorText(presetRequest("good", page))).not.toMatch(/\r/);
    expect(toWireText(toEditorText(presetRequest("cookie", page)))).toBe(presetRequest("cookie", page));
  });
});

describe("parsePlaygroundRun", () => {
  const piece = { from: "client", at: 0, data: bytesToBase64(bytes("GET / HTTP/1.1\r\n\r\n")) };

  it("accepts a record and decodes its bytes", () => {
    const parsed = parsePlaygroundRun({
      pieces: [piece, { from: "lab", at: 1.5, data: bytesToBase64(bytes("HTTP/1.1 400 Bad Request\r\n\r\n")) }],
      ending: "lab-closed",
      waitMs: 3000,
      endedAt: 2,
      handshakeTimeoutMs: 10000,
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(new TextDecoder().decode(parsed.bytes[1]!.data)).toMatch(/^HTTP\/1\.1 400/);
  });

  it.each([
    ["not an object", []],
    ["no pieces", { ending: "complete", waitMs: 1 }],
    ["an unknown ending", { pieces: [], ending: "exploded", waitMs: 1 }],
    ["a negative wait", { pieces: [], ending: "complete", waitMs: -1, endedAt: 1, handshakeTimeoutMs: 1 }],
    ["no end time", { pieces: [], ending: "complete", waitMs: 1, handshakeTimeoutMs: 1 }],
    ["a piece from nobody", { pieces: [{ ...piece, from: "server" }], ending: "complete", waitMs: 1 }],
    ["a piece without a time", { pieces: [{ ...piece, at: "soon" }], ending: "complete", waitMs: 1 }],
    ["data that is not base64", { pieces: [{ ...piece, data: "<script>" }], ending: "complete", waitMs: 1 }],
    ["too many pieces", { pieces: Array.from({ length: 201 }, () => piece), ending: "complete", waitMs: 1 }],
  ])("refuses %s with an error value", (_what, value) => {
    const parsed = parsePlaygroundRun(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(5);
  });
});
