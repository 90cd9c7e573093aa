// The lab measured side by side with a plain `ws` echo server that this benchmark starts
// itself (bench/reference-server.ts), each in its own process, in one run:
//   - echo with the tap: `clients` echo clients, each watched by its own monitor (the lab's wire
//     tap reporting every read and write), each sending its next message as soon as the last
//     one came back; messages per second and round-trip percentiles. The plain server has no
//     tap: the ratio is what the lab's gate, limits and tap cost. Both servers run side by side
//     and are measured in alternating rounds of `seconds` each (ws, lab, lab, ws, ...), the
//     figures pooled over the rounds: a machine whose speed drifts (a shared VM does, by a
//     quarter within a minute) then weighs on both alike instead of on whichever ran second.
//   - idle sockets: `idle` open WebSockets held idle; the server's resident memory (after V8's
//     last-resort collection, see reference-server.ts) with all of them open.
// Bounded: fixed durations; every server process is killed at the end (its own PID).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { access } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { SERVER_BUNDLE_DIR } from "../src/server/server-bundle.ts";
import { createInterface } from "node:readline";
import { WebSocket } from "ws";
import { generateToken } from "../src/protocol/tap-events.ts";

export interface EchoFigures {
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LabVsWsResult {
  clients: number;
  /** Seconds of each round; `rounds` rounds per server. */
  seconds: number;
  rounds: number;
  lab: EchoFigures;
  ws: EchoFigures;
  idle: number;
  labIdleRssBytes: number;
  wsIdleRssBytes: number;
  /** Both servers measured after a forced collection. */
  collected: boolean;
}

export interface ServerProcess {
  port: number;
  measure(): Promise<{ rss: number; heapUsed: number; collected: boolean }>;
  stop(): void;
}

export interface Programs {
  /** bench/reference-server.ts as plain JavaScript. */
  referenceServer: string;
  /** The production server's bundle (dist-server/site-server.mjs). */
  siteServer: string;
}

/** Both servers as plain JavaScript: the reference server bundled here, the lab as `astro build` bundled it. */
export async function programs(distDir: string): Promise<Programs> {
  const root = dirname(distDir);
  const referenceServer = join(root, ".tmp", "reference-server.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./reference-server.ts", import.meta.url))],
    outfile: referenceServer,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning",
  });
  const siteServer = join(root, SERVER_BUNDLE_DIR, "site-server.mjs");
  await access(siteServer).catch(() => {
    throw new Error(`${siteServer} is missing: run npm run build first`);
  });
  return { referenceServer, siteServer };
}

export async function startServer(
  kind: "ws" | "fanout" | "lab",
  distDir: string,
  run: Programs,
): Promise<ServerProcess> {
  // Started from the project's root, so the bundles' imports of packages find node_modules.
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ["--expose-gc", run.referenceServer, kind, distDir, run.siteServer],
    { stdio: "pipe", cwd: dirname(distDir) },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the ${kind} server exited: ${stderr.slice(0, 500)}`);
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  const { port } = (await next()) as { port: number };
  return {
    port,
    async measure() {
      child.stdin.write("measure\n");
      return (await next()) as { rss: number; heapUsed: number; collected: boolean };
    },
    stop: () => void child.kill("SIGKILL"),
  };
}

export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface EchoRound {
  /** Round-trip times in milliseconds, one per message echoed. */
  times: number[];
  seconds: number;
}

/** `clients` closed-loop echo clients for `seconds`; with `tap`, each watched by its own monitor. */
async function echoLoad(port: number, clients: number, seconds: number, tap: boolean): Promise<EchoRound> {
  const origin = `http://127.0.0.1:${port}`;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < clients; i++) {
    let path = "/lab/echo";
    if (tap) {
      const token = generateToken();
      const monitor = new WebSocket(`ws://127.0.0.1:${port}/lab/monitor?watch=${token}`, {
        origin,
        perMessageDeflate: false,
      });
      await opened(monitor);
      // Read and discard: a monitor that read nothing would have its events dropped, costing less.
      monitor.on("message", () => {});
      sockets.push(monitor);
      path = `/lab/echo?watch=${token}`;
    }
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { origin, perMessageDeflate: false });
    await opened(ws);
    sockets.push(ws);
  }
  const echoes = sockets.filter((_, i) => !tap || i % 2 === 1);
  const times: number[] = [];
  let running = true;
  const payload = "a 32-byte message from a reader.";
  await new Promise<void>((resolve) => {
    setTimeout(() => {
      running = false;
      resolve();
    }, seconds * 1000);
    for (const ws of echoes) {
      let sentAt = performance.now();
      ws.on("message", () => {
        times.push(performance.now() - sentAt);
        if (!running) return;
        sentAt = performance.now();
        ws.send(payload);
      });
      ws.send(payload);
    }
  });
  for (const ws of sockets) {
    ws.on("error", () => {});
    ws.terminate();
  }
  return { times, seconds };
}

function pooled(rounds: EchoRound[]): EchoFigures {
  const times = rounds.flatMap((round) => round.times).sort((a, b) => a - b);
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  return { messagesPerSecond: times.length / seconds, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

/** Opens `count` idle echo sockets and returns the server's resident memory with them open. */
async function idleSockets(server: ServerProcess, count: number): Promise<{ rss: number; collected: boolean }> {
  const origin = `http://127.0.0.1:${server.port}`;
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < count; i += 250) {
      const batch = Array.from(
        { length: Math.min(250, count - i) },
        () => new WebSocket(`ws://127.0.0.1:${server.port}/lab/echo`, { origin, perMessageDeflate: false }),
      );
      sockets.push(...batch);
      await Promise.all(batch.map(opened));
    }
    const { rss, collected } = await server.measure();
    return { rss, collected };
  } finally {
    // The server goes first (its process is killed by the caller), so the closing handshakes
    // and TIME_WAIT stay on its side and these ports are free again at once; the resets that
    // follow are expected.
    for (const ws of sockets) ws.on("error", () => {});
  }
}

export async function measureLabVsWs(
  distDir: string,
  options: { clients?: number; seconds?: number; rounds?: number; idle?: number } = {},
): Promise<LabVsWsResult> {
  const clients = options.clients ?? 100;
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 4;
  const idle = options.idle ?? 10_000;
  const figures: Partial<LabVsWsResult> = { clients, seconds, rounds, idle, collected: true };
  const run = await programs(distDir);
  const servers = { ws: await startServer("ws", distDir, run), lab: await startServer("lab", distDir, run) };
  const echoRounds: Record<"ws" | "lab", EchoRound[]> = { ws: [], lab: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      // ws, lab, then lab, ws: each server runs first as often as second.
      const order = round % 2 === 0 ? (["ws", "lab"] as const) : (["lab", "ws"] as const);
      for (const kind of order) {
        echoRounds[kind].push(await echoLoad(servers[kind].port, clients, seconds, kind === "lab"));
        // The server just dropped `clients` connections (and the lab as many monitors): let it
        // finish with them before the next round measures the other one.
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    servers.ws.stop();
    servers.lab.stop();
  }
  figures.ws = pooled(echoRounds.ws);
  figures.lab = pooled(echoRounds.lab);
  for (const kind of ["ws", "lab"] as const) {
    const server = await startServer(kind, distDir, run);
    try {
      const { rss, collected } = await idleSockets(server, idle);
      figures[kind === "lab" ? "labIdleRssBytes" : "wsIdleRssBytes"] = rss;
      figures.collected &&= collected;
    } finally {
      server.stop();
    }
  }
  return figures as LabVsWsResult;
}
