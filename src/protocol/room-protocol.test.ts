import { describe, expect, it } from "vitest";
import { applyPresence, parseClientMessage, parseServerMessage, type Participant } from "./room-protocol.ts";

const teacher: Participant = { id: "t", nickname: "Teacher", role: "teacher", connected: true };
const ada: Participant = { id: "a", nickname: "Ada", role: "student", connected: true };
const bob: Participant = { id: "b", nickname: "Bob", role: "student", connected: true };

describe("presence deltas", () => {
  it("adds a newcomer last, marks away and back in place, and drops who left", () => {
    let list = applyPresence([teacher, ada], "joined", bob);
    expect(list).toEqual([teacher, ada, bob]);
    list = applyPresence(list, "away", { ...ada, connected: false });
    expect(list).toEqual([teacher, { ...ada, connected: false }, bob]);
    list = applyPresence(list, "back", ada);
    expect(list).toEqual([teacher, ada, bob]);
    expect(applyPresence(list, "left", ada)).toEqual([teacher, bob]);
  });

  it("heals a list that missed a join", () => {
    expect(applyPresence([teacher], "back", ada)).toEqual([teacher, ada]);
    expect(applyPresence([teacher], "left", ada)).toEqual([teacher]);
  });

  it("parses deltas and room state, and refuses malformed ones", () => {
    expect(parseServerMessage(JSON.stringify({ type: "presence", change: "away", participant: ada }))).toEqual({
      type: "presence",
      change: "away",
      participant: ada,
    });
    expect(parseServerMessage(JSON.stringify({ type: "presence", change: "vanished", participant: ada }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "presence", participants: [ada] }))).toBeNull();
    expect(
      parseServerMessage(
        JSON.stringify({ type: "room-state", locked: true, barred: [{ id: "a", nickname: "Ada", extra: 1 }] }),
      ),
    ).toEqual({ type: "room-state", locked: true, barred: [{ id: "a", nickname: "Ada" }] });
    expect(parseServerMessage(JSON.stringify({ type: "room-state", locked: "yes", barred: [] }))).toBeNull();
  });
});

describe("the teacher's door messages", () => {
  it("parses lock and readmit", () => {
    expect(parseClientMessage('{"type":"lock","locked":true}')).toEqual({ type: "lock", locked: true });
    expect(parseClientMessage('{"type":"lock","locked":1}')).toBeNull();
    expect(parseClientMessage('{"type":"readmit","participant":"a"}')).toEqual({ type: "readmit", participant: "a" });
    expect(parseClientMessage(`{"type":"readmit","participant":"${"x".repeat(65)}"}`)).toBeNull();
  });
});
