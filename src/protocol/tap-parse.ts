// Reading tap events from untrusted text: the monitor socket, or a recording a reader loads
// from a file. Every field is checked against the format in tap-events.ts; anything else is
// an error value naming what was wrong, never an exception and never a half-trusted object.
import type { FourTuple, TapEvent } from "./tap-events.ts";

export type TapParseResult = { ok: true; event: TapEvent } | { ok: false; error: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown): v is number => isNum(v) && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown, max = 1 << 22): v is string => typeof v === "string" && v.length <= max;
const isBase64 = (v: unknown): v is string => isStr(v) && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0;

function isTuple(v: unknown): v is FourTuple {
  return (
    isObj(v) &&
    isStr(v.clientAddress, 100) &&
    isCount(v.clientPort) &&
    isStr(v.serverAddress, 100) &&
    isCount(v.serverPort)
  );
}

/** Validates an already-parsed value as a tap event. */
export function toTapEvent(value: unknown): TapParseResult {
  const fail = (error: string): TapParseResult => ({ ok: false, error });
  if (!isObj(value)) return fail("an event must be a JSON object");
  const e = value;
  switch (e.type) {
    case "hello":
      if (!isNum(e.v) || !isStr(e.token, 64) || !isObj(e.limits)) return fail("hello needs v, token and limits");
      if (
        !isCount(e.limits.captureBytes) ||
        !isCount(e.limits.eventsPerSecond) ||
        !isCount(e.limits.monitorBufferBytes)
      )
        return fail("hello limits must be counts");
      return {
        ok: true,
        event: {
          type: "hello",
          v: e.v,
          token: e.token,
          limits: {
            captureBytes: e.limits.captureBytes,
            eventsPerSecond: e.limits.eventsPerSecond,
            monitorBufferBytes: e.limits.monitorBufferBytes,
          },
        },
      };
    case "open":
      if (!isNum(e.t) || !isCount(e.specimen) || !isStr(e.path, 2048) || !isTuple(e.tuple))
        return fail("open needs t, specimen, path and tuple");
      return {
        ok: true,
        event: {
          type: "open",
          t: e.t,
          specimen: e.specimen,
          path: e.path,
          tuple: {
            clientAddress: e.tuple.clientAddress,
            clientPort: e.tuple.clientPort,
            serverAddress: e.tuple.serverAddress,
            serverPort: e.tuple.serverPort,
          },
        },
      };
    case "request":
    case "response":
      if (!isNum(e.t) || !isCount(e.specimen) || e.offset !== 0 || !isBase64(e.data))
        return fail(`${e.type} needs t, specimen, offset 0 and base64 data`);
      return { ok: true, event: { type: e.type, t: e.t, specimen: e.specimen, offset: 0, data: e.data } };
    case "chunk": {
      if (
        !isNum(e.t) ||
        !isCount(e.specimen) ||
        (e.dir !== "in" && e.dir !== "out") ||
        !isCount(e.offset) ||
        !isCount(e.length)
      ) {
        return fail("chunk needs t, specimen, dir, offset and length");
      }
      if (e.data !== undefined && !isBase64(e.data)) return fail("chunk data must be base64");
      if (e.data === undefined && e.truncated !== true) return fail("a chunk without data must say truncated");
      const event: TapEvent = {
        type: "chunk",
        t: e.t,
        specimen: e.specimen,
        dir: e.dir,
        offset: e.offset,
        length: e.length,
      };
      if (e.data !== undefined) event.data = e.data;
      if (e.truncated === true) event.truncated = true;
      return { ok: true, event };
    }
    case "close":
      if (
        !isNum(e.t) ||
        !isCount(e.specimen) ||
        !isCount(e.code) ||
        !isStr(e.reason, 1024) ||
        typeof e.wasClean !== "boolean"
      )
        return fail("close needs t, specimen, code, reason and wasClean");
      if (e.initiator !== "client" && e.initiator !== "server" && e.initiator !== "network")
        return fail("close initiator must be client, server or network");
      return {
        ok: true,
        event: {
          type: "close",
          t: e.t,
          specimen: e.specimen,
          code: e.code,
          reason: e.reason,
          initiator: e.initiator,
          wasClean: e.wasClean,
        },
      };
    case "command":
      if (
        !isNum(e.t) ||
        !isCount(e.specimen) ||
        !isStr(e.command, 32) ||
        typeof e.ok !== "boolean" ||
        !isStr(e.detail, 1024)
      )
        return fail("command needs t, specimen, command, ok and detail");
      return {
        ok: true,
        event: { type: "command", t: e.t, specimen: e.specimen, command: e.command, ok: e.ok, detail: e.detail },
      };
    case "dropped":
      if (!isNum(e.t) || !isCount(e.events) || !isCount(e.bytes)) return fail("dropped needs t, events and bytes");
      return { ok: true, event: { type: "dropped", t: e.t, events: e.events, bytes: e.bytes } };
    case "error":
      if (!isNum(e.t) || !isStr(e.message, 1024)) return fail("error needs t and message");
      return { ok: true, event: { type: "error", t: e.t, message: e.message } };
    default:
      return fail(`unknown event type ${JSON.stringify(String(e.type)).slice(0, 40)}`);
  }
}

/** The events of one monitor message, which holds a batch (an array); and what was wrong with any that could not be read. */
export interface TapMessage {
  events: TapEvent[];
  errors: string[];
}

/** Most events one message may hold: far more than a turn of the lab's event loop produces, far fewer than would hurt. */
export const MAX_BATCH_EVENTS = 10_000;

export function parseTapMessage(text: string): TapMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { events: [], errors: ["not JSON"] };
  }
  // A single event (the format before batches) is read as a batch of one.
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_BATCH_EVENTS)
    return { events: [], errors: [`a batch of ${items.length} events is more than ${MAX_BATCH_EVENTS}`] };
  const message: TapMessage = { events: [], errors: [] };
  for (const item of items) {
    const parsed = toTapEvent(item);
    if (parsed.ok) message.events.push(parsed.event);
    else message.errors.push(parsed.error);
  }
  return message;
}
