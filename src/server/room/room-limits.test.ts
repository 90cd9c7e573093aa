import { afterEach, describe, expect, it } from "vitest";
import { startSite, type Running } from "../test-helpers.ts";
import { generateToken, maskedFrame, openMonitor, openRaw, type MonitorClient } from "../tap/tap-test-helpers.ts";
import {
  createRoomAsTeacher,
  joinAsStudent,
  openRoomClient,
  takeOpenedClients,
  type RoomClient,
} from "./room-test-helpers.ts";

let running: Running | null = null;
const monitors: MonitorClient[] = [];
afterEach(async () => {
  for (const m of monitors.splice(0)) m.ws.terminate();
  await running?.stop();
  running = null;
  for (const client of takeOpenedClients()) expect(client.invalid).toEqual([]);
});

describe("message limits", () => {
  it("closes a student who says too much too fast with 1013, and the room carries on", async () => {
    running = await startSite({ roomSayPerSecond: 5 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: chatty } = await joinAsStudent(running, code, "Chatty");
    for (let i = 0; i < 15; i++) chatty.send({ type: "say", text: `spam ${i}` });
    const closed = await chatty.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/too fast: at most 5 messages a second/);
    // The burst (twice the rate) went through; nothing after it did.
    await teacher.take("message", (m) => m.text === "spam 9");
    teacher.send({ type: "say", text: "after" });
    await teacher.take("message", (m) => m.text === "after");
    expect(teacher.all("message").map((m) => m.text)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `spam ${i}`),
      "after",
    ]);
  });

  it("closes an oversized room message with 1009 and a reason, and one over the lab's limit with 1009", async () => {
    running = await startSite({ maxMessageBytes: 8192 });
    const { code } = await createRoomAsTeacher(running);
    const { student: big } = await joinAsStudent(running, code, "Big");
    big.send(JSON.stringify({ type: "say", text: "x".repeat(5000) }));
    const closed = await big.closed;
    expect(closed).toEqual({
      code: 1009,
      reason: expect.stringMatching(/A room message is at most 4096 bytes; this one has 50\d\d/),
    });
    const { student: huge } = await joinAsStudent(running, code, "Huge");
    huge.send(JSON.stringify({ type: "say", text: "x".repeat(9000) }));
    expect((await huge.closed).code).toBe(1009);
  });

  it("closes a binary frame with 1008", async () => {
    running = await startSite();
    const client = await openRoomClient(running);
    client.ws.send(Buffer.from([1, 2, 3]));
    expect(await client.closed).toEqual({ code: 1008, reason: expect.stringMatching(/JSON text/) });
  });
});

describe("what the room sends", () => {
  it("carries HTML as text, byte-identical inside the JSON string", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student } = await joinAsStudent(running, code, "Ada");
    const hostile = "<img src=x onerror=alert(1)>";
    student.send({ type: "say", text: hostile });
    for (const client of [teacher, student]) {
      const message = await client.take("message");
      expect(message.text).toBe(hostile);
      expect(message.from).toMatchObject({ nickname: "Ada", role: "student" });
      expect(client.texts.find((t) => t.includes('"type":"message"'))).toContain(`"text":${JSON.stringify(hostile)}`);
      expect(client.texts.find((t) => t.includes('"type":"message"'))).toContain(
        '"text":"<img src=x onerror=alert(1)>"',
      );
    }
    const { joined } = await joinAsStudent(running, code, "Bob");
    expect(joined.history[0]!.text).toBe(hostile);
  });

  it("numbers messages, stamps them with the server's time, and keeps the last 50 as history", async () => {
    running = await startSite({ roomSayPerSecond: 1000, roomSayPerAddressPerSecond: 1000 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const before = Date.now();
    for (let i = 1; i <= 55; i++) teacher.send({ type: "say", text: `m${i}` });
    await teacher.take("message", (m) => m.text === "m55");
    const all = teacher.all("message");
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
    expect(all.every((m) => m.at >= before && m.at <= Date.now())).toBe(true);
    const { joined } = await joinAsStudent(running, code, "Late");
    expect(joined.history).toHaveLength(50);
    expect(joined.history[0]!.text).toBe("m6");
    expect(joined.history.at(-1)).toEqual({ id: 55, from: all[54]!.from, text: "m55", at: all[54]!.at });
  });

  it("sends the room's traffic figures at most once a second, counted from the sockets", async () => {
    running = await startSite({ roomSayPerSecond: 1000, roomSayPerAddressPerSecond: 1000 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const arrivals: number[] = [];
    teacher.ws.on("message", (data) => {
      if ((data as Buffer).toString().startsWith('{"type":"stats"')) arrivals.push(performance.now());
    });
    const { student } = await joinAsStudent(running, code, "Ada");
    const started = performance.now();
    while (performance.now() - started < 1300) {
      student.send({ type: "say", text: "tick" });
      await new Promise((done) => setTimeout(done, 50));
    }
    const last = await teacher.take("stats", (s) => s.messages >= 20);
    expect(last.framesIn).toBeGreaterThanOrEqual(last.messages);
    expect(last.framesOut).toBeGreaterThan(last.messages);
    expect(last.bytesIn).toBeGreaterThan(last.messages * 20);
    expect(last.bytesOut).toBeGreaterThan(last.bytesIn);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(950);
    expect(arrivals.length).toBeLessThanOrEqual(3);
  });

  it("can be watched by the wire tap like any lab endpoint", async () => {
    running = await startSite();
    const token = generateToken();
    const monitor = await openMonitor(running.port, running.origin, token);
    monitors.push(monitor);
    await monitor.find("hello");
    const teacher = await openRoomClient(running, `?watch=${token}`);
    teacher.send({ type: "create" });
    await teacher.take("created");
    expect(await monitor.find("open")).toMatchObject({ path: "/lab/room" });
    await monitor.find(
      "chunk",
      (c) => c.dir === "out" && Buffer.from(c.data ?? "", "base64").includes('"type":"created"'),
    );
  });
});

describe("a participant who stops reading", () => {
  it("is dropped while everyone else receives every message promptly", async () => {
    running = await startSite({
      roomSayPerSecond: 100_000,
      roomSayPerAddressPerSecond: 100_000,
      maxMessagesPerSecond: 100_000,
      roomSendBufferBytes: 64 * 1024,
    });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: sender } = await joinAsStudent(running, code, "Sender");
    const { student: reader } = await joinAsStudent(running, code, "Reader");

    // A raw TCP client completes the handshake, joins, and then stops reading from its socket.
    const slow = await openRaw(
      running.port,
      "/lab/room",
      running.origin,
      maskedFrame(1, JSON.stringify({ type: "join", code, nickname: "Sleepy" })),
    );
    const sleepy = await teacher.take("presence", (p) => p.change === "joined" && p.participant.nickname === "Sleepy");
    const sleepyId = sleepy.participant.id;
    slow.socket.pause();

    // 3 bytes a character: each message is about 1.5 KB, so 4000 of them are about 6 MB for
    // every reader, more than loopback's kernel buffers (about 4 MB here) can hide.
    const count = 4000;
    const text = "€".repeat(500);
    // In batches that the live readers finish before the next one starts: they are never far
    // behind (this test's clients share one thread with the server), while the sleeper's
    // backlog only grows until the lab drops it.
    const everyone: RoomClient[] = [teacher, sender, reader];
    const started = performance.now();
    for (let sent = 0; sent < count;) {
      for (const end = sent + 100; sent < end; sent++) sender.send({ type: "say", text });
      await Promise.all(everyone.map((c) => c.take("message", (m) => m.id === sent, 10_000)));
    }
    const elapsed = performance.now() - started;
    for (const client of everyone) {
      const ids = client.all("message").map((m) => m.id);
      expect(ids).toHaveLength(count);
      expect(ids.every((id, i) => id === i + 1)).toBe(true);
    }
    // "Promptly": the whole run is a few hundred milliseconds on a laptop; a lab that waited
    // for the sleeper would never finish.
    expect(elapsed).toBeLessThan(15_000);
    await teacher.take("presence", (p) => p.change === "away" && p.participant.id === sleepyId);
    expect(running.site.lab.roomStats().connected).toBe(3);
    slow.socket.destroy();
  }, 30_000);
});
