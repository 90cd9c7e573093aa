// The WebSocket opening handshake (RFC 6455 §4): the public entry for keys and accept values,
// building and judging the client's request and the server's answer.

export { acceptDigest, computeAccept, generateKey, isValidKey, WEBSOCKET_GUID } from "./handshake-key.ts";
export type { HandshakeFailure, HandshakeFailureReason } from "./handshake-failure.ts";
export { buildClientRequest, parseClientRequest, validateClientRequest } from "./handshake-request.ts";
export type { AcceptedRequest, ClientRequestOptions, ClientRequestResult, RefusedRequest } from "./handshake-request.ts";
export { buildRefusal, buildServerResponse, parseServerResponse, validateServerResponse } from "./handshake-response.ts";
export type { ResponseExpectations, ServerResponseOptions, ServerResponseResult } from "./handshake-response.ts";
