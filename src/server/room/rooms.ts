// The classroom rooms as the lab sees them: one registry, one join limiter and the /lab/room
// endpoint sharing them, plus the figures /lab/info publishes. One per lab instance, so tests
// and the dev server each get their own rooms, and closing the lab forgets them all.
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import { MAX_NICKNAME_CHARS, MAX_TEXT_CHARS } from "../../protocol/room-protocol.ts";
import type { LabSettings } from "../settings.ts";
import { createAddressBuckets } from "../address-buckets.ts";
import { createJoinLimiter } from "./join-limiter.ts";
import { HISTORY_LENGTH } from "./room.ts";
import { createRoomEndpoint, ROOM_MAX_MESSAGE_BYTES } from "./room-endpoint.ts";
import { createRoomRegistry, type RoomRegistry } from "./room-registry.ts";

export const ROOM_PATH = "/lab/room";

export interface Rooms {
  endpoint(ws: WebSocket, request: IncomingMessage): void;
  /** The limits a widget may want to show (published at GET /lab/info). */
  info(): Record<string, number>;
  stats(): ReturnType<RoomRegistry["stats"]>;
  close(): void;
}

export function createRooms(settings: LabSettings): Rooms {
  const registry = createRoomRegistry(settings);
  const limiter = createJoinLimiter(settings.roomJoinFailuresPerMinute);
  return {
    endpoint: createRoomEndpoint(settings, registry, limiter, {
      say: createAddressBuckets(settings.roomSayPerAddressPerSecond, settings.roomSayPerAddressPerSecond * 2),
      joins: createAddressBuckets(settings.roomJoinsPerAddressPerSecond, settings.roomSeatsPerAddress),
    }),
    info: () => ({
      maxParticipants: settings.roomMaxParticipants,
      sayPerSecond: settings.roomSayPerSecond,
      seatsPerAddress: settings.roomSeatsPerAddress,
      sayPerAddressPerSecond: settings.roomSayPerAddressPerSecond,
      joinsPerAddressPerSecond: settings.roomJoinsPerAddressPerSecond,
      graceMs: settings.roomGraceMs,
      maxTextChars: MAX_TEXT_CHARS,
      maxNicknameChars: MAX_NICKNAME_CHARS,
      maxMessageBytes: ROOM_MAX_MESSAGE_BYTES,
      historyLength: HISTORY_LENGTH,
    }),
    stats: () => registry.stats(),
    close: () => registry.close(),
  };
}
