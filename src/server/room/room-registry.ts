// Every classroom room the lab holds, by join code. Memory is bounded: at most
// `maxRoomsPerAddress` rooms per creating address and `maxRooms` in all (both answered
// `too-many-rooms`), each with a bounded number of members (room.ts) and a bounded history;
// a room whose teacher has been gone for the grace period closes itself and is forgotten
// here. Closing the registry forgets every room and stops every timer without sending
// anything: the lab then closes the sockets with 1001, so pages offer to reconnect.
import type { LabSettings } from "../settings.ts";
import { createRoom, type Room } from "./room.ts";
import { newJoinCode } from "./room-ids.ts";

export type CreateResult = { ok: true; room: Room } | { ok: false; message: string };

export interface RoomRegistry {
  create(owner: string): CreateResult;
  get(code: string): Room | undefined;
  stats(): { rooms: number; members: number; connected: number };
  close(): void;
}

export function createRoomRegistry(settings: LabSettings): RoomRegistry {
  const rooms = new Map<string, Room>();
  const perOwner = new Map<string, number>();
  let closed = false;

  function forget(room: Room): void {
    if (rooms.get(room.code) !== room) return;
    rooms.delete(room.code);
    const left = (perOwner.get(room.owner) ?? 1) - 1;
    if (left <= 0) perOwner.delete(room.owner);
    else perOwner.set(room.owner, left);
  }

  return {
    create(owner) {
      if (closed) return { ok: false, message: "The lab server is shutting down." };
      if ((perOwner.get(owner) ?? 0) >= settings.maxRoomsPerAddress) {
        const minutes = Math.max(1, Math.round(settings.roomGraceMs / 60_000));
        return {
          ok: false,
          message: `This address already has ${settings.maxRoomsPerAddress} open rooms. Close one, or wait: a room closes ${minutes} minute${minutes === 1 ? "" : "s"} after its teacher leaves.`,
        };
      }
      if (rooms.size >= settings.maxRooms) {
        return {
          ok: false,
          message: `The lab is holding ${settings.maxRooms} rooms, its limit; try again in a few minutes.`,
        };
      }
      const room = createRoom({
        code: newJoinCode((code) => rooms.has(code)),
        owner,
        limits: {
          maxParticipants: settings.roomMaxParticipants,
          seatsPerAddress: settings.roomSeatsPerAddress,
          graceMs: settings.roomGraceMs,
          sendBufferBytes: settings.roomSendBufferBytes,
        },
        onClosed: forget,
      });
      rooms.set(room.code, room);
      perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1);
      return { ok: true, room };
    },

    get: (code) => rooms.get(code),

    stats() {
      let members = 0;
      let connected = 0;
      for (const room of rooms.values()) {
        members += room.memberCount();
        connected += room.connectedCount();
      }
      return { rooms: rooms.size, members, connected };
    },

    close() {
      closed = true;
      for (const room of [...rooms.values()]) room.shutdown();
      rooms.clear();
      perOwner.clear();
    },
  };
}
