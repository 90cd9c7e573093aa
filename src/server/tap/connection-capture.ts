// Keeps the raw bytes of each new connection's first request head, so a tapped upgrade can be
// shown exactly as it crossed the wire rather than rebuilt from parsed headers.
//
// Node's HTTP server normally feeds the socket to its parser natively, out of JavaScript's
// sight. A 'data' listener added to the socket from a 'connection' listener (which runs after
// Node's own) makes Node hand every chunk to JavaScript again, and the parser keeps working.
// The listener is *prepended*, so a chunk is recorded before the parser reads it: when the
// parser emits 'upgrade', the whole head is already here.
//
// Per connection: chunks (with their arrival time) are buffered until the first request head
// completes. An ordinary request, an upgrade nobody claims, or more than HEAD_CAPTURE_LIMIT
// bytes without a complete head releases the buffer and the listener. A claimed upgrade keeps
// the listener, which from then on passes every read to the tap (`follow`), until the tap moves
// it to the WebSocket's own reader (`readAt`): once ws reads the socket, one 'data' listener
// instead of two spares every read an extra call and Node's copy of the listener list.
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { serverNow } from "./server-clock.ts";

/** Node's default maxHeaderSize: no valid request head is longer. */
export const HEAD_CAPTURE_LIMIT = 16 * 1024;

export interface InboundChunk {
  t: number;
  bytes: Buffer;
}

export interface ClaimedConnection {
  /** The request head, up to and including its blank line, and when its last byte arrived. */
  request: InboundChunk;
  /** Bytes that arrived after the head before the upgrade was handled (pipelined frames). */
  rest: InboundChunk[];
  /** Sends every later read to `sink` (its arrival time and bytes) until the returned function is called. */
  follow(sink: ReadSink): () => void;
  /**
   * From now on, takes each read where `reader.write` is handed it (ws's Receiver, which the
   * socket's own 'data' listener feeds) instead of from a listener of its own. Call it in the
   * same tick as the reader starts reading, so no read is seen twice or missed; reads the socket
   * still holds at its close, which ws hands its Receiver without a 'data' event, are seen too.
   */
  readAt(reader: ChunkReader): void;
}

/** Whatever consumes a connection's reads through a `write(chunk)` method (ws's Receiver). */
export interface ChunkReader {
  write(chunk: Buffer, encoding?: unknown, callback?: unknown): boolean;
}

/** Takes a read as two arguments rather than an InboundChunk: no object made for every read. */
export type ReadSink = (t: number, bytes: Buffer) => void;

export type ClaimResult = ({ ok: true } & ClaimedConnection) | { ok: false; reason: string };

export interface ConnectionCapture {
  /** Starts buffering the connections `server` accepts; returns a function that stops. */
  watch(server: Server): () => void;
  /** Takes the captured head of the upgrade on `socket`; `head` is what Node's parser left over. */
  claim(socket: Duplex, head: Buffer): ClaimResult;
}

interface State {
  socket: Socket;
  phase: "buffering" | "released" | "claimed";
  why: string;
  chunks: InboundChunk[];
  bytes: number;
  sink: ReadSink | null;
  /** Bytes that will be delivered a second time (ws unshifts the parser's leftover). */
  skip: number;
  listener: (chunk: Buffer) => void;
  /** Undoes readAt(). */
  restoreReader: () => void;
}

const NOT_FIRST =
  "the connection carried an ordinary HTTP request before this upgrade, so its raw bytes were no longer being kept";

function endsWithBlankLine(bytes: Buffer): boolean {
  const n = bytes.length;
  return (
    (n >= 4 && bytes[n - 4] === 13 && bytes[n - 3] === 10 && bytes[n - 2] === 13 && bytes[n - 1] === 10) ||
    (n >= 2 && bytes[n - 2] === 10 && bytes[n - 1] === 10)
  );
}

function noop(): void {}

export function createConnectionCapture(): ConnectionCapture {
  const states = new WeakMap<object, State>();

  function release(state: State, why: string): void {
    if (state.phase !== "buffering") return;
    state.phase = "released";
    state.why = why;
    state.chunks = [];
    state.socket.removeListener("data", state.listener);
    // The state stays (a later claim is told why), but not the listener's closure: most
    // connections are released and live on, as pages' keep-alive connections or untapped
    // WebSockets.
    state.listener = noop;
  }

  function onConnection(socket: Socket): void {
    const state: State = {
      socket,
      phase: "buffering",
      why: "",
      chunks: [],
      bytes: 0,
      sink: null,
      skip: 0,
      listener: () => {},
      restoreReader: noop,
    };
    state.listener = (chunk: Buffer) => {
      const t = serverNow();
      if (state.phase === "claimed") {
        let bytes = chunk;
        if (state.skip > 0) {
          const skipped = Math.min(state.skip, bytes.length);
          state.skip -= skipped;
          bytes = bytes.subarray(skipped);
          if (bytes.length === 0) return;
        }
        state.sink?.(t, bytes);
        return;
      }
      if (state.phase !== "buffering") return;
      if (state.bytes >= HEAD_CAPTURE_LIMIT) {
        release(state, `more than ${HEAD_CAPTURE_LIMIT} bytes arrived before the request head ended`);
        return;
      }
      state.chunks.push({ t, bytes: chunk });
      state.bytes += chunk.length;
    };
    states.set(socket, state);
    socket.prependListener("data", state.listener);
  }

  return {
    watch(server) {
      const onRequest = (request: { socket: Socket }): void => {
        const state = states.get(request.socket);
        if (state) release(state, NOT_FIRST);
      };
      // An upgrade the lab did not claim (Vite's HMR socket, a refused handshake) needs no capture;
      // released on the next tick so the order of 'upgrade' listeners does not matter.
      const onUpgrade = (request: { socket: Socket }): void => {
        const state = states.get(request.socket);
        if (state) process.nextTick(() => release(state, NOT_FIRST));
      };
      server.on("connection", onConnection);
      server.on("request", onRequest);
      server.on("upgrade", onUpgrade);
      return () => {
        server.off("connection", onConnection);
        server.off("request", onRequest);
        server.off("upgrade", onUpgrade);
      };
    },

    claim(socket, head) {
      const state = states.get(socket);
      if (!state) return { ok: false, reason: "the server was not capturing this connection's bytes" };
      if (state.phase === "claimed") return { ok: false, reason: "this connection is already tapped" };
      if (state.phase === "released") return { ok: false, reason: state.why };
      const all = Buffer.concat(
        state.chunks.map((c) => c.bytes),
        state.bytes,
      );
      const headLength = state.bytes - head.length;
      if (headLength <= 0 || !endsWithBlankLine(all.subarray(0, headLength))) {
        release(state, "the end of the request head could not be found in the bytes received");
        return { ok: false, reason: state.why };
      }
      // Split the buffered reads at the end of the head, keeping each read's arrival time.
      let requestTime = 0;
      const rest: InboundChunk[] = [];
      let position = 0;
      for (const chunk of state.chunks) {
        const end = position + chunk.bytes.length;
        if (position < headLength) requestTime = chunk.t;
        if (end > headLength)
          rest.push({ t: chunk.t, bytes: chunk.bytes.subarray(Math.max(0, headLength - position)) });
        position = end;
      }
      state.phase = "claimed";
      state.chunks = [];
      return {
        ok: true,
        request: { t: requestTime, bytes: all.subarray(0, headLength) },
        rest,
        readAt(reader) {
          if (state.phase !== "claimed") return;
          const read = state.listener;
          state.socket.removeListener("data", read);
          const originalWrite = reader.write;
          // Writable.write's three parameters, passed on as they are: a spread of rest
          // parameters would cost more than everything else done here for a read.
          reader.write = function (this: ChunkReader, chunk: Buffer, encoding?: unknown, callback?: unknown) {
            read(chunk);
            return originalWrite.call(this, chunk, encoding, callback);
          };
          // Given back as an own property (see specimen-tap.ts on deleting wrappers).
          state.restoreReader = () => {
            reader.write = originalWrite;
          };
        },
        follow(sink) {
          state.sink = sink;
          // ws gives the parser's leftover back to the socket with unshift(), which emits those
          // bytes as 'data' again; they were already recorded, so count them to skip.
          const target = socket as Duplex & { unshift: (chunk: Buffer | string, encoding?: BufferEncoding) => void };
          const ownUnshift = Object.prototype.hasOwnProperty.call(target, "unshift") ? target.unshift : undefined;
          const originalUnshift = target.unshift;
          target.unshift = function (this: Duplex, chunk: Buffer | string, encoding?: BufferEncoding) {
            state.skip += typeof chunk === "string" ? Buffer.byteLength(chunk, encoding) : chunk.length;
            return originalUnshift.call(this, chunk, encoding);
          };
          return () => {
            state.sink = null;
            state.socket.removeListener("data", state.listener);
            state.restoreReader();
            state.restoreReader = noop;
            if (ownUnshift) target.unshift = ownUnshift;
            else delete (target as { unshift?: unknown }).unshift;
          };
        },
      };
    },
  };
}
