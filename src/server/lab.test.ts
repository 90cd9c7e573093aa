import { afterEach, describe, expect, it, vi } from "vitest";
import { connect } from "node:net";
import { WebSocket } from "ws";
import {
  closeOf,
  nextMessage,
  openClient,
  rawExchange,
  startSite,
  upgradeRequest,
  type Running,
} from "./test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe("lab echo over real sockets", () => {
  it("echoes text as text and binary as binary", async () => {
    running = await startSite();
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    client.send("héllo");
    const text = await nextMessage(client);
    expect(text.isBinary).toBe(false);
    expect(text.data.toString("utf8")).toBe("héllo");
    client.send(Buffer.from([0, 1, 2, 255]));
    const binary = await nextMessage(client);
    expect(binary.isBinary).toBe(true);
    expect([...binary.data]).toEqual([0, 1, 2, 255]);
    client.close();
  });

  it("completes the RFC 6455 §1.3 sample handshake with compression off", async () => {
    running = await startSite();
    const request = upgradeRequest("/lab/echo", {
      Host: `127.0.0.1:${running.port}`,
      Origin: running.origin,
      "Sec-WebSocket-Extensions": "permessage-deflate",
    });
    const { response } = await rawExchange(running.port, request, 300);
    expect(response).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(response).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(response).not.toMatch(/Sec-WebSocket-Extensions/i);
  });
});

describe("origin check", () => {
  it("refuses a foreign Origin with 403 and no 101", async () => {
    running = await startSite();
    const { response, closedByServer } = await rawExchange(
      running.port,
      upgradeRequest("/lab/echo", { Host: `127.0.0.1:${running.port}`, Origin: "http://evil.example" }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(response).not.toContain("101");
    expect(response).toContain("http://evil.example");
    expect(closedByServer).toBe(true);
  });

  it("refuses a handshake without Origin", async () => {
    running = await startSite();
    await expect(openClient(`ws://127.0.0.1:${running.port}/lab/echo`, undefined)).rejects.toThrow("HTTP 403");
  });

  it("accepts an origin from the allow-list", async () => {
    running = await startSite({ allowedOrigins: ["http://teacher.example:8080"] });
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, "http://teacher.example:8080");
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
  });
});

describe("limits", () => {
  it("closes an oversized message with 1009", async () => {
    running = await startSite({ maxMessageBytes: 1024 });
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    const closed = closeOf(client);
    client.send(Buffer.alloc(1025));
    expect((await closed).code).toBe(1009);
  });

  it("still echoes a message of exactly the maximum size", async () => {
    running = await startSite({ maxMessageBytes: 1024 });
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    client.send(Buffer.alloc(1024, 7));
    expect((await nextMessage(client)).data.byteLength).toBe(1024);
    client.close();
  });

  it("closes a connection that sends faster than the rate limit with 1008", async () => {
    running = await startSite({ maxMessagesPerSecond: 5 });
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    const closed = closeOf(client);
    for (let i = 0; i < 50; i++) client.send(`m${i}`);
    const { code, reason } = await closed;
    expect(code).toBe(1008);
    expect(reason).toMatch(/5 messages per second/);
  });

  it("refuses more connections per address than allowed with 429", async () => {
    running = await startSite({ maxConnectionsPerAddress: 2 });
    const url = `ws://127.0.0.1:${running.port}/lab/echo`;
    const a = await openClient(url, running.origin);
    const b = await openClient(url, running.origin);
    await expect(openClient(url, running.origin)).rejects.toThrow("HTTP 429");
    a.close();
    await closeOf(a);
    await new Promise((r) => setTimeout(r, 20));
    const c = await openClient(url, running.origin);
    b.close();
    c.close();
  });

  it("closes a stalled handshake when the timeout runs out", async () => {
    running = await startSite({ handshakeTimeoutMs: 200 });
    const partial = `GET /lab/echo HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\nUpgrade: websocket\r\n`;
    const { response, closedByServer } = await rawExchange(running.port, partial, 5000);
    expect(closedByServer).toBe(true);
    expect(response).toBe("");
  });

  it("drops a peer that stops answering pings", async () => {
    running = await startSite({ heartbeatIntervalMs: 100 });
    const port = running.port;
    const origin = running.origin;
    // A raw client completes the handshake and then never answers a ping (it reads and
    // discards everything, so the server's FIN is seen when it comes).
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.write(upgradeRequest("/lab/echo", { Host: `127.0.0.1:${port}`, Origin: origin })),
      );
      socket.resume();
      socket.on("close", () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(true);
    const lab = running.site.lab;
    await vi.waitFor(() => expect(lab.connectionCount()).toBe(0));
  });

  it("pings each peer first one interval after it opened, not on a tick shared with the others", async () => {
    running = await startSite({ heartbeatIntervalMs: 300 });
    const first = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    const firstPings: number[] = [];
    const firstOpened = Date.now();
    first.on("ping", () => firstPings.push(Date.now() - firstOpened));
    await new Promise((r) => setTimeout(r, 200));
    // The second peer opens 200 ms into the first one's interval: a shared tick would ping it
    // about 100 ms after its opening.
    const second = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    const secondPings: number[] = [];
    const secondOpened = Date.now();
    second.on("ping", () => secondPings.push(Date.now() - secondOpened));
    await new Promise((r) => setTimeout(r, 450));
    expect(firstPings.length).toBeGreaterThanOrEqual(2);
    expect(secondPings.length).toBeGreaterThanOrEqual(1);
    // Timers may fire late on a busy machine, never early; the openings' own round trips make
    // the measured figures a few milliseconds shorter than the interval at most.
    expect(firstPings[0]).toBeGreaterThanOrEqual(250);
    expect(secondPings[0]).toBeGreaterThanOrEqual(250);
    first.close();
    second.close();
  });

  it("keeps a peer that answers pings", async () => {
    running = await startSite({ heartbeatIntervalMs: 50 });
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    let pings = 0;
    client.on("ping", () => pings++);
    await new Promise((r) => setTimeout(r, 400));
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
  });
});

describe("paths", () => {
  it("answers an unknown /lab/ path with 404", async () => {
    running = await startSite();
    const { response } = await rawExchange(
      running.port,
      upgradeRequest("/lab/nope", { Host: `127.0.0.1:${running.port}`, Origin: running.origin }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(response).toContain("/lab/echo");
  });

  it("answers an upgrade outside /lab/ instead of leaving it hanging", async () => {
    running = await startSite();
    const { response, closedByServer } = await rawExchange(
      running.port,
      upgradeRequest("/somewhere", { Host: `127.0.0.1:${running.port}`, Origin: running.origin }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(closedByServer).toBe(true);
  });

  it("describes its limits at /lab/info", async () => {
    running = await startSite({ maxMessageBytes: 4096 });
    const response = await fetch(`${running.origin}/lab/info`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      endpoints: ["/lab/echo", "/lab/naive-echo", "/lab/room"],
      maxMessageBytes: 4096,
      compression: false,
    });
  });
});

describe("shutdown", () => {
  it("closes lab sockets with 1001 Going Away", async () => {
    running = await startSite();
    const client = await openClient(`ws://127.0.0.1:${running.port}/lab/echo`, running.origin);
    const closed = closeOf(client);
    await running.stop();
    running = null;
    expect(await closed).toEqual({ code: 1001, reason: "The lab server is shutting down" });
  });
});

describe("handshake refusals", () => {
  const base = (port: number, origin: string) => ({ Host: `127.0.0.1:${port}`, Origin: origin });

  it("answers a wrong version with 426 and the version the lab speaks", async () => {
    running = await startSite();
    const { response } = await rawExchange(
      running.port,
      upgradeRequest("/lab/echo", { ...base(running.port, running.origin), "Sec-WebSocket-Version": "8" }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(response).toMatch(/\r\nSec-WebSocket-Version: 13\r\n/);
  });

  it("answers a bad key with 400 and a POST with 405", async () => {
    running = await startSite();
    const bad = await rawExchange(
      running.port,
      upgradeRequest("/lab/echo", { ...base(running.port, running.origin), "Sec-WebSocket-Key": "not-a-key" }),
    );
    expect(bad.response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*base64 of 16 random bytes/);
    const post = await rawExchange(
      running.port,
      upgradeRequest("/lab/echo", base(running.port, running.origin)).replace(/^GET/, "POST"),
    );
    expect(post.response).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n[\s\S]*Allow: GET/);
  });

  it("answers plain HTTP to a WebSocket endpoint with 426 Upgrade Required", async () => {
    running = await startSite();
    const response = await fetch(`${running.origin}/lab/echo`);
    expect(response.status).toBe(426);
    expect(response.headers.get("upgrade")).toBe("websocket");
  });
});

describe("slow readers", () => {
  async function flood(
    budget: number,
  ): Promise<{ stillOpenAfterMs: (ms: number) => Promise<boolean>; done: () => void }> {
    running = await startSite({
      maxSendBufferBytes: budget,
      maxMessagesPerSecond: 100_000,
      maxMessageBytes: 32 * 1024,
    });
    const port = running.port;
    const origin = running.origin;
    const { encodeFrame } = await import("../protocol/frame-encode.ts");
    const frame = encodeFrame({
      opcode: 2,
      payload: new Uint8Array(16 * 1024),
      maskingKey: new Uint8Array([1, 2, 3, 4]),
    });
    if (!frame.ok) throw new Error(frame.error);
    let upgraded = 0;
    running.site.server.on("upgrade", () => upgraded++);
    // A raw client that completes the handshake, writes masked frames, and never reads a byte.
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(upgradeRequest("/lab/echo", { Host: `127.0.0.1:${port}`, Origin: origin }));
      // Far more than loopback's socket buffers hold, so the lab's queue for this reader must grow.
      for (let i = 0; i < 2000; i++) socket.write(frame.bytes);
    });
    socket.pause();
    socket.on("error", () => {});
    await vi.waitFor(() => expect(upgraded).toBe(1));
    const lab = running.site.lab;
    return {
      async stillOpenAfterMs(ms: number) {
        const deadline = Date.now() + ms;
        while (Date.now() < deadline) {
          if (lab.connectionCount() === 0) return false;
          await new Promise((r) => setTimeout(r, 50));
        }
        return true;
      },
      done: () => socket.destroy(),
    };
  }

  it("drops an echo client that stops reading instead of buffering for it", async () => {
    const run = await flood(64 * 1024);
    expect(await run.stillOpenAfterMs(15_000)).toBe(false);
    run.done();
  }, 30_000);

  it("keeps the same client while its queue is within the budget", async () => {
    const run = await flood(512 * 1024 * 1024);
    expect(await run.stillOpenAfterMs(1500)).toBe(true);
    run.done();
  }, 30_000);
});
