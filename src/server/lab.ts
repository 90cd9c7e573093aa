// The lab: WebSocket endpoints under /lab/ that the lesson widgets connect to, plus a small
// JSON description of its limits at GET /lab/info. The same module serves the Astro dev server
// (src/server/astro-lab-integration.ts) and the production server (src/server/site-server.ts).
//
// Every upgrade goes through the same gate, in this order:
//   unknown /lab/ path → 404 · foreign or missing Origin → 403 (RFC 6455 §10.2)
//   too many sockets from one address → 429 · otherwise `ws` completes the handshake (§4.2.2).
// Compression is off (no permessage-deflate) so frames stay readable and compression side
// channels stay closed. Messages above maxMessageBytes close with 1009; a connection sending
// faster than maxMessagesPerSecond closes with 1008; a peer that stops answering pings is
// dropped; a connection that never finishes its request head is cut after handshakeTimeoutMs.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { checkOrigin } from "./origin.ts";
import { rejectUpgrade } from "./reject-upgrade.ts";
import { createTokenBucket } from "./rate-limit.ts";
import { watchHandshakes } from "./handshake-timeout.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { defaultLabSettings, type LabSettings } from "./settings.ts";
import { echo } from "./endpoints/echo.ts";

export const LAB_PREFIX = "/lab/";

type Endpoint = (socket: WebSocket, request: IncomingMessage) => void;

const endpoints: Record<string, Endpoint> = {
  "/lab/echo": echo,
};

export interface Lab {
  readonly settings: LabSettings;
  /** Handles an upgrade under /lab/ and returns true; returns false for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Handles plain HTTP under /lab/ (GET /lab/info) and returns true; false otherwise. */
  handleHttp(request: IncomingMessage, response: ServerResponse): boolean;
  /** Watches an HTTP server's new connections for stalled handshakes. */
  watch(server: Server): void;
  /** Closes every lab socket with 1001 Going Away and stops the timers. */
  close(reason?: string): Promise<void>;
  /** Open lab sockets right now (for tests and the operator). */
  connectionCount(): number;
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? "/", "http://lab.invalid").pathname;
  } catch {
    return "/";
  }
}

export function createLab(overrides: Partial<LabSettings> = {}): Lab {
  const settings: LabSettings = { ...defaultLabSettings, ...overrides };
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: settings.maxMessageBytes,
    clientTracking: true,
  });
  const perAddress = new Map<string, number>();
  const stopHeartbeat = startHeartbeat(wss, settings.heartbeatIntervalMs);
  const unwatchers: Array<() => void> = [];

  function track(address: string, socket: WebSocket): void {
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    socket.once("close", () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  }

  function limitRate(socket: WebSocket): void {
    const bucket = createTokenBucket(settings.maxMessagesPerSecond);
    // Registered before the endpoint's own listener, so an over-rate message is never handled.
    socket.on("message", () => {
      if (!bucket.take(performance.now()) && socket.readyState === socket.OPEN) {
        socket.close(1008, `More than ${settings.maxMessagesPerSecond} messages per second`);
      }
    });
  }

  return {
    settings,

    handleUpgrade(request, socket, head) {
      const path = pathOf(request);
      if (!path.startsWith(LAB_PREFIX)) return false;
      const endpoint = endpoints[path];
      if (!endpoint) {
        rejectUpgrade(socket, 404, `There is no lab endpoint at ${path}. Known endpoints: ${Object.keys(endpoints).join(", ")}.`);
        return true;
      }
      const verdict = checkOrigin(request.headers.origin, request.headers.host, settings.allowedOrigins);
      if (!verdict.allowed) {
        rejectUpgrade(socket, 403, verdict.reason);
        return true;
      }
      const address = request.socket.remoteAddress ?? "unknown";
      if ((perAddress.get(address) ?? 0) >= settings.maxConnectionsPerAddress) {
        rejectUpgrade(socket, 429, `This address already has ${settings.maxConnectionsPerAddress} lab connections open; close some and try again.`, { "Retry-After": "5" });
        return true;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        // ws reports protocol violations (oversized or malformed frames, bad UTF-8) as an
        // 'error' and closes with the matching code itself; without a listener the error
        // would be thrown and take the whole server down for everyone.
        ws.on("error", () => {});
        track(address, ws);
        wss.emit("connection", ws, request);
        limitRate(ws);
        endpoint(ws, request);
      });
      return true;
    },

    handleHttp(request, response) {
      const path = pathOf(request);
      if (path !== "/lab/info") return false;
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("Use GET.\n");
        return true;
      }
      const body = JSON.stringify({
        endpoints: Object.keys(endpoints),
        maxMessageBytes: settings.maxMessageBytes,
        maxMessagesPerSecond: settings.maxMessagesPerSecond,
        handshakeTimeoutMs: settings.handshakeTimeoutMs,
        heartbeatIntervalMs: settings.heartbeatIntervalMs,
        compression: false,
      });
      response.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Length": Buffer.byteLength(body),
      });
      response.end(request.method === "HEAD" ? undefined : body);
      return true;
    },

    watch(server) {
      unwatchers.push(watchHandshakes(server, settings.handshakeTimeoutMs));
    },

    async close(reason = "The lab server is shutting down") {
      stopHeartbeat();
      for (const unwatch of unwatchers.splice(0)) unwatch();
      const closing = [...wss.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.readyState === client.CLOSED) return resolve();
            const force = setTimeout(() => client.terminate(), 1000);
            client.once("close", () => {
              clearTimeout(force);
              resolve();
            });
            client.close(1001, reason);
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },

    connectionCount() {
      return wss.clients.size;
    },
  };
}
