import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { frameExamples, handshakeExample } from "../../protocol/rfc-examples.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import {
  formatSavedAt,
  inspectorLabels,
  inspectorMode,
  type HandshakeAhead,
  type InspectorLabels,
  type LabelInput,
  type ReplayOrigin,
} from "./inspector-mode.ts";
import { nextAfter, summarizeRecording } from "./recording-summary.ts";

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const request = ascii(handshakeExample.request);
const response = ascii(handshakeExample.response);
const maskedHello = frameExamples.find((f) => f.id === "masked-text")!.bytes;
const hello = frameExamples.find((f) => f.id === "unmasked-text")!.bytes;
const tuple = { clientAddress: "127.0.0.1", clientPort: 50000, serverAddress: "127.0.0.1", serverPort: 4321 };

/** A recorded session: the monitor, the connection, its handshake, then "Hello" and its echo (events 7 and 8). */
const session: TapEvent[] = [
  {
    type: "hello",
    v: 1,
    token: "t".repeat(22),
    limits: { captureBytes: 1 << 20, eventsPerSecond: 500, monitorBufferBytes: 1 << 20 },
  },
  { type: "open", t: 1000, specimen: 1, path: "/lab/echo", tuple },
  { type: "request", t: 1000.5, specimen: 1, offset: 0, data: bytesToBase64(request) },
  { type: "response", t: 1001, specimen: 1, offset: 0, data: bytesToBase64(response) },
  {
    type: "chunk",
    t: 1010,
    specimen: 1,
    dir: "in",
    offset: request.length,
    length: 4,
    data: bytesToBase64(maskedHello.subarray(0, 4)),
  },
  { type: "command", t: 1010.5, specimen: 1, command: "ping", ok: true, detail: "nothing" },
  {
    type: "chunk",
    t: 1011,
    specimen: 1,
    dir: "in",
    offset: request.length + 4,
    length: maskedHello.length - 4,
    data: bytesToBase64(maskedHello.subarray(4)),
  },
  {
    type: "chunk",
    t: 1012,
    specimen: 1,
    dir: "out",
    offset: response.length,
    length: hello.length,
    data: bytesToBase64(hello),
  },
];
const summary = summarizeRecording(session);
const file: ReplayOrigin = { kind: "file", name: "capture.json", savedAt: "2025-03-01T14:02:09.000Z", summary };
const stored: ReplayOrigin = { kind: "stored", savedAt: "2025-03-01T14:02:09.000Z", summary };

function labels(partial: Partial<LabelInput> & Pick<LabelInput, "mode">, ahead?: HandshakeAhead): InspectorLabels {
  return inspectorLabels(
    { readyState: "OPEN", cursor: 0, events: session.length, overflow: 0, framesShown: 0, ...partial },
    ahead,
  );
}

/** Every word the labels put on the page. */
const allText = (l: InspectorLabels): string =>
  Object.values(l)
    .filter((v) => typeof v === "string")
    .join(" | ");
/** Words that would call a replay live (the “Go live” button may be named: it is how to leave the replay). */
const SAYS_LIVE = /(?<!Go )live\b|no frames yet|not captured yet/i;

describe("recording summary", () => {
  it("counts frames with the event that completes each, and where the handshake comes", () => {
    expect(summary).toEqual({ events: 8, frames: 2, frameEvents: [7, 8], requestEvents: [3], responseEvents: [4] });
    expect(nextAfter(summary.frameEvents, 0)).toBe(7);
    expect(nextAfter(summary.frameEvents, 7)).toBe(8);
    expect(nextAfter(summary.frameEvents, 8)).toBeNull();
  });
});

describe("the inspector's mode", () => {
  it("is a replay whenever a recording was loaded, whatever the recorder does", () => {
    expect(inspectorMode("live", null)).toEqual({ kind: "live" });
    expect(inspectorMode("stopped", null)).toEqual({ kind: "paused", playing: false });
    expect(inspectorMode("playing", null)).toEqual({ kind: "paused", playing: true });
    expect(inspectorMode("stopped", file)).toEqual({ kind: "replay", origin: file, playing: false });
    expect(inspectorMode("playing", stored)).toEqual({ kind: "replay", origin: stored, playing: true });
  });

  it("writes the saved date on the file's clock, or nothing when there is none", () => {
    expect(formatSavedAt("2025-03-01T14:02:09.000Z")).toBe("2025-03-01 14:02 UTC");
    expect(formatSavedAt("")).toBeNull();
    expect(formatSavedAt("yesterday")).toBeNull();
  });
});

describe("labels", () => {
  it("say live while following this page's connection", () => {
    const live = labels({ mode: { kind: "live" }, cursor: 8 });
    expect(live).toMatchObject({
      badge: "live",
      readyState: "OPEN",
      replaying: null,
      step: "Live · 8 events recorded",
      laneEmpty: "No frames yet: send a message.",
      requestMissing: "not captured yet",
      hint: "",
    });
    expect(labels({ mode: { kind: "live" }, readyState: null, cursor: 1, events: 1, overflow: 3 })).toMatchObject({
      readyState: "not connected",
      step: "Live · 1 event recorded (3 more not kept)",
    });
  });

  it("say paused, and where the next head comes, while stepping this page's own recording", () => {
    const paused = labels({ mode: { kind: "paused", playing: false }, cursor: 2 }, summary);
    expect(paused).toMatchObject({
      badge: "paused",
      readyState: "OPEN",
      step: "Paused at event 2 of 8",
      laneEmpty: "No frames up to event 2: step forward.",
      requestMissing: "comes with event 3: step forward",
      responseMissing: "comes with event 4: step forward",
    });
    expect(labels({ mode: { kind: "paused", playing: true }, cursor: 5 }).step).toBe(
      "Playing back your connection: event 5 of 8",
    );
  });

  it("name the file replayed, with its frames and save date, and never say live or no frames yet", () => {
    for (const cursor of [0, 2, 6, 7, 8]) {
      for (const playing of [false, true]) {
        const replay = labels({
          mode: { kind: "replay", origin: file, playing },
          readyState: "CLOSED",
          cursor,
          framesShown: cursor >= 8 ? 2 : cursor >= 7 ? 1 : 0,
        });
        expect(replay.badge).toBe("replay");
        expect(replay.readyState).toBeNull();
        expect(replay.replaying).toBe("Replaying capture.json: 2 frames, saved 2025-03-01 14:02 UTC");
        expect(allText(replay)).not.toMatch(SAYS_LIVE);
        expect(allText(replay)).toContain("capture.json");
      }
    }
    const start = labels({ mode: { kind: "replay", origin: file, playing: false }, cursor: 0 });
    expect(start).toMatchObject({
      step: "Event 0 of 8",
      laneEmpty:
        "capture.json holds 2 frames; none is shown at event 0. The next comes with event 7: press Play or step forward.",
      requestFrom: "Request in capture.json",
      requestMissing: "comes with event 3: step forward",
      atStart: "Replaying capture.json, back at the start: no events shown.",
    });
    expect(start.hint).toMatch(/^No server is needed/);
    expect(labels({ mode: { kind: "replay", origin: file, playing: true }, cursor: 3 }).step).toBe(
      "Playing: event 3 of 8",
    );
  });

  it("say what a file without frames, without a handshake or without a date holds", () => {
    const bare: ReplayOrigin = {
      kind: "file",
      name: "bare.json",
      savedAt: "",
      summary: summarizeRecording(session.slice(0, 2)),
    };
    const l = labels({ mode: { kind: "replay", origin: bare, playing: false }, cursor: 2, events: 2 });
    expect(l).toMatchObject({
      replaying: "Replaying bare.json: 0 frames (no save date in it)",
      laneEmpty: "bare.json holds no frames.",
      requestMissing: "not in this recording",
      responseMissing: "not in this recording",
    });
  });

  it("name the recording kept from an earlier visit", () => {
    const l = labels({ mode: { kind: "replay", origin: stored, playing: false }, cursor: 4 });
    expect(l).toMatchObject({
      badge: "replay",
      replaying: "Replaying the recording kept from your last visit: 2 frames, saved 2025-03-01 14:02 UTC",
      requestFrom: "Request in the recording kept from your last visit",
    });
    expect(l.laneEmpty).toMatch(
      /^The recording kept from your last visit holds 2 frames; none is shown at event 4\. The next comes with event 7/,
    );
    expect(allText(l)).not.toMatch(SAYS_LIVE);
  });
});
