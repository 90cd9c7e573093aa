import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { advanceLive, CATCH_UP, MAX_LAG_MS, wireStagePlayerMachine } from "./wire-stage-player.ts";

const start = (stepwise = false) => {
  const actor = createActor(wireStagePlayerMachine, { input: { speed: 0.25, stepwise } });
  actor.start();
  return actor;
};

describe("the wire stage's clock", () => {
  it("follows the live edge in slow motion while something is in flight, faster when nothing is", () => {
    const actor = start();
    actor.send({ type: "clock.tick", liveTime: 1000, elapsedMs: 100, busy: true });
    expect(actor.getSnapshot().context.time).toBeCloseTo(25, 9);
    actor.send({ type: "clock.tick", liveTime: 1000, elapsedMs: 100, busy: false });
    expect(actor.getSnapshot().context.time).toBeCloseTo(25 + 100 * 0.25 * CATCH_UP, 9);
    for (let i = 0; i < 100; i++) actor.send({ type: "clock.tick", liveTime: 1000, elapsedMs: 100, busy: false });
    expect(actor.getSnapshot().context.time).toBe(1000);
  });

  it("never trails the live edge by more than the maximum lag", () => {
    const actor = start();
    actor.send({ type: "clock.tick", liveTime: 60_000, elapsedMs: 16, busy: true });
    expect(actor.getSnapshot().context.time).toBe(60_000 - MAX_LAG_MS);
  });

  it("jumps straight to the live edge with reduced motion", () => {
    const actor = start(true);
    actor.send({ type: "clock.tick", liveTime: 1234, elapsedMs: 16, busy: true });
    expect(actor.getSnapshot().context.time).toBe(1234);
  });

  it("pauses, steps, scrubs within what happened, and resumes live", () => {
    const actor = start(true);
    actor.send({ type: "clock.tick", liveTime: 500, elapsedMs: 16, busy: false });
    actor.send({ type: "view.pause" });
    actor.send({ type: "clock.tick", liveTime: 900, elapsedMs: 16, busy: false });
    expect(actor.getSnapshot().context).toMatchObject({ time: 500, liveTime: 900 });
    actor.send({ type: "step.to", time: 120 });
    expect(actor.getSnapshot().value).toBe("paused");
    expect(actor.getSnapshot().context.time).toBe(120);
    actor.send({ type: "seek", time: 5000 });
    expect(actor.getSnapshot().context.time).toBe(900);
    actor.send({ type: "view.live" });
    actor.send({ type: "clock.tick", liveTime: 950, elapsedMs: 16, busy: false });
    expect(actor.getSnapshot().value).toBe("live");
    expect(actor.getSnapshot().context.time).toBe(950);
  });

  it("steps from live pause the view, and a new session starts again at 0", () => {
    const actor = start(true);
    actor.send({ type: "clock.tick", liveTime: 800, elapsedMs: 16, busy: false });
    actor.send({ type: "step.to", time: 300 });
    expect(actor.getSnapshot().value).toBe("paused");
    actor.send({ type: "session.started" });
    expect(actor.getSnapshot().value).toBe("live");
    expect(actor.getSnapshot().context).toMatchObject({ time: 0, liveTime: 0 });
  });

  it("opens a recorded session paused at a step", () => {
    const actor = start();
    actor.send({ type: "recording.opened", liveTime: 2000, time: 750 });
    expect(actor.getSnapshot().value).toBe("paused");
    expect(actor.getSnapshot().context.time).toBe(750);
  });

  it("ignores nonsense", () => {
    const context = { time: 10, liveTime: 100, speed: 0.25 as const, stepwise: false };
    expect(advanceLive(context, Number.NaN, Number.NaN, false)).toBe(10);
    const actor = start();
    actor.send({ type: "speed.set", speed: 3 });
    expect(actor.getSnapshot().context.speed).toBe(0.25);
    actor.send({ type: "speed.set", speed: 1 });
    expect(actor.getSnapshot().context.speed).toBe(1);
  });
});
