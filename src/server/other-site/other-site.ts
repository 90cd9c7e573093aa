// Lesson 8's "other site": a second origin the production server serves on a port of its own,
// standing for any page on the web. It serves one page (the build's dist/other-site/, written by
// src/pages/other-site.astro) and the assets it needs, and nothing else; the main site does not
// serve that page at all, so it only ever runs from a foreign origin. Its script tries to open a
// WebSocket to the lab with the reader's cookie; the lab refuses it by Origin (RFC 6455 §10.2).
//
// Its pages may connect to ws: addresses (the lab is the same host name on another port); the
// rest of the policy, the Host check and the timeouts are the main site's.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHostPolicy } from "../host-check.ts";
import { answerGateRefusal } from "../gate-refusal.ts";
import { createStaticHandler } from "../static-files.ts";
import type { LabSettings } from "../settings.ts";

/** Where the build writes the other site's page, under dist/. */
export const OTHER_SITE_PAGE = "/other-site/";

/** The main site's paths: everything but the other site's page. */
export function mainSiteRoute(pathname: string): string | null {
  return pathname === OTHER_SITE_PAGE.slice(0, -1) || pathname.startsWith(OTHER_SITE_PAGE) ? null : pathname;
}

/** The other site's paths: its page at /, and the build's assets and icon. */
export function otherSiteRoute(pathname: string): string | null {
  if (pathname === "/" || pathname === "/index.html") return OTHER_SITE_PAGE;
  if (pathname.startsWith("/_astro/") || pathname === "/favicon.svg") return pathname;
  return null;
}

export interface OtherSite {
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createOtherSite(options: { distDir: string; settings: LabSettings }): OtherSite {
  const serve = createStaticHandler(options.distDir, { route: otherSiteRoute, connectSources: ["ws:"] });
  let checkHost = createHostPolicy({ listenHost: "127.0.0.1", allowedHosts: options.settings.allowedHosts });
  const server = createServer(
    { headersTimeout: options.settings.handshakeTimeoutMs, requestTimeout: options.settings.httpRequestTimeoutMs },
    (request, response) => {
      const host = checkHost(request.headers.host);
      if (!host.ok) return answerGateRefusal(request, response, host);
      serve(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        response.end("The server could not read this file.\n");
      });
    },
  );
  // It carries no WebSockets: an upgrade here is a plain request for a page.
  server.on("upgrade", (_request, socket) => socket.destroy());
  return {
    server,
    listen(port, host) {
      checkHost = createHostPolicy({ listenHost: host, allowedHosts: options.settings.allowedHosts });
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
