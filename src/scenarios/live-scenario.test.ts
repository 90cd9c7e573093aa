import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../sim/clock.ts";
import { startLiveScenario } from "./live-scenario.ts";
import type { LiveKind, LiveScenario } from "./live-scenario.ts";
import { defaultLink, runScenario } from "./run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings, Trace } from "../sim/trace.ts";
import { eventFrame, eventPayload, withEventSizes } from "../sim/wire-messages.ts";

type BatchKind = "short-polling" | "long-polling" | "sse";

const links: [string, LinkSettings][] = [
  ["a clean link", defaultLink],
  ["a jittery, lossy link", { ...defaultLink, jitterMs: 15, lossRate: 0.15, seed: 42 }],
  ["a slow, narrow link", { ...defaultLink, oneWayMs: 120, bandwidthBytesPerSecond: 20_000, seed: 7 }],
];
const events = [600, 1700, 2100, 5400, 6200, 6201, 9100, 12_345];
const horizon = 14_000;

/** The trace as it stood at `t`: what had been sent, and the deliveries made by then. */
function prefix(trace: Trace, t: number): Trace {
  return {
    ...trace,
    messages: trace.messages.filter((m) => m.sentAt <= t),
    notes: trace.notes.filter((n) => n.at <= t),
    deliveries: trace.deliveries
      .filter((d) => d.occurredAt <= t)
      .map((d) => (d.deliveredAt !== null && d.deliveredAt <= t ? d : { ...d, deliveredAt: null })),
  };
}

/** The live trace as a Trace, so totals() of trace.ts can be asked about it. */
const asTrace = (live: LiveScenario): Trace => ({
  scenario: "sse",
  title: "",
  link: live.link,
  messages: [...live.messages],
  notes: [...live.notes],
  deliveries: [...live.deliveries()],
  duration: 0,
});

function feed(kind: BatchKind, link: LinkSettings, times: number[], until: number): LiveScenario {
  const live = startLiveScenario({ kind, link, pollIntervalMs: 1000, longPollTimeoutMs: 3000 });
  for (const t of times) {
    live.serverEvent(t);
    live.advanceTo(t);
  }
  live.advanceTo(until);
  return live;
}

describe("startLiveScenario: the same world as runScenario, one event at a time", () => {
  const kinds: BatchKind[] = ["short-polling", "long-polling", "sse"];
  describe.each(kinds)("%s", (kind) => {
    it.each(links)("gives the same messages, notes and deliveries up to the horizon on %s", (_, link) => {
      const batch = runScenario({
        kind,
        link,
        serverEvents: events,
        pollIntervalMs: 1000,
        longPollTimeoutMs: 3000,
        durationMs: horizon + 1,
      });
      const live = feed(kind, link, events, horizon);
      const expected = prefix(batch, horizon);
      expect(live.messages).toEqual(expected.messages);
      expect(live.notes).toEqual(expected.notes);
      expect(live.deliveries()).toEqual(expected.deliveries);
      expect(live.totals()).toEqual(totals(expected));
    });
  });

  it("never changes a message once it is recorded", () => {
    const live = startLiveScenario({ kind: "long-polling", link: links[1]![1], longPollTimeoutMs: 3000 });
    const seen: string[] = [];
    for (const t of events) {
      live.serverEvent(t);
      live.advanceTo(t);
      seen.push(...live.messages.slice(seen.length).map((m) => JSON.stringify(m)));
    }
    live.advanceTo(horizon);
    expect(live.messages.slice(0, seen.length).map((m) => JSON.stringify(m))).toEqual(seen);
  });

  it("keeps totals() equal to totals() of the trace so far after every step", () => {
    for (const kind of ["short-polling", "polling-chat", "request-response"] as LiveKind[]) {
      const live = startLiveScenario({ kind, link: links[1]![1] });
      for (const t of events) {
        live.serverEvent(t, 30);
        live.clientMessage(t + 5, 12);
        live.advanceTo(t + 400);
        expect(live.totals()).toEqual(totals(asTrace(live)));
      }
    }
  });
});

describe("event sizes", () => {
  const dataBytes = (live: LiveScenario) =>
    live.messages.filter((m) => m.carriesEvents).map((m) => m.bytes - m.headerBytes);

  it("gives an event's data the size the page reports, in an SSE block", () => {
    const live = startLiveScenario({ kind: "sse", link: defaultLink });
    live.serverEvent(1000, 300);
    live.serverEvent(2000);
    live.advanceTo(3000);
    expect(dataBytes(live)).toEqual([300, eventPayload(2).length]);
  });

  it("carries sized data in a poll's JSON array as a string (two quote bytes more)", () => {
    const live = startLiveScenario({ kind: "long-polling", link: defaultLink });
    live.serverEvent(1000, 300);
    live.advanceTo(3000);
    expect(dataBytes(live)).toEqual(["[]".length + 300 + 2]);
  });

  it("sizes an event's WebSocket frame the same way, and leaves the default frame as the websocket scenario sends it", () => {
    const pushed = runScenario({ kind: "websocket", link: defaultLink }).messages.find(
      (m) => m.carriesEvents?.[0] === 1,
    )!;
    const frame = eventFrame(1);
    expect([frame.label, frame.bytes, frame.headerBytes]).toEqual([pushed.label, pushed.bytes, pushed.headerBytes]);
    const sized = withEventSizes(frame, () => 300);
    expect(sized.bytes - sized.headerBytes).toBe(300);
    expect(sized.headerBytes).toBe(4); // 126..65535 bytes: a 16-bit length follows the first two bytes (RFC 6455 §5.2)
  });

  it("uses the default payload for a size that is not a number, and no data for a negative one", () => {
    const live = startLiveScenario({ kind: "sse", link: defaultLink });
    live.serverEvent(1000, Number.NaN);
    live.serverEvent(1500, -20);
    live.advanceTo(3000);
    expect(dataBytes(live)).toEqual([eventPayload(1).length, 0]);
  });
});

describe("request-response", () => {
  const start = (keepAliveTimeoutMs?: number) =>
    startLiveScenario({ kind: "request-response", link: defaultLink, keepAliveTimeoutMs });
  const http = (live: LiveScenario) => live.messages.filter((m) => m.layer === "http");

  it("turns each message into a request and a response, the first after a TCP handshake", () => {
    const live = start();
    expect(live.clientMessage(0, 11)).toBe(true);
    live.advanceTo(1000);
    expect(live.messages.slice(0, 3).map((m) => m.label)).toEqual(["SYN", "SYN, ACK", "ACK"]);
    live.clientMessage(1000, 20);
    live.advanceTo(2000);
    expect(http(live).map((m) => m.label)).toEqual([
      "POST /echo (11 B body)",
      "200 OK (echo, 11 B body)",
      "POST /echo (20 B body)",
      "200 OK (echo, 20 B body)",
    ]);
    expect(live.totals()).toMatchObject({ requests: 2, tcpConnections: 1 });
  });

  it("opens a new connection for a message after more than the keep-alive timeout idle", () => {
    const live = start(2000);
    live.clientMessage(0, 5);
    live.advanceTo(1000);
    live.clientMessage(1900, 5); // within 2 s of the answer at 150 ms: same connection
    live.advanceTo(4400);
    live.clientMessage(4500, 5); // the answer left at 2050 ms; the server closed at 4050 ms
    live.advanceTo(6000);
    expect(live.messages.filter((m) => m.label === "SYN").map((m) => [m.connection, m.sentAt])).toEqual([
      [1, 0],
      [2, 4500],
    ]);
    expect(live.totals().tcpConnections).toBe(2);
  });

  it("queues messages sent while a request is out: one request at a time per connection", () => {
    const live = start();
    for (let i = 0; i < 4; i++) live.clientMessage(100 + i, 10 + i);
    live.advanceTo(5000);
    const exchange = http(live);
    expect(exchange.map((m) => m.from)).toEqual([
      "client",
      "server",
      "client",
      "server",
      "client",
      "server",
      "client",
      "server",
    ]);
    for (let i = 2; i < exchange.length; i += 2)
      expect(exchange[i]!.sentAt).toBeGreaterThanOrEqual(exchange[i - 1]!.arrivesAt!);
    expect(exchange.filter((m) => m.from === "client").map((m) => m.label)).toEqual(
      [10, 11, 12, 13].map((n) => `POST /echo (${n} B body)`),
    );
  });

  it("records server events it cannot push as never delivered", () => {
    const live = start();
    expect(live.serverEvent(100)).toBe(1);
    live.advanceTo(10_000);
    expect(live.deliveries()).toEqual([{ eventId: 1, occurredAt: 100, deliveredAt: null }]);
    expect(live.messages).toEqual([]);
  });
});

describe("polling-chat", () => {
  it("posts messages on their own connection while it polls for events on the first", () => {
    const live = startLiveScenario({ kind: "polling-chat", link: defaultLink, pollIntervalMs: 500 });
    live.serverEvent(300, 40);
    live.clientMessage(350, 12);
    live.advanceTo(3000);
    const http = live.messages.filter((m) => m.layer === "http");
    expect(new Set(http.filter((m) => m.label.startsWith("GET /poll")).map((m) => m.connection))).toEqual(new Set([1]));
    expect(http.filter((m) => m.connection === 2).map((m) => m.label)).toEqual([
      "POST /messages (12 B body)",
      "204 No Content",
    ]);
    expect(live.deliveries()[0]!.deliveredAt).not.toBeNull();
    expect(live.totals().requests).toBe(http.filter((m) => m.from === "client").length);
  });
});

describe("inputs out of range and the end of a session", () => {
  it("ignores client messages for kinds that have no way to send them, and sizes that are not numbers", () => {
    for (const kind of ["short-polling", "long-polling", "sse"] as LiveKind[])
      expect(startLiveScenario({ kind, link: defaultLink }).clientMessage(0, 10)).toBe(false);
    expect(startLiveScenario({ kind: "request-response", link: defaultLink }).clientMessage(0, Number.NaN)).toBe(false);
  });

  it("never goes backwards: an earlier or bad time means now", () => {
    const live = startLiveScenario({ kind: "sse", link: defaultLink });
    live.advanceTo(5000);
    live.advanceTo(1000);
    live.advanceTo(Number.NaN);
    live.serverEvent(2000);
    live.serverEvent(Number.NaN);
    live.serverEvent(-1);
    live.advanceTo(5000);
    expect(live.deliveries().map((d) => d.occurredAt)).toEqual([5000, 5000, 5000]);
  });

  it("brings bad settings into range, and a bad link as runScenario does", () => {
    const live = startLiveScenario({
      kind: "short-polling",
      link: { ...defaultLink, oneWayMs: Number.NaN, lossRate: 3 },
      pollIntervalMs: -4,
    });
    expect(live.link).toMatchObject({ oneWayMs: defaultLink.oneWayMs, lossRate: 1 });
    live.advanceTo(100); // a link that loses everything: only retransmitted SYNs, and no hang
    expect(live.messages.every((m) => m.arrivesAt === null)).toBe(true);
  });

  it("on stop, the client closes and the world stops; later calls are ignored", () => {
    const live = startLiveScenario({ kind: "polling-chat", link: defaultLink });
    live.clientMessage(0, 3);
    live.advanceTo(2500);
    live.stop();
    expect(live.notes.filter((n) => n.text.includes("TIME-WAIT"))).toHaveLength(2);
    const count = live.messages.length;
    expect(live.serverEvent(3000)).toBe(0);
    expect(live.clientMessage(3000, 3)).toBe(false);
    live.advanceTo(60_000);
    live.stop();
    expect(live.messages).toHaveLength(count);
  });
});

describe("a long session", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(["short-polling", "long-polling", "sse", "polling-chat", "request-response"] as LiveKind[])(
    "%s: 2,000 events keep the clock's queue small and the totals right",
    (kind) => {
      const at = vi.spyOn(VirtualClock.prototype, "at");
      const live = startLiveScenario({
        kind,
        link: { ...defaultLink, jitterMs: 10, seed: 3 },
        pollIntervalMs: 1000,
        longPollTimeoutMs: 20_000,
      });
      let mostPending = 0;
      for (let i = 1; i <= 2000; i++) {
        const t = i * 397;
        live.serverEvent(t, i % 50);
        live.clientMessage(t + 11, i % 30);
        live.advanceTo(t + 200);
        const clock = at.mock.contexts[0] as VirtualClock; // the world's clock: scheduling an event uses it
        mostPending = Math.max(mostPending, clock.pending);
      }
      // The queue holds only what is in flight now: a few timers, however long the session.
      expect(mostPending).toBeLessThan(20);
      expect(live.totals()).toEqual(totals(asTrace(live)));
      if (kind !== "request-response")
        expect(live.deliveries().filter((d) => d.deliveredAt !== null).length).toBeGreaterThan(1990);
    },
  );
});
