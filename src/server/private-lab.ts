// A private copy of the lab, for the conversations the lab holds with itself (self-runs-http.ts:
// the misbehaving client, the ws:// and wss:// twins). The same code and limits as the real lab,
// on 127.0.0.1 and ports of its own that nothing else is told about, closed after one run.
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Lab } from "./lab-interface.ts";
import { rejectUpgrade } from "./reject-upgrade.ts";
import { refuse } from "./http-lab/respond.ts";
import type { LabSettings } from "./settings.ts";

/** lab.ts's createLab, handed in so that the modules the lab imports do not import the lab. */
export type MakeLab = (settings: Partial<LabSettings>) => Lab;

export interface PrivateLab {
  /** The lab itself, for a server of another kind to hand it connections (lesson 9's h2c server). */
  lab: Lab;
  /** The port each server listens on, in the order given. */
  ports: number[];
  /** Closes the lab (its sockets get 1001) and the servers. */
  close(): Promise<void>;
}

export interface PrivateLabOptions {
  /** A refusal for a request before the lab sees it (the production server's Host check), or null. */
  gate?: (request: IncomingMessage) => { status: number; message: string } | null;
  /** Plain HTTP to a WebSocket endpoint gets the lab's own 426, as on the production server; other requests get 404. */
  answersPlainHttp?: boolean;
}

/** Starts a lab with `settings` behind `servers` (plain HTTP or HTTPS; by default they only carry upgrades). */
export async function startPrivateLab(
  makeLab: MakeLab,
  settings: LabSettings,
  servers: readonly Server[],
  options: PrivateLabOptions = {},
): Promise<PrivateLab> {
  // Its pages are its own: no operator's origins or host names apply.
  const lab = makeLab({ ...settings, allowedOrigins: [], allowedHosts: [] });
  const ports: number[] = [];
  for (const server of servers) {
    server.on("request", (request, response) => {
      const refusal = options.gate?.(request);
      if (refusal) return refuse(request, response, refusal.status, refusal.message, { Connection: "close" });
      const path = new URL(request.url ?? "/", "http://lab.invalid").pathname;
      if (options.answersPlainHttp && lab.speaksOnlyWebSocket(path) && lab.handleHttp(request, response)) return;
      refuse(request, response, 404, "This private copy of the lab answers only at its WebSocket endpoints.");
    });
    server.on("upgrade", (request, socket, head) => {
      const refusal = options.gate?.(request);
      if (refusal) return rejectUpgrade(socket, refusal.status, refusal.message);
      if (!lab.handleUpgrade(request, socket, head))
        rejectUpgrade(socket, 404, "Only /lab/ endpoints accept WebSocket upgrades on this server.");
    });
    lab.watch(server);
    ports.push(
      await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
      }),
    );
  }
  return {
    lab,
    ports,
    async close() {
      await lab.close();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
