// The one check every page makes up front: does this tab have a classroom session at all?
// Deliberately tiny and free of imports, so pages outside a classroom load no room code; the
// bar itself validates the session properly (loadClassroomSession) once it has loaded.
// The keys must equal CLASSROOM_SESSION_KEY and TEACHER_SESSION_KEY (a unit test checks).

export const SESSION_KEY = "sp:classroom";
/** A teacher's session shared by another tab of this browser. */
export const TEACHER_KEY = "sp:classroom-teacher";

export function hasClassroomSession(): boolean {
  try {
    return Boolean(sessionStorage.getItem(SESSION_KEY) || localStorage.getItem(TEACHER_KEY));
  } catch {
    return false;
  }
}
