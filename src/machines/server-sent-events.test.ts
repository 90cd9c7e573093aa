import { describe, expect, it } from "vitest";
import { sseEventBlock } from "../sim/wire-messages.ts";
import { defaultLink, defaultScenario, runScenario } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings } from "../sim/trace.ts";

describe("server-sent events", () => {
  it.each([10, 50, 300])("delivers each event one one-way trip after it happens (one way %i ms)", (oneWayMs) => {
    const trace = runScenario({
      kind: "sse",
      link: { ...defaultLink, oneWayMs },
      serverEvents: [1000, 1001, 2500, 6000],
      durationMs: 7000,
    });
    expect(trace.deliveries.map((d) => d.deliveredAt! - d.occurredAt)).toEqual([
      oneWayMs,
      oneWayMs,
      oneWayMs,
      oneWayMs,
    ]);
  });

  it("makes one request and answers with one text/event-stream response, then event blocks", () => {
    const trace = runScenario({ kind: "sse", link: defaultLink, ...defaultScenario.sse });
    expect(totals(trace).requests).toBe(1);
    const fromServer = trace.messages.filter((m) => m.from === "server" && m.layer !== "tcp");
    expect(fromServer[0]!.label).toContain("text/event-stream");
    expect(fromServer.slice(1).every((m) => m.layer === "sse" && m.carriesEvents?.length === 1)).toBe(true);
  });

  it("counts the bytes of each event block: chunk framing and field syntax are overhead", () => {
    const block = sseEventBlock([3]);
    const text = `id: 3\ndata: {"id":3,"text":"update 3"}\n\n`;
    expect(block.bytes).toBe(`${text.length.toString(16)}\r\n`.length + text.length + 2);
    expect(block.bytes - block.headerBytes).toBe('{"id":3,"text":"update 3"}'.length);
  });

  it("holds events that happen before the stream opens and sends them as soon as it does", () => {
    const trace = runScenario({ kind: "sse", link: defaultLink, serverEvents: [10, 20], durationMs: 1000 });
    expect(trace.deliveries.map((d) => d.deliveredAt)).toEqual([200, 200]);
  });

  it.each([1, 2, 3])("completes over a lossy link and delivers every event (seed %i)", (seed) => {
    const link: LinkSettings = { ...defaultLink, lossRate: 0.2, jitterMs: 20, seed };
    const trace = runScenario({ kind: "sse", link, serverEvents: [600, 1700, 2100, 5400, 6200], durationMs: 20_000 });
    expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
  });
});
