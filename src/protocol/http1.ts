// HTTP/1.1 messages (RFC 9112, RFC 9110 §5): the public entry for parsing and writing heads,
// header fields, body framing and chunked bodies, with byte counts for every part.

export type { HttpError, HttpErrorReason } from "./http1-error.ts";
export { hasToken, headerValue, headerValues, isFieldValue, isToken, listElements } from "./http1-headers.ts";
export type { HeaderField, HeaderPair } from "./http1-headers.ts";
export { parseFieldSection, parseRequestHead, parseResponseHead } from "./http1-head.ts";
export type { FieldSectionResult, HeadOptions, HeadResult, HeadSizes, HttpVersion, MessageHead, RequestHead, RequestLine, ResponseHead, StatusLine } from "./http1-head.ts";
export { bodyFraming } from "./http1-body-framing.ts";
export type { BodyFraming, FramingResult } from "./http1-body-framing.ts";
export { encodeChunked, parseChunkedBody } from "./http1-chunked.ts";
export type { Chunk, ChunkedBody, ChunkedResult } from "./http1-chunked.ts";
export { parseRequest, parseResponse } from "./http1-message.ts";
export type { HttpMessage, MessageOptions, MessageResult, MessageSizes } from "./http1-message.ts";
export { reasonPhrase, serializeRequest, serializeResponse } from "./http1-serialize.ts";
export type { RequestToWrite, ResponseToWrite, SerializeResult } from "./http1-serialize.ts";
export { latin1Decode, latin1Encode } from "./http1-text.ts";
