import { describe, expect, it } from "vitest";
import { createActor, SimulatedClock } from "xstate";
import {
  MOMENT_PAUSE_MS,
  SLOWDOWN,
  SPEEDS,
  TICK_MS,
  momentIndexAt,
  nextMoment,
  normalizeMoments,
  playerState,
  previousMoment,
  timelinePlayerMachine,
  virtualMsPerTick,
  type PlayerInput,
} from "./timeline-player.ts";

// A made-up exchange: SYN at 0 arrives 50, SYN-ACK back at 100, a request at 100 arriving 150…
const MOMENTS = [0, 50, 100, 150, 180, 230, 262.5];
const DURATION = 300;

/**
 * Lets `ms` of real time pass in small slices. SimulatedClock fires a timer only once per
 * increment (a timer set while firing starts at the new time), so one big increment would
 * run one tick, not many.
 */
class SteppingClock extends SimulatedClock {
  elapse(ms: number): void {
    for (let left = ms; left > 0; left -= 10) this.increment(Math.min(10, left));
  }
}

function start(input: PlayerInput = { moments: MOMENTS, duration: DURATION }) {
  const clock = new SteppingClock();
  const actor = createActor(timelinePlayerMachine, { clock, input }).start();
  return {
    actor,
    clock,
    time: () => actor.getSnapshot().context.time,
    state: () => playerState(actor.getSnapshot()),
  };
}

describe("moments", () => {
  it("are sorted, distinct and bounded by 0 and the duration", () => {
    expect(normalizeMoments([50, 0, 50, 400, -3, Number.NaN, 20], 300)).toEqual([0, 20, 50, 300]);
    expect(normalizeMoments([], 0)).toEqual([0]);
  });

  it("are found around a time", () => {
    expect(momentIndexAt(MOMENTS, 0)).toBe(0);
    expect(momentIndexAt(MOMENTS, 49.9)).toBe(0);
    expect(momentIndexAt(MOMENTS, 50)).toBe(1);
    expect(momentIndexAt(MOMENTS, 1000)).toBe(MOMENTS.length - 1);
    expect(nextMoment(MOMENTS, 50)).toBe(100);
    expect(nextMoment(MOMENTS, 262.5)).toBeNull();
    expect(previousMoment(MOMENTS, 100)).toBe(50);
    expect(previousMoment(MOMENTS, 120)).toBe(100);
    expect(previousMoment(MOMENTS, 0)).toBeNull();
  });
});

describe("timeline player", () => {
  it("starts paused at 0, with the trace's moments and the end among them", () => {
    const { actor, state, time } = start();
    expect(state()).toBe("paused");
    expect(time()).toBe(0);
    expect(actor.getSnapshot().context.moments).toEqual([...MOMENTS, DURATION]);
    expect(actor.getSnapshot().context.speed).toBe(1);
  });

  it("slows time so that a 100 ms round trip takes a second at 1×", () => {
    expect(SLOWDOWN * 100).toBe(1000);
    expect(virtualMsPerTick(1)).toBe(TICK_MS / SLOWDOWN);
  });

  for (const speed of SPEEDS) {
    it(`advances ${(TICK_MS * speed) / SLOWDOWN} virtual ms per ${TICK_MS} ms tick at ${speed}×`, () => {
      const { actor, clock, time, state } = start();
      actor.send({ type: "speed.set", speed });
      actor.send({ type: "play" });
      expect(state()).toBe("playing");
      clock.elapse(TICK_MS - 1);
      expect(time()).toBe(0);
      clock.elapse(1);
      expect(time()).toBeCloseTo(virtualMsPerTick(speed), 9);
      for (let i = 0; i < 9; i++) clock.elapse(TICK_MS);
      expect(time()).toBeCloseTo(10 * virtualMsPerTick(speed), 9);
      expect(actor.getSnapshot().context.speed).toBe(speed);
    });
  }

  it("changes speed while playing, from the next tick on", () => {
    const { actor, clock, time } = start();
    actor.send({ type: "play" });
    clock.elapse(TICK_MS);
    expect(time()).toBeCloseTo(5, 9);
    actor.send({ type: "speed.set", speed: 4 });
    clock.elapse(TICK_MS);
    expect(time()).toBeCloseTo(25, 9);
  });

  it("ignores speeds it does not offer", () => {
    const { actor } = start();
    for (const bad of [0, 3, -1, Number.NaN, 100]) actor.send({ type: "speed.set", speed: bad });
    expect(actor.getSnapshot().context.speed).toBe(1);
  });

  it("stops when paused, and resumes where it stopped", () => {
    const { actor, clock, time, state } = start();
    actor.send({ type: "play" });
    clock.elapse(TICK_MS * 4);
    expect(time()).toBeCloseTo(20, 9);
    actor.send({ type: "pause" });
    expect(state()).toBe("paused");
    clock.elapse(TICK_MS * 100);
    expect(time()).toBeCloseTo(20, 9);
    actor.send({ type: "play" });
    clock.elapse(TICK_MS);
    expect(time()).toBeCloseTo(25, 9);
  });

  it("finishes exactly at the end of the trace, and plays again from the start", () => {
    const { actor, clock, time, state } = start();
    actor.send({ type: "speed.set", speed: 4 });
    actor.send({ type: "play" });
    const ticks = Math.ceil(DURATION / virtualMsPerTick(4));
    clock.elapse(TICK_MS * (ticks - 1));
    expect(state()).toBe("playing");
    clock.elapse(TICK_MS);
    expect(state()).toBe("finished");
    expect(time()).toBe(DURATION);
    clock.elapse(TICK_MS * 10);
    expect(time()).toBe(DURATION);
    actor.send({ type: "play" });
    expect(state()).toBe("playing");
    expect(time()).toBe(0);
  });

  it("steps forward and back landing exactly on moments, and pauses playback", () => {
    const { actor, clock, time, state } = start();
    const all = [...MOMENTS, DURATION];
    for (const m of all.slice(1)) {
      actor.send({ type: "step.next" });
      expect(time()).toBe(m);
    }
    expect(state()).toBe("finished");
    actor.send({ type: "step.next" });
    expect(time()).toBe(DURATION);
    for (const m of all.slice(0, -1).reverse()) {
      actor.send({ type: "step.previous" });
      expect(time()).toBe(m);
      expect(state()).toBe("paused");
    }
    actor.send({ type: "step.previous" });
    expect(time()).toBe(0);

    actor.send({ type: "play" });
    clock.elapse(TICK_MS * 13); // 65 ms: between moments
    expect(time()).toBeCloseTo(65, 9);
    actor.send({ type: "step.previous" });
    expect(state()).toBe("paused");
    expect(time()).toBe(50);
    actor.send({ type: "seek", time: 65 });
    actor.send({ type: "step.next" });
    expect(time()).toBe(100);
  });

  it("jumps to the first and last moments", () => {
    const { actor, time, state } = start();
    actor.send({ type: "step.last" });
    expect(time()).toBe(DURATION);
    expect(state()).toBe("finished");
    actor.send({ type: "step.first" });
    expect(time()).toBe(0);
    expect(state()).toBe("paused");
  });

  it("seeks within the trace and clamps times outside it", () => {
    const { actor, time, state } = start();
    actor.send({ type: "seek", time: 123.4 });
    expect(time()).toBe(123.4);
    actor.send({ type: "seek", time: -50 });
    expect(time()).toBe(0);
    actor.send({ type: "seek", time: 1e9 });
    expect(time()).toBe(DURATION);
    expect(state()).toBe("finished");
    actor.send({ type: "seek", time: Number.NaN });
    expect(time()).toBe(0);
    expect(state()).toBe("paused");
  });

  it("keeps playing after a seek", () => {
    const { actor, clock, time, state } = start();
    actor.send({ type: "play" });
    actor.send({ type: "seek", time: 200 });
    clock.elapse(TICK_MS);
    expect(state()).toBe("playing");
    expect(time()).toBeCloseTo(205, 9);
  });

  it("plays stepwise (reduced motion): one moment per pause, no time in between", () => {
    const { actor, clock, time, state } = start({ moments: MOMENTS, duration: DURATION, stepwise: true });
    actor.send({ type: "play" });
    clock.elapse(MOMENT_PAUSE_MS - 1);
    expect(time()).toBe(0);
    clock.elapse(1);
    expect(time()).toBe(50);
    actor.send({ type: "speed.set", speed: 2 });
    clock.elapse(MOMENT_PAUSE_MS / 2);
    expect(time()).toBe(100);
    for (let i = 0; i < MOMENTS.length; i++) clock.elapse(MOMENT_PAUSE_MS / 2);
    expect(time()).toBe(DURATION);
    expect(state()).toBe("finished");
  });

  it("switches between smooth and stepwise playback while playing", () => {
    const { actor, clock, time } = start();
    actor.send({ type: "play" });
    clock.elapse(TICK_MS * 2);
    expect(time()).toBeCloseTo(10, 9);
    actor.send({ type: "motion.set", stepwise: true });
    clock.elapse(TICK_MS * 2);
    expect(time()).toBeCloseTo(10, 9);
    clock.elapse(MOMENT_PAUSE_MS - TICK_MS * 2);
    expect(time()).toBe(50);
  });

  it("loads a new trace, keeping the time (clamped) or taking a deep-linked one", () => {
    const { actor, time, state } = start();
    actor.send({ type: "seek", time: 250 });
    actor.send({ type: "trace.loaded", moments: [0, 40, 80], duration: 120 });
    expect(time()).toBe(120);
    expect(state()).toBe("finished");
    expect(actor.getSnapshot().context.moments).toEqual([0, 40, 80, 120]);
    actor.send({ type: "trace.loaded", moments: MOMENTS, duration: DURATION, time: 150 });
    expect(time()).toBe(150);
    expect(state()).toBe("paused");
  });

  it("does not play before it has a trace", () => {
    const { actor, clock, state, time } = start({});
    actor.send({ type: "play" });
    expect(state()).toBe("paused");
    clock.elapse(TICK_MS * 10);
    expect(time()).toBe(0);
    actor.send({ type: "step.next" });
    expect(time()).toBe(0);
  });

  it("starts at a deep-linked time", () => {
    expect(start({ moments: MOMENTS, duration: DURATION, time: 180 }).time()).toBe(180);
    expect(start({ moments: MOMENTS, duration: DURATION, time: 999 }).state()).toBe("finished");
  });
});
