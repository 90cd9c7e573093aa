import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { Connections } from "../sim/connection.ts";
import { Network } from "../sim/network.ts";
import { defaultLink, runScenario } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings } from "../sim/trace.ts";
import { http11ExchangeMachine } from "./http11-exchange.ts";

describe("HTTP/1.1 exchange", () => {
  it.each([1, 3, 6])("uses one persistent connection and one handshake for %i requests", (n) => {
    const trace = runScenario({ kind: "http11", link: defaultLink, requests: n });
    expect(trace.messages.filter((m) => m.label === "SYN")).toHaveLength(1);
    expect(totals(trace).tcpConnections).toBe(1);
    expect(totals(trace).requests).toBe(n);
    // Requests and responses alternate: no pipelining.
    expect(trace.messages.filter((m) => m.layer === "http").map((m) => m.from)).toEqual(
      Array.from({ length: 2 * n }, (_, i) => (i % 2 ? "server" : "client")),
    );
  });

  it("sends real heads: HTTP/1.1 start lines, no Connection: close", () => {
    const trace = runScenario({ kind: "http11", link: defaultLink, requests: 2 });
    const http = trace.messages.filter((m) => m.layer === "http");
    expect(http.map((m) => m.label)).toEqual([
      "GET / HTTP/1.1",
      "200 OK / (1800 B body)",
      "GET /style.css HTTP/1.1",
      "200 OK /style.css (900 B body)",
    ]);
    const response = http[1]!;
    expect(response.bytes - response.headerBytes).toBe(1800);
    const old = runScenario({ kind: "http10", link: defaultLink, requests: 1 }).messages.find(
      (m) => m.layer === "http" && m.from === "server",
    )!;
    expect(old.headerBytes - response.headerBytes).toBe("Connection: close\r\n".length);
  });

  it("ends in done after closing, on the simulated clock", () => {
    const net = new Network(defaultLink);
    const connections = new Connections(net);
    const actor = createActor(http11ExchangeMachine, { clock: net.clock, input: { connections, requests: 2 } });
    connections.attach((e) => actor.send(e));
    actor.start();
    net.clock.run(299);
    expect(actor.getSnapshot().value).toMatchObject({ client: "requesting" });
    net.clock.run();
    expect(actor.getSnapshot().value).toMatchObject({ client: "done" });
    expect(net.trace("http11", "", 0).duration).toBe(450); // the last ACK lands at 450 ms
  });

  it.each([1, 2, 3, 4, 5, 6])(
    "completes over a lossy, jittery link, retransmitting lost messages after a timeout (seed %i)",
    (seed) => {
      const link: LinkSettings = { ...defaultLink, lossRate: 0.25, jitterMs: 20, seed };
      const trace = runScenario({ kind: "http11", link, requests: 3 });
      const responses = trace.messages.filter((m) => m.layer === "http" && m.from === "server" && m.arrivesAt !== null);
      expect(responses.map((m) => m.label)).toEqual([
        "200 OK / (1800 B body)",
        "200 OK /style.css (900 B body)",
        "200 OK /app.js (2400 B body)",
      ]);
      // Every lost application message is sent again, one timeout (or a backed-off one) later.
      for (const lost of trace.messages.filter((m) => m.arrivesAt === null && m.layer === "http")) {
        const again = trace.messages.find((m) => m.id > lost.id && m.label === lost.label && m.retransmission);
        expect(again).toBeDefined();
        expect(again!.sentAt - lost.sentAt).toBeGreaterThanOrEqual(1000 - 1e-6);
      }
    },
  );
});
