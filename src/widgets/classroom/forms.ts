// Checks for what a reader types into the classroom's forms, before anything is sent: the join
// form (a room code and a nickname, with the protocol's own rules) and the message box (at most
// MAX_TEXT_CHARS characters, not blank). Each problem comes back as a sentence for the field.
import {
  checkNickname,
  CODE_ALPHABET,
  CODE_PATTERN,
  MAX_TEXT_CHARS,
  normaliseCode,
} from "../../protocol/room-protocol.ts";
import { utf8ByteLength } from "../../protocol/utf8-length.ts";

export type JoinCheck = { ok: true; code: string; nickname: string } | { ok: false; code?: string; nickname?: string };

export function checkCode(raw: string): { ok: true; code: string } | { ok: false; reason: string } {
  const code = normaliseCode(raw);
  if (code === "") return { ok: false, reason: "Type the 6-character room code your teacher shows." };
  if (code.length !== 6) return { ok: false, reason: `A room code has 6 characters; this one has ${code.length}.` };
  if (!CODE_PATTERN.test(code)) {
    const odd = [...new Set([...code].filter((c) => !CODE_ALPHABET.includes(c)))];
    const hint = odd.some((c) => "01OIL".includes(c))
      ? " Codes never use 0, O, 1, I or L, so they cannot be mixed up."
      : "";
    return {
      ok: false,
      reason: `A room code uses only letters and the digits 2–9; “${odd.join("")}” is not part of any code.${hint}`,
    };
  }
  return { ok: true, code };
}

/** Both fields at once, so a reader sees every problem on the first try. */
export function checkJoin(rawCode: string, rawNickname: string): JoinCheck {
  const code = checkCode(rawCode);
  const nickname = checkNickname(rawNickname);
  if (code.ok && nickname.ok) return { ok: true, code: code.code, nickname: nickname.nickname };
  return {
    ok: false,
    ...(code.ok ? {} : { code: code.reason }),
    ...(nickname.ok ? {} : { nickname: nickname.reason }),
  };
}

export interface MessageCheck {
  /** Characters as the counter shows them (what the lab limits is characters, not bytes). */
  characters: number;
  remaining: number;
  /** UTF-8 bytes: the payload length of the text frame that will carry the message's JSON text. */
  bytes: number;
  problem: string | null;
}

export function checkMessage(text: string): MessageCheck {
  const characters = text.length;
  const remaining = MAX_TEXT_CHARS - characters;
  let problem: string | null = null;
  if (text.trim() === "") problem = "Type a message first.";
  else if (remaining < 0)
    problem = `A message has at most ${MAX_TEXT_CHARS} characters; this one has ${characters}. Remove ${-remaining}.`;
  return { characters, remaining, bytes: utf8ByteLength(text), problem };
}

/** What the counter under the message box says. */
export function counterText(check: MessageCheck): string {
  return check.remaining >= 0
    ? `${check.characters} / ${MAX_TEXT_CHARS} characters`
    : `${check.characters} / ${MAX_TEXT_CHARS} characters: ${-check.remaining} too many`;
}

export const MAX_CLOSE_REASON_CHARS = 123;

export function checkCloseReason(raw: string): { ok: true; reason: string } | { ok: false; reason: string } {
  const reason = raw.trim();
  if (utf8ByteLength(reason) > MAX_CLOSE_REASON_CHARS)
    return {
      ok: false,
      reason: `A reason has at most ${MAX_CLOSE_REASON_CHARS} bytes; this one has ${utf8ByteLength(reason)}.`,
    };
  return { ok: true, reason: reason === "" ? "The teacher closed the room." : reason };
}
