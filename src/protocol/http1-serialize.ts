// Writing HTTP/1.1 messages (RFC 9112 §2–§4): exactly the fields given, in order, with CRLF
// line endings, and the byte count of each part. Nothing is added behind the caller's back
// (no Content-Length, no Date), so a lesson shows precisely what it built. Names and values
// are checked, because a CR or LF in a value would inject extra fields (RFC 9110 §5.5).

import { httpError } from "./http1-error.ts";
import type { HttpError } from "./http1-error.ts";
import { isFieldValue, isToken } from "./http1-headers.ts";
import type { HeaderPair } from "./http1-headers.ts";
import type { MessageSizes } from "./http1-message.ts";
import { latin1Encode } from "./http1-text.ts";

export interface RequestToWrite {
  method: string;
  target: string;
  /** Defaults to "HTTP/1.1". */
  version?: string;
  headers: readonly HeaderPair[];
  /** Bytes to place after the head as they are (already chunked, if the fields say chunked). */
  body?: Uint8Array | string;
}

export interface ResponseToWrite {
  status: number;
  /** Defaults to the standard phrase for the status. */
  reason?: string;
  version?: string;
  headers: readonly HeaderPair[];
  body?: Uint8Array | string;
}

export type SerializeResult =
  { ok: true; bytes: Uint8Array; text: string; sizes: MessageSizes } | { ok: false; error: HttpError };

const reasons: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Content Too Large",
  426: "Upgrade Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

/** The usual reason phrase for a status (RFC 9110 §15); clients ignore it, people read it. */
export function reasonPhrase(status: number): string {
  return reasons[status] ?? "";
}

export function serializeRequest(request: RequestToWrite): SerializeResult {
  if (!isToken(request.method))
    return {
      ok: false,
      error: httpError("bad-method", `"${request.method}" is not a valid method name`, 0, "RFC 9112 §3.1"),
    };
  if (!/^[\x21-\x7e\x80-\xff]+$/.test(request.target))
    return {
      ok: false,
      error: httpError(
        "bad-target",
        `the request target "${request.target}" may not be empty or contain spaces or controls`,
        0,
        "RFC 9112 §3.2",
      ),
    };
  return write(`${request.method} ${request.target} ${request.version ?? "HTTP/1.1"}`, request.headers, request.body);
}

export function serializeResponse(response: ResponseToWrite): SerializeResult {
  if (!Number.isInteger(response.status) || response.status < 100 || response.status > 999) {
    return {
      ok: false,
      error: httpError("bad-status-line", `${response.status} is not a 3-digit status code`, 0, "RFC 9112 §4"),
    };
  }
  const reason = response.reason ?? reasonPhrase(response.status);
  if (!isFieldValue(reason))
    return {
      ok: false,
      error: httpError("bad-status-line", "the reason phrase contains control characters", 0, "RFC 9112 §4"),
    };
  return write(`${response.version ?? "HTTP/1.1"} ${response.status} ${reason}`, response.headers, response.body);
}

function write(
  startLine: string,
  headers: readonly HeaderPair[],
  body: Uint8Array | string | undefined,
): SerializeResult {
  let text = `${startLine}\r\n`;
  const startLineSize = latin1Encode(text).length;
  for (const [name, value] of headers) {
    if (!isToken(name))
      return {
        ok: false,
        error: httpError(
          "bad-field-name",
          `"${name}" is not a valid field name`,
          latin1Encode(text).length,
          "RFC 9110 §5.1",
        ),
      };
    if (!isFieldValue(value))
      return {
        ok: false,
        error: httpError(
          "bad-field-value",
          `the value of ${name} contains CR, LF, NUL or another control character`,
          latin1Encode(text).length,
          "RFC 9110 §5.5",
        ),
      };
    text += `${name}: ${value}\r\n`;
  }
  text += "\r\n";
  const head = latin1Encode(text);
  const bodyBytes = typeof body === "string" ? new TextEncoder().encode(body) : (body ?? new Uint8Array(0));
  const bytes = new Uint8Array(head.length + bodyBytes.length);
  bytes.set(head);
  bytes.set(bodyBytes, head.length);
  const sizes: MessageSizes = {
    startLine: startLineSize,
    fields: head.length - startLineSize - 2,
    emptyLine: 2,
    head: head.length,
    body: bodyBytes.length,
    bodyFraming: 0,
    total: bytes.length,
  };
  return { ok: true, bytes, text, sizes };
}
