// The wire tap over real sockets: what the monitor reports must be exactly the bytes that
// crossed the specimen's TCP connection, in both directions, with exact offsets.
import { afterEach, describe, expect, it, vi } from "vitest";
import { OPCODE } from "../../protocol/frame.ts";
import {
  closeOf,
  nextMessage,
  openClient,
  rawExchange,
  startSite,
  upgradeRequest,
  type Running,
} from "../test-helpers.ts";
import {
  chunkEvents,
  concatChunks,
  decodeAll,
  delay,
  expectContiguous,
  generateToken,
  maskedFrame,
  openMonitor,
  openRaw,
  openRecordedClient,
  type MonitorClient,
} from "./tap-test-helpers.ts";

let running: Running | null = null;
const monitors: MonitorClient[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) {
    expect(monitor.invalid).toEqual([]);
    monitor.ws.terminate();
  }
  await running?.stop();
  running = null;
});

async function monitor(token = generateToken()): Promise<MonitorClient & { token: string }> {
  const m = await openMonitor(running!.port, running!.origin, token);
  monitors.push(m);
  return Object.assign(m, { token });
}

const b64 = (data: string): Buffer => Buffer.from(data, "base64");

describe("the wire tap reports the exact bytes", () => {
  it("of a ws client's session: request, response, every read and write", async () => {
    running = await startSite({ maxMessageBytes: 256 * 1024 });
    const m = await monitor();
    const hello = await m.find("hello");
    expect(hello).toMatchObject({
      v: 3,
      token: m.token,
      limits: { captureBytes: 1024 * 1024, eventsPerSecond: 500, monitorBufferBytes: 1024 * 1024 },
    });

    const client = await openRecordedClient(running.port, `/lab/echo?watch=${m.token}`, running.origin);
    const clientPort = client.socket.localPort;
    const large = Buffer.alloc(200 * 1024);
    for (let i = 0; i < large.length; i++) large[i] = (i * 7) & 0xff;
    client.ws.send("Hello");
    expect((await nextMessage(client.ws)).data.toString()).toBe("Hello");
    client.ws.send(Buffer.from([0, 1, 2, 255]));
    expect([...(await nextMessage(client.ws)).data]).toEqual([0, 1, 2, 255]);
    client.ws.send(large);
    expect((await nextMessage(client.ws)).data.equals(large)).toBe(true);
    const closed = closeOf(client.ws);
    client.ws.close(1000, "done");
    await closed;
    const end = await m.find("close");

    const open = await m.find("open");
    expect(open).toMatchObject({
      specimen: 1,
      path: "/lab/echo",
      tuple: { clientAddress: "127.0.0.1", serverAddress: "127.0.0.1", serverPort: running.port },
    });
    expect(open.tuple.clientPort).toBe(clientPort);

    // Request: exactly what the client wrote up to the blank line; the rest of its writes are "in" chunks.
    const written = Buffer.concat(client.writes);
    const request = b64((await m.find("request")).data);
    expect(written.subarray(0, request.length).equals(request)).toBe(true);
    expect(request.toString("latin1")).toMatch(/^GET \/lab\/echo\?watch=[\w-]+ HTTP\/1\.1\r\n[\s\S]*\r\n\r\n$/);
    const ins = chunkEvents(m.events, 1, "in");
    expect(expectContiguous(ins, request.length)).toBe(written.length);
    expect(concatChunks(ins).equals(written.subarray(request.length))).toBe(true);
    const inFrames = decodeAll(concatChunks(ins), "client-to-server");
    expect(inFrames.map((f) => [f.opcode, f.masked])).toEqual([
      [OPCODE.text, true],
      [OPCODE.binary, true],
      [OPCODE.binary, true],
      [OPCODE.close, true],
    ]);
    expect(Buffer.from(inFrames[2]!.payload).equals(large)).toBe(true);

    // Response and "out" chunks: exactly what the client read, in the same order.
    const read = Buffer.concat(client.reads);
    const response = b64((await m.find("response")).data);
    expect(read.subarray(0, response.length).equals(response)).toBe(true);
    expect(response.toString("latin1")).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\n$/);
    const outs = chunkEvents(m.events, 1, "out");
    expect(expectContiguous(outs, response.length)).toBe(read.length);
    expect(concatChunks(outs).equals(read.subarray(response.length))).toBe(true);
    const outFrames = decodeAll(concatChunks(outs), "server-to-client");
    expect(outFrames.map((f) => [f.opcode, f.masked, f.payload.length])).toEqual([
      [OPCODE.text, false, 5],
      [OPCODE.binary, false, 4],
      [OPCODE.binary, false, large.length],
      [OPCODE.close, false, 6],
    ]);

    expect(end).toMatchObject({ specimen: 1, code: 1000, reason: "done", initiator: "client", wasClean: true });
    // Timestamps are server wall-clock times, in order within each direction.
    for (const list of [ins, outs])
      for (let i = 1; i < list.length; i++) expect(list[i]!.t).toBeGreaterThanOrEqual(list[i - 1]!.t);
    expect(Math.abs(open.t - Date.now())).toBeLessThan(60_000);
  });

  it("of a hand-written client, chunk for chunk, with frames sent in the same read as the head", async () => {
    running = await startSite();
    const m = await monitor();
    const first = maskedFrame(OPCODE.text, "early");
    const raw = await openRaw(running.port, `/lab/echo?watch=${m.token}`, running.origin, first);
    const laterFrames = [
      maskedFrame(OPCODE.text, "é".repeat(100)),
      maskedFrame(OPCODE.binary, new Uint8Array(300).fill(9)),
    ];
    const echoed = await raw.waitForBytes(1); // the 101 has arrived
    const headEnd = echoed.indexOf("\r\n\r\n") + 4;
    // Echoes: "early" (2 + 5), 200-byte text (4 + 200), 300-byte binary (4 + 300).
    const expectedOut = headEnd + 7 + 204 + 304;
    for (const frame of laterFrames) {
      raw.socket.write(frame);
      await delay(20);
    }
    await raw.waitForBytes(expectedOut);
    raw.socket.write(maskedFrame(OPCODE.close, new Uint8Array([0x03, 0xe8])));
    await raw.closed;
    expect(await m.find("close")).toMatchObject({ code: 1000, initiator: "client", wasClean: true });
    const received = raw.received();

    const request = b64((await m.find("request")).data);
    expect(request.equals(raw.requestHead)).toBe(true);
    const response = b64((await m.find("response")).data);
    expect(response.equals(received.subarray(0, headEnd))).toBe(true);

    // The frame that shared a TCP read with the head is reported once, right after the head.
    const ins = chunkEvents(m.events, 1, "in");
    expect(ins[0]).toMatchObject({ offset: raw.requestHead.length, length: first.length });
    expect(b64(ins[0]!.data!).equals(first)).toBe(true);
    const sentAfterHead = Buffer.concat([
      first,
      ...laterFrames,
      maskedFrame(OPCODE.close, new Uint8Array([0x03, 0xe8])),
    ]);
    expect(expectContiguous(ins, raw.requestHead.length)).toBe(raw.requestHead.length + sentAfterHead.length);
    const inFrames = decodeAll(concatChunks(ins), "client-to-server");
    expect(inFrames.map((f) => new TextDecoder().decode(f.payload).slice(0, 5))).toEqual([
      "early",
      "ééééé".slice(0, 5),
      "\t\t\t\t\t",
      "\u0003\ufffd",
    ]);
    expect(inFrames.every((f) => f.masked)).toBe(true);

    const outs = chunkEvents(m.events, 1, "out");
    expect(expectContiguous(outs, headEnd)).toBe(received.length);
    expect(concatChunks(outs).equals(received.subarray(headEnd))).toBe(true);
  });

  it("does not tap a connection whose upgrade was not its first request, and says why", async () => {
    running = await startSite();
    const m = await monitor();
    const info = `GET /lab/info HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n\r\n`;
    const raw = await openRaw(running.port, `/lab/echo?watch=${m.token}`, running.origin, undefined, info);
    await raw.waitForBytes(1);
    const error = await m.find("error");
    expect(error.message).toMatch(/ordinary HTTP request before/);
    await delay(50);
    expect(raw.received().toString("latin1")).toContain("HTTP/1.1 101 Switching Protocols");
    expect(m.of("open")).toEqual([]);
    raw.socket.destroy();
  });
});

describe("tokens", () => {
  it("let a monitor see only the specimen that presented its token", async () => {
    running = await startSite();
    const a = await monitor();
    const b = await monitor();
    const url = (token?: string): string => `ws://127.0.0.1:${running!.port}/lab/echo${token ? `?watch=${token}` : ""}`;
    const sa = await openClient(url(a.token), running.origin);
    const sb = await openClient(url(b.token), running.origin);
    const plain = await openClient(url(), running.origin);
    sa.send("for-a");
    sb.send("for-b");
    plain.send("for-nobody");
    await Promise.all([nextMessage(sa), nextMessage(sb), nextMessage(plain)]);
    await delay(50);
    const seen = (m: MonitorClient): string =>
      concatChunks(m.of("chunk").filter((c) => c.dir === "out")).toString("latin1");
    expect(seen(a)).toContain("for-a");
    expect(seen(a)).not.toMatch(/for-b|for-nobody/);
    expect(seen(b)).toContain("for-b");
    expect(seen(b)).not.toMatch(/for-a|for-nobody/);
    expect(a.of("open")).toHaveLength(1);
    expect(b.of("open")).toHaveLength(1);
    for (const s of [sa, sb, plain]) s.close();
  });

  it("are checked: malformed 400, a second monitor 409, a specimen without monitor or with a busy one 409", async () => {
    running = await startSite();
    const host = { Host: `127.0.0.1:${running.port}`, Origin: running.origin };
    expect((await rawExchange(running.port, upgradeRequest("/lab/monitor?watch=short", host))).response).toMatch(
      /^HTTP\/1\.1 400 /,
    );
    expect((await rawExchange(running.port, upgradeRequest("/lab/monitor", host))).response).toMatch(
      /^HTTP\/1\.1 400 /,
    );
    expect((await rawExchange(running.port, upgradeRequest("/lab/echo?watch=bad%20token", host))).response).toMatch(
      /^HTTP\/1\.1 400 /,
    );
    const orphan = await rawExchange(running.port, upgradeRequest(`/lab/echo?watch=${generateToken()}`, host));
    expect(orphan.response).toMatch(/^HTTP\/1\.1 409 /);
    expect(orphan.response).toContain("open the monitor first");

    const m = await monitor();
    await expect(openMonitor(running.port, running.origin, m.token)).rejects.toThrow("HTTP 409");
    // The monitor's own upgrade passes the Origin check like every other.
    expect(
      (
        await rawExchange(
          running.port,
          upgradeRequest(`/lab/monitor?watch=${generateToken()}`, { ...host, Origin: "http://evil.example" }),
        )
      ).response,
    ).toMatch(/^HTTP\/1\.1 403 /);

    const first = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    await expect(
      openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin),
    ).rejects.toThrow("HTTP 409");
    const closed = closeOf(first);
    first.close();
    await closed;
    await m.find("close");
    // A reconnect with the same token is a new specimen for the same monitor.
    const second = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    expect((await m.find("open", (e) => e.specimen === 2)).path).toBe("/lab/echo");
    second.close();
  });

  it("reports a specimen handshake that the lab refuses, and frees the monitor for the next one", async () => {
    running = await startSite();
    const m = await monitor();
    const host = { Host: `127.0.0.1:${running.port}`, Origin: running.origin };
    const { response } = await rawExchange(
      running.port,
      upgradeRequest(`/lab/echo?watch=${m.token}`, { ...host, "Sec-WebSocket-Version": "7" }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect((await m.find("error")).message).toMatch(/handshake was refused/);
    // What the lab wrote instead of a 101 is still shown as it was written.
    expect(Buffer.from((await m.find("response")).data, "base64").toString("latin1")).toBe(
      response.slice(0, response.indexOf("\r\n\r\n") + 4),
    );
    const next = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    expect((await m.find("open", (e) => e.specimen === 2)).path).toBe("/lab/echo");
    next.close();
  });

  it("a monitor that closes stops its tap but not its specimen", async () => {
    running = await startSite();
    const m = await monitor();
    const specimen = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    await m.find("response");
    const gone = closeOf(m.ws);
    m.ws.close();
    await gone;
    await delay(20);
    expect(running.site.lab.tapStats().monitors).toBe(0);
    specimen.send("still here");
    expect((await nextMessage(specimen)).data.toString()).toBe("still here");
    // The token is free again; the old specimen is no longer watched, so a new one may start.
    const again = await monitor(m.token);
    const next = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    expect((await again.find("open")).specimen).toBe(1);
    specimen.close();
    next.close();
  });
});

describe("limits", () => {
  it("stops keeping bytes after the capture limit, while offsets still count every byte", async () => {
    running = await startSite({ tapCaptureBytes: 1500 });
    const m = await monitor();
    const client = await openRecordedClient(running.port, `/lab/echo?watch=${m.token}`, running.origin);
    for (let i = 0; i < 10; i++) {
      client.ws.send("x".repeat(200));
      await nextMessage(client.ws);
    }
    const closed = closeOf(client.ws);
    client.ws.close();
    await closed;
    await m.find("close");
    const request = b64((await m.find("request")).data);
    const response = b64((await m.find("response")).data);
    const all = m.of("chunk");
    const kept = all.filter((c) => c.data !== undefined);
    const cut = all.filter((c) => c.truncated);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((c) => c.data === undefined)).toBe(true);
    expect(request.length + response.length + kept.reduce((n, c) => n + c.length, 0)).toBeLessThanOrEqual(1500);
    // Once the limit is hit, nothing later is kept.
    const firstCut = all.indexOf(cut[0]!);
    expect(all.slice(firstCut).every((c) => c.truncated)).toBe(true);
    const written = Buffer.concat(client.writes).length;
    const read = Buffer.concat(client.reads).length;
    expect(
      expectContiguous(
        all.filter((c) => c.dir === "in"),
        request.length,
      ),
    ).toBe(written);
    expect(
      expectContiguous(
        all.filter((c) => c.dir === "out"),
        response.length,
      ),
    ).toBe(read);
  });

  it("drops events for a monitor that does not read, keeps its queue bounded, and reports the drops", async () => {
    const bufferBytes = 64 * 1024;
    running = await startSite({
      tapMonitorBufferBytes: bufferBytes,
      tapCaptureBytes: 64 * 1024 * 1024,
      tapEventsPerSecond: 1_000_000,
      maxMessageBytes: 64 * 1024,
      maxMessagesPerSecond: 10_000,
    });
    const m = await monitor();
    await m.find("hello");
    const specimen = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    (m.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const lab = running.site.lab;
    const payload = Buffer.alloc(60 * 1024, 1);
    let largest = 0;
    for (let i = 0; i < 160; i++) {
      specimen.send(payload);
      await nextMessage(specimen);
      largest = Math.max(largest, lab.tapStats().maxBufferedBytes);
    }
    const stats = lab.tapStats();
    expect(stats.pendingDrops).toBeGreaterThan(0);
    // Never more than the limit plus the one event that crossed it (a 60 KiB chunk in base64 and JSON).
    expect(largest).toBeLessThanOrEqual(bufferBytes + 90 * 1024);
    (m.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const dropped = await m.find("dropped");
    expect(dropped.events).toBeGreaterThan(0);
    expect(dropped.bytes).toBeGreaterThan(0);
    expect(lab.tapStats().pendingDrops).toBe(0);
    // After catching up, events flow again.
    specimen.send("after");
    await nextMessage(specimen);
    await m.find(
      "chunk",
      (c) =>
        c.dir === "out" &&
        b64(c.data ?? "")
          .toString()
          .includes("after"),
    );
    specimen.close();
  });

  it("drops events over the event rate and reports them", async () => {
    running = await startSite({ tapEventsPerSecond: 10 });
    const m = await monitor();
    const specimen = await openClient(`ws://127.0.0.1:${running.port}/lab/echo?watch=${m.token}`, running.origin);
    let got = 0;
    specimen.on("message", () => got++);
    m.command({ cmd: "burst", count: 50 });
    const dropped = await m.find("dropped", undefined, 3000);
    expect(dropped.events).toBeGreaterThan(0);
    await vi.waitFor(() => expect(got).toBe(50));
    // The command's own answer is never rate-limited away.
    expect((await m.find("command")).ok).toBe(true);
    specimen.close();
  });

  it("batches a burst's events into few monitor messages, and the capture stays byte-exact", async () => {
    running = await startSite();
    const m = await monitor();
    const specimen = await openRecordedClient(running.port, `/lab/echo?watch=${m.token}`, running.origin);
    const texts: string[] = [];
    specimen.ws.on("message", (data) => texts.push(data.toString()));
    m.command({ cmd: "burst", count: 50 });
    await vi.waitFor(() => expect(texts).toHaveLength(50));
    await m.find("command");
    const response = b64((await m.find("response")).data);
    // Everything the client read, in order, from the capture alone.
    await vi.waitFor(() =>
      expect(expectContiguous(chunkEvents(m.events, 1, "out"), response.length)).toBe(
        Buffer.concat(specimen.reads).length,
      ),
    );
    const frames = decodeAll(concatChunks(chunkEvents(m.events, 1, "out")), "server-to-client");
    expect(frames.map((f) => Buffer.from(f.payload).toString())).toEqual(texts);
    // Far fewer monitor messages than events: the burst's writes went out together.
    expect(m.invalid).toEqual([]);
    expect(m.events.length).toBeGreaterThan(m.batches.length);
    expect(Math.max(...m.batches)).toBeGreaterThan(1);
    specimen.ws.close();
  });

  it("describes the monitor and the tap limits at /lab/info", async () => {
    running = await startSite({ tapCaptureBytes: 4096 });
    const info = await (await fetch(`${running.origin}/lab/info`)).json();
    expect(info).toMatchObject({
      endpoints: ["/lab/echo", "/lab/naive-echo", "/lab/room"],
      monitor: {
        path: "/lab/monitor",
        maxMessageBytes: 4096,
        commands: ["ping", "fragmented", "binary", "close", "drop", "burst", "push", "hold-reads"],
      },
      tap: { captureBytes: 4096, eventsPerSecond: 500, monitorBufferBytes: 1024 * 1024 },
    });
  });
});
