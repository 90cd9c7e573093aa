// What the classroom bar decides, without a page: what a teacher sends when a deep link
// changes, what a student's page does with a `follow` from the lab, how a follow target and an
// ending are put in words, and a throttle so a teacher scrubbing a timeline sends a few
// messages, not hundreds.
import type { ClientMessage } from "../../protocol/room-protocol.ts";
import type { LinkOutcome } from "../../machines/classroom-link.ts";
import { rejoinAllowed } from "../../protocol/room-close-policy.ts";

const LESSON_SLUG = /^[a-z0-9-]{1,80}$/;
/** Hashes the lab accepts and a page may safely apply: "#" and a short, plain parameter list. */
const SAFE_HASH = /^(#[A-Za-z0-9_.=&-]{0,199})?$/;

/** The follow message for a teacher's deep link, or null when there is nothing to follow (not on a lesson). */
export function followMessageFor(
  lesson: string | null | undefined,
  hash: string,
): Extract<ClientMessage, { type: "follow" }> | null {
  if (!lesson || !LESSON_SLUG.test(lesson)) return null;
  const clean = hash === "#" ? "" : hash;
  if (!SAFE_HASH.test(clean)) return null;
  return { type: "follow", lesson, hash: clean };
}

export type FollowAction =
  | { kind: "ignore"; why: "not-following" | "invalid" | "already-there" }
  | { kind: "navigate"; url: string }
  | { kind: "apply-hash"; hash: string };

export interface Here {
  /** The lesson this page shows, or null on a page that is not a lesson. */
  lesson: string | null;
  hash: string;
}

/** What a student's page does with the teacher's `follow`. */
export function actionForFollow(
  follow: { lesson: string; hash: string },
  here: Here,
  following: boolean,
): FollowAction {
  if (!following) return { kind: "ignore", why: "not-following" };
  if (!LESSON_SLUG.test(follow.lesson) || !SAFE_HASH.test(follow.hash)) return { kind: "ignore", why: "invalid" };
  if (follow.lesson !== here.lesson) return { kind: "navigate", url: `/lessons/${follow.lesson}/${follow.hash}` };
  if (follow.hash === here.hash || (follow.hash === "" && here.hash === "#"))
    return { kind: "ignore", why: "already-there" };
  return { kind: "apply-hash", hash: follow.hash };
}

/** Where a deep link points, in words: "section 3", "handshake step 2". Empty when it names nothing known. */
export function describeFollowTarget(hash: string): string {
  const parts = hash.replace(/^#/, "").split("&").filter(Boolean);
  const said: string[] = [];
  for (const part of parts) {
    const [key = "", value = ""] = part.split("=");
    if (key === "present") said.push(`section ${value}`);
    else if (key === "handshake-step") said.push(`handshake step ${value}`);
    else if (key === "inspector-step") said.push(`inspector step ${value}`);
    else if (key === "wire-step") said.push(`wire stage step ${value}`);
    else if (key.startsWith("timeline-")) said.push(`timeline at ${value} ms`);
  }
  return said.join(", ");
}

export function followNote(hash: string): string {
  const target = describeFollowTarget(hash);
  return target ? `Following the teacher: ${target}.` : "Following the teacher.";
}

const ENDINGS: Record<LinkOutcome, string> = {
  left: "You left the room.",
  "room-closed": "The teacher closed the room",
  removed: "The teacher removed you from the room (close code 4001)",
  replaced:
    "Another tab or window of yours took over this room (close code 4002). Press Reconnect to use this tab instead.",
  refused: "The lab refused this connection for breaking the room's rules (close code 1008)",
  "too-big": "A message was larger than the lab accepts (close code 1009). Press Reconnect to come back",
  "too-fast":
    "Messages were sent too fast, so the lab closed the connection (close code 1013). Wait a few seconds, then press Reconnect",
  rejected: "The lab did not let this tab back into the room",
  unreachable: "The room server cannot be reached. Check the network, then press Reconnect.",
};

/** Why the link ended, in words a student or teacher can act on. */
export function describeEnding(outcome: LinkOutcome, detail: string, closeCode: number | null): string {
  const text = ENDINGS[outcome];
  if (outcome === "unreachable") return closeCode ? text.replace(".", ` (last close code ${closeCode}).`) : text;
  if (text.endsWith(".")) return text;
  return `${text}${detail.trim() ? `: ${detail.trim()}` : ""}.`;
}

/** Endings after which this tab's classroom session is worthless and is forgotten. */
export function forgetsSession(outcome: LinkOutcome): boolean {
  if (outcome === "left" || outcome === "rejected") return true;
  if (outcome === "unreachable") return false;
  // A room ending the reader may undo by rejoining keeps the session (protocol/room-close-policy.ts).
  return !rejoinAllowed(outcome);
}

/**
 * Sends the latest value at most once per `intervalMs`: the first change goes at once, later
 * ones wait for the interval and only the newest of them is sent. Equal values are not resent.
 */
export function createThrottle<T>(
  send: (value: T) => void,
  intervalMs: number,
  clock: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void },
  same: (a: T, b: T) => boolean = Object.is,
) {
  let lastAt = -Infinity;
  let last: { value: T } | null = null;
  let pending: { value: T } | null = null;
  let timer: unknown = null;
  const flush = (): void => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    if (last && same(last.value, value)) return;
    last = { value };
    lastAt = clock.now();
    send(value);
  };
  return {
    push(value: T): void {
      pending = { value };
      if (timer !== null) return;
      const wait = lastAt + intervalMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    /** Forget what was sent, so the next value goes even if it is the same (after a reconnect). */
    reset(): void {
      last = null;
    },
    cancel(): void {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
