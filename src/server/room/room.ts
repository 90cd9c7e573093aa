// One classroom room: who is in it (the teacher and the students, connected or within their
// grace period), the last HISTORY_LENGTH messages, the room's traffic figures, and every frame
// the room sends to its members. It does not parse anything (room-endpoint.ts does) and does
// not decide who may do what (also the endpoint); it keeps the membership rules: nicknames that
// look alike are one name (compared by skeleton, nickname-skeleton.ts), none may look like
// "Teacher"; the room size and seats per client address; resuming a place with the resume
// token; a removed student stays barred (by resume token and by name) until the teacher lets
// them back in; a locked room takes no newcomers (its members can still come back).
//
// The teacher may be in the room from several tabs at once (the projector's /join/ page and the
// lesson they lead from, up to TEACHER_TABS), each proven by the teacher key; a student has one
// connection, and a newer one replaces the older (4002).
//
// Presence goes out as deltas (joined, away, back, left) to everyone but the person concerned;
// only a newcomer gets the whole list, so a join costs O(n) bytes in all, not O(n) per member.
//
// Sending never waits for a socket. Each broadcast is serialised once and handed to every
// member's socket; a member whose socket has more than `sendBufferBytes` unsent (a laptop that
// stopped reading) is terminated on the spot, so one slow reader can neither slow the others
// nor make the lab buffer without bound. Like any disconnected member, they keep their place
// for `graceMs` and can come back with their resume token.
import type { WebSocket } from "ws";
import { nicknameSkeleton, TEACHER_SKELETON } from "../../protocol/nickname-skeleton.ts";
import type {
  BarredParticipant,
  ErrorCode,
  Participant,
  PresenceChange,
  Role,
  RoomMessage,
  ServerMessage,
} from "../../protocol/room-protocol.ts";
import { newParticipantId, newSecret, sameSecret } from "./room-ids.ts";

export const HISTORY_LENGTH = 50;
export const STATS_INTERVAL_MS = 1000;
export const TEACHER_NICKNAME = "Teacher";
/** Connections the teacher may hold at once; a newer one beyond it replaces the oldest (4002). */
export const TEACHER_TABS = 4;
/** The teacher's tally of a class prediction goes out at most this often while students answer. */
export const TALLY_INTERVAL_MS = 200;

export interface RoomLimits {
  maxParticipants: number;
  /** Student seats one client address may hold (connected or within their grace period). */
  seatsPerAddress: number;
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
  /** What the nickname looks like (for comparing; never shown). */
  readonly skeleton: string;
  /** The client address that took the seat (seats per address are counted by it). */
  readonly address: string;
  /** A student's resume token (the teacher's proof is the room's teacher key). */
  readonly resume: string;
  /** Open connections: at most one for a student, TEACHER_TABS for the teacher. */
  conns: Connection[];
  expiry: NodeJS.Timeout | null;
}

export type JoinResult =
  { ok: true; member: Member; resumed: boolean } | { ok: false; code: ErrorCode; message: string };

export interface Room {
  readonly code: string;
  readonly teacherKey: string;
  /** The address that created the room (rooms per address are counted by it). */
  readonly owner: string;
  readonly closed: boolean;
  readonly locked: boolean;
  /** Seats the teacher on `ws` (beside their other tabs, replacing the oldest beyond TEACHER_TABS) and greets that connection. */
  seatTeacher(ws: WebSocket, raw: ByteCounters, greeting: "created" | "joined"): Member;
  join(nickname: string, resume: string | undefined, address: string, ws: WebSocket, raw: ByteCounters): JoinResult;
  say(member: Member, text: string): void;
  follow(lesson: string, hash: string): void;
  /** Removes a student (4001) and bars them; false when no student has that id. */
  remove(participantId: string): boolean;
  /** Lifts a removed student's bar; false when nobody barred has that id. */
  readmit(participantId: string): boolean;
  /** Refuses new joins (members keep their seats and may come back) or accepts them again. */
  lock(locked: boolean): void;
  /** Opens a class prediction (replacing any earlier one) and sends it to everyone. */
  ask(lesson: string, card: string, question: string, choices: string[]): void;
  /** Closes answering and shows everyone the tally; false when no prediction is open. */
  reveal(): boolean;
  /** A student's answer; false when the prediction is not the open one or the choice does not exist. */
  predict(member: Member, poll: number, choice: number): boolean;
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

export function createRoom(options: RoomOptions): Room {
  const { code, owner, limits } = options;
  const teacherKey = newSecret();
  const members = new Map<string, Member>();
  /** Members by nickname skeleton: one name per look. */
  const byNickname = new Map<string, Member>();
  const barred = new Map<string, BarredParticipant & { skeleton: string; resume: string }>();
  let locked = false;
  /** The class prediction: its question and every student's latest answer, by member id. */
  let poll: {
    id: number;
    lesson: string;
    card: string;
    question: string;
    choices: string[];
    open: boolean;
    answers: Map<string, number>;
  } | null = null;
  let lastPollId = 0;
  let tallyTimer: NodeJS.Timeout | null = null;
  const history: RoomMessage[] = [];
  let lastMessageId = 0;
  let closed = false;
  let teacherAway: NodeJS.Timeout | null = null;

  // Traffic of sockets that have left, plus the live sockets' counters at sampling time.
  const traffic = { framesIn: 0, framesOut: 0, bytesInGone: 0, bytesOutGone: 0 };
  let statsTimer: NodeJS.Timeout | null = null;
  let statsDirty = false;
  let lastStatsAt = -Infinity;

  const teacher: Member = {
    id: newParticipantId(),
    nickname: TEACHER_NICKNAME,
    skeleton: TEACHER_SKELETON,
    role: "teacher",
    address: owner,
    resume: "",
    conns: [],
    expiry: null,
  };
  members.set(teacher.id, teacher);
  byNickname.set(teacher.skeleton, teacher);

  const participantOf = (m: Member): Participant => ({
    id: m.id,
    nickname: m.nickname,
    role: m.role,
    connected: m.conns.length > 0,
  });

  function sendFrame(member: Member, frame: Buffer): void {
    for (const conn of [...member.conns]) sendOn(conn.ws, frame);
  }

  function sendOn(ws: WebSocket, frame: Buffer): void {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame, { binary: false });
    traffic.framesOut++;
    if (ws.bufferedAmount > limits.sendBufferBytes) {
      // Not reading: a close frame would queue behind everything else, so cut the TCP
      // connection. Its 'close' event marks the member disconnected (room-endpoint.ts).
      ws.terminate();
    }
  }

  const frameOf = (message: ServerMessage): Buffer => Buffer.from(JSON.stringify(message), "utf8");

  function broadcast(message: ServerMessage, to: (m: Member) => boolean = () => true): void {
    const frame = frameOf(message);
    // A copy: terminating a slow reader never changes the map, but a member list that is
    // iterated while being changed is a trap for whoever edits this next.
    for (const member of [...members.values()]) if (member.conns.length > 0 && to(member)) sendFrame(member, frame);
  }

  function statsMessage(): ServerMessage {
    let bytesIn = traffic.bytesInGone;
    let bytesOut = traffic.bytesOutGone;
    for (const m of members.values()) {
      for (const conn of m.conns) {
        bytesIn += conn.raw.bytesRead - conn.readBase;
        bytesOut += conn.raw.bytesWritten - conn.writtenBase;
      }
    }
    return {
      type: "stats",
      messages: lastMessageId,
      framesIn: traffic.framesIn,
      framesOut: traffic.framesOut,
      bytesIn,
      bytesOut,
    };
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

  function presence(change: PresenceChange, member: Member): void {
    broadcast({ type: "presence", change, participant: participantOf(member) }, (m) => m !== member);
    touch();
  }

  const pollMessage = (): Extract<ServerMessage, { type: "poll" }> | null =>
    poll
      ? {
          type: "poll",
          id: poll.id,
          lesson: poll.lesson,
          card: poll.card,
          question: poll.question,
          choices: poll.choices,
          open: poll.open,
        }
      : null;

  function tallyMessage(): ServerMessage | null {
    if (!poll) return null;
    const counts = poll.choices.map(() => 0);
    for (const choice of poll.answers.values()) counts[choice]!++;
    let students = 0;
    for (const m of members.values()) if (m.role === "student") students++;
    return { type: "tally", poll: poll.id, counts, answered: poll.answers.size, students };
  }

  /** The teacher's live tally: at most one every TALLY_INTERVAL_MS, however fast answers come. */
  function tallySoon(): void {
    if (tallyTimer || !poll?.open) return;
    tallyTimer = setTimeout(() => {
      tallyTimer = null;
      const tally = tallyMessage();
      if (tally && poll?.open) sendFrame(teacher, frameOf(tally));
    }, TALLY_INTERVAL_MS);
    tallyTimer.unref();
  }

  const roomStateFrame = (): Buffer =>
    frameOf({ type: "room-state", locked, barred: [...barred.values()].map(({ id, nickname }) => ({ id, nickname })) });

  /** To every tab of the teacher. */
  function sendRoomState(): void {
    sendFrame(teacher, roomStateFrame());
  }

  /** Why a nickname with this skeleton (and `resume`, from `address`) may not take a new seat, or null. */
  function refusal(
    skeleton: string,
    resume: string | undefined,
    address: string,
  ): Extract<JoinResult, { ok: false }> | null {
    if (skeleton.includes(TEACHER_SKELETON))
      return {
        ok: false,
        code: "invalid-nickname",
        message: `A nickname that looks like “${TEACHER_NICKNAME}” would let you pass for the teacher; choose another.`,
      };
    for (const bar of barred.values()) {
      if ((resume !== undefined && sameSecret(resume, bar.resume)) || bar.skeleton === skeleton) {
        return {
          ok: false,
          code: "removed",
          message: `The teacher removed ${bar.nickname} from this room; only the teacher can let them back in.`,
        };
      }
    }
    if (locked)
      return {
        ok: false,
        code: "room-locked",
        message: "The teacher has locked this room: nobody new can join. Ask the teacher to unlock it.",
      };
    let students = 0;
    let fromAddress = 0;
    for (const m of members.values()) {
      if (m.role !== "student") continue;
      students++;
      if (m.address === address) fromAddress++;
    }
    if (students >= limits.maxParticipants)
      return {
        ok: false,
        code: "room-full",
        message: `This room is full: it holds ${limits.maxParticipants} students.`,
      };
    if (fromAddress >= limits.seatsPerAddress) {
      return {
        ok: false,
        code: "seats-per-address",
        message: `This network address already holds ${limits.seatsPerAddress} seats in this room, the most one address may hold. Seats of people who left are freed ${Math.round(limits.graceMs / 1000)} s after they go.`,
      };
    }
    return null;
  }

  /** Stops counting a connection: its bytes so far join the room's totals. */
  function retire(conn: Connection): void {
    traffic.bytesInGone += conn.raw.bytesRead - conn.readBase;
    traffic.bytesOutGone += conn.raw.bytesWritten - conn.writtenBase;
  }

  function attach(member: Member, ws: WebSocket, raw: ByteCounters): void {
    if (member.expiry) clearTimeout(member.expiry);
    member.expiry = null;
    const most = member.role === "teacher" ? TEACHER_TABS : 1;
    while (member.conns.length >= most) {
      const old = member.conns.shift()!;
      retire(old);
      if (old.ws.readyState === old.ws.OPEN) old.ws.close(4002, "Replaced by a newer connection of the same person");
    }
    member.conns.push({ ws, raw, readBase: raw.bytesRead, writtenBase: raw.bytesWritten });
    const count = (): void => {
      if (!member.conns.some((c) => c.ws === ws)) return;
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
    if (byNickname.get(member.skeleton) === member) byNickname.delete(member.skeleton);
    // Someone who left no longer counts in an open question (a revealed tally stays as it was).
    if (poll?.open) {
      poll.answers.delete(member.id);
      tallySoon();
    }
  }

  function stopTimers(): void {
    if (teacherAway) clearTimeout(teacherAway);
    teacherAway = null;
    if (tallyTimer) clearTimeout(tallyTimer);
    tallyTimer = null;
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
    get locked() {
      return locked;
    },

    seatTeacher(ws, raw, greeting) {
      if (teacherAway) clearTimeout(teacherAway);
      teacherAway = null;
      const wasAway = teacher.conns.length === 0;
      attach(teacher, ws, raw);
      if (greeting === "created") {
        sendOn(ws, frameOf({ type: "created", code, teacherKey, you: participantOf(teacher) }));
        touch();
      } else {
        // A teacher coming back (or opening another tab) gets what a student gets: who is here
        // and what was said. Their "resume" is the teacher key, what they send to come back.
        sendOn(
          ws,
          frameOf({
            type: "joined",
            you: participantOf(teacher),
            resume: teacherKey,
            participants: room.participants(),
            history: [...history],
          }),
        );
        if (wasAway) presence("back", teacher);
      }
      sendOn(ws, roomStateFrame());
      const asked = pollMessage();
      const tally = tallyMessage();
      if (asked && tally) for (const message of [asked, tally]) sendOn(ws, frameOf(message));
      return teacher;
    },

    join(nickname, resume, address, ws, raw) {
      const skeleton = nicknameSkeleton(nickname);
      const existing = byNickname.get(skeleton);
      let member: Member;
      let resumed = false;
      if (existing && existing.role === "student" && resume !== undefined && sameSecret(resume, existing.resume)) {
        member = existing;
        resumed = true;
      } else {
        const refused = refusal(skeleton, resume, address);
        if (refused) return refused;
        if (existing) {
          const same = existing.nickname.toLowerCase() === nickname.toLowerCase();
          return {
            ok: false,
            code: "nickname-taken",
            message: same
              ? `Someone in this room is already called ${existing.nickname}; choose another nickname.`
              : `“${nickname}” looks too much like ${existing.nickname}, who is already in this room; choose a nickname nobody could mistake.`,
          };
        }
        member = {
          id: newParticipantId(),
          nickname,
          skeleton,
          role: "student",
          address,
          resume: newSecret(),
          conns: [],
          expiry: null,
        };
        members.set(member.id, member);
        byNickname.set(skeleton, member);
      }
      attach(member, ws, raw);
      sendOn(
        ws,
        frameOf({
          type: "joined",
          you: participantOf(member),
          resume: member.resume,
          participants: room.participants(),
          history: [...history],
        }),
      );
      presence(resumed ? "back" : "joined", member);
      // A newcomer sees the question being asked (and, once revealed, how the class answered);
      // someone coming back (a new page, a blip) also gets their own answer.
      const asked = pollMessage();
      const yours = poll?.answers.get(member.id);
      if (asked) sendOn(ws, frameOf(yours === undefined ? asked : { ...asked, yours }));
      if (poll && !poll.open) sendOn(ws, frameOf(tallyMessage()!));
      if (!resumed) tallySoon(); // the number of students changed
      return { ok: true, member, resumed };
    },

    say(member, text) {
      const message: RoomMessage = {
        id: ++lastMessageId,
        from: { id: member.id, nickname: member.nickname, role: member.role },
        text,
        at: Date.now(),
      };
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
      barred.set(member.id, {
        id: member.id,
        nickname: member.nickname,
        skeleton: member.skeleton,
        resume: member.resume,
      });
      for (const conn of member.conns.splice(0)) {
        retire(conn);
        if (conn.ws.readyState === conn.ws.OPEN) conn.ws.close(4001, "Removed from the room by the teacher");
      }
      presence("left", member);
      sendRoomState();
      return true;
    },

    readmit(participantId) {
      if (!barred.delete(participantId)) return false;
      sendRoomState();
      return true;
    },

    lock(value) {
      locked = value;
      sendRoomState();
      touch();
    },

    ask(lesson, card, question, choices) {
      poll = { id: ++lastPollId, lesson, card, question, choices, open: true, answers: new Map() };
      broadcast(pollMessage()!);
      sendFrame(teacher, frameOf(tallyMessage()!));
      touch();
    },

    reveal() {
      if (!poll?.open) return false;
      poll.open = false;
      if (tallyTimer) clearTimeout(tallyTimer);
      tallyTimer = null;
      broadcast(pollMessage()!);
      broadcast(tallyMessage()!);
      touch();
      return true;
    },

    predict(member, pollId, choice) {
      if (!poll?.open || poll.id !== pollId || choice >= poll.choices.length || member.role !== "student") return false;
      poll.answers.set(member.id, choice);
      tallySoon();
      return true;
    },

    disconnected(member, ws) {
      const index = member.conns.findIndex((c) => c.ws === ws);
      if (closed || index < 0) return; // already replaced, removed or closed
      retire(member.conns.splice(index, 1)[0]!);
      if (member.conns.length > 0) return; // still here in another tab
      if (member.role === "teacher") {
        const minutes = Math.max(1, Math.round(limits.graceMs / 60_000));
        teacherAway = setTimeout(
          () =>
            room.close(
              `The teacher has been away for ${minutes} minute${minutes === 1 ? "" : "s"}, so the room is closed.`,
            ),
          limits.graceMs,
        );
        teacherAway.unref();
      } else {
        member.expiry = setTimeout(() => {
          forget(member);
          presence("left", member);
        }, limits.graceMs);
        member.expiry.unref();
      }
      presence("away", member);
    },

    close(reason) {
      if (closed) return;
      broadcast({ type: "room-closed", reason });
      closed = true;
      stopTimers();
      for (const m of members.values()) {
        for (const { ws } of m.conns) if (ws.readyState === ws.OPEN) ws.close(1000, "The room is closed");
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
      for (const m of members.values()) if (m.conns.length > 0) n++;
      return n;
    },

    memberCount: () => members.size,
  };
  return room;
}
