// Attaches the lab to `astro dev`. Only upgrades under /lab/ are taken; every other upgrade
// (Vite's HMR socket above all) is left to the listeners Vite registered, untouched. Vite checks
// the Host of the pages it serves (its allowedHosts); the lab's upgrades get the production
// server's Host check (host-check.ts), since Vite's does not cover them.
import type { AstroIntegration } from "astro";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHostPolicy, type HostVerdict } from "./host-check.ts";
import { createLab, LAB_PREFIX } from "./lab.ts";
import { rejectUpgrade } from "./reject-upgrade.ts";
import { labSettingsFromEnv } from "./settings.ts";

export function labIntegration(): AstroIntegration {
  return {
    name: "switching-protocols-lab",
    hooks: {
      "astro:server:setup": ({ server, logger }) => {
        const httpServer = server.httpServer;
        if (!httpServer) {
          logger.warn("The dev server has no HTTP server (middleware mode); the lab is not attached.");
          return;
        }
        const lab = createLab(labSettingsFromEnv(process.env));
        let policy: ((host: string | undefined) => HostVerdict) | null = null;
        // Made at the first upgrade, when the server listens and its address is known.
        const checkHost = (host: string | undefined): HostVerdict => {
          policy ??= createHostPolicy({
            listenHost: (httpServer.address() as AddressInfo | null)?.address ?? "127.0.0.1",
            allowedHosts: lab.settings.allowedHosts,
          });
          return policy(host);
        };
        httpServer.on("upgrade", (request, socket, head) => {
          if (!request.url?.startsWith(LAB_PREFIX)) return;
          // A client resetting a refused upgrade must not take the dev server down.
          socket.on("error", () => socket.destroy());
          const host = checkHost(request.headers.host);
          if (!host.ok) return rejectUpgrade(socket, host.status, host.message);
          lab.handleUpgrade(request, socket, head);
        });
        server.middlewares.use((request, response, next) => {
          if (!lab.handleHttp(request, response)) next();
        });
        lab.watch(httpServer as Server);
        httpServer.once("close", () => void lab.close());
        logger.info("Lab attached: WebSocket endpoints under /lab/");
      },
    },
  };
}
