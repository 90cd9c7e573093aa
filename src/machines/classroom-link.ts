// The classroom bar's link to its room: one WebSocket to /lab/room that says who this tab is
// (`teach` with the teacher key, or `join` with the student's resume token) and stays until
// the person leaves or the room ends. A network blip (any close the lab did not mean as an
// ending) reconnects after a growing, bounded delay with the same credentials.
//
//   online.opening ──created/joined──► online.connected
//        │ ▲                                 │
//   close│ └──────── reconnectDelay ─────────┤ close (blip)      ──► waiting ──► online
//        ▼                                   ▼
//   closed: left · room-closed (1000) · removed (4001) · replaced (4002) · refused (1008)
//           · too-big (1009) · too-fast (1013): the one room policy, protocol/room-close-policy.ts
//           · rejected (an error answering the greeting) · unreachable (too many attempts)
//
// The socket is an actor the widget provides (websocket-actor.ts); messages from the lab are
// parsed here and passed on as emitted `server.message` events, so the widget decides what a
// `follow` does to its page.
import { assign, emit, fromCallback, raise, sendTo, setup } from "xstate";
import { parseServerMessage, type ClientMessage, type ServerMessage } from "../protocol/room-protocol.ts";
import type { EchoEvent, SocketCommand } from "./echo-connection.ts";
import { roomEnding, type RoomEnding } from "../protocol/room-close-policy.ts";

export type LinkIdentity =
  | { role: "teacher"; code: string; teacherKey: string }
  | { role: "student"; code: string; nickname: string; resume: string };

export type LinkOutcome = "left" | RoomEnding | "rejected" | "unreachable";

export interface ClassroomLinkContext {
  identity: LinkIdentity;
  url: string;
  /** Reconnection attempts since the link last worked. */
  attempt: number;
  /** Why the link ended (in the `closed` state). */
  outcome: LinkOutcome | null;
  /** The lab's own words about the ending: a close reason, a room-closed reason, an error message. */
  detail: string;
  closeCode: number | null;
}

export type ClassroomLinkEvent =
  | Extract<
      EchoEvent,
      { type: "socket.opened" | "socket.message" | "socket.errored" | "socket.closing" | "socket.closed" }
    >
  | { type: "link.send"; message: ClientMessage }
  | { type: "link.leave" }
  | { type: "link.left" }
  | { type: "link.retry" };

export type ClassroomLinkEmitted = { type: "server.message"; message: ServerMessage };

export interface ClassroomLinkInput {
  identity: LinkIdentity;
  url: string;
}

/** Attempts before the bar stops trying on its own (the reader can still press Reconnect). */
export const MAX_ATTEMPTS = 8;

/** 0.5 s, 1 s, 2 s, 4 s, then every 8 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 8_000);
}

function greeting(identity: LinkIdentity): ClientMessage {
  return identity.role === "teacher"
    ? { type: "teach", code: identity.code, teacherKey: identity.teacherKey }
    : { type: "join", code: identity.code, nickname: identity.nickname, resume: identity.resume };
}

const parsed = (event: ClassroomLinkEvent): ServerMessage | null =>
  event.type === "socket.message" && typeof event.data === "string" ? parseServerMessage(event.data) : null;
const closeCode = (event: ClassroomLinkEvent): number | null => (event.type === "socket.closed" ? event.code : null);

export const classroomLinkMachine = setup({
  types: {
    context: {} as ClassroomLinkContext,
    events: {} as ClassroomLinkEvent,
    input: {} as ClassroomLinkInput,
    emitted: {} as ClassroomLinkEmitted,
  },
  actors: {
    socket: fromCallback<SocketCommand, { url: string }>(() => () => {}),
  },
  delays: {
    reconnectDelay: ({ context }) => reconnectDelayMs(context.attempt),
  },
  guards: {
    isWelcome: ({ event }) => {
      const message = parsed(event);
      return message?.type === "created" || message?.type === "joined";
    },
    isRoomClosed: ({ event }) => parsed(event)?.type === "room-closed",
    isError: ({ event }) => parsed(event)?.type === "error",
    isRateLimited: ({ event }) => {
      const message = parsed(event);
      return message?.type === "error" && message.code === "rate-limited";
    },
    isServerMessage: ({ event }) => parsed(event) !== null,
    // The one room policy (protocol/room-close-policy.ts), shared with the classroom page.
    endingClose: ({ event }) => roomEnding(closeCode(event) ?? 0) !== null,
    givenUp: ({ context }) => context.attempt >= MAX_ATTEMPTS,
  },
  actions: {
    greet: sendTo(
      "socket",
      ({ context }) => ({ type: "send", data: JSON.stringify(greeting(context.identity)) }) satisfies SocketCommand,
    ),
    forward: sendTo(
      "socket",
      ({ event }) =>
        ({
          type: "send",
          data: event.type === "link.send" ? JSON.stringify(event.message) : "",
        }) satisfies SocketCommand,
    ),
    sayGoodbye: sendTo("socket", { type: "close", code: 1000, reason: "Left the room" } satisfies SocketCommand),
    passOn: emit(({ event }) => ({ type: "server.message", message: parsed(event)! }) as ClassroomLinkEmitted),
    keepResume: assign(({ context, event }) => {
      const message = parsed(event);
      return message?.type === "joined" && context.identity.role === "student"
        ? { identity: { ...context.identity, resume: message.resume } }
        : {};
    }),
    settle: assign({ attempt: 0, outcome: null, detail: "", closeCode: null }),
    countAttempt: assign(({ context, event }) => ({ attempt: context.attempt + 1, closeCode: closeCode(event) })),
    /** Records why the link ended, in the lab's words when it gave any. */
    end: assign(({ event }, params: { outcome: LinkOutcome }) => {
      const message = parsed(event);
      const detail =
        event.type === "socket.closed"
          ? event.reason
          : message?.type === "room-closed"
            ? message.reason
            : message?.type === "error"
              ? message.message
              : "";
      const code = closeCode(event);
      return { outcome: (code !== null && roomEnding(code)) || params.outcome, detail, closeCode: code };
    }),
  },
}).createMachine({
  id: "classroomLink",
  context: ({ input }) => ({
    identity: input.identity,
    url: input.url,
    attempt: 0,
    outcome: null,
    detail: "",
    closeCode: null,
  }),
  initial: "online",
  states: {
    online: {
      invoke: { id: "socket", src: "socket", input: ({ context }) => ({ url: context.url }) },
      initial: "opening",
      on: {
        "socket.message": [
          {
            guard: "isRoomClosed",
            target: "closed",
            actions: ["passOn", { type: "end", params: { outcome: "room-closed" } }],
          },
          { guard: "isServerMessage", actions: "passOn" },
        ],
        "socket.closed": [
          { guard: "endingClose", target: "closed", actions: { type: "end", params: { outcome: "refused" } } },
          { guard: "givenUp", target: "closed", actions: { type: "end", params: { outcome: "unreachable" } } },
          { target: "waiting", actions: "countAttempt" },
        ],
        // Say goodbye while the socket is still there, then go.
        "link.leave": {
          actions: ["sayGoodbye", { type: "end", params: { outcome: "left" } }, raise({ type: "link.left" })],
        },
        "link.left": { target: "closed" },
      },
      states: {
        opening: {
          on: {
            "socket.opened": { actions: "greet" },
            "socket.message": [
              { guard: "isWelcome", target: "connected", actions: ["settle", "keepResume", "passOn"] },
              {
                guard: "isRoomClosed",
                target: "#classroomLink.closed",
                actions: ["passOn", { type: "end", params: { outcome: "room-closed" } }],
              },
              // Too many attempts from this address for now: wait, then try again.
              { guard: "isRateLimited", target: "#classroomLink.waiting", actions: ["passOn", "countAttempt"] },
              // Refused at the door (no such room, wrong key, name taken): trying again would not help.
              {
                guard: "isError",
                target: "#classroomLink.closed",
                actions: ["passOn", { type: "end", params: { outcome: "rejected" } }],
              },
              { guard: "isServerMessage", actions: "passOn" },
            ],
          },
        },
        connected: {
          on: {
            "link.send": { actions: "forward" },
          },
        },
      },
    },
    waiting: {
      after: { reconnectDelay: { target: "online" } },
      on: {
        "link.leave": { target: "closed", actions: { type: "end", params: { outcome: "left" } } },
        "link.retry": { target: "online", actions: "settle" },
      },
    },
    closed: {
      on: {
        "link.retry": { target: "online", actions: "settle" },
      },
    },
  },
});
