// Requests a monitor may send about its specimen (the list is in tap-events.ts): read from
// untrusted JSON text, checked field by field, then carried out with ws on the specimen.
// A malformed request is an error value with a reason, never an exception.
import type { WebSocket } from "ws";
import { describeCloseCode } from "../../protocol/close-codes.ts";
import type { TapCommand } from "../../protocol/tap-events.ts";
import { utf8ByteLength } from "../../protocol/utf8-length.ts";

/** Commands are a few dozen bytes; ws closes a monitor that sends a bigger message with 1009. */
export const MONITOR_MAX_MESSAGE_BYTES = 4 * 1024;

export const COMMAND_NAMES = ["ping", "fragmented", "binary", "close", "drop", "burst", "push", "hold-reads"] as const;

/** Long enough for a page to send a burst into the pause; short enough that nothing times out. */
export const HOLD_READS_MS = { min: 100, max: 2000 } as const;

/** A pushed event is a short notification, not a file: the same ceiling as a control frame's text keeps the log readable. */
export const MAX_PUSH_BYTES = 1024;

export type CommandParse = { ok: true; command: TapCommand } | { ok: false; error: string };

type Obj = Record<string, unknown>;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

export function parseCommand(text: string): CommandParse {
  const fail = (error: string): CommandParse => ({ ok: false, error });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('A monitor request must be JSON text, such as {"cmd":"ping","payload":"hello"}.');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail("A monitor request must be a JSON object with a cmd field.");
  const v = value as Obj;
  switch (v.cmd) {
    case "ping":
      if (typeof v.payload !== "string") return fail("ping needs a payload string (it may be empty).");
      if (utf8ByteLength(v.payload) > 125)
        return fail(
          `A ping payload may be at most 125 bytes (RFC 6455 §5.5); this one is ${utf8ByteLength(v.payload)} bytes of UTF-8.`,
        );
      return { ok: true, command: { cmd: "ping", payload: v.payload } };
    case "fragmented":
      if (typeof v.text !== "string") return fail("fragmented needs a text string.");
      if (!isInt(v.parts, 2, 16)) return fail("fragmented needs parts, a whole number from 2 to 16.");
      return { ok: true, command: { cmd: "fragmented", text: v.text, parts: v.parts } };
    case "binary":
      if (!isInt(v.length, 1, 65536)) return fail("binary needs length, a whole number from 1 to 65536.");
      return { ok: true, command: { cmd: "binary", length: v.length } };
    case "close": {
      if (!isInt(v.code, 1000, 4999) || !describeCloseCode(v.code).allowedOnWire) {
        return fail(
          `close needs a code that may be sent in a close frame (1000–1003, 1007–1014 or 3000–4999, RFC 6455 §7.4); got ${(JSON.stringify(v.code) ?? "nothing").slice(0, 40)}.`,
        );
      }
      const reason = v.reason ?? "";
      if (typeof reason !== "string") return fail("A close reason must be a string.");
      if (utf8ByteLength(reason) > 123)
        return fail(
          `A close reason may be at most 123 bytes of UTF-8 (RFC 6455 §5.5); this one is ${utf8ByteLength(reason)}.`,
        );
      return { ok: true, command: { cmd: "close", code: v.code, reason } };
    }
    case "drop":
      return { ok: true, command: { cmd: "drop" } };
    case "burst":
      if (!isInt(v.count, 2, 50)) return fail("burst needs count, a whole number from 2 to 50.");
      return { ok: true, command: { cmd: "burst", count: v.count } };
    case "push":
      if (typeof v.text !== "string" || v.text === "") return fail("push needs a non-empty text string.");
      if (utf8ByteLength(v.text) > MAX_PUSH_BYTES)
        return fail(`A pushed event may be at most ${MAX_PUSH_BYTES} bytes of UTF-8.`);
      return { ok: true, command: { cmd: "push", text: v.text } };
    case "hold-reads":
      if (!isInt(v.ms, HOLD_READS_MS.min, HOLD_READS_MS.max))
        return fail(`hold-reads needs ms, a whole number from ${HOLD_READS_MS.min} to ${HOLD_READS_MS.max}.`);
      return { ok: true, command: { cmd: "hold-reads", ms: v.ms } };
    default:
      return fail(
        `Unknown request ${JSON.stringify(String(v.cmd)).slice(0, 40)}; the monitor understands ${COMMAND_NAMES.join(", ")}.`,
      );
  }
}

/** Splits text into `parts` pieces of whole code points, as even as they can be (some may be empty). */
export function splitText(text: string, parts: number): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < parts; i++) {
    pieces.push(
      points.slice(Math.floor((i * points.length) / parts), Math.floor(((i + 1) * points.length) / parts)).join(""),
    );
  }
  return pieces;
}

/** What hold-reads uses of a net.Socket: its stream side, and libuv's handle under it. */
interface HeldSocket {
  pause(): void;
  resume(): void;
  destroyed: boolean;
  _handle?: { reading: boolean; readStop(): number; readStart(): number } | null;
}

export function runCommand(ws: WebSocket, command: TapCommand): { ok: boolean; detail: string } {
  if (ws.readyState !== ws.OPEN) return { ok: false, detail: "the connection is no longer open" };
  switch (command.cmd) {
    case "ping":
      ws.ping(command.payload);
      return {
        ok: true,
        detail: `sent a ping with a ${utf8ByteLength(command.payload)}-byte payload; the browser answers with a pong carrying the same bytes`,
      };
    case "fragmented": {
      // ws sends the first piece as a text frame and the rest as continuation frames; FIN is
      // set only on the last (RFC 6455 §5.4). All in one tick, so nothing else interleaves.
      const pieces = splitText(command.text, command.parts);
      pieces.forEach((piece, i) => ws.send(piece, { fin: i === pieces.length - 1 }));
      return {
        ok: true,
        detail: `sent one text message of ${utf8ByteLength(command.text)} bytes as ${pieces.length} frames`,
      };
    }
    case "binary": {
      const data = Buffer.alloc(command.length);
      for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
      ws.send(data, { binary: true });
      return { ok: true, detail: `sent a binary message of ${command.length} bytes (0, 1, 2 … 255, 0, 1 …)` };
    }
    case "close":
      ws.close(command.code, command.reason);
      return {
        ok: true,
        detail: `started the closing handshake with code ${command.code}${command.reason ? ` and reason “${command.reason}”` : ""}`,
      };
    case "drop":
      ws.terminate();
      return { ok: true, detail: "destroyed the TCP connection without a close frame; the page sees 1006" };
    case "burst":
      for (let i = 1; i <= command.count; i++) ws.send(`burst ${i} of ${command.count}`);
      return { ok: true, detail: `sent ${command.count} text messages at once` };
    case "push":
      // The server speaks first, unasked: the one thing plain HTTP cannot do.
      ws.send(command.text);
      return { ok: true, detail: `pushed a text message of ${utf8ByteLength(command.text)} bytes without being asked` };
    case "hold-reads": {
      // TCP is a byte stream (RFC 9293 §2.2): frames the page sends while the lab is not reading
      // wait in the kernel's receive buffer, and the next read takes them all at once. Pausing
      // the stream alone is not enough: Node would go on reading from the kernel into the
      // stream's buffer, one read per arriving segment. So the handle stops reading too, as
      // net.Socket#pause does for sockets read into a fixed buffer, and starts again the same way
      // when the time is up. ws keeps its socket as _socket, with no public accessor.
      const socket = (ws as unknown as { _socket?: HeldSocket })._socket;
      if (!socket) return { ok: false, detail: "the connection's socket is not there to pause" };
      socket.pause();
      if (socket._handle?.reading) {
        socket._handle.reading = false;
        socket._handle.readStop();
      }
      setTimeout(() => {
        if (socket.destroyed) return;
        if (socket._handle && !socket._handle.reading) {
          socket._handle.reading = true;
          socket._handle.readStart();
        }
        socket.resume();
      }, command.ms).unref();
      return {
        ok: true,
        detail: `stopped reading your connection for ${command.ms} ms: what your browser sends meanwhile waits in the operating system and comes out in one read`,
      };
    }
  }
}
