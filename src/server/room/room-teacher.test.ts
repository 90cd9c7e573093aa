import { afterEach, describe, expect, it } from "vitest";
import { startSite, type Running } from "../test-helpers.ts";
import { createRoomAsTeacher, delay, joinAsStudent, takeOpenedClients } from "./room-test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const client of takeOpenedClients()) expect(client.invalid).toEqual([]);
});

describe("what only the teacher may do", () => {
  it.each([
    [{ type: "close-room", reason: "bye" }, /Only the teacher can close the room/],
    [{ type: "remove", participant: "someone" }, /Only the teacher can remove participants/],
    [{ type: "follow", lesson: "upgrade-handshake", hash: "" }, /Only the teacher can lead the room/],
  ])("a student sending %j is closed with 1008 and the room carries on", async (message, reason) => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada } = await joinAsStudent(running, code, "Ada");
    const { student: bob, joined: bobJoined } = await joinAsStudent(running, code, "Bob");
    const attempt = message.type === "remove" ? { ...message, participant: bobJoined.you.id } : message;
    ada.send(attempt);
    const closed = await ada.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(reason);
    // Nobody else was touched: Bob is still in, the room still carries messages.
    bob.send({ type: "say", text: "still here" });
    await teacher.take("message", (m) => m.text === "still here");
    expect(bob.all("room-closed")).toEqual([]);
    expect(bob.all("follow")).toEqual([]);
    expect(bob.ws.readyState).toBe(bob.ws.OPEN);
    expect(running.site.lab.roomStats().rooms).toBe(1);
  });

  it("close-room sends room-closed to everyone, then closes them with 1000", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada } = await joinAsStudent(running, code, "Ada");
    const { student: bob } = await joinAsStudent(running, code, "Bob");
    teacher.send({ type: "close-room", reason: "Class is over, thank you!" });
    for (const client of [teacher, ada, bob]) {
      const closedMessage = await client.take("room-closed");
      expect(closedMessage.reason).toBe("Class is over, thank you!");
      // room-closed is the last message before the close.
      expect(client.received.at(-1)).toEqual(closedMessage);
      expect(await client.closed).toMatchObject({ code: 1000 });
    }
    await delay(10);
    expect(running.site.lab.roomStats().rooms).toBe(0);
    const { code: again } = await createRoomAsTeacher(running);
    const late = await joinAsStudent(running, again, "Ada");
    expect(late.joined.you.nickname).toBe("Ada");
  });

  it("remove closes the student's socket with 4001 and drops them from the room", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada, joined } = await joinAsStudent(running, code, "Ada");
    const { student: bob } = await joinAsStudent(running, code, "Bob");
    teacher.send({ type: "remove", participant: joined.you.id });
    expect(await ada.closed).toMatchObject({ code: 4001 });
    const presence = await bob.take("presence", (p) => p.change === "left");
    expect(presence.participant).toMatchObject({ id: joined.you.id, nickname: "Ada" });
    expect((await teacher.take("room-state", (s) => s.barred.length === 1)).barred).toEqual([
      { id: joined.you.id, nickname: "Ada" },
    ]);
    teacher.send({ type: "remove", participant: "no-such-id" });
    expect(await teacher.take("error")).toMatchObject({ code: "not-in-room" });
  });

  it("follow reaches students only", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada } = await joinAsStudent(running, code, "Ada");
    const { student: bob } = await joinAsStudent(running, code, "Bob");
    teacher.send({ type: "follow", lesson: "upgrade-handshake", hash: "#step=3" });
    for (const student of [ada, bob]) {
      const follow = await student.take("follow");
      expect(follow).toMatchObject({ lesson: "upgrade-handshake", hash: "#step=3" });
      expect(follow.at).toBeGreaterThan(0);
    }
    // A message sent after the follow arrives at the teacher; by then the follow would have too.
    teacher.send({ type: "say", text: "marker" });
    await teacher.take("message", (m) => m.text === "marker");
    expect(teacher.all("follow")).toEqual([]);
  });
});
