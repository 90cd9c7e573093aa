// One classroom room: who is in it (the teacher and the students, connected or within their
// grace period), the last HISTORY_LENGTH messages, the room's traffic figures, and every frame
// the room sends to its members. It does not parse anything (room-endpoint.ts does) and does
// not decide who may do what (also the endpoint); it keeps the membership rules: unique
// nicknames (case-insensitive), the room size, resuming a place with the resume token.
//
// Sending never waits for a socket. Each broadcast is serialised once and handed to every
// member's socket; a member whose socket has more than `sendBufferBytes` unsent (a laptop that
// stopped reading) is terminated on the spot, so one slow reader can neither slow the others
// nor make the lab buffer without bound. Like any disconnected member, they keep their place
// for `graceMs` and can come back with their resume token.
import type { WebSocket } from "ws";
import type { ErrorCode, Participant, Role, RoomMessage, ServerMessage } from "../../protocol/room-protocol.ts";
import { newParticipantId, newSecret, sameSecret } from "./room-ids.ts";

export const HISTORY_LENGTH = 50;
export const STATS_INTERVAL_MS = 1000;
export const TEACHER_NICKNAME = "Teacher";

export interface RoomLimits {
  maxParticipants: number;
  graceMs: number;
  sendBufferBytes: number;
}

/** The byte counters of the TCP socket under a WebSocket (a net.Socket). */
export interface ByteCounters {
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

interface Connection {
  ws: WebSocket;
  raw: ByteCounters;
  readBase: number;
  writtenBase: number;
}

export interface Member {
  readonly id: string;
  readonly nickname: string;
  readonly role: Role;
  /** A student's resume token (the teacher's proof is the room's teacher key). */
  readonly resume: string;
  conn: Connection | null;
  expiry: NodeJS.Timeout | null;
}

export type JoinResult = { ok: true; member: Member; resumed: boolean } | { ok: false; code: ErrorCode; message: string };

export interface Room {
  readonly code: string;
  readonly teacherKey: string;
  /** The address that created the room (rooms per address are counted by it). */
  readonly owner: string;
  readonly closed: boolean;
  /** Seats the teacher on `ws` (replacing an older connection with 4002) and greets them. */
  seatTeacher(ws: WebSocket, raw: ByteCounters, greeting: "created" | "joined"): Member;
  join(nickname: string, resume: string | undefined, ws: WebSocket, raw: ByteCounters): JoinResult;
  say(member: Member, text: string): void;
  follow(lesson: string, hash: string): void;
  /** Removes a student (4001); false when no student has that id. */
  remove(participantId: string): boolean;
  /** A member's socket closed: they keep their place for the grace period. */
  disconnected(member: Member, ws: WebSocket): void;
  /** Sends room-closed to everyone, then closes every socket with 1000. */
  close(reason: string): void;
  /** Forgets the room without a word (the server is shutting down and closes the sockets itself). */
  shutdown(): void;
  participants(): Participant[];
  connectedCount(): number;
  memberCount(): number;
}

export interface RoomOptions {
  code: string;
  owner: string;
  limits: RoomLimits;
  onClosed: (room: Room) => void;
}

const foldNickname = (nickname: string): string => nickname.toLowerCase();

export function createRoom(options: RoomOptions): Room {
  const { code, owner, limits } = options;
  const teacherKey = newSecret();
  const members = new Map<string, Member>();
  const byNickname = new Map<string, Member>();
  const history: RoomMessage[] = [];
  let lastMessageId = 0;
  let closed = false;
  let teacherAway: NodeJS.Timeout | null = null;

  // Traffic of sockets that have left, plus the live sockets' counters at sampling time.
  const traffic = { framesIn: 0, framesOut: 0, bytesInGone: 0, bytesOutGone: 0 };
  let statsTimer: NodeJS.Timeout | null = null;
  let statsDirty = false;
  let lastStatsAt = -Infinity;

  const teacher: Member = { id: newParticipantId(), nickname: TEACHER_NICKNAME, role: "teacher", resume: "", conn: null, expiry: null };
  members.set(teacher.id, teacher);
  // The teacher's name is taken like any other, so no student can call themselves "Teacher".
  byNickname.set(foldNickname(teacher.nickname), teacher);

  const participantOf = (m: Member): Participant => ({ id: m.id, nickname: m.nickname, role: m.role, connected: m.conn !== null });

  function sendFrame(member: Member, frame: Buffer): void {
    const ws = member.conn?.ws;
    if (!ws || ws.readyState !== ws.OPEN) return;
    ws.send(frame, { binary: false });
    traffic.framesOut++;
    if (ws.bufferedAmount > limits.sendBufferBytes) {
      // Not reading: a close frame would queue behind everything else, so cut the TCP
      // connection. Its 'close' event marks the member disconnected (room-endpoint.ts).
      ws.terminate();
    }
  }

  const frameOf = (message: ServerMessage): Buffer => Buffer.from(JSON.stringify(message), "utf8");

  function sendTo(member: Member, message: ServerMessage): void {
    sendFrame(member, frameOf(message));
  }

  function broadcast(message: ServerMessage, to: (m: Member) => boolean = () => true): void {
    const frame = frameOf(message);
    // A copy: terminating a slow reader never changes the map, but a member list that is
    // iterated while being changed is a trap for whoever edits this next.
    for (const member of [...members.values()]) if (member.conn && to(member)) sendFrame(member, frame);
  }

  function statsMessage(): ServerMessage {
    let bytesIn = traffic.bytesInGone;
    let bytesOut = traffic.bytesOutGone;
    for (const m of members.values()) {
      if (!m.conn) continue;
      bytesIn += m.conn.raw.bytesRead - m.conn.readBase;
      bytesOut += m.conn.raw.bytesWritten - m.conn.writtenBase;
    }
    return { type: "stats", messages: lastMessageId, framesIn: traffic.framesIn, framesOut: traffic.framesOut, bytesIn, bytesOut };
  }

  // Stats go out at most once a second and only after something happened in the room; the
  // stats frames themselves do not count as something, or an idle room would never go quiet.
  function touch(): void {
    statsDirty = true;
    if (statsTimer || closed) return;
    statsTimer = setTimeout(flushStats, Math.max(0, lastStatsAt + STATS_INTERVAL_MS - performance.now()));
    statsTimer.unref();
  }

  function flushStats(): void {
    statsTimer = null;
    if (!statsDirty || closed) return;
    statsDirty = false;
    lastStatsAt = performance.now();
    broadcast(statsMessage());
  }

  function presence(): void {
    broadcast({ type: "presence", participants: room.participants() });
    touch();
  }

  /** Stops counting a connection: its bytes so far join the room's totals. */
  function retire(conn: Connection): void {
    traffic.bytesInGone += conn.raw.bytesRead - conn.readBase;
    traffic.bytesOutGone += conn.raw.bytesWritten - conn.writtenBase;
  }

  function attach(member: Member, ws: WebSocket, raw: ByteCounters): void {
    if (member.expiry) clearTimeout(member.expiry);
    member.expiry = null;
    const old = member.conn;
    if (old) {
      retire(old);
      member.conn = null;
      if (old.ws.readyState === old.ws.OPEN) old.ws.close(4002, "Replaced by a newer connection of the same person");
    }
    member.conn = { ws, raw, readBase: raw.bytesRead, writtenBase: raw.bytesWritten };
    const count = (): void => {
      if (member.conn?.ws !== ws) return;
      traffic.framesIn++;
      touch();
    };
    ws.on("message", count);
    ws.on("ping", count);
    ws.on("pong", count);
  }

  function forget(member: Member): void {
    if (member.expiry) clearTimeout(member.expiry);
    member.expiry = null;
    members.delete(member.id);
    if (byNickname.get(foldNickname(member.nickname)) === member) byNickname.delete(foldNickname(member.nickname));
  }

  function stopTimers(): void {
    if (teacherAway) clearTimeout(teacherAway);
    teacherAway = null;
    if (statsTimer) clearTimeout(statsTimer);
    statsTimer = null;
    for (const m of members.values()) {
      if (m.expiry) clearTimeout(m.expiry);
      m.expiry = null;
    }
  }

  const room: Room = {
    code,
    teacherKey,
    owner,
    get closed() {
      return closed;
    },

    seatTeacher(ws, raw, greeting) {
      if (teacherAway) clearTimeout(teacherAway);
      teacherAway = null;
      attach(teacher, ws, raw);
      if (greeting === "created") {
        sendTo(teacher, { type: "created", code, teacherKey, you: participantOf(teacher) });
        touch();
      } else {
        // A teacher coming back gets what a student gets: who is here and what was said. Their
        // "resume" is the teacher key, the thing they send to come back again.
        sendTo(teacher, { type: "joined", you: participantOf(teacher), resume: teacherKey, participants: room.participants(), history: [...history] });
        presence();
      }
      return teacher;
    },

    join(nickname, resume, ws, raw) {
      const existing = byNickname.get(foldNickname(nickname));
      let member: Member;
      let resumed = false;
      if (existing) {
        if (existing.role !== "student" || resume === undefined || !sameSecret(resume, existing.resume)) {
          return { ok: false, code: "nickname-taken", message: `Someone in this room is already called ${existing.nickname}; choose another nickname.` };
        }
        member = existing;
        resumed = true;
      } else {
        let students = 0;
        for (const m of members.values()) if (m.role === "student") students++;
        if (students >= limits.maxParticipants) {
          return { ok: false, code: "room-full", message: `This room is full: it holds ${limits.maxParticipants} students.` };
        }
        member = { id: newParticipantId(), nickname, role: "student", resume: newSecret(), conn: null, expiry: null };
        members.set(member.id, member);
        byNickname.set(foldNickname(nickname), member);
      }
      attach(member, ws, raw);
      sendTo(member, { type: "joined", you: participantOf(member), resume: member.resume, participants: room.participants(), history: [...history] });
      presence();
      return { ok: true, member, resumed };
    },

    say(member, text) {
      const message: RoomMessage = { id: ++lastMessageId, from: { id: member.id, nickname: member.nickname, role: member.role }, text, at: Date.now() };
      history.push(message);
      if (history.length > HISTORY_LENGTH) history.shift();
      broadcast({ type: "message", ...message });
      touch();
    },

    follow(lesson, hash) {
      broadcast({ type: "follow", lesson, hash, at: Date.now() }, (m) => m.role === "student");
      touch();
    },

    remove(participantId) {
      const member = members.get(participantId);
      if (!member || member.role !== "student") return false;
      forget(member);
      const conn = member.conn;
      member.conn = null;
      if (conn) {
        retire(conn);
        if (conn.ws.readyState === conn.ws.OPEN) conn.ws.close(4001, "Removed from the room by the teacher");
      }
      presence();
      return true;
    },

    disconnected(member, ws) {
      if (closed || member.conn?.ws !== ws) return; // already replaced, removed or closed
      retire(member.conn);
      member.conn = null;
      if (member.role === "teacher") {
        const minutes = Math.max(1, Math.round(limits.graceMs / 60_000));
        teacherAway = setTimeout(() => room.close(`The teacher has been away for ${minutes} minute${minutes === 1 ? "" : "s"}, so the room is closed.`), limits.graceMs);
        teacherAway.unref();
      } else {
        member.expiry = setTimeout(() => {
          forget(member);
          presence();
        }, limits.graceMs);
        member.expiry.unref();
      }
      presence();
    },

    close(reason) {
      if (closed) return;
      broadcast({ type: "room-closed", reason });
      closed = true;
      stopTimers();
      for (const m of members.values()) {
        const ws = m.conn?.ws;
        if (ws && ws.readyState === ws.OPEN) ws.close(1000, "The room is closed");
      }
      options.onClosed(room);
    },

    shutdown() {
      if (closed) return;
      closed = true;
      stopTimers();
      options.onClosed(room);
    },

    participants() {
      return [...members.values()].map(participantOf);
    },

    connectedCount() {
      let n = 0;
      for (const m of members.values()) if (m.conn) n++;
      return n;
    },

    memberCount: () => members.size,
  };
  return room;
}
