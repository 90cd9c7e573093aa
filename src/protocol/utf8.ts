// UTF-8 validation that can be fed a message in pieces and says which byte broke it.
// Text messages and close reasons must be valid UTF-8 (RFC 6455 §5.6, §5.5.1, §8.1), and a
// receiver fails the connection with 1007 as soon as it sees an invalid byte, even when the
// character is split across fragments. A decoder that only says "invalid" cannot point at the
// byte, so the rules of RFC 3629 §4 (no overlong forms, no surrogates, nothing past U+10FFFF)
// are checked here byte by byte. (Byte counts of strings live in utf8-length.ts.)

export type Utf8Check = { ok: true } | { ok: false; index: number; error: string };

export class Utf8Validator {
  #needed = 0;
  #lower = 0x80;
  #upper = 0xbf;

  /** Feed more bytes; `index` in a failure is relative to this chunk. */
  push(bytes: Uint8Array): Utf8Check {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.#needed === 0) {
        if (b <= 0x7f) continue;
        if (b >= 0xc2 && b <= 0xdf) this.#needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.#lower = 0xa0;
          if (b === 0xed) this.#upper = 0x9f;
          this.#needed = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.#lower = 0x90;
          if (b === 0xf4) this.#upper = 0x8f;
          this.#needed = 3;
        } else {
          return { ok: false, index: i, error: leadError(b) };
        }
        continue;
      }
      if (b < this.#lower || b > this.#upper) {
        const error =
          b >= 0x80 && b <= 0xbf
            ? `byte 0x${hex(b)} would make an overlong form, a UTF-16 surrogate or a code point above U+10FFFF`
            : `byte 0x${hex(b)} interrupts a multi-byte character that needed ${this.#needed} more continuation byte(s)`;
        return { ok: false, index: i, error };
      }
      this.#lower = 0x80;
      this.#upper = 0xbf;
      this.#needed--;
    }
    return { ok: true };
  }

  /** True when the bytes so far end between characters. */
  get atBoundary(): boolean {
    return this.#needed === 0;
  }
}

/** Validate a complete byte string (or a prefix, with `complete = false`). */
export function checkUtf8(bytes: Uint8Array, complete = true): Utf8Check {
  const validator = new Utf8Validator();
  const result = validator.push(bytes);
  if (!result.ok) return result;
  if (complete && !validator.atBoundary) {
    return { ok: false, index: bytes.length, error: "the bytes end in the middle of a multi-byte character" };
  }
  return result;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decode valid UTF-8 to a string, keeping a leading BOM so the text matches the wire; null if invalid. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  if (!checkUtf8(bytes).ok) return null;
  return decoder.decode(bytes);
}

const encoder = new TextEncoder();

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

function leadError(b: number): string {
  if (b >= 0x80 && b <= 0xbf) return `byte 0x${hex(b)} is a continuation byte with no character started before it`;
  if (b === 0xc0 || b === 0xc1)
    return `byte 0x${hex(b)} can only start an overlong (non-shortest) encoding, which UTF-8 forbids`;
  return `byte 0x${hex(b)} never appears in UTF-8 (it would encode beyond U+10FFFF)`;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
