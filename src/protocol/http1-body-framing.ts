// How an HTTP/1.1 recipient knows where a body ends (RFC 9112 §6.3), decided from the head
// alone: no body at all, a Content-Length, the chunked coding, or (for a response) everything
// until the server closes the connection. The order of the rules matters and follows §6.3.

import { httpError } from "./http1-error.ts";
import type { HttpError } from "./http1-error.ts";
import { headerValues, listElements } from "./http1-headers.ts";
import type { MessageHead } from "./http1-head.ts";

export type BodyFraming =
  | { kind: "none"; why: string; rfc: string }
  | { kind: "content-length"; length: number; rfc: string }
  | { kind: "chunked"; rfc: string; /** Set when Content-Length was also sent and is ignored. */ warning?: string }
  | { kind: "until-close"; why: string; rfc: string };

export type FramingResult = BodyFraming | { kind: "error"; error: HttpError };

/** `requestMethod`: for a response, the method of the request it answers (HEAD and CONNECT change the rules). */
export function bodyFraming(head: MessageHead, requestMethod?: string): FramingResult {
  const line = head.startLine;
  const isResponse = line.kind === "response";
  const failStatus = isResponse ? 502 : 400;
  if (isResponse) {
    const status = line.status;
    if (requestMethod?.toUpperCase() === "HEAD")
      return { kind: "none", why: "a response to HEAD never has a body", rfc: "RFC 9112 §6.3" };
    if (status === 101)
      return {
        kind: "none",
        why: "after 101 the connection speaks the new protocol; the bytes after the empty line are no longer HTTP",
        rfc: "RFC 9110 §15.2.2",
      };
    if (status < 200 || status === 204 || status === 304)
      return { kind: "none", why: `a ${status} response never has a body`, rfc: "RFC 9112 §6.3" };
    if (requestMethod?.toUpperCase() === "CONNECT" && status < 300)
      return {
        kind: "none",
        why: "after a 2xx answer to CONNECT the connection becomes a tunnel",
        rfc: "RFC 9112 §6.3",
      };
  }
  const te = headerValues(head.fields, "transfer-encoding");
  const cl = headerValues(head.fields, "content-length");
  const teField = head.fields.find((f) => f.name.toLowerCase() === "transfer-encoding");
  if (te.length > 0) {
    if (line.version.minor === 0) {
      return {
        kind: "error",
        error: httpError(
          "transfer-encoding-in-http10",
          "an HTTP/1.0 message has Transfer-Encoding, which HTTP/1.0 does not define; its framing cannot be trusted",
          teField!.offset,
          "RFC 9112 §6.1",
          failStatus,
        ),
      };
    }
    const codings = te.flatMap(listElements).map((c) => c.toLowerCase());
    if (codings.at(-1) !== "chunked") {
      if (isResponse)
        return {
          kind: "until-close",
          why: "Transfer-Encoding does not end with chunked, so the body runs until the connection closes",
          rfc: "RFC 9112 §6.3",
        };
      return {
        kind: "error",
        error: httpError(
          "transfer-encoding-not-chunked",
          "a request's Transfer-Encoding must end with chunked, or its length cannot be known",
          teField!.offset,
          "RFC 9112 §6.3",
        ),
      };
    }
    if (cl.length > 0) {
      return {
        kind: "chunked",
        rfc: "RFC 9112 §6.3",
        warning:
          "both Transfer-Encoding and Content-Length were sent: Transfer-Encoding wins, and such a message may be a request smuggling attempt, so the connection should be closed after it",
      };
    }
    return { kind: "chunked", rfc: "RFC 9112 §7.1" };
  }
  if (cl.length > 0) {
    const values = cl.flatMap((v) => v.split(",").map((e) => e.trim()));
    const clField = head.fields.find((f) => f.name.toLowerCase() === "content-length")!;
    if (values.some((v) => !/^\d+$/.test(v)) || new Set(values.map((v) => v.replace(/^0+(?=\d)/, ""))).size !== 1) {
      return {
        kind: "error",
        error: httpError(
          "bad-content-length",
          `Content-Length "${cl.join(", ")}" is not one non-negative decimal number`,
          clField.offset,
          "RFC 9112 §6.3",
          failStatus,
        ),
      };
    }
    const length = Number(values[0]);
    if (!Number.isSafeInteger(length)) {
      return {
        kind: "error",
        error: httpError(
          "bad-content-length",
          `Content-Length ${values[0]} is too large`,
          clField.offset,
          "RFC 9112 §6.2",
          failStatus,
        ),
      };
    }
    return { kind: "content-length", length, rfc: "RFC 9112 §6.2" };
  }
  if (!isResponse)
    return {
      kind: "none",
      why: "a request with neither Content-Length nor Transfer-Encoding has no body",
      rfc: "RFC 9112 §6.3",
    };
  return {
    kind: "until-close",
    why: "a response with neither Content-Length nor Transfer-Encoding ends when the server closes the connection",
    rfc: "RFC 9112 §6.3",
  };
}
