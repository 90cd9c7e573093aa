// Server-sent events: one request, then one response that never ends. The server sends the
// response head at once (Content-Type: text/event-stream) and then writes an event block
// (`id:` and `data:` lines and a blank line, as one HTTP chunk) whenever an event happens, so
// each event reaches the client one one-way trip after it happens and costs a few bytes of
// framing instead of a request and a response head. It flows one way only: to send
// something, the client needs a separate ordinary request.
//
//   client  connecting → requesting → streaming → closing → done
//   server  waiting (collecting events) → streaming → gone
import { assign, setup } from "xstate";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import type { WorldEvent } from "../sim/world-events.ts";
import { sseEventBlock, sseRequest, sseResponseHead } from "../sim/wire-messages.ts";

export interface ServerSentEventsInput {
  connections: Connections;
}

interface ServerSentEventsContext extends ServerSentEventsInput {
  connection: number;
  /** Server: events that happened before the stream was open. */
  pending: number[];
  ended: boolean;
}

export const serverSentEventsMachine = setup({
  types: {
    context: {} as ServerSentEventsContext,
    events: {} as ConnectionEvent | WorldEvent,
    input: {} as ServerSentEventsInput,
  },
  guards: {
    ended: ({ context }) => context.ended,
  },
  actions: {
    openConnection: ({ context }) => void context.connections.open(),
    rememberConnection: assign(({ event }) =>
      event.type === "client.connected" ? { connection: event.connection } : {},
    ),
    subscribe: ({ context }) => context.connections.send(context.connection, "client", sseRequest()),
    markEnded: assign({ ended: true }),
    closeConnection: ({ context }) => context.connections.close(context.connection, "client"),
    collect: assign(({ context, event }) =>
      event.type === "server.event" ? { pending: [...context.pending, event.eventId] } : {},
    ),
    startStream: ({ context }) => {
      context.connections.send(context.connection, "server", sseResponseHead());
      for (const id of context.pending) context.connections.send(context.connection, "server", sseEventBlock([id]));
    },
    clearPending: assign({ pending: [] }),
    push: ({ context, event }) => {
      if (event.type === "server.event")
        context.connections.send(context.connection, "server", sseEventBlock([event.eventId]));
    },
  },
}).createMachine({
  id: "serverSentEvents",
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
              { target: "requesting", actions: "rememberConnection" },
            ],
          },
        },
        requesting: {
          entry: "subscribe",
          on: { "client.received": [{ guard: "ended", target: "closing" }, { target: "streaming" }] },
        },
        streaming: {
          // Event blocks need no answer: the client only reads them (their delivery is recorded on arrival).
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
      initial: "waiting",
      on: { "server.stream-ended": { target: ".gone" } },
      states: {
        waiting: {
          on: {
            "server.event": { actions: "collect" },
            "server.received": { target: "streaming", actions: ["startStream", "clearPending"] },
          },
        },
        streaming: {
          on: { "server.event": { actions: "push" } },
        },
        gone: {},
      },
    },
  },
});
