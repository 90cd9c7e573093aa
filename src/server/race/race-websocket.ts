// The race's fourth transport: WS /lab/race/ID/ws[?after=K][&delay=MS], one text message (a
// RaceEvent as JSON) per event, written as the event happens, then a close with 1000 after the
// last one. The upgrade passes the lab's usual gate in lab.ts (path, Origin, connections per
// address, handshake checks); this module adds what is particular to a race: an unknown race
// is 404, bad parameters 400, a race with no room for another waiting connection 429, and the
// connection's bytes are counted from the upgrade on (http-lab/wire-bytes.ts).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { RaceEvent } from "../../protocol/lab-api.ts";
import { delayParam, wholeNumber } from "../http-lab/params.ts";
import { meterUpgrade, type WireMeter } from "../http-lab/wire-bytes.ts";
import { createDelayedWriter } from "../http-lab/write-delay.ts";
import type { LabSettings } from "../settings.ts";
import type { Race } from "./race.ts";
import type { RaceRegistry } from "./race-registry.ts";
import { parseRacePath, unknownRaceMessage } from "./race-paths.ts";

export const RACE_OVER_REASON = "The race is over: every event was sent.";

export type RaceSocketEndpoint = (ws: WebSocket, request: IncomingMessage) => void;

export interface RaceUpgrade {
  /** Why this upgrade may not go ahead (400 or 429), checked after the lab's own gate; null if it may. */
  refusal(): { status: number; message: string } | null;
  /** Call just before the 101 is written: starts counting bytes and returns the endpoint. */
  begin(request: IncomingMessage, socket: Duplex, head: Buffer): RaceSocketEndpoint;
}

export type RaceUpgradeTarget = { ok: true; upgrade: RaceUpgrade } | { ok: false; status: number; message: string };

/** null when `path` is not a race WebSocket address at all. */
export function raceUpgradeTarget(
  path: string,
  search: URLSearchParams,
  registry: RaceRegistry,
  settings: LabSettings,
): RaceUpgradeTarget | null {
  const route = parseRacePath(path);
  if (!route || route.part !== "websocket") return null;
  const race = registry.get(route.id);
  if (!race) return { ok: false, status: 404, message: unknownRaceMessage(route.id) };
  const delay = delayParam(search, settings.maxLabDelayMs);
  const after = wholeNumber(search, "after", 0, 1_000_000, 0);
  return {
    ok: true,
    upgrade: {
      refusal() {
        if (!delay.ok) return { status: 400, message: delay.message };
        if (!after.ok) return { status: 400, message: after.message };
        if (!race.finished && !race.hasRoom())
          return {
            status: 429,
            message: `Race ${race.id} already has as many connections waiting as it allows; close some and try again.`,
          };
        return null;
      },
      begin(request, socket, head) {
        const meter = meterUpgrade(request, socket, head);
        return (ws) => serveRaceSocket(race, ws, meter, after.ok ? after.value : 0, delay.ok ? delay.value : 0);
      },
    },
  };
}

function serveRaceSocket(race: Race, ws: WebSocket, meter: WireMeter, after: number, delayMs: number): void {
  const tally = race.tally("websocket");
  tally.request(meter);
  const writer = createDelayedWriter(delayMs);
  const send = (event: RaceEvent): void =>
    writer.run(() => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(event));
      tally.sent(1);
    });
  const finish = (): void =>
    writer.run(() => {
      if (ws.readyState === ws.OPEN) ws.close(1000, RACE_OVER_REASON);
    });
  let stop: (() => void) | null = null;
  if (!race.finished) {
    stop = race.listen({
      event: (event) => {
        if (event.id > after) send(event);
      },
      // On "closing" the lab closes every socket itself, with 1001.
      end: (why) => {
        if (why === "finished") finish();
      },
    });
    if (!stop) {
      ws.close(1013, "This race has too many connections waiting; try again later.");
      return;
    }
  }
  for (const event of race.eventsAfter(after)) send(event);
  if (race.finished) finish();
  ws.once("close", () => {
    writer.cancel();
    stop?.();
  });
}
