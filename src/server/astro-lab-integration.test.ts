// Starts the real Astro dev server (with this project's config, so with the lab integration)
// on a free port and checks that the lab and Vite's own HMR socket both work on it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dev } from "astro";
import { WebSocket } from "ws";
import { closeOf, nextMessage, openClient, rawExchange, upgradeRequest } from "./test-helpers.ts";
import { generateToken, openMonitor } from "./tap/tap-test-helpers.ts";
import { RawHttpClient } from "./http-lab/raw-http-client.ts";
import { parseWhoAmI } from "../protocol/lab-api.ts";
import { createRace, driveSse, driveWebSocket, results } from "./race/race-test-helpers.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
let server: Awaited<ReturnType<typeof dev>>;
let port: number;

beforeAll(async () => {
  process.env.ASTRO_TELEMETRY_DISABLED = "1";
  server = await dev({ root, logLevel: "error", server: { host: "127.0.0.1", port: 0 } });
  port = server.address.port;
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("the lab attached to astro dev", () => {
  it("serves /lab/echo on the dev server", async () => {
    const client = await openClient(`ws://127.0.0.1:${port}/lab/echo`, `http://127.0.0.1:${port}`);
    client.send("from dev");
    expect((await nextMessage(client)).data.toString()).toBe("from dev");
    client.close();
  });

  it("checks Host on the dev server's lab upgrades too (DNS rebinding)", async () => {
    const { response } = await rawExchange(
      port,
      upgradeRequest("/lab/echo", { Host: `attacker.example:${port}`, Origin: `http://attacker.example:${port}` }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 421 Misdirected Request\r\n/);
    expect(response).not.toContain(" 101 ");
  });

  it("checks Origin on the dev server too", async () => {
    const { response } = await rawExchange(
      port,
      upgradeRequest("/lab/echo", { Host: `127.0.0.1:${port}`, Origin: "http://evil.example" }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 403/);
  });

  it("leaves Vite's HMR socket working", async () => {
    const hmr = new WebSocket(`ws://127.0.0.1:${port}/`, "vite-hmr");
    const first = await new Promise<string>((resolvePromise, reject) => {
      hmr.once("message", (data) => resolvePromise(data.toString()));
      hmr.once("error", reject);
    });
    expect(hmr.protocol).toBe("vite-hmr");
    expect(JSON.parse(first)).toMatchObject({ type: "connected" });
    const closed = closeOf(hmr);
    hmr.close();
    await closed;
  });

  it("answers /lab/info through the dev server's middleware", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/lab/info`);
    expect(await response.json()).toMatchObject({ endpoints: ["/lab/echo", "/lab/naive-echo", "/lab/room"] });
  });

  it("taps a watched connection on the dev server too", async () => {
    const origin = `http://127.0.0.1:${port}`;
    const token = generateToken();
    const monitor = await openMonitor(port, origin, token);
    const specimen = await openClient(`ws://127.0.0.1:${port}/lab/echo?watch=${token}`, origin);
    const request = Buffer.from((await monitor.find("request")).data, "base64").toString("latin1");
    expect(request).toMatch(new RegExp(`^GET /lab/echo\\?watch=${token} HTTP/1\\.1\r\n[\\s\\S]*\r\n\r\n$`));
    expect(Buffer.from((await monitor.find("response")).data, "base64").toString("latin1")).toMatch(/^HTTP\/1\.1 101 /);
    specimen.send("tapped on dev");
    await nextMessage(specimen);
    await monitor.find("chunk", (c) => c.dir === "out");
    const closed = closeOf(specimen);
    specimen.close();
    await closed;
    expect(await monitor.find("close")).toMatchObject({ initiator: "client", wasClean: true });
    expect(monitor.invalid).toEqual([]);
    monitor.ws.close();
  });

  it("reports connections and runs the push race through the dev server's middleware", async () => {
    const origin = `http://127.0.0.1:${port}`;
    const client = await RawHttpClient.open(port);
    client.request("GET", "/lab/http/whoami", { Host: `127.0.0.1:${port}` });
    const first = parseWhoAmI(JSON.parse((await client.response()).body))!;
    client.request("GET", "/lab/http/whoami?close=1", { Host: `127.0.0.1:${port}` });
    const second = await client.response();
    expect(second.headers.connection).toBe("close");
    expect(parseWhoAmI(JSON.parse(second.body))).toMatchObject({
      connection: first.connection,
      request: first.request + 1,
      closing: true,
    });
    await client.whenClosed;

    const race = await createRace({ port, origin }, "events=2&spacingMs=100");
    const [sse, ws] = await Promise.all([driveSse({ port, origin }, race), driveWebSocket({ port, origin }, race)]);
    expect(sse.arrivals.map((a) => a.event.id)).toEqual([1, 2]);
    expect(ws.arrivals.map((a) => a.event.id)).toEqual([1, 2]);
    const counts = (await results({ port, origin }, race.race)).transports;
    expect(counts.sse).toEqual({ requests: 1, bytesIn: sse.bytesWritten, bytesOut: sse.bytesRead, eventsSent: 2 });
    expect(counts.websocket).toEqual({ requests: 1, bytesIn: ws.bytesWritten, bytesOut: ws.bytesRead, eventsSent: 2 });
  });
});
