import { afterEach, describe, expect, it, vi } from "vitest";
import {
  acceptDigest,
  buildClientRequest,
  buildRefusal,
  buildServerResponse,
  computeAccept,
  generateKey,
  isValidKey,
  parseClientRequest,
  parseServerResponse,
  WEBSOCKET_GUID,
} from "./handshake.ts";
import type { HandshakeFailureReason } from "./handshake.ts";
import { toHex } from "./hex.ts";
import { parseResponse } from "./http1.ts";
import { handshakeExample } from "./rfc-examples.ts";

const good = handshakeExample.request;

function reasonsFor(request: string): HandshakeFailureReason[] {
  const result = parseClientRequest(request);
  if (result.ok !== false) throw new Error(`expected a refusal, got ${String(result.ok)}`);
  return result.failures.map((f) => f.reason);
}

function edit(request: string, from: string | RegExp, to: string): string {
  const out = request.replace(from, to);
  if (out === request) throw new Error(`"${String(from)}" not found`);
  return out;
}

describe("key and accept", () => {
  it("computes the RFC 6455 §1.3 sample", async () => {
    expect(WEBSOCKET_GUID).toBe("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    expect(await computeAccept(handshakeExample.key)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(toHex(await acceptDigest(handshakeExample.key))).toBe(handshakeExample.acceptSha1Hex);
    expect(atob(handshakeExample.key)).toBe(handshakeExample.keyText);
  });

  describe("without crypto.subtle (a page on plain http over a LAN)", () => {
    afterEach(() => vi.unstubAllGlobals());
    it("still computes the accept value", async () => {
      const real = globalThis.crypto;
      vi.stubGlobal("crypto", { getRandomValues: real.getRandomValues.bind(real) });
      expect(globalThis.crypto.subtle).toBeUndefined();
      expect(await computeAccept(handshakeExample.key)).toBe(handshakeExample.accept);
      expect(isValidKey(generateKey())).toBe(true);
    });
  });

  it("generates fresh keys of 16 random bytes", () => {
    const a = generateKey();
    const b = generateKey();
    expect(isValidKey(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("rejects keys that are not base64 of 16 bytes", () => {
    expect(isValidKey("dGhlIHNhbXBsZSBub25jZQ==")).toBe(true);
    expect(isValidKey("dGhlIHNhbXBsZSBub25jZQ")).toBe(false);
    expect(isValidKey("dGhlIHNhbXBsZSBub25j")).toBe(false);
    expect(isValidKey("dGhlIHNhbXBsZSBub25jZR==")).toBe(false);
    expect(isValidKey("not base64 at all!!!!!==")).toBe(false);
  });
});

describe("client request", () => {
  it("accepts the RFC 6455 §1.2 request and reads its fields", () => {
    const result = parseClientRequest(good);
    expect(result).toMatchObject({
      ok: true,
      key: handshakeExample.key,
      origin: "http://example.com",
      protocols: ["chat", "superchat"],
      extensions: [],
    });
  });

  it("builds a request that parses back", () => {
    const built = buildClientRequest({
      host: "localhost:4321",
      path: "/lab/echo?watch=abc",
      key: handshakeExample.key,
      origin: "http://localhost:4321",
      protocols: ["chat"],
    });
    if (!built.ok) throw new Error(built.error.error);
    expect(built.text.startsWith("GET /lab/echo?watch=abc HTTP/1.1\r\nHost: localhost:4321\r\n")).toBe(true);
    expect(parseClientRequest(built.bytes)).toMatchObject({ ok: true, protocols: ["chat"] });
  });

  it("keeps bytes that follow the head, such as early frames", () => {
    const result = parseClientRequest(good + "\x81\x80abcd");
    expect(result.ok === true && result.rest.length).toBe(6);
  });

  it("waits for the end of the head", () => {
    expect(parseClientRequest(good.slice(0, 40))).toEqual({ ok: "need-more" });
  });

  const failures: Array<[string, string, HandshakeFailureReason]> = [
    ["method not GET", edit(good, "GET /chat", "POST /chat"), "method-not-get"],
    ["HTTP/1.0", edit(good, "HTTP/1.1", "HTTP/1.0"), "http-version-too-old"],
    ["Host missing", edit(good, "Host: server.example.com\r\n", ""), "host-missing"],
    ["Upgrade missing", edit(good, "Upgrade: websocket\r\n", ""), "upgrade-missing"],
    ["Upgrade not websocket", edit(good, "Upgrade: websocket", "Upgrade: h2c"), "upgrade-not-websocket"],
    [
      "Connection without upgrade",
      edit(good, "Connection: Upgrade", "Connection: keep-alive"),
      "connection-missing-upgrade",
    ],
    ["Connection missing", edit(good, "Connection: Upgrade\r\n", ""), "connection-missing-upgrade"],
    ["key missing", edit(good, /Sec-WebSocket-Key: .*\r\n/, ""), "key-missing"],
    ["key too short", edit(good, "dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ="), "key-invalid"],
    ["key repeated", edit(good, "Origin:", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin:"), "key-repeated"],
    ["version 8", edit(good, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"), "version-not-13"],
    ["version missing", edit(good, "Sec-WebSocket-Version: 13\r\n", ""), "version-missing"],
  ];
  for (const [name, request, reason] of failures) {
    it(`refuses a request with ${name}`, () => {
      expect(reasonsFor(request)).toEqual([reason]);
    });
  }

  it("accepts tokens in any case and within lists", () => {
    const request = edit(
      edit(good, "Upgrade: websocket", "upgrade: WebSocket"),
      "Connection: Upgrade",
      "connection: keep-alive, UPGRADE",
    );
    expect(parseClientRequest(request).ok).toBe(true);
  });

  it("lists every problem of a badly broken request", () => {
    expect(reasonsFor("POST /chat HTTP/1.0\r\nHost: x\r\n\r\n")).toEqual([
      "method-not-get",
      "http-version-too-old",
      "upgrade-missing",
      "connection-missing-upgrade",
      "key-missing",
      "version-missing",
    ]);
  });

  it("answers a wrong version with 426 and Sec-WebSocket-Version: 13", () => {
    const result = parseClientRequest(edit(good, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 7"));
    if (result.ok !== false) throw new Error("expected refusal");
    expect(result.status).toBe(426);
    const refusal = buildRefusal(result.failures);
    if (!refusal.ok) throw new Error(refusal.error.error);
    expect(refusal.text).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(refusal.text).toContain("\r\nSec-WebSocket-Version: 13\r\n");
    const parsed = parseResponse(refusal.bytes);
    expect(parsed.kind === "message" && new TextDecoder().decode(parsed.message.body)).toContain("RFC 6455 §4.4");
  });

  it("answers other failures with 400", () => {
    const result = parseClientRequest(edit(good, "Upgrade: websocket\r\n", ""));
    expect(result.ok === false && result.status).toBe(400);
    const refusal = buildRefusal(result.ok === false ? result.failures : []);
    expect(refusal.ok && refusal.text.startsWith("HTTP/1.1 400 Bad Request\r\n")).toBe(true);
  });

  it("turns unreadable HTTP into a named failure", () => {
    expect(reasonsFor("GET /chat HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n")).toEqual(["malformed-http"]);
  });
});

describe("server response", () => {
  const expected = { key: handshakeExample.key, protocols: ["chat", "superchat"] };

  it("accepts the RFC 6455 §1.2 response", async () => {
    expect(await parseServerResponse(handshakeExample.response, expected)).toMatchObject({
      ok: true,
      protocol: "chat",
    });
  });

  it("builds a 101 that parses back", async () => {
    const built = await buildServerResponse({ key: handshakeExample.key, protocol: "chat" });
    if (!built.ok) throw new Error(built.error.error);
    expect(built.text).toBe(handshakeExample.response);
    expect(await parseServerResponse(built.bytes, expected)).toMatchObject({ ok: true });
  });

  const failures: Array<[string, string, HandshakeFailureReason]> = [
    ["a 200", handshakeExample.response.replace("101 Switching Protocols", "200 OK"), "status-not-101"],
    ["no Upgrade", handshakeExample.response.replace("Upgrade: websocket\r\n", ""), "upgrade-missing"],
    ["no Connection", handshakeExample.response.replace("Connection: Upgrade\r\n", ""), "connection-missing-upgrade"],
    ["no accept", handshakeExample.response.replace(/Sec-WebSocket-Accept: .*\r\n/, ""), "accept-missing"],
    [
      "a wrong accept",
      handshakeExample.response.replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
      "accept-mismatch",
    ],
    [
      "an unoffered protocol",
      handshakeExample.response.replace("Protocol: chat", "Protocol: mqtt"),
      "protocol-not-offered",
    ],
    [
      "an unoffered extension",
      handshakeExample.response.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
      "extension-not-offered",
    ],
  ];
  for (const [name, response, reason] of failures) {
    it(`rejects ${name}`, async () => {
      const result = await parseServerResponse(response, expected);
      expect(result.ok === false && result.failures.map((f) => f.reason)).toEqual([reason]);
    });
  }

  it("mentions the server's version in a 426", async () => {
    const result = await parseServerResponse(
      "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\n",
      expected,
    );
    expect(result.ok === false && result.failures[0]!.error).toMatch(/version 13/);
  });

  it("keeps the first frames that arrive in the same read as the 101", async () => {
    const result = await parseServerResponse(handshakeExample.response + "\x81\x05Hello", expected);
    expect(result.ok === true && toHex(result.rest)).toBe("81 05 48 65 6c 6c 6f");
  });
});
