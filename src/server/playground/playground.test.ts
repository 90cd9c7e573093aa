// The handshake playground over real sockets: every preset gets the answer the page promises,
// the bytes sent are the bytes given, an upgraded run goes on to a masked "Hello" and a clean
// close, and the endpoint keeps its Origin rule, its size cap and its limits.
import { afterEach, describe, expect, it } from "vitest";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { handshakeExample } from "../../protocol/handshake-example.ts";
import { headerValue, parseResponseHead } from "../../protocol/http1.ts";
import {
  parsePlaygroundRun,
  PLAYGROUND_MAX_REQUEST_BYTES,
  PLAYGROUND_PATH,
  PLAYGROUND_WAIT_MS,
} from "../../protocol/playground-api.ts";
import { PLAYGROUND_PRESETS, presetRequest, type PlaygroundPresetName } from "../../protocol/playground-presets.ts";
import { frameExample } from "../../protocol/rfc-examples.ts";
import { SELF_RUN_BURST } from "../self-runs-http.ts";
import { startSite, type Running } from "../test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

function send(site: Running, body: string, origin: string = site.origin): Promise<Response> {
  return fetch(`http://127.0.0.1:${site.port}${PLAYGROUND_PATH}`, {
    method: "POST",
    headers: origin ? { Origin: origin, "Content-Type": "text/plain" } : {},
    body,
  });
}

async function runOf(response: Response) {
  expect(response.status).toBe(200);
  const parsed = parsePlaygroundRun(await response.json());
  if (!parsed.ok) throw new Error(parsed.error);
  const fromLab = Buffer.concat(parsed.bytes.filter((p) => p.from === "lab").map((p) => p.data));
  const head = parseResponseHead(fromLab);
  return { ...parsed, fromLab, head: head.kind === "head" ? head.head : null };
}

function page(site: Running) {
  return { host: `127.0.0.1:${site.port}`, origin: site.origin };
}

describe("the handshake playground", () => {
  it.each(PLAYGROUND_PRESETS.map((p) => [p.name, p.expectedStatus] as const))(
    "%s: the lab answers %i",
    async (name, status) => {
      running = await startSite();
      const request = presetRequest(name as PlaygroundPresetName, page(running));
      const { run, bytes, head } = await runOf(await send(running, request));
      expect(head?.startLine.status).toBe(status);
      // Sent as given, byte for byte, before anything else.
      expect(bytes[0]).toMatchObject({ from: "client" });
      expect(Buffer.from(bytes[0]!.data).toString("latin1")).toBe(request);
      expect(run.ending === "lab-closed" || run.ending === "complete").toBe(true);
      if (status !== 101) {
        // Every refusal says why in words, and no frame follows it.
        const body = Buffer.from(bytes.filter((p) => p.from === "lab").flatMap((p) => [...p.data]))
          .toString("latin1")
          .split("\r\n\r\n")
          .slice(1)
          .join("");
        expect(body.length).toBeGreaterThan(10);
        expect(bytes.filter((p) => p.from === "client")).toHaveLength(1);
      }
    },
  );

  it("a correct handshake: the sample key's accept, then the RFC's masked Hello, its echo and a clean close", async () => {
    running = await startSite();
    const { run, bytes, fromLab, head } = await runOf(await send(running, presetRequest("good", page(running))));
    expect(headerValue(head!.fields, "sec-websocket-accept")).toBe(handshakeExample.accept);
    const sent = bytes.filter((p) => p.from === "client");
    expect(Buffer.from(sent[1]!.data)).toEqual(Buffer.from(frameExample("masked-text")!.bytes));
    const frames = new FrameDecoder({ direction: "server-to-client" })
      .push(fromLab.subarray(head!.sizes.total))
      .flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
    expect(frames.map((f) => f.opcode)).toEqual([0x1, 0x8]);
    expect(new TextDecoder().decode(frames[0]!.payload)).toBe("Hello");
    expect([...frames[1]!.payload.subarray(0, 2)]).toEqual([0x03, 0xe8]);
    // The client's close is masked (RFC 6455 §5.3) and the lab ends the TCP connection (§7.1.1).
    expect(sent[2]!.data[0]).toBe(0x88);
    expect(sent[2]!.data[1]! & 0x80).toBe(0x80);
    expect(run.ending).toBe("lab-closed");
    // Times are ms since the connection opened, in order.
    const times = bytes.map((p) => p.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("the wrong version gets the version the lab speaks; POST gets Allow: GET; a plain GET is told to upgrade", async () => {
    running = await startSite();
    const version = await runOf(await send(running, presetRequest("wrong-version", page(running))));
    expect(headerValue(version.head!.fields, "sec-websocket-version")).toBe("13");
    const post = await runOf(await send(running, presetRequest("post", page(running))));
    expect(headerValue(post.head!.fields, "allow")).toBe("GET");
    const plain = await runOf(await send(running, presetRequest("no-upgrade", page(running))));
    expect(headerValue(plain.head!.fields, "upgrade")).toBe("websocket");
  });

  it("a head that never ends is dropped by the lab's handshake timeout, without an answer", async () => {
    running = await startSite({ handshakeTimeoutMs: 600, httpRequestTimeoutMs: 1000 });
    const { run, bytes } = await runOf(
      await send(running, `GET /lab/echo HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n`),
    );
    expect(run.ending).toBe("lab-closed");
    expect(run.handshakeTimeoutMs).toBe(600);
    expect(run.endedAt).toBeGreaterThanOrEqual(550);
    expect(run.waitMs).toBe(PLAYGROUND_WAIT_MS);
    expect(bytes.every((p) => p.from === "client")).toBe(true);
  });

  it("bytes that are not HTTP at all get the server's own 400", async () => {
    running = await startSite();
    const { head, run } = await runOf(await send(running, "hello lab\r\n\r\n"));
    expect(head?.startLine.status).toBe(400);
    expect(run.ending === "lab-closed" || run.ending === "complete").toBe(true);
  });

  it("refuses a request over the size cap (413), an empty one (400), another site's page (403) and GET (405)", async () => {
    running = await startSite();
    const big = presetRequest("good", page(running)).replace(
      "\r\n\r\n",
      `\r\nX-Padding: ${"a".repeat(PLAYGROUND_MAX_REQUEST_BYTES)}\r\n\r\n`,
    );
    const tooBig = await send(running, big);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toMatch(String(PLAYGROUND_MAX_REQUEST_BYTES));
    expect((await send(running, "")).status).toBe(400);
    expect((await send(running, presetRequest("good", page(running)), "http://evil.example")).status).toBe(403);
    expect((await send(running, presetRequest("good", page(running)), "")).status).toBe(403);
    expect(
      (await fetch(`http://127.0.0.1:${running.port}${PLAYGROUND_PATH}`, { headers: { Origin: running.origin } }))
        .status,
    ).toBe(405);
  });

  it("shares the self-runs' rate limit: a burst from one address is told to wait", async () => {
    running = await startSite();
    const request = presetRequest("foreign-origin", page(running));
    const statuses = await Promise.all(
      Array.from({ length: SELF_RUN_BURST + 2 }, () => send(running!, request).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 429 || s === 503)).toBe(true);
  });
});
