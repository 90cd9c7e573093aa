import { describe, expect, it } from "vitest";
import { defaultLink, runScenario } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings } from "../sim/trace.ts";

const run = (requests: number, link: Partial<LinkSettings> = {}) =>
  runScenario({ kind: "http10", link: { ...defaultLink, ...link }, requests });

describe("HTTP/1.0 exchange", () => {
  it.each([1, 3, 5])("makes a new TCP connection, with its own handshake, for each of %i requests", (n) => {
    const trace = run(n);
    const syns = trace.messages.filter((m) => m.label === "SYN");
    expect(syns).toHaveLength(n);
    expect(new Set(syns.map((m) => m.connection)).size).toBe(n);
    expect(totals(trace).tcpConnections).toBe(n);
    expect(totals(trace).requests).toBe(n);
    // Each connection carries exactly one request and one response.
    for (let c = 1; c <= n; c++) {
      expect(trace.messages.filter((m) => m.connection === c && m.layer === "http").map((m) => m.from)).toEqual([
        "client",
        "server",
      ]);
    }
  });

  it("closes after every response: the server sends FIN, both sides acknowledge", () => {
    const trace = run(2);
    for (const c of [1, 2]) {
      const close = trace.messages.filter((m) => m.connection === c && m.tcp && !m.tcp.flags.includes("SYN")).slice(1);
      expect(close.map((m) => `${m.from} ${m.label}`)).toEqual([
        "server FIN, ACK",
        "client ACK",
        "client FIN, ACK",
        "server ACK",
      ]);
    }
  });

  it("costs a round trip per request more than HTTP/1.1", () => {
    const rtt = 2 * defaultLink.oneWayMs;
    const old = run(4);
    const kept = runScenario({ kind: "http11", link: defaultLink, requests: 4 });
    const lastResponse = (t: typeof old) =>
      Math.max(...t.messages.filter((m) => m.layer === "http" && m.from === "server").map((m) => m.arrivesAt ?? 0));
    expect(lastResponse(old) - lastResponse(kept)).toBe(3 * rtt);
    expect(totals(old).roundTrips).toBe(8);
    expect(totals(kept).roundTrips).toBe(5);
  });

  it.each([1, 2, 3, 4, 5])("completes over a lossy, jittery link (seed %i)", (seed) => {
    const trace = run(3, { lossRate: 0.2, jitterMs: 20, seed });
    const responses = trace.messages.filter((m) => m.layer === "http" && m.from === "server" && m.arrivesAt !== null);
    expect(responses.map((m) => m.connection)).toEqual([1, 2, 3]);
  });
});
