// Lesson 9's twins over real sockets: the same WebSocket conversation over HTTP/1.1 and over
// HTTP/2 by extended CONNECT, read back from the captured bytes with the page's own readers
// (HTTP/2 frames, HPACK, WebSocket frames): the server's SETTINGS_ENABLE_CONNECT_PROTOCOL, the
// CONNECT with :protocol websocket and no key, the 200, and the very same WebSocket frames
// inside DATA as after the 101. Then the lab's HTTP/2 side refuses what its HTTP/1.1 side refuses.
import http2 from "node:http2";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { base64ToBytes } from "../../protocol/base64.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import {
  H2_TWIN_MAX_BODY_BYTES,
  H2_TWIN_MAX_MESSAGE_BYTES,
  H2_TWIN_PATH,
  parseH2TwinRun,
  type H2TwinSide,
} from "../../protocol/h2-twin-api.ts";
import { encodeClosePayload } from "../../protocol/close-payload.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { encodeUtf8 } from "../../protocol/utf8.ts";
import { EXAMPLE_CONVERSATION, requestFields } from "../../protocol/websocket-openings.ts";
import { HpackDecoder } from "../../protocol/hpack.ts";
import { Http2FrameReader, type Http2Frame } from "../../protocol/http2-frames.ts";
import { createLab } from "../lab.ts";
import { startPrivateLab } from "../private-lab.ts";
import { defaultLabSettings } from "../settings.ts";
import { startSite, type Running } from "../test-helpers.ts";
import { postWhenLabFree } from "../../widgets/shared/when-lab-free.ts";
import { createH2cServer } from "./h2c-server.ts";

let running: Running | null = null;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const close of closers.splice(0)) await close();
});

const joined = (side: H2TwinSide, dir: "in" | "out"): Uint8Array =>
  Buffer.concat(side.chunks.filter((c) => c.dir === dir).map((c) => base64ToBytes(c.data)!));

function h2Frames(side: H2TwinSide, dir: "in" | "out"): Http2Frame[] {
  const reader = new Http2FrameReader({ expectPreface: dir === "in" });
  const events = side.chunks.filter((c) => c.dir === dir).flatMap((c) => reader.push(base64ToBytes(c.data)!));
  expect(events.filter((e) => e.kind === "error")).toEqual([]);
  if (dir === "in") expect(events[0]?.kind).toBe("preface");
  return events.flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
}

const wsFrames = (bytes: Uint8Array, direction: "client-to-server" | "server-to-client") =>
  new FrameDecoder({ direction }).push(bytes).flatMap((e) => (e.kind === "frame" ? [e.frame] : []));

describe("lesson 9's twins: one WebSocket over HTTP/1.1 and over HTTP/2", () => {
  it("opens with 101 on one side and with extended CONNECT and 200 on the other, then carries the same frames", async () => {
    running = await startSite();
    const response = await fetch(`http://127.0.0.1:${running.port}${H2_TWIN_PATH}`, {
      method: "POST",
      headers: { Origin: running.origin },
    });
    expect(response.status).toBe(200);
    const run = parseH2TwinRun(await response.json());
    expect(run).not.toBeNull();
    const { http1, http2: h2 } = run!;

    // HTTP/1.1: the upgrade, 101, and the frames after it.
    const http1In = joined(http1, "in");
    const http1Out = joined(http1, "out");
    const requestEnd = Buffer.from(http1In).indexOf("\r\n\r\n") + 4;
    const responseEnd = Buffer.from(http1Out).indexOf("\r\n\r\n") + 4;
    expect(Buffer.from(http1Out.subarray(0, responseEnd)).toString("latin1")).toMatch(
      /^HTTP\/1\.1 101 Switching Protocols\r\n/,
    );
    const clientFramesHttp1 = wsFrames(http1In.subarray(requestEnd), "client-to-server");
    const serverFramesHttp1 = wsFrames(http1Out.subarray(responseEnd), "server-to-client");

    // HTTP/2: SETTINGS that allow extended CONNECT, the CONNECT, the 200, DATA on stream 1.
    const sent = h2Frames(h2, "in");
    const received = h2Frames(h2, "out");
    const serverSettings = received.find((f) => f.typeName === "SETTINGS" && !f.flagNames.includes("ACK"))!;
    expect(
      serverSettings.detail.kind === "settings" &&
        serverSettings.detail.settings.find((s) => s.name === "SETTINGS_ENABLE_CONNECT_PROTOCOL")?.value,
    ).toBe(1);
    const requestHeaders = sent.find((f) => f.typeName === "HEADERS")!;
    const request = new HpackDecoder().decode(
      requestHeaders.detail.kind === "field-block" ? requestHeaders.detail.block : new Uint8Array(0),
    );
    if (!request.ok) throw new Error(request.error.error);
    const fields = Object.fromEntries(request.fields.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      ":method": "CONNECT",
      ":protocol": "websocket",
      ":path": "/lab/echo",
      "sec-websocket-version": "13",
    });
    // Lesson 9's model of the same opening (protocol/websocket-openings.ts) names exactly these fields.
    const authority = fields[":authority"]!;
    const modelled = requestFields("h2", { ...EXAMPLE_CONVERSATION, authority, origin: fields.origin! });
    expect(request.fields.map((f) => [f.name, f.value]).sort()).toEqual(modelled.map((f) => [...f]).sort());
    expect(Object.keys(fields)).not.toContain("sec-websocket-key");
    expect(Object.keys(fields)).not.toContain("upgrade");
    const responseHeaders = received.find((f) => f.typeName === "HEADERS")!;
    const answer = new HpackDecoder().decode(
      responseHeaders.detail.kind === "field-block" ? responseHeaders.detail.block : new Uint8Array(0),
    );
    expect(answer.ok && answer.fields.map((f) => [f.name, f.value])).toContainEqual([":status", "200"]);
    expect(answer.ok && answer.fields.map((f) => f.name)).not.toContain("sec-websocket-accept");
    const data = (frames: Http2Frame[]) =>
      Buffer.concat(
        frames
          .filter((f) => f.typeName === "DATA" && f.streamId === requestHeaders.streamId)
          .map((f) => (f.detail.kind === "data" ? f.detail.data : new Uint8Array(0))),
      );
    const clientFramesH2 = wsFrames(data(sent), "client-to-server");
    const serverFramesH2 = wsFrames(data(received), "server-to-client");

    // The same WebSocket frames, byte for byte: same keys, same message, same echo, same close.
    expect(clientFramesH2.map((f) => Buffer.from(f.raw).toString("hex"))).toEqual(
      clientFramesHttp1.map((f) => Buffer.from(f.raw).toString("hex")),
    );
    expect(serverFramesH2.map((f) => Buffer.from(f.raw).toString("hex"))).toEqual(
      serverFramesHttp1.map((f) => Buffer.from(f.raw).toString("hex")),
    );
    expect(clientFramesH2.map((f) => f.opcode)).toEqual([0x1, 0x8]);
    expect(new TextDecoder().decode(serverFramesH2[0]!.payload)).toBe(run!.message);
    expect(serverFramesH2.map((f) => f.opcode)).toEqual([0x1, 0x8]);
    expect(clientFramesH2[0]!.maskingKey && Buffer.from(clientFramesH2[0]!.maskingKey).toString("hex")).toBe(
      run!.maskingKeys[0],
    );
  });

  it("says the reader's message with the reader's masking keys when the body names them, and refuses a body it cannot run", async () => {
    running = await startSite();
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${running!.port}${H2_TWIN_PATH}`, {
        method: "POST",
        headers: { Origin: running!.origin, "Content-Type": "application/json" },
        body,
      });
    const message = "¡Hola, nueve! 👋";
    const response = await post(JSON.stringify({ message, maskingKeys: ["0a1b2c3d", "f0e0d0c0"] }));
    expect(response.status).toBe(200);
    const run = parseH2TwinRun(await response.json())!;
    expect(run.message).toBe(message);
    expect(run.maskingKeys).toEqual(["0a1b2c3d", "f0e0d0c0"]);
    const sent = h2Frames(run.http2, "in");
    const stream = sent.find((f) => f.typeName === "HEADERS")!.streamId;
    const carried = Buffer.concat(
      sent
        .filter((f) => f.typeName === "DATA" && f.streamId === stream)
        .map((f) => (f.detail.kind === "data" ? f.detail.data : new Uint8Array(0))),
    );
    // What a browser with these keys puts on the wire for this message and for close(1000).
    const text = encodeFrame({ opcode: 0x1, payload: encodeUtf8(message), maskingKey: Buffer.from("0a1b2c3d", "hex") });
    const close = encodeFrame({
      opcode: 0x8,
      payload: encodeClosePayload(1000, ""),
      maskingKey: Buffer.from("f0e0d0c0", "hex"),
    });
    expect(text.ok && close.ok).toBe(true);
    expect(Buffer.from(carried).toString("hex")).toBe(
      Buffer.concat([text.ok ? text.bytes : new Uint8Array(0), close.ok ? close.bytes : new Uint8Array(0)]).toString(
        "hex",
      ),
    );

    for (const [body, pattern] of [
      ["not json", /not JSON/],
      [JSON.stringify({ message: "hi", maskingKeys: ["0a1b2c3d"] }), /two keys/],
      [JSON.stringify({ message: "", maskingKeys: ["0a1b2c3d", "f0e0d0c0"] }), /empty/],
      [
        JSON.stringify({ message: "x".repeat(H2_TWIN_MAX_MESSAGE_BYTES + 1), maskingKeys: ["0a1b2c3d", "f0e0d0c0"] }),
        /at most/,
      ],
    ] as const) {
      await new Promise((r) => setTimeout(r, 1100)); // one run per second per address
      const refused = await post(body);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toMatch(pattern);
    }
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post("x".repeat(H2_TWIN_MAX_BODY_BYTES + 1))).status).toBe(413);
  });

  it("serves a class pressing at once: twelve addresses, the lab's few places taken in turn, every run done", async () => {
    running = await startSite();
    const port = running.port;
    const origin = running.origin;
    // Each student's browser: its own address on the loopback network, posting as the widget does.
    const fromAddress = (localAddress: string): typeof fetch =>
      (async (url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((resolve, reject) => {
          const request = httpRequest(
            String(url),
            { method: init?.method, localAddress, headers: { Origin: origin, "Content-Type": "application/json" } },
            (answer) => {
              const chunks: Buffer[] = [];
              answer.on("data", (c: Buffer) => chunks.push(c));
              answer.on("end", () =>
                resolve(
                  new Response(Buffer.concat(chunks), {
                    status: answer.statusCode!,
                    headers: answer.headers as Record<string, string>,
                  }),
                ),
              );
            },
          );
          request.on("error", reject);
          request.end(init?.body as string);
        })) as typeof fetch;
    let waits = 0;
    const body = JSON.stringify({ message: "Hello", maskingKeys: ["0a1b2c3d", "f0e0d0c0"] });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postWhenLabFree(
          `http://127.0.0.1:${port}${H2_TWIN_PATH}`,
          { body },
          { fetch: fromAddress(`127.0.0.${10 + i}`), onWait: () => waits++ },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    // More students than places: some waited their turn instead of failing.
    expect(waits).toBeGreaterThan(0);
  });

  it("the HTTP/2 side keeps the lab's rules: foreign Origin 403, unknown path 404, wrong version 426, plain GET 405", async () => {
    const lab = await startPrivateLab(createLab, defaultLabSettings, [createServer()]);
    const h2 = createH2cServer(lab.lab);
    const port = await new Promise<number>((resolve) =>
      h2.listen(0, "127.0.0.1", () => resolve((h2.address() as AddressInfo).port)),
    );
    closers.push(async () => {
      await new Promise<void>((resolve) => h2.close(() => resolve()));
      await lab.close();
    });
    const session = http2.connect(`http://127.0.0.1:${port}`);
    closers.unshift(async () => void session.destroy());
    await new Promise((resolve) => session.once("remoteSettings", resolve));
    const statusOf = (headers: http2.OutgoingHttpHeaders): Promise<{ status: unknown; body: string }> =>
      new Promise((resolve) => {
        const stream = session.request(headers, { endStream: false });
        let body = "";
        stream.on("data", (d: Buffer) => (body += d.toString()));
        stream.once("response", (h) => stream.once("end", () => resolve({ status: h[":status"], body })));
        stream.on("error", () => resolve({ status: "error", body }));
      });
    const base = {
      ":method": "CONNECT",
      ":protocol": "websocket",
      ":scheme": "http",
      ":path": "/lab/echo",
      ":authority": `127.0.0.1:${port}`,
      "sec-websocket-version": "13",
    };
    const foreign = await statusOf({ ...base, origin: "http://other-site.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/may not use this lab/);
    expect((await statusOf({ ...base, origin: `http://127.0.0.1:${port}`, ":path": "/lab/nowhere" })).status).toBe(404);
    expect((await statusOf({ ...base, origin: `http://127.0.0.1:${port}`, "sec-websocket-version": "8" })).status).toBe(
      426,
    );
    const plain = await new Promise<unknown>((resolve) => {
      const stream = session.request({ ":method": "GET", ":path": "/lab/echo" });
      stream.once("response", (h) => resolve(h[":status"]));
      stream.resume();
    });
    expect(plain).toBe(405);
  });
});
