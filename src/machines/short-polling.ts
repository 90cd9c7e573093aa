// Short polling: the client asks "anything new?" on a schedule and the server answers at once,
// with whatever events arrived since the last poll or with an empty list. HTTP cannot push,
// so an event waits on the server until the next poll comes by: up to a poll interval plus a
// round trip, and every poll pays a full request and response head even when nothing
// happened. The polls share one persistent HTTP/1.1 connection (RFC 9112 §9.3).
//
//   client  connecting → polling ⇄ waiting (pollInterval) → closing → done
//   server  collects events; answers each poll with the ones collected
import { assign, setup } from "xstate";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import type { WorldEvent } from "../sim/world-events.ts";
import { pollRequest, pollResponse } from "../sim/wire-messages.ts";

export interface ShortPollingInput {
  connections: Connections;
  /** Time between a poll's response and the next poll. */
  pollIntervalMs: number;
}

interface ShortPollingContext extends ShortPollingInput {
  connection: number;
  /** Server: events that happened since the last poll was answered. */
  pending: number[];
  /** Client: the reader left; no more polls. */
  ended: boolean;
}

export const shortPollingMachine = setup({
  types: {
    context: {} as ShortPollingContext,
    events: {} as ConnectionEvent | WorldEvent,
    input: {} as ShortPollingInput,
  },
  delays: {
    pollInterval: ({ context }) => context.pollIntervalMs,
  },
  guards: {
    ended: ({ context }) => context.ended,
  },
  actions: {
    openConnection: ({ context }) => void context.connections.open(),
    rememberConnection: assign(({ event }) =>
      event.type === "client.connected" ? { connection: event.connection } : {},
    ),
    poll: ({ context }) => context.connections.send(context.connection, "client", pollRequest("/poll")),
    markEnded: assign({ ended: true }),
    closeConnection: ({ context }) => context.connections.close(context.connection, "client"),
    collect: assign(({ context, event }) =>
      event.type === "server.event" ? { pending: [...context.pending, event.eventId] } : {},
    ),
    answer: ({ context, event }) => {
      if (event.type === "server.received")
        context.connections.send(event.connection, "server", pollResponse(context.pending));
    },
    clearPending: assign({ pending: [] }),
  },
}).createMachine({
  id: "shortPolling",
  type: "parallel",
  context: ({ input }) => ({ ...input, connection: 0, pending: [], ended: false }),
  states: {
    client: {
      initial: "connecting",
      on: { "session.ended": { actions: "markEnded" } },
      states: {
        connecting: {
          entry: "openConnection",
          on: {
            "client.connected": [
              { guard: "ended", target: "closing", actions: "rememberConnection" },
              { target: "polling", actions: "rememberConnection" },
            ],
          },
        },
        polling: {
          entry: "poll",
          on: { "client.received": [{ guard: "ended", target: "closing" }, { target: "waiting" }] },
        },
        waiting: {
          after: { pollInterval: { target: "polling" } },
          on: { "session.ended": { target: "closing", actions: "markEnded" } },
        },
        closing: {
          entry: "closeConnection",
          on: { "connection.closed": { target: "done" } },
        },
        done: {},
      },
    },
    server: {
      on: {
        "server.event": { actions: "collect" },
        "server.received": { actions: ["answer", "clearPending"] },
      },
    },
  },
});
