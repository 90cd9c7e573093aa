// Which events the inspector's event log lists. The log keeps only the newest MAX_LOG_ROWS
// events before the cursor (plus at most LOG_DROP_BATCH more, so the oldest rows leave in
// batches rather than one with every new row), whatever the length of the recording: an hour of
// live traffic is tens of thousands of events, and a list that held them all would make every
// new event cost the browser more style, layout and memory than the last. Older events are still
// one step back (the stepper moves the window with the cursor).
//
// Pure: the element turns the answer into DOM writes.
import { formatCount } from "../shared/format-count.ts";

export const MAX_LOG_ROWS = 200;
export const LOG_DROP_BATCH = 50;

/** The events listed: `[first, end)`. */
export interface LogRange {
  first: number;
  end: number;
}

export interface LogPlan {
  /** True when the rows listed now cannot be kept (a step back before them, or a jump far ahead). */
  rebuild: boolean;
  /** The events to list after the move: always ends at the cursor. */
  range: LogRange;
}

/** Where the log's window goes when the cursor moves to `cursor`. */
export function planLog(shown: LogRange, cursor: number, max = MAX_LOG_ROWS, batch = LOG_DROP_BATCH): LogPlan {
  const end = Math.max(0, cursor);
  if (end < shown.first || end - shown.end > max)
    return { rebuild: true, range: { first: Math.max(0, end - max), end } };
  const first = end - shown.first > max + batch ? end - max : shown.first;
  return { rebuild: false, range: { first, end } };
}

/** The line above the list when earlier events are not listed. */
export function earlierNote(first: number): string {
  if (first === 0) return "";
  return `${formatCount(first)} earlier ${first === 1 ? "event is" : "events are"} not listed here: step back to see them.`;
}
