// Helpers for classroom tests over real sockets: a room client that parses everything the lab
// sends with the widgets' own parser (parseServerMessage) and remembers anything it could not
// read, so every test also checks that the lab only ever sends valid protocol messages.
import { WebSocket } from "ws";
import { parseServerMessage, type ServerMessage } from "../../protocol/room-protocol.ts";
import type { Running } from "../test-helpers.ts";

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

export interface RoomClient {
  ws: WebSocket;
  /** Every message received, in order. */
  received: ServerMessage[];
  /** Raw texts of every message received, in order (for byte-level checks). */
  texts: string[];
  /** Messages that did not pass parseServerMessage, or arrived as binary (must stay empty). */
  invalid: string[];
  send(message: unknown): void;
  /** Takes the first not-yet-taken message of `type` matching `match`, waiting for it if need be. */
  take<T extends ServerMessage["type"]>(type: T, match?: (m: Of<T>) => boolean, timeoutMs?: number): Promise<Of<T>>;
  /** Every message of `type` received so far, taken or not. */
  all<T extends ServerMessage["type"]>(type: T): Array<Of<T>>;
  closed: Promise<{ code: number; reason: string }>;
}

const opened: RoomClient[] = [];

/** Every client opened since the last call (for a check that none got an invalid message). */
export function takeOpenedClients(): RoomClient[] {
  return opened.splice(0);
}

/** Opens /lab/room (with `query`, e.g. "?watch=TOKEN" for the wire tap) and resolves once open. */
export function openRoomClient(running: Running, query = ""): Promise<RoomClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${running.port}/lab/room${query}`, { origin: running.origin });
    const received: ServerMessage[] = [];
    const texts: string[] = [];
    const invalid: string[] = [];
    const taken = new Set<number>();
    const waiters = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.once("close", (code, reason) => done({ code, reason: reason.toString() })),
    );
    ws.on("error", () => {});
    ws.on("message", (data, isBinary) => {
      const text = (data as Buffer).toString("utf8");
      const parsed = isBinary ? null : parseServerMessage(text);
      if (parsed) {
        received.push(parsed);
        texts.push(text);
      } else invalid.push(`${isBinary ? "binary" : "unparsable"}: ${text.slice(0, 200)}`);
      for (const wake of [...waiters]) wake();
    });
    const client: RoomClient = {
      ws,
      received,
      texts,
      invalid,
      send: (message) => ws.send(typeof message === "string" ? message : JSON.stringify(message)),
      all: (type) => received.filter((m) => m.type === type) as never,
      take(type, match = () => true, timeoutMs = 5000) {
        const look = (): Of<typeof type> | undefined => {
          const index = received.findIndex((m, i) => !taken.has(i) && m.type === type && match(m as never));
          if (index < 0) return undefined;
          taken.add(index);
          return received[index] as never;
        };
        const found = look();
        if (found) return Promise.resolve(found);
        return new Promise((done, fail) => {
          const timer = setTimeout(() => {
            waiters.delete(wake);
            const counts = new Map<string, number>();
            for (const m of received) counts.set(m.type, (counts.get(m.type) ?? 0) + 1);
            fail(
              new Error(
                `no matching ${type} within ${timeoutMs} ms; got ${[...counts].map(([t, n]) => `${n} ${t}`).join(", ") || "nothing"}`,
              ),
            );
          }, timeoutMs);
          const wake = (): void => {
            const hit = look();
            if (!hit) return;
            clearTimeout(timer);
            waiters.delete(wake);
            done(hit);
          };
          waiters.add(wake);
        });
      },
      closed,
    };
    opened.push(client);
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

/** A teacher's connection with a new room. */
export async function createRoomAsTeacher(
  running: Running,
): Promise<{ teacher: RoomClient; code: string; teacherKey: string; teacherId: string }> {
  const teacher = await openRoomClient(running);
  teacher.send({ type: "create" });
  const created = await teacher.take("created");
  return { teacher, code: created.code, teacherKey: created.teacherKey, teacherId: created.you.id };
}

/** A student's connection that joined `code` as `nickname`. */
export async function joinAsStudent(
  running: Running,
  code: string,
  nickname: string,
  resume?: string,
): Promise<{ student: RoomClient; joined: Of<"joined"> }> {
  const student = await openRoomClient(running);
  student.send(resume === undefined ? { type: "join", code, nickname } : { type: "join", code, nickname, resume });
  const joined = await student.take("joined");
  return { student, joined };
}

export const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
