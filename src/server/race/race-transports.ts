// The three plain-HTTP ways to receive a race's events (the fourth, the WebSocket, is in
// race-websocket.ts). Each one writes through its exchange's delayed writer, so the reader's
// added latency applies to every write, and counts the events it writes as they go out.
//
//   short poll  answers at once with the events that have happened after `after`
//   long poll   answers at once if there are any; otherwise holds the request until the next
//               event happens (answered the moment it does) or `longPollTimeoutMs` passes
//               (answered { events: [] }); a request for events past the last one gets [] at once
//   SSE         text/event-stream, `id: K` + `data: {json}` + blank line per event, written as
//               the event happens, events already past `after` (or Last-Event-ID) first; the
//               stream ends after the last event. A reconnect after the last event gets 204,
//               which tells EventSource to stop reconnecting (HTML, server-sent events §9.2.3).
import type { RaceEvent } from "../../protocol/lab-api.ts";
import type { LabExchange } from "../http-lab/exchanges.ts";
import { LAB_HTTP_HEADERS, refuse } from "../http-lab/respond.ts";
import type { Race } from "./race.ts";

function full(exchange: LabExchange, race: Race): void {
  refuse(
    exchange.request,
    exchange.response,
    429,
    `Race ${race.id} already has as many requests waiting as it allows; close some (other tabs?) and try again.`,
    { "Retry-After": "1" },
  );
}

export function shortPoll(race: Race, exchange: LabExchange, after: number): void {
  const events = race.eventsAfter(after);
  exchange.sendJson(200, { events }, () => race.tally("short-polling").sent(events.length));
}

export function longPoll(race: Race, exchange: LabExchange, after: number, timeoutMs: number): void {
  const answer = (events: RaceEvent[]): void =>
    exchange.sendJson(200, { events }, () => race.tally("long-polling").sent(events.length));
  const ready = race.eventsAfter(after);
  if (ready.length > 0 || race.finished || after >= race.events) return answer(ready);
  let timer: NodeJS.Timeout | null = null;
  let stop: (() => void) | null = null;
  const done = (): void => {
    stop?.();
    stop = null;
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  stop = race.listen({
    event(event) {
      if (event.id <= after) return;
      done();
      answer(race.eventsAfter(after));
    },
    // "closing": the lab is shutting down and answers every open exchange itself.
    end: done,
  });
  if (!stop) return full(exchange, race);
  timer = setTimeout(() => {
    done();
    answer([]);
  }, timeoutMs);
  exchange.onEnd(done);
}

function eventBlock(event: RaceEvent): string {
  return `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function eventStream(race: Race, exchange: LabExchange, after: number): void {
  const { response, writer } = exchange;
  if (after >= race.events) {
    writer.run(() => {
      if (!response.headersSent) response.writeHead(204, LAB_HTTP_HEADERS).end();
    });
    return;
  }
  let stop: (() => void) | null = null;
  const send = (event: RaceEvent): void =>
    writer.run(() => {
      if (response.writableEnded || response.destroyed) return;
      response.write(eventBlock(event));
      race.tally("sse").sent(1);
    });
  const end = (): void => writer.run(() => response.end());
  if (!race.finished) {
    stop = race.listen({
      event: (event) => {
        if (event.id > after) send(event);
      },
      end: (why) => {
        if (why === "finished") end();
      },
    });
    if (!stop) return full(exchange, race);
  }
  writer.run(() => {
    response.writeHead(200, { ...LAB_HTTP_HEADERS, "Content-Type": "text/event-stream" });
    // The head goes out now, so the page's EventSource opens before the first event.
    response.flushHeaders();
  });
  for (const event of race.eventsAfter(after)) send(event);
  if (race.finished) end();
  exchange.onEnd(() => stop?.());
}
