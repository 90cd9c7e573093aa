import { describe, expect, it } from "vitest";
import { describeEntry, formatElapsed } from "./describe-entry.ts";

describe("echo console wording", () => {
  it("formats elapsed time", () => {
    expect(formatElapsed(3.25)).toBe("+3.3 ms");
    expect(formatElapsed(1500)).toBe("+1.50 s");
  });

  it("says how a connection closed, as the shared close sentence does", () => {
    expect(
      describeEntry({ id: 4, at: 0, connection: 1, type: "close", code: 1000, reason: "", wasClean: true }),
    ).toMatch(/^Closed with 1000 Normal Closure: .*RFC 6455 §7\.4\.1/);
  });

  it("describes messages as they appear in the log", () => {
    expect(
      describeEntry({
        id: 1,
        at: 0,
        connection: 1,
        type: "message",
        direction: "sent",
        kind: "text",
        bytes: 5,
        content: "Hello",
        truncated: false,
      }),
    ).toBe("Sent a text message of 5 bytes: “Hello”");
    expect(
      describeEntry({
        id: 2,
        at: 0,
        connection: 1,
        type: "message",
        direction: "received",
        kind: "binary",
        bytes: 100,
        content: "00 01",
        truncated: true,
      }),
    ).toBe("Received a binary message of 100 bytes: 00 01…");
    expect(describeEntry({ id: 3, at: 0, connection: 1, type: "state", state: "OPEN" })).toMatch(/^readyState 1, OPEN/);
  });
});
