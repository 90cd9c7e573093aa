// Who this browser tab is in the classroom, kept in sessionStorage so every lesson page can
// reconnect to the room (a page load closes the previous page's sockets): the room code, the
// role, and what is needed to come back as the same person — the teacher's key, or a
// student's nickname and resume token — plus whether a student follows the teacher.
// Stored per tab on purpose: a teacher's projector tab and their own tab are separate people.
// Whatever is read back is checked; anything malformed counts as "not in a room".
import { CODE_PATTERN } from "../../protocol/room-protocol.ts";

export const CLASSROOM_SESSION_KEY = "sp:classroom";

export type ClassroomSession =
  | { role: "teacher"; code: string; teacherKey: string }
  | { role: "student"; code: string; nickname: string; resume: string; following: boolean };

export function parseClassroomSession(raw: string | null): ClassroomSession | null {
  if (!raw) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const s = v as Record<string, unknown>;
  if (typeof s.code !== "string" || !CODE_PATTERN.test(s.code)) return null;
  if (s.role === "teacher" && typeof s.teacherKey === "string" && s.teacherKey.length <= 64) return { role: "teacher", code: s.code, teacherKey: s.teacherKey };
  if (s.role === "student" && typeof s.nickname === "string" && s.nickname.length <= 100 && typeof s.resume === "string" && s.resume.length <= 64 && typeof s.following === "boolean") {
    return { role: "student", code: s.code, nickname: s.nickname, resume: s.resume, following: s.following };
  }
  return null;
}

export function loadClassroomSession(storage: Pick<Storage, "getItem"> = sessionStorage): ClassroomSession | null {
  try {
    return parseClassroomSession(storage.getItem(CLASSROOM_SESSION_KEY));
  } catch {
    return null;
  }
}

export function saveClassroomSession(session: ClassroomSession | null, storage: Pick<Storage, "setItem" | "removeItem"> = sessionStorage): void {
  try {
    if (session === null) storage.removeItem(CLASSROOM_SESSION_KEY);
    else storage.setItem(CLASSROOM_SESSION_KEY, JSON.stringify(session));
  } catch {
    /* storage blocked: the room still works on this page, it just will not follow to the next */
  }
  // Other parts of the page (the classroom bar, the classroom widget) update themselves.
  document.dispatchEvent(new CustomEvent("sp:classroom-session", { detail: session }));
}

/** Dispatched by widgets whenever their deep link changes, so a teacher's steps can be followed. */
export const DEEP_LINK_EVENT = "sp:deeplink";
export interface DeepLinkDetail {
  hash: string;
}
