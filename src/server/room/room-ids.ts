// The room's secrets and names, all from the operating system's cryptographic random source:
// join codes (6 characters of CODE_ALPHABET, about 30 bits: short enough to type from a
// projector, and guessing is slowed by join-limiter.ts), teacher keys and resume tokens
// (128 bits, base64url: never guessable, so they are the only proof of who someone is), and
// participant ids (72 bits; everyone in the room sees them, so they prove nothing).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { CODE_ALPHABET } from "../../protocol/room-protocol.ts";

// The largest multiple of the alphabet's size below 256: bytes at or above it are thrown away
// so every character is equally likely (a plain `byte % 31` would favour the first 8).
const UNBIASED_LIMIT = 256 - (256 % CODE_ALPHABET.length);

export function newJoinCode(taken: (code: string) => boolean): string {
  for (;;) {
    let code = "";
    while (code.length < 6) {
      for (const byte of randomBytes(12)) {
        if (byte < UNBIASED_LIMIT && code.length < 6) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
      }
    }
    if (!taken(code)) return code;
  }
}

/** 128 random bits in base64url (22 characters): a teacher key or a resume token. */
export function newSecret(): string {
  return randomBytes(16).toString("base64url");
}

export function newParticipantId(): string {
  return randomBytes(9).toString("base64url");
}

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
