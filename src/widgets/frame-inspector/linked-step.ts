// A link to a step ("#inspector-step=7", step-link.ts) opened where the recording does not have
// that step yet: a fresh page (a student following a teacher's link, a new browser) records its
// own connection from nothing. The inspector waits for the step and says why, in its live region,
// instead of showing some other step without a word:
//
//   - the step is there: go to it;
//   - this page's connection is still recording: wait, and go to it when it arrives (saying how
//     many events there are so far and what brings more);
//   - the connection is over, and nothing is loaded: say that it cannot arrive, and what to do;
//   - a replayed recording (a file, or the one kept from an earlier visit) is complete: it never
//     grows, so a step past its end shows its last event, and says so.
//
// Pure: the element asks again whenever the recording or the connection changes.
import { formatCount } from "../shared/format-count.ts";

export type LinkedSource =
  /** This page's own connection, recording: "opening" until it is open, "over" once it closed. */
  | { kind: "live"; events: number; connection: "opening" | "open" | "over" }
  /** A recording that will not grow, named as a sentence would: "capture.json". */
  | { kind: "replay"; events: number; name: string };

export interface LinkedStepPlan {
  /** The step to show now, or null to keep waiting. */
  go: number | null;
  /** What the live region says about the link. */
  note: string;
}

const events = (n: number): string => `${formatCount(n)} ${n === 1 ? "event" : "events"}`;

export function planLinkedStep(asked: number, source: LinkedSource): LinkedStepPlan {
  const step = `step ${formatCount(asked)}`;
  if (asked <= source.events) return { go: asked, note: `Showing ${step}, as the link asked.` };
  if (source.kind === "replay") {
    return {
      go: source.events,
      note: `The link asks for ${step}, but ${source.name} has ${events(source.events)}: showing its last one.`,
    };
  }
  const want = `The link asks for ${step}`;
  switch (source.connection) {
    case "opening":
      return {
        go: null,
        note: `${want}. Your connection is opening (${events(source.events)} so far): it will show ${step} when it arrives.`,
      };
    case "open":
      return {
        go: null,
        note: `${want}; your connection has ${events(source.events)} so far. It will show ${step} when it arrives: send a message or ask the lab for frames.`,
      };
    case "over":
      return source.events === 0
        ? {
            go: null,
            note: `${want}, but no connection is open and no recording is loaded: reconnect, or load a recording.`,
          }
        : {
            go: null,
            note: `${want}, but your connection closed after ${events(source.events)}: reconnect to record more, or load a recording.`,
          };
  }
}
