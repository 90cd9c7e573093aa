// The life of one person's connection to a classroom room (/lab/room), without any DOM:
//
//   idle ──create / join / resume──► session.connecting ──opened──► session.greeting
//   session.greeting ──created / joined──► session.inRoom          (the room protocol's welcome)
//   session.greeting ──error──► close the socket; back to idle with the refusal for the form
//                               (or `ended` if this was a comeback the lab no longer accepts)
//   any socket close ──► decide: left on purpose → idle; room closed, removed (4001), replaced
//                        (4002), refused (1008), too big (1009), too fast (1013) → ended;
//                        anything else (1006 network, 1001 restart, 1011, 1012) → reconnecting
//   reconnecting ──backoff──► session again, now as `teach` (teacher key) or `join` with the
//                  resume token, at most `backoff.attempts` times in a row → then ended
//
// The socket is an actor the widget provides (a real WebSocket opened through the wire tap,
// so the reader can see its frames); tests give a fake. It takes { type: "send", data } and
// { type: "close", code?, reason? } and reports socket.* events like the echo console's.
// Context keeps what the room looks like from here: who I am, participants, recent messages,
// the lab's traffic figures, and what this page itself sent and received.
import { assign, fromCallback, sendTo, setup, type ActorRefFrom, type SnapshotFrom } from "xstate";
import type { EchoEvent, SocketCommand } from "./echo-connection.ts";
import {
  applyPresence,
  parseServerMessage,
  type BarredParticipant,
  type ClientMessage,
  type ErrorCode,
  type Participant,
  type Role,
  type RoomMessage,
  type ServerMessage,
} from "../protocol/room-protocol.ts";
import { utf8ByteLength } from "../protocol/utf8-length.ts";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from "../protocol/reconnect-backoff.ts";
import { roomEnding } from "../protocol/room-close-policy.ts";

export type TeacherRequest = Extract<ClientMessage, { type: "remove" | "readmit" | "lock" | "close-room" | "follow" }>;

/** What to say right after the socket opens. */
export type Intent =
  | { type: "create" }
  | { type: "teach"; code: string; teacherKey: string }
  | { type: "join"; code: string; nickname: string; resume?: string };

export interface RoomStats {
  messages: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
}

export interface Refusal {
  code: ErrorCode;
  message: string;
  /** Which request was refused: the welcome (create/join/teach) or something said in the room. */
  during: "greeting" | "room";
  at: number;
}

/** Why the room ended for this page, as facts; the widget turns them into words. */
export type EndReason =
  | { kind: "room-closed"; reason: string }
  | { kind: "closed"; code: number; reason: string; wasClean: boolean }
  | { kind: "refused"; refusal: Refusal }
  | { kind: "gave-up"; attempts: number; code: number; reason: string };

export interface RoomContext {
  url: string;
  backoff: BackoffSettings;
  random: () => number;
  intent: Intent | null;
  /** True once the lab welcomed this person; later connections are comebacks. */
  welcomed: boolean;
  /** True once the lab welcomed this connection (created/joined); reset for each new socket. */
  greeted: boolean;
  role: Role | null;
  code: string | null;
  teacherKey: string | null;
  resume: string | null;
  you: Participant | null;
  participants: Participant[];
  messages: RoomMessage[];
  /** Messages dropped from the front of `messages` to keep it bounded. */
  droppedMessages: number;
  stats: RoomStats | null;
  follow: { lesson: string; hash: string; at: number } | null;
  /** The teacher's view of the room's door: locked to newcomers, and who was removed. */
  roomState: { locked: boolean; barred: BarredParticipant[] } | null;
  /** The teacher's current class prediction (answered on the lesson's prediction card). */
  poll: { id: number; lesson: string; card: string; question: string; open: boolean } | null;
  /** Reconnect attempts in the current outage (0 while connected). */
  attempt: number;
  /** The wait before the pending attempt, for the status line. */
  nextDelayMs: number;
  refusal: Refusal | null;
  lastClose: { code: number; reason: string; wasClean: boolean } | null;
  /** The close that started the current outage (later failed attempts usually say only 1006). */
  outageCause: { code: number; reason: string; wasClean: boolean } | null;
  roomClosedReason: string | null;
  leaving: boolean;
  end: EndReason | null;
  /** Room messages this page sent and received over all its connections (payload bytes as UTF-8). */
  traffic: { sent: number; received: number; sentBytes: number; receivedBytes: number };
  /** Server messages that did not match the protocol (ignored, counted). */
  unreadable: number;
}

export type RoomEvent =
  | { type: "room.create" }
  /** `resume` here is a token the teacher barred (see classroom-session.ts): the lab keeps the ban. */
  | { type: "room.join"; code: string; nickname: string; resume?: string }
  | { type: "room.resume"; intent: Intent }
  | { type: "room.say"; text: string }
  /** A teacher-only request (a student's page never sends one; the lab would refuse it with 1008). */
  | { type: "room.request"; message: TeacherRequest }
  | { type: "room.leave" }
  | { type: "room.retry" }
  | EchoEvent;

export interface RoomInput {
  url: string;
  backoff?: BackoffSettings;
  random?: () => number;
}

export const MAX_MESSAGES = 300;
export const CONNECT_TIMEOUT_MS = 10_000;

/** Close codes after which coming back on our own would be wrong: the one room policy (protocol/room-close-policy.ts). */
export function isFinalClose(code: number): boolean {
  return roomEnding(code) !== null;
}

function fresh(context: RoomContext): RoomContext {
  return {
    ...context,
    intent: null,
    welcomed: false,
    greeted: false,
    role: null,
    code: null,
    teacherKey: null,
    resume: null,
    you: null,
    participants: [],
    messages: [],
    droppedMessages: 0,
    stats: null,
    follow: null,
    roomState: null,
    poll: null,
    attempt: 0,
    nextDelayMs: 0,
    refusal: null,
    lastClose: null,
    outageCause: null,
    roomClosedReason: null,
    leaving: false,
    end: null,
  };
}

function withMessages(context: RoomContext, added: RoomMessage[]): Pick<RoomContext, "messages" | "droppedMessages"> {
  const known = new Set(context.messages.map((m) => m.id));
  const merged = [...context.messages, ...added.filter((m) => !known.has(m.id))].sort((a, b) => a.id - b.id);
  const overflow = Math.max(0, merged.length - MAX_MESSAGES);
  return { messages: overflow ? merged.slice(overflow) : merged, droppedMessages: context.droppedMessages + overflow };
}

/** The context after one message from the lab (already parsed). */
export function applyServerMessage(context: RoomContext, message: ServerMessage, at: number): Partial<RoomContext> {
  switch (message.type) {
    case "created":
      return {
        role: "teacher",
        code: message.code,
        teacherKey: message.teacherKey,
        you: message.you,
        participants: context.participants.length ? context.participants : [message.you],
        intent: { type: "teach", code: message.code, teacherKey: message.teacherKey },
        welcomed: true,
        greeted: true,
        attempt: 0,
        outageCause: null,
        refusal: null,
      };
    case "joined": {
      const code = context.intent && context.intent.type !== "create" ? context.intent.code : context.code;
      const role = message.you.role;
      return {
        role,
        code,
        you: message.you,
        resume: message.resume,
        participants: message.participants,
        ...withMessages(context, message.history),
        intent:
          role === "teacher"
            ? context.intent
            : code
              ? { type: "join", code, nickname: message.you.nickname, resume: message.resume }
              : context.intent,
        welcomed: true,
        greeted: true,
        attempt: 0,
        outageCause: null,
        refusal: null,
      };
    }
    case "presence":
      return { participants: applyPresence(context.participants, message.change, message.participant) };
    case "room-state":
      return { roomState: { locked: message.locked, barred: message.barred } };
    case "poll":
      return {
        poll: {
          id: message.id,
          lesson: message.lesson,
          card: message.card,
          question: message.question,
          open: message.open,
        },
      };
    case "tally":
      return {}; // shown by the prediction card in the lesson, not on the join page
    case "message":
      return withMessages(context, [{ id: message.id, from: message.from, text: message.text, at: message.at }]);
    case "follow":
      return { follow: { lesson: message.lesson, hash: message.hash, at: message.at } };
    case "stats":
      return {
        stats: {
          messages: message.messages,
          framesIn: message.framesIn,
          framesOut: message.framesOut,
          bytesIn: message.bytesIn,
          bytesOut: message.bytesOut,
        },
      };
    case "room-closed":
      return { roomClosedReason: message.reason };
    case "error":
      return {
        refusal: { code: message.code, message: message.message, during: context.greeted ? "room" : "greeting", at },
      };
  }
}

function received(context: RoomContext, data: string | Uint8Array): Pick<RoomContext, "traffic"> {
  const bytes = typeof data === "string" ? utf8ByteLength(data) : data.byteLength;
  return {
    traffic: {
      ...context.traffic,
      received: context.traffic.received + 1,
      receivedBytes: context.traffic.receivedBytes + bytes,
    },
  };
}

function sent(context: RoomContext, message: ClientMessage): Pick<RoomContext, "traffic"> {
  return {
    traffic: {
      ...context.traffic,
      sent: context.traffic.sent + 1,
      sentBytes: context.traffic.sentBytes + utf8ByteLength(JSON.stringify(message)),
    },
  };
}

function greetingFor(intent: Intent | null): ClientMessage {
  if (!intent || intent.type === "create") return { type: "create" };
  if (intent.type === "teach") return { type: "teach", code: intent.code, teacherKey: intent.teacherKey };
  return intent.resume
    ? { type: "join", code: intent.code, nickname: intent.nickname, resume: intent.resume }
    : { type: "join", code: intent.code, nickname: intent.nickname };
}

const sendCommand = (message: ClientMessage): SocketCommand => ({ type: "send", data: JSON.stringify(message) });

type SocketClosed = Extract<RoomEvent, { type: "socket.closed" }>;

export const roomConnectionMachine = setup({
  types: {
    context: {} as RoomContext,
    events: {} as RoomEvent,
    input: {} as RoomInput,
  },
  actors: {
    socket: fromCallback<SocketCommand, { url: string }>(() => () => {}),
  },
  delays: {
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectDelay: ({ context }) => context.nextDelayMs,
  },
  guards: {
    leaving: ({ context }) => context.leaving,
    roomClosed: ({ context }) => context.roomClosedReason !== null,
    refusedAtGreeting: ({ context }) => context.refusal?.during === "greeting",
    refusedComeback: ({ context }) => context.refusal?.during === "greeting" && context.welcomed,
    finalClose: ({ context }) => context.lastClose !== null && isFinalClose(context.lastClose.code),
    canRetry: ({ context }) => context.intent !== null && context.attempt < context.backoff.attempts,
    isTeacher: ({ context }) => context.role === "teacher",
  },
}).createMachine({
  id: "roomConnection",
  context: ({ input }) =>
    fresh({
      url: input.url,
      backoff: input.backoff ?? DEFAULT_BACKOFF,
      random: input.random ?? Math.random,
      traffic: { sent: 0, received: 0, sentBytes: 0, receivedBytes: 0 },
      unreadable: 0,
    } as RoomContext),
  initial: "idle",
  states: {
    idle: {
      on: {
        "room.create": {
          target: "session",
          actions: assign(({ context }) => ({ ...fresh(context), intent: { type: "create" } as Intent })),
        },
        "room.join": {
          target: "session",
          actions: assign(({ context, event }) => ({
            ...fresh(context),
            intent: (event.resume
              ? { type: "join", code: event.code, nickname: event.nickname, resume: event.resume }
              : { type: "join", code: event.code, nickname: event.nickname }) as Intent,
          })),
        },
        "room.resume": {
          target: "session",
          actions: assign(({ context, event }) => ({
            ...fresh(context),
            intent: event.intent,
            welcomed: true,
            role: event.intent.type === "join" ? "student" : "teacher",
            code: event.intent.type === "create" ? null : event.intent.code,
          })),
        },
      },
    },
    session: {
      entry: assign({
        lastClose: null,
        roomClosedReason: null,
        leaving: false,
        end: null,
        refusal: null,
        greeted: false,
      }),
      invoke: { id: "socket", src: "socket", input: ({ context }) => ({ url: context.url }) },
      initial: "connecting",
      on: {
        "socket.closed": {
          target: "afterClose",
          actions: assign({
            lastClose: ({ event }) => ({
              code: (event as SocketClosed).code,
              reason: (event as SocketClosed).reason,
              wasClean: (event as SocketClosed).wasClean,
            }),
          }),
        },
        "room.leave": {
          actions: [
            assign({ leaving: true }),
            sendTo("socket", { type: "close", code: 1000, reason: "Left the room" } satisfies SocketCommand),
          ],
        },
      },
      states: {
        connecting: {
          on: { "socket.opened": { target: "greeting" } },
          after: { connectTimeout: { actions: sendTo("socket", { type: "close" } satisfies SocketCommand) } },
        },
        greeting: {
          entry: [
            assign(({ context }) => sent(context, greetingFor(context.intent))),
            sendTo("socket", ({ context }) => sendCommand(greetingFor(context.intent))),
          ],
          on: {
            "socket.message": [
              {
                actions: assign(({ context, event }) => {
                  if (typeof event.data !== "string") return received(context, event.data);
                  const parsed = parseServerMessage(event.data);
                  if (!parsed) return { ...received(context, event.data), unreadable: context.unreadable + 1 };
                  return { ...received(context, event.data), ...applyServerMessage(context, parsed, event.at) };
                }),
              },
            ],
          },
          always: [
            { guard: ({ context }) => context.greeted, target: "inRoom" },
            { guard: "refusedAtGreeting", target: "refused" },
          ],
        },
        refused: {
          // The lab keeps the socket open after a refusal; this page has no use for it.
          entry: sendTo("socket", { type: "close", code: 1000, reason: "Not joined" } satisfies SocketCommand),
        },
        inRoom: {
          on: {
            "socket.message": {
              actions: assign(({ context, event }) => {
                if (typeof event.data !== "string") return received(context, event.data);
                const parsed = parseServerMessage(event.data);
                if (!parsed) return { ...received(context, event.data), unreadable: context.unreadable + 1 };
                return { ...received(context, event.data), ...applyServerMessage(context, parsed, event.at) };
              }),
            },
            "room.say": {
              actions: [
                assign(({ context, event }) => ({
                  ...sent(context, { type: "say", text: event.text }),
                  refusal: null,
                })),
                sendTo("socket", ({ event }) => sendCommand({ type: "say", text: event.text })),
              ],
            },
            "room.request": {
              guard: "isTeacher",
              actions: [
                assign(({ context, event }) => sent(context, event.message)),
                sendTo("socket", ({ event }) => sendCommand(event.message)),
              ],
            },
          },
        },
      },
    },
    afterClose: {
      always: [
        { guard: "leaving", target: "idle", actions: assign(({ context }) => ({ ...fresh(context) })) },
        {
          guard: "roomClosed",
          target: "ended",
          actions: assign({
            end: ({ context }) => ({ kind: "room-closed", reason: context.roomClosedReason ?? "" }) as EndReason,
          }),
        },
        {
          guard: "refusedComeback",
          target: "ended",
          actions: assign({ end: ({ context }) => ({ kind: "refused", refusal: context.refusal! }) as EndReason }),
        },
        // A first try the lab refused: back to the forms, which show why.
        {
          guard: "refusedAtGreeting",
          target: "idle",
          actions: assign(({ context }) => ({ ...fresh(context), refusal: context.refusal })),
        },
        {
          guard: "finalClose",
          target: "ended",
          actions: assign({
            end: ({ context }) =>
              ({
                kind: "closed",
                code: context.lastClose!.code,
                reason: context.lastClose!.reason,
                wasClean: context.lastClose!.wasClean,
              }) as EndReason,
          }),
        },
        {
          guard: "canRetry",
          target: "reconnecting",
          actions: assign(({ context }) => ({
            attempt: context.attempt + 1,
            nextDelayMs: backoffDelay(context.attempt + 1, context.random, context.backoff),
            outageCause: context.attempt === 0 ? context.lastClose : context.outageCause,
          })),
        },
        {
          target: "ended",
          actions: assign({
            end: ({ context }) =>
              ({
                kind: "gave-up",
                attempts: context.attempt,
                code: context.lastClose?.code ?? 1006,
                reason: context.lastClose?.reason ?? "",
              }) as EndReason,
          }),
        },
      ],
    },
    reconnecting: {
      after: { reconnectDelay: { target: "session" } },
      on: {
        "room.retry": { target: "session" },
        "room.leave": { target: "idle", actions: assign(({ context }) => fresh(context)) },
      },
    },
    ended: {
      on: {
        "room.create": {
          target: "session",
          actions: assign(({ context }) => ({ ...fresh(context), intent: { type: "create" } as Intent })),
        },
        "room.join": {
          target: "session",
          actions: assign(({ context, event }) => ({
            ...fresh(context),
            intent: (event.resume
              ? { type: "join", code: event.code, nickname: event.nickname, resume: event.resume }
              : { type: "join", code: event.code, nickname: event.nickname }) as Intent,
          })),
        },
        // Come back as the same person (same key or resume token), after a 1013 or giving up.
        "room.retry": {
          guard: ({ context }) => context.intent !== null && context.intent.type !== "create",
          target: "session",
          actions: assign({ attempt: 0 }),
        },
        "room.resume": {
          target: "session",
          actions: assign(({ context, event }) => ({
            ...fresh(context),
            intent: event.intent,
            welcomed: true,
            role: event.intent.type === "join" ? "student" : "teacher",
            code: event.intent.type === "create" ? null : event.intent.code,
          })),
        },
        "room.leave": { target: "idle", actions: assign(({ context }) => fresh(context)) },
      },
    },
  },
});

export type RoomConnectionActor = ActorRefFrom<typeof roomConnectionMachine>;
export type RoomSnapshot = SnapshotFrom<typeof roomConnectionMachine>;

export type RoomPhase = "idle" | "connecting" | "in-room" | "closed";

/** The coarse state the element exposes as data-state. */
export function phaseOf(snapshot: Pick<RoomSnapshot, "matches">): RoomPhase {
  if (snapshot.matches({ session: "inRoom" })) return "in-room";
  if (snapshot.matches("session") || snapshot.matches("reconnecting") || snapshot.matches("afterClose"))
    return "connecting";
  if (snapshot.matches("ended")) return "closed";
  return "idle";
}
