// HTTP/1.1 with a persistent connection: the client opens one TCP connection and sends its
// requests on it one after another, each after the previous response (no pipelining), then
// closes. Persistence is the default in HTTP/1.1 (RFC 9112 §9.3), so neither side says
// "keep-alive". Compare http10-exchange.ts, which pays a handshake per request.
//
//   client  connecting → requesting (once per request) → closing → done
//   server  answers each request with the matching resource
import { assign, setup } from "xstate";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import { pageRequest, pageResponse } from "../sim/wire-messages.ts";

export interface HttpExchangeInput {
  connections: Connections;
  requests: number;
}

interface HttpExchangeContext extends HttpExchangeInput {
  connection: number;
  sent: number;
  answered: number;
}

export const http11ExchangeMachine = setup({
  types: {
    context: {} as HttpExchangeContext,
    events: {} as ConnectionEvent,
    input: {} as HttpExchangeInput,
  },
  guards: {
    moreToRequest: ({ context }) => context.sent < context.requests,
  },
  actions: {
    openConnection: ({ context }) => void context.connections.open(),
    rememberConnection: assign(({ event }) =>
      event.type === "client.connected" ? { connection: event.connection } : {},
    ),
    sendRequest: ({ context }) =>
      context.connections.send(context.connection, "client", pageRequest(context.sent, "HTTP/1.1")),
    countRequest: assign(({ context }) => ({ sent: context.sent + 1 })),
    closeConnection: ({ context }) => context.connections.close(context.connection, "client"),
    respond: ({ context, event }) => {
      if (event.type === "server.received")
        context.connections.send(event.connection, "server", pageResponse(context.answered, "HTTP/1.1"));
    },
    countResponse: assign(({ context }) => ({ answered: context.answered + 1 })),
  },
}).createMachine({
  id: "http11",
  type: "parallel",
  context: ({ input }) => ({ ...input, connection: 0, sent: 0, answered: 0 }),
  states: {
    client: {
      initial: "connecting",
      states: {
        connecting: {
          entry: "openConnection",
          on: { "client.connected": { target: "requesting", actions: "rememberConnection" } },
        },
        requesting: {
          entry: ["sendRequest", "countRequest"],
          on: {
            "client.received": [{ guard: "moreToRequest", target: "requesting", reenter: true }, { target: "closing" }],
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
      on: { "server.received": { actions: ["respond", "countResponse"] } },
    },
  },
});
