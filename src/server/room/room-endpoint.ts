// /lab/room: one WebSocket connection speaking the room protocol (src/protocol/room-protocol.ts).
// It parses what arrives, decides who may do what, and hands the rest to the room (room.ts).
// The lab's own gate has already run (Origin, connections per address, message size 1009,
// messages per second 1008, heartbeat), so this adds only what is special to rooms:
//   - a room message is small: anything over ROOM_MAX_MESSAGE_BYTES closes with 1009 and a
//     reason (the lab's maxPayload still closes bigger frames before they are read);
//   - binary frames close with 1008 (the protocol is JSON text); a text that is not a valid
//     client message gets `error invalid-message` and the socket stays open;
//   - wrong codes and keys are counted per address and slowed down (join-limiter.ts);
//   - `say` has its own, stricter rate (roomSayPerSecond, burst twice that): over it closes
//     with 1013 Try Again Later;
//   - limits per client address, across all its sockets (one student with thirty tabs is one
//     student): `say` messages (roomSayPerAddressPerSecond) and joins or comebacks, the changes
//     every member's list shows (roomJoinsPerAddressPerSecond); over either gets
//     `error rate-limited` and the socket stays open. Seats per address are the room's rule;
//   - teacher-only messages from a student close with 1008 and say why.
// A connection holds at most one seat (teacher or student) for its whole life.
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import {
  checkNickname,
  CODE_PATTERN,
  MAX_TEXT_CHARS,
  normaliseCode,
  parseClientMessage,
  type ClientMessage,
  type ErrorCode,
  type ServerMessage,
} from "../../protocol/room-protocol.ts";
import type { LabSettings } from "../settings.ts";
import { createTokenBucket } from "../rate-limit.ts";
import type { AddressBuckets } from "../address-buckets.ts";
import type { JoinLimiter } from "./join-limiter.ts";
import type { Member, Room } from "./room.ts";
import type { RoomRegistry } from "./room-registry.ts";
import { sameSecret } from "./room-ids.ts";

/**
 * Enough for every valid client message: a 500-character `say` is at most 3 bytes a character
 * in UTF-8, or 6 if the sender escapes everything as \uXXXX, plus the JSON around it.
 */
export const ROOM_MAX_MESSAGE_BYTES = 4096;

const TEACHER_ONLY: Partial<Record<ClientMessage["type"], string>> = {
  follow: "lead the room",
  remove: "remove participants",
  readmit: "let removed participants back in",
  lock: "lock the room",
  ask: "ask the class",
  reveal: "reveal the class's answers",
  "close-room": "close the room",
};

/** Why a text was refused, in words a reader can act on (never echoing what they sent). */
function explainInvalid(text: string): string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'Room messages are JSON text, like {"type":"say","text":"hello"}; this was not JSON.';
  }
  const o = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  if (o.type === "say" && typeof o.text === "string") {
    if (o.text.trim() === "") return "A message cannot be blank.";
    if (o.text.length > MAX_TEXT_CHARS)
      return `A message has at most ${MAX_TEXT_CHARS} characters; this one has ${o.text.length}.`;
  }
  const known = [
    "create",
    "teach",
    "join",
    "say",
    "follow",
    "remove",
    "readmit",
    "lock",
    "close-room",
    "ask",
    "reveal",
    "predict",
  ];
  if (typeof o.type !== "string" || !known.includes(o.type))
    return `Unknown message type; the room understands ${known.join(", ")}.`;
  return `This "${o.type}" message is missing a field or has one of the wrong kind or length.`;
}

/** The lab-wide, per-address buckets every room connection shares. */
export interface AddressLimits {
  say: AddressBuckets;
  joins: AddressBuckets;
}

export function createRoomEndpoint(
  settings: LabSettings,
  registry: RoomRegistry,
  limiter: JoinLimiter,
  perAddress: AddressLimits,
): (ws: WebSocket, request: IncomingMessage) => void {
  return (ws, request) => {
    const address = request.socket.remoteAddress ?? "unknown";
    // The TCP socket's own counters: the room's byte figures are what really crossed the wire.
    const raw = request.socket;
    const sayBucket = createTokenBucket(settings.roomSayPerSecond);
    let seat: { room: Room; member: Member } | null = null;

    function reply(message: ServerMessage): void {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    }
    const refuse = (code: ErrorCode, message: string): void => reply({ type: "error", code, message });

    /** Checks the address is not locked out, then finds the room; counts a miss as a failure. */
    function findRoom(rawCode: string): Room | null {
      const wait = limiter.waitMs(address, performance.now());
      if (wait > 0) {
        refuse(
          "rate-limited",
          `Too many wrong room codes or keys from this address; try again in ${Math.ceil(wait / 1000)} s.`,
        );
        return null;
      }
      const code = normaliseCode(rawCode);
      const room = CODE_PATTERN.test(code) ? registry.get(code) : undefined;
      if (!room) {
        limiter.failed(address, performance.now());
        refuse("bad-code", "No room has this code. Check the 6-character code on the teacher's screen.");
        return null;
      }
      return room;
    }

    function handle(message: ClientMessage): void {
      if (message.type === "create" || message.type === "teach" || message.type === "join") {
        if (seat) {
          refuse(
            "invalid-message",
            `This connection is already in room ${seat.room.code}; open a new connection for another room.`,
          );
          return;
        }
      } else if (!seat) {
        refuse("not-in-room", "Join a room (or create one) first.");
        return;
      } else if (seat.member.role !== "teacher" && TEACHER_ONLY[message.type]) {
        ws.close(1008, `Only the teacher can ${TEACHER_ONLY[message.type]}`);
        return;
      }

      switch (message.type) {
        case "create": {
          const created = registry.create(address);
          if (!created.ok) return refuse("too-many-rooms", created.message);
          seat = { room: created.room, member: created.room.seatTeacher(ws, raw, "created") };
          return;
        }
        case "teach": {
          const room = findRoom(message.code);
          if (!room) return;
          if (!sameSecret(message.teacherKey, room.teacherKey)) {
            limiter.failed(address, performance.now());
            return refuse("bad-key", "This is not the teacher key of that room.");
          }
          seat = { room, member: room.seatTeacher(ws, raw, "joined") };
          return;
        }
        case "join": {
          const room = findRoom(message.code);
          if (!room) return;
          const nickname = checkNickname(message.nickname);
          if (!nickname.ok) return refuse("invalid-nickname", nickname.reason);
          if (!perAddress.joins.take(address, performance.now())) {
            return refuse(
              "rate-limited",
              `Too many joins from this network address in a short time (at most ${settings.roomJoinsPerAddressPerSecond} a second after the first ${settings.roomSeatsPerAddress}); try again in 1 s.`,
            );
          }
          const joined = room.join(nickname.nickname, message.resume, address, ws, raw);
          if (!joined.ok) return refuse(joined.code, joined.message);
          seat = { room, member: joined.member };
          return;
        }
        case "say":
          if (!sayBucket.take(performance.now())) {
            ws.close(1013, `Sending too fast: at most ${settings.roomSayPerSecond} messages a second`);
            return;
          }
          // The teacher is not counted: students behind the same NAT address must not use up their allowance.
          if (seat!.member.role === "student" && !perAddress.say.take(address, performance.now())) {
            return refuse(
              "rate-limited",
              `Too many messages from this network address, across all its connections (at most ${settings.roomSayPerAddressPerSecond} a second); this one was not sent. Try again in 1 s.`,
            );
          }
          seat!.room.say(seat!.member, message.text);
          return;
        case "follow":
          seat!.room.follow(message.lesson, message.hash);
          return;
        case "remove":
          if (!seat!.room.remove(message.participant))
            refuse("not-in-room", "No student with that id is in this room.");
          return;
        case "readmit":
          if (!seat!.room.readmit(message.participant))
            refuse("not-in-room", "Nobody removed from this room has that id.");
          return;
        case "lock":
          seat!.room.lock(message.locked);
          return;
        case "ask":
          seat!.room.ask(message.lesson, message.card, message.question, message.choices);
          return;
        case "reveal":
          if (!seat!.room.reveal()) refuse("invalid-message", "No question is open to reveal.");
          return;
        case "predict":
          if (!seat!.room.predict(seat!.member, message.poll, message.choice))
            refuse(
              "invalid-message",
              "That question is closed, or has no such choice, or is not for the teacher to answer.",
            );
          return;
        case "close-room":
          seat!.room.close(message.reason.trim() === "" ? "The teacher closed the room." : message.reason);
          seat = null;
          return;
      }
    }

    ws.on("message", (data, isBinary) => {
      // The lab's rate limit, a removal or a replacement may already have closed this socket.
      if (ws.readyState !== ws.OPEN) return;
      if (seat?.room.closed) seat = null;
      if (isBinary) {
        ws.close(1008, "The room protocol is JSON text; binary frames are not allowed");
        return;
      }
      const bytes = data as Buffer;
      if (bytes.byteLength > ROOM_MAX_MESSAGE_BYTES) {
        ws.close(1009, `A room message is at most ${ROOM_MAX_MESSAGE_BYTES} bytes; this one has ${bytes.byteLength}`);
        return;
      }
      const text = bytes.toString("utf8");
      const message = parseClientMessage(text);
      if (!message) return refuse("invalid-message", explainInvalid(text));
      handle(message);
    });

    ws.on("close", () => {
      if (seat) seat.room.disconnected(seat.member, ws);
      seat = null;
    });
  };
}
