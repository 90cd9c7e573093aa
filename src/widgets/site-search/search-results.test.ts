import { describe, expect, it } from "vitest";
import { decodeEntities, excerptPieces, resultsSummary } from "./search-results.ts";

describe("search results as text", () => {
  it("cuts an excerpt into plain and marked pieces", () => {
    expect(excerptPieces("the <mark>Sec-WebSocket-Accept</mark> value &amp; the key")).toEqual([
      { text: "the ", marked: false },
      { text: "Sec-WebSocket-Accept", marked: true },
      { text: " value & the key", marked: false },
    ]);
  });

  it("keeps markup a lesson quotes as text, never as a tag", () => {
    const pieces = excerptPieces("type &lt;img src=x onerror=alert(1)&gt; and <b>bold</b>");
    expect(pieces).toEqual([{ text: "type <img src=x onerror=alert(1)> and bold", marked: false }]);
  });

  it("decodes the entities Pagefind writes, numeric ones too", () => {
    expect(decodeEntities("&quot;a&quot; &#39;b&#39; &#x2014; &#8212; &unknown;")).toBe(`"a" 'b' — — &unknown;`);
  });

  it("says how many lessons matched", () => {
    expect(resultsSummary(0, "quic")).toBe("No lesson mentions “quic”.");
    expect(resultsSummary(1, "quic")).toBe("1 lesson mentions “quic”.");
    expect(resultsSummary(3, "ping")).toBe("3 lessons mention “ping”.");
    expect(resultsSummary(3, " ")).toBe("");
  });
});
