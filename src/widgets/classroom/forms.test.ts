import { describe, expect, it } from "vitest";
import { MAX_TEXT_CHARS } from "../../protocol/room-protocol.ts";
import { checkCloseReason, checkCode, checkJoin, checkMessage, counterText } from "./forms.ts";

describe("the join form", () => {
  it("accepts a code typed in any case with spaces or dashes", () => {
    expect(checkCode(" abc-234 ")).toEqual({ ok: true, code: "ABC234" });
  });

  it("explains what is wrong with a code", () => {
    expect(checkCode("")).toMatchObject({ ok: false, reason: expect.stringContaining("6-character") });
    expect(checkCode("ABC23")).toMatchObject({ ok: false, reason: expect.stringContaining("this one has 5") });
    const lookalike = checkCode("ABC10O");
    expect(lookalike.ok).toBe(false);
    if (!lookalike.ok) {
      expect(lookalike.reason).toContain("“10O”");
      expect(lookalike.reason).toContain("never use 0, O, 1, I or L");
    }
  });

  it("reports both fields at once, with the protocol's nickname rules", () => {
    expect(checkJoin("abc234", "  Ada   Lovelace ")).toEqual({ ok: true, code: "ABC234", nickname: "Ada Lovelace" });
    const both = checkJoin("", "");
    expect(both.ok).toBe(false);
    if (!both.ok) {
      expect(both.code).toBeTruthy();
      expect(both.nickname).toBe("Choose a nickname.");
    }
    const nick = checkJoin("ABC234", "<b>");
    expect(nick).toEqual({ ok: false, nickname: expect.stringContaining("letters, digits") });
    expect(checkJoin("ABC234", "x".repeat(25))).toEqual({ ok: false, nickname: expect.stringContaining("at most 24") });
  });
});

describe("the message box", () => {
  it("counts characters against the limit and reports bytes separately", () => {
    const check = checkMessage("héllo");
    expect(check).toEqual({ characters: 5, remaining: MAX_TEXT_CHARS - 5, bytes: 6, problem: null });
    expect(counterText(check)).toBe(`5 / ${MAX_TEXT_CHARS} characters`);
  });

  it("refuses blank and over-long messages with a reason", () => {
    expect(checkMessage("   ").problem).toBe("Type a message first.");
    const long = checkMessage("x".repeat(MAX_TEXT_CHARS + 3));
    expect(long.problem).toContain("Remove 3");
    expect(counterText(long)).toContain("3 too many");
    expect(checkMessage("x".repeat(MAX_TEXT_CHARS)).problem).toBeNull();
  });

  it("a close reason fits a close frame and has a default", () => {
    expect(checkCloseReason("  ")).toEqual({ ok: true, reason: "The teacher closed the room." });
    expect(checkCloseReason("Bye")).toEqual({ ok: true, reason: "Bye" });
    expect(checkCloseReason("é".repeat(62)).ok).toBe(false);
  });
});
