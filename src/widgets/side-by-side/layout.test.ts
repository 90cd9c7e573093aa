import { describe, expect, it } from "vitest";
import { TOP, lanes, layout, scaleFor } from "./layout.ts";
import type { Trace } from "../../sim/trace.ts";

const trace: Trace = {
  scenario: "long-polling",
  title: "t",
  link: { oneWayMs: 50, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 },
  messages: [
    { id: 1, from: "client", sentAt: 0, arrivesAt: 50, connection: 1, layer: "http", label: "GET /poll", bytes: 300, headerBytes: 300, opensRoundTrip: true },
    { id: 2, from: "server", sentAt: 100, arrivesAt: null, connection: 1, layer: "http", label: "200 OK", bytes: 200, headerBytes: 150 },
  ],
  notes: [],
  deliveries: [],
  duration: 1000,
};

describe("side-by-side layout", () => {
  it("puts real messages on the left lanes and simulated ones on the right, on one time axis", () => {
    const l = layout([{ dir: "in", t: 100, text: "hi", bytes: 8, headerBytes: 6 }], trace, 1000);
    const [real, request, lost] = l.arrows;
    expect(real).toMatchObject({ side: "real", x1: lanes.realClient, x2: lanes.realServer });
    expect(request).toMatchObject({ side: "http", x1: lanes.httpClient, x2: lanes.httpServer, y1: TOP, y2: TOP + 50 * l.pxPerMs, lost: false });
    expect(lost!.lost).toBe(true);
    expect(lost!.x2).toBe((lanes.httpServer + lanes.httpClient) / 2);
    expect(real!.y2).toBeCloseTo(TOP + 100 * l.pxPerMs, 5);
  });

  it("keeps long sessions readable", () => {
    expect(scaleFor(100)).toBe(0.6);
    expect(scaleFor(10_000_000)).toBe(0.05);
  });
});
