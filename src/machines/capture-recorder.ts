// The frame inspector's recording and stepping. Every tap event is recorded in order; the
// `cursor` says how many of them the views show (buildCaptureView(events, cursor)).
//
//   live     the views follow the connection: each new event moves the cursor to the end
//   stopped  the reader paused or stepped: new events are still recorded, the cursor stays
//   playing  a recording plays back one event per `replayStep`, then stops at the end
//
// A recording loaded from a file (source "file") has no live connection, so it can be stepped
// and played but never goes live. The log is bounded: past MAX_RECORDED_EVENTS, new events are
// counted in `overflow` and not kept, so a long session cannot exhaust the page's memory.
//
// The log is append-only and shared by reference: recording an event pushes it onto the same
// array instead of copying the log, because a copy per event makes a long session quadratic
// (thousands of events, ten or more a second). Sharing is safe because nothing is ever removed
// or changed: the first `cursor` events a snapshot describes are the same in every later
// snapshot, so a reader of an older snapshot still sees what it was told about. The array is
// replaced only when the recording is (a file loaded, or a new recorder), so a view can tell
// "the same log, grown" (same array) from "another log" (another array).
import { assign, setup } from "xstate";
import type { TapEvent } from "../protocol/tap-events.ts";

export const MAX_RECORDED_EVENTS = 5000;

export type RecordingSource = "live" | "file";

export interface RecorderContext {
  /** Append-only and shared between snapshots (see above): read it, never change it. */
  events: TapEvent[];
  cursor: number;
  source: RecordingSource;
  overflow: number;
}

export type RecorderEvent =
  | { type: "tap.event"; event: TapEvent }
  | { type: "view.pause" }
  | { type: "view.live" }
  | { type: "view.play" }
  | { type: "step.next" }
  | { type: "step.previous" }
  | { type: "step.first" }
  | { type: "step.last" }
  | { type: "step.goto"; cursor: number }
  | { type: "recording.loaded"; events: TapEvent[] };

const clamp = (n: number, max: number): number => Math.max(0, Math.min(Math.trunc(n), max));

/** Appends to the shared log in place (see above); past the bound, only counts. */
function recorded(context: RecorderContext, event: TapEvent): Pick<RecorderContext, "overflow"> {
  if (context.events.length >= MAX_RECORDED_EVENTS) return { overflow: context.overflow + 1 };
  context.events.push(event);
  return { overflow: context.overflow };
}

export const captureRecorderMachine = setup({
  types: {
    context: {} as RecorderContext,
    events: {} as RecorderEvent,
  },
  delays: {
    /** Playback pace: slow enough to follow one event at a time. */
    replayStep: 700,
  },
  guards: {
    isLive: ({ context }) => context.source === "live",
    canAdvance: ({ context }) => context.cursor < context.events.length,
  },
  actions: {
    recordAndFollow: assign(({ context, event }) => {
      if (event.type !== "tap.event") return {};
      const next = recorded(context, event.event);
      return { ...next, cursor: context.events.length };
    }),
    record: assign(({ context, event }) => (event.type === "tap.event" ? recorded(context, event.event) : {})),
    stepNext: assign(({ context }) => ({ cursor: clamp(context.cursor + 1, context.events.length) })),
    stepPrevious: assign(({ context }) => ({ cursor: clamp(context.cursor - 1, context.events.length) })),
    stepFirst: assign({ cursor: 0 }),
    stepLast: assign(({ context }) => ({ cursor: context.events.length })),
    stepTo: assign(({ context, event }) =>
      event.type === "step.goto" ? { cursor: clamp(event.cursor, context.events.length) } : {},
    ),
    followEnd: assign(({ context }) => ({ cursor: context.events.length })),
    load: assign(({ event }) => {
      if (event.type !== "recording.loaded") return {};
      // A copy, once: the recorder owns its log, so the caller's array is never appended to.
      const events = event.events.slice(0, MAX_RECORDED_EVENTS);
      return { events, cursor: 0, source: "file" as const, overflow: event.events.length - events.length };
    }),
  },
}).createMachine({
  id: "captureRecorder",
  // A factory, so every actor gets a log of its own to append to.
  context: () => ({ events: [], cursor: 0, source: "live", overflow: 0 }),
  initial: "live",
  on: {
    "recording.loaded": { target: ".stopped", actions: "load" },
  },
  states: {
    live: {
      entry: "followEnd",
      on: {
        "tap.event": { actions: "recordAndFollow" },
        "view.pause": { target: "stopped" },
        "step.previous": { target: "stopped", actions: "stepPrevious" },
        "step.first": { target: "stopped", actions: "stepFirst" },
        "step.goto": { target: "stopped", actions: "stepTo" },
      },
    },
    stopped: {
      on: {
        // A recording loaded from a file is closed: late events of a live connection stay out.
        "tap.event": { guard: "isLive", actions: "record" },
        "step.next": { actions: "stepNext" },
        "step.previous": { actions: "stepPrevious" },
        "step.first": { actions: "stepFirst" },
        "step.last": { actions: "stepLast" },
        "step.goto": { actions: "stepTo" },
        "view.play": { target: "playing", guard: "canAdvance" },
        "view.live": { target: "live", guard: "isLive" },
      },
    },
    playing: {
      after: {
        replayStep: [
          { guard: "canAdvance", target: "playing", reenter: true, actions: "stepNext" },
          { target: "stopped" },
        ],
      },
      on: {
        "tap.event": { guard: "isLive", actions: "record" },
        "view.pause": { target: "stopped" },
        "step.next": { target: "stopped", actions: "stepNext" },
        "step.previous": { target: "stopped", actions: "stepPrevious" },
        "step.first": { target: "stopped", actions: "stepFirst" },
        "step.last": { target: "stopped", actions: "stepLast" },
        "step.goto": { target: "stopped", actions: "stepTo" },
        "view.live": { target: "live", guard: "isLive" },
      },
    },
  },
});
