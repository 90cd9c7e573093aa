// A chat over plain HTTP: short polling for what others say, and a POST for each thing the
// reader says. Polls go out on a schedule on one persistent connection and the server answers
// each at once with the events collected since the last (as in short-polling.ts). The reader's
// messages go to POST /messages, answered 204, on a second keep-alive connection: a browser
// does not queue a message behind a poll in flight, it uses another connection to the same
// server. That side is the request-response machine (http-request-response.ts) run as a child,
// so its queueing and keep-alive rules are the same as for an echo. The poll connection never
// sits idle for long, so its keep-alive timeout is not modelled.
//
//   poller  connecting → polling ⇄ waiting (pollInterval) → closing → done
//   server  collects events; answers each poll with the ones collected
//   chat    hands the reader's messages, and every connection event not on the poll connection, to the poster
import { and, assign, forwardTo, setup } from "xstate";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import type { WorldEvent } from "../sim/world-events.ts";
import { pollRequest, pollResponse } from "../sim/wire-messages.ts";
import { httpRequestResponseMachine } from "./http-request-response.ts";

export interface PollingChatInput {
  connections: Connections;
  /** Time between a poll's response and the next poll. */
  pollIntervalMs: number;
  /** The server closes the message connection after it has been idle this long. */
  keepAliveTimeoutMs: number;
  /** The body size of the reader's message `index` (1, 2, …). */
  messageBytes: (index: number) => number;
}

interface PollingChatContext extends PollingChatInput {
  /** The poll connection. */
  connection: number;
  /** Server: events that happened since the last poll was answered. */
  pending: number[];
  ended: boolean;
}

type PollingChatEvent = ConnectionEvent | WorldEvent;

const connectionOf = (event: PollingChatEvent): number | null => ("connection" in event ? event.connection : null);

export const pollingChatMachine = setup({
  types: {
    context: {} as PollingChatContext,
    events: {} as PollingChatEvent,
    input: {} as PollingChatInput,
  },
  actors: {
    poster: httpRequestResponseMachine,
  },
  delays: {
    pollInterval: ({ context }) => context.pollIntervalMs,
  },
  guards: {
    ended: ({ context }) => context.ended,
    onPollConnection: ({ context, event }) => connectionOf(event) === context.connection,
    onOtherConnection: ({ context, event }) => connectionOf(event) !== context.connection,
  },
  actions: {
    // Remember the id open() gives: events of the poster's connections must not be taken for the poll's.
    openConnection: assign(({ context }) => ({ connection: context.connections.open() })),
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
    toPoster: forwardTo("poster"),
  },
}).createMachine({
  id: "pollingChat",
  type: "parallel",
  context: ({ input }) => ({ ...input, connection: 0, pending: [], ended: false }),
  invoke: {
    id: "poster",
    src: "poster",
    input: ({ context }) => ({
      connections: context.connections,
      keepAliveTimeoutMs: context.keepAliveTimeoutMs,
      messageBytes: context.messageBytes,
      target: "/messages" as const,
    }),
  },
  states: {
    poller: {
      initial: "connecting",
      on: { "session.ended": { actions: "markEnded" } },
      states: {
        connecting: {
          entry: "openConnection",
          on: {
            "client.connected": [
              { guard: and(["onPollConnection", "ended"]), target: "closing" },
              { guard: "onPollConnection", target: "polling" },
            ],
          },
        },
        polling: {
          entry: "poll",
          on: {
            "client.received": [
              { guard: and(["onPollConnection", "ended"]), target: "closing" },
              { guard: "onPollConnection", target: "waiting" },
            ],
          },
        },
        waiting: {
          after: { pollInterval: { target: "polling" } },
          on: { "session.ended": { target: "closing", actions: "markEnded" } },
        },
        closing: {
          entry: "closeConnection",
          on: { "connection.closed": { guard: "onPollConnection", target: "done" } },
        },
        done: {},
      },
    },
    server: {
      on: {
        "server.event": { actions: "collect" },
        "server.received": { guard: "onPollConnection", actions: ["answer", "clearPending"] },
      },
    },
    chat: {
      on: {
        "client.message": { actions: "toPoster" },
        "session.ended": { actions: "toPoster" },
        "client.connected": { guard: "onOtherConnection", actions: "toPoster" },
        "client.received": { guard: "onOtherConnection", actions: "toPoster" },
        "server.received": { guard: "onOtherConnection", actions: "toPoster" },
        "client.stream-ended": { guard: "onOtherConnection", actions: "toPoster" },
        "server.stream-ended": { guard: "onOtherConnection", actions: "toPoster" },
        "connection.closed": { guard: "onOtherConnection", actions: "toPoster" },
      },
    },
  },
});
