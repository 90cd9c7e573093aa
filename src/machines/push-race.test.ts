import { describe, expect, it } from "vitest";
import { createActor, fromCallback, fromPromise, SimulatedClock } from "xstate";
import { pushRaceMachine, type PushRaceEvent, type TransportInput } from "./push-race.ts";
import type { RaceCreated, RaceResults, Transport } from "../protocol/lab-api.ts";

const race: RaceCreated = { race: "r1", events: 2, spacingMs: 1000, schedule: [10_000, 11_000], serverTime: 9_000 };
const results: RaceResults = {
  race: "r1",
  schedule: race.schedule,
  transports: {
    "short-polling": { requests: 9, bytesIn: 3000, bytesOut: 2500, eventsSent: 2 },
    "long-polling": { requests: 3, bytesIn: 1000, bytesOut: 900, eventsSent: 2 },
    sse: { requests: 1, bytesIn: 300, bytesOut: 400, eventsSent: 2 },
    websocket: { requests: 1, bytesIn: 400, bytesOut: 300, eventsSent: 2 },
  },
};

function start(options: { failPrepare?: boolean } = {}) {
  const clock = new SimulatedClock();
  const reporters = new Map<Transport, (event: PushRaceEvent) => void>();
  const machine = pushRaceMachine.provide({
    actors: {
      prepare: fromPromise(async () => {
        if (options.failPrepare) throw new Error("lab unreachable");
        return { race, offsetMs: 500 };
      }),
      transport: fromCallback<PushRaceEvent, TransportInput>(({ input, sendBack }) => {
        reporters.set(input.transport, sendBack as (event: PushRaceEvent) => void);
      }),
      results: fromPromise(async () => results),
    },
  });
  const actor = createActor(machine, { clock }).start();
  return { actor, clock, reporters };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("push race machine", () => {
  it("starts all four transports and computes each event's delay on the server clock", async () => {
    const { actor, reporters } = start();
    actor.send({ type: "race.start", settings: { events: 2, spacingMs: 1000, pollIntervalMs: 1000, delayMs: 0 } });
    await settle();
    expect(actor.getSnapshot().value).toBe("running");
    expect([...reporters.keys()].sort()).toEqual(["long-polling", "short-polling", "sse", "websocket"]);
    // Page clock 9_600 + offset 500 = server 10_100: 100 ms after the event happened.
    reporters.get("websocket")!({
      type: "race.arrival",
      transport: "websocket",
      eventId: 1,
      eventAt: 10_000,
      receivedAt: 9_600,
    });
    reporters.get("websocket")!({
      type: "race.arrival",
      transport: "websocket",
      eventId: 1,
      eventAt: 10_000,
      receivedAt: 9_700,
    });
    expect(actor.getSnapshot().context.arrivals.websocket).toEqual([{ eventId: 1, delayMs: 100 }]);
  });

  it("collects the lab's byte counts once every transport is done", async () => {
    const { actor, reporters } = start();
    actor.send({ type: "race.start", settings: { events: 2, spacingMs: 1000, pollIntervalMs: 1000, delayMs: 0 } });
    await settle();
    for (const [transport, report] of reporters) report({ type: "race.transport-done", transport });
    await settle();
    expect(actor.getSnapshot().value).toBe("finished");
    expect(actor.getSnapshot().context.results).toEqual(results);
  });

  it("gives up on a transport that never finishes, on the simulated clock", async () => {
    const { actor, clock, reporters } = start();
    actor.send({ type: "race.start", settings: { events: 2, spacingMs: 1000, pollIntervalMs: 1000, delayMs: 0 } });
    await settle();
    reporters.get("sse")!({ type: "race.transport-failed", transport: "sse", reason: "EventSource error" });
    expect(actor.getSnapshot().value).toBe("running");
    clock.increment(2000 + 25_000 - 1);
    expect(actor.getSnapshot().value).toBe("running");
    clock.increment(1);
    await settle();
    expect(actor.getSnapshot().value).toBe("finished");
    expect(actor.getSnapshot().context.failures).toEqual({ sse: "EventSource error" });
  });

  it("explains a race that could not start, and can be started again", async () => {
    const { actor } = start({ failPrepare: true });
    actor.send({ type: "race.start", settings: { events: 2, spacingMs: 1000, pollIntervalMs: 1000, delayMs: 0 } });
    await settle();
    expect(actor.getSnapshot().value).toBe("failed");
    expect(actor.getSnapshot().context.error).toMatch(/lab unreachable/);
    actor.send({ type: "race.reset" });
    expect(actor.getSnapshot().value).toBe("idle");
  });
});
