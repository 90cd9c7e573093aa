// The simulated class for bench/room-broadcast.ts, run in a worker thread so the clients' memory
// stays out of the server's heap figures: a teacher creates a room, `students` ws clients join
// it, then the students take turns posting `messages` messages and every receipt (at every
// participant, the sender included) is timed from the moment its message was sent. Both ends
// of each measurement are on this thread's clock.
import { parentPort, workerData } from "node:worker_threads";
import { WebSocket } from "ws";
import { parseServerMessage, type ServerMessage } from "../src/protocol/room-protocol.ts";

export interface ClientsInput {
  port: number;
  students: number;
  messages: number;
  intervalMs: number;
}

export type ToWorker = { go: "connect" } | { go: "send" } | { go: "close" };
export type FromWorker =
  | { phase: "ready" }
  | { phase: "connected"; participants: number }
  | { phase: "done"; latenciesMs: number[]; expected: number; invalid: number }
  | { phase: "closed" }
  | { phase: "failed"; error: string };

const input = workerData as ClientsInput;
const port = parentPort!;
const origin = `http://127.0.0.1:${input.port}`;
const url = `ws://127.0.0.1:${input.port}/lab/room`;
const sockets: WebSocket[] = [];
const sentAt = new Map<number, number>();
const latencies: number[] = [];
let invalid = 0;
let onReceipt: (() => void) | null = null;

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin, perMessageDeflate: false });
    sockets.push(ws);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode} for ${url}`)));
  });
}

/** Sends `request` and resolves with the first answer of type `type` (an error answer rejects). */
function ask<T extends ServerMessage["type"]>(
  ws: WebSocket,
  request: unknown,
  type: T,
): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const listen = (data: Buffer): void => {
      const message = parseServerMessage(data.toString());
      if (message?.type === "error") reject(new Error(`${message.code}: ${message.message}`));
      else if (message?.type !== type) return;
      else resolve(message as never);
      ws.off("message", listen);
    };
    ws.on("message", listen);
    ws.send(JSON.stringify(request));
  });
}

function time(ws: WebSocket): void {
  ws.on("message", (data: Buffer) => {
    const message = parseServerMessage(data.toString());
    if (!message) invalid++;
    if (message?.type !== "message") return;
    const sent = sentAt.get(Number(message.text.split(" ", 1)[0]));
    if (sent === undefined) return;
    latencies.push(performance.now() - sent);
    onReceipt?.();
  });
}

async function connect(): Promise<number> {
  const teacher = await open();
  const { code } = await ask(teacher, { type: "create" }, "created");
  time(teacher);
  const students: WebSocket[] = [];
  // In small batches: a whole class does not press "Join" in the same millisecond either.
  for (let i = 0; i < input.students; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, input.students - i) }, async (_, j) => {
        const ws = await open();
        await ask(ws, { type: "join", code, nickname: `Student ${i + j + 1}` }, "joined");
        return ws;
      }),
    );
    students.push(...batch);
  }
  for (const ws of students) time(ws);
  return students.length + 1;
}

async function send(): Promise<void> {
  const students = sockets.slice(1);
  const expected = input.messages * sockets.length;
  const allIn = new Promise<void>((resolve) => {
    onReceipt = () => latencies.length >= expected && resolve();
  });
  for (let i = 0; i < input.messages; i++) {
    // Students take turns, so each stays well under the room's per-connection `say` rate.
    sentAt.set(i, performance.now());
    students[i % students.length]!.send(JSON.stringify({ type: "say", text: `${i} message from the bench` }));
    await new Promise((resolve) => setTimeout(resolve, input.intervalMs));
  }
  await allIn;
  port.postMessage({ phase: "done", latenciesMs: latencies, expected, invalid } satisfies FromWorker);
}

port.on("message", (message: ToWorker) => {
  const step =
    message.go === "connect"
      ? connect().then((participants) => port.postMessage({ phase: "connected", participants } satisfies FromWorker))
      : message.go === "send"
        ? send()
        : Promise.all(
            sockets.map(
              (ws) =>
                new Promise<void>((done) =>
                  ws.readyState === ws.CLOSED ? done() : (ws.once("close", () => done()), ws.close()),
                ),
            ),
          ).then(() => port.postMessage({ phase: "closed" } satisfies FromWorker));
  step.catch((error: unknown) => port.postMessage({ phase: "failed", error: String(error) } satisfies FromWorker));
});
port.postMessage({ phase: "ready" } satisfies FromWorker);
