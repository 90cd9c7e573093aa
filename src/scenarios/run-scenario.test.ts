import { describe, expect, it } from "vitest";
import { defaultLink, defaultScenario, runScenario, runScenarioInSlices } from "./run-scenario.ts";
import { describeMessage } from "../sim/describe.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings, ScenarioKind, ScenarioRequest } from "../sim/trace.ts";

const kinds = Object.keys(defaultScenario) as ScenarioKind[];
const request = (
  kind: ScenarioKind,
  link: Partial<LinkSettings> = {},
  extra: Partial<ScenarioRequest> = {},
): ScenarioRequest => ({
  kind,
  link: { ...defaultLink, ...link },
  ...defaultScenario[kind],
  ...extra,
});

describe("runScenario", () => {
  it.each(kinds)("%s: the same request gives a deep-equal trace", (kind) => {
    const lossy = { jitterMs: 15, lossRate: 0.1, seed: 42 };
    expect(runScenario(request(kind, lossy))).toStrictEqual(runScenario(request(kind, lossy)));
  });

  it.each(kinds)("%s: different seeds give different timelines once jitter or loss is on", (kind) => {
    const times = (seed: number, link: Partial<LinkSettings>) =>
      runScenario(request(kind, { ...link, seed })).messages.map((m) => m.arrivesAt);
    expect(times(1, { jitterMs: 20 })).not.toEqual(times(2, { jitterMs: 20 }));
    expect(times(1, { lossRate: 0.3 })).not.toEqual(times(3, { lossRate: 0.3 }));
  });

  it.each(kinds)("%s: default settings give a sane trace", (kind) => {
    const trace = runScenario(request(kind));
    const t = totals(trace);
    expect(trace.scenario).toBe(kind);
    expect(trace.title).not.toBe("");
    expect(t.lost).toBe(kind === "tcp" ? 1 : 0);
    // Ids count up, times never run backwards, every message arrives after it is sent.
    trace.messages.forEach((m, i) => {
      expect(m.id).toBe(i + 1);
      if (m.arrivesAt !== null) expect(m.arrivesAt).toBeGreaterThanOrEqual(m.sentAt + defaultLink.oneWayMs);
      if (i > 0) expect(m.sentAt).toBeGreaterThanOrEqual(trace.messages[i - 1]!.sentAt);
      expect(m.headerBytes).toBeLessThanOrEqual(m.bytes);
      expect(describeMessage(m)).toContain(m.label);
    });
    expect(trace.duration).toBeGreaterThanOrEqual(Math.max(...trace.messages.map((m) => m.arrivesAt ?? m.sentAt)));
    // Every scenario opens with the three-way handshake and marks the SYN as a round trip.
    expect(trace.messages.slice(0, 3).map((m) => m.label)).toEqual(["SYN", "SYN, ACK", "ACK"]);
    expect(trace.messages[0]!.opensRoundTrip).toBe(true);
    if (kind !== "tcp" && kind !== "http10" && kind !== "http11") {
      expect(trace.deliveries.map((d) => d.eventId)).toEqual([1, 2, 3, 4, 5]);
      expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
    }
  });

  it("counts each request once, even when the link made it go twice", () => {
    const trace = runScenario(request("http11", { lossRate: 0.3, seed: 7 }));
    expect(trace.messages.some((m) => m.layer === "http" && m.from === "client" && m.retransmission)).toBe(true);
    expect(totals(trace).requests).toBe(3);
  });

  it("marks requests, polls and the Upgrade as round trips, and pushed messages as carrying events", () => {
    const ws = runScenario(request("websocket"));
    expect(ws.messages.filter((m) => m.opensRoundTrip).map((m) => m.label)).toEqual([
      "SYN",
      "GET /lab/echo HTTP/1.1 (Upgrade: websocket)",
    ]);
    expect(ws.messages.flatMap((m) => m.carriesEvents ?? [])).toEqual([1, 2, 3, 4, 5]);
    const polling = runScenario(request("short-polling"));
    const polls = polling.messages.filter((m) => m.layer === "http" && m.from === "client");
    expect(polls.length).toBeGreaterThan(3);
    expect(polls.every((m) => m.opensRoundTrip)).toBe(true);
  });

  it("fills in defaults, and derives a duration from events taken from a real session", () => {
    const trace = runScenario({ kind: "sse", link: defaultLink, serverEvents: [100, 12_000] });
    expect(trace.deliveries).toHaveLength(2);
    expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
    expect(runScenario({ kind: "http11", link: defaultLink }).messages.filter((m) => m.layer === "http")).toHaveLength(
      6,
    );
  });

  it("tolerates nonsense settings without hanging", () => {
    const trace = runScenario({
      kind: "short-polling",
      link: { oneWayMs: -5, jitterMs: Number.NaN, lossRate: 2, bandwidthBytesPerSecond: 0, seed: 3 },
      pollIntervalMs: 0,
      durationMs: 500,
    });
    expect(trace.messages.every((m) => m.arrivesAt === null)).toBe(true); // a loss rate above 1 loses everything
    expect(
      runScenario({ kind: "tcp", link: defaultLink, dataSegments: 2, dropSegment: 9 }).messages.some(
        (m) => m.retransmission,
      ),
    ).toBe(false);
  });
});

describe("runScenarioInSlices", () => {
  it.each(kinds)("%s: gives the trace runScenario gives, pausing between slices", async (kind) => {
    const lossy = request(kind, { jitterMs: 15, lossRate: 0.1, seed: 42 });
    let pauses = 0;
    const pause = async (): Promise<void> => {
      pauses++;
    };
    // A slice of 0 ms holds one step of the clock: the most pauses a run can have.
    const sliced = await runScenarioInSlices(lossy, 0, pause);
    expect(sliced).toStrictEqual(runScenario(lossy));
    expect(pauses).toBeGreaterThan(3);
  });

  it("pauses only before and after starting the machine when the whole run fits in a slice", async () => {
    let pauses = 0;
    const trace = await runScenarioInSlices(request("http11"), 60_000, async () => {
      pauses++;
    });
    expect(trace).toStrictEqual(runScenario(request("http11")));
    expect(pauses).toBe(2);
  });
});
