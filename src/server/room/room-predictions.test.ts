// Class predictions over real sockets: the teacher asks, students answer, the lab counts, the
// teacher sees the tally while answers come in and everyone sees it once revealed.
import { afterEach, describe, expect, it } from "vitest";
import { startSite, type Running } from "../test-helpers.ts";
import { createRoomAsTeacher, delay, joinAsStudent, openRoomClient, takeOpenedClients } from "./room-test-helpers.ts";
import { TALLY_INTERVAL_MS } from "./room.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const client of takeOpenedClients()) expect(client.invalid).toEqual([]);
});

const question = {
  type: "ask",
  lesson: "start-here",
  card: "close-code",
  question: "Which close code will the page report?",
  choices: ["1000", "1005", "1006"],
};

describe("class predictions", () => {
  it("counts each student's latest answer, shows the teacher a live tally and everyone the revealed one", async () => {
    running = await startSite();
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada, joined: adaJoined } = await joinAsStudent(running, code, "Ada");
    const adaResume = adaJoined.resume;
    const { student: bob } = await joinAsStudent(running, code, "Bob");
    teacher.send(question);
    const poll = await ada.take("poll");
    expect(poll).toEqual({
      type: "poll",
      id: 1,
      lesson: "start-here",
      card: "close-code",
      question: question.question,
      choices: question.choices,
      open: true,
    });
    expect(await teacher.take("tally")).toEqual({
      type: "tally",
      poll: 1,
      counts: [0, 0, 0],
      answered: 0,
      students: 2,
    });

    ada.send({ type: "predict", poll: 1, choice: 0 });
    ada.send({ type: "predict", poll: 1, choice: 1 }); // a change of mind: the latest counts
    bob.send({ type: "predict", poll: 1, choice: 1 });
    const live = await teacher.take("tally", (t) => t.answered === 2);
    expect(live.counts).toEqual([0, 2, 0]);
    // Coming back (a new page) brings the question and the student's own answer.
    const { student: adaAgain } = await joinAsStudent(running, code, "Ada", adaResume);
    expect(await adaAgain.take("poll")).toMatchObject({ id: 1, open: true, yours: 1 });
    // Students do not see the tally while answering (no herd), only the teacher does.
    expect(ada.all("tally")).toEqual([]);

    teacher.send({ type: "reveal" });
    for (const client of [adaAgain, bob, teacher]) {
      expect(await client.take("poll", (p) => !p.open)).toMatchObject({ id: 1, open: false });
      expect(await client.take("tally", (t) => t.answered === 2)).toEqual({
        type: "tally",
        poll: 1,
        counts: [0, 2, 0],
        answered: 2,
        students: 2,
      });
    }
    // Answers after the reveal are refused and change nothing.
    bob.send({ type: "predict", poll: 1, choice: 2 });
    expect(await bob.take("error")).toMatchObject({
      code: "invalid-message",
      message: expect.stringMatching(/closed/),
    });

    // A newcomer sees the question and its revealed tally.
    const { student: late } = await joinAsStudent(running, code, "Late");
    expect(await late.take("poll")).toMatchObject({ id: 1, open: false });
    expect((await late.take("tally")).counts).toEqual([0, 2, 0]);
  });

  it("a flood of answers reaches the teacher as a few tallies; only the teacher may ask or reveal", async () => {
    running = await startSite({ maxMessagesPerSecond: 1000 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student } = await joinAsStudent(running, code, "Flip");
    teacher.send(question);
    await teacher.take("tally");
    const started = performance.now();
    for (let i = 0; i < 200; i++) student.send({ type: "predict", poll: 1, choice: i % 3 });
    await teacher.take("tally", (t) => t.counts[199 % 3] === 1);
    await delay(TALLY_INTERVAL_MS * 2);
    const seconds = (performance.now() - started) / 1000;
    expect(teacher.all("tally").length - 1).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / TALLY_INTERVAL_MS) + 1);

    student.send({ type: "predict", poll: 1, choice: 5 });
    expect(await student.take("error")).toMatchObject({ code: "invalid-message" });
    student.send(question);
    expect(await student.closed).toMatchObject({
      code: 1008,
      reason: expect.stringMatching(/Only the teacher can ask the class/),
    });
    const other = await openRoomClient(running);
    other.send({ ...question, choices: ["only one"] });
    expect(await other.take("error")).toMatchObject({ code: "invalid-message" });
  });

  it("a student who leaves for good stops counting in an open question", async () => {
    running = await startSite({ roomGraceMs: 1000 });
    const { teacher, code } = await createRoomAsTeacher(running);
    const { student: ada } = await joinAsStudent(running, code, "Ada");
    await joinAsStudent(running, code, "Bob");
    teacher.send(question);
    await teacher.take("tally");
    await ada.take("poll");
    ada.send({ type: "predict", poll: 1, choice: 2 });
    await teacher.take("tally", (t) => t.answered === 1);
    ada.ws.close();
    expect(await teacher.take("tally", (t) => t.answered === 0, 5000)).toMatchObject({
      counts: [0, 0, 0],
      students: 1,
    });
  });
});
