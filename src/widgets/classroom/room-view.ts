// Words and lists for what <sp-classroom> shows, computed from the room connection's context:
// message items, the participant list in a stable order, presence changes worth announcing,
// refusals and endings explained in plain language, and the traffic figures. No DOM here.
import { describeCloseCode } from "../../protocol/close-codes.ts";
import type { Participant, Role, RoomMessage } from "../../protocol/room-protocol.ts";
import type { EndReason, Refusal } from "../../machines/room-connection.ts";
import { formatCount } from "../shared/format-count.ts";

export const roleLabel: Record<Role, string> = { teacher: "teacher", student: "student" };

// One formatter per time zone, built on first use: `toLocaleTimeString` builds a new one per call,
// which costs milliseconds each time a room message is shown (see format-count.ts).
const clocks = new Map<string, Intl.DateTimeFormat>();

/** 24-hour wall-clock time of a message, in the reader's time zone unless one is given. */
export function clockTime(at: number, timeZone?: string): string {
  const key = timeZone ?? "";
  let clock = clocks.get(key);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZone,
    });
    clocks.set(key, clock);
  }
  return clock.format(at);
}

export interface MessageItem {
  id: number;
  nickname: string;
  role: Role;
  time: string;
  datetime: string;
  text: string;
  mine: boolean;
}

export function messageItems(
  messages: readonly RoomMessage[],
  selfId: string | null,
  timeZone?: string,
): MessageItem[] {
  return messages.map((m) => ({
    id: m.id,
    nickname: m.from.nickname,
    role: m.from.role,
    time: clockTime(m.at, timeZone),
    datetime: new Date(m.at).toISOString(),
    text: m.text,
    mine: selfId !== null && m.from.id === selfId,
  }));
}

export interface ParticipantItem extends Participant {
  you: boolean;
  status: "connected" | "away";
}

/** Teacher first, then people who are here, then by nickname: a list that does not jump around. */
export function participantItems(participants: readonly Participant[], selfId: string | null): ParticipantItem[] {
  const rank = (p: Participant) => (p.role === "teacher" ? 0 : 1);
  return [...participants]
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        Number(b.connected) - Number(a.connected) ||
        a.nickname.localeCompare(b.nickname, "en", { sensitivity: "base" }) ||
        a.id.localeCompare(b.id),
    )
    .map((p) => ({ ...p, you: p.id === selfId, status: p.connected ? "connected" : "away" }));
}

export interface PresenceCounts {
  students: number;
  connected: number;
  away: number;
}

export function presenceCounts(participants: readonly Participant[]): PresenceCounts {
  const students = participants.filter((p) => p.role === "student");
  const connected = students.filter((p) => p.connected).length;
  return { students: students.length, connected, away: students.length - connected };
}

export function presenceSummary(counts: PresenceCounts): string {
  if (counts.students === 0) return "No students yet.";
  const people = counts.students === 1 ? "1 student" : `${counts.students} students`;
  return counts.away === 0
    ? `${people}, all connected.`
    : `${people}: ${counts.connected} connected, ${counts.away} away.`;
}

/** Sentences for what changed between two presence lists (joined, left, away, back). */
export function presenceChanges(
  before: readonly Participant[],
  after: readonly Participant[],
  selfId: string | null,
): string[] {
  const old = new Map(before.map((p) => [p.id, p]));
  const now = new Map(after.map((p) => [p.id, p]));
  const said: string[] = [];
  for (const p of after) {
    if (p.id === selfId) continue;
    const was = old.get(p.id);
    if (!was) said.push(`${p.nickname} joined.`);
    else if (was.connected && !p.connected) said.push(`${p.nickname} is away.`);
    else if (!was.connected && p.connected) said.push(`${p.nickname} is back.`);
  }
  for (const p of before) if (!now.has(p.id) && p.id !== selfId) said.push(`${p.nickname} left the room.`);
  return said;
}

/** A refusal from the lab in words, with the lab's own message when it adds something (a wait). */
export function describeRefusal(refusal: Pick<Refusal, "code" | "message">): string {
  const lab = refusal.message.trim();
  const plus = lab ? ` (The lab says: “${lab}”)` : "";
  switch (refusal.code) {
    case "bad-code":
      return `There is no open room with that code. Check the code on the projector.${plus}`;
    case "bad-key":
      return `The lab no longer recognises this browser as the room's teacher; the room may have closed.${plus}`;
    case "nickname-taken":
      return `Someone in this room already uses that nickname. Choose another one.${plus}`;
    case "invalid-nickname":
      return `The lab refused that nickname.${plus}`;
    case "room-full":
      return `This room is full. Ask the teacher to raise the limit or open another room.${plus}`;
    case "room-locked":
      return `The teacher has locked this room, so nobody new can join. Ask the teacher to unlock it.${plus}`;
    case "removed":
      return `The teacher removed this person from the room. Only the teacher can let them back in.${plus}`;
    case "seats-per-address":
      return `Too many seats in this room are held from this network. Seats of people who left free up after a while; the teacher can also raise the limit when starting the lab.${plus}`;
    case "rate-limited": {
      const wait = waitSeconds(lab);
      const when = wait === null ? "Wait a moment" : `Wait ${wait === 1 ? "1 second" : `${wait} seconds`}`;
      return `Too many tries in a short time. ${when} before trying again.${plus}`;
    }
    case "not-in-room":
      return `The lab does not count this connection as part of a room.${plus}`;
    case "invalid-message":
      return `The lab could not accept that message.${plus}`;
    case "too-many-rooms":
      return `The lab already has as many rooms open as it allows. Close an old room first.${plus}`;
    default:
      return `The lab refused the request (${String(refusal.code)}).${plus}`;
  }
}

/** Seconds to wait, when the lab's message names them ("Try again in 4 s", "wait 12 seconds"). */
export function waitSeconds(message: string): number | null {
  const match = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|secs|seconds?)\b/i.exec(message);
  if (!match) return null;
  const value = Number(match[1]);
  const ms = /^m/i.test(match[2]!) ? value : value * 1000;
  return Math.max(1, Math.ceil(ms / 1000));
}

export interface EndView {
  /** The visible status line. */
  text: string;
  /** The page can come back as the same person with a button (same key or resume token). */
  canRetry: boolean;
  /** The session is over: forget the room in this tab. */
  forget: boolean;
}

const closeName = (code: number) => `${code} ${describeCloseCode(code).name}`;
const because = (reason: string) => (reason ? `: “${reason}”` : "");

/** Why the room ended for this page, in words a student can act on. */
export function describeEnd(end: EndReason, role: Role | null): EndView {
  switch (end.kind) {
    case "room-closed":
      return { text: `The room is closed${end.reason ? `: “${end.reason}”` : "."}`, canRetry: false, forget: true };
    case "refused":
      if (end.refusal.code === "bad-code" || end.refusal.code === "bad-key") {
        const next =
          role === "teacher"
            ? "Open a new room and share its code."
            : "Ask the teacher for the new code and join again.";
        return {
          text: `The room no longer exists on the lab (the server may have restarted, or the room was closed). ${next}`,
          canRetry: false,
          forget: true,
        };
      }
      return {
        text: `Could not get back into the room. ${describeRefusal(end.refusal)}`,
        canRetry: end.refusal.code === "rate-limited" || end.refusal.code === "room-full",
        forget: !(end.refusal.code === "rate-limited" || end.refusal.code === "room-full"),
      };
    case "gave-up":
      return {
        text: `The connection to the room was lost (${closeName(end.code)}${because(end.reason)}) and ${end.attempts} attempts to reconnect failed. Is the server still running, and is this device still on the classroom network?`,
        canRetry: true,
        forget: false,
      };
    case "closed":
      switch (end.code) {
        case 4001:
          return {
            text: `The teacher removed you from the room (4001)${because(end.reason)}.`,
            canRetry: false,
            forget: true,
          };
        case 4002:
          return {
            text: `This connection was replaced by a newer one of yours (4002), probably in another tab or page, so this page stopped.`,
            canRetry: true,
            forget: false,
          };
        case 1008:
          return {
            text: `The lab refused this connection for breaking the room's rules (${closeName(1008)})${because(end.reason)}.${role === "student" ? " Only the teacher may remove people, close the room or lead." : ""}`,
            canRetry: false,
            forget: true,
          };
        case 1009:
          return {
            text: `A message was larger than the lab accepts (${closeName(1009)})${because(end.reason)}.`,
            canRetry: true,
            forget: false,
          };
        case 1013:
          return {
            text: `Messages were sent too fast, so the lab closed the connection (${closeName(1013)})${because(end.reason)}. Wait a few seconds, then rejoin.`,
            canRetry: true,
            forget: false,
          };
        default:
          return {
            text: `The lab closed the connection (${closeName(end.code)})${because(end.reason)}.`,
            canRetry: role !== null,
            forget: false,
          };
      }
  }
}

export function bytesText(n: number): string {
  return n === 1 ? "1 byte" : `${formatCount(n)} bytes`;
}

export function countText(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The teacher's door controls: the lock button's words and what being locked means. */
export function doorView(state: { locked: boolean; barred: readonly { id: string; nickname: string }[] } | null): {
  lockLabel: string;
  lockNote: string;
  barredNote: string;
} {
  const locked = state?.locked ?? false;
  const barred = state?.barred.length ?? 0;
  return {
    lockLabel: locked ? "Unlock the room" : "Lock the room",
    lockNote: locked
      ? "Locked: nobody new can join. Students already in the room can still come back after a dropped connection."
      : "Open: anyone with the code can join. Lock the room once the class is in.",
    barredNote:
      barred === 0
        ? "Nobody has been removed. A removed student cannot come back under that name or a name that looks like it (nor, from the same browser, under a new one) until you let them back in."
        : `${countText(barred, "removed student")}, kept out until you let them back in:`,
  };
}
