// Echo round trips over loopback: a ws client sends messages one at a time through the real
// production server to /lab/echo and times each round trip.
import { WebSocket } from "ws";
import { createSiteServer } from "../src/server/site-server.ts";

export interface LatencyResult {
  messages: number;
  medianMs: number;
  p95Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function measureEchoLatency(distDir: string, messages: number): Promise<LatencyResult> {
  const site = createSiteServer({ distDir, lab: { maxMessagesPerSecond: 1_000_000 } });
  const { port } = await site.listen(0, "127.0.0.1");
  const origin = `http://127.0.0.1:${port}`;
  const client = new WebSocket(`ws://127.0.0.1:${port}/lab/echo`, { origin });
  await new Promise((resolve, reject) => {
    client.once("open", resolve);
    client.once("error", reject);
  });
  const times: number[] = [];
  for (let i = 0; i < messages; i++) {
    const started = performance.now();
    const echoed = new Promise((resolve) => client.once("message", resolve));
    client.send(`message ${i}`);
    await echoed;
    times.push(performance.now() - started);
  }
  client.close();
  await site.close();
  times.sort((a, b) => a - b);
  return { messages, medianMs: percentile(times, 50), p95Ms: percentile(times, 95) };
}
