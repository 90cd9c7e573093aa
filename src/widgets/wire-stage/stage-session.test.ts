import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import { encodeFrame } from "../../protocol/frame.ts";
import { handshakeExample } from "../../protocol/rfc-examples.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { replaySession, StageSession, type StageSettings } from "./stage-session.ts";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const tuple = { clientAddress: "127.0.0.1", clientPort: 1, serverAddress: "127.0.0.1", serverPort: 2 };
const T0 = 5_000_000;

/** A real-looking conversation: the handshake, then `sends` echoed messages a second apart and one push. */
function conversation(sends: number, push = true): TapEvent[] {
  const request = ascii(handshakeExample.request);
  const response = ascii(handshakeExample.response);
  const offsets = { in: request.length, out: response.length };
  const events: TapEvent[] = [
    { type: "open", t: T0, specimen: 1, path: "/lab/echo", tuple },
    { type: "request", t: T0, specimen: 1, offset: 0, data: bytesToBase64(request) },
    { type: "response", t: T0 + 1, specimen: 1, offset: 0, data: bytesToBase64(response) },
  ];
  const chunk = (dir: "in" | "out", t: number, text: string): void => {
    const encoded = encodeFrame({
      opcode: 1,
      payload: new TextEncoder().encode(text),
      maskingKey: dir === "in" ? new Uint8Array([1, 2, 3, 4]) : null,
    });
    if (!encoded.ok) throw new Error(encoded.error);
    events.push({
      type: "chunk",
      t: T0 + t,
      specimen: 1,
      dir,
      offset: offsets[dir],
      length: encoded.bytes.length,
      data: bytesToBase64(encoded.bytes),
    });
    offsets[dir] += encoded.bytes.length;
  };
  for (let i = 0; i < sends; i++) {
    chunk("in", 1000 + i * 1000, `message ${i}`);
    chunk("out", 1000.2 + i * 1000, `message ${i}`);
  }
  if (push) chunk("out", 1500 + sends * 1000, "Score: 1–0");
  return events;
}

const settings = (http: StageSettings["http"]): StageSettings => ({ http, rttMs: 100, pollIntervalMs: 1000 });

describe("a wire stage session", () => {
  it("counts the real side's bytes from the capture: handshake heads plus every frame", () => {
    const session = replaySession(settings("request-response"), conversation(3));
    const ws = session.wsTotals();
    const request = handshakeExample.request.length;
    const response = handshakeExample.response.length;
    // Client frames: 2-byte header + 4-byte key + 9 bytes; server frames: 2 + 9; the push: 2 + 12.
    expect(ws.bytes).toBe(request + response + 3 * (6 + 9) + 3 * (2 + 9) + (2 + 12));
    expect(ws.headerBytes).toBe(request + response + 3 * 6 + 3 * 2 + 2);
    expect(ws.messages).toBe(7);
    expect(ws.echo.count).toBe(3);
    // On a 100 ms round trip, each echo lands one round trip after its message left.
    expect(ws.echo.mean).toBeCloseTo(100, 0);
    expect(ws.delivery).toMatchObject({ count: 1, mean: 50 });
  });

  it("simulates the same messages as HTTP requests, one POST and one response each", () => {
    const session = replaySession(settings("request-response"), conversation(3));
    const http = session.httpTotals();
    expect(http.requests).toBe(3);
    expect(session.httpEcho().count).toBe(3);
    // HTTP heads dwarf frame headers.
    const ws = session.wsTotals();
    expect(http.headerBytes).toBeGreaterThan(10 * (ws.headerBytes - ws.handshakeBytes));
    expect(session.items.http.some((i) => i.kind === "tcp" && i.label.includes("SYN"))).toBe(true);
  });

  it("delivers the lab's messages over long polling and counts each delivery", () => {
    const session = replaySession(settings("long-polling"), conversation(2));
    const http = session.httpTotals();
    // Every lab message (two echoes and a push) is a server event in the polling models.
    expect(http.delivered).toBe(3);
    expect(http.meanDeliveryMs).toBeGreaterThanOrEqual(50);
  });

  it("keeps each side's items sorted by departure and finds the visible window by time", () => {
    const session = replaySession(settings("short-polling"), conversation(5));
    for (const side of ["ws", "http"] as const) {
      const list = session.items[side];
      for (let i = 1; i < list.length; i++) expect(list[i]!.departAt).toBeGreaterThanOrEqual(list[i - 1]!.departAt);
    }
    const [lo, hi] = session.windowRange("ws", 2000, 3000);
    const inside = session.items.ws.slice(lo, hi);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((i) => i.departAt <= 3000 && (i.arriveAt ?? i.departAt) >= 2000 - session.maxFlightMs)).toBe(
      true,
    );
  });

  it("grows incrementally: feeding events live gives the same items as a replay", () => {
    const events = conversation(4);
    const live = new StageSession(settings("polling-chat"));
    for (const event of events) {
      live.pushTap(event);
      live.advance(live.end);
    }
    live.advance(live.end + 1000 + 200);
    const replay = replaySession(settings("polling-chat"), events);
    const strip = (s: StageSession) => s.items.ws.map(({ id: _id, ...rest }) => rest);
    expect(strip(live)).toEqual(strip(replay));
    expect(live.httpTotals().requests).toBeGreaterThanOrEqual(4);
  });

  it("catches up on a long stretch in parts of at most maxSpanMs, with the same items as in one go", () => {
    const whole = new StageSession(settings("short-polling"));
    const parts = new StageSession(settings("short-polling"));
    for (const session of [whole, parts]) for (const event of conversation(2)) session.pushTap(event);
    const start = whole.end;
    whole.advance(start);
    parts.advance(start);
    whole.advance(start + 60_000);
    let calls = 0;
    while (parts.simulatedTo < start + 60_000) {
      parts.advance(start + 60_000, 10_000);
      calls++;
    }
    expect(calls).toBe(6);
    expect(parts.simulatedTo).toBe(start + 60_000);
    const strip = (s: StageSession) => s.items.http.map(({ id: _id, ...rest }) => ({ ...rest }));
    // A minute of polling once a second: about sixty polls, each a request and its answer.
    expect(whole.items.http.length).toBeGreaterThan(100);
    expect(strip(parts)).toEqual(strip(whole));
  });

  it("numbers its steps as a replay does when each event reaches it before its moment (what a deep link relies on)", () => {
    const events = conversation(3);
    const http = settings("request-response");
    const live = new StageSession(http);
    // The element keeps its live edge a playout delay behind the lab's clock, so the HTTP side
    // has not yet run past the moment an arriving event names.
    for (const event of events) {
      const at = "t" in event ? live.stageTimeAt(event.t) : null;
      if (at !== null) live.advance(Math.max(0, at - 50));
      live.pushTap(event);
    }
    live.advance(live.end + 1000 + 200);
    const replay = replaySession(http, events);
    const steps = (s: StageSession) => Array.from({ length: s.moments.length }, (_, i) => s.moments.timeOf(i + 1));
    const httpItems = (s: StageSession) => s.items.http.map(({ id: _id, ...rest }) => rest);
    expect(httpItems(live)).toEqual(httpItems(replay));
    expect(steps(live)).toEqual(steps(replay));
  });

  it("starts over when a new connection opens", () => {
    const session = replaySession(settings("request-response"), conversation(1));
    session.pushTap({ type: "open", t: T0 + 9000, specimen: 2, path: "/lab/echo", tuple });
    expect(session.items.ws).toEqual([]);
    expect(session.wsTotals().bytes).toBe(0);
    expect(session.events).toHaveLength(1);
  });
});
