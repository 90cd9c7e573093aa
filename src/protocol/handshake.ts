// The WebSocket opening handshake (RFC 6455 §4): the public entry for keys and accept values,
// building and judging the client's request and the server's answer.

export { acceptDigest, computeAccept, generateKey, isValidKey, WEBSOCKET_GUID } from "./handshake-key.ts";
export type { HandshakeFailureReason } from "./handshake-failure.ts";
export { buildClientRequest, parseClientRequest } from "./handshake-request.ts";
export { buildRefusal, buildServerResponse, parseServerResponse } from "./handshake-response.ts";
