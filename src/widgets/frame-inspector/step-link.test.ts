import { describe, expect, it } from "vitest";
import { hashForStep, stepFromHash } from "./step-link.ts";
import { parseRecording, serializeRecording } from "./recording-file.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";

describe("inspector deep links", () => {
  it("reads and writes the step in the hash", () => {
    expect(stepFromHash("#inspector-step=12")).toBe(12);
    expect(stepFromHash("#handshake-step=2&inspector-step=3")).toBe(3);
    expect(stepFromHash("#inspector-step=abc")).toBeNull();
    expect(stepFromHash("")).toBeNull();
    expect(hashForStep(7)).toBe("#inspector-step=7");
    expect(hashForStep(null)).toBe("");
  });
});

describe("recording files", () => {
  const events: TapEvent[] = [
    {
      type: "hello",
      v: 1,
      token: "a".repeat(22),
      limits: { captureBytes: 1, eventsPerSecond: 1, monitorBufferBytes: 1 },
    },
    { type: "chunk", t: 5, specimen: 1, dir: "in", offset: 10, length: 3, data: "AAEC" },
  ];

  it("round-trips", () => {
    const parsed = parseRecording(serializeRecording(events, new Date(0)));
    expect(parsed).toEqual({ ok: true, events, savedAt: "1970-01-01T00:00:00.000Z" });
  });

  it("explains what is wrong with a file", () => {
    expect(parseRecording("{")).toEqual({ ok: false, error: "the file is not JSON" });
    expect(parseRecording('{"format":"other"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not a Switching Protocols recording/),
    });
    expect(
      parseRecording('{"format":"switching-protocols/tap-recording","version":1,"events":[{"type":"chunk"}]}'),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^event 1 is not valid/) });
  });
});
