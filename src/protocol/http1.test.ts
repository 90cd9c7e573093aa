import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bodyFraming,
  encodeChunked,
  hasToken,
  headerValue,
  headerValues,
  latin1Decode,
  parseChunkedBody,
  parseRequest,
  parseRequestHead,
  parseResponse,
  serializeRequest,
  serializeResponse,
} from "./http1.ts";
import type { HttpErrorReason, HttpMessage, MessageHead } from "./http1.ts";

function message<H extends MessageHead>(result: {
  kind: string;
  message?: HttpMessage<H>;
  error?: { error: string };
}): HttpMessage<H> {
  if (result.kind !== "message" || !result.message)
    throw new Error(`expected a message, got ${result.kind}: ${result.error?.error ?? ""}`);
  return result.message;
}

function errorReason(result: { kind: string; error?: { reason: HttpErrorReason } }): HttpErrorReason | string {
  return result.kind === "error" ? result.error!.reason : result.kind;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("HTTP/1.1 heads", () => {
  it("parses a request line, fields and sizes", () => {
    const raw = "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept:  text/html \r\n\r\n";
    const m = message(parseRequest(raw));
    expect(m.head.startLine).toEqual({
      kind: "request",
      method: "GET",
      target: "/index.html?x=1",
      version: { major: 1, minor: 1 },
    });
    expect(m.head.fields.map((f) => [f.name, f.value, f.offset, f.length])).toEqual([
      ["Host", "example.com", 30, 19],
      ["Accept", "text/html", 49, 21],
    ]);
    expect(m.sizes).toEqual({ startLine: 30, fields: 40, emptyLine: 2, head: 72, body: 0, bodyFraming: 0, total: 72 });
    expect(m.sizes.total).toBe(raw.length);
    expect(m.framing.kind).toBe("none");
  });

  it("parses a status line, with or without a reason phrase", () => {
    expect(message(parseResponse("HTTP/1.1 204 No Content\r\n\r\n")).head.startLine).toEqual({
      kind: "response",
      version: { major: 1, minor: 1 },
      status: 204,
      reason: "No Content",
    });
    expect(message(parseResponse("HTTP/1.1 204\r\n\r\n")).head.startLine.reason).toBe("");
  });

  it("treats field names case-insensitively and combines repeated fields, except Set-Cookie", () => {
    const head = parseRequestHead(
      new TextEncoder().encode(
        "GET / HTTP/1.1\r\nHost: a\r\nAccept: text/html\r\naccept: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2, c\r\nConnection: keep-alive, Upgrade\r\n\r\n",
      ),
    );
    if (head.kind !== "head") throw new Error(head.kind);
    const fields = head.head.fields;
    expect(headerValue(fields, "ACCEPT")).toBe("text/html, application/json");
    expect(headerValues(fields, "set-cookie")).toEqual(["a=1", "b=2, c"]);
    expect(headerValue(fields, "set-cookie")).toBe("a=1");
    expect(headerValue(fields, "missing")).toBeNull();
    expect(hasToken(fields, "connection", "upgrade")).toBe(true);
    expect(hasToken(fields, "connection", "close")).toBe(false);
  });

  it("waits for the empty line", () => {
    expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\n").kind).toBe("need-more");
    expect(parseRequest("GET / HTTP/1.1\r").kind).toBe("need-more");
    expect(parseRequest("").kind).toBe("need-more");
  });

  const malformed: Array<[string, string, HttpErrorReason, number?]> = [
    ["obsolete line folding", "GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n", "obsolete-line-folding", 38],
    ["whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", "whitespace-before-first-field", 16],
    ["a bare LF", "GET / HTTP/1.1\nHost: a\r\n\r\n", "bare-lf", 14],
    ["a bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n", "bare-cr", 14],
    ["whitespace before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "whitespace-before-colon", 20],
    ["a field with no colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", "field-without-colon", 16],
    ["an empty field name", "GET / HTTP/1.1\r\n: a\r\n\r\n", "empty-field-name"],
    ["a field name with a bad character", "GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", "bad-field-name"],
    ["a NUL in a value", "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", "bad-field-value", 23],
    ["an empty first line", "\r\nGET / HTTP/1.1\r\n\r\n", "empty-start-line", 0],
    ["a request line with two spaces", "GET  / HTTP/1.1\r\n\r\n", "bad-request-line"],
    ["a request line without a version", "GET /\r\n\r\n", "bad-request-line"],
    ["a method that is not a token", "G@T / HTTP/1.1\r\n\r\n", "bad-method"],
    ["a malformed version", "GET / HTTP/1\r\n\r\n", "bad-version"],
    ["HTTP/2.0 in text form", "GET / HTTP/2.0\r\n\r\n", "unsupported-version"],
    ["a bad Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", "bad-content-length"],
    [
      "two different Content-Lengths",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
      "bad-content-length",
    ],
    [
      "a request Transfer-Encoding not ending in chunked",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      "transfer-encoding-not-chunked",
    ],
    [
      "Transfer-Encoding in HTTP/1.0",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "transfer-encoding-in-http10",
    ],
    [
      "a bad chunk size",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "bad-chunk-size",
      56,
    ],
    [
      "a chunk longer than its size",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
      "bad-chunk-ending",
      61,
    ],
  ];
  for (const [name, raw, reason, offset] of malformed) {
    it(`rejects ${name}`, () => {
      const result = parseRequest(raw);
      expect(errorReason(result)).toBe(reason);
      if (result.kind === "error") {
        expect(result.error.rfc).toMatch(/^RFC \d+ §/);
        expect(result.error.status).toBeGreaterThanOrEqual(400);
        if (offset !== undefined) expect(result.error.offset).toBe(offset);
      }
    });
  }

  it("accepts a bare LF only when asked to", () => {
    expect(parseRequest("GET / HTTP/1.1\nHost: a\n\n", { allowBareLf: true }).kind).toBe("message");
  });

  it("refuses a head that never ends with 431", () => {
    const result = parseRequest("GET / HTTP/1.1\r\nX: " + "a".repeat(2000), { maxHeadLength: 1024 });
    expect(result).toMatchObject({ kind: "error", error: { reason: "head-too-large", status: 431 } });
  });
});

describe("HTTP/1.1 bodies", () => {
  it("reads a Content-Length body and stops there", () => {
    const raw = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n";
    const m = message(parseRequest(raw));
    expect(text(m.body)).toBe("hello");
    expect(m.length).toBe(raw.indexOf("GET"));
    expect(m.sizes).toMatchObject({ body: 5, bodyFraming: 0, total: m.length });
    expect(parseRequest(raw.slice(0, raw.indexOf("hello") + 3)).kind).toBe("need-more");
  });

  it("accepts a repeated Content-Length with the same value", () => {
    expect(message(parseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nhi")).body.length).toBe(2);
  });

  it("reads a chunked body with extensions and trailers, counting framing apart from data", () => {
    const body = "4\r\nWiki\r\n7;name=value\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
    const raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
    const m = message(parseResponse(raw));
    expect(text(m.body)).toBe("Wikipedia in \r\nchunks.");
    expect(m.sizes.body).toBe(22);
    expect(m.sizes.bodyFraming).toBe(body.length - 22);
    expect(m.sizes.total).toBe(raw.length);
    expect(m.chunked?.chunks.map((c) => c.dataLength)).toEqual([4, 7, 11, 0]);
    expect(m.chunked?.trailers.map((f) => [f.name, f.value])).toEqual([["Expires", "never"]]);
  });

  it("lets Transfer-Encoding override Content-Length, with a warning", () => {
    const m = message(
      parseRequest(
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      ),
    );
    expect(text(m.body)).toBe("abc");
    expect(m.framing).toMatchObject({ kind: "chunked", warning: expect.stringMatching(/smuggling/) });
  });

  it("frames responses by status and request method", () => {
    const head = (raw: string) => {
      const r = parseResponse(raw, undefined, { ended: true });
      if (r.kind !== "message") throw new Error(r.kind);
      return r.message.head;
    };
    expect(bodyFraming(head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"), "HEAD").kind).toBe("none");
    expect(bodyFraming(head("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")).kind).toBe("none");
    expect(bodyFraming(head("HTTP/1.1 304 Not Modified\r\n\r\n")).kind).toBe("none");
    expect(bodyFraming(head("HTTP/1.1 200 OK\r\n\r\nabc")).kind).toBe("until-close");
    expect(bodyFraming(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")).kind).toBe("until-close");
  });

  it("reads a body that ends when the connection closes only once it has", () => {
    expect(parseResponse("HTTP/1.1 200 OK\r\n\r\nabc").kind).toBe("need-more");
    expect(text(message(parseResponse("HTTP/1.1 200 OK\r\n\r\nabc", "GET", { ended: true })).body)).toBe("abc");
  });

  it("does not treat frames after a 101 as a body", () => {
    const m = message(
      parseResponse(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05Hello",
      ),
    );
    expect(m.body.length).toBe(0);
    expect(m.length).toBe(m.sizes.head);
  });

  it("encodes chunked bodies that parse back", () => {
    const data = new TextEncoder().encode("x".repeat(100));
    const encoded = encodeChunked(data, 30);
    expect(latin1Decode(encoded).startsWith("1e\r\n")).toBe(true);
    const parsed = parseChunkedBody(encoded);
    expect(parsed.kind === "body" && parsed.body.data).toEqual(data);
    expect(parsed.kind === "body" && parsed.body.length).toBe(encoded.length);
  });
});

describe("serializing", () => {
  it("writes exactly the fields given and counts the bytes", () => {
    const r = serializeRequest({
      method: "GET",
      target: "/",
      headers: [
        ["Host", "a"],
        ["Accept", "*/*"],
      ],
    });
    expect(r.ok && r.text).toBe("GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n");
    expect(r.ok && r.sizes).toEqual({
      startLine: 16,
      fields: 22,
      emptyLine: 2,
      head: 40,
      body: 0,
      bodyFraming: 0,
      total: 40,
    });
  });

  it("uses the standard reason phrase", () => {
    const r = serializeResponse({ status: 426, headers: [["Sec-WebSocket-Version", "13"]] });
    expect(r.ok && r.text).toBe("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\n");
  });

  it("refuses header injection and invalid names", () => {
    expect(serializeRequest({ method: "GET", target: "/", headers: [["X", "a\r\nEvil: 1"]] })).toMatchObject({
      ok: false,
      error: { reason: "bad-field-value" },
    });
    expect(serializeRequest({ method: "GET", target: "/", headers: [["Bad Name", "a"]] })).toMatchObject({
      ok: false,
      error: { reason: "bad-field-name" },
    });
    expect(serializeRequest({ method: "GET", target: "/a b", headers: [] })).toMatchObject({
      ok: false,
      error: { reason: "bad-target" },
    });
  });

  it("round-trips any valid request through the parser", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
    fc.assert(
      fc.property(
        token,
        fc.stringMatching(/^\/[\x21-\x7e]{0,20}$/),
        fc.array(fc.tuple(token, value), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 50 }),
        (method, target, fields, body) => {
          const headers = [
            ...fields.filter(([n]) => !/^(content-length|transfer-encoding)$/i.test(n)),
            ["Content-Length", String(body.length)] as const,
          ];
          const written = serializeRequest({ method, target, headers, body });
          if (!written.ok) return false;
          const m = message(parseRequest(written.bytes));
          expect(m.head.startLine).toMatchObject({ method, target });
          expect(m.head.fields.map((f) => [f.name, f.value])).toEqual(headers);
          expect(m.body).toEqual(body);
          expect(m.sizes).toEqual(written.sizes);
          return true;
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });

  it("never throws on arbitrary bytes", () => {
    const near = fc
      .tuple(
        fc.constantFrom(
          "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
        ),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      )
      .map(([s, changes]) => {
        const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0));
        for (const [at, v] of changes) bytes[at % bytes.length] = v;
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), near), (bytes) => {
        for (const result of [
          parseRequest(bytes),
          parseResponse(bytes),
          parseResponse(bytes, "HEAD", { ended: true }),
        ]) {
          expect(["message", "need-more", "error"]).toContain(result.kind);
          if (result.kind === "message") expect(result.message.length).toBeLessThanOrEqual(bytes.length);
          if (result.kind === "error") expect(result.error.offset).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
