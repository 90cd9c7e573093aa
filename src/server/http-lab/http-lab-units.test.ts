// Small pieces of the HTTP lab without a server: parameters, the delayed writer, request heads
// rebuilt for byte counting, and the race schedule.
import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { delayParam, flagParam, wholeNumber } from "./params.ts";
import { createDelayedWriter } from "./write-delay.ts";
import { requestHeadBytes, requestHeadText } from "./wire-bytes.ts";
import { raceSchedule, RACE_IRREGULARITY } from "../race/race-schedule.ts";
import { parseRacePath } from "../race/race-paths.ts";

describe("query parameters", () => {
  it("takes whole numbers in range and refuses everything else with the range", () => {
    const q = (s: string) => new URLSearchParams(s);
    expect(delayParam(q(""), 2000)).toEqual({ ok: true, value: 0 });
    expect(delayParam(q("delay=2000"), 2000)).toEqual({ ok: true, value: 2000 });
    for (const bad of ["delay=2001", "delay=-1", "delay=1e3", "delay=", "delay=0x10", "delay= 5"]) {
      const r = delayParam(q(bad), 2000);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^delay must be a whole number of milliseconds from 0 to 2000, got/);
    }
    expect(wholeNumber(q("events=20"), "events", 1, 20, 10)).toEqual({ ok: true, value: 20 });
    expect(flagParam(q("close=1"), "close")).toEqual({ ok: true, value: true });
    expect(flagParam(q("close=0"), "close")).toEqual({ ok: true, value: false });
    expect(flagParam(q("close=maybe"), "close").ok).toBe(false);
  });
});

describe("the delayed writer", () => {
  it("writes at once without a delay, later and in order with one, and drops writes once cancelled", async () => {
    const now: string[] = [];
    createDelayedWriter(0).run(() => now.push("a"));
    expect(now).toEqual(["a"]);
    const writer = createDelayedWriter(40);
    const order: number[] = [];
    const t0 = performance.now();
    let firstAt = 0;
    writer.run(() => {
      firstAt = performance.now();
      order.push(1);
    });
    writer.run(() => order.push(2));
    expect(order).toEqual([]);
    expect(writer.pending).toBe(2);
    await new Promise((r) => setTimeout(r, 80));
    expect(order).toEqual([1, 2]);
    expect(firstAt - t0).toBeGreaterThanOrEqual(40);
    writer.run(() => order.push(3));
    writer.cancel();
    writer.run(() => order.push(4));
    await new Promise((r) => setTimeout(r, 80));
    expect(order).toEqual([1, 2]);
  });
});

describe("request heads rebuilt for counting", () => {
  it("equals what a client wrote: request line, raw header lines in order, blank line", () => {
    const request = {
      method: "GET",
      url: "/lab/race/x/poll?after=2",
      httpVersion: "1.1",
      rawHeaders: ["Host", "127.0.0.1:4321", "accept", "*/*", "X-É", "é"],
      headers: {},
    } as unknown as IncomingMessage;
    const text = "GET /lab/race/x/poll?after=2 HTTP/1.1\r\nHost: 127.0.0.1:4321\r\naccept: */*\r\nX-É: é\r\n\r\n";
    expect(requestHeadText(request)).toBe(text);
    expect(requestHeadBytes(request)).toBe(Buffer.byteLength(text, "latin1"));
  });
});

describe("race schedule and paths", () => {
  it("starts after the lead time, then spaces events by spacingMs ± 20%, reproducibly", () => {
    const a = raceSchedule(1_000_000, 1000, 20, 500, 42);
    expect(a).toEqual(raceSchedule(1_000_000, 1000, 20, 500, 42));
    expect(a).not.toEqual(raceSchedule(1_000_000, 1000, 20, 500, 43));
    expect(a[0]).toBe(1_001_000);
    for (let i = 1; i < a.length; i++) {
      const gap = a[i]! - a[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(500 * (1 - RACE_IRREGULARITY) - 0.01);
      expect(gap).toBeLessThanOrEqual(500 * (1 + RACE_IRREGULARITY) + 0.01);
    }
  });

  it("parses race addresses", () => {
    expect(parseRacePath("/lab/race/abc_-1/poll")).toEqual({ id: "abc_-1", part: "short-polling" });
    expect(parseRacePath("/lab/race/abc/long-poll")).toEqual({ id: "abc", part: "long-polling" });
    expect(parseRacePath("/lab/race/abc/ws")).toEqual({ id: "abc", part: "websocket" });
    expect(parseRacePath("/lab/race/abc/results")).toEqual({ id: "abc", part: "results" });
    for (const bad of [
      "/lab/race",
      "/lab/race/abc",
      "/lab/race/abc/other",
      "/lab/race/a.b/poll",
      "/lab/race/abc/poll/more",
    ])
      expect(parseRacePath(bad), bad).toBeNull();
  });
});
