// The push race's real I/O, as the actors the push race machine asks for: clock sync and race
// creation, one actor per transport (fetch loops, EventSource, WebSocket), and the lab's byte
// counts. Every response is validated (lab-api.ts); failures are reported in words.
import { fromCallback, fromPromise } from "xstate";
import {
  parseRaceCreated,
  parseRaceEvent,
  parseRaceResults,
  parseWhoAmI,
  type RaceCreated,
  type RaceEvent,
  type RaceResults,
} from "../../protocol/lab-api.ts";
import type { PushRaceEvent, RaceSettings, TransportInput } from "../../machines/push-race.ts";
import { labUrl } from "../shared/websocket-actor.ts";

/** The page clock as epoch milliseconds, comparable with the lab's serverTime. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

async function json(response: Response): Promise<unknown> {
  if (!response.ok) throw new Error(`the lab answered ${response.status} ${response.statusText}`);
  return response.json();
}

/** Server clock minus page clock, from the quickest of a few round trips (NTP's idea, simplified). */
async function clockOffset(): Promise<number> {
  let best: { rtt: number; offset: number } | null = null;
  for (let i = 0; i < 3; i++) {
    const sent = epochNow();
    const who = parseWhoAmI(await json(await fetch("/lab/http/whoami", { cache: "no-store" })));
    const received = epochNow();
    if (!who) throw new Error("the lab's clock answer was not understood");
    const rtt = received - sent;
    const offset = who.serverTime - (sent + received) / 2;
    if (!best || rtt < best.rtt) best = { rtt, offset };
  }
  return best!.offset;
}

export const prepareRace = fromPromise<{ race: RaceCreated; offsetMs: number }, RaceSettings>(async ({ input }) => {
  const offsetMs = await clockOffset();
  const query = new URLSearchParams({
    events: String(input.events),
    spacingMs: String(input.spacingMs),
    delay: String(input.delayMs),
  });
  const race = parseRaceCreated(await json(await fetch(`/lab/race?${query}`, { method: "POST", cache: "no-store" })));
  if (!race) throw new Error("the lab's race description was not understood");
  return { race, offsetMs };
});

export const raceResults = fromPromise<RaceResults, { race: RaceCreated }>(async ({ input }) => {
  const results = parseRaceResults(
    await json(await fetch(`/lab/race/${encodeURIComponent(input.race.race)}/results`, { cache: "no-store" })),
  );
  if (!results) throw new Error("the lab's counts were not understood");
  return results;
});

export const raceTransport = fromCallback<PushRaceEvent, TransportInput>(({ input, sendBack }) => {
  const { transport, race, settings } = input;
  const report = sendBack as (event: PushRaceEvent) => void;
  const base = `/lab/race/${encodeURIComponent(race.race)}`;
  const delay = `delay=${settings.delayMs}`;
  const seen = new Set<number>();
  const abort = new AbortController();
  let finished = false;
  const finish = (reason?: string): void => {
    if (finished) return;
    finished = true;
    report(
      reason === undefined
        ? { type: "race.transport-done", transport }
        : { type: "race.transport-failed", transport, reason },
    );
  };
  const arrived = (event: RaceEvent): void => {
    if (seen.has(event.id)) return;
    seen.add(event.id);
    report({ type: "race.arrival", transport, eventId: event.id, eventAt: event.at, receivedAt: epochNow() });
    if (seen.size >= race.events) finish();
  };
  const latest = (): number => (seen.size ? Math.max(...seen) : 0);

  const poll = async (path: "poll" | "long-poll"): Promise<void> => {
    while (!finished && !abort.signal.aborted) {
      const body = (await json(
        await fetch(`${base}/${path}?after=${latest()}&${delay}`, { cache: "no-store", signal: abort.signal }),
      )) as { events?: unknown };
      for (const item of Array.isArray(body.events) ? body.events : []) {
        const event = parseRaceEvent(item);
        if (event) arrived(event);
      }
      if (!finished && path === "poll") await new Promise((resolve) => setTimeout(resolve, settings.pollIntervalMs));
    }
  };

  let source: EventSource | null = null;
  let socket: WebSocket | null = null;
  switch (transport) {
    case "short-polling":
    case "long-polling":
      poll(transport === "short-polling" ? "poll" : "long-poll").catch((error: unknown) => {
        if (!abort.signal.aborted) finish((error as Error).message);
      });
      break;
    case "sse":
      source = new EventSource(`${base}/sse?${delay}`);
      source.addEventListener("message", (message) => {
        try {
          const event = parseRaceEvent(JSON.parse(String(message.data)));
          if (event) arrived(event);
        } catch {
          /* a block that is not JSON is not a race event */
        }
      });
      // EventSource reconnects on its own when the stream ends; once every event is in, stop it.
      source.addEventListener("error", () => {
        if (seen.size >= race.events || source?.readyState === EventSource.CLOSED) {
          source?.close();
          if (seen.size < race.events) finish("the event stream closed early");
        }
      });
      break;
    case "websocket":
      socket = new WebSocket(labUrl(`${base}/ws?${delay}`));
      socket.addEventListener("message", (message) => {
        if (typeof message.data !== "string") return;
        try {
          const event = parseRaceEvent(JSON.parse(message.data));
          if (event) arrived(event);
        } catch {
          /* not a race event */
        }
      });
      socket.addEventListener("close", (event) => {
        if (seen.size < race.events) finish(`the WebSocket closed early (${event.code})`);
      });
      break;
  }
  return () => {
    abort.abort();
    source?.close();
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "Race over");
  };
});
