import { describe, expect, it } from "vitest";
import { copyOrSelect } from "./copy-code.ts";

describe("the code blocks' Copy button", () => {
  it("copies with the clipboard API when the page has it", async () => {
    const written: string[] = [];
    let selected = false;
    const outcome = await copyOrSelect("curl -i …", {
      clipboard: { writeText: async (t) => void written.push(t) },
      select: () => (selected = true),
    });
    expect([outcome, written, selected]).toEqual(["copied", ["curl -i …"], false]);
  });

  it("selects the text instead over plain http:// on a LAN address (no clipboard API), or when the clipboard refuses", async () => {
    let selections = 0;
    const select = () => void selections++;
    expect(await copyOrSelect("x", { clipboard: undefined, select })).toBe("selected");
    expect(
      await copyOrSelect("x", { clipboard: { writeText: () => Promise.reject(new Error("denied")) }, select }),
    ).toBe("selected");
    expect(selections).toBe(2);
  });
});
