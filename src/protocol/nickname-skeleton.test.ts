import { describe, expect, it } from "vitest";
import { nicknameSkeleton, TEACHER_SKELETON } from "./nickname-skeleton.ts";
import { checkNickname } from "./room-protocol.ts";

describe("nickname skeletons", () => {
  it.each([
    ["Теacher", "Cyrillic Т and е"],
    ["Ｔｅａｃｈｅｒ", "full-width letters"],
    ["TEACHER", "capitals"],
    ["T.e.a.c-h_e r", "separators"],
    ["Τεacher", "Greek capital tau and small epsilon"],
    ["Teachér", "an accent"],
    ["ᴛᴇᴀᴄʜᴇʀ", "Latin small capitals"],
    ["ꓔꓰꓮꓚꓧꓰꓣ", "Lisu letters"],
    ["ᎢᎬᎪᏟᎻᎬᎡ", "Cherokee letters"],
    ["Ŧeaćħer", "letters with strokes"],
  ])("%s (%s) looks like Teacher", (name) => {
    expect(nicknameSkeleton(name)).toBe(TEACHER_SKELETON);
  });

  it("folds Latin look-alikes: 0 and O, 1 and I and l, rn and m", () => {
    expect(nicknameSkeleton("B0b")).toBe(nicknameSkeleton("Bob"));
    expect(nicknameSkeleton("Iarry")).toBe(nicknameSkeleton("larry"));
    expect(nicknameSkeleton("1arry")).toBe(nicknameSkeleton("Larry"));
    expect(nicknameSkeleton("Ernma")).toBe(nicknameSkeleton("Emma"));
  });

  it("keeps different names apart", () => {
    const names = ["Ada", "Adam", "Bob", "Bo", "Zoë", "Zoe Li", "李雷", "Анна", "Nina", "Mina"];
    const skeletons = names.map(nicknameSkeleton);
    // Zoë and "Zoe Li" differ; only the pairs built to collide above do.
    expect(new Set(skeletons).size).toBe(names.length);
  });

  it("refuses invisible letters, which would make a name pass for another (or for none)", () => {
    for (const hidden of ["Alice\u3164", "\u3164", "Bo\u115Fb", "Ann\uFFA0"])
      expect(checkNickname(hidden).ok, JSON.stringify(hidden)).toBe(false);
  });

  it("is what checkNickname's NFKC form shows, never the skeleton", () => {
    expect(checkNickname("Ｔｅａｃｈｅｒ")).toEqual({ ok: true, nickname: "Teacher" });
    expect(checkNickname("  Zoë  ")).toEqual({ ok: true, nickname: "Zoë" });
  });
});
