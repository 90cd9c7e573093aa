// Bytes on the wire per request, counted by the lab on the sockets that carried them, so the
// push race can show what each transport really costs (heads included).
//
// In: a request head is rebuilt from what Node parsed — the request line from method, target
// and version, then `NAME: VALUE\r\n` for each of `rawHeaders` in order, then the blank line —
// plus the body's Content-Length. That equals the bytes a normal client sent (every browser,
// curl, fetch) but assumes single spaces in the request line, one space after each colon, no
// trailing whitespace in values and no obsolete line folding (RFC 9112 §5.2), which Node's
// parser would have normalised away. A chunked request body's framing is not counted (no lab
// transport sends a body). Upgrades add every byte read on the socket after the head.
//
// Out: `socket.bytesWritten` after a response minus before it. Responses on one HTTP/1.1
// connection never interleave (a pipelined response is given the socket only when the one
// before it has finished), so on a keep-alive connection shared by several transports each
// response is attributed to the request it answered.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

export interface WireCount {
  bytesIn: number;
  bytesOut: number;
}

export interface WireMeter {
  /** Bytes so far; final once settled. */
  read(): WireCount;
  /** Runs once when the exchange is over (response finished or closed, socket closed). */
  onSettled(callback: () => void): void;
}

/** The request head exactly as a normal client sent it (see the note above). */
export function requestHeadText(request: IncomingMessage): string {
  const target = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? "/";
  let head = `${request.method} ${target} HTTP/${request.httpVersion}\r\n`;
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return `${head}\r\n`;
}

/** Node decodes request heads as latin1, one character per byte, so this is the byte count. */
export function requestHeadBytes(request: IncomingMessage): number {
  return Buffer.byteLength(requestHeadText(request), "latin1");
}

function declaredBodyLength(request: IncomingMessage): number {
  const length = Number(request.headers["content-length"] ?? 0);
  return Number.isSafeInteger(length) && length > 0 ? length : 0;
}

function settleable(): { settled: () => boolean; settle: () => void; onSettled: (callback: () => void) => void } {
  let done = false;
  const callbacks: Array<() => void> = [];
  return {
    settled: () => done,
    settle() {
      if (done) return;
      done = true;
      for (const callback of callbacks.splice(0)) callback();
    },
    onSettled(callback) {
      if (done) callback();
      else callbacks.push(callback);
    },
  };
}

/** Reads a counter that Node may report as undefined once a socket is gone. */
function counter(read: () => number | undefined): () => number {
  let last = 0;
  return () => {
    const value = read();
    if (typeof value === "number" && Number.isFinite(value)) last = value;
    return last;
  };
}

/** Counts one plain HTTP exchange: call when the request arrives, before anything is written. */
export function meterResponse(request: IncomingMessage, response: ServerResponse): WireMeter {
  const bytesIn = requestHeadBytes(request) + declaredBodyLength(request);
  let written: (() => number) | null = null;
  let start = 0;
  let final: number | null = null;
  const state = settleable();
  const attach = (socket: Socket): void => {
    written = counter(() => socket.bytesWritten);
    start = written();
  };
  if (response.socket) attach(response.socket);
  else response.once("socket", attach);
  const out = (): number => (written ? Math.max(0, written() - start) : 0);
  const settle = (): void => {
    if (final !== null) return;
    final = out();
    state.settle();
  };
  response.once("finish", settle);
  response.once("close", settle);
  return {
    read: () => ({ bytesIn, bytesOut: final ?? out() }),
    onSettled: state.onSettled,
  };
}

/** Counts a WebSocket connection from its upgrade: call before the 101 is written. */
export function meterUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): WireMeter {
  const tcp = socket as Partial<Socket>;
  const read = counter(() => tcp.bytesRead);
  const written = counter(() => tcp.bytesWritten);
  // bytesRead already includes the head and `head` (frames that arrived with it).
  const readStart = read();
  const writeStart = written();
  const headBytes = requestHeadBytes(request) + head.length;
  let final: WireCount | null = null;
  const state = settleable();
  const now = (): WireCount => ({
    bytesIn: headBytes + Math.max(0, read() - readStart),
    bytesOut: Math.max(0, written() - writeStart),
  });
  socket.once("close", () => {
    final = now();
    state.settle();
  });
  return { read: () => final ?? now(), onSettled: state.onSettled };
}
