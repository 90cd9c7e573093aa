// The production server: one Node process that serves the static build and the lab. Plain
// HTTP requests go to the lab (/lab/info, /lab/http/whoami, the push race under /lab/race) or
// to the static files; upgrades under /lab/ go to the lab, and any other upgrade is answered
// with 404 instead of being left hanging.
//
// Before any of that, every request and upgrade passes the same two checks: its connection is
// within the connection caps (connection-limits.ts: 429 or 503), and its Host is a name this
// server answers for (host-check.ts: 421, the DNS rebinding defence). A request must arrive
// whole within httpRequestTimeoutMs (a body trickled a byte at a time gets 408), its head within
// handshakeTimeoutMs. Every response says X-Content-Type-Options: nosniff.
//
// listenHttps adds an https:// (and wss://) listener in front of the same HTTP server
// (tls/https-listener.ts), so both sides share these checks, caps and the lab. Of its
// connections, only a reader's own wss:// upgrade to /lab/echo?record=TOKEN keeps its raw TLS
// bytes (for lesson 7, tls/own-connections.ts); every other one's are dropped at its first request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { limitConnections } from "./connection-limits.ts";
import { createHostPolicy } from "./host-check.ts";
import { createLab } from "./lab.ts";
import type { Lab } from "./lab-interface.ts";
import { rejectUpgrade } from "./reject-upgrade.ts";
import type { LabSettings } from "./settings.ts";
import { isValidToken } from "../protocol/tap-events.ts";
import { createHttpsListener, type HttpsListener } from "./tls/https-listener.ts";
import { createStaticHandler } from "./static-files.ts";
import { createOtherSite, mainSiteRoute, type OtherSite } from "./other-site/other-site.ts";
import { answerGateRefusal } from "./gate-refusal.ts";

export interface SiteServer {
  server: Server;
  lab: Lab;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Also serves the site and the lab over https:// and wss:// with this certificate. */
  listenHttps(port: number, host: string, certificate: { cert: string; key: string }): Promise<AddressInfo>;
  /** Also serves lesson 8's other site (other-site/other-site.ts) there, a second origin; /lab/info tells pages its port. */
  listenOtherSite(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** Raw TLS bytes kept per https:// connection until it shows what it is (tls/raw-capture.ts): a reader's conversation in lesson 7 takes about 5 KB. */
export const OWN_CAPTURE_BYTES = 64 * 1024;

/** Shared by every upgrade request's socket (`this` is the socket): no closure per socket. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

export function createSiteServer(options: { distDir: string; lab?: Partial<LabSettings> }): SiteServer {
  const lab = createLab(options.lab);
  const settings = lab.settings;
  const serveStatic = createStaticHandler(options.distDir, { route: mainSiteRoute });
  let otherSite: OtherSite | null = null;
  // Replaced by listen() with the address actually listened on.
  let checkHost = createHostPolicy({ listenHost: "127.0.0.1", allowedHosts: settings.allowedHosts });

  let https: HttpsListener | null = null;

  /** A reader's own wss:// connection to /lab/echo?record=TOKEN keeps its raw TLS bytes; any other connection's are dropped. */
  const keepOrRelease = (request: IncomingMessage, upgrade: boolean): void => {
    const capture = https?.captureOf(request.socket);
    if (!capture) return;
    const url = new URL(request.url ?? "/", "http://lab.invalid");
    const token = url.searchParams.get("record");
    if (upgrade && url.pathname === "/lab/echo" && token !== null && isValidToken(token))
      lab.ownConnections.keep(token, request.socket.remoteAddress ?? "unknown", capture);
    else capture.release();
  };

  /** The refusal a request gets before anything else looks at it, or null. */
  const gate = (request: IncomingMessage): { status: number; message: string } | null => {
    const overCap = limiter.refusalOf(request.socket as Socket);
    if (overCap) return overCap;
    const host = checkHost(request.headers.host);
    return host.ok ? null : host;
  };

  const server = createServer(
    {
      connectionsCheckingInterval: 1000,
      headersTimeout: settings.handshakeTimeoutMs,
      requestTimeout: Math.max(settings.httpRequestTimeoutMs, settings.handshakeTimeoutMs),
    },
    (request: IncomingMessage, response: ServerResponse) => {
      response.setHeader("X-Content-Type-Options", "nosniff");
      keepOrRelease(request, false);
      const refusal = gate(request);
      if (refusal) return answerGateRefusal(request, response, refusal);
      if (lab.handleHttp(request, response)) return;
      serveStatic(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        response.end("The server could not read this file.\n");
      });
    },
  );
  const limiter = limitConnections(server, {
    perAddress: settings.maxHttpConnectionsPerAddress,
    total: settings.maxHttpConnections,
  });
  server.on("upgrade", (request, socket, head) => {
    socket.on("error", destroyOnError);
    const refusal = gate(request);
    keepOrRelease(request, refusal === null);
    if (refusal) return rejectUpgrade(socket, refusal.status, refusal.message);
    if (lab.handleUpgrade(request, socket, head)) {
      // An upgraded socket's errors are ws's to handle (it adds its listener during the
      // upgrade, which completes synchronously): a second listener would cost every open
      // WebSocket an array of listeners for as long as it lives.
      if (socket.listenerCount("error") > 1) socket.off("error", destroyOnError);
      return;
    }
    rejectUpgrade(socket, 404, "Only /lab/ endpoints accept WebSocket upgrades on this server.");
  });
  lab.watch(server);

  return {
    server,
    lab,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        checkHost = createHostPolicy({ listenHost: host, allowedHosts: settings.allowedHosts });
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    listenHttps(port, host, certificate) {
      https ??= createHttpsListener(server, {
        ...certificate,
        handshakeTimeoutMs: settings.handshakeTimeoutMs,
        handshakesPerAddress: settings.maxHttpConnectionsPerAddress,
        handshakesTotal: settings.maxHttpConnections,
        captureBytes: OWN_CAPTURE_BYTES,
      });
      return https.listen(port, host);
    },
    async listenOtherSite(port, host) {
      otherSite ??= createOtherSite({ distDir: options.distDir, settings });
      const address = await otherSite.listen(port, host);
      lab.announceOtherSite(address.port);
      return address;
    },
    async close() {
      limiter.stop();
      await otherSite?.close();
      await https?.close();
      await lab.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
