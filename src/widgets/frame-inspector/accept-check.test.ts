import { describe, expect, it } from "vitest";
import { checkAccept } from "./accept-check.ts";
import { handshakeExample } from "../../protocol/rfc-examples.ts";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("accept check", () => {
  it("recomputes the RFC 6455 §1.3 accept value and finds it matches", async () => {
    expect(await checkAccept(ascii(handshakeExample.request), ascii(handshakeExample.response))).toEqual({
      ok: true,
      key: handshakeExample.key,
      computed: handshakeExample.accept,
      received: handshakeExample.accept,
      match: true,
    });
  });
  it("reports a mismatch and missing headers", async () => {
    const tampered = handshakeExample.response.replace(handshakeExample.accept, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    expect(await checkAccept(ascii(handshakeExample.request), ascii(tampered))).toMatchObject({
      ok: true,
      match: false,
    });
    const noKey = handshakeExample.request.replace(/Sec-WebSocket-Key:[^\r]*\r\n/, "");
    expect(await checkAccept(ascii(noKey), ascii(handshakeExample.response))).toEqual({
      ok: false,
      reason: "the request carried no Sec-WebSocket-Key",
    });
  });
});
