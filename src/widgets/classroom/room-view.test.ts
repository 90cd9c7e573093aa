import { describe, expect, it } from "vitest";
import type { Participant } from "../../protocol/room-protocol.ts";
import {
  clockTime,
  describeEnd,
  describeRefusal,
  messageItems,
  participantItems,
  presenceChanges,
  presenceCounts,
  presenceSummary,
  waitSeconds,
} from "./room-view.ts";

const t: Participant = { id: "t", nickname: "Teacher", role: "teacher", connected: true };
const ada: Participant = { id: "a", nickname: "ada", role: "student", connected: true };
const bob: Participant = { id: "b", nickname: "Bob", role: "student", connected: false };
const cy: Participant = { id: "c", nickname: "Cy", role: "student", connected: true };

describe("room view models", () => {
  it("message items keep the text as it was typed and mark my own", () => {
    const items = messageItems(
      [
        {
          id: 7,
          from: { id: "a", nickname: "ada", role: "student" },
          text: "<img src=x onerror=alert(1)>",
          at: Date.UTC(2025, 0, 1, 9, 5, 3),
        },
      ],
      "a",
      "UTC",
    );
    expect(items).toEqual([
      {
        id: 7,
        nickname: "ada",
        role: "student",
        time: "09:05:03",
        datetime: "2025-01-01T09:05:03.000Z",
        text: "<img src=x onerror=alert(1)>",
        mine: true,
      },
    ]);
    expect(clockTime(Date.UTC(2025, 0, 1, 23, 0, 0), "UTC")).toBe("23:00:00");
  });

  it("participants: teacher first, then connected, then by nickname", () => {
    const items = participantItems([bob, cy, ada, t], "a");
    expect(items.map((p) => p.nickname)).toEqual(["Teacher", "ada", "Cy", "Bob"]);
    expect(items.map((p) => p.status)).toEqual(["connected", "connected", "connected", "away"]);
    expect(items.find((p) => p.you)?.id).toBe("a");
  });

  it("counts students and says so", () => {
    expect(presenceCounts([t, ada, bob, cy])).toEqual({ students: 3, connected: 2, away: 1 });
    expect(presenceSummary({ students: 3, connected: 2, away: 1 })).toBe("3 students: 2 connected, 1 away.");
    expect(presenceSummary({ students: 1, connected: 1, away: 0 })).toBe("1 student, all connected.");
    expect(presenceSummary({ students: 0, connected: 0, away: 0 })).toBe("No students yet.");
  });

  it("announces joins, departures and connection changes, but not my own", () => {
    const before = [t, ada, { ...bob, connected: true }];
    const after = [t, { ...ada, connected: false }, bob, cy];
    expect(presenceChanges(before, after, "a")).toEqual(["Bob is away.", "Cy joined."]);
    expect(presenceChanges(after, [t, { ...bob, connected: true }], "a")).toEqual([
      "Bob is back.",
      "Cy left the room.",
    ]);
  });

  it("explains refusals, with the lab's wait when it gives one", () => {
    expect(describeRefusal({ code: "bad-code", message: "" })).toContain("no open room with that code");
    expect(describeRefusal({ code: "nickname-taken", message: "" })).toContain("already uses that nickname");
    expect(describeRefusal({ code: "room-full", message: "30 of 30" })).toContain("full");
    const limited = describeRefusal({ code: "rate-limited", message: "Too many tries; try again in 4.2 s" });
    expect(limited).toContain("Wait 5 seconds");
    expect(limited).toContain("try again in 4.2 s");
    expect(waitSeconds("retry after 1500 ms")).toBe(2);
    expect(waitSeconds("wait 12 seconds")).toBe(12);
    expect(waitSeconds("slow down")).toBeNull();
  });

  it("says why the room ended, and whether coming back makes sense", () => {
    expect(describeEnd({ kind: "room-closed", reason: "Class is over, thank you!" }, "student")).toEqual({
      text: "The room is closed: “Class is over, thank you!”",
      canRetry: false,
      forget: true,
    });
    expect(describeEnd({ kind: "closed", code: 4001, reason: "", wasClean: true }, "student")).toMatchObject({
      canRetry: false,
      forget: true,
      text: expect.stringContaining("removed you"),
    });
    expect(
      describeEnd({ kind: "closed", code: 1008, reason: "Teacher only", wasClean: true }, "student").text,
    ).toContain("1008 Policy Violation");
    expect(describeEnd({ kind: "closed", code: 1013, reason: "", wasClean: true }, "student")).toMatchObject({
      canRetry: true,
      forget: false,
      text: expect.stringContaining("too fast"),
    });
    expect(describeEnd({ kind: "closed", code: 4002, reason: "", wasClean: true }, "student")).toMatchObject({
      canRetry: true,
      forget: false,
    });
    expect(describeEnd({ kind: "gave-up", attempts: 6, code: 1006, reason: "" }, "teacher")).toMatchObject({
      canRetry: true,
      text: expect.stringContaining("6 attempts"),
    });
    expect(
      describeEnd({ kind: "refused", refusal: { code: "bad-key", message: "", during: "greeting", at: 0 } }, "teacher"),
    ).toMatchObject({ canRetry: false, forget: true, text: expect.stringContaining("Open a new room") });
    expect(
      describeEnd(
        { kind: "refused", refusal: { code: "room-full", message: "", during: "greeting", at: 0 } },
        "student",
      ),
    ).toMatchObject({ canRetry: true, forget: false });
  });
});
