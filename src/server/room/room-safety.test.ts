// A disruptive student on the same network as the class, over real sockets: every attack of
// the classroom issue is refused, and the class carries on.
import { afterEach, describe, expect, it } from "vitest";
import { startSite, type Running } from "../test-helpers.ts";
import {
  createRoomAsTeacher,
  delay,
  joinAsStudent,
  openRoomClient,
  takeOpenedClients,
  type RoomClient,
} from "./room-test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const client of takeOpenedClients()) expect(client.invalid).toEqual([]);
});

/** Waits until `check` holds (a message still on its way over loopback), or fails after 5 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const until = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > until) throw new Error(`still not true after 5 s: ${what}`);
    await delay(10);
  }
}

async function tryJoin(
  client: RoomClient,
  code: string,
  nickname: string,
  resume?: string,
): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const before = client.received.length;
  client.send(resume === undefined ? { type: "join", code, nickname } : { type: "join", code, nickname, resume });
  for (;;) {
    const answer = client.received.slice(before).find((m) => m.type === "joined" || m.type === "error");
    if (answer?.type === "joined") return { ok: true };
    if (answer?.type === "error") return { ok: false, code: answer.code, message: answer.message };
    await delay(5);
  }
}

describe("the teacher key", () => {
  it("reaches only the teacher's own connection", async () => {
    running = await startSite();
    const { teacher, code, teacherKey } = await createRoomAsTeacher(running);
    const { student } = await joinAsStudent(running, code, "Ada");
    teacher.send({ type: "say", text: "hello" });
    await student.take("message");
    teacher.send({ type: "lock", locked: true });
    await teacher.take("room-state", (s) => s.locked);
    expect(student.texts.join("\n")).not.toContain(teacherKey);
    expect(teacher.texts.some((t) => t.includes(teacherKey))).toBe(true);
  });
});

describe("removal is a ban, and the teacher can lock the room", () => {
  it("bars a removed student by resume token and by name (and look-alikes) until readmitted", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada, joined } = await joinAsStudent(running, code, "Ada");
    teacher.send({ type: "remove", participant: joined.you.id });
    expect(await ada.closed).toMatchObject({ code: 4001 });
    const again = await openRoomClient(running);
    expect(await tryJoin(again, code, "Ada", joined.resume)).toMatchObject({ ok: false, code: "removed" });
    expect(await tryJoin(again, code, "ADA")).toMatchObject({
      ok: false,
      code: "removed",
      message: expect.stringMatching(/removed Ada/),
    });
    expect(await tryJoin(again, code, "Аda")).toMatchObject({ ok: false, code: "removed" }); // Cyrillic А
    expect(await tryJoin(again, code, "Someone Else", joined.resume)).toMatchObject({ ok: false, code: "removed" });

    teacher.send({ type: "readmit", participant: joined.you.id });
    expect(await teacher.take("room-state", (s) => s.barred.length === 0)).toEqual({
      type: "room-state",
      locked: false,
      barred: [],
    });
    expect(await tryJoin(again, code, "Ada")).toEqual({ ok: true });
  });

  it("a locked room refuses newcomers but lets its members come back", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada, joined } = await joinAsStudent(running, code, "Ada");
    teacher.send({ type: "lock", locked: true });
    await teacher.take("room-state", (s) => s.locked);
    const late = await openRoomClient(running);
    expect(await tryJoin(late, code, "Late")).toMatchObject({
      ok: false,
      code: "room-locked",
      message: expect.stringMatching(/locked/),
    });
    ada.ws.terminate();
    await teacher.take("presence", (p) => p.change === "away");
    const back = await joinAsStudent(running, code, "Ada", joined.resume);
    expect(back.joined.you.id).toBe(joined.you.id);
    teacher.send({ type: "lock", locked: false });
    await teacher.take("room-state", (s) => !s.locked);
    expect(await tryJoin(late, code, "Late")).toEqual({ ok: true });
  });

  it("a student cannot lock, readmit or remove (1008)", async () => {
    running = await startSite();
    const { code } = await createRoomAsTeacher(running);
    for (const message of [
      { type: "lock", locked: true },
      { type: "readmit", participant: "x" },
    ]) {
      const { student } = await joinAsStudent(running, code, `S${message.type}`);
      student.send(message);
      expect(await student.closed).toMatchObject({ code: 1008, reason: expect.stringMatching(/Only the teacher/) });
    }
  });
});

describe("look-alike nicknames", () => {
  it.each(["Теacher", "Ｔｅａｃｈｅｒ", "teacher", "Mr Teacher", "T e a c h e r"])(
    "refuses %s as the teacher's look-alike",
    async (nickname) => {
      running = await startSite();
      const { code } = await createRoomAsTeacher(running);
      const client = await openRoomClient(running);
      expect(await tryJoin(client, code, nickname)).toMatchObject({
        ok: false,
        code: "invalid-nickname",
        message: expect.stringMatching(/pass for the teacher/),
      });
    },
  );

  it("refuses a name that looks like a member's, saying whose", async () => {
    running = await startSite();
    const { code } = await createRoomAsTeacher(running);
    await joinAsStudent(running, code, "Bob");
    const client = await openRoomClient(running);
    expect(await tryJoin(client, code, "B0b")).toMatchObject({
      ok: false,
      code: "nickname-taken",
      message: expect.stringMatching(/looks too much like Bob/),
    });
    expect(await tryJoin(client, code, "Ｂｏｂ")).toMatchObject({ ok: false, code: "nickname-taken" });
  });
});

describe("limits per address, across sockets", () => {
  it("one address cannot take every seat: join, drop and rejoin under new names stops at its seats", async () => {
    running = await startSite({
      roomMaxParticipants: 60,
      roomSeatsPerAddress: 8,
      roomJoinsPerAddressPerSecond: 1000,
      roomGraceMs: 60_000,
    });
    const { code } = await createRoomAsTeacher(running);
    const results: string[] = [];
    for (let i = 0; i < 12; i++) {
      const client = await openRoomClient(running);
      const result = await tryJoin(client, code, `Bot${String.fromCharCode(97 + i)}`);
      results.push(result.ok ? "ok" : result.code);
      client.ws.terminate(); // drop at once: the seat is kept for the grace period
    }
    expect(results).toEqual([...Array(8).fill("ok"), ...Array(4).fill("seats-per-address")]);
    expect(running.site.lab.roomStats().members).toBe(9); // the teacher and 8 held seats
  });

  it("joins and comebacks per address are rate-limited after the burst, so a presence storm is cut short", async () => {
    running = await startSite({ roomSeatsPerAddress: 5, roomJoinsPerAddressPerSecond: 2, maxMessagesPerSecond: 1000 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student, joined } = await joinAsStudent(running, code, "Stormy");
    // Leave and come back as fast as possible for a second: at most the burst (5, one of which
    // the first join took) plus about 2 more get through.
    let current = student;
    let comebacks = 0;
    let refused = 0;
    const started = performance.now();
    const until = started + 1000;
    while (performance.now() < until) {
      current.ws.terminate();
      current = await openRoomClient(running);
      const result = await tryJoin(current, code, "Stormy", joined.resume);
      if (result.ok) comebacks++;
      else {
        expect(result).toMatchObject({
          code: "rate-limited",
          message: expect.stringMatching(/Too many joins from this network address/),
        });
        refused++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    expect(comebacks).toBeGreaterThanOrEqual(4);
    expect(comebacks).toBeLessThanOrEqual(4 + Math.ceil(seconds * 2));
    expect(refused).toBeGreaterThan(0);
    await eventually(
      () => teacher.all("presence").filter((p) => p.change === "back").length === comebacks,
      "the teacher heard of every comeback",
    );
  });

  it("messages per address are limited across all its sockets; over-limit ones reach nobody", async () => {
    running = await startSite({ roomSayPerSecond: 5, roomSayPerAddressPerSecond: 10 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const flooders: RoomClient[] = [];
    for (let i = 0; i < 10; i++)
      flooders.push((await joinAsStudent(running, code, `Flood${String.fromCharCode(97 + i)}`)).student);
    const started = performance.now();
    // Each socket stays within its own limit (its burst of 10 over a second), so only the
    // address limit can stop them: 100 messages in all.
    for (let round = 0; round < 10; round++) {
      for (const f of flooders) f.send({ type: "say", text: `r${round}` });
      await delay(100);
    }
    await eventually(
      () => teacher.all("message").length + flooders.reduce((n, f) => n + f.all("error").length, 0) === 100,
      "every message was either delivered or refused",
    );
    const seconds = (performance.now() - started) / 1000;
    const delivered = teacher.all("message").length;
    // The burst (20) plus 10 a second.
    expect(delivered).toBeLessThanOrEqual(20 + Math.ceil(seconds * 10) + 1);
    expect(delivered).toBeGreaterThanOrEqual(20);
    const refusals = flooders.flatMap((f) => f.all("error"));
    expect(refusals.length).toBe(100 - delivered);
    expect(refusals[0]).toMatchObject({
      code: "rate-limited",
      message: expect.stringMatching(/across all its connections/),
    });
    for (const f of flooders) expect(f.ws.readyState).toBe(f.ws.OPEN);
  });

  it("the teacher's messages do not count against the students' shared address", async () => {
    running = await startSite({ roomSayPerSecond: 1000, roomSayPerAddressPerSecond: 1 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student } = await joinAsStudent(running, code, "Ada");
    for (let i = 0; i < 10; i++) teacher.send({ type: "say", text: `teacher ${i}` });
    await student.take("message", (m) => m.text === "teacher 9");
    expect(teacher.all("error")).toEqual([]);
    // The students' allowance (burst 2) is still whole.
    student.send({ type: "say", text: "a" });
    student.send({ type: "say", text: "b" });
    await teacher.take("message", (m) => m.text === "b");
  });
});

describe("presence as deltas", () => {
  it("a newcomer gets the whole list; everyone else gets one small delta per change", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada, joined: adaJoined } = await joinAsStudent(running, code, "Ada");
    const { joined: bobJoined } = await joinAsStudent(running, code, "Bob");
    expect(bobJoined.participants.map((p) => p.nickname)).toEqual(["Teacher", "Ada", "Bob"]);
    expect(await ada.take("presence")).toEqual({ type: "presence", change: "joined", participant: bobJoined.you });
    ada.ws.terminate();
    await teacher.take("presence", (p) => p.change === "joined" && p.participant.nickname === "Bob");
    expect(await teacher.take("presence", (p) => p.change === "away")).toMatchObject({
      participant: { id: adaJoined.you.id, connected: false },
    });
    // No presence message carries a list.
    for (const text of teacher.texts) if (text.includes('"presence"')) expect(text).not.toContain("participants");
  });

  it("filling a 300-member room costs O(n) bytes per join, not O(n) per member", async () => {
    const size = 300;
    running = await startSite({
      roomMaxParticipants: size,
      roomSeatsPerAddress: size,
      roomJoinsPerAddressPerSecond: 10_000,
      maxConnectionsPerAddress: size + 10,
      maxHttpConnectionsPerAddress: size + 10,
    });
    const { teacher, code } = await createRoomAsTeacher(running);
    const members: RoomClient[] = [teacher];
    /** Bytes the lab sent because of join k: the newcomer's welcome plus every delta about them. */
    const bytesOfJoin: number[] = [];
    for (let k = 1; k <= size; k++) {
      const { student, joined } = await joinAsStudent(running, code, `S${k}`);
      const deltas = await Promise.all(
        members.map((m) =>
          m
            .take("presence", (p) => p.participant.id === joined.you.id, 10_000)
            .then(() => m.texts.find((t) => t.includes(joined.you.id) && t.includes('"presence"'))!.length),
        ),
      );
      bytesOfJoin.push(student.texts[0]!.length + deltas.reduce((a, b) => a + b, 0));
      members.push(student);
    }
    const at = (k: number): number => bytesOfJoin[k - 1]!;
    // Linear: join 300 costs about 3× join 100 (a newcomer's list and 300 deltas), where a full
    // list to everyone would cost about 9× (quadratic per join).
    expect(at(300) / at(100)).toBeLessThan(3.3);
    expect(at(300) / at(100)).toBeGreaterThan(2.5);
    const largestDelta = Math.max(...teacher.texts.filter((t) => t.includes('"presence"')).map((t) => t.length));
    expect(largestDelta).toBeLessThan(140);
  }, 120_000);
});
