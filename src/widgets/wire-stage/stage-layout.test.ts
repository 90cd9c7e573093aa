import { describe, expect, it } from "vitest";
import { LABEL_FONT_PX, truncate } from "../shared/diagram-geometry.ts";
import {
  HEAD_PX,
  joinedLabel,
  LABEL_LINE_PX,
  LabelPlacer,
  laneGeometry,
  pxPerMs,
  ticks,
  windowMs,
} from "./stage-layout.ts";

describe("wire stage layout", () => {
  it("fits the chosen window between the heading space and the bottom", () => {
    expect(pxPerMs(2000, 340) * 2000).toBeCloseTo(340 - HEAD_PX - 8, 6);
  });

  it("sizes the window to the slowest exchange the reader chose, within bounds", () => {
    expect(windowMs(10, null)).toBe(1500);
    expect(windowMs(150, null)).toBe(1800);
    expect(windowMs(50, 1000)).toBeCloseTo(1.6 * 1200, 6);
    expect(windowMs(1000, 2000)).toBe(8000);
  });

  it("lays out lanes inside the width and fits labels between them", () => {
    const narrow = laneGeometry(180);
    const wide = laneGeometry(600);
    expect(narrow.serverX).toBeLessThan(narrow.width);
    expect(wide.labelChars).toBeGreaterThan(narrow.labelChars);
    expect(wide.labelX).toBe((wide.clientX + wide.serverX) / 2);
  });

  it("never lets two labels overlap: a label too close to another joins it", () => {
    const placer = new LabelPlacer();
    const first = placer.place(1, 100, 140);
    const close = placer.place(2, 104, 144);
    const far = placer.place(3, 200, 240);
    expect(first.joined).toBeNull();
    expect(close).toEqual({ y: first.y, joined: 1 });
    expect(far.joined).toBeNull();
    expect(far.y - first.y).toBeGreaterThanOrEqual(LABEL_LINE_PX);
    expect(LABEL_FONT_PX).toBeGreaterThanOrEqual(12);
  });

  it("gives a message and its answer labels of their own: above the request, below the answer", () => {
    const placer = new LabelPlacer();
    const request = placer.place(1, 100, 110, true);
    const answer = placer.place(2, 110, 120, false);
    expect(request.joined).toBeNull();
    expect(answer.joined).toBeNull();
    expect(request.y).toBeLessThan(100);
    expect(answer.y).toBeGreaterThan(120);
  });

  it("keeps every separate label at least a line apart, whatever order they come in", () => {
    const placer = new LabelPlacer();
    const ys: number[] = [];
    for (let i = 0; i < 500; i++) {
      const start = ((i * 7919) % 1000) * 3;
      const spot = placer.place(i, start, start + 20, i % 2 === 0);
      if (spot.joined === null) ys.push(spot.y);
    }
    ys.sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(LABEL_LINE_PX);
  });

  it("abbreviates joined labels and says how many more", () => {
    expect(joinedLabel("“Hello”", 11, 3, 40)).toBe("“Hello” 11 B · +3 more");
    expect(joinedLabel("a very long label that will not fit", 1000, 2, 24).length).toBeLessThanOrEqual(24);
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });

  it("labels the time axis at round times, far enough apart", () => {
    const scale = 0.2;
    const t = ticks(0, 3000, scale);
    expect(t[0]).toBe(0);
    expect((t[1]! - t[0]!) * scale).toBeGreaterThanOrEqual(60);
    expect(t.every((x) => x % 100 === 0)).toBe(true);
  });
});
