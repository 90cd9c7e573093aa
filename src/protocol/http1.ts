// HTTP/1.1 messages (RFC 9112, RFC 9110 §5): the public entry for parsing and writing heads,
// header fields, body framing and chunked bodies, with byte counts for every part.

export type { HttpErrorReason } from "./http1-error.ts";
export { hasToken, headerValue, headerValues } from "./http1-headers.ts";
export type { HeaderPair } from "./http1-headers.ts";
export { parseRequestHead, parseResponseHead } from "./http1-head.ts";
export type { MessageHead } from "./http1-head.ts";
export { bodyFraming } from "./http1-body-framing.ts";
export { encodeChunked, parseChunkedBody } from "./http1-chunked.ts";
export { parseRequest, parseResponse } from "./http1-message.ts";
export type { HttpMessage } from "./http1-message.ts";
export { serializeRequest, serializeResponse } from "./http1-serialize.ts";
export type { SerializeResult } from "./http1-serialize.ts";
export { latin1Decode } from "./http1-text.ts";
