import { afterEach, describe, expect, it, vi } from "vitest";
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { parseWhoAmI, type WhoAmI } from "../../protocol/lab-api.ts";
import { startSite, type Running } from "../test-helpers.ts";
import { RawHttpClient } from "./raw-http-client.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

function get(
  port: number,
  path: string,
  agent: Agent | false,
  method = "GET",
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, agent, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function whoami(
  port: number,
  query: string,
  agent: Agent | false,
): Promise<{ who: WhoAmI; headers: IncomingHttpHeaders }> {
  const { status, headers, body } = await get(port, `/lab/http/whoami${query}`, agent);
  expect(status).toBe(200);
  const who = parseWhoAmI(JSON.parse(body));
  expect(who).not.toBeNull();
  return { who: who!, headers };
}

describe("GET /lab/http/whoami", () => {
  it("reports one connection with request numbers 1, 2, 3 for a keep-alive client", async () => {
    running = await startSite();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await whoami(running.port, "", agent));
      expect(new Set(answers.map((a) => a.who.connection)).size).toBe(1);
      expect(answers.map((a) => a.who.request)).toEqual([1, 2, 3]);
      expect(new Set(answers.map((a) => a.who.clientPort)).size).toBe(1);
      for (const { who, headers } of answers) {
        expect(who).toMatchObject({ clientAddress: "127.0.0.1", closing: false, httpVersion: "1.1" });
        expect(headers["cache-control"]).toBe("no-store");
        expect(headers.connection).toBe("keep-alive");
        expect(Math.abs(who.serverTime - (performance.timeOrigin + performance.now()))).toBeLessThan(5000);
      }
    } finally {
      agent.destroy();
    }
  });

  it("with close=1 answers Connection: close, so every request needs a new connection", async () => {
    running = await startSite();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await whoami(running.port, "?close=1", agent));
      expect(new Set(answers.map((a) => a.who.connection)).size).toBe(3);
      for (const { who, headers } of answers) {
        expect(who.request).toBe(1);
        expect(who.closing).toBe(true);
        expect(headers.connection).toBe("close");
      }
    } finally {
      agent.destroy();
    }
  });

  it("numbers every request on a raw connection, pipelined ones and other pages included", async () => {
    running = await startSite();
    const client = await RawHttpClient.open(running.port);
    const host = { Host: `127.0.0.1:${running.port}` };
    client.request("GET", "/", host);
    client.request("GET", "/lab/http/whoami", host);
    client.request("GET", "/lab/http/whoami", host);
    client.request("GET", "/lab/http/whoami?close=1", host);
    expect((await client.response()).status).toBe(200);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(parseWhoAmI(JSON.parse((await client.response()).body))!);
    expect(answers.map((a) => a.request)).toEqual([2, 3, 4]);
    expect(new Set(answers.map((a) => a.connection)).size).toBe(1);
    expect(answers.map((a) => a.closing)).toEqual([false, false, true]);
    await client.whenClosed;
  });

  it("answers HEAD with the head only and other methods with 405", async () => {
    running = await startSite();
    const head = await get(running.port, "/lab/http/whoami", false, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(Number(head.headers["content-length"])).toBeGreaterThan(0);
    const post = await get(running.port, "/lab/http/whoami", false, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });
});

describe("the lab's added latency", () => {
  it("refuses a delay outside 0–2000 ms with 400 and the bound", async () => {
    running = await startSite();
    for (const bad of ["5000", "-1", "abc", "1.5", "2001"]) {
      const res = await get(running.port, `/lab/http/whoami?delay=${bad}`, false);
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatch(/delay must be a whole number of milliseconds from 0 to 2000/);
      expect(res.headers["cache-control"]).toBe("no-store");
    }
    expect((await get(running.port, "/lab/http/whoami?delay=0", false)).status).toBe(200);
  });

  it("delays only the connection that asked: another connection is answered at once", async () => {
    running = await startSite();
    const port = running.port;
    const t0 = performance.now();
    let slowDoneAt = 0;
    let fastDoneAt = 0;
    const slow = whoami(port, "?delay=300", false).then((r) => ((slowDoneAt = performance.now()), r));
    const fast = whoami(port, "", false).then((r) => ((fastDoneAt = performance.now()), r));
    const [a, b] = await Promise.all([slow, fast]);
    expect(a.who.connection).not.toBe(b.who.connection);
    expect(slowDoneAt - t0).toBeGreaterThanOrEqual(300);
    expect(fastDoneAt).toBeLessThan(slowDoneAt);
    expect(fastDoneAt - t0).toBeLessThan(300);
  });

  it("delays each answer on a keep-alive connection, in order", async () => {
    running = await startSite();
    const client = await RawHttpClient.open(running.port);
    const t0 = performance.timeOrigin + performance.now();
    client.request("GET", "/lab/http/whoami?delay=120", { Host: "127.0.0.1" });
    const first = await client.response();
    client.request("GET", "/lab/http/whoami?delay=120", { Host: "127.0.0.1" });
    const second = await client.response();
    expect(first.at - t0).toBeGreaterThanOrEqual(120);
    expect(second.at - first.at).toBeGreaterThanOrEqual(120);
    expect(parseWhoAmI(JSON.parse(second.body))!.request).toBe(2);
    await client.close();
  });

  it("answers a delayed request with 503 when the server shuts down, leaving no timer behind", async () => {
    running = await startSite();
    const client = await RawHttpClient.open(running.port);
    client.request("GET", "/lab/http/whoami?delay=2000", { Host: "127.0.0.1" });
    const lab = running.site.lab;
    await vi.waitFor(() => expect(lab.httpStats().exchanges).toBe(1));
    const answer = client.response();
    await running.stop();
    running = null;
    const res = await answer;
    expect(res.status).toBe(503);
    expect(res.headers.connection).toBe("close");
    expect(lab.httpStats()).toEqual({ exchanges: 0, races: 0 });
  });
});

describe("/lab/info", () => {
  it("describes the HTTP endpoints beside the existing fields", async () => {
    running = await startSite();
    const info = await (await fetch(`${running.origin}/lab/info`)).json();
    expect(info).toMatchObject({
      endpoints: ["/lab/echo", "/lab/naive-echo", "/lab/room"],
      compression: false,
      http: { whoami: "/lab/http/whoami", maxDelayMs: 2000 },
      race: {
        create: "/lab/race",
        transports: { "short-polling": "/lab/race/{race}/poll", websocket: "/lab/race/{race}/ws" },
        events: { min: 1, max: 20 },
      },
    });
  });
});

describe("bounds", () => {
  it("answers 429 to a connection that pipelines more waiting requests than allowed", async () => {
    running = await startSite({ maxOpenRequestsPerConnection: 2 });
    const client = await RawHttpClient.open(running.port);
    for (let i = 0; i < 3; i++) client.request("GET", "/lab/http/whoami?delay=100", { Host: "127.0.0.1" });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.response()).status);
    // Node answers pipelined requests in order, so the refusal waits its turn behind the two delayed answers.
    expect(statuses).toEqual([200, 200, 429]);
    client.request("GET", "/lab/http/whoami", { Host: "127.0.0.1" });
    expect((await client.response()).status).toBe(200);
    await client.close();
  });
});
