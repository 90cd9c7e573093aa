// Differential tests against the `ws` library as an independent peer, over real TCP sockets on
// 127.0.0.1: ws's server talks to our client code, and ws's client talks to our server code.
// Both the handshake and every frame go through src/protocol on our side.
import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import type { RawData } from "ws";
import { encodeClosePayload, encodeFrame, FrameDecoder, generateMaskingKey, MessageAssembler } from "./frame.ts";
import type { AssemblyEvent, Direction, FrameInput } from "./frame.ts";
import {
  buildClientRequest,
  buildServerResponse,
  generateKey,
  parseClientRequest,
  parseServerResponse,
} from "./handshake.ts";
import { parseRequestHead, parseResponseHead } from "./http1.ts";
import { concatBytes } from "./bytes.ts";

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Decodes what arrives on a socket with our code and hands out assembled events in order. */
class Reader {
  #decoder: FrameDecoder;
  #assembler = new MessageAssembler();
  #events: AssemblyEvent[] = [];
  #waiters: Array<(e: AssemblyEvent) => void> = [];
  chunks = 0;

  constructor(direction: Direction) {
    this.#decoder = new FrameDecoder({ direction });
  }

  feed(chunk: Uint8Array): void {
    this.chunks++;
    for (const event of this.#decoder.push(chunk)) {
      this.#emit(event.kind === "frame" ? this.#assembler.push(event) : { kind: "error", error: event.error });
    }
  }

  /** The next message, control frame or error (fragment notices are skipped). */
  next(): Promise<AssemblyEvent> {
    const e = this.#events.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #emit(event: AssemblyEvent): void {
    if (event.kind === "fragment") return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter(event);
    else this.#events.push(event);
  }
}

function frame(input: FrameInput): Uint8Array {
  const r = encodeFrame(input);
  if (!r.ok) throw new Error(r.error);
  return r.bytes;
}

/** As a client must: masked with a fresh key (RFC 6455 §5.3). */
function clientFrame(input: Omit<FrameInput, "maskingKey">): Uint8Array {
  return frame({ ...input, maskingKey: generateMaskingKey() });
}

function pattern(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

async function startWsServer(onConnection: (ws: WebSocket) => void): Promise<number> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  wss.on("connection", (ws) => {
    ws.on("error", () => {});
    onConnection(ws);
  });
  await once(wss, "listening");
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  return (wss.address() as net.AddressInfo).port;
}

/** Our client: our request, ws's 101 checked by our code, then our decoder on the stream. */
async function connectOurClient(port: number): Promise<{
  socket: net.Socket;
  reader: Reader;
  handshake: Promise<Awaited<ReturnType<typeof parseServerResponse>>>;
}> {
  const socket = net.connect(port, "127.0.0.1");
  cleanups.push(() => void socket.destroy());
  await once(socket, "connect");
  const key = generateKey();
  const request = buildClientRequest({ host: `127.0.0.1:${port}`, path: "/", key });
  if (!request.ok) throw new Error(request.error.error);
  socket.write(request.bytes);
  const reader = new Reader("server-to-client");
  let head: Uint8Array = new Uint8Array(0);
  return new Promise((resolve) => {
    const onHead = (chunk: Buffer) => {
      head = concatBytes([head, chunk]);
      const parsed = parseResponseHead(head);
      if (parsed.kind === "need-more") return;
      // Switch to the frame reader synchronously so no chunk is lost.
      socket.off("data", onHead);
      socket.on("data", (c: Buffer) => reader.feed(c));
      const handshake = parseServerResponse(head, { key });
      if (parsed.kind === "head") reader.feed(head.subarray(parsed.head.sizes.total));
      resolve({ socket, reader, handshake });
    };
    socket.on("data", onHead);
  });
}

/** Our server: ws's request judged by our code, our 101, then our decoder on the stream. */
async function startOurServer(): Promise<{
  port: number;
  connection: Promise<{ socket: net.Socket; reader: Reader }>;
}> {
  let accept!: (c: { socket: net.Socket; reader: Reader }) => void;
  const connection = new Promise<{ socket: net.Socket; reader: Reader }>((resolve) => (accept = resolve));
  const server = net.createServer((socket) => {
    cleanups.push(() => void socket.destroy());
    const reader = new Reader("client-to-server");
    let head: Uint8Array = new Uint8Array(0);
    const onHead = (chunk: Buffer) => {
      head = concatBytes([head, chunk]);
      const parsed = parseRequestHead(head);
      if (parsed.kind === "need-more") return;
      socket.off("data", onHead);
      socket.on("data", (c: Buffer) => reader.feed(c));
      const judged = parseClientRequest(head);
      if (judged.ok !== true) {
        socket.destroy();
        throw new Error(`our server refused ws's handshake: ${JSON.stringify(judged)}`);
      }
      void buildServerResponse({ key: judged.key }).then((response) => {
        if (!response.ok) throw new Error(response.error.error);
        socket.write(response.bytes);
        reader.feed(judged.rest);
        accept({ socket, reader });
      });
    };
    socket.on("data", onHead);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as net.AddressInfo).port, connection };
}

function expectMessage(event: AssemblyEvent, type: "text" | "binary", data: Uint8Array, frames?: number): void {
  expect(event.kind).toBe("message");
  if (event.kind !== "message") return;
  expect(event.message.type).toBe(type);
  expect(event.message.data.length).toBe(data.length);
  expect(Buffer.from(event.message.data).equals(Buffer.from(data))).toBe(true);
  if (frames !== undefined) expect(event.message.frames).toBe(frames);
}

function toBytes(data: RawData): Uint8Array {
  return new Uint8Array(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
}

describe("our client against a ws server", () => {
  it("completes the handshake and exchanges every kind of message", async () => {
    const received: Array<{ data: Uint8Array; isBinary: boolean }> = [];
    const port = await startWsServer((ws) => {
      ws.on("message", (data, isBinary) => {
        received.push({ data: toBytes(data), isBinary });
        ws.send(data, { binary: isBinary });
      });
    });
    const { socket, reader, handshake } = await connectOurClient(port);
    expect(await handshake).toMatchObject({ ok: true });

    const messages: Array<[string, "text" | "binary", Uint8Array]> = [
      ["hello", "text", utf8("Hello")],
      ["empty", "binary", new Uint8Array(0)],
      ["125", "binary", pattern(125)],
      ["126", "binary", pattern(126)],
      ["65535", "binary", pattern(65535)],
      ["65536", "binary", pattern(65536)],
      ["large", "binary", pattern(300_000, 7)],
      ["unicode", "text", utf8("héllo wörld ✓ 🎉")],
    ];
    for (const [, type, data] of messages)
      socket.write(clientFrame({ opcode: type === "text" ? 1 : 2, payload: data }));
    for (const [name, type, data] of messages) {
      const echo = await reader.next();
      expectMessage(echo, type, data);
      const got = received.shift()!;
      expect(got.isBinary, name).toBe(type === "binary");
      expect(Buffer.from(got.data).equals(Buffer.from(data)), name).toBe(true);
    }
  });

  it("sends a fragmented text message split inside a character, with a ping between fragments", async () => {
    const received: string[] = [];
    const port = await startWsServer((ws) =>
      ws.on("message", (data) => received.push(Buffer.from(toBytes(data)).toString("utf8"))),
    );
    const { socket, reader, handshake } = await connectOurClient(port);
    expect((await handshake).ok).toBe(true);
    const text = utf8("naïve ✓");
    socket.write(clientFrame({ opcode: 1, fin: false, payload: text.subarray(0, 3) }));
    socket.write(clientFrame({ opcode: 9, payload: utf8("are you there?") }));
    socket.write(clientFrame({ opcode: 0, fin: false, payload: text.subarray(3, 8) }));
    socket.write(clientFrame({ opcode: 0, payload: text.subarray(8) }));
    const pong = await reader.next();
    expect(pong.kind === "control" && pong.frame.opcode).toBe(10);
    expect(pong.kind === "control" && new TextDecoder().decode(pong.frame.payload)).toBe("are you there?");
    await expect.poll(() => received).toEqual(["naïve ✓"]);
  });

  it("reads ws's fragmented messages, pings, large messages and close frame", async () => {
    const big = pattern(200_000, 3);
    const port = await startWsServer((ws) => {
      ws.send("frag", { fin: false });
      ws.send("mented", { fin: true });
      ws.ping(Buffer.from("ping!"));
      ws.send(big);
      ws.close(4001, "bye now");
    });
    const { reader, handshake } = await connectOurClient(port);
    expect((await handshake).ok).toBe(true);
    const first = await reader.next();
    expectMessage(first, "text", utf8("fragmented"), 2);
    const ping = await reader.next();
    expect(ping.kind === "control" && [ping.frame.opcode, new TextDecoder().decode(ping.frame.payload)]).toEqual([
      9,
      "ping!",
    ]);
    expectMessage(await reader.next(), "binary", big, 1);
    const close = await reader.next();
    expect(close).toMatchObject({ kind: "control", close: { code: 4001, reason: "bye now" } });
    expect(reader.chunks).toBeGreaterThan(1);
  });

  it("closes cleanly: ws reports our code and reason and answers with a close frame", async () => {
    let serverSaw: { code: number; reason: string } | null = null;
    const port = await startWsServer((ws) =>
      ws.on("close", (code, reason) => (serverSaw = { code, reason: reason.toString() })),
    );
    const { socket, reader, handshake } = await connectOurClient(port);
    expect((await handshake).ok).toBe(true);
    socket.write(clientFrame({ opcode: 8, payload: encodeClosePayload(1000, "done") }));
    expect(await reader.next()).toMatchObject({ kind: "control", close: { code: 1000 } });
    await expect.poll(() => serverSaw).toEqual({ code: 1000, reason: "done" });
  });

  // Frames both sides must refuse: ws's close code must match the one our decoder names.
  const broken: Array<[string, Uint8Array]> = [
    ["an unmasked client frame", frame({ opcode: 1, payload: utf8("hi") })],
    ["a reserved opcode", clientFrame({ opcode: 3, payload: utf8("hi") })],
    ["RSV1 with no extension", clientFrame({ opcode: 1, rsv1: true, payload: utf8("hi") })],
    ["a fragmented ping", clientFrame({ opcode: 9, fin: false })],
    ["a 126-byte ping", clientFrame({ opcode: 9, payload: pattern(126) })],
    ["a one-byte close body", clientFrame({ opcode: 8, payload: new Uint8Array([3]) })],
    ["close code 1005", clientFrame({ opcode: 8, payload: encodeClosePayload(1005) })],
    ["a close reason that is not UTF-8", clientFrame({ opcode: 8, payload: new Uint8Array([0x03, 0xe8, 0xff]) })],
    ["invalid UTF-8 text", clientFrame({ opcode: 1, payload: new Uint8Array([0x61, 0xc3, 0x28]) })],
    ["a continuation with no message", clientFrame({ opcode: 0, payload: utf8("x") })],
    [
      "a new text frame inside a fragmented message",
      concatBytes([
        clientFrame({ opcode: 1, fin: false, payload: utf8("a") }),
        clientFrame({ opcode: 1, payload: utf8("b") }),
      ]),
    ],
  ];
  for (const [name, bytes] of broken) {
    it(`agrees with ws on the close code for ${name}`, async () => {
      const port = await startWsServer(() => {});
      const { socket, reader, handshake } = await connectOurClient(port);
      expect((await handshake).ok).toBe(true);
      socket.write(bytes);
      const close = await reader.next();
      expect(close.kind).toBe("control");
      const wsCode = close.kind === "control" ? close.close?.code : null;

      const ours = new Reader("client-to-server");
      ours.feed(bytes);
      let verdict = await ours.next();
      while (verdict.kind !== "error") verdict = await ours.next();
      expect(verdict.error.closeCode).toBe(wsCode);
    });
  }
});

describe("a ws client against our server", () => {
  it("accepts ws's handshake and reads its masked frames", async () => {
    const { port, connection } = await startOurServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/lab`, { perMessageDeflate: false });
    ws.on("error", () => {});
    cleanups.push(() => ws.terminate());
    await once(ws, "open");
    const { reader } = await connection;
    const big = pattern(150_000, 9);
    ws.send("Hello");
    ws.send(pattern(126));
    ws.send(big);
    ws.send("par", { fin: false });
    ws.ping("mid");
    ws.send("tial", { fin: true });
    ws.close(4000, "finished");
    expectMessage(await reader.next(), "text", utf8("Hello"));
    expectMessage(await reader.next(), "binary", pattern(126));
    expectMessage(await reader.next(), "binary", big);
    const ping = await reader.next();
    expect(ping.kind === "control" && ping.frame.opcode).toBe(9);
    expect(ping.kind === "control" && ping.frame.masked).toBe(true);
    expectMessage(await reader.next(), "text", utf8("partial"), 2);
    expect(await reader.next()).toMatchObject({ kind: "control", close: { code: 4000, reason: "finished" } });
  });

  it("sends frames ws reads correctly: text, binary, fragments, ping, large, close", async () => {
    const { port, connection } = await startOurServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    ws.on("error", () => {});
    cleanups.push(() => ws.terminate());
    const got: Array<{ data: Uint8Array; isBinary: boolean }> = [];
    ws.on("message", (data, isBinary) => got.push({ data: toBytes(data), isBinary }));
    let closed: { code: number; reason: string } | null = null;
    ws.on("close", (code, reason) => (closed = { code, reason: reason.toString() }));
    await once(ws, "open");
    const { socket, reader } = await connection;
    const big = pattern(70_000, 5);
    socket.write(frame({ opcode: 1, payload: utf8("Hello") }));
    socket.write(frame({ opcode: 2, payload: pattern(65535) }));
    socket.write(frame({ opcode: 2, payload: big }));
    socket.write(frame({ opcode: 1, fin: false, payload: utf8("Hel") }));
    socket.write(frame({ opcode: 9, payload: utf8("ping") }));
    socket.write(frame({ opcode: 0, payload: utf8("lo") }));
    // ws answers our ping automatically, masked, with the same payload.
    const pong = await reader.next();
    expect(
      pong.kind === "control" && [pong.frame.opcode, pong.frame.masked, new TextDecoder().decode(pong.frame.payload)],
    ).toEqual([10, true, "ping"]);
    await expect.poll(() => got.length).toBe(4);
    expect(got.map((m) => m.isBinary)).toEqual([false, true, true, false]);
    expect(new TextDecoder().decode(got[0]!.data)).toBe("Hello");
    expect(Buffer.from(got[1]!.data).equals(Buffer.from(pattern(65535)))).toBe(true);
    expect(Buffer.from(got[2]!.data).equals(Buffer.from(big))).toBe(true);
    expect(new TextDecoder().decode(got[3]!.data)).toBe("Hello");
    socket.write(frame({ opcode: 8, payload: encodeClosePayload(1001, "going away") }));
    expect(await reader.next()).toMatchObject({ kind: "control", close: { code: 1001 } });
    socket.end();
    await expect.poll(() => closed).toEqual({ code: 1001, reason: "going away" });
  });
});
