// One run at a time of something the lab does against itself (lesson 6's misbehaving client,
// lesson 7's ws:// and wss:// twins): idle → running (the POST) → shown with the lab's answer,
// or failed with the lab's words. A new run may start from any settled state; a press while one
// runs is ignored, so a reader cannot queue runs the lab would refuse as too many. The request
// itself is the `runRequest` actor, provided by the widget (tests provide their own), which
// checks the answer and resolves with it.
import { assign, fromPromise, setup } from "xstate";

export interface LabRunContext {
  /** What was asked for (a case name, or the widget's own label). */
  request: string | null;
  result: unknown;
  problem: string;
}

export type LabRunEvent = { type: "run"; request: string };

export const labRunMachine = setup({
  types: { context: {} as LabRunContext, events: {} as LabRunEvent },
  actions: {
    remember: assign({ request: ({ event }) => event.request, problem: "" }),
  },
  actors: {
    runRequest: fromPromise<unknown, { request: string }>(async () => {
      throw new Error("runRequest is provided by the widget");
    }),
  },
}).createMachine({
  id: "labRun",
  context: { request: null, result: null, problem: "" },
  initial: "idle",
  states: {
    idle: { on: { run: { target: "running", actions: "remember" } } },
    running: {
      invoke: {
        src: "runRequest",
        input: ({ context }) => ({ request: context.request! }),
        onDone: { target: "shown", actions: assign({ result: ({ event }) => event.output }) },
        onError: {
          target: "failed",
          actions: assign({
            result: null,
            problem: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)),
          }),
        },
      },
    },
    shown: { on: { run: { target: "running", actions: "remember" } } },
    failed: { on: { run: { target: "running", actions: "remember" } } },
  },
});
