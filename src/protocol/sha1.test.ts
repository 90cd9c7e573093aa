import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "./hex.ts";
import { sha1 } from "./sha1.ts";

describe("SHA-1 fallback", () => {
  it("matches the FIPS 180 examples", () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(toHex(sha1(ascii("abc")), "")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(toHex(sha1(ascii("")), "")).toBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expect(toHex(sha1(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), "")).toBe(
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
    );
  });

  it("agrees with crypto.subtle on any input, across block boundaries", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const expected = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
        expect(sha1(bytes)).toEqual(expected);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
