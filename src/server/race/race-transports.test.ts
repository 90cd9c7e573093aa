// The push race over real sockets: every transport delivers every event in order and never
// before its scheduled time, and the lab's byte counts equal what a raw client wrote and read.
import { afterEach, describe, expect, it } from "vitest";
import { TRANSPORTS, type Transport } from "../../protocol/lab-api.ts";
import { startSite, type Running } from "../test-helpers.ts";
import { RawHttpClient } from "../http-lab/raw-http-client.ts";
import { createRace, drivePolling, driveSse, driveWebSocket, results, type Driven } from "./race-test-helpers.ts";
import { RACE_OVER_REASON } from "./race-websocket.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

function expectOnSchedule(driven: Driven, schedule: number[], extraMs = 0): void {
  expect(driven.arrivals.map((a) => a.event.id)).toEqual(schedule.map((_, i) => i + 1));
  for (const { event, at } of driven.arrivals) {
    const due = schedule[event.id - 1]!;
    expect(event.at).toBeGreaterThanOrEqual(due);
    expect(at).toBeGreaterThanOrEqual(due + extraMs);
  }
}

describe("the push race", () => {
  it("creates a race with a schedule on the server clock", async () => {
    running = await startSite({ raceLeadMs: 1000 });
    const race = await createRace(running, "events=5&spacingMs=1000");
    expect(race.race).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(race).toMatchObject({ events: 5, spacingMs: 1000 });
    expect(race.schedule).toHaveLength(5);
    expect(race.schedule[0]! - race.serverTime).toBeCloseTo(1000, 0);
    for (let i = 1; i < 5; i++) {
      const gap = race.schedule[i]! - race.schedule[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(800 - 0.01);
      expect(gap).toBeLessThanOrEqual(1200 + 0.01);
    }
    const other = await createRace(running, "events=5&spacingMs=1000");
    expect(other.race).not.toBe(race.race);
  });

  it("delivers every event by all four transports, in order, never early, and counts the bytes on the wire", async () => {
    running = await startSite({ raceLeadMs: 300 });
    const race = await createRace(running, "events=3&spacingMs=120");
    const [short, long, sse, ws] = await Promise.all([
      drivePolling(running, race, "poll", 25),
      drivePolling(running, race, "long-poll"),
      driveSse(running, race),
      driveWebSocket(running, race),
    ]);
    const driven: Record<Transport, Driven> = { "short-polling": short, "long-polling": long, sse, websocket: ws };
    for (const transport of TRANSPORTS) expectOnSchedule(driven[transport], race.schedule);
    // One event, one `at`: the same events reach every transport.
    for (const transport of TRANSPORTS)
      expect(driven[transport].arrivals.map((a) => a.event.at)).toEqual(ws.arrivals.map((a) => a.event.at));
    // Push transports deliver close to the event (generous bound: loopback, no delay asked).
    for (const transport of ["long-polling", "sse", "websocket"] as const) {
      for (const { event, at } of driven[transport].arrivals) expect(at - event.at).toBeLessThan(1000);
    }
    expect(sse.headers["content-type"]).toBe("text/event-stream");
    expect(sse.headers["cache-control"]).toBe("no-store");
    expect(ws.closeCode).toBe(1000);
    expect(ws.closeReason).toBe(RACE_OVER_REASON);

    const counts = (await results(running, race.race)).transports;
    for (const transport of TRANSPORTS) {
      expect(counts[transport], transport).toEqual({
        requests: driven[transport].requests,
        bytesIn: driven[transport].bytesWritten,
        bytesOut: driven[transport].bytesRead,
        eventsSent: 3,
      });
    }
    expect(short.requests).toBeGreaterThan(3);
    expect(long.requests).toBeLessThanOrEqual(4);
  });

  it("applies a transport's delay to each of its writes", async () => {
    running = await startSite({ raceLeadMs: 200 });
    const race = await createRace(running, "events=2&spacingMs=100");
    const [long, sse, ws] = await Promise.all([
      drivePolling(running, race, "long-poll", 0, "&delay=150"),
      driveSse(running, race, "?delay=150"),
      driveWebSocket(running, race, "?delay=150"),
    ]);
    for (const d of [long, sse, ws]) {
      expectOnSchedule(d, race.schedule);
      for (const { event, at } of d.arrivals) expect(at - event.at).toBeGreaterThanOrEqual(150);
    }
  });

  it("attributes requests on one shared keep-alive connection to their own transport", async () => {
    running = await startSite({ raceLeadMs: 100 });
    const race = await createRace(running, "events=1&spacingMs=100");
    const client = await RawHttpClient.open(running.port);
    const h = { Host: `127.0.0.1:${running.port}` };
    const before = { w: client.bytesWritten };
    const pollText = client.request("GET", `/lab/race/${race.race}/poll?after=0`, h);
    const poll = await client.response();
    const resultsText = client.request("GET", `/lab/race/${race.race}/results`, h);
    const resultsAnswer = await client.response();
    const longText = client.request("GET", `/lab/race/${race.race}/long-poll?after=0`, h);
    const long = await client.response();
    expect(JSON.parse(long.body).events).toHaveLength(1);
    const sseText = client.request("GET", `/lab/race/${race.race}/sse?after=0`, h);
    const sse = await client.response();
    expect(sse.pieces).toHaveLength(1);
    expect(client.bytesWritten - before.w).toBe(
      pollText.length + resultsText.length + longText.length + sseText.length,
    );
    expect(client.bytesRead).toBe(poll.rawLength + resultsAnswer.rawLength + long.rawLength + sse.rawLength);
    const counts = (await results(running, race.race)).transports;
    expect(counts["short-polling"]).toMatchObject({ requests: 1, bytesIn: pollText.length, bytesOut: poll.rawLength });
    expect(counts["long-polling"]).toEqual({
      requests: 1,
      bytesIn: longText.length,
      bytesOut: long.rawLength,
      eventsSent: 1,
    });
    expect(counts.sse).toEqual({ requests: 1, bytesIn: sseText.length, bytesOut: sse.rawLength, eventsSent: 1 });
    expect(counts.websocket).toEqual({ requests: 0, bytesIn: 0, bytesOut: 0, eventsSent: 0 });
    await client.close();
  });

  it("answers a long poll with no events when nothing happens in time", async () => {
    running = await startSite({ raceLeadMs: 2000, longPollTimeoutMs: 150 });
    const race = await createRace(running, "events=1&spacingMs=100");
    const t0 = performance.now();
    const res = await fetch(`${running.origin}/lab/race/${race.race}/long-poll?after=0`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
    expect(await res.json()).toEqual({ events: [] });
  });

  it("resumes an event stream after Last-Event-ID and tells a finished stream's reconnect to stop (204)", async () => {
    running = await startSite({ raceLeadMs: 100 });
    const race = await createRace(running, "events=2&spacingMs=100");
    const all = await driveSse(running, race);
    expect(all.arrivals).toHaveLength(2);
    const client = await RawHttpClient.open(running.port);
    client.request("GET", `/lab/race/${race.race}/sse`, { Host: "127.0.0.1", "Last-Event-ID": "1" });
    const rest = await client.response();
    expect(rest.body).toBe(`id: 2\ndata: ${JSON.stringify(all.arrivals[1]!.event)}\n\n`);
    client.request("GET", `/lab/race/${race.race}/sse`, { Host: "127.0.0.1", "Last-Event-ID": "2" });
    expect((await client.response()).status).toBe(204);
    await client.close();
  });

  it("sends a late WebSocket the events it missed, then closes with 1000", async () => {
    running = await startSite({ raceLeadMs: 50 });
    const race = await createRace(running, "events=2&spacingMs=100");
    await new Promise((r) => setTimeout(r, race.schedule[1]! - (performance.timeOrigin + performance.now()) + 50));
    const ws = await driveWebSocket(running, race);
    expect(ws.arrivals.map((a) => a.event.id)).toEqual([1, 2]);
    expect(ws.closeCode).toBe(1000);
  });
});
