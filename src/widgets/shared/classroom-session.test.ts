import { beforeAll, describe, expect, it } from "vitest";
import {
  CLASSROOM_SESSION_KEY,
  loadClassroomSession,
  rememberRemoval,
  removalTokenFor,
  saveClassroomSession,
  TEACHER_SESSION_KEY,
  TEACHER_SESSION_MAX_AGE_MS,
} from "./classroom-session.ts";

function memoryStorage(): Pick<Storage, "getItem" | "setItem" | "removeItem"> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** Two tabs of one browser: their own session storage, one shared local storage. */
function browser() {
  const shared = memoryStorage();
  return { shared, tab: () => ({ tab: memoryStorage(), shared }) };
}

const teacher = { role: "teacher" as const, code: "ABC234", teacherKey: "k".repeat(22) };
const student = { role: "student" as const, code: "ABC234", nickname: "Ada", resume: "r".repeat(22), following: true };

describe("the classroom session across a browser's tabs", () => {
  // Saving tells the page's other parts through a document event; here, a bare event target.
  beforeAll(() => {
    (globalThis as { document?: unknown }).document ??= new EventTarget();
  });

  it("offers the teacher's session to a new tab, which then leads too", () => {
    const b = browser();
    const projector = b.tab();
    saveClassroomSession(teacher, projector, 1000);
    const lessonTab = b.tab();
    expect(loadClassroomSession(lessonTab, 2000)).toEqual(teacher);
  });

  it("keeps a student's session to their own tab", () => {
    const b = browser();
    saveClassroomSession(student, b.tab(), 1000);
    expect(loadClassroomSession(b.tab(), 2000)).toBeNull();
    expect(b.shared.data.has(TEACHER_SESSION_KEY)).toBe(false);
  });

  it("prefers a tab's own session over the shared one", () => {
    const b = browser();
    saveClassroomSession(teacher, b.tab(), 1000);
    const studentTab = b.tab();
    saveClassroomSession(student, studentTab, 1500);
    expect(loadClassroomSession(studentTab, 2000)).toEqual(student);
  });

  it("forgets the shared session when the room ends for the teacher in any tab, and after a school day", () => {
    const b = browser();
    saveClassroomSession(teacher, b.tab(), 1000);
    const lessonTab = b.tab();
    expect(loadClassroomSession(lessonTab, 2000)).toEqual(teacher);
    saveClassroomSession(null, lessonTab, 3000);
    expect(loadClassroomSession(b.tab(), 4000)).toBeNull();

    saveClassroomSession(teacher, b.tab(), 10_000);
    expect(loadClassroomSession(b.tab(), 10_000 + TEACHER_SESSION_MAX_AGE_MS - 1)).toEqual(teacher);
    expect(loadClassroomSession(b.tab(), 10_000 + TEACHER_SESSION_MAX_AGE_MS)).toBeNull();
  });

  it("remembers a removal for that room only, so a new nickname from this browser carries the barred token", () => {
    const b = browser();
    rememberRemoval("ABC234", "t".repeat(22), b.shared);
    expect(removalTokenFor("ABC234", b.shared)).toBe("t".repeat(22));
    expect(removalTokenFor("XYZ789", b.shared)).toBeUndefined();
    b.shared.setItem("sp:classroom-removed", "{broken");
    expect(removalTokenFor("ABC234", b.shared)).toBeUndefined();
  });

  it("ignores malformed stored sessions", () => {
    const b = browser();
    const tab = b.tab();
    tab.tab.setItem(CLASSROOM_SESSION_KEY, "{not json");
    b.shared.setItem(TEACHER_SESSION_KEY, JSON.stringify({ ...teacher, savedAt: "yesterday" }));
    expect(loadClassroomSession(tab, 0)).toBeNull();
  });
});
