// Attaches the lab to `astro dev`. Only upgrades under /lab/ are taken; every other upgrade
// (Vite's HMR socket above all) is left to the listeners Vite registered, untouched.
import type { AstroIntegration } from "astro";
import { createLab } from "./lab.ts";
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
        httpServer.on("upgrade", (request, socket, head) => {
          // A client resetting a refused upgrade must not take the dev server down.
          if (lab.handleUpgrade(request, socket, head)) socket.on("error", () => socket.destroy());
        });
        server.middlewares.use((request, response, next) => {
          if (!lab.handleHttp(request, response)) next();
        });
        lab.watch(httpServer as import("node:http").Server);
        httpServer.once("close", () => void lab.close());
        logger.info("Lab attached: WebSocket endpoints under /lab/");
      },
    },
  };
}
