// Traffic on request: each monitor command acts on the specimen, the page's side sees the
// effect, and the tap shows the frames that did it.
import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { OPCODE } from "../../protocol/frame.ts";
import { closeOf, nextMessage, openClient, startSite, type Running } from "../test-helpers.ts";
import {
  chunkEvents,
  concatChunks,
  decodeAll,
  delay,
  generateToken,
  openMonitor,
  type MonitorClient,
} from "./tap-test-helpers.ts";

let running: Running | null = null;
let m: MonitorClient | null = null;
let specimen: WebSocket | null = null;
afterEach(async () => {
  expect(m?.invalid ?? []).toEqual([]);
  m?.ws.terminate();
  specimen?.terminate();
  m = null;
  specimen = null;
  await running?.stop();
  running = null;
});

async function session(): Promise<{ m: MonitorClient; specimen: WebSocket }> {
  running = await startSite();
  const token = generateToken();
  m = await openMonitor(running.port, running.origin, token);
  specimen = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${token}`, running.origin);
  await m.find("response");
  return { m, specimen };
}

const frames = (monitor: MonitorClient, dir: "in" | "out") =>
  decodeAll(concatChunks(chunkEvents(monitor.events, 1, dir)), dir === "in" ? "client-to-server" : "server-to-client");

describe("monitor commands", () => {
  it("ping: the page gets the ping and its automatic pong is captured", async () => {
    const { m, specimen } = await session();
    const pinged = new Promise<string>((resolve) => specimen.once("ping", (data) => resolve(data.toString())));
    m.command({ cmd: "ping", payload: "are you there?" });
    expect(await pinged).toBe("are you there?");
    expect(await m.find("command")).toMatchObject({ specimen: 1, command: "ping", ok: true });
    await m.find("chunk", (c) => c.dir === "in");
    const pong = frames(m, "in").find((f) => f.opcode === OPCODE.pong);
    expect(pong?.masked).toBe(true);
    expect(new TextDecoder().decode(pong!.payload)).toBe("are you there?");
    const ping = frames(m, "out").find((f) => f.opcode === OPCODE.ping);
    expect(new TextDecoder().decode(ping!.payload)).toBe("are you there?");
  });

  it("fragmented: one message, several frames on the wire", async () => {
    const { m, specimen } = await session();
    const message = nextMessage(specimen);
    m.command({ cmd: "fragmented", text: "Hello, fragments!", parts: 3 });
    expect((await message).data.toString()).toBe("Hello, fragments!");
    expect((await m.find("command")).ok).toBe(true);
    const out = frames(m, "out");
    expect(out.map((f) => [f.opcode, f.fin])).toEqual([
      [OPCODE.text, false],
      [OPCODE.continuation, false],
      [OPCODE.continuation, true],
    ]);
    expect(out.map((f) => new TextDecoder().decode(f.payload)).join("")).toBe("Hello, fragments!");
  });

  it("binary and burst", async () => {
    const { m, specimen } = await session();
    const binary = nextMessage(specimen);
    m.command({ cmd: "binary", length: 300 });
    const got = await binary;
    expect(got.isBinary).toBe(true);
    expect([...got.data.subarray(254, 258)]).toEqual([254, 255, 0, 1]);
    const texts: string[] = [];
    specimen.on("message", (data) => texts.push(data.toString()));
    m.command({ cmd: "burst", count: 5 });
    await m.find("command", (c) => c.command === "burst");
    while (texts.length < 5) await delay(5);
    expect(texts).toEqual(["burst 1 of 5", "burst 2 of 5", "burst 3 of 5", "burst 4 of 5", "burst 5 of 5"]);
    expect(frames(m, "out").map((f) => f.opcode)).toEqual([OPCODE.binary, ...Array(5).fill(OPCODE.text)]);
  });

  it("hold-reads: frames the page sends while the lab is not reading come out of one TCP read", async () => {
    const { m, specimen } = await session();
    m.command({ cmd: "hold-reads", ms: 300 });
    expect(await m.find("command", (c) => c.command === "hold-reads")).toMatchObject({ ok: true });
    const echoes: string[] = [];
    specimen.on("message", (data) => echoes.push(data.toString()));
    for (let i = 1; i <= 5; i++) specimen.send(`held ${i} of 5`);
    await delay(100);
    // Nothing is read while the lab holds: no echo yet.
    expect(echoes).toEqual([]);
    while (echoes.length < 5) await delay(5);
    expect(echoes).toEqual([1, 2, 3, 4, 5].map((i) => `held ${i} of 5`));
    // The tap reports in batches: wait for the echoes' chunks, which come after the read.
    while (chunkEvents(m.events, 1, "out").length < 5) await delay(5);
    const reads = chunkEvents(m.events, 1, "in");
    const framesPerRead = reads.map((c) => decodeAll(Buffer.from(c.data!, "base64"), "client-to-server").length);
    expect(framesPerRead).toEqual([5]);
  });

  it("push: the server sends a text message unasked", async () => {
    const { m, specimen } = await session();
    const pushed = nextMessage(specimen);
    m.command({ cmd: "push", text: "news: the server spoke first" });
    const got = await pushed;
    expect(got.isBinary).toBe(false);
    expect(got.data.toString()).toBe("news: the server spoke first");
    expect((await m.find("command", (c) => c.command === "push")).ok).toBe(true);
  });

  it("close: the page sees the code and reason; the tap says the server started it", async () => {
    const { m, specimen } = await session();
    const closed = closeOf(specimen);
    m.command({ cmd: "close", code: 4001, reason: "lesson over" });
    expect(await closed).toEqual({ code: 4001, reason: "lesson over" });
    expect(await m.find("close")).toMatchObject({
      specimen: 1,
      code: 4001,
      reason: "lesson over",
      initiator: "server",
      wasClean: true,
    });
  });

  it("drop: the page sees 1006 and the tap reports an unclean close started by the server", async () => {
    const { m, specimen } = await session();
    const closed = closeOf(specimen);
    m.command({ cmd: "drop" });
    expect((await closed).code).toBe(1006);
    expect(await m.find("close")).toMatchObject({ specimen: 1, code: 1006, initiator: "server", wasClean: false });
    expect(frames(m, "out").some((f) => f.opcode === OPCODE.close)).toBe(false);
  });

  it("a peer that vanishes without a close frame is reported as the network", async () => {
    const { m, specimen } = await session();
    specimen.terminate();
    expect(await m.find("close")).toMatchObject({ code: 1006, initiator: "network", wasClean: false });
  });

  it("answers malformed requests with error events and keeps going", async () => {
    const { m, specimen } = await session();
    const bad: unknown[] = [
      "not json",
      "[1,2]",
      { cmd: "nope" },
      { cmd: "ping" },
      { cmd: "ping", payload: "x".repeat(126) },
      { cmd: "fragmented", text: "a", parts: 1 },
      { cmd: "fragmented", text: "a", parts: 17 },
      { cmd: "binary", length: 0 },
      { cmd: "binary", length: 65537 },
      { cmd: "binary", length: 1.5 },
      { cmd: "close", code: 1005 },
      { cmd: "close", code: 1006 },
      { cmd: "close", code: 999 },
      { cmd: "close", code: 2000 },
      { cmd: "close", code: 1000, reason: "é".repeat(62) },
      { cmd: "close", code: 1000, reason: 7 },
      { cmd: "close", code: "9".repeat(3000) },
      { cmd: "burst", count: 1 },
      { cmd: "burst", count: 51 },
      { cmd: "push", text: "" },
      { cmd: "push", text: "x".repeat(1025) },
      { cmd: "hold-reads", ms: 99 },
      { cmd: "hold-reads", ms: 2001 },
    ];
    for (const request of bad) m.command(request);
    m.ws.send(Buffer.from([1, 2, 3]));
    while (m.of("error").length < bad.length + 1) await delay(5);
    expect(m.of("error").map((e) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/JSON/),
        expect.stringMatching(/125 bytes/),
        expect.stringMatching(/123 bytes/),
        expect.stringMatching(/Unknown request "nope"/),
      ]),
    );
    expect(m.of("command")).toEqual([]);
    // Nothing reached the page, and both sockets are still open.
    m.command({ cmd: "ping", payload: "" });
    expect(await m.find("command")).toMatchObject({ ok: true });
    expect(specimen.readyState).toBe(specimen.OPEN);
    expect(frames(m, "out").map((f) => f.opcode)).toEqual([OPCODE.ping]);
  });

  it("says when there is no specimen to act on", async () => {
    running = await startSite();
    m = await openMonitor(running.port, running.origin, generateToken());
    m.command({ cmd: "drop" });
    expect((await m.find("error")).message).toMatch(/no open specimen/);
  });

  it("closes a monitor that sends a message over its 4 KiB limit with 1009", async () => {
    const { m } = await session();
    const closed = closeOf(m.ws);
    m.command({ cmd: "ping", payload: "x".repeat(5000) });
    expect((await closed).code).toBe(1009);
  });

  it("closes a monitor that sends requests too fast with 1008, like any lab socket", async () => {
    running = await startSite({ maxMessagesPerSecond: 5 });
    m = await openMonitor(running.port, running.origin, generateToken());
    const closed = closeOf(m.ws);
    for (let i = 0; i < 30; i++) m.command({ cmd: "drop" });
    expect((await closed).code).toBe(1008);
  });
});
