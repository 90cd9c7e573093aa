import { describe, expect, it } from "vitest";
import { encodeClosePayload, encodeFrame, FrameDecoder, MessageAssembler } from "./frame.ts";
import type { AssemblyEvent, FrameInput } from "./frame.ts";
import { frameExample } from "./rfc-examples.ts";
import { concatBytes } from "./bytes.ts";

function wire(...frames: FrameInput[]): Uint8Array {
  const parts = frames.map((f) => {
    const r = encodeFrame(f);
    if (!r.ok) throw new Error(r.error);
    return r.bytes;
  });
  return concatBytes(parts);
}

function assemble(bytes: Uint8Array, maxMessageLength?: number): AssemblyEvent[] {
  const decoder = new FrameDecoder({ direction: "server-to-client" });
  const assembler = new MessageAssembler({ maxMessageLength });
  return decoder.push(bytes).map((e) => (e.kind === "frame" ? assembler.push(e) : e));
}

const text = (s: string) => new TextEncoder().encode(s);

describe("MessageAssembler", () => {
  it("joins the RFC's fragmented Hello", () => {
    const events = assemble(frameExample("fragmented-text")!.bytes);
    expect(events[0]).toEqual({ kind: "fragment", type: "text", frames: 1, length: 3 });
    expect(events[1]).toMatchObject({
      kind: "message",
      message: { type: "text", text: "Hello", frames: 2, start: 0, end: 9 },
    });
  });

  it("lets control frames through between fragments", () => {
    const events = assemble(
      wire(
        { opcode: 2, fin: false, payload: new Uint8Array([1]) },
        { opcode: 9, payload: text("ping") },
        { opcode: 0, payload: new Uint8Array([2]) },
      ),
    );
    expect(events.map((e) => e.kind)).toEqual(["fragment", "control", "message"]);
    expect(events[2]).toMatchObject({ message: { type: "binary", data: new Uint8Array([1, 2]), text: null } });
  });

  it("parses close frames", () => {
    const events = assemble(wire({ opcode: 8, payload: encodeClosePayload(1000, "done") }, { opcode: 8 }));
    expect(events[0]).toMatchObject({ kind: "control", close: { code: 1000, reason: "done" } });
    expect(events[1]).toMatchObject({ kind: "control", close: { code: null, reason: "" } });
  });

  it("rejects a continuation with no message started", () => {
    expect(assemble(wire({ opcode: 0, payload: text("x") }))[0]).toMatchObject({
      kind: "error",
      error: { reason: "continuation-without-message", offset: 0, closeCode: 1002, rfc: "RFC 6455 §5.4" },
    });
  });

  it("rejects a new data frame inside a fragmented message", () => {
    const events = assemble(wire({ opcode: 1, fin: false, payload: text("a") }, { opcode: 1, payload: text("b") }));
    expect(events[1]).toMatchObject({
      kind: "error",
      error: { reason: "data-frame-inside-fragmented-message", offset: 3, closeCode: 1002 },
    });
  });

  it("finds invalid UTF-8 across fragments, at the byte that breaks it", () => {
    // "é" is c3 a9; here c3 ends the first fragment and 28 "(" starts the second.
    const events = assemble(
      wire(
        { opcode: 1, fin: false, payload: new Uint8Array([0x61, 0xc3]) },
        { opcode: 0, payload: new Uint8Array([0x28]) },
      ),
    );
    expect(events[0]!.kind).toBe("fragment");
    expect(events[1]).toMatchObject({
      kind: "error",
      error: { reason: "text-invalid-utf8", offset: 6, closeCode: 1007, rfc: "RFC 6455 §8.1" },
    });
  });

  it("accepts a character split across fragments", () => {
    const events = assemble(
      wire({ opcode: 1, fin: false, payload: new Uint8Array([0xc3]) }, { opcode: 0, payload: new Uint8Array([0xa9]) }),
    );
    expect(events[1]).toMatchObject({ kind: "message", message: { text: "é" } });
  });

  it("rejects a text message that ends inside a character", () => {
    expect(assemble(wire({ opcode: 1, payload: new Uint8Array([0xe2, 0x82]) }))[0]).toMatchObject({
      kind: "error",
      error: { reason: "text-invalid-utf8", closeCode: 1007 },
    });
  });

  it("refuses messages over the limit with 1009, and stops after an error", () => {
    const decoder = new FrameDecoder();
    const assembler = new MessageAssembler({ maxMessageLength: 4 });
    const events = decoder.push(
      wire(
        { opcode: 2, fin: false, payload: new Uint8Array(3) },
        { opcode: 0, payload: new Uint8Array(3) },
        { opcode: 2, payload: new Uint8Array(1) },
      ),
    );
    const out = events.map((e) => (e.kind === "frame" ? assembler.push(e) : e));
    expect(out[1]).toMatchObject({ kind: "error", error: { reason: "message-too-big", closeCode: 1009 } });
    expect(out[2]).toEqual(out[1]);
  });
});
