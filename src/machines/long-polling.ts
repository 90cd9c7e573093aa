// Long polling: the client asks "anything new?" and the server holds the request open until
// it has something to say (or until a timeout, when it answers empty so that no proxy or
// browser gives up on the request), and the client asks again the moment an answer arrives.
// An event that finds a poll waiting reaches the client one one-way trip after it happens;
// one that happens while the answer and the next poll are in flight waits for that poll.
// Each event still costs a full request and response head. One persistent HTTP/1.1
// connection carries all the polls.
//
//   client  connecting → polling (again after every answer) → closing → done
//   server  idle ⇄ holding (until an event or holdTimeout) ; gone when the client leaves
import { assign, setup } from "xstate";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import type { WorldEvent } from "../sim/world-events.ts";
import { pollRequest, pollResponse } from "../sim/wire-messages.ts";

export interface LongPollingInput {
  connections: Connections;
  /** How long the server holds a poll with nothing to say before answering empty. */
  holdTimeoutMs: number;
}

interface LongPollingContext extends LongPollingInput {
  connection: number;
  pending: number[];
  ended: boolean;
}

export const longPollingMachine = setup({
  types: {
    context: {} as LongPollingContext,
    events: {} as ConnectionEvent | WorldEvent,
    input: {} as LongPollingInput,
  },
  delays: {
    holdTimeout: ({ context }) => context.holdTimeoutMs,
  },
  guards: {
    ended: ({ context }) => context.ended,
    hasPending: ({ context }) => context.pending.length > 0,
  },
  actions: {
    openConnection: ({ context }) => void context.connections.open(),
    rememberConnection: assign(({ event }) =>
      event.type === "client.connected" ? { connection: event.connection } : {},
    ),
    poll: ({ context }) => context.connections.send(context.connection, "client", pollRequest("/poll?wait=1")),
    markEnded: assign({ ended: true }),
    closeConnection: ({ context }) => context.connections.close(context.connection, "client"),
    collect: assign(({ context, event }) =>
      event.type === "server.event" ? { pending: [...context.pending, event.eventId] } : {},
    ),
    answer: ({ context }) => context.connections.send(context.connection, "server", pollResponse(context.pending)),
    clearPending: assign({ pending: [] }),
    noteTimeout: ({ context }) =>
      context.connections.note(
        "server",
        "timeout",
        `nothing happened for ${context.holdTimeoutMs} ms: answering the held poll empty`,
      ),
  },
}).createMachine({
  id: "longPolling",
  type: "parallel",
  context: ({ input }) => ({ ...input, connection: 0, pending: [], ended: false }),
  states: {
    client: {
      initial: "connecting",
      states: {
        connecting: {
          entry: "openConnection",
          on: {
            "client.connected": [
              { guard: "ended", target: "closing", actions: "rememberConnection" },
              { target: "polling", actions: "rememberConnection" },
            ],
            "session.ended": { actions: "markEnded" },
          },
        },
        polling: {
          entry: "poll",
          on: {
            "client.received": { target: "polling", reenter: true },
            // Leaving abandons the held poll: closing the connection is how a browser cancels it.
            "session.ended": { target: "closing", actions: "markEnded" },
          },
        },
        closing: {
          entry: "closeConnection",
          on: { "connection.closed": { target: "done" } },
        },
        done: {},
      },
    },
    server: {
      initial: "idle",
      on: { "server.stream-ended": { target: ".gone" } },
      states: {
        idle: {
          on: {
            "server.event": { actions: "collect" },
            "server.received": [{ guard: "hasPending", actions: ["answer", "clearPending"] }, { target: "holding" }],
          },
        },
        holding: {
          on: { "server.event": { target: "idle", actions: ["collect", "answer", "clearPending"] } },
          after: { holdTimeout: { target: "idle", actions: ["noteTimeout", "answer"] } },
        },
        gone: {},
      },
    },
  },
});
