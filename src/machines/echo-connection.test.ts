import { describe, expect, it } from "vitest";
import { createActor, fromCallback, SimulatedClock } from "xstate";
import {
  MAX_LOG_ENTRIES,
  closeRequestProblem,
  echoConnectionMachine,
  readyStateOf,
  type EchoEvent,
  type SocketCommand,
} from "./echo-connection.ts";

/** A stand-in for the browser WebSocket: records commands, lets the test play the network. */
function fakeSocket() {
  const commands: SocketCommand[] = [];
  const opened: string[] = [];
  let report: ((event: EchoEvent) => void) | null = null;
  const actor = fromCallback<SocketCommand, { url: string }>(({ input, sendBack, receive }) => {
    opened.push(input.url);
    report = sendBack as (event: EchoEvent) => void;
    receive((command) => commands.push(command));
    return () => {
      report = null;
    };
  });
  return {
    actor,
    commands,
    opened,
    emit(event: EchoEvent) {
      if (!report) throw new Error("no socket is open");
      report(event);
    },
  };
}

function start(logLimit?: number) {
  const socket = fakeSocket();
  const clock = new SimulatedClock();
  const actor = createActor(echoConnectionMachine.provide({ actors: { socket: socket.actor } }), {
    input: { url: "ws://lab.test/lab/echo", logLimit },
    clock,
  });
  actor.start();
  const readyState = () => readyStateOf(actor.getSnapshot().value);
  return { actor, socket, clock, readyState, log: () => actor.getSnapshot().context.log };
}

describe("echo connection machine", () => {
  it("follows the browser's readyState from CONNECTING to OPEN and logs both", () => {
    const { actor, socket, readyState, log } = start();
    expect(readyState()).toBeNull();
    actor.send({ type: "connect.requested", at: 100 });
    expect(readyState()).toBe("CONNECTING");
    expect(socket.opened).toEqual(["ws://lab.test/lab/echo"]);
    socket.emit({ type: "socket.opened", at: 103.5 });
    expect(readyState()).toBe("OPEN");
    expect(log().map((e) => (e.type === "state" ? e.state : e.type))).toEqual(["CONNECTING", "OPEN"]);
    expect(log()[1]!.at).toBe(103.5);
  });

  it("sends text and binary, sized in bytes on the wire, and logs echoes", () => {
    const { actor, socket, log } = start();
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    actor.send({ type: "message.send", data: "héllo", at: 2 });
    actor.send({ type: "message.send", data: new Uint8Array([0xde, 0xad, 0xbe, 0xef]), at: 3 });
    expect(socket.commands).toEqual([
      { type: "send", data: "héllo" },
      { type: "send", data: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
    ]);
    socket.emit({ type: "socket.message", data: "héllo", at: 4 });
    const messages = log().filter((e) => e.type === "message");
    expect(messages).toMatchObject([
      { direction: "sent", kind: "text", bytes: 6, content: "héllo" },
      { direction: "sent", kind: "binary", bytes: 4, content: "de ad be ef" },
      { direction: "received", kind: "text", bytes: 6, content: "héllo" },
    ]);
  });

  it("ignores sends while still connecting", () => {
    const { actor, socket } = start();
    actor.send({ type: "connect.requested", at: 0 });
    actor.send({ type: "message.send", data: "too early", at: 1 });
    expect(socket.commands).toEqual([]);
  });

  it("gives up after the connect timeout on the simulated clock, then reports the browser's 1006", () => {
    const { actor, socket, clock, readyState, log } = start();
    actor.send({ type: "connect.requested", at: 0 });
    clock.increment(9_999);
    expect(socket.commands).toEqual([]);
    clock.increment(1);
    expect(socket.commands).toEqual([{ type: "close" }]);
    expect(log().some((e) => e.type === "error" && /10 seconds/.test(e.message))).toBe(true);
    socket.emit({ type: "socket.closed", code: 1006, reason: "", wasClean: false, at: 10_001 });
    expect(readyState()).toBe("CLOSED");
    expect(actor.getSnapshot().context.lastClose).toEqual({ code: 1006, reason: "", wasClean: false });
  });

  it("does not time out a connection that opened in time", () => {
    const { actor, socket, clock, readyState } = start();
    actor.send({ type: "connect.requested", at: 0 });
    clock.increment(5_000);
    socket.emit({ type: "socket.opened", at: 5_000 });
    clock.increment(60_000);
    expect(socket.commands).toEqual([]);
    expect(readyState()).toBe("OPEN");
  });

  it("closes with a valid code and reason through CLOSING to CLOSED", () => {
    const { actor, socket, readyState, log } = start();
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    actor.send({ type: "close.requested", code: 4000, reason: "bye", at: 2 });
    expect(socket.commands).toEqual([{ type: "close", code: 4000, reason: "bye" }]);
    socket.emit({ type: "socket.closing", at: 2 });
    expect(readyState()).toBe("CLOSING");
    socket.emit({ type: "socket.closed", code: 4000, reason: "bye", wasClean: true, at: 3 });
    expect(readyState()).toBe("CLOSED");
    expect(log().slice(-2)).toMatchObject([
      { type: "close", code: 4000, reason: "bye", wasClean: true },
      { type: "state", state: "CLOSED" },
    ]);
  });

  it("refuses close codes a page may not send, without touching the socket", () => {
    const { actor, socket, readyState, log } = start();
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    actor.send({ type: "close.requested", code: 1001, at: 2 });
    expect(socket.commands).toEqual([]);
    expect(readyState()).toBe("OPEN");
    expect(log().at(-1)).toMatchObject({ type: "error" });
  });

  it("reconnects on request with a fresh socket and a new connection number", () => {
    const { actor, socket, readyState } = start();
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    socket.emit({
      type: "socket.closed",
      code: 1001,
      reason: "The lab server is shutting down",
      wasClean: true,
      at: 2,
    });
    expect(readyState()).toBe("CLOSED");
    actor.send({ type: "connect.requested", at: 10 });
    expect(readyState()).toBe("CONNECTING");
    expect(socket.opened).toHaveLength(2);
    expect(actor.getSnapshot().context.connection).toBe(2);
    expect(actor.getSnapshot().context.lastClose).toBeNull();
  });

  it("keeps a bounded log and counts what it dropped", () => {
    const { actor, socket } = start();
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    for (let i = 0; i < MAX_LOG_ENTRIES + 50; i++) actor.send({ type: "message.send", data: `m${i}`, at: 2 + i });
    const { log, dropped } = actor.getSnapshot().context;
    expect(log).toHaveLength(MAX_LOG_ENTRIES);
    expect(dropped).toBe(52);
    expect(log.at(-1)).toMatchObject({ content: `m${MAX_LOG_ENTRIES + 49}` });
  });

  it("keeps the newest entries up to the log limit it was given, and never changes a snapshot's log", () => {
    const { actor, socket } = start(3);
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    const before = actor.getSnapshot().context.log;
    const kept = [...before];
    for (let i = 0; i < 5; i++) actor.send({ type: "message.send", data: `m${i}`, at: 2 + i });
    expect(before).toEqual(kept);
    const { log, dropped, nextId } = actor.getSnapshot().context;
    expect(log.map((e) => (e.type === "message" ? e.content : e.type))).toEqual(["m2", "m3", "m4"]);
    expect(log.map((e) => e.id)).toEqual([5, 6, 7]);
    expect(dropped).toBe(4);
    expect(nextId).toBe(8);
  });

  it("keeps no log with a limit of 0, and still follows the connection", () => {
    const { actor, socket, readyState } = start(0);
    actor.send({ type: "connect.requested", at: 0 });
    socket.emit({ type: "socket.opened", at: 1 });
    const empty = actor.getSnapshot().context.log;
    for (let i = 0; i < 10; i++) actor.send({ type: "message.send", data: `m${i}`, at: 2 + i });
    socket.emit({ type: "socket.closed", code: 1000, reason: "", wasClean: true, at: 20 });
    const { log, dropped, lastClose } = actor.getSnapshot().context;
    expect(log).toBe(empty);
    expect(log).toHaveLength(0);
    expect(dropped).toBe(14);
    expect(lastClose).toEqual({ code: 1000, reason: "", wasClean: true });
    expect(readyState()).toBe("CLOSED");
  });
});

describe("closeRequestProblem", () => {
  it("accepts what browsers accept", () => {
    expect(closeRequestProblem(undefined, undefined)).toBeNull();
    expect(closeRequestProblem(1000, "done")).toBeNull();
    expect(closeRequestProblem(3000, "")).toBeNull();
    expect(closeRequestProblem(4999, "x".repeat(123))).toBeNull();
  });
  it("explains what browsers refuse", () => {
    expect(closeRequestProblem(1006, undefined)).toMatch(/1000 or a code from 3000 to 4999/);
    expect(closeRequestProblem(2999, undefined)).toMatch(/reserved/);
    expect(closeRequestProblem(undefined, "why")).toMatch(/needs a close code/);
    expect(closeRequestProblem(4000, "é".repeat(62))).toMatch(/124 bytes/);
  });
});
