// What a whole recording holds, counted once when it is loaded (a file, or the recording this
// browser kept for a link to a step): how many events and frames, and with which event each
// frame is complete, so the labels can say "the next frame comes with event 9" at any step.
// Frames of every connection in the recording count, not only the newest one's.
import { CaptureBuilder } from "../../protocol/capture.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";

export interface RecordingSummary {
  events: number;
  frames: number;
  /** For each frame in order, the number (from 1) of the event that completes it. */
  frameEvents: number[];
  /** The numbers (from 1) of the events that bring an upgrade request, and a response. */
  requestEvents: number[];
  responseEvents: number[];
}

export function summarizeRecording(events: readonly TapEvent[]): RecordingSummary {
  const builder = new CaptureBuilder();
  const frameEvents: number[] = [];
  for (const event of events) for (const frame of builder.push(event).frames) frameEvents.push(frame.event + 1);
  // A connection's events that came before its "open" are read when it opens: keep the numbers in order.
  frameEvents.sort((a, b) => a - b);
  return { events: events.length, frames: frameEvents.length, frameEvents, ...headEvents(events) };
}

/** The numbers (from 1) of the events that bring an upgrade request, and a response: cheap enough for a recording still growing. */
export function headEvents(events: readonly TapEvent[]): Pick<RecordingSummary, "requestEvents" | "responseEvents"> {
  const requestEvents: number[] = [];
  const responseEvents: number[] = [];
  events.forEach((event, i) => {
    if (event.type === "request") requestEvents.push(i + 1);
    if (event.type === "response") responseEvents.push(i + 1);
  });
  return { requestEvents, responseEvents };
}

/** The first of `numbers` (event numbers, ascending) after `cursor` events are shown, or null. */
export function nextAfter(numbers: readonly number[], cursor: number): number | null {
  let low = 0;
  let high = numbers.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (numbers[mid]! <= cursor) low = mid + 1;
    else high = mid;
  }
  return numbers[low] ?? null;
}
