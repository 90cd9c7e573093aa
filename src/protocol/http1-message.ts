// A whole HTTP/1.1 message from bytes: the head, how the body is framed, the body, and the
// byte count of every part, so a timeline can set the header overhead beside the payload.
// Parsing stops at the end of the message; `length` says where the next one would start.

import { bodyFraming } from "./http1-body-framing.ts";
import type { BodyFraming } from "./http1-body-framing.ts";
import { parseChunkedBody } from "./http1-chunked.ts";
import type { ChunkedBody } from "./http1-chunked.ts";
import { httpError } from "./http1-error.ts";
import type { HttpError } from "./http1-error.ts";
import { parseRequestHead, parseResponseHead } from "./http1-head.ts";
import type { HeadOptions, MessageHead, RequestHead, ResponseHead } from "./http1-head.ts";
import { latin1Encode } from "./http1-text.ts";

/** Bytes of each part on the wire; total = head + body + bodyFraming. */
export interface MessageSizes {
  startLine: number;
  fields: number;
  emptyLine: number;
  head: number;
  /** The body's content. */
  body: number;
  /** Chunk size lines, chunk CRLFs and trailers; 0 unless chunked. */
  bodyFraming: number;
  total: number;
}

export interface HttpMessage<H extends MessageHead = MessageHead> {
  head: H;
  framing: BodyFraming;
  body: Uint8Array;
  chunked: ChunkedBody | null;
  sizes: MessageSizes;
  /** Bytes of the input this message used. */
  length: number;
}

export type MessageResult<H extends MessageHead> =
  { kind: "message"; message: HttpMessage<H> } | { kind: "need-more" } | { kind: "error"; error: HttpError };

export interface MessageOptions extends HeadOptions {
  /** The peer has closed the connection: a body framed "until close" is whatever arrived. */
  ended?: boolean;
  maxBodyLength?: number;
}

export function parseRequest(input: Uint8Array | string, options: MessageOptions = {}): MessageResult<RequestHead> {
  const bytes = typeof input === "string" ? latin1Encode(input) : input;
  const head = parseRequestHead(bytes, options);
  if (head.kind !== "head") return head;
  return withBody(bytes, head.head, undefined, options);
}

/** `requestMethod` is the method of the request this answers; HEAD and CONNECT change the framing. */
export function parseResponse(
  input: Uint8Array | string,
  requestMethod?: string,
  options: MessageOptions = {},
): MessageResult<ResponseHead> {
  const bytes = typeof input === "string" ? latin1Encode(input) : input;
  const head = parseResponseHead(bytes, options);
  if (head.kind !== "head") return head;
  return withBody(bytes, head.head, requestMethod, options);
}

function withBody<H extends MessageHead>(
  bytes: Uint8Array,
  head: H,
  requestMethod: string | undefined,
  options: MessageOptions,
): MessageResult<H> {
  const framing = bodyFraming(head, requestMethod);
  if (framing.kind === "error") return framing;
  const start = head.sizes.total;
  const max = options.maxBodyLength ?? 64 * 1024 * 1024;
  const done = (body: Uint8Array, chunked: ChunkedBody | null, used: number): MessageResult<H> => {
    const sizes: MessageSizes = {
      startLine: head.sizes.startLine,
      fields: head.sizes.fields,
      emptyLine: head.sizes.emptyLine,
      head: start,
      body: body.length,
      bodyFraming: used - body.length,
      total: start + used,
    };
    return { kind: "message", message: { head, framing, body, chunked, sizes, length: start + used } };
  };
  switch (framing.kind) {
    case "none":
      return done(new Uint8Array(0), null, 0);
    case "content-length": {
      if (framing.length > max)
        return {
          kind: "error",
          error: httpError(
            "body-too-large",
            `the body is ${framing.length} bytes, more than the ${max} accepted`,
            start,
            "RFC 9112 §6.2",
            413,
          ),
        };
      if (bytes.length < start + framing.length) return { kind: "need-more" };
      return done(bytes.slice(start, start + framing.length), null, framing.length);
    }
    case "chunked": {
      const chunked = parseChunkedBody(bytes.subarray(start), { maxBodyLength: max });
      if (chunked.kind === "error")
        return { kind: "error", error: { ...chunked.error, offset: chunked.error.offset + start } };
      if (chunked.kind === "need-more") return chunked;
      return done(chunked.body.data, chunked.body, chunked.body.length);
    }
    case "until-close":
      if (!options.ended) return { kind: "need-more" };
      return done(bytes.slice(start), null, bytes.length - start);
  }
}
