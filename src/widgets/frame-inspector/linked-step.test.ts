import { describe, expect, it } from "vitest";
import { planLinkedStep } from "./linked-step.ts";

describe("a link to a step", () => {
  it("goes to the step once the recording has it", () => {
    expect(planLinkedStep(7, { kind: "live", events: 7, connection: "open" })).toEqual({
      go: 7,
      note: "Showing step 7, as the link asked.",
    });
    expect(planLinkedStep(4, { kind: "replay", events: 9, name: "capture.json" })).toEqual({
      go: 4,
      note: "Showing step 4, as the link asked.",
    });
  });

  it("waits for this page's connection to reach it, and says why and what brings more", () => {
    expect(planLinkedStep(7, { kind: "live", events: 0, connection: "opening" })).toEqual({
      go: null,
      note: "The link asks for step 7. Your connection is opening (0 events so far): it will show step 7 when it arrives.",
    });
    expect(planLinkedStep(7, { kind: "live", events: 3, connection: "open" })).toEqual({
      go: null,
      note: "The link asks for step 7; your connection has 3 events so far. It will show step 7 when it arrives: send a message or ask the lab for frames.",
    });
  });

  it("says when the step cannot arrive: the connection closed, or nothing was ever recorded", () => {
    expect(planLinkedStep(12, { kind: "live", events: 9, connection: "over" })).toEqual({
      go: null,
      note: "The link asks for step 12, but your connection closed after 9 events: reconnect to record more, or load a recording.",
    });
    expect(planLinkedStep(12, { kind: "live", events: 0, connection: "over" })).toEqual({
      go: null,
      note: "The link asks for step 12, but no connection is open and no recording is loaded: reconnect, or load a recording.",
    });
  });

  it("shows a complete recording's last event when the step is past its end, and says so", () => {
    expect(planLinkedStep(50, { kind: "replay", events: 1, name: "capture.json" })).toEqual({
      go: 1,
      note: "The link asks for step 50, but capture.json has 1 event: showing its last one.",
    });
  });
});
