// One tapped specimen connection: turns what crossed its socket into tap events.
//
// In: the request head and every later read come from connection-capture.ts. Out: `write` and
// `end` are wrapped before ws completes the upgrade, so its 101 response (one write of the
// head) and every frame it writes afterwards are seen in the order they are handed to the
// socket, which is the order they go on the wire. ws writes a frame's header and payload as two
// writes inside cork/uncork, which Node hands to the kernel as one; so writes made while the
// socket is corked are joined into one "out" chunk at uncork, and every other write is a chunk
// of its own, whatever TCP later does with it.
//
// Offsets count each direction from the connection's first byte, so the request occupies "in"
// 0..n and the first read after it starts at n. Bytes kept (request, response, chunk data)
// count against `captureBytes`; once a chunk would go over it, that chunk and every later one
// is reported with its offset and length but without data (`truncated: true`).
//
// Bytes a client sent after its head without waiting for the 101 (a pipelining raw client; a
// browser never does) are reported right after the response, keeping their earlier arrival
// time, so `response` always comes before the first chunk.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { Direction, Initiator, TapEvent } from "../../protocol/tap-events.ts";
import type { ClaimedConnection, InboundChunk } from "./connection-capture.ts";
import { chunkJson } from "./chunk-json.ts";
import { serverNow } from "./server-clock.ts";

/** A chunk's base64 must stay under the 4 Mi-character string cap in tap-parse.ts. */
export const MAX_CHUNK_DATA_BYTES = 3 * 1024 * 1024;
/** A response head longer than this is not a head ws wrote; give up rather than buffer. */
const MAX_RESPONSE_HEAD = 16 * 1024;

export interface SpecimenTapOptions {
  specimen: number;
  path: string;
  captureBytes: number;
  emit(event: TapEvent): void;
  /** A chunk of `length` bytes: `json` writes its event's text, and is only called if the event will be sent. */
  offerChunk(length: number, json: () => string): void;
  /** Called once if the tap cannot continue (it has already stopped itself). */
  fail(message: string): void;
}

export interface SpecimenTap {
  /** ws completed the upgrade: watch how the connection ends. */
  attach(ws: WebSocket): void;
  /** Stops capturing and gives the socket back its own write, end and unshift. */
  stop(): void;
}

type WriteFn = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type EndFn = (chunk?: unknown, encoding?: unknown, callback?: unknown) => unknown;
type CorkFn = () => void;

function toBytes(chunk: unknown, encoding: unknown): Buffer | null {
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

/** The ws internals that say which close frames crossed (ws has no public API for it). */
interface CloseState {
  _closeFrameReceived: boolean;
  _closeFrameSent: boolean;
}

export function startSpecimenTap(socket: Duplex, request: IncomingMessage, claimed: ClaimedConnection, options: SpecimenTapOptions): SpecimenTap {
  const { specimen } = options;
  let stopped = false;
  let used = claimed.request.bytes.length;
  let exhausted = false;
  const offsets: Record<Direction, number> = { in: claimed.request.bytes.length, out: 0 };
  let responseHead: Buffer | null = Buffer.alloc(0);
  let pendingIn: InboundChunk[] = [...claimed.rest];

  const tuple = {
    clientAddress: request.socket.remoteAddress ?? "",
    clientPort: request.socket.remotePort ?? 0,
    serverAddress: request.socket.localAddress ?? "",
    serverPort: request.socket.localPort ?? 0,
  };
  options.emit({ type: "open", t: serverNow(), specimen, path: options.path, tuple });
  options.emit({ type: "request", t: claimed.request.t, specimen, offset: 0, data: claimed.request.bytes.toString("base64") });

  /** One read, or one write (given as the pieces written while the socket was corked). */
  function chunk(dir: Direction, t: number, pieces: Buffer | Buffer[]): void {
    const length = Array.isArray(pieces) ? pieces.reduce((n, p) => n + p.length, 0) : pieces.length;
    if (stopped || length === 0) return;
    const offset = offsets[dir];
    offsets[dir] += length;
    if (!exhausted && used + length > options.captureBytes) exhausted = true;
    const keep = !exhausted && length <= MAX_CHUNK_DATA_BYTES;
    if (keep) used += length;
    // The pieces are joined and turned into base64 only for a chunk the monitor will be sent
    // (event-outbox.ts): a dropped one costs its count.
    options.offerChunk(length, () => {
      const bytes = Array.isArray(pieces) ? (pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length)) : pieces;
      return chunkJson(t, specimen, dir, offset, length, keep ? bytes.toString("base64") : null);
    });
  }

  function wrote(pieces: Buffer | Buffer[]): void {
    const t = serverNow();
    if (responseHead === null) return chunk("out", t, pieces);
    // Until the blank line that ends the 101 head, writes belong to the response.
    const sofar = Buffer.concat([responseHead, ...(Array.isArray(pieces) ? pieces : [pieces])]);
    const end = sofar.indexOf("\r\n\r\n");
    if (end < 0) {
      if (sofar.length > MAX_RESPONSE_HEAD) fail("the server's response head was too long to capture");
      else responseHead = sofar;
      return;
    }
    const head = sofar.subarray(0, end + 4);
    responseHead = null;
    offsets.out = head.length;
    used += head.length;
    options.emit({ type: "response", t, specimen, offset: 0, data: head.toString("base64") });
    for (const early of pendingIn) chunk("in", early.t, early.bytes);
    pendingIn = [];
    chunk("out", t, sofar.subarray(end + 4));
  }

  const target = socket as unknown as { write: WriteFn; end: EndFn; cork: CorkFn; uncork: CorkFn; destroyed: boolean; writableEnded: boolean };
  const originalWrite = target.write;
  const originalEnd = target.end;
  const originalCork = target.cork;
  const originalUncork = target.uncork;
  const own = (name: string): boolean => Object.prototype.hasOwnProperty.call(target, name);
  const ownWrite = own("write");
  const ownEnd = own("end");
  const ownCork = own("cork");
  const ownUncork = own("uncork");
  let corkDepth = 0;
  let corked: Buffer[] = [];
  const flushCorked = (): void => {
    if (corked.length === 0) return;
    const pieces = corked;
    corked = [];
    wrote(pieces);
  };
  target.write = function (this: unknown, data, encoding, callback) {
    const bytes = !target.destroyed && !target.writableEnded ? toBytes(data, encoding) : null;
    if (bytes) {
      if (corkDepth > 0) corked.push(bytes);
      else wrote(bytes);
    }
    return originalWrite.call(this, data, encoding, callback);
  };
  target.end = function (this: unknown, data, encoding, callback) {
    flushCorked();
    const bytes = typeof data !== "function" && !target.destroyed && !target.writableEnded ? toBytes(data, encoding) : null;
    if (bytes) wrote(bytes);
    return originalEnd.call(this, data, encoding, callback);
  };
  target.cork = function (this: unknown) {
    corkDepth++;
    return originalCork.call(this);
  };
  target.uncork = function (this: unknown) {
    if (corkDepth > 0) corkDepth--;
    if (corkDepth === 0) flushCorked();
    return originalUncork.call(this);
  };

  const unfollow = claimed.follow((read) => {
    if (responseHead !== null) pendingIn.push(read);
    else chunk("in", read.t, read.bytes);
  });

  function stop(): void {
    if (stopped) return;
    stopped = true;
    pendingIn = [];
    unfollow();
    // The wrappers are own properties: put back what was there, or uncover the prototype's.
    flushCorked();
    if (ownWrite) target.write = originalWrite;
    else delete (target as { write?: unknown }).write;
    if (ownEnd) target.end = originalEnd;
    else delete (target as { end?: unknown }).end;
    if (ownCork) target.cork = originalCork;
    else delete (target as { cork?: unknown }).cork;
    if (ownUncork) target.uncork = originalUncork;
    else delete (target as { uncork?: unknown }).uncork;
  }

  function fail(message: string): void {
    stop();
    options.fail(message);
  }

  return {
    attach(ws) {
      // Who closed first: ws calls its own close() when a client's close frame arrives (and
      // then the frame has been received), and when the server closes (a command, a limit, a
      // protocol error). terminate() is always the server's doing. Nothing at all: the network.
      let initiator: Initiator | null = null;
      const state = ws as unknown as CloseState & { close: (...args: unknown[]) => void; terminate: () => void };
      const originalClose = ws.close;
      const originalTerminate = ws.terminate;
      state.close = function (this: WebSocket, ...args: unknown[]) {
        initiator ??= state._closeFrameReceived ? "client" : "server";
        return (originalClose as (...a: unknown[]) => void).apply(this, args);
      };
      state.terminate = function (this: WebSocket) {
        initiator ??= "server";
        return originalTerminate.call(this);
      };
      ws.once("close", (code: number, reason: Buffer) => {
        if (stopped) return;
        const wasClean = state._closeFrameReceived && state._closeFrameSent;
        options.emit({ type: "close", t: serverNow(), specimen, code, reason: reason.toString("utf8"), initiator: initiator ?? (state._closeFrameReceived ? "client" : "network"), wasClean });
        stop();
      });
    },
    stop,
  };
}
