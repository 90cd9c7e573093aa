// The opening handshake's key and accept values (RFC 6455 §4.1, §4.2.2). The client sends
// base64 of 16 random bytes; the server answers base64(SHA-1(key text + GUID)). The accept
// value proves only that the server understood a WebSocket handshake, not who it is (§10.8);
// SHA-1's weaknesses do not matter for that purpose.

import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import { sha1 } from "./sha1.ts";

/** The fixed GUID of RFC 6455 §1.3, appended to the key before hashing. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** A fresh Sec-WebSocket-Key: base64 of 16 random bytes (RFC 6455 §4.1, item 7). */
export function generateKey(): string {
  return bytesToBase64(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/** Is the text base64 of exactly 16 bytes, as a key must be (RFC 6455 §4.2.1, item 5)? */
export function isValidKey(key: string): boolean {
  return base64ToBytes(key)?.length === 16;
}

/** The SHA-1 digest of key + GUID, before base64, for lessons that show the step. */
export async function acceptDigest(key: string): Promise<Uint8Array> {
  // The key is hashed as the text that was sent, not as its decoded bytes (RFC 6455 §4.2.2).
  const input = new TextEncoder().encode(key + WEBSOCKET_GUID);
  // crypto.subtle exists only in secure contexts; a page served over plain http on a LAN has none.
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha1(input);
  try {
    return new Uint8Array(await subtle.digest("SHA-1", input));
  } catch {
    return sha1(input);
  }
}

/** Sec-WebSocket-Accept for a key (RFC 6455 §4.2.2, item 5.4). */
export async function computeAccept(key: string): Promise<string> {
  return bytesToBase64(await acceptDigest(key));
}
