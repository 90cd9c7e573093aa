// The order lesson 8 gives the other site's page, in its URL's fragment: built and read back,
// and anything malformed refused with words the page can show.
import { describe, expect, it } from "vitest";
import { hijackFragment, hijackPath, NAIVE_ECHO_PATH, parseHijackFragment } from "./hijack-demo.ts";
import { generateToken } from "./tap-events.ts";

describe("the hijack demo's fragment", () => {
  it("round-trips an order", () => {
    const order = { labPort: 4321, token: generateToken(), target: "naive" as const };
    const hash = hijackFragment(order);
    expect(hash.startsWith("#")).toBe(true);
    expect(parseHijackFragment(hash)).toEqual({ ok: true, order });
  });

  it("names the server each target tries", () => {
    expect(hijackPath("checked")).toBe("/lab/echo");
    expect(hijackPath("naive")).toBe(NAIVE_ECHO_PATH);
  });

  it.each([
    ["no port", "#watch=x&target=checked"],
    ["a port out of range", `#lab=70000&watch=${generateToken()}&target=checked`],
    ["no token", "#lab=4321&target=checked"],
    ["a token that is not one", "#lab=4321&watch=abc&target=checked"],
    ["an unknown target", `#lab=4321&watch=${generateToken()}&target=everything`],
  ])("refuses %s", (_what, hash) => {
    const parsed = parseHijackFragment(hash);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/lesson 8|checked or naive/);
  });
});
