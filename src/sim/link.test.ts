import { describe, expect, it } from "vitest";
import { Link, backedOff, retransmissionTimeout } from "./link.ts";
import { createRandom } from "./random.ts";
import type { LinkSettings } from "./trace.ts";

const base: LinkSettings = { oneWayMs: 50, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 };
const link = (over: Partial<LinkSettings> = {}) => new Link({ ...base, ...over }, createRandom(over.seed ?? 1));

describe("link", () => {
  it("delivers after the one-way latency", () => {
    expect(link().transmit("client", 100, 10)).toEqual({ arrivesAt: 60 });
  });

  it("queues messages behind each other at a limited bandwidth, each direction on its own", () => {
    const l = link({ bandwidthBytesPerSecond: 1000 });
    expect(l.transmit("client", 100, 0).arrivesAt).toBe(150); // 100 ms to serialize + 50 ms
    expect(l.transmit("client", 100, 0).arrivesAt).toBe(250); // waits for the first to leave
    expect(l.transmit("server", 100, 0).arrivesAt).toBe(150); // the other direction is free
  });

  it("varies latency within ± jitter, never reorders one direction, and is reproducible", () => {
    const run = (seed: number) => {
      const l = link({ jitterMs: 20, seed });
      return Array.from({ length: 50 }, (_, i) => l.transmit("client", 0, i * 5).arrivesAt as number);
    };
    const times = run(4);
    times.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(i * 5 + 30);
      if (i > 0) expect(t).toBeGreaterThanOrEqual(times[i - 1]!);
    });
    expect(run(4)).toEqual(times);
    expect(run(5)).not.toEqual(times);
  });

  it("loses about the loss rate's share of messages, and loses forced drops", () => {
    const l = link({ lossRate: 0.25, seed: 9 });
    const lost = Array.from({ length: 4000 }, (_, i) => l.transmit("client", 0, i).arrivesAt === null).filter(
      Boolean,
    ).length;
    expect(lost / 4000).toBeGreaterThan(0.2);
    expect(lost / 4000).toBeLessThan(0.3);
    expect(link().transmit("server", 10, 0, { forceLoss: true })).toEqual({ arrivesAt: null, lost: true });
  });

  it("waits at least a second before retransmitting (RFC 6298 §2.4) and doubles on each retry", () => {
    expect(retransmissionTimeout(base)).toBe(1000);
    expect(retransmissionTimeout({ ...base, oneWayMs: 300 })).toBe(1800);
    expect([0, 1, 2, 10].map((n) => backedOff(1000, n))).toEqual([1000, 2000, 4000, 60_000]);
  });
});
