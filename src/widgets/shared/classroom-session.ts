// Who this browser tab is in the classroom, kept in sessionStorage so every lesson page can
// reconnect to the room (a page load closes the previous page's sockets): the room code, the
// role, and what is needed to come back as the same person — the teacher's key, or a
// student's nickname and resume token — plus whether a student follows the teacher.
// Stored per tab, so two students sharing a computer are two people. The teacher's session is
// also shared with the browser's other tabs (localStorage, TEACHER_SESSION_KEY): a lesson the
// teacher opens in a new tab joins the room as the teacher and leads the class, beside the
// projector's /join/ tab (the lab lets the teacher hold several connections). A tab's own
// session comes first; the shared one is offered to tabs without one, for TEACHER_SESSION_MAX_AGE_MS
// after it was last saved, and forgotten when the room ends for the teacher.
// Whatever is read back is checked; anything malformed counts as "not in a room".
import { CODE_PATTERN } from "../../protocol/room-protocol.ts";

export const CLASSROOM_SESSION_KEY = "sp:classroom";
export const TEACHER_SESSION_KEY = "sp:classroom-teacher";
/** A school day: a shared teacher session older than this is not offered to new tabs. */
export const TEACHER_SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

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
  if (s.role === "teacher" && typeof s.teacherKey === "string" && s.teacherKey.length <= 64)
    return { role: "teacher", code: s.code, teacherKey: s.teacherKey };
  if (
    s.role === "student" &&
    typeof s.nickname === "string" &&
    s.nickname.length <= 100 &&
    typeof s.resume === "string" &&
    s.resume.length <= 64 &&
    typeof s.following === "boolean"
  ) {
    return { role: "student", code: s.code, nickname: s.nickname, resume: s.resume, following: s.following };
  }
  return null;
}

/**
 * A student the teacher removed keeps their seat's resume token in this browser, and sends it
 * with any new join to that room: the lab bars the token as well as the name, so a new
 * nickname from the same browser is refused too (until the teacher lets them back in, after
 * which the lab no longer knows the token and ignores it). A determined student can clear it;
 * locking the room is what keeps everyone new out.
 */
export const REMOVED_KEY = "sp:classroom-removed";

export function rememberRemoval(code: string, resume: string, shared: Pick<Storage, "setItem"> = localStorage): void {
  try {
    shared.setItem(REMOVED_KEY, JSON.stringify({ code, resume }));
  } catch {
    /* storage blocked: the lab still bars the name */
  }
}

/** The barred token to send with a join to `code`, if this browser was removed from it. */
export function removalTokenFor(code: string, shared: Pick<Storage, "getItem"> = localStorage): string | undefined {
  try {
    const v = JSON.parse(shared.getItem(REMOVED_KEY) ?? "null") as { code?: unknown; resume?: unknown } | null;
    return v && v.code === code && typeof v.resume === "string" && v.resume.length <= 64 ? v.resume : undefined;
  } catch {
    return undefined;
  }
}

/** The teacher session another tab of this browser shared, if it is recent enough. */
export function parseSharedTeacherSession(
  raw: string | null,
  nowMs: number,
): Extract<ClassroomSession, { role: "teacher" }> | null {
  const session = parseClassroomSession(raw);
  if (session?.role !== "teacher") return null;
  const savedAt = (JSON.parse(raw!) as { savedAt?: unknown }).savedAt;
  return typeof savedAt === "number" && savedAt <= nowMs + 60_000 && nowMs - savedAt < TEACHER_SESSION_MAX_AGE_MS
    ? session
    : null;
}

type Stores = {
  tab: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  shared: Pick<Storage, "getItem" | "setItem" | "removeItem">;
};
const browserStores = (): Stores => ({ tab: sessionStorage, shared: localStorage });

export function loadClassroomSession(stores: Stores = browserStores(), nowMs = Date.now()): ClassroomSession | null {
  try {
    return (
      parseClassroomSession(stores.tab.getItem(CLASSROOM_SESSION_KEY)) ??
      parseSharedTeacherSession(stores.shared.getItem(TEACHER_SESSION_KEY), nowMs)
    );
  } catch {
    return null;
  }
}

export function saveClassroomSession(
  session: ClassroomSession | null,
  stores: Stores = browserStores(),
  nowMs = Date.now(),
): void {
  try {
    const ending = session === null ? loadClassroomSession(stores, nowMs) : null;
    if (session === null) stores.tab.removeItem(CLASSROOM_SESSION_KEY);
    else stores.tab.setItem(CLASSROOM_SESSION_KEY, JSON.stringify(session));
    if (session?.role === "teacher")
      stores.shared.setItem(TEACHER_SESSION_KEY, JSON.stringify({ ...session, savedAt: nowMs }));
    // The room ended for the teacher (closed, left): no new tab should try it again.
    const shared = parseClassroomSession(stores.shared.getItem(TEACHER_SESSION_KEY));
    if (ending?.role === "teacher" && shared?.code === ending.code) stores.shared.removeItem(TEACHER_SESSION_KEY);
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
