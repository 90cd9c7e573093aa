import { describe, expect, it } from "vitest";
import { answeredText, cardMode, tallyRows } from "./prediction-view.ts";

const poll = {
  id: 3,
  lesson: "start-here",
  card: "close-code",
  question: "Which code?",
  choices: ["1000", "1005"],
  open: true,
};

describe("prediction card", () => {
  it("computes each choice's share from the lab's counts", () => {
    expect(tallyRows(["a", "b", "c"], [1, 2, 1], 1)).toEqual([
      { choice: "a", count: 1, percent: 25, mine: false },
      { choice: "b", count: 2, percent: 50, mine: true },
      { choice: "c", count: 1, percent: 25, mine: false },
    ]);
    expect(tallyRows(["a", "b"], [0, 0], null).map((r) => r.percent)).toEqual([0, 0]);
    expect(answeredText(1, 1)).toBe("1 of 1 student answered");
  });

  it("knows whether the room's question is this card's", () => {
    const none = { role: null, poll: null, tally: null, mine: null } as const;
    expect(cardMode("close-code", "start-here", none)).toEqual({ kind: "alone" });
    expect(cardMode("close-code", "start-here", { ...none, role: "teacher" })).toEqual({ kind: "teacher-idle" });
    expect(cardMode("close-code", "start-here", { ...none, role: "teacher", poll })).toEqual({
      kind: "teacher-asking",
    });
    expect(cardMode("close-code", "start-here", { ...none, role: "student", poll })).toEqual({
      kind: "student-answering",
    });
    expect(cardMode("close-code", "start-here", { ...none, role: "student", poll: { ...poll, open: false } })).toEqual({
      kind: "revealed",
    });
    expect(cardMode("other", "start-here", { ...none, role: "student", poll })).toEqual({
      kind: "elsewhere",
      question: "Which code?",
    });
    expect(cardMode("other", "start-here", { ...none, role: "teacher", poll })).toEqual({ kind: "teacher-idle" });
    // The same card id in another lesson is another question.
    expect(cardMode("close-code", "frames", { ...none, role: "student", poll })).toEqual({
      kind: "elsewhere",
      question: "Which code?",
    });
  });
});
