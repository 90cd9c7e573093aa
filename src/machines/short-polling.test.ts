import { describe, expect, it } from "vitest";
import { defaultLink, defaultScenario, runScenario } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings } from "../sim/trace.ts";

const events = [150, 420, 1333, 1340, 2950, 4777, 5010, 6400];

describe("short polling", () => {
  it.each([
    [1000, 50],
    [500, 50],
    [2000, 150],
    [250, 5],
  ])(
    "delivers every event within the interval plus a round trip plus the response's trip (interval %i ms, one way %i ms)",
    (pollIntervalMs, oneWayMs) => {
      const trace = runScenario({
        kind: "short-polling",
        link: { ...defaultLink, oneWayMs },
        serverEvents: events,
        pollIntervalMs,
        durationMs: 9000,
      });
      expect(trace.deliveries).toHaveLength(events.length);
      for (const d of trace.deliveries) {
        expect(d.deliveredAt).not.toBeNull();
        const delay = d.deliveredAt! - d.occurredAt;
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(pollIntervalMs + 2 * oneWayMs + oneWayMs);
      }
    },
  );

  it("pays a full request and response head on every poll, even an empty one", () => {
    const trace = runScenario({ kind: "short-polling", link: defaultLink, ...defaultScenario["short-polling"] });
    const polls = trace.messages.filter((m) => m.layer === "http" && m.from === "client");
    const empty = trace.messages.filter((m) => m.layer === "http" && m.from === "server" && !m.carriesEvents);
    expect(empty.length).toBeGreaterThan(0);
    expect(polls.every((m) => m.headerBytes === m.bytes && m.bytes > 150)).toBe(true);
    expect(empty.every((m) => m.bytes - m.headerBytes === 2)).toBe(true); // the body is "[]"
    expect(totals(trace).requests).toBe(polls.length);
  });

  it("waits the interval after each response before the next poll", () => {
    const trace = runScenario({
      kind: "short-polling",
      link: defaultLink,
      serverEvents: [],
      pollIntervalMs: 700,
      durationMs: 3000,
    });
    const http = trace.messages.filter((m) => m.layer === "http");
    for (let i = 1; i + 1 < http.length; i += 2) expect(http[i + 1]!.sentAt - http[i]!.arrivesAt!).toBe(700);
  });

  it.each([1, 2, 3, 4])("completes over a lossy link and still delivers every event (seed %i)", (seed) => {
    const link: LinkSettings = { ...defaultLink, lossRate: 0.2, jitterMs: 20, seed };
    const trace = runScenario({
      kind: "short-polling",
      link,
      serverEvents: events,
      pollIntervalMs: 1000,
      durationMs: 20_000,
    });
    expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
    expect(trace.notes.some((n) => n.text.includes("TIME-WAIT"))).toBe(true);
  });
});
