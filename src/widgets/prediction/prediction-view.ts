// What a prediction card shows, as pure functions: the tally as rows (count and share per
// choice, computed from the lab's counts), and the card's status line for each situation.
import type { ClassPollSnapshot } from "../shared/class-poll.ts";

export interface TallyRow {
  choice: string;
  count: number;
  /** Whole percent of the answers (0 when nobody answered). */
  percent: number;
  mine: boolean;
}

export function tallyRows(choices: readonly string[], counts: readonly number[], mine: number | null): TallyRow[] {
  const answered = counts.reduce((a, b) => a + b, 0);
  return choices.map((choice, i) => {
    const count = counts[i] ?? 0;
    return { choice, count, percent: answered === 0 ? 0 : Math.round((count / answered) * 100), mine: mine === i };
  });
}

/** How this card stands with the room's current question. */
export type CardMode =
  | { kind: "alone" } //                  no room: the reader predicts for themselves
  | { kind: "teacher-idle" } //           the teacher may ask the class this card's question
  | { kind: "teacher-asking" } //         the class is answering this card's question
  | { kind: "student-answering" } //      this student is asked this card's question
  | { kind: "revealed" } //               the class's answers to this card's question are out
  | { kind: "elsewhere"; question: string }; // the room's question is another card's

/** `card` and `lesson` name this card: the room's question is its own only when both match. */
export function cardMode(card: string, lesson: string, room: ClassPollSnapshot): CardMode {
  if (room.role === null) return { kind: "alone" };
  const poll = room.poll;
  if (!poll || poll.card !== card || poll.lesson !== lesson) {
    if (room.role === "teacher") return { kind: "teacher-idle" };
    return poll?.open ? { kind: "elsewhere", question: poll.question } : { kind: "alone" };
  }
  if (!poll.open) return { kind: "revealed" };
  return room.role === "teacher" ? { kind: "teacher-asking" } : { kind: "student-answering" };
}

export function answeredText(answered: number, students: number): string {
  return `${answered} of ${students} student${students === 1 ? "" : "s"} answered`;
}
