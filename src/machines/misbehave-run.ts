// One run of the lab's misbehaving client at a time (lesson 6's "Break a rule"): idle → running
// (the POST to /lab/misbehave) → shown with the recorded events, or failed with the lab's words.
// A new run may start from any settled state; a press while one runs is ignored, so a reader
// cannot queue runs the lab would refuse as too many. The request itself is the `runCase`
// actor, provided by the widget (tests provide their own).
import { assign, fromPromise, setup } from "xstate";
import type { MisbehaveCaseName } from "../protocol/misbehave-cases.ts";
import type { TapEvent } from "../protocol/tap-events.ts";

export interface MisbehaveContext {
  chosen: MisbehaveCaseName | null;
  events: TapEvent[];
  problem: string;
}

export type MisbehaveEvent = { type: "run"; name: MisbehaveCaseName };

export const misbehaveRunMachine = setup({
  types: { context: {} as MisbehaveContext, events: {} as MisbehaveEvent },
  actors: {
    runCase: fromPromise<TapEvent[], { name: MisbehaveCaseName }>(async () => {
      throw new Error("runCase is provided by the widget");
    }),
  },
}).createMachine({
  id: "misbehaveRun",
  context: { chosen: null, events: [], problem: "" },
  initial: "idle",
  states: {
    idle: { on: { run: { target: "running", actions: assign({ chosen: ({ event }) => event.name, problem: "" }) } } },
    running: {
      invoke: {
        src: "runCase",
        input: ({ context }) => ({ name: context.chosen! }),
        onDone: { target: "shown", actions: assign({ events: ({ event }) => event.output }) },
        onError: { target: "failed", actions: assign({ events: [], problem: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)) }) },
      },
    },
    shown: { on: { run: { target: "running", actions: assign({ chosen: ({ event }) => event.name, problem: "" }) } } },
    failed: { on: { run: { target: "running", actions: assign({ chosen: ({ event }) => event.name, problem: "" }) } } },
  },
});
