// The lab's own check of an opening handshake, before `ws` sees it, so every refusal is the
// answer RFC 6455 asks for and says in words what was wrong: a request older than HTTP/1.1 gets
// 400 (§4.1 requires "HTTP/1.1 or higher": an HTTP/1.0 client knows neither Upgrade nor 101
// Switching Protocols, RFC 9110 §7.8, so 400 with the reason is what it can act on), a method other than GET gets 405
// (§4.1 requires GET), a version other than 13 gets 426 Upgrade Required with the version the
// lab speaks (§4.4), and an Upgrade without the websocket token or a key that is not base64 of
// 16 bytes gets 400 (§4.2.1). `ws` alone would answer 400 to a wrong version and advertise
// version 8 as well, which this lab does not teach.
import type { IncomingMessage } from "node:http";
import { isValidKey } from "../protocol/handshake-key.ts";

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

function tokens(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

export function handshakeRefusal(request: IncomingMessage): Refusal | null {
  if (request.httpVersionMajor < 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor < 1)) {
    return {
      status: 400,
      message: `A WebSocket handshake needs HTTP/1.1 or higher; this request is HTTP/${request.httpVersion} (RFC 6455 §4.1). Send it again as HTTP/1.1.`,
    };
  }
  if (request.method !== "GET") {
    return {
      status: 405,
      message: `A WebSocket handshake must use GET, not ${request.method} (RFC 6455 §4.1).`,
      headers: { Allow: "GET" },
    };
  }
  if (!tokens(request.headers.upgrade).includes("websocket")) {
    return { status: 400, message: "The Upgrade header must name websocket (RFC 6455 §4.2.1)." };
  }
  const version = request.headers["sec-websocket-version"];
  if (version?.trim() !== "13") {
    return {
      status: 426,
      message: `${version === undefined ? "The request has no Sec-WebSocket-Version" : `Sec-WebSocket-Version ${version} is not supported`}; this lab speaks version 13 (RFC 6455 §4.4).`,
      // 426 must name the protocol to upgrade to (RFC 9110 §15.5.22), and §4.4 the version.
      headers: { Upgrade: "websocket", "Sec-WebSocket-Version": "13" },
    };
  }
  const key = request.headers["sec-websocket-key"];
  if (key === undefined || !isValidKey(key.trim())) {
    return {
      status: 400,
      message:
        "Sec-WebSocket-Key must be the base64 of 16 random bytes, 24 characters ending in == (RFC 6455 §4.1, §4.2.1).",
    };
  }
  return null;
}
