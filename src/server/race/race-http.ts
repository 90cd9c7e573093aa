// Plain HTTP under /lab/race: creating a race, its three HTTP transports and its results.
//
//   POST /lab/race?events=N&spacingMs=MS   Origin must be the page's own (origin.ts, the rule
//        every lab upgrade follows) or 403: a race costs the lab timers and memory, so another
//        site's page may not start them in a reader's name. N 1–20, spacing 100–5000 ms, else 400;
//        too many races → 429 (race-registry.ts). → 201 RaceCreated.
//   GET  /lab/race/ID/poll|long-poll|sse?after=K   race-transports.ts; counted per transport,
//        bytes included, from the moment the request arrives (its refusals cost bytes too).
//   GET  /lab/race/ID/results   → RaceResults.  GET /lab/race/ID/ws without an upgrade → 426.
// Unknown or expired races are 404. Every answer may be delayed with `delay=MS`.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RaceCreated } from "../../protocol/lab-api.ts";
import type { OpenExchanges } from "../http-lab/exchanges.ts";
import { delayParam, wholeNumber } from "../http-lab/params.ts";
import { refuse } from "../http-lab/respond.ts";
import { meterResponse } from "../http-lab/wire-bytes.ts";
import { checkOrigin } from "../origin.ts";
import type { LabSettings } from "../settings.ts";
import { parseRacePath, RACE_PATH, racePathsDescription, unknownRaceMessage } from "./race-paths.ts";
import { RACE_LIMITS, type RaceRegistry } from "./race-registry.ts";
import { eventStream, longPoll, shortPoll } from "./race-transports.ts";

export interface RaceHttpContext {
  settings: LabSettings;
  registry: RaceRegistry;
  exchanges: OpenExchanges;
}

/** Handles `path` if it is under /lab/race and returns true; false otherwise. */
export function handleRaceHttp(
  context: RaceHttpContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  search: URLSearchParams,
): boolean {
  if (path === RACE_PATH) {
    createRace(context, request, response, search);
    return true;
  }
  if (!path.startsWith(`${RACE_PATH}/`)) return false;
  const route = parseRacePath(path);
  if (!route) {
    refuse(request, response, 404, `There is no race address ${path}. Race addresses: ${racePathsDescription()}.`);
    return true;
  }
  const race = context.registry.get(route.id);
  if (!race) {
    refuse(request, response, 404, unknownRaceMessage(route.id));
    return true;
  }
  if (route.part === "websocket") {
    refuse(
      request,
      response,
      426,
      `${path} speaks WebSocket only: send an opening handshake (GET with Upgrade: websocket and Connection: Upgrade, RFC 6455 §4.1).`,
      { Upgrade: "websocket", Connection: "Upgrade" },
    );
    return true;
  }
  const allowed = route.part === "results" ? ["GET", "HEAD"] : ["GET"];
  if (route.part !== "results") race.tally(route.part).request(meterResponse(request, response));
  if (!allowed.includes(request.method ?? "")) {
    refuse(request, response, 405, `Use ${allowed.join(" or ")} for ${path}.`, { Allow: allowed.join(", ") });
    return true;
  }
  const delay = delayParam(search, context.settings.maxLabDelayMs);
  if (!delay.ok) {
    refuse(request, response, 400, delay.message);
    return true;
  }
  if (route.part === "results") {
    context.exchanges.open(request, response, delay.value)?.sendJson(200, race.results());
    return true;
  }
  // EventSource resends the id of the last event it saw when it reconnects.
  const lastEventId = route.part === "sse" ? request.headers["last-event-id"] : undefined;
  const fromHeader =
    typeof lastEventId === "string" && /^[0-9]{1,6}$/.test(lastEventId.trim()) ? Number(lastEventId.trim()) : null;
  const after = wholeNumber(search, "after", 0, 1_000_000, fromHeader ?? 0);
  if (!after.ok) {
    refuse(request, response, 400, after.message);
    return true;
  }
  const start = Math.max(after.value, fromHeader ?? 0);
  request.resume();
  const exchange = context.exchanges.open(request, response, delay.value);
  if (!exchange) return true;
  if (route.part === "short-polling") shortPoll(race, exchange, start);
  else if (route.part === "long-polling") longPoll(race, exchange, start, context.settings.longPollTimeoutMs);
  else eventStream(race, exchange, start);
  return true;
}

function createRace(
  context: RaceHttpContext,
  request: IncomingMessage,
  response: ServerResponse,
  search: URLSearchParams,
): void {
  const { settings } = context;
  if (request.method !== "POST") {
    refuse(request, response, 405, `Create a race with POST ${RACE_PATH}?events=N&spacingMs=MS.`, { Allow: "POST" });
    return;
  }
  const verdict = checkOrigin(request.headers.origin, request.headers.host, settings.allowedOrigins);
  if (!verdict.allowed) {
    refuse(request, response, 403, verdict.reason);
    return;
  }
  const events = wholeNumber(search, "events", RACE_LIMITS.minEvents, RACE_LIMITS.maxEvents, 10);
  const spacing = wholeNumber(
    search,
    "spacingMs",
    RACE_LIMITS.minSpacingMs,
    RACE_LIMITS.maxSpacingMs,
    1000,
    "milliseconds",
  );
  const delay = delayParam(search, settings.maxLabDelayMs);
  for (const check of [events, spacing, delay]) {
    if (!check.ok) {
      refuse(request, response, 400, check.message);
      return;
    }
  }
  if (!events.ok || !spacing.ok || !delay.ok) return;
  request.resume();
  const exchange = context.exchanges.open(request, response, delay.value);
  if (!exchange) return;
  const created = context.registry.create(request.socket.remoteAddress ?? "unknown", events.value, spacing.value);
  if (!created.ok) {
    refuse(request, response, created.status, created.message, created.headers);
    return;
  }
  const { race } = created;
  const answer: RaceCreated = {
    race: race.id,
    events: race.events,
    spacingMs: race.spacingMs,
    schedule: [...race.schedule],
    serverTime: created.createdAt,
  };
  exchange.sendJson(201, answer);
}
