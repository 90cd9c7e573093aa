// The echo console's lifecycle. The states mirror the readyState a browser's WebSocket reports
// (WHATWG WebSockets Standard): idle (no socket yet) → CONNECTING → OPEN → CLOSING → CLOSED,
// and CLOSED → CONNECTING again when the reader asks to reconnect.
//
// The machine never touches a socket itself. It invokes a `socket` actor, which the widget
// provides (a real browser WebSocket) and tests replace with a fake. The actor receives
// { type: "send", data } and { type: "close", code?, reason? } and reports back `socket.*`
// events, each stamped with `at`, the time in milliseconds on the page's clock.
//
// Context keeps one log, in order, of everything worth showing and announcing: state changes,
// messages sent and received (kind, size in bytes, content), errors, and the close report.
import { assign, fromCallback, sendTo, setup, type ActorRefFrom } from "xstate";
import { isCloseCodeAllowedFromPage } from "../protocol/close-codes.ts";
import { toHex } from "../protocol/hex.ts";
import { utf8ByteLength } from "../protocol/utf8-length.ts";

export type ReadyStateName = "CONNECTING" | "OPEN" | "CLOSING" | "CLOSED";
export type MessageKind = "text" | "binary";
export type MessageData = string | Uint8Array;

export type LogEntry =
  | { id: number; at: number; connection: number; type: "state"; state: ReadyStateName }
  | {
      id: number;
      at: number;
      connection: number;
      type: "message";
      direction: "sent" | "received";
      kind: MessageKind;
      bytes: number;
      content: string;
      truncated: boolean;
    }
  | { id: number; at: number; connection: number; type: "close"; code: number; reason: string; wasClean: boolean }
  | { id: number; at: number; connection: number; type: "error"; message: string };

export type NewLogEntry = LogEntry extends infer E
  ? E extends LogEntry
    ? Omit<E, "id" | "connection">
    : never
  : never;

export interface EchoContext {
  url: string;
  /** 1 for the first connection, 2 after the first reconnect, … */
  connection: number;
  /** Page time when the current connection attempt started; entries' `at` are absolute. */
  startedAt: number;
  log: LogEntry[];
  /** The most entries the log keeps (the newest): MAX_LOG_ENTRIES unless the input says otherwise. */
  logLimit: number;
  /** Entries dropped from the front of the log once it passed `logLimit`. */
  dropped: number;
  nextId: number;
  lastClose: { code: number; reason: string; wasClean: boolean } | null;
}

export type SocketCommand = { type: "send"; data: MessageData } | { type: "close"; code?: number; reason?: string };

export type EchoEvent =
  | { type: "connect.requested"; at: number }
  | { type: "message.send"; data: MessageData; at: number }
  | { type: "close.requested"; code?: number; reason?: string; at: number }
  | { type: "socket.opened"; at: number }
  | { type: "socket.closing"; at: number }
  | { type: "socket.message"; data: MessageData; at: number }
  | { type: "socket.errored"; at: number }
  | { type: "socket.closed"; code: number; reason: string; wasClean: boolean; at: number };

export const MAX_LOG_ENTRIES = 200;
/** Longest close reason a page may send: a control frame carries at most 125 bytes, 2 of them the code (RFC 6455 §5.5, §5.5.1). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** How much of a message the log keeps: enough to recognise it, bounded for huge messages. */
export const PREVIEW_CHARACTERS = 280;
export const PREVIEW_BYTES = 64;

export function describeMessage(data: MessageData): {
  kind: MessageKind;
  bytes: number;
  content: string;
  truncated: boolean;
} {
  if (typeof data === "string") {
    const truncated = data.length > PREVIEW_CHARACTERS;
    return {
      kind: "text",
      bytes: utf8ByteLength(data),
      content: truncated ? data.slice(0, PREVIEW_CHARACTERS) : data,
      truncated,
    };
  }
  const truncated = data.byteLength > PREVIEW_BYTES;
  return {
    kind: "binary",
    bytes: data.byteLength,
    content: toHex(truncated ? data.subarray(0, PREVIEW_BYTES) : data),
    truncated,
  };
}

/** Why a close request cannot be sent as asked, or null when it can. */
export function closeRequestProblem(code: number | undefined, reason: string | undefined): string | null {
  if (code !== undefined && !isCloseCodeAllowedFromPage(code)) {
    return `A page may only close with code 1000 or a code from 3000 to 4999; ${code} is reserved for the protocol and browsers refuse it.`;
  }
  if (reason !== undefined && reason !== "") {
    if (code === undefined) return "A close reason needs a close code to go with it.";
    const bytes = utf8ByteLength(reason);
    if (bytes > MAX_CLOSE_REASON_BYTES)
      return `The reason is ${bytes} bytes of UTF-8; a close frame has room for ${MAX_CLOSE_REASON_BYTES}.`;
  }
  return null;
}

export interface EchoInput {
  url: string;
  /**
   * The most log entries to keep; 0 for a widget that shows no log (the wire stage, the frame
   * inspector: they draw the tap's frames instead), which then costs nothing per message.
   */
  logLimit?: number;
}

function appended(context: EchoContext, entry: NewLogEntry): Pick<EchoContext, "log" | "nextId" | "dropped"> {
  const nextId = context.nextId + 1;
  if (context.logLimit === 0) return { log: context.log, nextId, dropped: context.dropped + 1 };
  // One copy of the kept entries (snapshots are never changed in place), already without the oldest.
  const overflow = Math.max(0, context.log.length + 1 - context.logLimit);
  const log = context.log.slice(overflow);
  log.push({ ...entry, id: context.nextId, connection: context.connection } as LogEntry);
  return { log, nextId, dropped: context.dropped + overflow };
}

export const echoConnectionMachine = setup({
  types: {
    context: {} as EchoContext,
    events: {} as EchoEvent,
    input: {} as EchoInput,
  },
  actors: {
    // Replaced by the widget (a real WebSocket) and by tests (a fake); see the opening comment.
    socket: fromCallback<SocketCommand, { url: string }>(() => () => {}),
  },
  delays: {
    /** A browser may wait minutes before giving up on an unreachable host; the console tells the reader much sooner. */
    connectTimeout: 10_000,
  },
  guards: {
    closeRequestValid: ({ event }) =>
      event.type === "close.requested" && closeRequestProblem(event.code, event.reason) === null,
  },
}).createMachine({
  id: "echoConnection",
  context: ({ input }) => ({
    url: input.url,
    connection: 0,
    startedAt: 0,
    log: [],
    logLimit: input.logLimit ?? MAX_LOG_ENTRIES,
    dropped: 0,
    nextId: 1,
    lastClose: null,
  }),
  initial: "idle",
  states: {
    idle: {
      on: { "connect.requested": { target: "session" } },
    },
    session: {
      entry: assign(({ context, event }) => {
        const next = { ...context, connection: context.connection + 1, startedAt: event.at, lastClose: null };
        return { ...next, ...appended(next, { type: "state", state: "CONNECTING", at: event.at }) };
      }),
      invoke: { id: "socket", src: "socket", input: ({ context }) => ({ url: context.url }) },
      initial: "connecting",
      on: {
        "socket.errored": {
          actions: assign(({ context, event }) =>
            appended(context, {
              type: "error",
              message: "The browser reported an error on this connection (browsers do not say which, on purpose).",
              at: event.at,
            }),
          ),
        },
        "socket.closed": { target: "closed" },
      },
      states: {
        connecting: {
          on: {
            "socket.opened": {
              target: "open",
              actions: assign(({ context, event }) =>
                appended(context, { type: "state", state: "OPEN", at: event.at }),
              ),
            },
          },
          after: {
            connectTimeout: {
              actions: [
                assign(({ context }) =>
                  appended(context, {
                    type: "error",
                    message: "No answer from the lab after 10 seconds: giving up. Is the server running?",
                    at: context.startedAt + 10_000,
                  }),
                ),
                sendTo("socket", { type: "close" }),
              ],
            },
          },
        },
        open: {
          on: {
            "message.send": {
              actions: [
                assign(({ context, event }) =>
                  appended(context, {
                    type: "message",
                    direction: "sent",
                    ...describeMessage(event.data),
                    at: event.at,
                  }),
                ),
                sendTo("socket", ({ event }) => ({ type: "send" as const, data: event.data })),
              ],
            },
            "socket.message": {
              actions: assign(({ context, event }) =>
                appended(context, {
                  type: "message",
                  direction: "received",
                  ...describeMessage(event.data),
                  at: event.at,
                }),
              ),
            },
            "close.requested": [
              {
                guard: "closeRequestValid",
                actions: sendTo("socket", ({ event }) => ({
                  type: "close" as const,
                  code: event.code,
                  reason: event.reason,
                })),
              },
              {
                actions: assign(({ context, event }) =>
                  appended(context, {
                    type: "error",
                    message: closeRequestProblem(event.code, event.reason) ?? "",
                    at: event.at,
                  }),
                ),
              },
            ],
            "socket.closing": {
              target: "closing",
              actions: assign(({ context, event }) =>
                appended(context, { type: "state", state: "CLOSING", at: event.at }),
              ),
            },
          },
        },
        closing: {
          on: {
            // Messages already in flight can still arrive while the close handshake runs (RFC 6455 §7.1.4).
            "socket.message": {
              actions: assign(({ context, event }) =>
                appended(context, {
                  type: "message",
                  direction: "received",
                  ...describeMessage(event.data),
                  at: event.at,
                }),
              ),
            },
          },
        },
      },
    },
    closed: {
      entry: assign(({ context, event }) => {
        if (event.type !== "socket.closed") return {};
        const withClose = appended(context, {
          type: "close",
          code: event.code,
          reason: event.reason,
          wasClean: event.wasClean,
          at: event.at,
        });
        const withState = appended({ ...context, ...withClose }, { type: "state", state: "CLOSED", at: event.at });
        return { ...withState, lastClose: { code: event.code, reason: event.reason, wasClean: event.wasClean } };
      }),
      on: { "connect.requested": { target: "session" } },
    },
  },
});

export type EchoConnectionActor = ActorRefFrom<typeof echoConnectionMachine>;

/** The readyState name for a machine state; null before the first connection. */
export function readyStateOf(value: unknown): ReadyStateName | null {
  if (value === "idle") return null;
  if (value === "closed") return "CLOSED";
  if (typeof value === "object" && value !== null && "session" in value) {
    const inner = (value as { session: string }).session;
    return inner === "connecting" ? "CONNECTING" : inner === "open" ? "OPEN" : "CLOSING";
  }
  return null;
}
