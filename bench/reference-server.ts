// One server for bench/lab-vs-ws.ts, in a process of its own so its memory and CPU are its
// own. It runs as plain JavaScript, bundled by lab-vs-ws.ts, as the production server does
// (src/server/server-bundle.ts), so neither process carries Node's TypeScript stripper:
// `node --expose-gc reference-server.mjs ws` runs a plain `ws` echo server (the reference: what
// any WebSocket server built on the same library costs), `... fanout` a plain `ws` room that
// only keeps a member list (a join gets the list, everyone else a one-line delta: the least a
// room can send, for bench/room-fill.ts), `... lab DIST SITE_SERVER_MJS` the
// production server's bundle with the lab, its per-address limits raised because every benchmark client
// comes from 127.0.0.1 (a real class comes from many addresses); the rate limits are raised so
// the benchmark measures work, not refusals. It prints its port as a JSON line, then answers
// each "measure" line on stdin with its resident memory and heap after V8's last-resort
// collection, the one it runs under memory pressure: it also hands back the young generation's
// unused room, which a burst of 10,000 connections grows to tens of MiB and which would
// otherwise be counted as the sockets' memory.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { WebSocketServer, type WebSocket } from "ws";
import type * as SiteServerModule from "../src/server/site-server.ts";

const [kind, distDir, siteServerModule] = process.argv.slice(2);
type CollectGarbage = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;
const gc = (globalThis as { gc?: CollectGarbage }).gc;

async function start(): Promise<number> {
  if (kind === "ws") {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
    wss.on("connection", (ws) => {
      ws.on("error", () => {});
      ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
    await new Promise((resolve) => wss.once("listening", resolve));
    return (wss.address() as { port: number }).port;
  }
  if (kind === "fanout") {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
    const members = new Map<WebSocket, { id: string; nickname: string; role: string; connected: boolean }>();
    let next = 0;
    wss.on("connection", (ws) => {
      ws.on("error", () => {});
      ws.on("close", () => members.delete(ws));
      ws.once("message", (data) => {
        const { nickname } = JSON.parse(String(data)) as { nickname: string };
        const you = { id: String(++next), nickname, role: "student", connected: true };
        members.set(ws, you);
        ws.send(JSON.stringify({ type: "joined", you, participants: [...members.values()] }));
        const delta = JSON.stringify({ type: "presence", change: "joined", participant: you });
        for (const other of members.keys()) if (other !== ws) other.send(delta);
      });
    });
    await new Promise((resolve) => wss.once("listening", resolve));
    return (wss.address() as { port: number }).port;
  }
  if (kind === "lab" && distDir && siteServerModule) {
    // Loaded only here, so the reference process holds nothing of the lab.
    const { createSiteServer } = (await import(pathToFileURL(siteServerModule).href)) as typeof SiteServerModule;
    const site = createSiteServer({
      distDir,
      lab: {
        maxConnectionsPerAddress: 1_000_000,
        maxHttpConnectionsPerAddress: 1_000_000,
        maxMessagesPerSecond: 1_000_000,
        tapEventsPerSecond: 1_000_000,
        // A room of every benchmark client, all from 127.0.0.1.
        roomMaxParticipants: 10_000,
        roomSeatsPerAddress: 10_000,
        roomJoinsPerAddressPerSecond: 1_000_000,
      },
    });
    return (await site.listen(0, "127.0.0.1")).port;
  }
  throw new Error("usage: reference-server.mjs ws | fanout | lab DIST SITE_SERVER_MJS");
}

// An orderly exit on SIGTERM, so `node --cpu-prof` can write its profile when asked to stop.
process.once("SIGTERM", () => process.exit(0));
const port = await start();
console.log(JSON.stringify({ port }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "measure") continue;
  for (let i = 0; i < 3; i++) gc?.({ type: "major", execution: "sync", flavor: "last-resort" });
  const { rss, heapUsed } = process.memoryUsage();
  console.log(JSON.stringify({ rss, heapUsed, collected: gc !== undefined }));
}
