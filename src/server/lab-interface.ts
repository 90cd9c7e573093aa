// What the rest of the server may ask of a lab (lab.ts builds one). Kept apart from lab.ts so
// the private copies of the lab (private-lab.ts, h2/h2c-server.ts), which lab.ts itself starts
// through the self-runs, can name the type without importing lab.ts back in a circle.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import type { Duplex } from "node:stream";
import type { HttpLab } from "./http-lab/http-lab.ts";
import type { Rooms } from "./room/rooms.ts";
import type { LabSettings } from "./settings.ts";
import type { TapHub } from "./tap/tap-hub.ts";
import type { OwnConnections } from "./tls/own-connections.ts";

export interface Lab {
  readonly settings: LabSettings;
  /** Readers' own wss:// connections recorded below TLS, kept for lesson 7 (tls/own-connections.ts). */
  readonly ownConnections: OwnConnections;
  /** Handles an upgrade under /lab/ and returns true; returns false for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * Handles a WebSocket opened over HTTP/2 by extended CONNECT (RFC 8441) on a stream of an h2c
   * server (h2/h2c-server.ts): the same gate and endpoints as an HTTP/1.1 upgrade, answered with
   * 200 instead of 101 and without a key or accept (§5). Only the stateless endpoints (echo).
   */
  handleExtendedConnect(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void;
  /** Tells pages (through /lab/info) the port of lesson 8's other site, which the production server serves. */
  announceOtherSite(port: number): void;
  /** True for the endpoints that speak WebSocket only (plain HTTP to them gets 426). */
  speaksOnlyWebSocket(path: string): boolean;
  /** Handles plain HTTP under /lab/ (GET /lab/info, whoami, the push race) and returns true; false otherwise. */
  handleHttp(request: IncomingMessage, response: ServerResponse): boolean;
  /** Watches an HTTP server's new connections for stalled handshakes. */
  watch(server: Server): void;
  /** Closes every lab socket with 1001 Going Away and stops the timers. */
  close(reason?: string): Promise<void>;
  /** Open lab sockets right now, monitors included (for tests and the operator). */
  connectionCount(): number;
  /** Open monitors, the most bytes one has queued, and events dropped but not yet reported. */
  tapStats(): ReturnType<TapHub["stats"]>;
  /** Plain-HTTP exchanges still open (held polls, streams, delayed answers) and races held. */
  httpStats(): ReturnType<HttpLab["stats"]>;
  /** Classroom rooms held, their members (connected or within the grace period) and connected ones. */
  roomStats(): ReturnType<Rooms["stats"]>;
}
