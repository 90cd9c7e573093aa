// The lab's https:// and wss:// side over real sockets: the same site, lab and gates as the plain
// side; the raw TLS bytes of a reader's own wss:// connection kept under its token and answered,
// decrypted, to that reader once; handshakes that never finish closed.
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { generateToken } from "../../protocol/tap-events.ts";
import { parseTlsTwinRun } from "../../protocol/tls-twin-api.ts";
import { readTapBatch } from "../../protocol/tap-batch.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { startSite, type Running } from "../test-helpers.ts";
import { labCertificate, type LabCertificate } from "./lab-certificate.ts";
import { createOwnConnections, KEEP_MS, MAX_KEPT, MAX_KEPT_PER_ADDRESS } from "./own-connections.ts";
import { createRawCapture } from "./raw-capture.ts";

let dir: string;
let certificate: LabCertificate;
let running: Running | null = null;
let securePort = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sp-cert-"));
  certificate = await labCertificate({ dir });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function start(lab: Parameters<typeof startSite>[0] = {}): Promise<void> {
  running = await startSite(lab);
  securePort = (await running.site.listenHttps(0, "127.0.0.1", certificate)).port;
}

function fetchHttps(
  path: string,
  options: { method?: string; host?: string; origin?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: "127.0.0.1",
        port: securePort,
        path,
        method: options.method ?? "GET",
        servername: "localhost",
        ca: certificate.cert,
        headers: {
          Host: options.host ?? `localhost:${securePort}`,
          ...(options.origin ? { Origin: options.origin } : {}),
        },
        agent: false,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** Opens wss://…/lab/echo?record=TOKEN as a page would, says `message`, reads the echo and closes with 1000. */
async function converse(token: string, message: string): Promise<void> {
  // The lab's certificate names 127.0.0.1 too, and a page's Origin matches the Host it was served from.
  const ws = new WebSocket(`wss://127.0.0.1:${securePort}/lab/echo?record=${token}`, {
    ca: certificate.cert,
    origin: `https://127.0.0.1:${securePort}`,
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => ws.send(message));
    ws.once("message", () => ws.close(1000));
    ws.once("close", () => resolve());
    ws.once("error", reject);
  });
}

describe("the https:// side", () => {
  it("serves the same site and lab as the plain side, with the same headers and Host check", async () => {
    await start();
    const info = await fetchHttps("/lab/info");
    expect(info.status).toBe(200);
    expect(info.headers["x-content-type-options"]).toBe("nosniff");
    expect((await fetchHttps("/")).body).toContain("<title>home</title>");
    const rebinding = await fetchHttps("/lab/info", { host: `attacker.example:${securePort}` });
    expect(rebinding.status).toBe(421);
  });

  it("keeps a reader's own wss:// connection under its token and answers it, decrypted, once", async () => {
    await start();
    const token = generateToken();
    await converse(token, "Hello over TLS");
    const origin = `https://localhost:${securePort}`;
    const answer = await fetchHttps(`/lab/tls-twin?own=${token}`, { method: "POST", origin });
    expect(answer.status, answer.body).toBe(200);
    const run = parseTlsTwinRun(JSON.parse(answer.body));
    expect(run).not.toBeNull();
    expect(run!.wss.client).toBe("reader");
    expect(run!.message).toBe("Hello over TLS");
    expect(run!.wss).toMatchObject({ version: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", problem: null });
    // The raw bytes start with the reader's ClientHello: a handshake record, nothing readable.
    const sent = Buffer.concat(run!.wss.chunks.filter((c) => c.dir === "in").map((c) => Buffer.from(c.data, "base64")));
    expect(sent[0]).toBe(0x16);
    expect(sent.includes(Buffer.from("Hello over TLS"))).toBe(false);
    // Decrypted: the upgrade request, then the reader's own masked frame; the ws:// twin sent those very bytes.
    const plaintext = Buffer.concat(
      run!.wss.decrypted
        .filter((r) => r.dir === "in" && r.phase === "application" && r.innerType === 23)
        .map((r) => Buffer.from(r.data, "base64")),
    );
    expect(plaintext.toString("latin1")).toMatch(/^GET \/lab\/echo\?record=[\w-]+ HTTP\/1\.1\r\n/);
    const frames = new FrameDecoder({ direction: "client-to-server" })
      .push(plaintext.subarray(plaintext.indexOf("\r\n\r\n") + 4))
      .flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
    const text = frames.find((f) => f.opcode === 0x1)!;
    expect(Buffer.from(text.maskingKey!).toString("hex")).toBe(run!.maskingKey);
    const wsSent = Buffer.concat(
      run!.ws.chunks.filter((c) => c.dir === "in").map((c) => Buffer.from(c.data, "base64")),
    );
    expect(wsSent.includes(Buffer.from(text.raw))).toBe(true);
    // Once only.
    expect((await fetchHttps(`/lab/tls-twin?own=${token}`, { method: "POST", origin })).status).toBe(404);
  });

  it("taps a wss:// connection for the frame inspector as it does a ws:// one: the head and every frame, byte for byte", async () => {
    await start();
    const token = generateToken();
    const origin = `https://127.0.0.1:${securePort}`;
    const options = { ca: certificate.cert, origin, perMessageDeflate: false };
    const events: TapEvent[] = [];
    const monitor = new WebSocket(`wss://127.0.0.1:${securePort}/lab/monitor?watch=${token}`, options);
    monitor.on("message", (data: Buffer) => events.push(...readTapBatch(data).events));
    await new Promise((resolve, reject) => monitor.once("open", resolve).once("error", reject));
    const echo = new WebSocket(`wss://127.0.0.1:${securePort}/lab/echo?watch=${token}`, options);
    await new Promise((resolve, reject) => echo.once("open", resolve).once("error", reject));
    echo.send("hi");
    await new Promise((resolve) => echo.once("message", resolve));
    const until = performance.now() + 3000;
    while (!events.some((e) => e.type === "chunk" && e.dir === "out") && performance.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    echo.close();
    monitor.close();
    const request = events.find((e) => e.type === "request")!;
    expect(request.type === "request" && Buffer.from(request.data, "base64").toString("latin1")).toMatch(
      new RegExp(`^GET /lab/echo\\?watch=${token} HTTP/1\\.1\\r\\n[\\s\\S]*\\r\\n\\r\\n$`),
    );
    const chunks = events.filter((e): e is Extract<TapEvent, { type: "chunk" }> => e.type === "chunk");
    const sent = chunks.find((c) => c.dir === "in")!;
    const sentBytes = Buffer.from(sent.data!, "base64");
    // The browser's masked text frame as it came out of TLS: FIN and text, MASK and 2, a key, 2 bytes.
    expect([sentBytes.length, sentBytes[0], sentBytes[1]]).toEqual([8, 0x81, 0x82]);
    expect(Buffer.from(chunks.find((c) => c.dir === "out")!.data!, "base64").toString("hex")).toBe("81026869");
  });

  it("closes TLS handshakes over the per-address cap at once, and takes new ones when those end", async () => {
    await start({ maxHttpConnectionsPerAddress: 2, handshakeTimeoutMs: 2000 });
    const held = [connect(securePort, "127.0.0.1"), connect(securePort, "127.0.0.1")];
    await Promise.all(held.map((socket) => new Promise((resolve) => socket.once("connect", resolve))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = connect(securePort, "127.0.0.1");
    const started = performance.now();
    await new Promise((resolve) => third.once("close", resolve));
    expect(performance.now() - started).toBeLessThan(1000);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetchHttps("/lab/info")).status).toBe(200);
  });

  it("keeps nothing of ordinary requests, nor of upgrades without a token", async () => {
    await start();
    await fetchHttps("/");
    expect(running!.site.lab.ownConnections.size).toBe(0);
    const origin = `https://localhost:${securePort}`;
    const answer = await fetchHttps(`/lab/tls-twin?own=${generateToken()}`, { method: "POST", origin });
    expect(answer.status).toBe(404);
    expect(answer.body).toContain("?record=TOKEN");
  });

  it("closes a connection whose TLS handshake does not finish within the handshake timeout", async () => {
    await start({ handshakeTimeoutMs: 300 });
    const socket = connect(securePort, "127.0.0.1");
    const started = performance.now();
    await new Promise((resolve) => socket.once("close", resolve));
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("own connections, kept for their reader", () => {
  const capture = () =>
    createRawCapture(1024, { clientAddress: "192.0.2.1", clientPort: 1, serverAddress: "192.0.2.2", serverPort: 2 });

  it("gives a capture once, and only to the address that opened it", () => {
    const own = createOwnConnections();
    const kept = capture();
    own.keep("t".repeat(22), "192.0.2.1", kept);
    expect(own.take("t".repeat(22), "192.0.2.99")).toBeNull();
    expect(own.take("t".repeat(22), "192.0.2.1")).toBe(kept);
    expect(own.take("t".repeat(22), "192.0.2.1")).toBeNull();
  });

  it("forgets a capture after KEEP_MS and holds at most MAX_KEPT", () => {
    let now = 0;
    const own = createOwnConnections(() => now);
    own.keep("a".repeat(22), "192.0.2.1", capture());
    now = KEEP_MS + 1;
    expect(own.take("a".repeat(22), "192.0.2.1")).toBeNull();
    for (let i = 0; i < MAX_KEPT + 10; i++)
      own.keep(`token-${String(i).padStart(16, "0")}`, `198.51.100.${i % 250}`, capture());
    expect(own.size).toBe(MAX_KEPT);
    expect(own.take(`token-${String(0).padStart(16, "0")}`, "198.51.100.0")).toBeNull();
  });

  it("keeps at most MAX_KEPT_PER_ADDRESS for one address, so one client cannot push out the others", () => {
    const own = createOwnConnections();
    const reader = capture();
    own.keep("reader-token-0000000000", "192.0.2.7", reader);
    for (let i = 0; i < MAX_KEPT * 2; i++) own.keep(`hostile-${String(i).padStart(16, "0")}`, "203.0.113.9", capture());
    expect(own.size).toBe(1 + MAX_KEPT_PER_ADDRESS);
    expect(own.take("reader-token-0000000000", "192.0.2.7")).toBe(reader);
  });

  it("keeps at most its limit of raw bytes and says so", () => {
    const raw = capture();
    raw.record("in", Buffer.alloc(1000));
    raw.record("out", Buffer.alloc(100));
    expect(raw.chunks.map((c) => c.bytes.length)).toEqual([1000]);
    expect(raw.truncated).toBe(true);
  });
});
