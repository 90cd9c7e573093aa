import { describe, expect, it } from "vitest";
import { fitSection } from "./presenter-fit.ts";

describe("fitting a presenter slide", () => {
  it("keeps a section that fits in one part", () => {
    expect(fitSection([60, 200, 300], 0, 800)).toEqual({ parts: [[0, 1, 2]], zoom: {} });
  });

  it("splits a tall section into parts, each headed by the section's title", () => {
    expect(fitSection([60, 400, 300, 500, 100], 0, 800)).toEqual({
      parts: [
        [0, 1, 2],
        [0, 3, 4],
      ],
      zoom: {},
    });
  });

  it("scales an element taller than the room on its own, in a part by itself", () => {
    const fit = fitSection([60, 200, 1480, 100], 0, 800);
    expect(fit.parts).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    expect(fit.zoom).toEqual({ 2: 0.5 });
    // What each part takes never exceeds the room, scaled elements included.
    const heights = [60, 200, 1480, 100];
    for (const part of fit.parts)
      expect(part.reduce((sum, i) => sum + heights[i]! * (fit.zoom[i] ?? 1), 0)).toBeLessThanOrEqual(800);
  });

  it("lets hidden elements (height 0) ride along, and handles a section with no title", () => {
    expect(fitSection([0, 500, 0, 500], null, 700)).toEqual({ parts: [[0, 1, 2], [3]], zoom: {} });
    expect(fitSection([900], null, 450)).toEqual({ parts: [[0]], zoom: { 0: 0.5 } });
  });
});
