import { describe, expect, it } from "vitest";
import { scheduleOffsets, simulateRace, transportStats } from "./race-stats.ts";

describe("push race figures", () => {
  it("computes delivery and wire cost per transport", () => {
    const stats = transportStats(
      [
        { eventId: 1, delayMs: 20 },
        { eventId: 2, delayMs: 40 },
        { eventId: 3, delayMs: -1 },
      ],
      { requests: 4, bytesIn: 1000, bytesOut: 800, eventsSent: 3 },
    );
    expect(stats).toEqual({
      delivered: 3,
      meanDelayMs: 20,
      maxDelayMs: 40,
      requests: 4,
      bytes: 1800,
      bytesPerEvent: 600,
    });
    expect(transportStats([], null)).toEqual({
      delivered: 0,
      meanDelayMs: null,
      maxDelayMs: null,
      requests: null,
      bytes: null,
      bytesPerEvent: null,
    });
  });

  it("simulates the same race: WebSocket needs fewer bytes than short polling and delivers faster", () => {
    const sim = simulateRace(scheduleOffsets([11_000, 12_100, 12_900], 10_000), 100, 1000);
    expect(sim.websocket.bytes).toBeLessThan(sim["short-polling"].bytes);
    expect(sim.websocket.delivered).toBe(3);
    expect(sim["short-polling"].requests).toBeGreaterThan(sim["long-polling"].requests);
    expect(sim.websocket.meanDeliveryMs!).toBeLessThan(sim["short-polling"].meanDeliveryMs!);
  });
});
