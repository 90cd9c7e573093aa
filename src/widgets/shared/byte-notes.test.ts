import { describe, expect, it } from "vitest";
import { dissectFrame } from "../../protocol/frame-dissect.ts";
import type { ByteField } from "../../protocol/byte-field.ts";
import { byteNoteLines, fieldNoteLines } from "./byte-notes.ts";

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(" "), (b) => parseInt(b, 16));
// The masked "Hello" of RFC 6455 §5.7.
const hello = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
const { fields } = dissectFrame(hello, { direction: "client-to-server" });

describe("byte notes", () => {
  it("puts the byte, each field it holds and each fact about it on lines of their own", () => {
    const lines = byteNoteLines(fields, hello, 1);
    expect(lines.map((l) => [l.kind, l.text, l.rfc])).toEqual([
      ["byte", "Byte 1: 0x85 = 1000 0101", ""],
      ["field", "MASK: bit 0 = 1", ""],
      ["fact", "The payload is masked.", "RFC 6455 §5.2"],
      ["fact", "The 4-byte masking key follows the length.", "RFC 6455 §5.2"],
      ["fact", "A client masks every frame it sends.", "RFC 6455 §5.1"],
      ["field", "payload length: bits 1–7 = 5", ""],
      ["fact", "The payload is 5 bytes long.", "RFC 6455 §5.2"],
      ["fact", "Lengths 0 to 125 fit in these 7 bits.", "RFC 6455 §5.2"],
    ]);
  });

  it("reads every number from the bytes", () => {
    // The same frame with a 300-byte binary payload, unmasked: the 16-bit length form.
    const long = Uint8Array.of(0x82, 0x7e, 0x01, 0x2c, ...new Uint8Array(300));
    const d = dissectFrame(long);
    expect(
      byteNoteLines(d.fields, long, 2)
        .slice(0, 3)
        .map((l) => l.text),
    ).toEqual([
      "Byte 2: 0x01 = 0000 0001",
      "extended payload length (16-bit): bytes 2–3 = 300",
      "The payload is 300 bytes long.",
    ]);
    expect(byteNoteLines(d.fields, long, 4)[1]!.text).toBe("payload: bytes 4–303");
  });

  it("leaves out a wide number that says nothing in decimal, and past the end there is nothing to say", () => {
    const key = byteNoteLines(fields, hello, 3);
    expect(key[1]!.text).toBe("masking key: bytes 2–5");
    expect(key.slice(2).every((l) => l.kind === "fact" && l.rfc.startsWith("RFC 6455 §"))).toBe(true);
    expect(byteNoteLines(fields, hello, hello.length)).toEqual([]);
  });

  it("lists a field with its place in the frame", () => {
    const mask = fields.find((f) => f.id === "mask")!;
    expect(fieldNoteLines(mask)[0]).toEqual({ kind: "field", text: "MASK: byte 1, bit 0 = 1", rfc: "" });
    expect(fieldNoteLines(fields.find((f) => f.id === "payload")!)[0]!.text).toBe("payload: bytes 6–10");
  });

  it("gives a field without facts its meaning as one line", () => {
    const tls: ByteField = {
      id: "content-type",
      name: "content type",
      byteStart: 0,
      byteEnd: 1,
      bitStart: 0,
      bitLength: 8,
      value: 22,
      meaning: "handshake",
      rfc: "RFC 8446 §5.1",
      complete: true,
    };
    expect(fieldNoteLines(tls)).toEqual([
      { kind: "field", text: "content type: byte 0 = 22", rfc: "" },
      { kind: "fact", text: "handshake", rfc: "RFC 8446 §5.1" },
    ]);
  });
});
