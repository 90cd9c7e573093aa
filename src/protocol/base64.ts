// Base64 (RFC 4648 §4) between bytes and text, with the browser's btoa/atob so the same code
// runs in Node and in a page. The handshake key and accept values are base64 (RFC 6455 §4.1).

/** Bytes turned into characters this many at a time: far fewer string joins than one by one, well under engines' argument limits. */
const CHARS_AT_ONCE = 8192;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHARS_AT_ONCE)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHARS_AT_ONCE));
  return btoa(binary);
}

/** Bytes of canonical, padded base64 text; null if the text is not base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Non-canonical text (stray bits in the last character) decodes but would not re-encode the same.
  return bytesToBase64(bytes) === text ? bytes : null;
}
