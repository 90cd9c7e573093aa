// The class prediction as this page knows it, shared by the room link and the prediction cards:
// the classroom bar (which holds this tab's room connection) publishes who this tab is and what
// the lab says about the current question (`poll`, `tally`), and relays what a card asks it to
// send (`ask`, `reveal`, `predict`). Both load this one module (the same chunk), so they share
// one store. No DOM, no sockets: a page outside a classroom never loads it.
import type { ClientMessage } from "../../protocol/room-protocol.ts";

export interface PollState {
  id: number;
  lesson: string;
  card: string;
  question: string;
  choices: string[];
  open: boolean;
}

export interface TallyState {
  poll: number;
  counts: number[];
  answered: number;
  students: number;
}

export interface ClassPollSnapshot {
  /** Who this tab is in its room, or null when it is in none (or its link is down). */
  role: "teacher" | "student" | null;
  poll: PollState | null;
  /** The tally of `poll` (the teacher's live one, or everyone's once revealed). */
  tally: TallyState | null;
  /** This tab's answer to `poll`, as sent. */
  mine: number | null;
}

let snapshot: ClassPollSnapshot = { role: null, poll: null, tally: null, mine: null };
const listeners = new Set<(s: ClassPollSnapshot) => void>();
let sender: ((message: ClientMessage) => void) | null = null;

export function classPoll(): ClassPollSnapshot {
  return snapshot;
}

/** Calls `listener` on every change (not now); returns the unsubscribe. */
export function subscribeClassPoll(listener: (s: ClassPollSnapshot) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The room link: a change in who this tab is, or in what the lab said. */
export function publishClassPoll(change: Partial<ClassPollSnapshot>): void {
  const next = { ...snapshot, ...change };
  // A new question starts with no answer from this tab, and the old tally no longer applies.
  if (change.poll && change.poll.id !== snapshot.poll?.id) {
    if (change.mine === undefined) next.mine = null;
    if (!change.tally) next.tally = null;
  }
  if (next.tally && next.poll && next.tally.poll !== next.poll.id) next.tally = null;
  snapshot = next;
  for (const listener of [...listeners]) listener(snapshot);
}

/** The room link registers how to send (null when it stops). */
export function setClassPollSender(send: ((message: ClientMessage) => void) | null): void {
  sender = send;
}

/** A card asks the room link to send; false when this tab has no working link. */
export function sendClassPoll(message: Extract<ClientMessage, { type: "ask" | "reveal" | "predict" }>): boolean {
  if (!sender || snapshot.role === null) return false;
  sender(message);
  if (message.type === "predict") publishClassPoll({ mine: message.choice });
  return true;
}
