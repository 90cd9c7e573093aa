// Classroom broadcast through the real production server over loopback: a teacher and
// `students` simulated students (a class at the room's size limit) in a worker thread, the
// students taking turns to post; every message is timed from send to receipt at every
// participant. Also the server's heap per connection: the main thread's heapUsed (the server's
// heap alone, since the clients live in the worker) before and after the class connects.
// Bounded: a fixed number of messages and an overall time limit, after which it gives up.
import { Worker } from "node:worker_threads";
import { createSiteServer } from "../src/server/site-server.ts";
import type { ClientsInput, FromWorker, ToWorker } from "./room-broadcast-clients.ts";

export interface RoomBroadcastResult {
  participants: number;
  messages: number;
  receipts: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  heapPerConnectionBytes: number;
  /** True when `global.gc` was available (node --expose-gc), so heap figures are after a collection. */
  collected: boolean;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return process.memoryUsage().heapUsed;
}

export async function measureRoomBroadcast(
  distDir: string,
  options: { students?: number; messages?: number; intervalMs?: number; timeLimitMs?: number } = {},
): Promise<RoomBroadcastResult> {
  const students = options.students ?? 60;
  const messages = options.messages ?? 300;
  const intervalMs = options.intervalMs ?? 10;
  const timeLimitMs = options.timeLimitMs ?? 30_000;
  // Everyone connects from 127.0.0.1 here, unlike a real class, so the per-address limits
  // (connections, seats, joins, messages across sockets) are raised to fit; the room size and
  // each connection's say rate are the production defaults.
  const site = createSiteServer({
    distDir,
    lab: {
      maxConnectionsPerAddress: students + 8,
      roomMaxParticipants: students,
      roomSeatsPerAddress: students,
      roomJoinsPerAddressPerSecond: 1000,
      roomSayPerAddressPerSecond: 10_000,
    },
  });
  const { port } = await site.listen(0, "127.0.0.1");
  const worker = new Worker(new URL("./room-broadcast-clients.ts", import.meta.url), {
    workerData: { port, students, messages, intervalMs } satisfies ClientsInput,
  });
  const inbox: FromWorker[] = [];
  const waiters = new Set<() => void>();
  worker.on("message", (m: FromWorker) => {
    inbox.push(m);
    for (const wake of [...waiters]) wake();
  });
  const deadline = performance.now() + timeLimitMs;
  const next = <P extends FromWorker["phase"]>(phase: P): Promise<Extract<FromWorker, { phase: P }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`the room benchmark did not reach "${phase}" within ${timeLimitMs} ms`)),
        Math.max(0, deadline - performance.now()),
      );
      const onError = (error: Error): void => done(error);
      const wake = (): void => {
        const failed = inbox.find((m) => m.phase === "failed");
        if (failed) return done(new Error(`room benchmark client: ${(failed as { error: string }).error}`));
        const found = inbox.find((m) => m.phase === phase);
        if (found) done(null, found);
      };
      function done(error: Error | null, value?: FromWorker): void {
        clearTimeout(timer);
        waiters.delete(wake);
        worker.off("error", onError);
        if (error) reject(error);
        else resolve(value as never);
      }
      worker.on("error", onError);
      waiters.add(wake);
      wake();
    });
  const tell = (message: ToWorker): void => worker.postMessage(message);

  try {
    await next("ready");
    const before = heapUsed();
    tell({ go: "connect" });
    const { participants } = await next("connected");
    const after = heapUsed();
    tell({ go: "send" });
    const done = await next("done");
    if (done.invalid > 0) throw new Error(`${done.invalid} room messages did not pass parseServerMessage`);
    if (done.latenciesMs.length < done.expected)
      throw new Error(`only ${done.latenciesMs.length} of ${done.expected} receipts arrived`);
    tell({ go: "close" });
    await next("closed");
    const sorted = [...done.latenciesMs].sort((a, b) => a - b);
    return {
      participants,
      messages,
      receipts: sorted.length,
      medianMs: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: sorted.at(-1)!,
      heapPerConnectionBytes: Math.max(0, (after - before) / participants),
      collected: typeof (globalThis as { gc?: unknown }).gc === "function",
    };
  } finally {
    await worker.terminate();
    await site.close();
  }
}
