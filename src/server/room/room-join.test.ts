import { afterEach, describe, expect, it } from "vitest";
import { startSite, type Running } from "../test-helpers.ts";
import { TEACHER_TABS } from "./room.ts";
import { createRoomAsTeacher, delay, joinAsStudent, openRoomClient, takeOpenedClients } from "./room-test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  // Everything the lab sent in the test passed the widgets' own parser.
  for (const client of takeOpenedClients()) expect(client.invalid).toEqual([]);
});

describe("creating and joining a room", () => {
  it("creates a room with a 6-character code and a 128-bit teacher key", async () => {
    running = await startSite();
    const { code, teacherKey, teacher } = await createRoomAsTeacher(running);
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(teacherKey).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(teacher.all("created")[0]!.you).toMatchObject({ role: "teacher", connected: true });
    const other = await createRoomAsTeacher(running);
    expect(other.code).not.toBe(code);
    expect(other.teacherKey).not.toBe(teacherKey);
  });

  it("joins with a code typed loosely, and everyone hears about it", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { joined } = await joinAsStudent(
      running,
      `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`,
      "  Ada   Lovelace ",
    );
    expect(joined.you).toMatchObject({ nickname: "Ada Lovelace", role: "student", connected: true });
    expect(joined.resume).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(joined.participants.map((p) => p.nickname)).toEqual(["Teacher", "Ada Lovelace"]);
    const presence = await teacher.take("presence");
    expect(presence).toEqual({ type: "presence", change: "joined", participant: joined.you });
  });

  it("refuses a wrong code with bad-code and slows down repeated failures", async () => {
    running = await startSite({ roomJoinFailuresPerMinute: 3 });
    const { code } = await createRoomAsTeacher(running);
    const guesser = await openRoomClient(running);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      guesser.send({ type: "join", code: "ZZZZZZ", nickname: "Mallory" });
      answers.push((await guesser.take("error")).code);
    }
    expect(answers).toEqual(["bad-code", "bad-code", "bad-code", "rate-limited", "rate-limited"]);
    const limited = guesser.all("error")[3]!;
    expect(limited.message).toMatch(/try again in \d+ s/);
    // While locked out even the right code is not checked, so guessing gains nothing.
    guesser.send({ type: "join", code, nickname: "Mallory" });
    expect((await guesser.take("error")).code).toBe("rate-limited");
    expect(guesser.ws.readyState).toBe(guesser.ws.OPEN);
  });

  it("checks nicknames: valid, unique per room ignoring case, and nothing like the teacher's", async () => {
    running = await startSite();
    const { code } = await createRoomAsTeacher(running);
    await joinAsStudent(running, code, "Ada");
    const other = await openRoomClient(running);
    other.send({ type: "join", code, nickname: "<b>" });
    expect(await other.take("error")).toMatchObject({ code: "invalid-nickname" });
    other.send({ type: "join", code, nickname: "ADA" });
    expect(await other.take("error")).toMatchObject({ code: "nickname-taken" });
    other.send({ type: "join", code, nickname: "teacher" });
    expect(await other.take("error")).toMatchObject({
      code: "invalid-nickname",
      message: expect.stringMatching(/looks like “Teacher”/),
    });
    other.send({ type: "join", code, nickname: "Bob" });
    expect((await other.take("joined")).you.nickname).toBe("Bob");
  });

  it("refuses students beyond the room size with room-full", async () => {
    running = await startSite({ roomMaxParticipants: 2 });
    const { code } = await createRoomAsTeacher(running);
    await joinAsStudent(running, code, "A1");
    await joinAsStudent(running, code, "A2");
    const third = await openRoomClient(running);
    third.send({ type: "join", code, nickname: "A3" });
    expect(await third.take("error")).toMatchObject({ code: "room-full" });
  });

  it("limits rooms per address with too-many-rooms", async () => {
    running = await startSite({ maxRoomsPerAddress: 2 });
    await createRoomAsTeacher(running);
    await createRoomAsTeacher(running);
    const third = await openRoomClient(running);
    third.send({ type: "create" });
    expect(await third.take("error")).toMatchObject({ code: "too-many-rooms" });
    expect(running.site.lab.roomStats().rooms).toBe(2);
  });

  it("answers requests out of order with not-in-room or invalid-message, keeping the socket open", async () => {
    running = await startSite();
    const client = await openRoomClient(running);
    client.send({ type: "say", text: "hello?" });
    expect(await client.take("error")).toMatchObject({ code: "not-in-room" });
    client.send("not json");
    expect(await client.take("error")).toMatchObject({ code: "invalid-message" });
    client.send({ type: "fly" });
    expect(await client.take("error")).toMatchObject({ code: "invalid-message" });
    client.send({ type: "create" });
    await client.take("created");
    client.send({ type: "create" });
    expect(await client.take("error")).toMatchObject({
      code: "invalid-message",
      message: expect.stringMatching(/already in room/),
    });
    client.send({ type: "say", text: "x".repeat(501) });
    expect(await client.take("error")).toMatchObject({
      code: "invalid-message",
      message: expect.stringMatching(/at most 500 characters/),
    });
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });
});

describe("reconnecting", () => {
  it("a resume restores the same nickname and id, replaces the old socket with 4002, and keeps others out", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: first, joined } = await joinAsStudent(running, code, "Ada");
    first.send({ type: "say", text: "before the blip" });
    await first.take("message");

    // Someone else cannot take the nickname, with or without a made-up resume token.
    const impostor = await openRoomClient(running);
    impostor.send({ type: "join", code, nickname: "ada" });
    expect(await impostor.take("error")).toMatchObject({ code: "nickname-taken" });
    impostor.send({ type: "join", code, nickname: "Ada", resume: "A".repeat(22) });
    expect(await impostor.take("error")).toMatchObject({ code: "nickname-taken" });

    // The same person on a new connection while the old one is still open.
    const { student: second, joined: again } = await joinAsStudent(running, code, "ada", joined.resume);
    expect(again.you).toEqual(joined.you);
    expect(again.resume).toBe(joined.resume);
    expect(again.history.map((m) => m.text)).toEqual(["before the blip"]);
    expect(await first.closed).toMatchObject({ code: 4002 });
    expect(again.participants.filter((p) => p.role === "student")).toHaveLength(1);

    // After a real disconnect they show as away, and come back as connected.
    second.ws.terminate();
    await teacher.take(
      "presence",
      (p) => p.change === "away" && p.participant.id === joined.you.id && !p.participant.connected,
    );
    const { joined: third } = await joinAsStudent(running, code, "Ada", joined.resume);
    expect(third.you).toMatchObject({ id: joined.you.id, nickname: "Ada", connected: true });
    await teacher.take(
      "presence",
      (p) => p.change === "back" && p.participant.id === joined.you.id && p.participant.connected,
    );
  });

  it("forgets a student after the grace period, and closes a room whose teacher stays away", async () => {
    running = await startSite({ roomGraceMs: 300 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada, joined } = await joinAsStudent(running, code, "Ada");
    const { student: bob } = await joinAsStudent(running, code, "Bob");
    ada.ws.close();
    await teacher.take("presence", (p) => p.change === "away" && p.participant.id === joined.you.id);
    await teacher.take("presence", (p) => p.change === "left" && p.participant.id === joined.you.id);
    // The place is gone: the resume token no longer restores anything, the name is free again.
    const { joined: fresh } = await joinAsStudent(running, code, "Ada", joined.resume);
    expect(fresh.you.id).not.toBe(joined.you.id);

    teacher.ws.close();
    const closedMessage = await bob.take("room-closed");
    expect(closedMessage.reason).toMatch(/teacher has been away/);
    expect(await bob.closed).toMatchObject({ code: 1000 });
    await delay(20);
    expect(running.site.lab.roomStats()).toEqual({ rooms: 0, members: 0, connected: 0 });
  });

  it("lets the teacher in again with the key from other tabs, both leading, and refuses a wrong key", async () => {
    running = await startSite({ roomJoinFailuresPerMinute: 10 });
    const { teacher, code, teacherKey, teacherId } = await createRoomAsTeacher(running);
    const { student } = await joinAsStudent(running, code, "Ada");
    student.send({ type: "say", text: "hi" });
    await student.take("message");

    const wrong = await openRoomClient(running);
    wrong.send({ type: "teach", code, teacherKey: "x".repeat(22) });
    expect(await wrong.take("error")).toMatchObject({ code: "bad-key" });

    const second = await openRoomClient(running);
    second.send({ type: "teach", code, teacherKey });
    const joined = await second.take("joined");
    expect(joined.you).toMatchObject({ id: teacherId, role: "teacher", connected: true });
    expect(joined.resume).toBe(teacherKey);
    expect(joined.history.map((m) => m.text)).toEqual(["hi"]);
    expect(await second.take("room-state")).toEqual({ type: "room-state", locked: false, barred: [] });
    // Both tabs lead, both hear the room, and nobody was told the teacher came "back".
    second.send({ type: "follow", lesson: "upgrade-handshake", hash: "#step=2" });
    expect(await student.take("follow")).toMatchObject({ lesson: "upgrade-handshake", hash: "#step=2" });
    teacher.send({ type: "follow", lesson: "frames", hash: "" });
    expect(await student.take("follow")).toMatchObject({ lesson: "frames" });
    student.send({ type: "say", text: "both?" });
    for (const tab of [teacher, second]) await tab.take("message", (m) => m.text === "both?");
    expect(student.all("presence")).toEqual([]);

    // One tab closing leaves the teacher connected; beyond TEACHER_TABS the oldest is replaced.
    teacher.ws.close();
    await teacher.closed;
    student.send({ type: "say", text: "still here" });
    await second.take("message", (m) => m.text === "still here");
    expect(student.all("presence")).toEqual([]);
    const more = [];
    for (let i = 0; i < TEACHER_TABS; i++) {
      const tab = await openRoomClient(running);
      tab.send({ type: "teach", code, teacherKey });
      await tab.take("joined");
      more.push(tab);
    }
    expect(await second.closed).toMatchObject({ code: 4002 });
    for (const tab of more) expect(tab.ws.readyState).toBe(tab.ws.OPEN);
  });
});

describe("the lab around the rooms", () => {
  it("publishes the room's limits at /lab/info", async () => {
    running = await startSite({ roomMaxParticipants: 30 });
    const info = await (await fetch(`${running.origin}/lab/info`)).json();
    expect(info.endpoints).toContain("/lab/room");
    expect(info.room).toMatchObject({
      maxParticipants: 30,
      sayPerSecond: 5,
      graceMs: 120000,
      maxTextChars: 500,
      maxNicknameChars: 24,
      maxMessageBytes: 4096,
      historyLength: 50,
    });
  });

  it("closing the server closes every room socket with 1001 and forgets the rooms", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student } = await joinAsStudent(running, code, "Ada");
    const site = running.site;
    await running.stop();
    running = null;
    expect(await teacher.closed).toMatchObject({ code: 1001 });
    expect(await student.closed).toMatchObject({ code: 1001 });
    expect(student.all("room-closed")).toEqual([]);
    expect(site.lab.roomStats()).toEqual({ rooms: 0, members: 0, connected: 0 });
  });
});
