// The server's answer (RFC 6455 §4.2.2) and a client's check of it (§4.1): 101 Switching
// Protocols with Upgrade: websocket, Connection: Upgrade and the accept value computed from
// the key. Any other status means the handshake failed and ordinary HTTP still applies. A
// refusal answers 400, or 426 with the versions the server speaks (§4.4).

import type { HandshakeFailure } from "./handshake-failure.ts";
import { computeAccept } from "./handshake-key.ts";
import { hasToken, headerValue, headerValues, listElements } from "./http1-headers.ts";
import type { HeaderPair } from "./http1-headers.ts";
import { parseResponseHead } from "./http1-head.ts";
import type { HeadOptions, ResponseHead } from "./http1-head.ts";
import { serializeResponse } from "./http1-serialize.ts";
import type { SerializeResult } from "./http1-serialize.ts";
import { latin1Encode } from "./http1-text.ts";

export interface ServerResponseOptions {
  key: string;
  /** The subprotocol the server picked from the client's list, if any. */
  protocol?: string;
  headers?: readonly HeaderPair[];
}

export async function buildServerResponse(options: ServerResponseOptions): Promise<SerializeResult> {
  const headers: HeaderPair[] = [
    ["Upgrade", "websocket"],
    ["Connection", "Upgrade"],
    ["Sec-WebSocket-Accept", await computeAccept(options.key)],
  ];
  if (options.protocol) headers.push(["Sec-WebSocket-Protocol", options.protocol]);
  headers.push(...(options.headers ?? []));
  return serializeResponse({ status: 101, headers });
}

/** The refusal for a failed request: 426 Upgrade Required with Sec-WebSocket-Version: 13 for a version problem, else 400. */
export function buildRefusal(failures: readonly HandshakeFailure[]): SerializeResult {
  const only426 = failures.length > 0 && failures.every((f) => f.status === 426);
  const status = only426 ? 426 : 400;
  const body = failures.map((f) => `${f.error} (${f.rfc})`).join("\n") + "\n";
  const headers: HeaderPair[] = [];
  if (failures.some((f) => f.status === 426)) headers.push(["Sec-WebSocket-Version", "13"]);
  headers.push(
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Content-Length", String(new TextEncoder().encode(body).length)],
    ["Connection", "close"],
  );
  return serializeResponse({ status, headers, body });
}

export interface ResponseExpectations {
  /** The key the client sent. */
  key: string;
  /** Subprotocols the client offered; the server may pick one of them or none. */
  protocols?: readonly string[];
  /** Extensions the client offered. */
  extensions?: readonly string[];
}

export type ServerResponseResult =
  | { ok: true; head: ResponseHead; protocol: string | null; extensions: string[]; rest: Uint8Array }
  | { ok: false; head: ResponseHead | null; failures: HandshakeFailure[] }
  | { ok: "need-more" };

/** Read and judge a server's answer from the bytes a client received. */
export async function parseServerResponse(
  input: Uint8Array | string,
  expected: ResponseExpectations,
  options: HeadOptions = {},
): Promise<ServerResponseResult> {
  const bytes = typeof input === "string" ? latin1Encode(input) : input;
  const parsed = parseResponseHead(bytes, options);
  if (parsed.kind === "need-more") return { ok: "need-more" };
  if (parsed.kind === "error") {
    return {
      ok: false,
      head: null,
      failures: [
        {
          reason: "malformed-http",
          error: `${parsed.error.error} (at byte ${parsed.error.offset})`,
          rfc: parsed.error.rfc,
        },
      ],
    };
  }
  const result = await validateServerResponse(parsed.head, expected);
  if (!result.ok) return result;
  return { ...result, rest: bytes.slice(parsed.head.sizes.total) };
}

export async function validateServerResponse(
  head: ResponseHead,
  expected: ResponseExpectations,
): Promise<
  | { ok: true; head: ResponseHead; protocol: string | null; extensions: string[] }
  | { ok: false; head: ResponseHead; failures: HandshakeFailure[] }
> {
  const fields = head.fields;
  const { status, reason } = head.startLine;
  const failures: HandshakeFailure[] = [];
  const fail = (why: HandshakeFailure["reason"], error: string, rfc: string) =>
    failures.push({ reason: why, error, rfc });

  if (status !== 101) {
    const extra =
      status === 426 && headerValue(fields, "sec-websocket-version")
        ? `; the server speaks WebSocket version ${headerValue(fields, "sec-websocket-version")}`
        : "";
    fail(
      "status-not-101",
      `the server answered ${status} ${reason}, not 101 Switching Protocols, so the connection stays plain HTTP${extra}`,
      "RFC 6455 §4.1",
    );
    return { ok: false, head, failures };
  }
  const upgrade = headerValue(fields, "upgrade");
  if (upgrade === null) fail("upgrade-missing", "the 101 response has no Upgrade field", "RFC 6455 §4.1");
  else if (!hasToken(fields, "upgrade", "websocket"))
    fail("upgrade-not-websocket", `the 101 response upgrades to "${upgrade}", not websocket`, "RFC 6455 §4.1");
  if (!hasToken(fields, "connection", "upgrade"))
    fail("connection-missing-upgrade", "the 101 response's Connection field does not contain Upgrade", "RFC 6455 §4.1");
  const accept = headerValue(fields, "sec-websocket-accept");
  const wanted = await computeAccept(expected.key);
  if (accept === null) fail("accept-missing", "the 101 response has no Sec-WebSocket-Accept field", "RFC 6455 §4.1");
  else if (accept.trim() !== wanted)
    fail(
      "accept-mismatch",
      `Sec-WebSocket-Accept is "${accept}", but the key ${expected.key} gives "${wanted}"`,
      "RFC 6455 §4.1",
    );
  const protocols = headerValues(fields, "sec-websocket-protocol").flatMap(listElements);
  const protocol = protocols[0] ?? null;
  if (protocols.length > 1 || (protocol !== null && !(expected.protocols ?? []).includes(protocol))) {
    fail(
      "protocol-not-offered",
      `the server chose subprotocol "${protocols.join(", ")}", which the client did not offer`,
      "RFC 6455 §4.1",
    );
  }
  const extensions = headerValues(fields, "sec-websocket-extensions").flatMap(listElements);
  const offered = (expected.extensions ?? []).map((e) => e.split(";")[0]!.trim().toLowerCase());
  const unoffered = extensions.filter((e) => !offered.includes(e.split(";")[0]!.trim().toLowerCase()));
  if (unoffered.length > 0)
    fail(
      "extension-not-offered",
      `the server uses extension "${unoffered.join(", ")}", which the client did not offer`,
      "RFC 6455 §4.1",
    );

  if (failures.length > 0) return { ok: false, head, failures };
  return { ok: true, head, protocol, extensions };
}
