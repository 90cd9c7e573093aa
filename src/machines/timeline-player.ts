// Playback of a simulated trace in virtual time, for the timeline widget. The player knows only
// numbers: the trace's `duration` and its sorted `moments` (the virtual times at which something
// happens: a message is sent, arrives or is lost, a note is made), which the widget computes from
// the trace (src/widgets/timeline/trace-view.ts) and hands over with `trace.loaded`.
//
//   paused    the reader looks at one instant; stepping and seeking move it
//   playing   virtual time runs: every `tick` (TICK_MS real ms) it advances by
//             TICK_MS × speed / SLOWDOWN virtual ms, so at 1× a 100 ms round trip takes 1 s.
//             With `stepwise` (prefers-reduced-motion) it jumps from moment to moment instead,
//             one jump per `momentPause`, so nothing moves continuously.
//   finished  the instant is the end of the trace; play starts again from 0
//
// Stepping always pauses; seeking keeps playing. Which of paused and finished the player is in
// follows from the time alone (eventless transitions), so no event can leave it inconsistent.
import { assign, setup, type ActorRefFrom, type SnapshotFrom } from "xstate";

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];

/** Real milliseconds between two frames of smooth playback. */
export const TICK_MS = 50;
/** Slow motion: at 1×, one virtual millisecond lasts this many real milliseconds. */
export const SLOWDOWN = 10;
/** Stepwise playback (reduced motion): real milliseconds spent on each moment at 1×. */
export const MOMENT_PAUSE_MS = 1200;

export interface PlayerContext {
  /** Sorted, distinct, within [0, duration]; always holds 0 and, once loaded, the duration. */
  moments: number[];
  duration: number;
  /** The instant shown, in virtual ms. */
  time: number;
  speed: Speed;
  /** Play jumps between moments instead of running time continuously. */
  stepwise: boolean;
}

export type PlayerEvent =
  | { type: "play" }
  | { type: "pause" }
  | { type: "step.next" }
  | { type: "step.previous" }
  | { type: "step.first" }
  | { type: "step.last" }
  | { type: "seek"; time: number }
  | { type: "speed.set"; speed: number }
  | { type: "motion.set"; stepwise: boolean }
  /** A new trace: its moments and duration; `time` (a deep link) or else the current time, clamped. */
  | { type: "trace.loaded"; moments: readonly number[]; duration: number; time?: number };

export interface PlayerInput {
  moments?: readonly number[];
  duration?: number;
  time?: number;
  speed?: number;
  stepwise?: boolean;
}

export function isSpeed(value: unknown): value is Speed {
  return typeof value === "number" && (SPEEDS as readonly number[]).includes(value);
}

/** Virtual milliseconds one tick of smooth playback covers at a speed. */
export function virtualMsPerTick(speed: Speed): number {
  return (TICK_MS * speed) / SLOWDOWN;
}

function clampTime(time: number, duration: number): number {
  if (!Number.isFinite(time)) return 0;
  return Math.min(Math.max(time, 0), Math.max(duration, 0));
}

/** Sorted, distinct moments within [0, duration], always including both ends. */
export function normalizeMoments(moments: readonly number[], duration: number): number[] {
  const end = Number.isFinite(duration) && duration > 0 ? duration : 0;
  const inside = moments.filter((m) => Number.isFinite(m) && m >= 0 && m <= end);
  return [...new Set([0, ...inside, end])].sort((a, b) => a - b);
}

/** Index of the last moment at or before `time` (0 before the first). */
export function momentIndexAt(moments: readonly number[], time: number): number {
  let lo = 0;
  let hi = moments.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (moments[mid]! <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The first moment strictly after `time`, or null at or past the last. */
export function nextMoment(moments: readonly number[], time: number): number | null {
  return moments.find((m) => m > time) ?? null;
}

/** The last moment strictly before `time`, or null at or before the first. */
export function previousMoment(moments: readonly number[], time: number): number | null {
  for (let i = moments.length - 1; i >= 0; i--) if (moments[i]! < time) return moments[i]!;
  return null;
}

function initialContext(input: PlayerInput | undefined): PlayerContext {
  const duration = Number.isFinite(input?.duration) && input!.duration! > 0 ? input!.duration! : 0;
  return {
    moments: normalizeMoments(input?.moments ?? [], duration),
    duration,
    time: clampTime(input?.time ?? 0, duration),
    speed: isSpeed(input?.speed) ? input.speed : 1,
    stepwise: input?.stepwise ?? false,
  };
}

export const timelinePlayerMachine = setup({
  types: {
    context: {} as PlayerContext,
    events: {} as PlayerEvent,
    input: {} as PlayerInput | undefined,
  },
  delays: {
    /** One frame of smooth playback. */
    tick: TICK_MS,
    /** How long stepwise playback rests on each moment; faster speeds rest less. */
    momentPause: ({ context }) => MOMENT_PAUSE_MS / context.speed,
  },
  guards: {
    hasTrace: ({ context }) => context.duration > 0,
    atEnd: ({ context }) => context.duration > 0 && context.time >= context.duration,
    notAtEnd: ({ context }) => !(context.duration > 0 && context.time >= context.duration),
    isStepwise: ({ context }) => context.stepwise,
  },
  actions: {
    advance: assign(({ context }) => ({
      time: Math.min(context.time + virtualMsPerTick(context.speed), context.duration),
    })),
    toNextMoment: assign(({ context }) => ({ time: nextMoment(context.moments, context.time) ?? context.duration })),
    toPreviousMoment: assign(({ context }) => ({ time: previousMoment(context.moments, context.time) ?? 0 })),
    toFirst: assign({ time: 0 }),
    toLast: assign(({ context }) => ({ time: context.moments.at(-1) ?? 0 })),
    rewind: assign({ time: 0 }),
    seek: assign(({ context, event }) =>
      event.type === "seek" ? { time: clampTime(event.time, context.duration) } : {},
    ),
    setSpeed: assign(({ event }) => (event.type === "speed.set" && isSpeed(event.speed) ? { speed: event.speed } : {})),
    setMotion: assign(({ event }) => (event.type === "motion.set" ? { stepwise: event.stepwise } : {})),
    load: assign(({ context, event }) => {
      if (event.type !== "trace.loaded") return {};
      const duration = Number.isFinite(event.duration) && event.duration > 0 ? event.duration : 0;
      return {
        duration,
        moments: normalizeMoments(event.moments, duration),
        time: clampTime(event.time ?? context.time, duration),
      };
    }),
  },
}).createMachine({
  id: "timelinePlayer",
  context: ({ input }) => initialContext(input),
  initial: "paused",
  on: {
    // Stepping is looking closely: it stops playback.
    "step.next": { target: ".paused", actions: "toNextMoment" },
    "step.previous": { target: ".paused", actions: "toPreviousMoment" },
    "step.first": { target: ".paused", actions: "toFirst" },
    "step.last": { target: ".paused", actions: "toLast" },
    // Seeking (the scrub slider) and new traces keep whatever the reader was doing.
    seek: { actions: "seek" },
    "trace.loaded": { actions: "load" },
    "speed.set": { actions: "setSpeed" },
    "motion.set": { actions: "setMotion" },
  },
  states: {
    paused: {
      always: { guard: "atEnd", target: "finished" },
      on: { play: { guard: "hasTrace", target: "playing" } },
    },
    playing: {
      always: { guard: "atEnd", target: "finished" },
      initial: "choosing",
      on: {
        pause: { target: "paused" },
        // Restart so the new way of playing (and the new pause length) applies at once.
        "motion.set": { target: ".choosing", reenter: true, actions: "setMotion" },
        "speed.set": { target: ".choosing", reenter: true, actions: "setSpeed" },
      },
      states: {
        choosing: {
          always: [{ guard: "isStepwise", target: "stepwise" }, { target: "smooth" }],
        },
        smooth: {
          after: { tick: { target: "smooth", reenter: true, actions: "advance" } },
        },
        stepwise: {
          after: { momentPause: { target: "stepwise", reenter: true, actions: "toNextMoment" } },
        },
      },
    },
    finished: {
      always: { guard: "notAtEnd", target: "paused" },
      on: { play: { target: "playing", actions: "rewind" } },
    },
  },
});

export type TimelinePlayerActor = ActorRefFrom<typeof timelinePlayerMachine>;
export type TimelinePlayerSnapshot = SnapshotFrom<typeof timelinePlayerMachine>;
export type PlayerStateName = "paused" | "playing" | "finished";

export function playerState(snapshot: TimelinePlayerSnapshot): PlayerStateName {
  if (snapshot.matches("playing")) return "playing";
  return snapshot.matches("finished") ? "finished" : "paused";
}
