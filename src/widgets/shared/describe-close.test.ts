import { describe, expect, it } from "vitest";
import { describeClose } from "./describe-close.ts";

describe("describeClose", () => {
  it("puts close codes into words with their RFC section", () => {
    expect(describeClose(1009, "Max payload size exceeded", true)).toMatch(
      /^Closed with 1009 Message Too Big: .*RFC 6455 §7\.4\.1.*“Max payload size exceeded”/,
    );
    expect(describeClose(1005, "", true)).toMatch(/1005 No Status Received.*No reason was given/);
    expect(describeClose(1006, "", false)).toMatch(/without a complete close handshake/);
  });
});
