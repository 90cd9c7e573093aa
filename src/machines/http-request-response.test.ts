import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { Connections } from "../sim/connection.ts";
import { Network } from "../sim/network.ts";
import { defaultLink } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings, TraceMessage } from "../sim/trace.ts";
import { echoResponse, noContentResponse, postRequest } from "../sim/wire-messages.ts";
import { httpRequestResponseMachine } from "./http-request-response.ts";

/** The page sends a message of `bytes` at `at`; the reader leaves at `leaveAt`, if given. */
function run(
  messages: { at: number; bytes: number }[],
  options: {
    link?: LinkSettings;
    keepAliveTimeoutMs?: number;
    target?: "/echo" | "/messages";
    leaveAt?: number;
    until?: number;
  } = {},
) {
  const net = new Network(options.link ?? defaultLink);
  const connections = new Connections(net);
  const sizes = messages.map((m) => m.bytes);
  const actor = createActor(httpRequestResponseMachine, {
    clock: net.clock,
    input: {
      connections,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5000,
      messageBytes: (i) => sizes[i - 1] ?? 0,
      target: options.target,
    },
  });
  connections.attach((e) => actor.send(e));
  actor.start();
  messages.forEach((m, i) => net.clock.at(m.at, () => actor.send({ type: "client.message", index: i + 1 })));
  if (options.leaveAt !== undefined) net.clock.at(options.leaveAt, () => actor.send({ type: "session.ended" }));
  net.clock.run(options.until ?? 60_000);
  return { net, actor, trace: net.trace("http11", "", 0) };
}

const http = (messages: TraceMessage[]) => messages.filter((m) => m.layer === "http");
const syns = (messages: TraceMessage[]) => messages.filter((m) => m.label === "SYN" && !m.retransmission);

describe("HTTP request-response (the page's messages as POSTs)", () => {
  it("answers each message with an echo of the same body, one request at a time", () => {
    const { trace } = run([
      { at: 0, bytes: 11 },
      { at: 0, bytes: 300 },
      { at: 10, bytes: 0 },
    ]);
    const exchange = http(trace.messages);
    expect(exchange.map((m) => m.label)).toEqual([
      "POST /echo (11 B body)",
      "200 OK (echo, 11 B body)",
      "POST /echo (300 B body)",
      "200 OK (echo, 300 B body)",
      "POST /echo (0 B body)",
      "200 OK (echo, 0 B body)",
    ]);
    expect(exchange.map((m) => m.bytes - m.headerBytes)).toEqual([11, 11, 300, 300, 0, 0]);
    // No pipelining: each request leaves only when the previous answer is in.
    for (let i = 2; i < exchange.length; i += 2)
      expect(exchange[i]!.sentAt).toBeGreaterThanOrEqual(exchange[i - 1]!.arrivesAt!);
    expect(totals(trace).requests).toBe(3);
  });

  it("opens the connection on first use, not before", () => {
    const { trace } = run([{ at: 700, bytes: 5 }]);
    expect(trace.messages[0]).toMatchObject({ label: "SYN", sentAt: 700, connection: 1 });
    expect(trace.messages.map((m) => m.label).slice(0, 5)).toEqual([
      "SYN",
      "SYN, ACK",
      "ACK",
      "POST /echo (5 B body)",
      "200 OK (echo, 5 B body)",
    ]);
  });

  it("keeps the connection for messages within the keep-alive timeout, and pays a new handshake after it", () => {
    const { trace } = run([
      { at: 0, bytes: 5 },
      { at: 3000, bytes: 5 },
      { at: 20_000, bytes: 5 },
    ]);
    expect(syns(trace.messages).map((m) => [m.connection, m.sentAt])).toEqual([
      [1, 0],
      [2, 20_000],
    ]);
    // The server closes connection 1 one keep-alive timeout after its last answer.
    const lastAnswer = http(trace.messages)
      .filter((m) => m.from === "server" && m.connection === 1)
      .at(-1)!;
    const fin = trace.messages.find((m) => m.label === "FIN, ACK" && m.connection === 1)!;
    expect(fin.from).toBe("server");
    expect(fin.sentAt).toBe(lastAnswer.sentAt + 5000);
    expect(trace.notes.some((n) => n.kind === "timeout" && n.text.includes("keep-alive timeout"))).toBe(true);
    expect(totals(trace).tcpConnections).toBe(2);
  });

  it("sends a request again on a new connection when the server closes the old one as it leaves", () => {
    // The answer to message 1 leaves the server at 150 ms, so the server closes at 5150 and its FIN lands at 5200;
    // message 2 leaves at 5180 on the dying connection.
    const { trace } = run([
      { at: 0, bytes: 5 },
      { at: 5180, bytes: 9 },
    ]);
    const posts = http(trace.messages).filter((m) => m.label === "POST /echo (9 B body)");
    expect(posts.map((m) => [m.connection, m.sentAt])).toEqual([
      [1, 5180],
      [2, 5300],
    ]);
    const answers = http(trace.messages).filter((m) => m.label === "200 OK (echo, 9 B body)");
    expect(answers.map((m) => m.connection)).toEqual([2]);
    expect(trace.notes.some((n) => n.peer === "server" && n.text.includes("not answered"))).toBe(true);
    expect(trace.notes.some((n) => n.peer === "client" && n.text.includes("sends the request again"))).toBe(true);
  });

  it("posts to /messages and gets 204 No Content when it is a chat server", () => {
    const { trace } = run([{ at: 0, bytes: 12 }], { target: "/messages" });
    expect(http(trace.messages).map((m) => m.label)).toEqual(["POST /messages (12 B body)", "204 No Content"]);
    expect(http(trace.messages)[1]!.bytes).toBe(noContentResponse().bytes);
  });

  it("closes its connection when the reader leaves, after the answer in flight", () => {
    const { actor, trace } = run(
      [
        { at: 0, bytes: 5 },
        { at: 120, bytes: 5 },
      ],
      { leaveAt: 130 },
    );
    expect(actor.getSnapshot().value).toMatchObject({ client: "done" });
    expect(http(trace.messages).filter((m) => m.from === "server")).toHaveLength(1);
    expect(trace.messages.find((m) => m.label === "FIN, ACK")!.from).toBe("client");
  });

  it("ends at once when the reader leaves with no connection open", () => {
    const { actor, trace } = run([], { leaveAt: 100 });
    expect(actor.getSnapshot().value).toMatchObject({ client: "done" });
    expect(trace.messages).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5])("answers every message exactly once over a lossy, jittery link (seed %i)", (seed) => {
    const link: LinkSettings = { ...defaultLink, lossRate: 0.2, jitterMs: 20, seed };
    const messages = [0, 50, 2000, 7000, 7001, 30_000].map((at, i) => ({ at, bytes: 10 + i }));
    const { trace } = run(messages, { link, until: 200_000 });
    const delivered = http(trace.messages)
      .filter((m) => m.from === "server" && m.arrivesAt !== null)
      .map((m) => m.label);
    expect(delivered).toEqual(messages.map((m) => `200 OK (echo, ${m.bytes} B body)`));
  });
});

describe("POST wire messages", () => {
  it("carry the body's size in Content-Length, so only the digits change the head", () => {
    const small = postRequest("/echo", 9);
    const big = postRequest("/echo", 1000);
    expect(big.headerBytes - small.headerBytes).toBe(3);
    expect(small.bytes - small.headerBytes).toBe(9);
    expect(echoResponse(1000).bytes - echoResponse(1000).headerBytes).toBe(1000);
  });

  it("clamp sizes that are not whole, positive numbers", () => {
    expect(postRequest("/echo", -5).label).toBe("POST /echo (0 B body)");
    expect(postRequest("/echo", Number.NaN).label).toBe("POST /echo (0 B body)");
    expect(echoResponse(7.9).label).toBe("200 OK (echo, 7 B body)");
  });
});
