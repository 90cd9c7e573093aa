// A WebSocket session from TCP handshake to TCP close. The client sends an HTTP/1.1 request
// with Upgrade: websocket on a fresh connection; the server answers 101 Switching Protocols
// and from then on the same connection carries frames both ways (RFC 6455 §4). The server
// pushes an unmasked frame (2 bytes of header for a small payload) whenever an event happens
// and echoes each client message; the client's frames are masked (4 more header bytes,
// §5.3). The server pings every `pingInterval` and the client answers with a pong (§5.5.2),
// as browsers do without telling the page. When the reader leaves, the client sends a close
// frame, the server answers with one and closes the TCP connection first (§5.5.1, §7.1.1).
//
//   client  connecting → upgrading → open → closing → closed
//   server  handshake (collecting events) → open → closed
import { assign, setup } from "xstate";
import { encodeClosePayload, OPCODE } from "../protocol/frame.ts";
import type { ConnectionEvent, Connections } from "../sim/connection.ts";
import type { WorldEvent } from "../sim/world-events.ts";
import { eventPayload, switchingProtocols, upgradeRequest, wsFrame } from "../sim/wire-messages.ts";

export interface WebSocketSessionInput {
  connections: Connections;
  pingIntervalMs: number;
}

interface WebSocketSessionContext extends WebSocketSessionInput {
  connection: number;
  /** Server: events that happened before the 101 was sent. */
  pendingEvents: number[];
  /** Client: messages the page sent before the socket was open (a browser would refuse them; the simulation delays them). */
  pendingMessages: number[];
  ended: boolean;
}

/** What the page sends as message `index`; the server echoes the same text. */
export const clientMessageText = (index: number): string => `hello ${index}`;

const frameArrived =
  (opcode: number) =>
  ({ event }: { event: ConnectionEvent | WorldEvent }) =>
    (event.type === "client.received" || event.type === "server.received") &&
    event.unit.kind === "frame" &&
    event.unit.opcode === opcode;

/** Close code 1000, normal closure (RFC 6455 §7.4.1), in a close frame's body. */
const NORMAL_CLOSURE = encodeClosePayload(1000);

export const websocketSessionMachine = setup({
  types: {
    context: {} as WebSocketSessionContext,
    events: {} as ConnectionEvent | WorldEvent,
    input: {} as WebSocketSessionInput,
  },
  delays: {
    pingInterval: ({ context }) => context.pingIntervalMs,
  },
  guards: {
    ended: ({ context }) => context.ended,
    isUpgrade: ({ event }) => event.type === "server.received" && event.unit.kind === "upgrade",
    isText: frameArrived(OPCODE.text),
    isPing: frameArrived(OPCODE.ping),
    isClose: frameArrived(OPCODE.close),
  },
  actions: {
    openConnection: ({ context }) => void context.connections.open(),
    rememberConnection: assign(({ event }) =>
      event.type === "client.connected" ? { connection: event.connection } : {},
    ),
    sendUpgrade: ({ context }) => context.connections.send(context.connection, "client", upgradeRequest()),
    markEnded: assign({ ended: true }),
    queueMessage: assign(({ context, event }) =>
      event.type === "client.message" ? { pendingMessages: [...context.pendingMessages, event.index] } : {},
    ),
    sendQueuedMessages: ({ context }) => {
      for (const index of context.pendingMessages)
        context.connections.send(
          context.connection,
          "client",
          wsFrame("client", OPCODE.text, clientMessageText(index)),
        );
    },
    clearQueuedMessages: assign({ pendingMessages: [] }),
    sendMessage: ({ context, event }) => {
      if (event.type === "client.message")
        context.connections.send(
          context.connection,
          "client",
          wsFrame("client", OPCODE.text, clientMessageText(event.index)),
        );
    },
    answerPing: ({ context }) =>
      context.connections.send(
        context.connection,
        "client",
        wsFrame("client", OPCODE.pong, new Uint8Array(0), { label: "pong" }),
      ),
    clientClose: ({ context }) =>
      context.connections.send(
        context.connection,
        "client",
        wsFrame("client", OPCODE.close, NORMAL_CLOSURE, { label: "close frame 1000" }),
      ),
    collect: assign(({ context, event }) =>
      event.type === "server.event" ? { pendingEvents: [...context.pendingEvents, event.eventId] } : {},
    ),
    accept: ({ context }) => {
      context.connections.send(context.connection, "server", switchingProtocols());
      for (const id of context.pendingEvents)
        context.connections.send(
          context.connection,
          "server",
          wsFrame("server", OPCODE.text, eventPayload(id), { label: `text frame: event ${id}`, carriesEvents: [id] }),
        );
    },
    clearPendingEvents: assign({ pendingEvents: [] }),
    push: ({ context, event }) => {
      if (event.type === "server.event") {
        context.connections.send(
          context.connection,
          "server",
          wsFrame("server", OPCODE.text, eventPayload(event.eventId), {
            label: `text frame: event ${event.eventId}`,
            carriesEvents: [event.eventId],
          }),
        );
      }
    },
    echo: ({ context, event }) => {
      if (event.type !== "server.received") return;
      context.connections.send(context.connection, "server", wsFrame("server", OPCODE.text, event.unit.text ?? ""));
    },
    ping: ({ context }) =>
      context.connections.send(
        context.connection,
        "server",
        wsFrame("server", OPCODE.ping, new Uint8Array(0), { label: "ping" }),
      ),
    serverClose: ({ context }) => {
      context.connections.send(
        context.connection,
        "server",
        wsFrame("server", OPCODE.close, NORMAL_CLOSURE, { label: "close frame 1000" }),
      );
      // The server closes TCP first, so that it, not the client, holds TIME-WAIT (RFC 6455 §7.1.1).
      context.connections.close(context.connection, "server");
    },
  },
}).createMachine({
  id: "websocket",
  type: "parallel",
  context: ({ input }) => ({ ...input, connection: 0, pendingEvents: [], pendingMessages: [], ended: false }),
  states: {
    client: {
      initial: "connecting",
      on: {
        "session.ended": { actions: "markEnded" },
        "client.message": { actions: "queueMessage" },
      },
      states: {
        connecting: {
          entry: "openConnection",
          on: { "client.connected": { target: "upgrading", actions: "rememberConnection" } },
        },
        upgrading: {
          entry: "sendUpgrade",
          on: {
            "client.received": [
              { guard: "ended", target: "closing" },
              { target: "open", actions: ["sendQueuedMessages", "clearQueuedMessages"] },
            ],
          },
        },
        open: {
          on: {
            "client.message": { actions: "sendMessage" },
            "client.received": { guard: "isPing", actions: "answerPing" },
            "session.ended": { target: "closing", actions: "markEnded" },
          },
        },
        closing: {
          entry: "clientClose",
          // Frames already in flight may still arrive (§7.1.4); the server's FIN ends it.
          on: { "client.stream-ended": { target: "closed" } },
        },
        closed: {},
      },
    },
    server: {
      initial: "handshake",
      states: {
        handshake: {
          on: {
            "server.event": { actions: "collect" },
            "server.received": { guard: "isUpgrade", target: "open", actions: ["accept", "clearPendingEvents"] },
          },
        },
        open: {
          after: { pingInterval: { target: "open", reenter: true, actions: "ping" } },
          on: {
            "server.event": { actions: "push" },
            "server.received": [
              { guard: "isText", actions: "echo" },
              { guard: "isClose", target: "closed", actions: "serverClose" },
            ],
          },
        },
        closed: {},
      },
    },
  },
});
