import { describe, expect, it } from "vitest";
import { CLASSROOM_SESSION_KEY, TEACHER_SESSION_KEY } from "../shared/classroom-session.ts";
import { SESSION_KEY, TEACHER_KEY } from "./session-probe.ts";

describe("classroom session probe", () => {
  it("looks under the key the classroom session is stored under", () => {
    expect(SESSION_KEY).toBe(CLASSROOM_SESSION_KEY);
    expect(TEACHER_KEY).toBe(TEACHER_SESSION_KEY);
  });
});
