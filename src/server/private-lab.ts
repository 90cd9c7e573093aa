// A private copy of the lab, for the conversations the lab holds with itself (self-runs-http.ts:
// the misbehaving client, the ws:// and wss:// twins). The same code and limits as the real lab,
// on 127.0.0.1 and ports of its own that nothing else is told about, closed after one run.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Lab } from "./lab.ts";
import type { LabSettings } from "./settings.ts";

/** lab.ts's createLab, handed in so that the modules the lab imports do not import the lab. */
export type MakeLab = (settings: Partial<LabSettings>) => Lab;

export interface PrivateLab {
  /** The port each server listens on, in the order given. */
  ports: number[];
  /** Closes the lab (its sockets get 1001) and the servers. */
  close(): Promise<void>;
}

/** Starts a lab with `settings` behind `servers` (plain HTTP or HTTPS; they only carry upgrades). */
export async function startPrivateLab(makeLab: MakeLab, settings: LabSettings, servers: readonly Server[]): Promise<PrivateLab> {
  // Its pages are its own: no operator's origins or host names apply.
  const lab = makeLab({ ...settings, allowedOrigins: [], allowedHosts: [] });
  const ports: number[] = [];
  for (const server of servers) {
    server.on("request", (_request, response) => response.writeHead(404).end());
    server.on("upgrade", (request, socket, head) => {
      if (!lab.handleUpgrade(request, socket, head)) socket.destroy();
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
