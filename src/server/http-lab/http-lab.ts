// The lab's plain-HTTP side (src/protocol/lab-api.ts): connection reporting at
// /lab/http/whoami and the push race under /lab/race. lab.ts hands it every plain request under
// /lab/ first, and asks it about race WebSocket upgrades before its own gate lets them through.
// Works the same under the production server and as a Connect middleware in `astro dev`: it
// only uses the request, the response and the socket beneath them.
//
// Every answer carries Cache-Control: no-store. `delay=MS` (0–maxLabDelayMs, else 400) delays
// each write made for that request (write-delay.ts), so one reader's latency never slows another
// connection. Closing ends every open exchange, stops every race timer and forgets every race.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { handleRaceHttp } from "../race/race-http.ts";
import { RACE_PATH, TRANSPORT_PATHS } from "../race/race-paths.ts";
import { createRaceRegistry, RACE_LIMITS } from "../race/race-registry.ts";
import { raceUpgradeTarget, type RaceUpgradeTarget } from "../race/race-websocket.ts";
import type { LabSettings } from "../settings.ts";
import { createConnectionRegistry } from "./connections.ts";
import { createOpenExchanges } from "./exchanges.ts";
import { delayParam, flagParam } from "./params.ts";
import { refuse } from "./respond.ts";
import { serveWhoAmI, WHOAMI_PATH } from "./whoami.ts";

export interface HttpLab {
  /** Handles a plain request for one of these endpoints and returns true; false otherwise. */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  /** For an upgrade: null if `path` is not a race WebSocket, else whether and how it may proceed. */
  raceUpgrade(path: string, search: URLSearchParams): RaceUpgradeTarget | null;
  /** Numbers every request `server` receives on its connection; returns a function that stops. */
  watch(server: Server): () => void;
  /** What /lab/info says about these endpoints. */
  info(): Record<string, unknown>;
  /** Open exchanges and races, for tests and the operator. */
  stats(): { exchanges: number; races: number };
  close(reason: string): void;
}

function urlOf(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? "/", "http://lab.invalid");
  } catch {
    return null;
  }
}

export function createHttpLab(settings: LabSettings): HttpLab {
  const connections = createConnectionRegistry();
  const exchanges = createOpenExchanges(settings.maxOpenRequestsPerConnection);
  const registry = createRaceRegistry(settings);
  let closedWith: string | null = null;

  return {
    handle(request, response) {
      const url = urlOf(request);
      if (!url) return false;
      const path = url.pathname;
      const ours = path === WHOAMI_PATH || path === RACE_PATH || path.startsWith(`${RACE_PATH}/`);
      if (!ours) return false;
      if (closedWith !== null) {
        refuse(request, response, 503, closedWith, { Connection: "close" });
        return true;
      }
      if (path !== WHOAMI_PATH)
        return handleRaceHttp({ settings, registry, exchanges }, request, response, path, url.searchParams);
      if (request.method !== "GET" && request.method !== "HEAD") {
        refuse(request, response, 405, `Use GET for ${WHOAMI_PATH}.`, { Allow: "GET, HEAD" });
        return true;
      }
      const delay = delayParam(url.searchParams, settings.maxLabDelayMs);
      const close = flagParam(url.searchParams, "close");
      if (!delay.ok || !close.ok) {
        refuse(request, response, 400, !delay.ok ? delay.message : !close.ok ? close.message : "");
        return true;
      }
      const exchange = exchanges.open(request, response, delay.value);
      if (exchange) serveWhoAmI(exchange, connections, close.value);
      return true;
    },

    raceUpgrade(path, search) {
      if (closedWith !== null) return null;
      return raceUpgradeTarget(path, search, registry, settings);
    },

    watch: (server) => connections.watch(server),

    info() {
      const base = `${RACE_PATH}/{race}`;
      return {
        http: { whoami: WHOAMI_PATH, maxDelayMs: settings.maxLabDelayMs },
        race: {
          create: RACE_PATH,
          transports: Object.fromEntries(Object.entries(TRANSPORT_PATHS).map(([t, p]) => [t, `${base}/${p}`])),
          results: `${base}/results`,
          events: { min: RACE_LIMITS.minEvents, max: RACE_LIMITS.maxEvents },
          spacingMs: { min: RACE_LIMITS.minSpacingMs, max: RACE_LIMITS.maxSpacingMs },
          firstEventAfterMs: settings.raceLeadMs,
          maxRacesPerAddress: settings.maxRacesPerAddress,
          maxRaces: settings.maxRaces,
          maxListenersPerRace: settings.maxRaceListeners,
          longPollTimeoutMs: settings.longPollTimeoutMs,
          lingerMs: settings.raceLingerMs,
        },
      };
    },

    stats: () => ({ exchanges: exchanges.size, races: registry.size }),

    close(reason) {
      if (closedWith !== null) return;
      closedWith = reason;
      registry.close();
      exchanges.closeAll(reason);
    },
  };
}
