// The push race's addresses (src/protocol/lab-api.ts):
//   /lab/race                                     POST creates a race
//   /lab/race/ID/poll | long-poll | sse | ws      the four transports
//   /lab/race/ID/results                          what each transport cost
import type { Transport } from "../../protocol/lab-api.ts";

export const RACE_PATH = "/lab/race";

export const TRANSPORT_PATHS: Readonly<Record<Transport, string>> = {
  "short-polling": "poll",
  "long-polling": "long-poll",
  sse: "sse",
  websocket: "ws",
};

export type RaceRoute = { id: string; part: Transport | "results" };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `/lab/race/ID/PART` → its parts; null for any other path (an unknown PART included). */
export function parseRacePath(path: string): RaceRoute | null {
  if (!path.startsWith(`${RACE_PATH}/`)) return null;
  const [id, part, ...extra] = path.slice(RACE_PATH.length + 1).split("/");
  if (id === undefined || part === undefined || extra.length > 0 || !ID.test(id)) return null;
  if (part === "results") return { id, part };
  const transport = (Object.keys(TRANSPORT_PATHS) as Transport[]).find((t) => TRANSPORT_PATHS[t] === part);
  return transport ? { id, part: transport } : null;
}

export function racePathsDescription(): string {
  return `${RACE_PATH} (POST), ${RACE_PATH}/ID/${Object.values(TRANSPORT_PATHS).join("|")}, ${RACE_PATH}/ID/results`;
}

export function unknownRaceMessage(id: string): string {
  return `There is no race "${id.slice(0, 64)}": it never existed or it ended more than a minute ago. Create one with POST ${RACE_PATH}.`;
}
