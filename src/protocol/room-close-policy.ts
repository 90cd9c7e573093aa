// One policy for how a room connection ends, shared by the classroom page's machine
// (machines/room-connection.ts) and the lesson pages' classroom bar (machines/classroom-link.ts), so the
// two never disagree about whether to come back on their own. The codes are the ones the lab
// uses in rooms (room-protocol.ts); any other close (1001 the lab restarting, 1006 the network,
// 1011, 1012) is an outage, and both reconnect with backoff as the same person.
//
// A close that ends the connection for good is one where coming back on our own would be wrong
// or pointless: the room is over, the teacher removed us, another tab took over, or the lab
// refused what this page did (RFC 6455 §7.4.1 names 1008, 1009 and 1013). The reader may still
// choose to rejoin after 1009 and 1013, which say "not like that" and "not so fast", not "no".

export type RoomEnding = "room-closed" | "removed" | "replaced" | "refused" | "too-big" | "too-fast";

export const ROOM_ENDING_CLOSES: Readonly<Record<number, RoomEnding>> = {
  1000: "room-closed",
  1008: "refused",
  1009: "too-big",
  1013: "too-fast",
  4001: "removed",
  4002: "replaced",
};

/** How a close with `code` ends the room connection, or null when it is an outage to reconnect after. */
export function roomEnding(code: number): RoomEnding | null {
  return ROOM_ENDING_CLOSES[code] ?? null;
}

/** Endings the reader may undo by rejoining: the lab did not refuse the person, only what was sent. */
export function rejoinAllowed(ending: RoomEnding): boolean {
  return ending === "too-big" || ending === "too-fast" || ending === "replaced";
}
