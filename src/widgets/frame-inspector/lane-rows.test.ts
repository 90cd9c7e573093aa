import { describe, expect, it } from "vitest";
import {
  FRAME_ROW_PX,
  laneGeometry,
  LaneRows,
  laneTime,
  markerOf,
  MESSAGE_ROW_PX,
  rowShape,
  TIME_PX,
} from "./lane-rows.ts";

const frame = (key: string, dir: "in" | "out" = "in") => ({
  key,
  kind: "frame" as const,
  dir,
  text: `text ${key}`,
  time: "+1.0 ms",
  full: `frame ${key}`,
});

describe("the frame lane's rows", () => {
  it("stacks rows down the lane, frames and message notes each at their own height", () => {
    const rows = new LaneRows();
    const a = rows.add(frame("a"));
    const note = rows.add({ ...frame("a:message"), kind: "message" });
    const b = rows.add(frame("b", "out"));
    expect([a.y, note.y, b.y]).toEqual([0, FRAME_ROW_PX, FRAME_ROW_PX + MESSAGE_ROW_PX]);
    expect(rows.bottom).toBe(2 * FRAME_ROW_PX + MESSAGE_ROW_PX);
    expect(rows.length).toBe(3);
    // Rows are added landed; a flying row is set going by the lane.
    expect(a.progress).toBe(1);
  });

  it("finds the rows in a window and the row under a point by search, and keeps places as old rows leave", () => {
    const rows = new LaneRows();
    for (let i = 0; i < 500; i++) rows.add(frame(String(i)));
    expect(rows.visible(10 * FRAME_ROW_PX + 5, 13 * FRAME_ROW_PX).map((row) => row.key)).toEqual(["10", "11", "12"]);
    expect(rows.at(42 * FRAME_ROW_PX + 1)?.key).toBe("42");
    expect(rows.at(-1)).toBeNull();
    expect(rows.at(rows.bottom + 1)).toBeNull();
    for (let i = 0; i < 400; i++) rows.shift();
    expect(rows.length).toBe(100);
    expect(rows.first?.key).toBe("400");
    expect(rows.top).toBe(400 * FRAME_ROW_PX);
    // A row's place never changes: the rows that left are simply not found any more.
    expect(rows.at(42 * FRAME_ROW_PX + 1)).toBeNull();
    expect(rows.visible(rows.top, rows.top + 2 * FRAME_ROW_PX).map((row) => row.key)).toEqual(["400", "401"]);
    rows.clear();
    expect([rows.length, rows.top, rows.bottom]).toEqual([0, 0, 0]);
  });

  it("draws a frame from its sender's side to its receiver's, dropping as it crosses, its label between", () => {
    const g = laneGeometry(700);
    expect(g.clientX).toBe(TIME_PX);
    expect(g.serverX).toBeLessThan(700);
    const rows = new LaneRows();
    const mine = rowShape(rows.add(frame("in", "in")), g);
    const echo = rowShape(rows.add(frame("out", "out")), g);
    expect([mine.x1, mine.x2]).toEqual([g.clientX, g.serverX]);
    expect([echo.x1, echo.x2]).toEqual([g.serverX, g.clientX]);
    expect(mine.y2).toBeGreaterThan(mine.y1);
    expect(mine.labelY).toBeLessThan(mine.y1);
    expect(mine.labelX).toBe((g.clientX + g.serverX) / 2);
    // The marker goes from one end to the other.
    expect(markerOf(mine, 0)).toEqual({ x: mine.x1, y: mine.y1 });
    expect(markerOf(mine, 1)).toEqual({ x: mine.x2, y: mine.y2 });
    expect(markerOf(echo, 0.5).x).toBe((g.clientX + g.serverX) / 2);
  });

  it("shortens a label to what fits between the sides on a phone", () => {
    const narrow = laneGeometry(360);
    const rows = new LaneRows();
    const shape = rowShape(
      rows.add({ ...frame("x"), text: "continuation · more to come · 13 bytes “ent in three fragments”" }),
      narrow,
    );
    expect(shape.label.length).toBeLessThanOrEqual(narrow.labelChars);
    expect(shape.label.endsWith("…")).toBe(true);
  });

  it("writes a frame's time in at most nine characters, in milliseconds, seconds, then minutes", () => {
    expect(laneTime(0.44)).toBe("+0.4 ms");
    expect(laneTime(999.94)).toBe("+999.9 ms");
    expect(laneTime(999.96)).toBe("+1.00 s");
    expect(laneTime(1234)).toBe("+1.23 s");
    expect(laneTime(59_994)).toBe("+59.99 s");
    expect(laneTime(60_000)).toBe("+1:00.0");
    expect(laneTime(1_000_300)).toBe("+16:40.3");
    for (const ms of [0, 5, 999, 1000, 59_999, 60_000, 600_000, 3_600_000, 59_999_000])
      expect(laneTime(ms).length).toBeLessThanOrEqual(9);
  });
});
