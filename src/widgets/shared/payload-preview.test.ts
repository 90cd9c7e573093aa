import { describe, expect, it } from "vitest";
import type { CapturedFrame } from "../../protocol/capture.ts";
import { decodeFrame } from "../../protocol/frame-decode.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { encodeClosePayload } from "../../protocol/close-payload.ts";
import { payloadPreview } from "./payload-preview.ts";

function captured(opcode: number, payload: Uint8Array, close: CapturedFrame["close"] = null): CapturedFrame {
  const encoded = encodeFrame({ opcode, payload });
  if (!encoded.ok) throw new Error(encoded.error);
  const decoded = decodeFrame(encoded.bytes);
  if (decoded.kind !== "frame") throw new Error("not a frame");
  return { dir: "out", t: 0, start: 0, end: decoded.frame.raw.length, frame: decoded.frame, close, event: 0 };
}

describe("payloadPreview", () => {
  it("quotes text, and cuts long text", () => {
    expect(payloadPreview(captured(1, new TextEncoder().encode("Hello")))).toBe("“Hello”");
    expect(payloadPreview(captured(1, new TextEncoder().encode("abcdef")), 3)).toBe("“abc…”");
  });

  it("shows binary data as its first twelve bytes in hex", () => {
    expect(payloadPreview(captured(2, Uint8Array.of(0, 1, 0xff)))).toBe("00 01 ff");
    expect(payloadPreview(captured(2, new Uint8Array(20)))).toBe(`${Array(12).fill("00").join(" ")} …`);
  });

  it("names a close frame's code and reason", () => {
    expect(payloadPreview(captured(8, encodeClosePayload(4001, "bye"), { code: 4001, reason: "bye" }))).toBe(
      "4001 “bye”",
    );
  });
});
