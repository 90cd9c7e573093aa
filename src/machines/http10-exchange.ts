// HTTP/1.0: one TCP connection per request. The client opens a connection, sends its request
// and reads the response; the server closes the connection after every response (HTTP/1.0
// closes by default, and the response says `Connection: close`, RFC 9112 §9.3, §9.6). The
// next request needs a new connection and so a new handshake: N requests cost N round trips
// more than HTTP/1.1 (http11-exchange.ts). The client starts the next connection as soon as it
// has the response (Content-Length tells it where the response ends), so the old
// connection's FIN exchange overlaps the new one's handshake, as it would in a browser.
//
//   client  connecting → requesting → (connecting → requesting)… → done
//   server  answers each request, then closes that connection
import { assign, setup } from "xstate";
import type { ConnectionEvent } from "../sim/connection.ts";
import { pageRequest, pageResponse } from "../sim/wire-messages.ts";
import type { HttpExchangeInput } from "./http11-exchange.ts";

interface Http10Context extends HttpExchangeInput {
  connection: number;
  sent: number;
  answered: number;
}

export const http10ExchangeMachine = setup({
  types: {
    context: {} as Http10Context,
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
      context.connections.send(context.connection, "client", pageRequest(context.sent, "HTTP/1.0")),
    countRequest: assign(({ context }) => ({ sent: context.sent + 1 })),
    respondAndClose: ({ context, event }) => {
      if (event.type !== "server.received") return;
      context.connections.send(event.connection, "server", pageResponse(context.answered, "HTTP/1.0"));
      context.connections.close(event.connection, "server");
    },
    countResponse: assign(({ context }) => ({ answered: context.answered + 1 })),
  },
}).createMachine({
  id: "http10",
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
            "client.received": [{ guard: "moreToRequest", target: "connecting" }, { target: "done" }],
          },
        },
        done: {},
      },
    },
    server: {
      on: { "server.received": { actions: ["respondAndClose", "countResponse"] } },
    },
  },
});
