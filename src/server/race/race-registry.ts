// Every push race the lab holds, by id. Ids are 16 random bytes in base64url (22 characters):
// knowing one race's id says nothing about another's, so a reader can only follow races whose
// id their page was given. Memory is bounded: at most `maxRacesPerAddress` races per client
// address and `maxRaces` in all (both answered 429 beyond), each with a bounded number of
// waiting requests (race.ts), each deleted `raceLingerMs` after its last event. Closing the
// registry stops every timer and ends every waiting request.
import { randomBytes } from "node:crypto";
import type { LabSettings } from "../settings.ts";
import { serverNow } from "../tap/server-clock.ts";
import { createRace, type Race } from "./race.ts";
import { raceSchedule } from "./race-schedule.ts";

export const RACE_LIMITS = { minEvents: 1, maxEvents: 20, minSpacingMs: 100, maxSpacingMs: 5000 } as const;

export type Created =
  | { ok: true; race: Race; createdAt: number }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

export interface RaceRegistry {
  create(address: string, events: number, spacingMs: number): Created;
  get(id: string): Race | undefined;
  readonly size: number;
  close(): void;
}

export function createRaceRegistry(settings: LabSettings): RaceRegistry {
  const races = new Map<string, Race>();
  const perAddress = new Map<string, number>();
  const expiries = new Map<string, NodeJS.Timeout>();
  let closed = false;

  function remove(race: Race): void {
    if (races.get(race.id) !== race) return;
    races.delete(race.id);
    const left = (perAddress.get(race.address) ?? 1) - 1;
    if (left <= 0) perAddress.delete(race.address);
    else perAddress.set(race.address, left);
    const expiry = expiries.get(race.id);
    if (expiry) clearTimeout(expiry);
    expiries.delete(race.id);
    race.close();
  }

  return {
    create(address, events, spacingMs) {
      if (closed) return { ok: false, status: 503, message: "The lab server is shutting down." };
      if ((perAddress.get(address) ?? 0) >= settings.maxRacesPerAddress) {
        return {
          ok: false,
          status: 429,
          message: `This address already has ${settings.maxRacesPerAddress} races; a race is forgotten ${Math.round(settings.raceLingerMs / 1000)} s after its last event. Wait and try again.`,
          headers: { "Retry-After": String(Math.ceil(settings.raceLingerMs / 1000)) },
        };
      }
      if (races.size >= settings.maxRaces) {
        return {
          ok: false,
          status: 429,
          message: `The lab is running ${settings.maxRaces} races, its limit; try again in a minute.`,
          headers: { "Retry-After": "60" },
        };
      }
      let id = randomBytes(16).toString("base64url");
      while (races.has(id)) id = randomBytes(16).toString("base64url");
      const createdAt = serverNow();
      const schedule = raceSchedule(createdAt, settings.raceLeadMs, events, spacingMs, randomBytes(4).readUInt32BE(0));
      const race: Race = createRace({
        id,
        address,
        schedule,
        spacingMs,
        maxListeners: settings.maxRaceListeners,
        onFinished: () => {
          const expiry = setTimeout(() => remove(race), settings.raceLingerMs);
          expiry.unref();
          expiries.set(id, expiry);
        },
      });
      races.set(id, race);
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      return { ok: true, race, createdAt };
    },
    get: (id) => races.get(id),
    get size() {
      return races.size;
    },
    close() {
      closed = true;
      for (const race of [...races.values()]) remove(race);
    },
  };
}
