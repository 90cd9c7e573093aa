// A "check your understanding" question: one correct choice, and feedback for every choice
// that explains why it is right or wrong (a bare "wrong" teaches nothing).

export interface QuizChoice {
  text: string;
  correct?: boolean;
  feedback: string;
  /** A link shown with the feedback, for a choice whose explanation lives in another lesson. */
  see?: { href: string; text: string };
}

/** Where a quiz may send a reader: a lesson page of this site. */
const LESSON_HREF = /^\/lessons\/[a-z0-9-]+\/(#[a-z0-9-]+)?$/;

export interface QuizQuestion {
  prompt: string;
  choices: QuizChoice[];
}

/** Problems with a question set, so a lesson with a broken quiz fails the build. */
export function quizProblems(questions: readonly QuizQuestion[]): string[] {
  const problems: string[] = [];
  if (questions.length === 0) problems.push("the quiz has no questions");
  questions.forEach((q, i) => {
    const correct = q.choices.filter((c) => c.correct).length;
    if (q.choices.length < 2) problems.push(`question ${i + 1} needs at least two choices`);
    if (correct !== 1) problems.push(`question ${i + 1} must have exactly one correct choice, has ${correct}`);
    q.choices.forEach((c, j) => {
      if (c.feedback.trim().length < 10)
        problems.push(`question ${i + 1}, choice ${j + 1} needs feedback that explains it`);
      if (c.see && !LESSON_HREF.test(c.see.href))
        problems.push(`question ${i + 1}, choice ${j + 1} links to ${c.see.href}, which is not a lesson page`);
    });
  });
  return problems;
}

export interface QuizResult {
  answered: number;
  correct: number;
  total: number;
}

/** The lesson's score in words, after every answer: so far while some are left, then the verdict. */
export function scoreText(score: QuizResult): string {
  if (score.answered === 0) return "";
  if (score.answered < score.total) {
    const left = score.total - score.answered;
    return `Score so far: ${score.correct} of ${score.answered} answered correctly, ${left} question${left === 1 ? "" : "s"} left.`;
  }
  return score.correct === score.total
    ? `All ${score.total} answers correct. This lesson is marked as done.`
    : `${score.correct} of ${score.total} correct. Read the feedback, then try the others again.`;
}

export function summarise(results: ReadonlyMap<number, boolean>, total: number): QuizResult {
  let correct = 0;
  for (const ok of results.values()) if (ok) correct++;
  return { answered: results.size, correct, total };
}
