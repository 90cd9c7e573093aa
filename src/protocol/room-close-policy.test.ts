import { describe, expect, it } from "vitest";
import { describeCloseCode } from "./close-codes.ts";
import { rejoinAllowed, roomEnding, ROOM_ENDING_CLOSES } from "./room-close-policy.ts";

describe("how a room connection ends", () => {
  it("ends for good on the codes the lab uses in rooms, and treats every other close as an outage", () => {
    expect(Object.keys(ROOM_ENDING_CLOSES).map(Number).sort()).toEqual([1000, 1008, 1009, 1013, 4001, 4002]);
    for (const code of [1001, 1006, 1011, 1012, 1015]) expect(roomEnding(code), String(code)).toBeNull();
    // Every ending is a code that travels on the wire (1005, 1006 and 1015 never do, RFC 6455 §7.4.1).
    for (const code of Object.keys(ROOM_ENDING_CLOSES).map(Number))
      expect(describeCloseCode(code).allowedOnWire, String(code)).toBe(true);
  });

  it("lets the reader rejoin after 'too big', 'too fast' and 'replaced', not after a refusal or a removal", () => {
    expect(["too-big", "too-fast", "replaced"].every((e) => rejoinAllowed(e as never))).toBe(true);
    expect(["removed", "refused", "room-closed"].some((e) => rejoinAllowed(e as never))).toBe(false);
  });
});
