// The handshake stepper: which of the six steps of the opening handshake (protocol/handshake-steps.ts)
// the reader is on, and which handshake they are looking at. It starts on the recorded RFC 6455
// §1.2 example; `capture.requested` asks the `capture` actor (provided by the widget: a wire tap
// on the lab) for the reader's own browser's handshake. If that fails, or takes longer than
// `captureTimeout`, the recorded example stays (or comes back) with a notice saying why.
//
// Stepping never waits: everything a step shows is computed before a handshake is loaded, so
// the reader can step while a capture runs, and a new handshake keeps the step they are on.
import { assign, fromPromise, setup, type ActorRefFrom } from "xstate";
import { STEP_COUNT, type PreparedHandshake } from "../protocol/handshake-steps.ts";

export interface StepperContext {
  /** 0-based step index; the reader sees index + 1. */
  index: number;
  handshake: PreparedHandshake;
  /** The recorded example, to fall back on when a capture fails. */
  recorded: PreparedHandshake;
  /** Where the shown handshake came from, in words, and why when it is the recorded one. */
  notice: string;
}

export type StepperEvent =
  | { type: "step.next" }
  | { type: "step.previous" }
  | { type: "step.first" }
  | { type: "step.last" }
  | { type: "step.goto"; index: number }
  | { type: "handshake.loaded"; handshake: PreparedHandshake; notice?: string }
  | { type: "capture.requested" };

export interface StepperInput {
  recorded: PreparedHandshake;
  index?: number;
}

export const CAPTURE_TIMEOUT_MS = 5_000;

export const LIVE_NOTICE = "Your browser's real handshake, captured by the lab just now.";
export const RECORDED_NOTICE = "A recorded example: the handshake printed in RFC 6455 §1.2.";
export const CAPTURING_NOTICE = "Asking the lab to capture your browser's handshake…";

export function fallbackNotice(why: string): string {
  const reason = why.trim().replace(/[.\s]+$/, "");
  return `A recorded example (RFC 6455 §1.2), not your own handshake: ${reason || "the capture failed"}.`;
}

export function isStepIndex(index: unknown): index is number {
  return typeof index === "number" && Number.isInteger(index) && index >= 0 && index < STEP_COUNT;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : "the capture failed";
}

export const handshakeStepperMachine = setup({
  types: {
    context: {} as StepperContext,
    events: {} as StepperEvent,
    input: {} as StepperInput,
  },
  actors: {
    // Replaced by the widget (a tap on the lab) and by tests. Abort `signal` closes the tap.
    capture: fromPromise<PreparedHandshake>(() => Promise.reject(new Error("this page has no lab to capture from"))),
  },
  delays: {
    /** A lab that has not captured a handshake by now is not coming; show the recorded one. */
    captureTimeout: CAPTURE_TIMEOUT_MS,
  },
  guards: {
    canGoForward: ({ context }) => context.index < STEP_COUNT - 1,
    canGoBack: ({ context }) => context.index > 0,
    isOtherStep: ({ context, event }) =>
      event.type === "step.goto" && isStepIndex(event.index) && event.index !== context.index,
  },
  actions: {
    showRecorded: assign(({ context }, params: { why: string }) => ({
      handshake: context.recorded,
      notice: fallbackNotice(params.why),
    })),
  },
}).createMachine({
  id: "handshakeStepper",
  context: ({ input }) => ({
    index: isStepIndex(input.index) ? input.index : 0,
    handshake: input.recorded,
    recorded: input.recorded,
    notice: RECORDED_NOTICE,
  }),
  initial: "showing",
  on: {
    "step.next": { guard: "canGoForward", actions: assign({ index: ({ context }) => context.index + 1 }) },
    "step.previous": { guard: "canGoBack", actions: assign({ index: ({ context }) => context.index - 1 }) },
    "step.first": { guard: "canGoBack", actions: assign({ index: 0 }) },
    "step.last": { guard: "canGoForward", actions: assign({ index: STEP_COUNT - 1 }) },
    "step.goto": { guard: "isOtherStep", actions: assign({ index: ({ event }) => event.index }) },
    "handshake.loaded": {
      target: ".showing",
      actions: assign(({ event }) => ({
        handshake: event.handshake,
        notice: event.notice ?? (event.handshake.source === "live" ? LIVE_NOTICE : RECORDED_NOTICE),
      })),
    },
  },
  states: {
    showing: {
      on: { "capture.requested": { target: "capturing" } },
    },
    capturing: {
      entry: assign({ notice: CAPTURING_NOTICE }),
      invoke: {
        src: "capture",
        onDone: {
          target: "showing",
          actions: assign(({ event }) => ({
            handshake: event.output,
            notice: event.output.source === "live" ? LIVE_NOTICE : RECORDED_NOTICE,
          })),
        },
        onError: {
          target: "showing",
          actions: { type: "showRecorded", params: ({ event }) => ({ why: messageOf(event.error) }) },
        },
      },
      after: {
        captureTimeout: {
          target: "showing",
          actions: {
            type: "showRecorded",
            params: { why: `the lab did not capture it within ${CAPTURE_TIMEOUT_MS / 1000} seconds` },
          },
        },
      },
    },
  },
});

export type HandshakeStepperActor = ActorRefFrom<typeof handshakeStepperMachine>;
