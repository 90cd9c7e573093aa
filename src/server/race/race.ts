// One push race: a schedule of events on the server clock, the events that have happened so far,
// the transports waiting for the next one, and what each transport has cost.
//
// Lifecycle: created → one timer per event, armed in turn; when it fires the event happens
// (`at` is the server clock then, never before its scheduled time: a timer that fires early is
// armed again for the rest) and every listener hears it at once → after the last event,
// listeners hear end("finished") and the registry deletes the race after a linger time. Closing
// the race (lab shutdown) stops its timer and tells listeners end("closing").
//
// Listeners are the requests that wait: held long polls, event streams and WebSockets. Their
// number is bounded per race (`maxListeners`); `listen` answers null when it is full.
import type { RaceEvent, RaceResults, Transport } from "../../protocol/lab-api.ts";
import { TRANSPORTS } from "../../protocol/lab-api.ts";
import { serverNow } from "../tap/server-clock.ts";
import { createTransportTally, type TransportTally } from "./transport-tally.ts";

export interface RaceListener {
  event(event: RaceEvent): void;
  end(why: "finished" | "closing"): void;
}

export interface RaceOptions {
  id: string;
  address: string;
  schedule: readonly number[];
  spacingMs: number;
  maxListeners: number;
  onFinished(): void;
}

export interface Race {
  readonly id: string;
  /** The client address that created the race (for the per-address limit). */
  readonly address: string;
  readonly schedule: readonly number[];
  readonly spacingMs: number;
  readonly events: number;
  /** True once the last event has happened. */
  readonly finished: boolean;
  /** Events that have happened with an id above `after`, in order. */
  eventsAfter(after: number): RaceEvent[];
  /** Is there room for one more listener? */
  hasRoom(): boolean;
  /** Adds a listener; returns the function that removes it, or null when the race is full or over. */
  listen(listener: RaceListener): (() => void) | null;
  tally(transport: Transport): TransportTally;
  results(): RaceResults;
  close(): void;
}

export function createRace(options: RaceOptions): Race {
  const { schedule } = options;
  const happened: RaceEvent[] = [];
  const listeners = new Set<RaceListener>();
  const tallies = Object.fromEntries(TRANSPORTS.map((t) => [t, createTransportTally()])) as Record<
    Transport,
    TransportTally
  >;
  let timer: NodeJS.Timeout | null = null;
  let finished = schedule.length === 0;
  let closed = false;

  function arm(): void {
    const due = schedule[happened.length];
    if (due === undefined || closed) return;
    timer = setTimeout(fire, Math.max(0, Math.ceil(due - serverNow())));
  }

  function fire(): void {
    timer = null;
    const index = happened.length;
    const due = schedule[index];
    if (due === undefined || closed) return;
    const now = serverNow();
    if (now < due) return arm();
    const event: RaceEvent = { id: index + 1, at: now };
    happened.push(event);
    for (const listener of [...listeners]) listener.event(event);
    if (happened.length === schedule.length) {
      finished = true;
      for (const listener of [...listeners]) listener.end("finished");
      listeners.clear();
      options.onFinished();
    } else {
      arm();
    }
  }

  arm();

  return {
    id: options.id,
    address: options.address,
    schedule,
    spacingMs: options.spacingMs,
    events: schedule.length,
    get finished() {
      return finished;
    },
    eventsAfter(after) {
      return happened.filter((e) => e.id > after);
    },
    hasRoom: () => !finished && !closed && listeners.size < options.maxListeners,
    listen(listener) {
      if (finished || closed || listeners.size >= options.maxListeners) return null;
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    tally: (transport) => tallies[transport],
    results() {
      const transports = Object.fromEntries(
        TRANSPORTS.map((t) => [t, tallies[t].count()]),
      ) as RaceResults["transports"];
      return { race: options.id, schedule: [...schedule], transports };
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      for (const listener of [...listeners]) listener.end("closing");
      listeners.clear();
    },
  };
}
