import { describe, expect, it } from "vitest";
import { earlierNote, LOG_DROP_BATCH, MAX_LOG_ROWS, planLog } from "./log-window.ts";

describe("planLog", () => {
  it("appends while the log is short", () => {
    expect(planLog({ first: 0, end: 10 }, 11)).toEqual({ rebuild: false, range: { first: 0, end: 11 } });
  });

  it("drops the oldest rows in one batch once the log holds MAX + BATCH rows", () => {
    const full = MAX_LOG_ROWS + LOG_DROP_BATCH;
    expect(planLog({ first: 0, end: full - 1 }, full)).toEqual({ rebuild: false, range: { first: 0, end: full } });
    expect(planLog({ first: 0, end: full }, full + 1)).toEqual({
      rebuild: false,
      range: { first: full + 1 - MAX_LOG_ROWS, end: full + 1 },
    });
  });

  it("never lists more than MAX + BATCH rows, however long the recording", () => {
    let shown = { first: 0, end: 0 };
    for (let cursor = 1; cursor <= 10_000; cursor++) {
      const plan = planLog(shown, cursor);
      expect(plan.rebuild).toBe(false);
      shown = plan.range;
      expect(shown.end - shown.first).toBeLessThanOrEqual(MAX_LOG_ROWS + LOG_DROP_BATCH);
    }
    expect(shown.end).toBe(10_000);
  });

  it("removes rows from the end when stepping back inside the window", () => {
    expect(planLog({ first: 100, end: 300 }, 250)).toEqual({ rebuild: false, range: { first: 100, end: 250 } });
  });

  it("rebuilds the newest MAX rows before the cursor when stepping back before the window", () => {
    expect(planLog({ first: 100, end: 300 }, 40)).toEqual({ rebuild: true, range: { first: 0, end: 40 } });
    expect(planLog({ first: 900, end: 1100 }, 500)).toEqual({
      rebuild: true,
      range: { first: 500 - MAX_LOG_ROWS, end: 500 },
    });
  });

  it("rebuilds rather than appending thousands of rows after a jump far ahead", () => {
    expect(planLog({ first: 0, end: 10 }, 5000)).toEqual({
      rebuild: true,
      range: { first: 5000 - MAX_LOG_ROWS, end: 5000 },
    });
  });
});

describe("earlierNote", () => {
  it("says nothing when the log starts at the first event", () => {
    expect(earlierNote(0)).toBe("");
  });
  it("counts the events not listed", () => {
    expect(earlierNote(1)).toBe("1 earlier event is not listed here: step back to see them.");
    expect(earlierNote(1234)).toBe("1,234 earlier events are not listed here: step back to see them.");
  });
});
