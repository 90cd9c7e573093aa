import { describe, expect, it } from "vitest";
import { quizProblems, summarise } from "./quiz-types.ts";

describe("quiz validation", () => {
  it("accepts a well-formed question", () => {
    expect(quizProblems([{ prompt: "?", choices: [{ text: "a", correct: true, feedback: "Right, because…" }, { text: "b", feedback: "No, because…" }] }])).toEqual([]);
  });
  it("rejects zero or two correct answers, missing feedback and empty quizzes", () => {
    expect(quizProblems([])).toContain("the quiz has no questions");
    const problems = quizProblems([{ prompt: "?", choices: [{ text: "a", correct: true, feedback: "ok" }, { text: "b", correct: true, feedback: "Also right?" }] }]);
    expect(problems).toContain("question 1 must have exactly one correct choice, has 2");
    expect(problems).toContain("question 1, choice 1 needs feedback that explains it");
  });
  it("counts answers", () => {
    expect(summarise(new Map([[0, true], [1, false]]), 3)).toEqual({ answered: 2, correct: 1, total: 3 });
  });
});
