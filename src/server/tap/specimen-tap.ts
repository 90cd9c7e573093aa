// One tapped specimen connection: turns what crossed its socket into tap events.
//
// In: the request head and every later read come from connection-capture.ts (once the
// connection is open, taken as ws hands each read to its Receiver). Out: the socket's
// `write`, `end`, `cork` and `uncork` are wrapped before ws completes the upgrade, so its 101
// response (one write of the head), or the refusal, is seen as written; writes made while the
// socket is corked are joined into one "out" chunk at uncork. Once the connection is open
// (attach), the socket gets its own functions back and writes are seen one level up, at ws's
// Sender.sendFrame, through which every frame passes (its header and payload, which Node hands
// to the kernel as one write): one "out" chunk per frame written, in the order they go on the
// wire, whatever TCP later does with them; and the socket's write path costs nothing extra.
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
import type { ChunkRecord } from "../../protocol/tap-batch.ts";
import type { Direction, Initiator, TapEvent } from "../../protocol/tap-events.ts";
import type { ChunkReader, ClaimedConnection, InboundChunk } from "./connection-capture.ts";
import { serverNow } from "./server-clock.ts";

/** A chunk's base64 in a saved recording must stay under the 4 Mi-character string cap in tap-parse.ts. */
export const MAX_CHUNK_DATA_BYTES = 3 * 1024 * 1024;
/** A response head longer than this is not a head ws wrote; give up rather than buffer. */
const MAX_RESPONSE_HEAD = 16 * 1024;

export interface SpecimenTapOptions {
  specimen: number;
  path: string;
  captureBytes: number;
  emit(event: TapEvent): void;
  /** A chunk: its bytes are copied only if the event will be sent. The record is read during the call only. */
  offerChunk(chunk: ChunkRecord): void;
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
  if (typeof chunk === "string")
    return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

/** ws's frame writer (internal): every frame of an open connection is written by sendFrame. */
interface FrameSender {
  /** An unmasked frame's payload may still be a string, which the socket encodes as UTF-8. */
  sendFrame(list: (Buffer | string)[], cb?: unknown): void;
}

function frameBytes(piece: Buffer | string): Buffer {
  return typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
}

/** The ws internals that say which close frames crossed (ws has no public API for it). */
interface CloseState {
  _closeFrameReceived: boolean;
  _closeFrameSent: boolean;
}

export function startSpecimenTap(
  socket: Duplex,
  request: IncomingMessage,
  claimed: ClaimedConnection,
  options: SpecimenTapOptions,
): SpecimenTap {
  const { specimen } = options;
  let stopped = false;
  let used = claimed.request.bytes.length;
  let exhausted = false;
  // One variable per direction rather than an object indexed by it: a keyed load by a string
  // is a slow path in V8, and this runs for every read and write.
  let offsetIn = claimed.request.bytes.length;
  let offsetOut = 0;
  let responseHead: Buffer | null = Buffer.alloc(0);
  let pendingIn: InboundChunk[] = [...claimed.rest];
  const offered: ChunkRecord = { t: 0, specimen, dir: "in", offset: 0, length: 0, data: null };

  const tuple = {
    clientAddress: request.socket.remoteAddress ?? "",
    clientPort: request.socket.remotePort ?? 0,
    serverAddress: request.socket.localAddress ?? "",
    serverPort: request.socket.localPort ?? 0,
  };
  options.emit({ type: "open", t: serverNow(), specimen, path: options.path, tuple });
  options.emit({
    type: "request",
    t: claimed.request.t,
    specimen,
    offset: 0,
    data: claimed.request.bytes.toString("base64"),
  });

  /** One read, or one write (given as the pieces written while the socket was corked). */
  function chunk(dir: Direction, t: number, pieces: Buffer | Buffer[]): void {
    let length = 0;
    if (Array.isArray(pieces)) for (const piece of pieces) length += piece.length;
    else length = pieces.length;
    if (stopped || length === 0) return;
    const offset = dir === "in" ? offsetIn : offsetOut;
    if (dir === "in") offsetIn += length;
    else offsetOut += length;
    if (!exhausted && used + length > options.captureBytes) exhausted = true;
    const keep = !exhausted && length <= MAX_CHUNK_DATA_BYTES;
    if (keep) used += length;
    // The pieces are copied into the monitor's batch only if it will be sent (event-outbox.ts),
    // at once: ws unmasks a read's payload in place right after this listener has run. One
    // record serves every chunk (offerChunk reads it during the call only).
    offered.t = t;
    offered.dir = dir;
    offered.offset = offset;
    offered.length = length;
    offered.data = keep ? pieces : null;
    options.offerChunk(offered);
    offered.data = null;
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
    offsetOut = head.length;
    used += head.length;
    options.emit({ type: "response", t, specimen, offset: 0, data: head.toString("base64") });
    for (const early of pendingIn) chunk("in", early.t, early.bytes);
    pendingIn = [];
    chunk("out", t, sofar.subarray(end + 4));
  }

  function wroteFrame(list: (Buffer | string)[]): void {
    if (list.length === 1) return wrote(frameBytes(list[0]!));
    // Header and payload, nearly always both bytes already: the list itself is the pieces
    // (copied into the monitor's batch at once, before ws is done with it).
    for (const piece of list) if (typeof piece === "string") return wrote(list.map(frameBytes));
    wrote(list as Buffer[]);
  }

  const target = socket as unknown as {
    write: WriteFn;
    end: EndFn;
    cork: CorkFn;
    uncork: CorkFn;
    destroyed: boolean;
    writableEnded: boolean;
  };
  const originalWrite = target.write;
  const originalEnd = target.end;
  const originalCork = target.cork;
  const originalUncork = target.uncork;
  let corkDepth = 0;
  let corked: Buffer[] = [];
  let socketWrapped = true;
  // The socket's own functions go back as own properties (whether they were own or inherited
  // before): deleting the wrappers instead would leave the socket a slow dictionary-mode
  // object for the rest of its life.
  function unwrapSocket(): void {
    if (!socketWrapped) return;
    socketWrapped = false;
    flushCorked();
    target.write = originalWrite;
    target.end = originalEnd;
    target.cork = originalCork;
    target.uncork = originalUncork;
  }
  let unwrapSender = (): void => {};
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
    const bytes =
      typeof data !== "function" && !target.destroyed && !target.writableEnded ? toBytes(data, encoding) : null;
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

  const unfollow = claimed.follow((t, bytes) => {
    if (responseHead !== null) pendingIn.push({ t, bytes });
    else chunk("in", t, bytes);
  });

  function stop(): void {
    if (stopped) return;
    stopped = true;
    pendingIn = [];
    unfollow();
    unwrapSocket();
    unwrapSender();
  }

  function fail(message: string): void {
    stop();
    options.fail(message);
  }

  return {
    attach(ws) {
      if (stopped) return;
      // From here on every byte the server writes is a frame ws's Sender writes, all through
      // its sendFrame (one piece, or header and payload): capturing there instead of at the
      // socket leaves the socket's own write path untouched for the life of the connection.
      // Reads likewise, where ws's socket listener hands them to its Receiver.
      const receiver = (ws as unknown as { _receiver?: ChunkReader })._receiver;
      if (receiver && typeof receiver.write === "function") claimed.readAt(receiver);
      const sender = (ws as unknown as { _sender?: FrameSender })._sender;
      if (sender && typeof sender.sendFrame === "function" && responseHead === null) {
        unwrapSocket();
        const originalSendFrame = sender.sendFrame;
        sender.sendFrame = function (this: FrameSender, list: (Buffer | string)[], cb?: unknown) {
          if (!target.destroyed && !target.writableEnded) wroteFrame(list);
          return originalSendFrame.call(this, list, cb);
        };
        unwrapSender = () => {
          sender.sendFrame = originalSendFrame;
          unwrapSender = () => {};
        };
      }
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
        options.emit({
          type: "close",
          t: serverNow(),
          specimen,
          code,
          reason: reason.toString("utf8"),
          initiator: initiator ?? (state._closeFrameReceived ? "client" : "network"),
          wasClean,
        });
        stop();
      });
    },
    stop,
  };
}
