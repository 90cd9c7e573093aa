// Helpers for server tests over real sockets: a production server on 127.0.0.1:0 with a tiny
// static root, raw HTTP upgrade requests written by hand, and ws clients.
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { createSiteServer, type SiteServer } from "./site-server.ts";
import type { LabSettings } from "./settings.ts";

export interface Running {
  site: SiteServer;
  port: number;
  origin: string;
  /** The tiny static root it serves (a test may add files). */
  distDir: string;
  stop(): Promise<void>;
}

export async function startSite(lab: Partial<LabSettings> = {}): Promise<Running> {
  const dist = await mkdtemp(join(tmpdir(), "sp-dist-"));
  await mkdir(join(dist, "lessons", "start-here"), { recursive: true });
  await writeFile(join(dist, "index.html"), "<!doctype html><title>home</title>");
  await writeFile(join(dist, "404.html"), "<!doctype html><title>not found</title>");
  await writeFile(join(dist, "lessons", "start-here", "index.html"), "<!doctype html><title>lesson</title>");
  const site = createSiteServer({ distDir: dist, lab });
  const { port } = await site.listen(0, "127.0.0.1");
  return {
    site,
    port,
    origin: `http://127.0.0.1:${port}`,
    distDir: dist,
    async stop() {
      await site.close();
      await rm(dist, { recursive: true, force: true });
    },
  };
}

/** Opens a ws client and resolves once it is open (or rejects with the HTTP status it got). */
export function openClient(url: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once("error", reject);
  });
}

export function nextMessage(socket: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) =>
    socket.once("message", (data, isBinary) => resolve({ data: data as Buffer, isBinary })),
  );
}

export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Sends raw bytes on a fresh TCP connection and collects everything until the server closes. */
export function rawExchange(
  port: number,
  request: string,
  timeoutMs = 5000,
): Promise<{ response: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let response = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closedByServer: false });
    }, timeoutMs);
    socket.on("data", (chunk) => (response += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ response, closedByServer: true });
    });
    socket.write(request);
  });
}

export function upgradeRequest(path: string, headers: Record<string, string | undefined>): string {
  const all: Record<string, string | undefined> = {
    Host: "127.0.0.1",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
    ...headers,
  };
  const lines = Object.entries(all)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}
