// Filling a classroom room, side by side with a plain `ws` room the benchmark starts itself
// (reference-server.ts `fanout`: a join gets the member list, everyone else a one-line delta,
// nothing else), each server in its own process, at several room sizes, in one run.
// The lab's room does more per join (nicknames by skeleton, limits, bans, traffic figures once a
// second to everyone): the ratios say what that costs. Members join one after another, each
// waiting for its welcome; the fill ends when every member has heard of every later join.
// Figures: the fill's time and every byte the servers sent to the members (WebSocket payloads).
// Bounded: each fill has a time limit; every server process is killed at the end (its own PID).
import { WebSocket } from "ws";
import { opened, programs, startServer } from "./lab-vs-ws.ts";

export interface FillFigures {
  ms: number;
  bytes: number;
  messages: number;
}

export interface RoomFillResult {
  members: number;
  lab: FillFigures;
  ws: FillFigures;
}

interface Member {
  ws: WebSocket;
  /** Presence deltas about members who joined after this one. */
  heard: number;
}

/** Fills a room of `members` (the first is the teacher who opens it, on the lab) and closes it. */
async function fill(port: number, kind: "lab" | "ws", members: number, timeLimitMs: number): Promise<FillFigures> {
  const origin = `http://127.0.0.1:${port}`;
  const url = `ws://127.0.0.1:${port}${kind === "lab" ? "/lab/room" : "/"}`;
  const joined: Member[] = [];
  let bytes = 0;
  let messages = 0;
  let wake: (() => void) | null = null;
  const deadline = performance.now() + timeLimitMs;
  const until = (done: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (done()) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`room fill (${kind}, ${members} members) did not ${what} within ${timeLimitMs} ms`)),
        Math.max(0, deadline - performance.now()),
      );
      wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const started = performance.now();
  let code = "";
  for (let i = 0; i < members; i++) {
    const ws = new WebSocket(url, { origin, perMessageDeflate: false });
    await opened(ws);
    const member: Member = { ws, heard: 0 };
    let welcomed = false;
    ws.on("message", (data: Buffer) => {
      bytes += data.byteLength;
      messages++;
      // Cheap checks on the bytes: parsing every delta would measure this client, not the servers.
      if (data.includes('"type":"presence"')) member.heard++;
      else if (!welcomed && (data.includes('"type":"joined"') || data.includes('"type":"created"'))) {
        welcomed = true;
        if (i === 0 && kind === "lab") code = /"code":"([A-Z0-9]{6})"/.exec(data.toString())![1]!;
      } else if (data.includes('"type":"error"'))
        throw new Error(`the ${kind} room refused member ${i}: ${data.toString()}`);
      wake?.();
    });
    ws.on("error", () => {});
    if (kind === "lab")
      ws.send(JSON.stringify(i === 0 ? { type: "create" } : { type: "join", code, nickname: `Member ${i}` }));
    else ws.send(JSON.stringify({ type: "join", nickname: i === 0 ? "Teacher" : `Member ${i}` }));
    await until(() => welcomed, "welcome every member");
    joined.push(member);
  }
  await until(() => joined.every((m, i) => m.heard >= members - 1 - i), "tell every member of every later join");
  const ms = performance.now() - started;
  for (const { ws } of joined) ws.terminate();
  // Let the server see every close before the next fill starts.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { ms, bytes, messages };
}

export async function measureRoomFill(
  distDir: string,
  sizes: number[],
  timeLimitMs = 120_000,
): Promise<RoomFillResult[]> {
  const run = await programs(distDir);
  const lab = await startServer("lab", distDir, run);
  const plain = await startServer("fanout", distDir, run);
  try {
    const results: RoomFillResult[] = [];
    for (const members of sizes) {
      // Plain first at one size and the lab first at the next, so a drifting machine weighs on both.
      const first = results.length % 2 === 0;
      const a = await fill(first ? plain.port : lab.port, first ? "ws" : "lab", members, timeLimitMs);
      const b = await fill(first ? lab.port : plain.port, first ? "lab" : "ws", members, timeLimitMs);
      results.push({ members, ws: first ? a : b, lab: first ? b : a });
    }
    return results;
  } finally {
    lab.stop();
    plain.stop();
  }
}
