// The push race's refusals and bounds: foreign Origins, unknown races, bad parameters, too many
// races or waiting requests, expiry, and shutdown leaving nothing behind.
import { afterEach, describe, expect, it, vi } from "vitest";
import { rawExchange, startSite, upgradeRequest, type Running } from "../test-helpers.ts";
import { RawHttpClient } from "../http-lab/raw-http-client.ts";
import { createRace, post } from "./race-test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe("creating a race", () => {
  it("requires the page's own Origin (or an allowed one) on POST", async () => {
    running = await startSite({ allowedOrigins: ["http://teacher.example:8080"] });
    const foreign = await post(running.port, "/lab/race?events=2&spacingMs=100", { Origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain("http://evil.example");
    expect((await post(running.port, "/lab/race?events=2&spacingMs=100", {})).status).toBe(403);
    expect(
      (await post(running.port, "/lab/race?events=2&spacingMs=100", { Origin: "http://teacher.example:8080" })).status,
    ).toBe(201);
    const own = await post(running.port, "/lab/race?events=2&spacingMs=100", { Origin: running.origin });
    expect(own.status).toBe(201);
    expect(own.headers["cache-control"]).toBe("no-store");
    expect(running.site.lab.httpStats().races).toBe(2);
  });

  it("refuses GET on /lab/race and parameters out of range", async () => {
    running = await startSite();
    const get = await fetch(`${running.origin}/lab/race?events=2&spacingMs=100`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    for (const [query, message] of [
      ["events=0&spacingMs=100", /events must be a whole number from 1 to 20/],
      ["events=21&spacingMs=100", /events must be/],
      ["events=3&spacingMs=50", /spacingMs must be a whole number of milliseconds from 100 to 5000/],
      ["events=3&spacingMs=100&delay=5000", /delay must be/],
    ] as const) {
      const res = await post(running.port, `/lab/race?${query}`, { Origin: running.origin });
      expect(res.status, query).toBe(400);
      expect(res.body).toMatch(message);
    }
  });

  it("limits races per address and in all with 429", async () => {
    running = await startSite({ maxRacesPerAddress: 2, maxRaces: 3 });
    await createRace(running, "events=1&spacingMs=100");
    await createRace(running, "events=1&spacingMs=100");
    const third = await post(running.port, "/lab/race?events=1&spacingMs=100", { Origin: running.origin });
    expect(third.status).toBe(429);
    expect(third.body).toMatch(/already has 2 races/);
    expect(third.headers["retry-after"]).toBeDefined();
    await running.stop();
    running = await startSite({ maxRacesPerAddress: 5, maxRaces: 1 });
    await createRace(running, "events=1&spacingMs=100");
    const over = await post(running.port, "/lab/race?events=1&spacingMs=100", { Origin: running.origin });
    expect(over.status).toBe(429);
    expect(over.body).toMatch(/running 1 races, its limit/);
  });

  it("forgets a race after its linger time (404 after that)", async () => {
    running = await startSite({ raceLeadMs: 50, raceLingerMs: 100 });
    const race = await createRace(running, "events=1&spacingMs=100");
    expect((await fetch(`${running.origin}/lab/race/${race.race}/results`)).status).toBe(200);
    const lab = running.site.lab;
    await vi.waitFor(() => expect(lab.httpStats().races).toBe(0), { timeout: 3000 });
    const gone = await fetch(`${running.origin}/lab/race/${race.race}/results`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toMatch(/There is no race/);
    // The address may create races again once its old ones are forgotten.
    await createRace(running, "events=1&spacingMs=100");
  });
});

describe("race addresses", () => {
  it("answers an unknown race with 404 on every transport, the WebSocket included", async () => {
    running = await startSite();
    for (const part of ["poll", "long-poll", "sse", "results"]) {
      const res = await fetch(`${running.origin}/lab/race/AAAAAAAAAAAAAAAAAAAAAA/${part}`);
      expect(res.status, part).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    expect((await fetch(`${running.origin}/lab/race/AAAA/nonsense`)).status).toBe(404);
    const { response } = await rawExchange(
      running.port,
      upgradeRequest("/lab/race/AAAAAAAAAAAAAAAAAAAAAA/ws", {
        Host: `127.0.0.1:${running.port}`,
        Origin: running.origin,
      }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*There is no race/);
  });

  it("refuses bad after/delay values with 400, and plain HTTP to the WebSocket address with 426", async () => {
    running = await startSite();
    const race = await createRace(running, "events=1&spacingMs=100");
    expect((await fetch(`${running.origin}/lab/race/${race.race}/poll?after=-1`)).status).toBe(400);
    expect((await fetch(`${running.origin}/lab/race/${race.race}/sse?delay=3000`)).status).toBe(400);
    expect((await fetch(`${running.origin}/lab/race/${race.race}/poll`, { method: "POST" })).status).toBe(405);
    const plain = await fetch(`${running.origin}/lab/race/${race.race}/ws`);
    expect(plain.status).toBe(426);
    const { response } = await rawExchange(
      running.port,
      upgradeRequest(`/lab/race/${race.race}/ws?delay=9999`, {
        Host: `127.0.0.1:${running.port}`,
        Origin: running.origin,
      }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*delay must be/);
  });

  it("refuses a race WebSocket from a foreign Origin with 403 and no 101", async () => {
    running = await startSite();
    const race = await createRace(running, "events=1&spacingMs=100");
    const { response } = await rawExchange(
      running.port,
      upgradeRequest(`/lab/race/${race.race}/ws`, { Host: `127.0.0.1:${running.port}`, Origin: "http://evil.example" }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(response).not.toContain("101");
  });

  it("bounds the requests one race holds waiting (long polls, streams, sockets) with 429", async () => {
    running = await startSite({ raceLeadMs: 5000, maxRaceListeners: 2 });
    const race = await createRace(running, "events=1&spacingMs=100");
    const held = await Promise.all([RawHttpClient.open(running.port), RawHttpClient.open(running.port)]);
    held[0]!.request("GET", `/lab/race/${race.race}/long-poll`, { Host: "127.0.0.1" });
    held[1]!.request("GET", `/lab/race/${race.race}/sse`, { Host: "127.0.0.1" });
    const lab = running.site.lab;
    await vi.waitFor(() => expect(lab.httpStats().exchanges).toBe(2));
    const third = await fetch(`${running.origin}/lab/race/${race.race}/long-poll`);
    expect(third.status).toBe(429);
    expect(await third.text()).toMatch(/as many requests waiting as it allows/);
    const { response } = await rawExchange(
      running.port,
      upgradeRequest(`/lab/race/${race.race}/ws`, { Host: `127.0.0.1:${running.port}`, Origin: running.origin }),
    );
    expect(response).toMatch(/^HTTP\/1\.1 429 /);
    // A short poll never waits, so it is always answered.
    expect((await fetch(`${running.origin}/lab/race/${race.race}/poll`)).status).toBe(200);
    for (const client of held) client.destroy();
  });
});

describe("shutdown", () => {
  it("ends held long polls, event streams and race sockets, and stops every race timer", async () => {
    running = await startSite({ raceLeadMs: 5000 });
    const race = await createRace(running, "events=3&spacingMs=100");
    const long = await RawHttpClient.open(running.port);
    long.request("GET", `/lab/race/${race.race}/long-poll`, { Host: "127.0.0.1" });
    const sse = await RawHttpClient.open(running.port);
    sse.request("GET", `/lab/race/${race.race}/sse`, { Host: "127.0.0.1" });
    const ws = await RawHttpClient.open(running.port);
    ws.request("GET", `/lab/race/${race.race}/ws`, {
      Host: `127.0.0.1:${running.port}`,
      Origin: running.origin,
      Upgrade: "websocket",
      Connection: "Upgrade",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version": "13",
    });
    expect((await ws.response()).status).toBe(101);
    const lab = running.site.lab;
    await vi.waitFor(() => expect(lab.httpStats().exchanges).toBe(2));
    const longAnswer = long.response();
    const stream = sse.response();
    const wsBytes = ws.takeSome();
    await running.stop();
    running = null;
    expect((await longAnswer).status).toBe(503);
    expect((await stream).status).toBe(200);
    const closeFrame = await wsBytes;
    expect(closeFrame[0]).toBe(0x88);
    expect((closeFrame[2]! << 8) | closeFrame[3]!).toBe(1001);
    expect(lab.httpStats()).toEqual({ exchanges: 0, races: 0 });
    for (const client of [long, sse, ws]) client.destroy();
  });
});
