import { describe, expect, it } from "vitest";
import { createActor, fromCallback, SimulatedClock } from "xstate";
import { classroomLinkMachine, MAX_ATTEMPTS, reconnectDelayMs, type LinkIdentity } from "./classroom-link.ts";
import type { SocketCommand } from "./echo-connection.ts";
import type { ServerMessage } from "../protocol/room-protocol.ts";
import { isFinalClose } from "./room-connection.ts";

const student: LinkIdentity = { role: "student", code: "ABCDEF", nickname: "Ada", resume: "r1" };
const teacher: LinkIdentity = { role: "teacher", code: "ABCDEF", teacherKey: "k1" };
const you = { id: "p1", nickname: "Ada", role: "student" as const, connected: true };

function setUp(identity: LinkIdentity) {
  const clock = new SimulatedClock();
  const commands: SocketCommand[] = [];
  let sockets = 0;
  const machine = classroomLinkMachine.provide({
    actors: {
      socket: fromCallback<SocketCommand, { url: string }>(({ receive }) => {
        sockets++;
        receive((command) => commands.push(command));
        return () => {};
      }),
    },
  });
  const actor = createActor(machine, { input: { identity, url: "ws://lab/lab/room" }, clock }).start();
  const received: ServerMessage[] = [];
  actor.on("server.message", ({ message }) => received.push(message));
  const from = (message: object) => actor.send({ type: "socket.message", data: JSON.stringify(message), at: 0 });
  const close = (code: number, reason = "") =>
    actor.send({ type: "socket.closed", code, reason, wasClean: code !== 1006, at: 0 });
  return { actor, clock, commands, received, from, close, sockets: () => sockets };
}

const sent = (commands: SocketCommand[]) =>
  commands.filter((c) => c.type === "send").map((c) => JSON.parse(c.data as string));

describe("classroom link machine", () => {
  it("greets as a student with the resume token and is connected once joined", () => {
    const { actor, commands, from, received } = setUp(student);
    expect(actor.getSnapshot().matches({ online: "opening" })).toBe(true);
    actor.send({ type: "socket.opened", at: 0 });
    expect(sent(commands)).toEqual([{ type: "join", code: "ABCDEF", nickname: "Ada", resume: "r1" }]);
    from({ type: "joined", you, resume: "r2", participants: [you], history: [] });
    expect(actor.getSnapshot().matches({ online: "connected" })).toBe(true);
    expect(received.map((m) => m.type)).toEqual(["joined"]);
    if (actor.getSnapshot().context.identity.role === "student")
      expect(actor.getSnapshot().context.identity).toMatchObject({ resume: "r2" });
  });

  it("greets as the teacher with the key and forwards follows once connected", () => {
    const { actor, commands, from } = setUp(teacher);
    actor.send({ type: "link.send", message: { type: "follow", lesson: "frames", hash: "#present=1" } });
    actor.send({ type: "socket.opened", at: 0 });
    expect(sent(commands)).toEqual([{ type: "teach", code: "ABCDEF", teacherKey: "k1" }]);
    from({
      type: "joined",
      you: { ...you, role: "teacher", nickname: "Teacher" },
      resume: "k1",
      participants: [],
      history: [],
    });
    actor.send({ type: "link.send", message: { type: "follow", lesson: "frames", hash: "#present=2" } });
    expect(sent(commands).slice(1)).toEqual([{ type: "follow", lesson: "frames", hash: "#present=2" }]);
  });

  it("passes follow messages on", () => {
    const { actor, from, received } = setUp(student);
    actor.send({ type: "socket.opened", at: 0 });
    from({ type: "joined", you, resume: "r2", participants: [you], history: [] });
    from({ type: "follow", lesson: "frames", hash: "#present=3", at: 1 });
    from({ nonsense: true });
    expect(received.map((m) => m.type)).toEqual(["joined", "follow"]);
  });

  it("reconnects after a blip with a growing, bounded delay, then gives up", () => {
    const { actor, clock, close, sockets } = setUp(student);
    expect(sockets()).toBe(1);
    close(1006);
    expect(actor.getSnapshot().value).toBe("waiting");
    clock.increment(reconnectDelayMs(1) - 1);
    expect(actor.getSnapshot().value).toBe("waiting");
    clock.increment(1);
    expect(actor.getSnapshot().matches("online")).toBe(true);
    expect(sockets()).toBe(2);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      close(1006);
      clock.increment(reconnectDelayMs(attempt));
    }
    close(1006);
    expect(actor.getSnapshot().value).toBe("closed");
    expect(actor.getSnapshot().context.outcome).toBe("unreachable");
    actor.send({ type: "link.retry" });
    expect(actor.getSnapshot().matches("online")).toBe(true);
    expect(actor.getSnapshot().context.attempt).toBe(0);
  });

  it("keeps delays bounded", () => {
    expect(reconnectDelayMs(1)).toBe(500);
    expect(reconnectDelayMs(2)).toBe(1000);
    expect(reconnectDelayMs(20)).toBe(8000);
  });

  it("ends for good when the teacher closes the room", () => {
    const { actor, from } = setUp(student);
    actor.send({ type: "socket.opened", at: 0 });
    from({ type: "joined", you, resume: "r2", participants: [you], history: [] });
    from({ type: "room-closed", reason: "Class is over" });
    expect(actor.getSnapshot().value).toBe("closed");
    expect(actor.getSnapshot().context).toMatchObject({ outcome: "room-closed", detail: "Class is over" });
  });

  it.each([
    [1000, "room-closed"],
    [4001, "removed"],
    [4002, "replaced"],
    [1008, "refused"],
    [1009, "too-big"],
    [1013, "too-fast"],
  ] as const)("does not reconnect after close code %i (%s), as the classroom page does not", (code, outcome) => {
    const { actor, close } = setUp(student);
    close(code, "why");
    expect(actor.getSnapshot().value).toBe("closed");
    expect(actor.getSnapshot().context).toMatchObject({ outcome, closeCode: code, detail: "why" });
    // The classroom page's machine ends on the very same code.
    expect(isFinalClose(code)).toBe(true);
  });

  it.each([1001, 1006, 1011, 1012])("reconnects after close code %i, an outage, as the classroom page does", (code) => {
    const { actor, close } = setUp(student);
    close(code);
    expect(actor.getSnapshot().value).toBe("waiting");
    expect(isFinalClose(code)).toBe(false);
  });

  it("stops when the greeting is refused, but waits and retries when rate-limited", () => {
    const refused = setUp(student);
    refused.actor.send({ type: "socket.opened", at: 0 });
    refused.from({ type: "error", code: "bad-code", message: "No room has that code." });
    expect(refused.actor.getSnapshot().context).toMatchObject({
      outcome: "rejected",
      detail: "No room has that code.",
    });

    const limited = setUp(student);
    limited.actor.send({ type: "socket.opened", at: 0 });
    limited.from({ type: "error", code: "rate-limited", message: "Slow down." });
    expect(limited.actor.getSnapshot().value).toBe("waiting");
  });

  it("says goodbye with 1000 when leaving", () => {
    const { actor, commands, from } = setUp(student);
    actor.send({ type: "socket.opened", at: 0 });
    from({ type: "joined", you, resume: "r2", participants: [you], history: [] });
    actor.send({ type: "link.leave" });
    expect(commands.at(-1)).toEqual({ type: "close", code: 1000, reason: "Left the room" });
    expect(actor.getSnapshot().context.outcome).toBe("left");
  });
});
