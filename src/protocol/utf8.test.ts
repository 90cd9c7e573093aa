import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkUtf8, decodeUtf8, Utf8Validator } from "./utf8.ts";

const fatal = new TextDecoder("utf-8", { fatal: true });
function platformAccepts(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// Mostly valid text with a few bytes changed, so both outcomes are common.
const nearlyText = fc
  .tuple(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 2 }),
  )
  .map(([s, changes]) => {
    const bytes = new TextEncoder().encode(s);
    for (const [at, v] of changes) if (bytes.length) bytes[at % bytes.length] = v;
    return bytes;
  });
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 40 }), nearlyText);

describe("UTF-8 validation", () => {
  it("agrees with the platform's fatal TextDecoder", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => checkUtf8(bytes).ok === platformAccepts(bytes)),
      { seed: 42, numRuns: 3000 },
    );
  });

  it("gives the same verdict however the bytes are split, and points at a byte after a valid prefix", () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (bytes, rawCut) => {
        const cut = rawCut % (bytes.length + 1);
        const whole = checkUtf8(bytes, false);
        const v = new Utf8Validator();
        const first = v.push(bytes.subarray(0, cut));
        const second = first.ok ? v.push(bytes.subarray(cut)) : first;
        expect(second.ok).toBe(whole.ok);
        if (!whole.ok && !second.ok) {
          expect(first.ok ? cut + second.index : second.index).toBe(whole.index);
          expect(checkUtf8(bytes.subarray(0, whole.index), false).ok).toBe(true);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it("rejects overlong forms, surrogates and code points past U+10FFFF", () => {
    expect(checkUtf8(new Uint8Array([0xc0, 0xaf]))).toMatchObject({ ok: false, index: 0 });
    expect(checkUtf8(new Uint8Array([0xe0, 0x80, 0xaf]))).toMatchObject({ ok: false, index: 1 });
    expect(checkUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toMatchObject({ ok: false, index: 1 });
    expect(checkUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toMatchObject({ ok: false, index: 1 });
    expect(checkUtf8(new Uint8Array([0xce, 0xba, 0xe1, 0xbd, 0xb9]))).toEqual({ ok: true });
  });

  it("keeps a leading byte order mark, as the wire has it", () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe("\ufeffa");
  });
});
