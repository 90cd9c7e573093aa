// The production server: one Node process that serves the static build and the lab. Plain
// HTTP requests go to the lab (/lab/info, /lab/http/whoami, the push race under /lab/race) or
// to the static files; upgrades under /lab/ go to the lab, and any other upgrade is answered
// with 404 instead of being left hanging.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLab, type Lab } from "./lab.ts";
import { rejectUpgrade } from "./reject-upgrade.ts";
import type { LabSettings } from "./settings.ts";
import { createStaticHandler } from "./static-files.ts";

export interface SiteServer {
  server: Server;
  lab: Lab;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createSiteServer(options: { distDir: string; lab?: Partial<LabSettings> }): SiteServer {
  const lab = createLab(options.lab);
  const serveStatic = createStaticHandler(options.distDir);
  const server = createServer({ connectionsCheckingInterval: 1000, headersTimeout: lab.settings.handshakeTimeoutMs }, (request, response) => {
    if (lab.handleHttp(request, response)) return;
    serveStatic(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("The server could not read this file.\n");
    });
  });
  server.on("upgrade", (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    if (lab.handleUpgrade(request, socket, head)) return;
    rejectUpgrade(socket, 404, "Only /lab/ endpoints accept WebSocket upgrades on this server.");
  });
  lab.watch(server);

  return {
    server,
    lab,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close() {
      await lab.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
