import { describe, expect, it } from "vitest";
import { parseTapMessage } from "./tap-parse.ts";

const hello = {
  type: "hello",
  v: 2,
  token: "t".repeat(22),
  limits: { captureBytes: 1, eventsPerSecond: 1, monitorBufferBytes: 1 },
};
const chunk = { type: "chunk", t: 1, specimen: 1, dir: "out", offset: 129, length: 3, data: "gQFh" };

describe("reading a monitor message (a batch of tap events)", () => {
  it("reads every event of a batch, in order", () => {
    expect(parseTapMessage(JSON.stringify([hello, chunk, { ...chunk, offset: 132 }]))).toEqual({
      events: [hello, chunk, { ...chunk, offset: 132 }],
      errors: [],
    });
  });
  it("reads a lone event (the format before batches) as a batch of one", () => {
    expect(parseTapMessage(JSON.stringify(chunk)).events).toEqual([chunk]);
  });
  it("keeps the events it can read and names what is wrong with the others", () => {
    const message = parseTapMessage(JSON.stringify([chunk, { type: "chunk", t: 1 }, 7, { type: "nope" }]));
    expect(message.events).toEqual([chunk]);
    expect(message.errors).toHaveLength(3);
  });
  it("refuses text that is not JSON, and batches beyond reason", () => {
    expect(parseTapMessage("[{")).toEqual({ events: [], errors: ["not JSON"] });
    expect(parseTapMessage(JSON.stringify(Array.from({ length: 10_001 }, () => chunk))).errors[0]).toMatch(
      /more than 10000/,
    );
  });
});
