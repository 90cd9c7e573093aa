// The opening handshake of RFC 6455 §1.2, with the key/accept pair of §1.3: the worked example
// the lessons, the simulation and the tests all start from (re-exported by rfc-examples.ts).

export const handshakeExample = {
  rfc: "RFC 6455 §1.2, §1.3",
  key: "dGhlIHNhbXBsZSBub25jZQ==",
  /** The key is the base64 of these 16 bytes, the ASCII text "the sample nonce". */
  keyText: "the sample nonce",
  accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
  /** The SHA-1 of key + GUID, before base64 (RFC 6455 §1.3). */
  acceptSha1Hex: "b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea",
  request:
    "GET /chat HTTP/1.1\r\n" +
    "Host: server.example.com\r\n" +
    "Upgrade: websocket\r\n" +
    "Connection: Upgrade\r\n" +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
    "Origin: http://example.com\r\n" +
    "Sec-WebSocket-Protocol: chat, superchat\r\n" +
    "Sec-WebSocket-Version: 13\r\n" +
    "\r\n",
  response:
    "HTTP/1.1 101 Switching Protocols\r\n" +
    "Upgrade: websocket\r\n" +
    "Connection: Upgrade\r\n" +
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
    "Sec-WebSocket-Protocol: chat\r\n" +
    "\r\n",
} as const;
