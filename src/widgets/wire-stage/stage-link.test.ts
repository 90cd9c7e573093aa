import { describe, expect, it } from "vitest";
import {
  decodeRecording,
  encodeRecording,
  hashFor,
  recordingFromHash,
  recordingFromJson,
  recordingToJson,
  stepFromHash,
} from "./stage-link.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";

const events: TapEvent[] = [
  {
    type: "open",
    t: 1,
    specimen: 1,
    path: "/lab/echo",
    tuple: { clientAddress: "127.0.0.1", clientPort: 1, serverAddress: "127.0.0.1", serverPort: 2 },
  },
];
const settings = { http: "long-polling" as const, rttMs: 100, pollIntervalMs: 1000 };

describe("wire stage deep links", () => {
  it("round-trips a step and a recording through the address", async () => {
    const encoded = await encodeRecording({ settings, events });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const hash = hashFor(12, encoded);
    expect(stepFromHash(hash)).toBe(12);
    const read = await decodeRecording(recordingFromHash(hash)!);
    expect(read).toEqual({ ok: true, recording: { settings, events } });
  });

  it("names only the step when there is no recording to carry", () => {
    expect(hashFor(3, null)).toBe("#wire-step=3");
    expect(recordingFromHash("#wire-step=3")).toBeNull();
    expect(stepFromHash("#inspector-step=3")).toBeNull();
  });

  it("refuses damaged or foreign recordings with a reason", async () => {
    expect(await decodeRecording("AAAA")).toMatchObject({ ok: false });
    expect(recordingFromJson("{")).toMatchObject({ ok: false, error: expect.stringMatching(/JSON/) });
    expect(
      recordingFromJson(recordingToJson({ settings: { ...settings, http: "carrier-pigeon" as never }, events })),
    ).toMatchObject({ ok: false });
    expect(recordingFromJson(JSON.stringify({ v: 1, settings, events: [{ type: "nonsense" }] }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/event 1/),
    });
  });
});
