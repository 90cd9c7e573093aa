// The page's own messages over plain HTTP: each one becomes a POST that the server answers at
// once, with the same body (an echo, 200) or with nothing (a chat server that only stores it,
// 204). Browsers send one request at a time on a connection (none pipelines HTTP/1.1), so a
// message written while a request is out waits its turn. The connection opens on first use
// and stays open (persistence is HTTP/1.1's default, RFC 9112 §9.3) until it has been idle for
// the server's keep-alive timeout; then the server closes it, as Node's http.Server does after
// 5 s, and the next message pays a new handshake. A request that leaves just as the server
// closes dies with the connection; the browser sends it again on a new one, as browsers do for
// a request that failed on a reused connection before any answer came.
//
//   client  idle → connecting → requesting (once per message) ⇄ ready → idle (the server closed it)
//           any of them → closing → done when the reader leaves
//   server  listening → keepingAlive (restarted by every request) → closes the idle connection
import { and, assign, setup } from "xstate";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import type { WorldEvent } from "../sim/world-events.ts";
import { echoResponse, noContentResponse, postRequest } from "../sim/wire-messages.ts";

export interface HttpRequestResponseInput {
  connections: Connections;
  /** The server closes a connection that has been idle this long. */
  keepAliveTimeoutMs: number;
  /** The body size of the page's message `index` (1, 2, … in the order the page sends them). */
  messageBytes: (index: number) => number;
  /** "/echo" (the default) answers 200 with the same body; "/messages" answers 204. */
  target?: "/echo" | "/messages";
}

interface HttpRequestResponseContext extends Required<HttpRequestResponseInput> {
  /** Client: the connection in use (0: none open). */
  connection: number;
  /** Client: the newest message the page has sent, and how many have their answer (the next to send is answered + 1). */
  written: number;
  answered: number;
  ended: boolean;
  /** Server: the connection its keep-alive timer watches, and the newest one it has closed. */
  serving: number;
  closedUpTo: number;
}

type HttpRequestResponseEvent = ConnectionEvent | WorldEvent;

const connectionOf = (event: HttpRequestResponseEvent): number | null =>
  "connection" in event ? event.connection : null;

export const httpRequestResponseMachine = setup({
  types: {
    context: {} as HttpRequestResponseContext,
    events: {} as HttpRequestResponseEvent,
    input: {} as HttpRequestResponseInput,
  },
  delays: {
    keepAliveTimeout: ({ context }) => context.keepAliveTimeoutMs,
  },
  guards: {
    ours: ({ context, event }) => connectionOf(event) === context.connection,
    ended: ({ context }) => context.ended,
    moreWaiting: ({ context }) => context.written > context.answered + 1,
    // Ids only grow, so anything at or below the newest closed one is a connection the server has closed.
    onClosedConnection: ({ context, event }) => (connectionOf(event) ?? 0) <= context.closedUpTo,
    onServedConnection: ({ context, event }) => connectionOf(event) === context.serving,
  },
  actions: {
    queue: assign(({ context, event }) =>
      event.type === "client.message" ? { written: Math.max(context.written, event.index) } : {},
    ),
    // Remember the id open() gives: the client must tell its own connection's events from a closed one's.
    openConnection: assign(({ context }) => ({ connection: context.connections.open() })),
    sendRequest: ({ context }) =>
      context.connections.send(
        context.connection,
        "client",
        postRequest(context.target, context.messageBytes(context.answered + 1)),
      ),
    countAnswer: assign(({ context }) => ({ answered: context.answered + 1 })),
    forgetConnection: assign({ connection: 0 }),
    noteRetry: ({ context }) =>
      context.connections.note(
        "client",
        "note",
        `the server closed connection ${context.connection} before answering: the browser sends the request again on a new connection`,
      ),
    markEnded: assign({ ended: true }),
    closeConnection: ({ context }) => context.connections.close(context.connection, "client"),
    respond: ({ context, event }) => {
      if (event.type !== "server.received") return;
      const bodyBytes = event.unit.bytes - event.unit.headerBytes;
      context.connections.send(
        event.connection,
        "server",
        context.target === "/echo" ? echoResponse(bodyBytes) : noContentResponse(),
      );
    },
    rememberServing: assign(({ event }) => ({ serving: connectionOf(event) ?? 0 })),
    closeIdle: ({ context }) => {
      context.connections.note(
        "server",
        "timeout",
        `connection ${context.serving} idle for ${context.keepAliveTimeoutMs} ms: the server closes it (keep-alive timeout)`,
      );
      context.connections.close(context.serving, "server");
    },
    markClosed: assign(({ context }) => ({ closedUpTo: Math.max(context.closedUpTo, context.serving), serving: 0 })),
    // A real server would answer with a reset; the client is already on its way to a new connection.
    noteLate: ({ context, event }) =>
      context.connections.note(
        "server",
        "note",
        `a request arrives on connection ${connectionOf(event)}, which the server has closed: it is not answered`,
      ),
    forgetServing: assign({ serving: 0 }),
  },
}).createMachine({
  id: "httpRequestResponse",
  type: "parallel",
  context: ({ input }) => ({
    ...input,
    target: input.target ?? "/echo",
    connection: 0,
    written: 0,
    answered: 0,
    ended: false,
    serving: 0,
    closedUpTo: 0,
  }),
  states: {
    client: {
      initial: "idle",
      states: {
        idle: {
          on: {
            "client.message": { target: "connecting", actions: "queue" },
            "session.ended": { target: "done", actions: "markEnded" },
          },
        },
        connecting: {
          entry: "openConnection",
          on: {
            "client.connected": [
              { guard: and(["ours", "ended"]), target: "closing" },
              { guard: "ours", target: "requesting" },
            ],
            "client.message": { actions: "queue" },
            "session.ended": { actions: "markEnded" },
          },
        },
        requesting: {
          entry: "sendRequest",
          on: {
            "client.received": [
              { guard: and(["ours", "ended"]), target: "closing", actions: "countAnswer" },
              { guard: and(["ours", "moreWaiting"]), target: "requesting", reenter: true, actions: "countAnswer" },
              { guard: "ours", target: "ready", actions: "countAnswer" },
            ],
            "client.stream-ended": [
              { guard: and(["ours", "ended"]), target: "done", actions: "forgetConnection" },
              { guard: "ours", target: "connecting", actions: ["noteRetry", "forgetConnection"] },
            ],
            "client.message": { actions: "queue" },
            "session.ended": { actions: "markEnded" },
          },
        },
        ready: {
          on: {
            "client.message": { target: "requesting", actions: "queue" },
            "client.stream-ended": { guard: "ours", target: "idle", actions: "forgetConnection" },
            "session.ended": { target: "closing", actions: "markEnded" },
          },
        },
        closing: {
          entry: "closeConnection",
          on: { "connection.closed": { guard: "ours", target: "done" } },
        },
        done: {},
      },
    },
    server: {
      initial: "listening",
      states: {
        listening: {
          on: {
            "server.received": [
              { guard: "onClosedConnection", actions: "noteLate" },
              { target: "keepingAlive", actions: ["respond", "rememberServing"] },
            ],
          },
        },
        keepingAlive: {
          after: { keepAliveTimeout: { target: "listening", actions: ["closeIdle", "markClosed"] } },
          on: {
            "server.received": [
              { guard: "onClosedConnection", actions: "noteLate" },
              { target: "keepingAlive", reenter: true, actions: ["respond", "rememberServing"] },
            ],
            "server.stream-ended": { guard: "onServedConnection", target: "listening", actions: "forgetServing" },
          },
        },
      },
    },
  },
});
