import { describe, expect, it } from "vitest";
import { describeClose, describeEntry, formatBytes, formatElapsed } from "./describe-entry.ts";

describe("echo console wording", () => {
  it("formats elapsed time and sizes", () => {
    expect(formatElapsed(3.25)).toBe("+3.3 ms");
    expect(formatElapsed(1500)).toBe("+1.50 s");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(65537)).toBe("65,537 bytes");
  });

  it("puts close codes into words with their RFC section", () => {
    expect(describeClose(1009, "Max payload size exceeded", true)).toMatch(/^Closed with 1009 Message Too Big: .*RFC 6455 §7\.4\.1.*“Max payload size exceeded”/);
    expect(describeClose(1005, "", true)).toMatch(/1005 No Status Received.*No reason was given/);
    expect(describeClose(1006, "", false)).toMatch(/without a complete close handshake/);
  });

  it("describes messages as they appear in the log", () => {
    expect(describeEntry({ id: 1, at: 0, connection: 1, type: "message", direction: "sent", kind: "text", bytes: 5, content: "Hello", truncated: false })).toBe(
      "Sent a text message of 5 bytes: “Hello”",
    );
    expect(describeEntry({ id: 2, at: 0, connection: 1, type: "message", direction: "received", kind: "binary", bytes: 100, content: "00 01", truncated: true })).toBe(
      "Received a binary message of 100 bytes: 00 01…",
    );
    expect(describeEntry({ id: 3, at: 0, connection: 1, type: "state", state: "OPEN" })).toMatch(/^readyState 1, OPEN/);
  });
});
