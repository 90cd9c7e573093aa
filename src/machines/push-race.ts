// The push race: one stream of server events delivered at the same moments by four real
// transports (short polling, long polling, server-sent events, WebSocket), raced side by side.
//
//   idle → preparing (sync clocks with the lab, create the race) → running (all four transports
//   receive events) → collecting (ask the lab what it counted on the wire) → finished
//   any step can fail → failed; `race.reset` returns to idle from finished or failed.
//
// The machine does no I/O. The widget provides three actors: `prepare` (resolves the race and
// the page-to-server clock offset), `transport` (one per transport; reports `race.arrival` for
// each event and `race.transport-done` at the end) and `results` (the lab's byte counts).
// Delivery delay is computed here: arrival on the page clock, moved to the server clock with the
// offset, minus the time the event happened on the server.
import { assign, fromCallback, fromPromise, setup } from "xstate";
import type { RaceCreated, RaceResults, Transport } from "../protocol/lab-api.ts";
import { TRANSPORTS } from "../protocol/lab-api.ts";

export interface RaceSettings {
  events: number;
  spacingMs: number;
  pollIntervalMs: number;
  /** The lab waits this long before each write (lab-api.ts `delay`). */
  delayMs: number;
}

export interface Arrival {
  eventId: number;
  delayMs: number;
}

export interface PushRaceContext {
  settings: RaceSettings;
  race: RaceCreated | null;
  /** Server clock minus page clock, in ms. */
  offsetMs: number;
  arrivals: Record<Transport, Arrival[]>;
  done: Transport[];
  failures: Partial<Record<Transport, string>>;
  results: RaceResults | null;
  error: string | null;
}

export interface TransportInput {
  transport: Transport;
  race: RaceCreated;
  settings: RaceSettings;
}

export type PushRaceEvent =
  | { type: "race.start"; settings: RaceSettings }
  | { type: "race.reset" }
  | { type: "race.arrival"; transport: Transport; eventId: number; eventAt: number; receivedAt: number }
  | { type: "race.transport-done"; transport: Transport }
  | { type: "race.transport-failed"; transport: Transport; reason: string };

const emptyArrivals = (): Record<Transport, Arrival[]> => ({
  "short-polling": [],
  "long-polling": [],
  sse: [],
  websocket: [],
});

/** How long after the last scheduled event a transport may still be delivering. */
export const GRACE_MS = 25_000;

export const pushRaceMachine = setup({
  types: {
    context: {} as PushRaceContext,
    events: {} as PushRaceEvent,
  },
  actors: {
    prepare: fromPromise<{ race: RaceCreated; offsetMs: number }, RaceSettings>(async () => {
      throw new Error("no lab connection was provided");
    }),
    transport: fromCallback<PushRaceEvent, TransportInput>(() => () => {}),
    results: fromPromise<RaceResults, { race: RaceCreated }>(async () => {
      throw new Error("no lab connection was provided");
    }),
  },
  delays: {
    /** Give up on transports that have not finished well after the last event. */
    raceTimeout: ({ context }) => {
      const schedule = context.race?.schedule ?? [];
      const span = schedule.length ? Math.max(...schedule) - (context.race?.serverTime ?? 0) : 0;
      return Math.max(0, span) + GRACE_MS;
    },
  },
  guards: {
    allDone: ({ context, event }) => {
      if (event.type !== "race.transport-done" && event.type !== "race.transport-failed") return false;
      const finished = new Set([...context.done, ...Object.keys(context.failures), event.transport]);
      return TRANSPORTS.every((t) => finished.has(t));
    },
  },
  actions: {
    begin: assign(({ event }) =>
      event.type === "race.start"
        ? {
            settings: event.settings,
            race: null,
            offsetMs: 0,
            arrivals: emptyArrivals(),
            done: [],
            failures: {},
            results: null,
            error: null,
          }
        : {},
    ),
    recordArrival: assign(({ context, event }) => {
      if (event.type !== "race.arrival") return {};
      const list = context.arrivals[event.transport];
      if (list.some((a) => a.eventId === event.eventId)) return {};
      const delayMs = event.receivedAt + context.offsetMs - event.eventAt;
      return { arrivals: { ...context.arrivals, [event.transport]: [...list, { eventId: event.eventId, delayMs }] } };
    }),
    markDone: assign(({ context, event }) =>
      event.type === "race.transport-done" && !context.done.includes(event.transport)
        ? { done: [...context.done, event.transport] }
        : {},
    ),
    markFailed: assign(({ context, event }) =>
      event.type === "race.transport-failed"
        ? { failures: { ...context.failures, [event.transport]: event.reason } }
        : {},
    ),
  },
}).createMachine({
  id: "pushRace",
  context: {
    settings: { events: 6, spacingMs: 1000, pollIntervalMs: 1000, delayMs: 0 },
    race: null,
    offsetMs: 0,
    arrivals: emptyArrivals(),
    done: [],
    failures: {},
    results: null,
    error: null,
  },
  initial: "idle",
  states: {
    idle: { on: { "race.start": { target: "preparing", actions: "begin" } } },
    preparing: {
      invoke: {
        src: "prepare",
        input: ({ context }) => context.settings,
        onDone: {
          target: "running",
          actions: assign(({ event }) => ({ race: event.output.race, offsetMs: event.output.offsetMs })),
        },
        onError: {
          target: "failed",
          actions: assign(({ event }) => ({ error: `The race could not start: ${(event.error as Error).message}` })),
        },
      },
    },
    running: {
      invoke: TRANSPORTS.map((transport) => ({
        id: transport,
        src: "transport" as const,
        input: ({ context }: { context: PushRaceContext }) => ({
          transport,
          race: context.race!,
          settings: context.settings,
        }),
      })),
      on: {
        "race.arrival": { actions: "recordArrival" },
        "race.transport-done": [
          { guard: "allDone", target: "collecting", actions: "markDone" },
          { actions: "markDone" },
        ],
        "race.transport-failed": [
          { guard: "allDone", target: "collecting", actions: "markFailed" },
          { actions: "markFailed" },
        ],
      },
      after: { raceTimeout: { target: "collecting" } },
    },
    collecting: {
      invoke: {
        src: "results",
        input: ({ context }) => ({ race: context.race! }),
        onDone: { target: "finished", actions: assign(({ event }) => ({ results: event.output })) },
        onError: {
          target: "finished",
          actions: assign(({ event }) => ({
            error: `The lab's byte counts could not be read: ${(event.error as Error).message}`,
          })),
        },
      },
    },
    finished: { on: { "race.reset": { target: "idle" }, "race.start": { target: "preparing", actions: "begin" } } },
    failed: { on: { "race.reset": { target: "idle" }, "race.start": { target: "preparing", actions: "begin" } } },
  },
});
