// Helpers for wire-tap tests over real sockets: a monitor client that parses every event with
// the same parser the widgets use (and remembers any it could not read), a ws specimen whose
// socket records exactly what the client wrote and read, and a raw TCP specimen.
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { encodeFrame } from "../../protocol/frame.ts";
import { FrameDecoder, type DecodedFrame } from "../../protocol/frame.ts";
import { generateToken, type TapEvent } from "../../protocol/tap-events.ts";
import { readTapBatch } from "../../protocol/tap-batch.ts";
import { upgradeRequest } from "../test-helpers.ts";

export { generateToken };

export interface MonitorClient {
  ws: WebSocket;
  events: TapEvent[];
  /** Messages that did not parse as tap events (must stay empty). */
  invalid: string[];
  /** How many events each monitor message held, in arrival order. */
  batches: number[];
  /** The first event (in arrival order) matching `match`, waiting for it if need be. */
  find<T extends TapEvent["type"]>(
    type: T,
    match?: (e: Extract<TapEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<TapEvent, { type: T }>>;
  of<T extends TapEvent["type"]>(type: T): Array<Extract<TapEvent, { type: T }>>;
  command(value: unknown): void;
}

export function openMonitor(port: number, origin: string, token: string): Promise<MonitorClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/lab/monitor?watch=${token}`, { origin });
    const events: TapEvent[] = [];
    const invalid: string[] = [];
    /** Events per monitor message, in order: shows how the lab batched them. */
    const batches: number[] = [];
    const waiters = new Set<() => void>();
    ws.on("message", (data, isBinary) => {
      if (!isBinary) invalid.push(`text, not a binary batch: ${data.toString().slice(0, 200)}`);
      else {
        const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        const parsed = readTapBatch(bytes);
        events.push(...parsed.events);
        batches.push(parsed.events.length);
        for (const error of parsed.errors) invalid.push(`${error}: ${bytes.toString("hex").slice(0, 200)}`);
      }
      for (const wake of [...waiters]) wake();
    });
    const client: MonitorClient = {
      ws,
      events,
      invalid,
      batches,
      of: (type) => events.filter((e) => e.type === type) as never,
      find(type, match = () => true, timeoutMs = 5000) {
        type E = Extract<TapEvent, { type: typeof type }>;
        const look = (): E | undefined => events.find((e) => e.type === type && match(e as never)) as E | undefined;
        const found = look();
        if (found) return Promise.resolve(found);
        return new Promise((resolveFind, rejectFind) => {
          const timer = setTimeout(() => {
            waiters.delete(wake);
            rejectFind(
              new Error(`no ${type} event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(", ")}`),
            );
          }, timeoutMs);
          const wake = (): void => {
            const hit = look();
            if (!hit) return;
            clearTimeout(timer);
            waiters.delete(wake);
            resolveFind(hit);
          };
          waiters.add(wake);
        });
      },
      command: (value) => ws.send(typeof value === "string" ? value : JSON.stringify(value)),
    };
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

/** A ws client whose TCP socket records every byte it wrote and read, write by write. */
export interface RecordedClient {
  ws: WebSocket;
  socket: Socket;
  writes: Buffer[];
  reads: Buffer[];
}

export function openRecordedClient(port: number, path: string, origin: string): Promise<RecordedClient> {
  const writes: Buffer[] = [];
  const reads: Buffer[] = [];
  let socket: Socket | null = null;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
      origin,
      createConnection: () => {
        socket = connect(port, "127.0.0.1");
        const write = socket.write;
        socket.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
          const bytes =
            typeof chunk === "string"
              ? Buffer.from(chunk, typeof rest[0] === "string" ? (rest[0] as BufferEncoding) : "utf8")
              : Buffer.from(chunk as Uint8Array);
          if (bytes.length > 0) writes.push(bytes);
          return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
        } as typeof socket.write;
        socket.prependListener("data", (chunk: Buffer) => reads.push(Buffer.from(chunk)));
        return socket;
      },
    });
    ws.once("open", () => resolve({ ws, socket: socket!, writes, reads }));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

/** A TCP client that speaks WebSocket by hand: the exact bytes written and read are known. */
export interface RawSpecimen {
  socket: Socket;
  requestHead: Buffer;
  received(): Buffer;
  waitForBytes(total: number, timeoutMs?: number): Promise<Buffer>;
  closed: Promise<void>;
}

export function openRaw(
  port: number,
  path: string,
  origin: string,
  afterHead: Uint8Array = new Uint8Array(0),
  before = "",
): Promise<RawSpecimen> {
  const key = randomBytes(16).toString("base64");
  const requestHead = Buffer.from(
    upgradeRequest(path, { Host: `127.0.0.1:${port}`, Origin: origin, "Sec-WebSocket-Key": key }),
    "latin1",
  );
  const chunks: Buffer[] = [];
  let total = 0;
  const waiters = new Set<() => void>();
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      for (const wake of [...waiters]) wake();
    });
    const raw: RawSpecimen = {
      socket,
      requestHead,
      received: () => Buffer.concat(chunks, total),
      closed,
      waitForBytes(want, timeoutMs = 5000) {
        return new Promise((done, fail) => {
          if (total >= want) return done(raw.received());
          const timer = setTimeout(() => {
            waiters.delete(wake);
            fail(new Error(`only ${total} of ${want} bytes arrived`));
          }, timeoutMs);
          const wake = (): void => {
            if (total < want) return;
            clearTimeout(timer);
            waiters.delete(wake);
            done(raw.received());
          };
          waiters.add(wake);
        });
      },
    };
    socket.once("connect", () => {
      if (before) socket.write(before);
      socket.write(Buffer.concat([requestHead, afterHead]));
      const wake = (): void => {
        const got = raw.received().indexOf("\r\n\r\n");
        if (got < 0) return;
        waiters.delete(wake);
        resolve(raw);
      };
      waiters.add(wake);
    });
    socket.once("error", reject);
  });
}

/** A client-to-server frame, masked with a random key as RFC 6455 §5.3 requires. */
export function maskedFrame(opcode: number, payload: Uint8Array | string, fin = true): Buffer {
  const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const result = encodeFrame({ opcode, fin, payload: bytes, maskingKey: new Uint8Array(randomBytes(4)) });
  if (!result.ok) throw new Error(result.error);
  return Buffer.from(result.bytes);
}

export function chunkEvents(
  events: TapEvent[],
  specimen: number,
  dir: "in" | "out",
): Array<Extract<TapEvent, { type: "chunk" }>> {
  return events.filter(
    (e): e is Extract<TapEvent, { type: "chunk" }> => e.type === "chunk" && e.specimen === specimen && e.dir === dir,
  );
}

export function concatChunks(chunks: Array<Extract<TapEvent, { type: "chunk" }>>): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c.data ?? "", "base64")));
}

export function decodeAll(bytes: Uint8Array, direction: "client-to-server" | "server-to-client"): DecodedFrame[] {
  const decoder = new FrameDecoder({ direction, maxPayloadLength: 1 << 24 });
  const frames: DecodedFrame[] = [];
  for (const event of decoder.push(bytes)) {
    if (event.kind === "error") throw new Error(`frame error at ${event.start}: ${event.error.error}`);
    frames.push(event.frame);
  }
  return frames;
}

/** Offsets of one direction's chunks run on without gaps from `start`. */
export function expectContiguous(chunks: Array<{ offset: number; length: number }>, start: number): number {
  let next = start;
  for (const c of chunks) {
    if (c.offset !== next) throw new Error(`chunk at offset ${c.offset}, expected ${next}`);
    next += c.length;
  }
  return next;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
