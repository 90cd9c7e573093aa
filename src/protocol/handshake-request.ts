// The client's opening handshake (RFC 6455 §4.1) and a server's reading of it (§4.2.1): a GET
// over HTTP/1.1 or later, with Host, Upgrade: websocket, Connection: Upgrade, a 16-byte
// base64 Sec-WebSocket-Key and Sec-WebSocket-Version: 13. Validation lists every problem, not
// only the first, so a reader editing a broken request sees all of them at once.

import type { HandshakeFailure } from "./handshake-failure.ts";
import { isValidKey } from "./handshake-key.ts";
import { hasToken, headerValue, headerValues, listElements } from "./http1-headers.ts";
import type { HeaderPair } from "./http1-headers.ts";
import { parseRequestHead } from "./http1-head.ts";
import type { HeadOptions, RequestHead } from "./http1-head.ts";
import { serializeRequest } from "./http1-serialize.ts";
import type { SerializeResult } from "./http1-serialize.ts";
import { latin1Encode } from "./http1-text.ts";

export interface ClientRequestOptions {
  /** Host and optional port, as the Host field carries them ("localhost:4321"). */
  host: string;
  /** The request target: path and query ("/lab/echo?watch=T"). */
  path: string;
  key: string;
  origin?: string;
  protocols?: readonly string[];
  extensions?: readonly string[];
  /** More fields, appended after the required ones (cookies, custom headers). */
  headers?: readonly HeaderPair[];
}

/** The request a browser sends, in the order browsers usually write it. */
export function buildClientRequest(options: ClientRequestOptions): SerializeResult {
  const headers: HeaderPair[] = [
    ["Host", options.host],
    ["Upgrade", "websocket"],
    ["Connection", "Upgrade"],
    ["Sec-WebSocket-Key", options.key],
    ["Sec-WebSocket-Version", "13"],
  ];
  if (options.origin !== undefined) headers.push(["Origin", options.origin]);
  if (options.protocols?.length) headers.push(["Sec-WebSocket-Protocol", options.protocols.join(", ")]);
  if (options.extensions?.length) headers.push(["Sec-WebSocket-Extensions", options.extensions.join(", ")]);
  headers.push(...(options.headers ?? []));
  return serializeRequest({ method: "GET", target: options.path, headers });
}

export interface AcceptedRequest {
  ok: true;
  head: RequestHead;
  key: string;
  origin: string | null;
  protocols: string[];
  extensions: string[];
  /** Bytes of the input after the head: frames a client sent before seeing the answer. */
  rest: Uint8Array;
}

export interface RefusedRequest {
  ok: false;
  /** null when the bytes were not even a readable HTTP request. */
  head: RequestHead | null;
  failures: HandshakeFailure[];
  /** The status to answer with: 426 when only the version is wrong, otherwise 400 (RFC 6455 §4.2.1, §4.4). */
  status: number;
}

export type ClientRequestResult = AcceptedRequest | RefusedRequest | { ok: "need-more" };

/** Read and judge a client's handshake from the bytes a server received. */
export function parseClientRequest(input: Uint8Array | string, options: HeadOptions = {}): ClientRequestResult {
  const bytes = typeof input === "string" ? latin1Encode(input) : input;
  const parsed = parseRequestHead(bytes, options);
  if (parsed.kind === "need-more") return { ok: "need-more" };
  if (parsed.kind === "error") {
    const { error } = parsed;
    return {
      ok: false,
      head: null,
      status: error.status,
      failures: [
        {
          reason: "malformed-http",
          error: `${error.error} (at byte ${error.offset})`,
          rfc: error.rfc,
          status: error.status,
        },
      ],
    };
  }
  const result = validateClientRequest(parsed.head);
  if (!result.ok) return result;
  return { ...result, rest: bytes.slice(parsed.head.sizes.total) };
}

export function validateClientRequest(head: RequestHead): Omit<AcceptedRequest, "rest"> | RefusedRequest {
  const { method, version } = head.startLine;
  const fields = head.fields;
  const failures: HandshakeFailure[] = [];
  const fail = (reason: HandshakeFailure["reason"], error: string, rfc: string, status = 400) =>
    failures.push({ reason, error, rfc, status });

  if (method !== "GET")
    fail("method-not-get", `the method is ${method}; a WebSocket handshake must be a GET request`, "RFC 6455 §4.1");
  if (version.major < 1 || (version.major === 1 && version.minor < 1)) {
    fail(
      "http-version-too-old",
      `the request uses HTTP/${version.major}.${version.minor}; the handshake needs HTTP/1.1 or later`,
      "RFC 6455 §4.1",
    );
  }
  if (headerValues(fields, "host").length !== 1) {
    fail(
      "host-missing",
      "the request needs exactly one Host field naming the server",
      "RFC 6455 §4.2.1; RFC 9112 §3.2",
    );
  }
  const upgrade = headerValue(fields, "upgrade");
  if (upgrade === null)
    fail(
      "upgrade-missing",
      "there is no Upgrade field, so this is an ordinary HTTP request, not a request to switch protocols",
      "RFC 6455 §4.2.1",
    );
  else if (!hasToken(fields, "upgrade", "websocket"))
    fail("upgrade-not-websocket", `Upgrade is "${upgrade}"; it must name websocket`, "RFC 6455 §4.2.1");
  if (!hasToken(fields, "connection", "upgrade")) {
    const connection = headerValue(fields, "connection");
    fail(
      "connection-missing-upgrade",
      connection === null
        ? "there is no Connection field; it must contain the Upgrade token, because Upgrade is hop-by-hop"
        : `Connection is "${connection}"; it must contain the Upgrade token`,
      "RFC 6455 §4.2.1; RFC 9110 §7.6.1",
    );
  }
  const keys = headerValues(fields, "sec-websocket-key");
  const key = keys[0] ?? "";
  if (keys.length === 0) fail("key-missing", "there is no Sec-WebSocket-Key field", "RFC 6455 §4.2.1");
  else if (keys.length > 1) fail("key-repeated", "Sec-WebSocket-Key appears more than once", "RFC 6455 §11.3.1");
  else if (!isValidKey(key))
    fail(
      "key-invalid",
      `Sec-WebSocket-Key "${key}" is not base64 of exactly 16 bytes (24 characters ending in ==)`,
      "RFC 6455 §4.2.1",
    );
  const versions = headerValues(fields, "sec-websocket-version");
  if (versions.length === 0)
    fail("version-missing", "there is no Sec-WebSocket-Version field; it must be 13", "RFC 6455 §4.2.1", 426);
  else if (versions.length !== 1 || versions[0] !== "13")
    fail(
      "version-not-13",
      `Sec-WebSocket-Version is "${versions.join(", ")}"; this server speaks only version 13, so it answers 426 with Sec-WebSocket-Version: 13`,
      "RFC 6455 §4.4",
      426,
    );

  if (failures.length > 0) {
    const status = failures.every((f) => f.status === 426) ? 426 : 400;
    return { ok: false, head, failures, status };
  }
  return {
    ok: true,
    head,
    key,
    origin: headerValue(fields, "origin"),
    protocols: headerValues(fields, "sec-websocket-protocol").flatMap(listElements),
    extensions: headerValues(fields, "sec-websocket-extensions").flatMap(listElements),
  };
}
