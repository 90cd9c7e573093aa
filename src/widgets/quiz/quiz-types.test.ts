import { describe, expect, it } from "vitest";
import { quizProblems, scoreText, summarise } from "./quiz-types.ts";

describe("quiz validation", () => {
  it("accepts a well-formed question", () => {
    expect(
      quizProblems([
        {
          prompt: "?",
          choices: [
            { text: "a", correct: true, feedback: "Right, because…" },
            { text: "b", feedback: "No, because…" },
          ],
        },
      ]),
    ).toEqual([]);
  });
  it("rejects zero or two correct answers, missing feedback and empty quizzes", () => {
    expect(quizProblems([])).toContain("the quiz has no questions");
    const problems = quizProblems([
      {
        prompt: "?",
        choices: [
          { text: "a", correct: true, feedback: "ok" },
          { text: "b", correct: true, feedback: "Also right?" },
        ],
      },
    ]);
    expect(problems).toContain("question 1 must have exactly one correct choice, has 2");
    expect(problems).toContain("question 1, choice 1 needs feedback that explains it");
  });
  it("accepts a choice's link to another lesson, and refuses one that leaves the lessons", () => {
    const ask = (href: string) =>
      quizProblems([
        {
          prompt: "?",
          choices: [
            { text: "a", correct: true, feedback: "Right, because…" },
            { text: "b", feedback: "No, because…", see: { href, text: "Lesson 9" } },
          ],
        },
      ]);
    expect(ask("/lessons/beyond-http-1-1/")).toEqual([]);
    expect(ask("/lessons/frames/#masking")).toEqual([]);
    expect(ask("https://example.com/")).toEqual([
      "question 1, choice 2 links to https://example.com/, which is not a lesson page",
    ]);
    expect(ask("javascript:alert(1)")).toHaveLength(1);
  });
  it("says the score after every answer, then the verdict", () => {
    expect(scoreText({ answered: 0, correct: 0, total: 5 })).toBe("");
    expect(scoreText({ answered: 2, correct: 1, total: 5 })).toBe(
      "Score so far: 1 of 2 answered correctly, 3 questions left.",
    );
    expect(scoreText({ answered: 4, correct: 4, total: 5 })).toMatch(/1 question left\.$/);
    expect(scoreText({ answered: 5, correct: 5, total: 5 })).toBe(
      "All 5 answers correct. This lesson is marked as done.",
    );
    expect(scoreText({ answered: 5, correct: 3, total: 5 })).toBe(
      "3 of 5 correct. Read the feedback, then try the others again.",
    );
  });
  it("counts answers", () => {
    expect(
      summarise(
        new Map([
          [0, true],
          [1, false],
        ]),
        3,
      ),
    ).toEqual({ answered: 2, correct: 1, total: 3 });
  });
});
