import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { Connections } from "../sim/connection.ts";
import { Network } from "../sim/network.ts";
import { defaultLink, runScenario } from "../scenarios/run-scenario.ts";
import { totals } from "../sim/trace.ts";
import type { LinkSettings, TraceMessage } from "../sim/trace.ts";
import { pollingChatMachine } from "./polling-chat.ts";

interface Script {
  events?: number[];
  messages?: { at: number; bytes: number }[];
  leaveAt?: number;
  link?: LinkSettings;
  until?: number;
}

function run({ events = [], messages = [], leaveAt, link = defaultLink, until = 60_000 }: Script) {
  const net = new Network(link);
  const connections = new Connections(net);
  const sizes = messages.map((m) => m.bytes);
  const actor = createActor(pollingChatMachine, {
    clock: net.clock,
    input: { connections, pollIntervalMs: 1000, keepAliveTimeoutMs: 5000, messageBytes: (i) => sizes[i - 1] ?? 0 },
  });
  connections.attach((e) => actor.send(e));
  actor.start();
  events.forEach((at, i) =>
    net.clock.at(at, () => {
      net.eventOccurred(i + 1);
      actor.send({ type: "server.event", eventId: i + 1 });
    }),
  );
  messages.forEach((m, i) => net.clock.at(m.at, () => actor.send({ type: "client.message", index: i + 1 })));
  if (leaveAt !== undefined) net.clock.at(leaveAt, () => actor.send({ type: "session.ended" }));
  net.clock.run(until);
  return { actor, trace: net.trace("short-polling", "", 0) };
}

const http = (messages: TraceMessage[]) => messages.filter((m) => m.layer === "http");
const polls = (messages: TraceMessage[]) =>
  http(messages)
    .filter((m) => m.connection === 1)
    .map((m) => [m.label, m.sentAt, m.arrivesAt]);

describe("polling chat", () => {
  it("posts the reader's messages on a second connection, answered 204, while the polls go on", () => {
    const { trace } = run({ events: [600], messages: [{ at: 1210, bytes: 11 }] });
    const posts = http(trace.messages).filter((m) => m.connection !== 1);
    expect(posts.map((m) => [m.connection, m.label])).toEqual([
      [2, "POST /messages (11 B body)"],
      [2, "204 No Content"],
    ]);
    expect(trace.messages.filter((m) => m.label === "SYN").map((m) => [m.connection, m.sentAt])).toEqual([
      [1, 0],
      [2, 1210],
    ]);
    // The poll in flight at 1210 is not held up by the message.
    const answer = http(trace.messages).find((m) => m.carriesEvents?.includes(1))!;
    expect(answer).toMatchObject({ connection: 1, sentAt: 1250, arrivesAt: 1300 });
  });

  it("polls exactly as short polling does, whatever the reader posts", () => {
    const events = [150, 420, 1333, 2950];
    const chat = run({
      events,
      messages: [
        { at: 100, bytes: 5 },
        { at: 1201, bytes: 500 },
        { at: 1202, bytes: 0 },
        { at: 4000, bytes: 30 },
      ],
      until: 6000,
    });
    const plain = runScenario({
      kind: "short-polling",
      link: defaultLink,
      serverEvents: events,
      pollIntervalMs: 1000,
      durationMs: 7000,
    });
    expect(polls(chat.trace.messages)).toEqual(
      polls(plain.messages).filter(([, sentAt]) => (sentAt as number) <= 6000),
    );
    expect(chat.trace.deliveries).toEqual(plain.deliveries);
  });

  it("queues messages behind the one in flight on the message connection (no pipelining)", () => {
    const { trace } = run({
      messages: [
        { at: 0, bytes: 1 },
        { at: 0, bytes: 2 },
        { at: 0, bytes: 3 },
      ],
    });
    const posts = http(trace.messages).filter((m) => m.connection === 2);
    expect(posts.map((m) => m.label)).toEqual([
      "POST /messages (1 B body)",
      "204 No Content",
      "POST /messages (2 B body)",
      "204 No Content",
      "POST /messages (3 B body)",
      "204 No Content",
    ]);
    for (let i = 2; i < posts.length; i += 2) expect(posts[i]!.sentAt).toBeGreaterThanOrEqual(posts[i - 1]!.arrivesAt!);
  });

  it("reopens the message connection after the server closed it for idleness", () => {
    const { trace } = run({
      messages: [
        { at: 0, bytes: 4 },
        { at: 9000, bytes: 4 },
      ],
      until: 10_000,
    });
    const serverFins = trace.messages.filter((m) => m.label === "FIN, ACK" && m.from === "server");
    expect(serverFins.map((m) => m.connection)).toEqual([2]);
    expect(trace.messages.filter((m) => m.label === "SYN").map((m) => m.connection)).toEqual([1, 2, 3]);
    // Polls and posts are all requests; the polls' connection stays.
    expect(totals(trace).requests).toBe(http(trace.messages).filter((m) => m.from === "client").length);
    expect(totals(trace).tcpConnections).toBe(3);
  });

  it("closes both connections when the reader leaves", () => {
    const { actor, trace } = run({ messages: [{ at: 0, bytes: 4 }], leaveAt: 2000 });
    expect(actor.getSnapshot().value).toMatchObject({ poller: "done" });
    const clientFins = trace.messages.filter((m) => m.label === "FIN, ACK" && m.from === "client");
    expect(clientFins.map((m) => m.connection).sort()).toEqual([1, 2]);
    expect(trace.notes.filter((n) => n.text.includes("TIME-WAIT"))).toHaveLength(2);
  });

  it.each([1, 2, 3])("delivers every event and answers every message over a lossy link (seed %i)", (seed) => {
    const link: LinkSettings = { ...defaultLink, lossRate: 0.2, jitterMs: 20, seed };
    const messages = [300, 1500, 1510, 8000].map((at, i) => ({ at, bytes: 20 + i }));
    const { trace } = run({ events: [600, 1700, 2100, 5400], messages, link, until: 60_000 });
    expect(trace.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
    const answered = http(trace.messages).filter((m) => m.label === "204 No Content" && m.arrivesAt !== null);
    expect(answered).toHaveLength(messages.length);
  });
});
