import { describe, expect, it } from "vitest";
import { OPCODE } from "../protocol/frame.ts";
import { wsFrame } from "../sim/wire-messages.ts";
import { defaultLink, defaultScenario, runScenario } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings } from "../sim/trace.ts";

const payload = (n: number) => new Uint8Array(n);

describe("WebSocket session", () => {
  it.each([
    [0, 2],
    [125, 2],
    [126, 4],
    [65_535, 4],
    [65_536, 10],
  ])(
    "a %i-byte payload costs %i bytes of header from the server and 4 more (the mask) from the client",
    (n, header) => {
      const server = wsFrame("server", OPCODE.binary, payload(n));
      const client = wsFrame("client", OPCODE.binary, payload(n));
      expect(server.headerBytes).toBe(header);
      expect(client.headerBytes).toBe(header + 4);
      expect(client.bytes - client.headerBytes).toBe(n);
      expect(client.headerBytes).toBeLessThanOrEqual(14);
    },
  );

  it("in a session, every frame has 2–14 bytes of header, client frames 4 more than server frames with equal payload", () => {
    const trace = runScenario({ kind: "websocket", link: defaultLink, ...defaultScenario.websocket });
    const frames = trace.messages.filter((m) => m.layer === "websocket");
    expect(frames.length).toBeGreaterThan(10);
    for (const f of frames) {
      expect(f.headerBytes).toBeGreaterThanOrEqual(2);
      expect(f.headerBytes).toBeLessThanOrEqual(14);
    }
    const sent = frames.find((m) => m.from === "client" && m.label.includes("hello 1"))!;
    const echo = frames.find((m) => m.from === "server" && m.label.includes("hello 1"))!;
    expect(sent.bytes - sent.headerBytes).toBe(echo.bytes - echo.headerBytes);
    expect(sent.headerBytes - echo.headerBytes).toBe(4);
    expect([sent.headerBytes, echo.headerBytes]).toEqual([6, 2]);
  });

  it("upgrades with one HTTP request on the TCP connection, then pings, echoes and closes both ways", () => {
    const trace = runScenario({ kind: "websocket", link: defaultLink, ...defaultScenario.websocket });
    expect(totals(trace)).toMatchObject({ requests: 1, tcpConnections: 1 });
    const labels = trace.messages.map((m) => `${m.from} ${m.label}`);
    expect(labels.slice(3, 5)).toEqual([
      "client GET /lab/echo HTTP/1.1 (Upgrade: websocket)",
      "server 101 Switching Protocols",
    ]);
    expect(labels).toContain("server ping");
    expect(labels).toContain("client pong");
    expect(labels.slice(-6)).toEqual([
      "client close frame 1000",
      "server close frame 1000",
      "server FIN, ACK",
      "client ACK",
      "client FIN, ACK",
      "server ACK",
    ]);
  });

  it.each([10, 50, 300])("pushes each event one one-way trip after it happens (one way %i ms)", (oneWayMs) => {
    const trace = runScenario({
      kind: "websocket",
      link: { ...defaultLink, oneWayMs },
      serverEvents: [1000, 1001, 2500, 6000],
      clientMessages: [1500],
      durationMs: 7000,
    });
    expect(trace.deliveries.map((d) => d.deliveredAt! - d.occurredAt)).toEqual([
      oneWayMs,
      oneWayMs,
      oneWayMs,
      oneWayMs,
    ]);
  });

  it.each([1, 2, 3])("completes over a lossy link and delivers every event (seed %i)", (seed) => {
    const link: LinkSettings = { ...defaultLink, lossRate: 0.2, jitterMs: 20, seed };
    const trace = runScenario({
      kind: "websocket",
      link,
      serverEvents: [600, 1700, 2100, 5400, 6200],
      clientMessages: [1000, 3000],
      durationMs: 20_000,
    });
    expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
    expect(trace.messages.filter((m) => m.label === "close frame 1000" && m.arrivesAt !== null)).toHaveLength(2);
  });
});
