// Client-to-server masking (RFC 6455 §5.3): payload byte i is XORed with byte i mod 4 of a
// 32-bit key the client picks fresh for every frame. It is not encryption: the key travels in
// the frame. It exists so a hostile page cannot choose the bytes a confused proxy sees, which
// defeats cache poisoning of intermediaries (§10.3).

/** XOR `bytes` with `key`, starting at key byte `keyStart` mod 4. Masking and unmasking are the same operation. */
export function applyMask(bytes: Uint8Array, key: Uint8Array, keyStart = 0): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! ^ key[(i + keyStart) & 3]!;
  return out;
}

/** A fresh key from a strong source, as §5.3 requires ("unpredictable"). */
export function generateMaskingKey(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(4));
}
