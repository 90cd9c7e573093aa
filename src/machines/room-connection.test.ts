import { describe, expect, it } from "vitest";
import { createActor, fromCallback, SimulatedClock } from "xstate";
import type { EchoEvent, SocketCommand } from "./echo-connection.ts";
import type { Participant, ServerMessage } from "../protocol/room-protocol.ts";
import { phaseOf, roomConnectionMachine } from "./room-connection.ts";

function fakeSocket() {
  const commands: SocketCommand[] = [];
  let opened = 0;
  let report: ((event: EchoEvent) => void) | null = null;
  const actor = fromCallback<SocketCommand, { url: string }>(({ sendBack, receive }) => {
    opened++;
    report = sendBack as (event: EchoEvent) => void;
    receive((command) => commands.push(command));
    return () => {
      report = null;
    };
  });
  const emit = (event: EchoEvent) => {
    if (!report) throw new Error("no socket is open");
    report(event);
  };
  return {
    actor,
    commands,
    opened: () => opened,
    sent: () =>
      commands
        .filter((c) => c.type === "send")
        .map((c) => JSON.parse((c as { data: string }).data) as Record<string, unknown>),
    open: () => emit({ type: "socket.opened", at: 0 }),
    server: (message: ServerMessage) => emit({ type: "socket.message", data: JSON.stringify(message), at: 0 }),
    raw: (data: string) => emit({ type: "socket.message", data, at: 0 }),
    close: (code: number, reason = "", wasClean = code !== 1006) =>
      emit({ type: "socket.closed", code, reason, wasClean, at: 0 }),
  };
}

const teacher: Participant = { id: "t1", nickname: "Teacher", role: "teacher", connected: true };
const ada: Participant = { id: "s1", nickname: "Ada", role: "student", connected: true };
const bob: Participant = { id: "s2", nickname: "Bob", role: "student", connected: true };

function start() {
  const socket = fakeSocket();
  const clock = new SimulatedClock();
  const actor = createActor(roomConnectionMachine.provide({ actors: { socket: socket.actor } }), {
    input: { url: "/lab/room", random: () => 0 },
    clock,
  });
  actor.start();
  const phase = () => phaseOf(actor.getSnapshot());
  const context = () => actor.getSnapshot().context;
  return { actor, socket, clock, phase, context };
}

function joinAsAda() {
  const t = start();
  t.actor.send({ type: "room.join", code: "ABC234", nickname: "Ada" });
  t.socket.open();
  t.socket.server({
    type: "joined",
    you: ada,
    resume: "resume-1",
    participants: [teacher, ada],
    history: [{ id: 1, from: teacher, text: "Welcome", at: 1000 }],
  });
  return t;
}

describe("room connection machine", () => {
  it("opens a room as the teacher and keeps the key to come back", () => {
    const { actor, socket, phase, context } = start();
    expect(phase()).toBe("idle");
    actor.send({ type: "room.create" });
    expect(phase()).toBe("connecting");
    socket.open();
    expect(socket.sent()).toEqual([{ type: "create" }]);
    socket.server({ type: "created", code: "ABC234", teacherKey: "key-1", you: teacher });
    expect(phase()).toBe("in-room");
    expect(context()).toMatchObject({
      role: "teacher",
      code: "ABC234",
      teacherKey: "key-1",
      participants: [teacher],
      intent: { type: "teach", code: "ABC234", teacherKey: "key-1" },
    });
  });

  it("joins as a student with history, then follows presence, messages and stats", () => {
    const { socket, phase, context } = joinAsAda();
    expect(socket.sent()).toEqual([{ type: "join", code: "ABC234", nickname: "Ada" }]);
    expect(phase()).toBe("in-room");
    expect(context()).toMatchObject({ role: "student", code: "ABC234", resume: "resume-1", you: ada });
    expect(context().messages.map((m) => m.text)).toEqual(["Welcome"]);
    socket.server({ type: "presence", change: "joined", participant: bob });
    socket.server({ type: "presence", change: "away", participant: { ...bob, connected: false } });
    socket.server({
      type: "message",
      id: 2,
      from: { id: "s2", nickname: "Bob", role: "student" },
      text: "<b>hi</b>",
      at: 2000,
    });
    socket.server({
      type: "message",
      id: 2,
      from: { id: "s2", nickname: "Bob", role: "student" },
      text: "<b>hi</b>",
      at: 2000,
    });
    socket.server({ type: "stats", messages: 2, framesIn: 3, framesOut: 7, bytesIn: 90, bytesOut: 300 });
    socket.raw("not json");
    expect(context().participants).toEqual([teacher, ada, { ...bob, connected: false }]);
    expect(context().messages.map((m) => m.text)).toEqual(["Welcome", "<b>hi</b>"]);
    expect(context().stats).toEqual({ messages: 2, framesIn: 3, framesOut: 7, bytesIn: 90, bytesOut: 300 });
    expect(context().unreadable).toBe(1);
    expect(context().traffic.received).toBe(7);
  });

  it("sends what is said; teacher-only requests are not sent by a student", () => {
    const { actor, socket } = joinAsAda();
    actor.send({ type: "room.say", text: "hello" });
    actor.send({ type: "room.request", message: { type: "remove", participant: "s2" } });
    actor.send({ type: "room.request", message: { type: "close-room", reason: "bye" } });
    expect(socket.sent().slice(1)).toEqual([{ type: "say", text: "hello" }]);
  });

  it("a refused first join goes back to the form with the reason and closes the socket", () => {
    const { actor, socket, phase, context } = start();
    actor.send({ type: "room.join", code: "ABC234", nickname: "Ada" });
    socket.open();
    socket.server({ type: "error", code: "nickname-taken", message: "Ada is taken" });
    expect(socket.commands.at(-1)).toEqual({ type: "close", code: 1000, reason: "Not joined" });
    socket.close(1000, "Not joined");
    expect(phase()).toBe("idle");
    expect(context().refusal).toMatchObject({ code: "nickname-taken", during: "greeting" });
    actor.send({ type: "room.join", code: "ABC234", nickname: "Ada2" });
    expect(context().refusal).toBeNull();
  });

  it("an error in the room is shown but keeps the room", () => {
    const { socket, phase, context } = joinAsAda();
    socket.server({ type: "error", code: "rate-limited", message: "Wait 3 s" });
    expect(phase()).toBe("in-room");
    expect(context().refusal).toMatchObject({ code: "rate-limited", during: "room" });
  });

  it("reconnects after a blip with backoff, presenting the resume token", () => {
    const { socket, clock, phase, context, actor } = joinAsAda();
    socket.close(1006);
    expect(actor.getSnapshot().matches("reconnecting")).toBe(true);
    expect(phase()).toBe("connecting");
    expect(context().attempt).toBe(1);
    expect(context().nextDelayMs).toBe(250);
    clock.increment(249);
    expect(socket.opened()).toBe(1);
    clock.increment(1);
    expect(socket.opened()).toBe(2);
    socket.open();
    expect(socket.sent().at(-1)).toEqual({ type: "join", code: "ABC234", nickname: "Ada", resume: "resume-1" });
    socket.server({
      type: "joined",
      you: ada,
      resume: "resume-2",
      participants: [teacher, ada],
      history: [{ id: 1, from: teacher, text: "Welcome", at: 1000 }],
    });
    expect(phase()).toBe("in-room");
    expect(context()).toMatchObject({ attempt: 0, resume: "resume-2" });
    expect(context().messages).toHaveLength(1);
  });

  it("the teacher comes back with the key", () => {
    const { actor, socket, clock, phase } = start();
    actor.send({ type: "room.create" });
    socket.open();
    socket.server({ type: "created", code: "ABC234", teacherKey: "key-1", you: teacher });
    socket.close(1001, "Server restarting");
    expect(actor.getSnapshot().context.outageCause).toEqual({
      code: 1001,
      reason: "Server restarting",
      wasClean: true,
    });
    clock.increment(250);
    socket.open();
    expect(socket.sent().at(-1)).toEqual({ type: "teach", code: "ABC234", teacherKey: "key-1" });
    socket.server({ type: "joined", you: teacher, resume: "r", participants: [teacher, ada], history: [] });
    expect(phase()).toBe("in-room");
    expect(actor.getSnapshot().context.role).toBe("teacher");
  });

  it("gives up after the bounded number of attempts, and can be retried by hand", () => {
    const { socket, clock, phase, context, actor } = joinAsAda();
    socket.close(1006);
    for (let attempt = 1; attempt <= 6; attempt++) {
      clock.increment(context().nextDelayMs);
      socket.close(1006);
    }
    expect(phase()).toBe("closed");
    expect(context().end).toEqual({ kind: "gave-up", attempts: 6, code: 1006, reason: "" });
    expect(context().outageCause).toEqual({ code: 1006, reason: "", wasClean: false });
    actor.send({ type: "room.retry" });
    expect(phase()).toBe("connecting");
    socket.open();
    expect(socket.sent().at(-1)).toMatchObject({ type: "join", resume: "resume-1" });
  });

  it.each([
    [4001, "Removed by the teacher"],
    [4002, "Replaced"],
    [1008, "Teacher only"],
    [1009, "Too big"],
    [1013, "Too fast"],
  ])("does not reconnect on its own after %i", (code, reason) => {
    const { socket, clock, phase, context } = joinAsAda();
    socket.close(code, reason);
    clock.increment(60_000);
    expect(phase()).toBe("closed");
    expect(socket.opened()).toBe(1);
    expect(context().end).toEqual({ kind: "closed", code, reason, wasClean: true });
  });

  it("a closed room ends with the teacher's reason", () => {
    const { socket, phase, context } = joinAsAda();
    socket.server({ type: "room-closed", reason: "Class is over" });
    socket.close(1000);
    expect(phase()).toBe("closed");
    expect(context().end).toEqual({ kind: "room-closed", reason: "Class is over" });
  });

  it("a comeback the lab refuses ends the room instead of looping", () => {
    const { actor, socket, phase, context } = start();
    actor.send({ type: "room.resume", intent: { type: "join", code: "ABC234", nickname: "Ada", resume: "old" } });
    socket.open();
    socket.server({ type: "error", code: "bad-code", message: "No such room" });
    socket.close(1000);
    expect(phase()).toBe("closed");
    expect(context().end).toMatchObject({ kind: "refused", refusal: { code: "bad-code" } });
  });

  it("leaving closes the socket with 1000 and returns to idle", () => {
    const { actor, socket, phase, context } = joinAsAda();
    actor.send({ type: "room.leave" });
    expect(socket.commands.at(-1)).toEqual({ type: "close", code: 1000, reason: "Left the room" });
    socket.close(1000, "Left the room");
    expect(phase()).toBe("idle");
    expect(context().code).toBeNull();
  });

  it("gives up waiting for a connection after the connect timeout", () => {
    const { actor, socket, clock } = start();
    actor.send({ type: "room.create" });
    clock.increment(10_000);
    expect(socket.commands.at(-1)).toEqual({ type: "close" });
  });
});

describe("room connection machine, comebacks", () => {
  it("waits for the lab's welcome on every new connection, even when it already knows the room", () => {
    const { socket, clock, phase } = joinAsAda();
    socket.close(1006);
    clock.increment(250);
    socket.open();
    expect(phase()).toBe("connecting");
    socket.server({ type: "presence", change: "back", participant: teacher });
    expect(phase()).toBe("connecting");
    socket.server({ type: "joined", you: ada, resume: "resume-2", participants: [teacher, ada], history: [] });
    expect(phase()).toBe("in-room");
  });
});
