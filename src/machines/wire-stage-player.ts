// The wire stage's clock: which instant ("display time", stage ms) the stage shows.
//
//   live    the view follows the conversation. Display time moves toward the live edge (now on
//           the stage's clock): at the chosen speed while something is in flight, so a frame's
//           trip can be watched in slow motion, and CATCH_UP times faster while nothing moves,
//           so slow motion never leaves the view far behind. It never lags more than MAX_LAG_MS.
//           With `stepwise` (prefers-reduced-motion) it jumps straight to the live edge.
//   paused  the reader looks at one instant: stepping to the next or previous moment and
//           scrubbing move it; new events are still recorded, out of sight until the reader
//           resumes live (the view then catches up quickly rather than jumping).
//
// Time flows in from the widget as `clock.tick` events (one per animation frame, with the real
// milliseconds elapsed), so the machine stays free of timers and is tested with plain numbers.
import { assign, setup, type ActorRefFrom } from "xstate";

export const STAGE_SPEEDS = [0.1, 0.25, 0.5, 1] as const;
export type StageSpeed = (typeof STAGE_SPEEDS)[number];
/** How much faster than the chosen speed the view moves while nothing is in flight. */
export const CATCH_UP = 8;
/** The furthest the view may trail the live edge while live, in stage ms. */
export const MAX_LAG_MS = 4000;

export interface StagePlayerContext {
  time: number;
  liveTime: number;
  speed: StageSpeed;
  stepwise: boolean;
}

export type StagePlayerEvent =
  | { type: "clock.tick"; liveTime: number; elapsedMs: number; busy: boolean }
  | { type: "view.pause" }
  | { type: "view.live" }
  | { type: "step.to"; time: number }
  | { type: "seek"; time: number }
  | { type: "speed.set"; speed: number }
  | { type: "motion.set"; stepwise: boolean }
  /** A new conversation (or the same one on new settings) starts: back to 0, following it live. */
  | { type: "session.started" }
  /** A recorded session was opened (a deep link): show it paused at `time`. */
  | { type: "recording.opened"; liveTime: number; time: number };

export interface StagePlayerInput {
  speed?: number;
  stepwise?: boolean;
}

export function isStageSpeed(value: unknown): value is StageSpeed {
  return typeof value === "number" && (STAGE_SPEEDS as readonly number[]).includes(value);
}

const finite = (n: number, fallback: number): number => (Number.isFinite(n) ? n : fallback);

/** The display time after `elapsedMs` of real time while live. */
export function advanceLive(context: StagePlayerContext, liveTime: number, elapsedMs: number, busy: boolean): number {
  const edge = Math.max(0, finite(liveTime, context.liveTime));
  if (context.stepwise) return edge;
  const rate = busy ? context.speed : context.speed * CATCH_UP;
  const moved = context.time + Math.max(0, finite(elapsedMs, 0)) * rate;
  return Math.min(edge, Math.max(moved, edge - MAX_LAG_MS));
}

export const wireStagePlayerMachine = setup({
  types: {
    context: {} as StagePlayerContext,
    events: {} as StagePlayerEvent,
    input: {} as StagePlayerInput | undefined,
  },
  actions: {
    followLive: assign(({ context, event }) => {
      if (event.type !== "clock.tick") return {};
      return {
        liveTime: Math.max(context.liveTime, finite(event.liveTime, 0)),
        time: advanceLive(context, event.liveTime, event.elapsedMs, event.busy),
      };
    }),
    recordLiveEdge: assign(({ context, event }) =>
      event.type === "clock.tick" ? { liveTime: Math.max(context.liveTime, finite(event.liveTime, 0)) } : {},
    ),
    moveTo: assign(({ context, event }) => {
      if (event.type !== "step.to" && event.type !== "seek") return {};
      return { time: Math.min(Math.max(0, finite(event.time, context.time)), context.liveTime) };
    }),
    setSpeed: assign(({ event }) =>
      event.type === "speed.set" && isStageSpeed(event.speed) ? { speed: event.speed } : {},
    ),
    setMotion: assign(({ event }) => (event.type === "motion.set" ? { stepwise: event.stepwise } : {})),
    restart: assign({ time: 0, liveTime: 0 }),
    openRecording: assign(({ event }) => {
      if (event.type !== "recording.opened") return {};
      const liveTime = Math.max(0, finite(event.liveTime, 0));
      return { liveTime, time: Math.min(Math.max(0, finite(event.time, 0)), liveTime) };
    }),
  },
}).createMachine({
  id: "wireStagePlayer",
  context: ({ input }) => ({
    time: 0,
    liveTime: 0,
    speed: isStageSpeed(input?.speed) ? input.speed : 0.25,
    stepwise: input?.stepwise ?? false,
  }),
  initial: "live",
  on: {
    // Looking closely stops following the conversation.
    "step.to": { target: ".paused", actions: "moveTo" },
    seek: { target: ".paused", actions: "moveTo" },
    "speed.set": { actions: "setSpeed" },
    "motion.set": { actions: "setMotion" },
    "recording.opened": { target: ".paused", actions: "openRecording" },
    "session.started": { target: ".live", actions: "restart" },
  },
  states: {
    live: {
      on: {
        "clock.tick": { actions: "followLive" },
        "view.pause": { target: "paused" },
      },
    },
    paused: {
      on: {
        "clock.tick": { actions: "recordLiveEdge" },
        "view.live": { target: "live" },
      },
    },
  },
});

export type WireStagePlayerActor = ActorRefFrom<typeof wireStagePlayerMachine>;
