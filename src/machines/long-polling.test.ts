import { describe, expect, it } from "vitest";
import { defaultLink, defaultScenario, runScenario } from "../scenarios/run-scenario.ts";
import type { LinkSettings, Trace } from "../sim/trace.ts";

/** Was a poll waiting on the server at time t: a request had arrived and its answer had not left? */
function pollWaiting(trace: Trace, t: number): boolean {
  const http = trace.messages.filter((m) => m.layer === "http" && m.arrivesAt !== null);
  const lastPoll = http.filter((m) => m.from === "client" && m.arrivesAt! <= t).at(-1);
  if (!lastPoll) return false;
  return !http.some((m) => m.from === "server" && m.sentAt >= lastPoll.arrivesAt! && m.sentAt < t);
}

describe("long polling", () => {
  it.each([20, 50, 200])(
    "delivers an event one one-way trip after it happens when a poll is waiting (one way %i ms)",
    (oneWayMs) => {
      const trace = runScenario({
        kind: "long-polling",
        link: { ...defaultLink, oneWayMs },
        ...defaultScenario["long-polling"],
        serverEvents: [700, 1500, 1510, 4200, 9000],
        durationMs: 10_000,
      });
      let waited = 0;
      for (const d of trace.deliveries) {
        const delay = d.deliveredAt! - d.occurredAt;
        if (pollWaiting(trace, d.occurredAt)) {
          waited++;
          expect(delay).toBe(oneWayMs);
        } else {
          // It happened while an answer and the next poll were in flight: it rides the next answer.
          expect(delay).toBeLessThanOrEqual(3 * oneWayMs);
        }
      }
      expect(waited).toBeGreaterThanOrEqual(3);
    },
  );

  it("answers a held poll empty after the timeout, and the client asks again at once", () => {
    const trace = runScenario({
      kind: "long-polling",
      link: defaultLink,
      serverEvents: [],
      longPollTimeoutMs: 2000,
      durationMs: 5000,
    });
    const http = trace.messages.filter((m) => m.layer === "http");
    expect(http.map((m) => m.label)).toEqual([
      "GET /poll?wait=1 HTTP/1.1",
      "200 OK (nothing new)",
      "GET /poll?wait=1 HTTP/1.1",
      "200 OK (nothing new)",
      "GET /poll?wait=1 HTTP/1.1",
    ]);
    expect(http[1]!.sentAt - http[0]!.arrivesAt!).toBe(2000);
    expect(http[2]!.sentAt).toBe(http[1]!.arrivesAt);
    expect(trace.notes.filter((n) => n.kind === "timeout")).toHaveLength(2);
  });

  it("makes one request per answer, so bursts cost fewer requests than events", () => {
    const trace = runScenario({
      kind: "long-polling",
      link: defaultLink,
      serverEvents: [1000, 1010, 1020, 1030],
      durationMs: 3000,
    });
    const answers = trace.messages.filter((m) => m.layer === "http" && m.from === "server" && m.carriesEvents);
    expect(answers.flatMap((m) => m.carriesEvents)).toEqual([1, 2, 3, 4]);
    expect(answers.length).toBeLessThan(4);
  });

  it.each([1, 2, 3, 4])("completes over a lossy link and delivers every event (seed %i)", (seed) => {
    const link: LinkSettings = { ...defaultLink, lossRate: 0.2, jitterMs: 20, seed };
    const trace = runScenario({
      kind: "long-polling",
      link,
      serverEvents: [600, 1700, 2100, 5400, 6200],
      durationMs: 20_000,
    });
    expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
  });
});
