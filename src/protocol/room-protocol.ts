// The classroom room protocol: JSON text messages on a WebSocket to /lab/room (which the wire
// tap can watch like any lab endpoint, so a student can inspect their own room connection).
// Shared by the lab (src/server/room/) and the <sp-classroom> widget; parse functions check
// everything that arrives, in both directions, so neither side trusts the other.
//
// Client → lab
//   { type: "create" }                                   become the teacher of a new room
//   { type: "teach", code, teacherKey }                  take the teacher's place again (reconnect)
//   { type: "join", code, nickname, resume? }            join as a student; `resume` (from `joined`)
//                                                        restores membership and nickname after a blip
//   { type: "say", text }                                a message to everyone in the room
//   { type: "follow", lesson, hash }                     teacher only: followers go to this lesson/step
//   { type: "remove", participant }                      teacher only: remove a student, who is then
//                                                        barred from the room (resume token and name)
//   { type: "readmit", participant }                     teacher only: lift a removed student's bar
//   { type: "lock", locked }                             teacher only: refuse (or accept again) new joins
//   { type: "close-room", reason }                       teacher only: end the room for everyone
//   { type: "ask", lesson, card, question, choices }     teacher only: a class prediction (2–6 choices);
//                                                        replaces any earlier one
//   { type: "reveal" }                                   teacher only: close answering, show everyone the tally
//   { type: "predict", poll, choice }                    a student's answer (may change until revealed)
// Lab → client
//   { type: "created", code, teacherKey, you }           the room exists; keep the key to reconnect
//   { type: "joined", you, resume, participants, history }
//                                                        also the answer to `teach` (you.role "teacher",
//                                                        resume = the teacher key)
//   { type: "presence", change, participant }            a delta, to everyone else: "joined" (new),
//                                                        "away" (connection lost, seat kept), "back",
//                                                        "left" (gone: removed or grace over). Only a
//                                                        newcomer gets the whole list (in `joined`), so
//                                                        filling a room costs O(n) bytes per join
//   { type: "room-state", locked, barred }               to the teacher only: whether new joins are
//                                                        refused, and who was removed (can be readmitted)
//   { type: "message", id, from, text, at }              `text` is shown as text, never as HTML
//   { type: "poll", id, lesson, card, question, choices, open }
//                                                        the class prediction, to everyone (and to a
//                                                        newcomer after `joined`, with `yours`, their
//                                                        answer, when they come back); open false once revealed
//   { type: "tally", poll, counts, answered, students }  answers per choice, computed by the lab: to
//                                                        the teacher while open (at most 5 a second),
//                                                        to everyone once revealed
//   { type: "follow", lesson, hash, at }
//   { type: "stats", messages, framesIn, framesOut, bytesIn, bytesOut }   room traffic, at most once a second
//   { type: "room-closed", reason }                      then the lab closes with 1000
//   { type: "error", code, message }                     a refused request (the socket stays open
//                                                        unless the close code below says otherwise)
// Close codes the lab uses: 1008 a student tried a teacher-only action or broke the protocol;
// 1009 a message over the size limit; 1013 sending too fast or reading too slowly (try again
// later); 4001 removed by the teacher; 4002 replaced by a newer connection of the same person.

export type Role = "teacher" | "student";

export interface Participant {
  id: string;
  nickname: string;
  role: Role;
  connected: boolean;
}

export interface RoomMessage {
  id: number;
  from: { id: string; nickname: string; role: Role };
  text: string;
  at: number;
}

export type ErrorCode =
  | "bad-code"
  | "bad-key"
  | "nickname-taken"
  | "invalid-nickname"
  | "room-full"
  | "room-locked"
  | "removed"
  | "seats-per-address"
  | "rate-limited"
  | "not-in-room"
  | "invalid-message"
  | "too-many-rooms";

export type PresenceChange = "joined" | "away" | "back" | "left";
const PRESENCE_CHANGES: readonly string[] = ["joined", "away", "back", "left"] satisfies PresenceChange[];

/** A removed student, as the teacher's "let back in" list shows them. */
export interface BarredParticipant {
  id: string;
  nickname: string;
}

export type ClientMessage =
  | { type: "create" }
  | { type: "teach"; code: string; teacherKey: string }
  | { type: "join"; code: string; nickname: string; resume?: string }
  | { type: "say"; text: string }
  | { type: "follow"; lesson: string; hash: string }
  | { type: "remove"; participant: string }
  | { type: "readmit"; participant: string }
  | { type: "lock"; locked: boolean }
  | { type: "close-room"; reason: string }
  | { type: "ask"; lesson: string; card: string; question: string; choices: string[] }
  | { type: "reveal" }
  | { type: "predict"; poll: number; choice: number };

export type ServerMessage =
  | { type: "created"; code: string; teacherKey: string; you: Participant }
  | { type: "joined"; you: Participant; resume: string; participants: Participant[]; history: RoomMessage[] }
  | { type: "presence"; change: PresenceChange; participant: Participant }
  | { type: "room-state"; locked: boolean; barred: BarredParticipant[] }
  | {
      type: "poll";
      id: number;
      lesson: string;
      card: string;
      question: string;
      choices: string[];
      open: boolean;
      yours?: number;
    }
  | { type: "tally"; poll: number; counts: number[]; answered: number; students: number }
  | { type: "message"; id: number; from: RoomMessage["from"]; text: string; at: number }
  | { type: "follow"; lesson: string; hash: string; at: number }
  | { type: "stats"; messages: number; framesIn: number; framesOut: number; bytesIn: number; bytesOut: number }
  | { type: "room-closed"; reason: string }
  | { type: "error"; code: ErrorCode; message: string };

/** Join codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_PATTERN = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;
export const MAX_TEXT_CHARS = 500;
export const MAX_NICKNAME_CHARS = 24;
export const MAX_QUESTION_CHARS = 200;
export const MAX_CHOICE_CHARS = 80;
export const MAX_CHOICES = 6;
const SLUG = /^[a-z0-9-]{1,80}$/;
const NICKNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;
// Letters that draw nothing (the Hangul fillers, U+3164 and its kin, are "letters"): a name
// with one looks like the same name without it, or like no name at all.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/** Normalises what a reader typed as a code: upper case, no spaces or dashes. */
export function normaliseCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, "");
}

export type NicknameCheck = { ok: true; nickname: string } | { ok: false; reason: string };

/**
 * Checks a nickname's form (the room checks it against the others, by skeleton). NFKC, so the
 * name shown is the plain form of full-width or other compatibility letters.
 */
export function checkNickname(raw: string): NicknameCheck {
  const nickname = raw.normalize("NFKC").trim().replace(/\s+/g, " ");
  if (nickname.length === 0) return { ok: false, reason: "Choose a nickname." };
  if ([...nickname].length > MAX_NICKNAME_CHARS)
    return { ok: false, reason: `A nickname has at most ${MAX_NICKNAME_CHARS} characters.` };
  if (!NICKNAME_PATTERN.test(nickname))
    return {
      ok: false,
      reason: "Use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit.",
    };
  if (INVISIBLE.test(nickname))
    return {
      ok: false,
      reason: "A nickname cannot hold invisible characters: everyone must be able to see the whole name.",
    };
  return { ok: true, nickname };
}

type Obj = Record<string, unknown>;
const count = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;

export function parseClientMessage(text: string): ClientMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v)) return null;
  switch (v.type) {
    case "create":
      return { type: "create" };
    case "teach":
      return str(v.code, 16) && str(v.teacherKey, 64)
        ? { type: "teach", code: v.code, teacherKey: v.teacherKey }
        : null;
    case "join":
      if (!str(v.code, 16) || !str(v.nickname, 100)) return null;
      if (v.resume !== undefined && !str(v.resume, 64)) return null;
      return v.resume === undefined
        ? { type: "join", code: v.code, nickname: v.nickname }
        : { type: "join", code: v.code, nickname: v.nickname, resume: v.resume as string };
    case "say":
      return str(v.text, MAX_TEXT_CHARS) && v.text.trim() !== "" ? { type: "say", text: v.text } : null;
    case "follow":
      return str(v.lesson, 80) &&
        /^[a-z0-9-]+$/.test(v.lesson) &&
        str(v.hash, 200) &&
        (v.hash === "" || v.hash.startsWith("#"))
        ? { type: "follow", lesson: v.lesson, hash: v.hash }
        : null;
    case "remove":
      return str(v.participant, 64) ? { type: "remove", participant: v.participant } : null;
    case "readmit":
      return str(v.participant, 64) ? { type: "readmit", participant: v.participant } : null;
    case "lock":
      return typeof v.locked === "boolean" ? { type: "lock", locked: v.locked } : null;
    case "ask": {
      const choices = pollChoices(v.choices);
      return typeof v.lesson === "string" &&
        SLUG.test(v.lesson) &&
        typeof v.card === "string" &&
        SLUG.test(v.card) &&
        str(v.question, MAX_QUESTION_CHARS) &&
        v.question.trim() !== "" &&
        choices
        ? { type: "ask", lesson: v.lesson, card: v.card, question: v.question, choices }
        : null;
    }
    case "reveal":
      return { type: "reveal" };
    case "predict":
      return count(v.poll) && count(v.choice) && v.choice < MAX_CHOICES
        ? { type: "predict", poll: v.poll, choice: v.choice }
        : null;
    case "close-room":
      return str(v.reason, 123) ? { type: "close-room", reason: v.reason } : null;
    default:
      return null;
  }
}

/** 2 to MAX_CHOICES non-blank choices of at most MAX_CHOICE_CHARS each, or null. */
function pollChoices(v: unknown): string[] | null {
  return Array.isArray(v) &&
    v.length >= 2 &&
    v.length <= MAX_CHOICES &&
    v.every((c) => str(c, MAX_CHOICE_CHARS) && c.trim() !== "")
    ? (v as string[])
    : null;
}

function isParticipant(v: unknown): v is Participant {
  return (
    isObj(v) &&
    str(v.id, 64) &&
    str(v.nickname, 100) &&
    (v.role === "teacher" || v.role === "student") &&
    typeof v.connected === "boolean"
  );
}

export function parseServerMessage(text: string): ServerMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v)) return null;
  const participants = (list: unknown): Participant[] | null =>
    Array.isArray(list) && list.every(isParticipant) ? (list as Participant[]) : null;
  const from = (f: unknown): RoomMessage["from"] | null =>
    isObj(f) && str(f.id, 64) && str(f.nickname, 100) && (f.role === "teacher" || f.role === "student")
      ? { id: f.id, nickname: f.nickname, role: f.role }
      : null;
  switch (v.type) {
    case "created":
      return str(v.code, 16) && str(v.teacherKey, 64) && isParticipant(v.you)
        ? { type: "created", code: v.code, teacherKey: v.teacherKey, you: v.you }
        : null;
    case "joined": {
      const list = participants(v.participants);
      if (!isParticipant(v.you) || !str(v.resume, 64) || !list || !Array.isArray(v.history)) return null;
      const history: RoomMessage[] = [];
      for (const m of v.history) {
        const f = isObj(m) ? from(m.from) : null;
        if (!isObj(m) || !f || !count(m.id) || !str(m.text, MAX_TEXT_CHARS) || typeof m.at !== "number") return null;
        history.push({ id: m.id, from: f, text: m.text, at: m.at });
      }
      return { type: "joined", you: v.you, resume: v.resume, participants: list, history };
    }
    case "presence":
      return typeof v.change === "string" && PRESENCE_CHANGES.includes(v.change) && isParticipant(v.participant)
        ? { type: "presence", change: v.change as PresenceChange, participant: v.participant }
        : null;
    case "poll": {
      const choices = pollChoices(v.choices);
      return count(v.id) &&
        str(v.lesson, 80) &&
        str(v.card, 80) &&
        str(v.question, MAX_QUESTION_CHARS) &&
        choices &&
        typeof v.open === "boolean"
        ? {
            type: "poll",
            id: v.id,
            lesson: v.lesson,
            card: v.card,
            question: v.question,
            choices,
            open: v.open,
            ...(count(v.yours) && v.yours < choices.length ? { yours: v.yours } : {}),
          }
        : null;
    }
    case "tally":
      return count(v.poll) &&
        Array.isArray(v.counts) &&
        v.counts.length <= MAX_CHOICES &&
        v.counts.every(count) &&
        count(v.answered) &&
        count(v.students)
        ? { type: "tally", poll: v.poll, counts: v.counts as number[], answered: v.answered, students: v.students }
        : null;
    case "room-state": {
      const barred =
        Array.isArray(v.barred) && v.barred.every((b) => isObj(b) && str(b.id, 64) && str(b.nickname, 100))
          ? (v.barred as Obj[]).map((b) => ({ id: b.id as string, nickname: b.nickname as string }))
          : null;
      return typeof v.locked === "boolean" && barred ? { type: "room-state", locked: v.locked, barred } : null;
    }
    case "message": {
      const f = from(v.from);
      return f && count(v.id) && str(v.text, MAX_TEXT_CHARS) && typeof v.at === "number"
        ? { type: "message", id: v.id, from: f, text: v.text, at: v.at }
        : null;
    }
    case "follow":
      return str(v.lesson, 80) && str(v.hash, 200) && typeof v.at === "number"
        ? { type: "follow", lesson: v.lesson, hash: v.hash, at: v.at }
        : null;
    case "stats":
      return count(v.messages) && count(v.framesIn) && count(v.framesOut) && count(v.bytesIn) && count(v.bytesOut)
        ? {
            type: "stats",
            messages: v.messages,
            framesIn: v.framesIn,
            framesOut: v.framesOut,
            bytesIn: v.bytesIn,
            bytesOut: v.bytesOut,
          }
        : null;
    case "room-closed":
      return str(v.reason, 200) ? { type: "room-closed", reason: v.reason } : null;
    case "error":
      return str(v.code, 32) && str(v.message, 500)
        ? { type: "error", code: v.code as ErrorCode, message: v.message }
        : null;
    default:
      return null;
  }
}

/**
 * The participant list after a presence delta. Someone new goes last (the lab's order: by
 * arrival); an unknown id that is "away" or "back" is added too, so a list that missed a delta
 * heals instead of staying wrong.
 */
export function applyPresence(
  participants: readonly Participant[],
  change: PresenceChange,
  participant: Participant,
): Participant[] {
  if (change === "left") return participants.filter((p) => p.id !== participant.id);
  const index = participants.findIndex((p) => p.id === participant.id);
  if (index < 0) return [...participants, participant];
  const next = [...participants];
  next[index] = participant;
  return next;
}
