import { describe, expect, it } from "vitest";
import { createActor, SimulatedClock } from "xstate";
import { MAX_RECORDED_EVENTS, captureRecorderMachine } from "./capture-recorder.ts";
import type { TapEvent } from "../protocol/tap-events.ts";

const note = (t: number): TapEvent => ({ type: "error", t, message: `event ${t}` });

function start() {
  const clock = new SimulatedClock();
  const actor = createActor(captureRecorderMachine, { clock }).start();
  const feed = (n: number, from = 0) => {
    for (let i = 0; i < n; i++) actor.send({ type: "tap.event", event: note(from + i) });
  };
  return { actor, clock, feed, ctx: () => actor.getSnapshot().context, state: () => actor.getSnapshot().value };
}

describe("capture recorder", () => {
  it("follows the live connection", () => {
    const { feed, ctx, state } = start();
    feed(3);
    expect(state()).toBe("live");
    expect(ctx().cursor).toBe(3);
  });

  it("keeps recording while paused, without moving the view", () => {
    const { actor, feed, ctx } = start();
    feed(3);
    actor.send({ type: "view.pause" });
    feed(2, 3);
    expect(ctx()).toMatchObject({ cursor: 3 });
    expect(ctx().events).toHaveLength(5);
    actor.send({ type: "view.live" });
    expect(ctx().cursor).toBe(5);
  });

  it("steps forward and back within the recording, and stepping back pauses", () => {
    const { actor, feed, ctx, state } = start();
    feed(4);
    actor.send({ type: "step.previous" });
    expect(state()).toBe("stopped");
    expect(ctx().cursor).toBe(3);
    actor.send({ type: "step.first" });
    actor.send({ type: "step.previous" });
    expect(ctx().cursor).toBe(0);
    actor.send({ type: "step.next" });
    actor.send({ type: "step.next" });
    expect(ctx().cursor).toBe(2);
    actor.send({ type: "step.last" });
    actor.send({ type: "step.next" });
    expect(ctx().cursor).toBe(4);
    actor.send({ type: "step.goto", cursor: 99 });
    expect(ctx().cursor).toBe(4);
    actor.send({ type: "step.goto", cursor: 1.7 });
    expect(ctx().cursor).toBe(1);
  });

  it("plays a recording back one event per replay step on the simulated clock", () => {
    const { actor, clock, ctx, state } = start();
    actor.send({ type: "recording.loaded", events: [note(1), note(2), note(3)] });
    expect(ctx()).toMatchObject({ cursor: 0, source: "file" });
    actor.send({ type: "view.play" });
    expect(state()).toBe("playing");
    clock.increment(699);
    expect(ctx().cursor).toBe(0);
    clock.increment(1);
    expect(ctx().cursor).toBe(1);
    clock.increment(700);
    expect(ctx().cursor).toBe(2);
    clock.increment(700);
    expect(ctx().cursor).toBe(3);
    clock.increment(700);
    expect(state()).toBe("stopped");
  });

  it("never goes live on a recording loaded from a file, nor takes in live events", () => {
    const { actor, ctx, state } = start();
    actor.send({ type: "recording.loaded", events: [note(1)] });
    actor.send({ type: "tap.event", event: note(2) });
    expect(ctx().events).toHaveLength(1);
    actor.send({ type: "view.live" });
    expect(state()).toBe("stopped");
    expect(ctx().source).toBe("file");
  });

  it("bounds the recording and counts what it could not keep", () => {
    const { feed, ctx } = start();
    feed(MAX_RECORDED_EVENTS + 7);
    expect(ctx().events).toHaveLength(MAX_RECORDED_EVENTS);
    expect(ctx().overflow).toBe(7);
  });

  it("appends to one shared log instead of copying it for every event", () => {
    const { actor, feed, ctx } = start();
    const log = ctx().events;
    feed(3);
    actor.send({ type: "view.pause" });
    feed(2, 3);
    expect(ctx().events).toBe(log);
    expect(log.map((e) => (e.type === "error" ? e.t : -1))).toEqual([0, 1, 2, 3, 4]);
  });

  it("gives every recorder a log of its own", () => {
    const first = start();
    const second = start();
    first.feed(2);
    expect(second.ctx().events).toHaveLength(0);
    expect(second.ctx().events).not.toBe(first.ctx().events);
  });

  it("replaces the log when a recording is loaded, without touching the loaded array", () => {
    const { actor, feed, ctx } = start();
    feed(2);
    const live = ctx().events;
    const file = [note(1), note(2), note(3)];
    actor.send({ type: "recording.loaded", events: file });
    expect(ctx().events).not.toBe(live);
    expect(ctx().events).not.toBe(file);
    expect(ctx().events).toEqual(file);
    expect(live).toHaveLength(2);
  });
});
