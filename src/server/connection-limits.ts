// Caps on the production server's TCP connections, plain HTTP and upgraded ones alike (a
// WebSocket keeps the connection it was upgraded on). Every connection holds a file descriptor,
// and a process has a fixed number of them: without a cap, one client opening a thousand idle
// connections (or trickling a thousand request bodies) leaves none for anybody's page or
// stylesheet. So one address may hold at most `perAddress`, and the server at most `total`,
// which by default keeps a reserve of descriptors for the files it serves. A connection over a
// cap is not counted; its request gets a short answer saying why (429 for the address, 503 for
// the server, site-server.ts) and it is closed within REFUSED_GRACE_MS either way.
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { createAddressCount } from "./address-count.ts";

export interface ConnectionCaps {
  perAddress: number;
  total: number;
}

/** Descriptors kept back for files being served, logs and the process itself. */
const RESERVED_DESCRIPTORS = 64;

/**
 * The default server-wide cap: the process's open-file limit (Node raises the soft limit to the
 * hard one at start-up) less a reserve, read from /proc on Linux; 4096 elsewhere.
 */
export function defaultConnectionCap(limitsFile = "/proc/self/limits"): number {
  try {
    const line = readFileSync(limitsFile, "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft && /^\d+$/.test(soft)) return Math.max(64, Number(soft) - RESERVED_DESCRIPTORS);
  } catch {
    /* not Linux, or no /proc: fall through */
  }
  return 4096;
}

export interface ConnectionRefusal {
  status: 429 | 503;
  message: string;
}

export interface ConnectionLimiter {
  /** Why this connection is over a cap (its request is answered with this, then it closes); null when it is within them. */
  refusalOf(socket: Socket): ConnectionRefusal | null;
  stop(): void;
}

/** How long a refused connection may stay open to send the request its refusal answers. */
const REFUSED_GRACE_MS = 2000;

/** Counts `server`'s connections per client address and marks those over the caps. */
export function limitConnections(server: Server, caps: ConnectionCaps): ConnectionLimiter {
  const perAddress = createAddressCount();
  const refused = new WeakMap<Socket, ConnectionRefusal>();
  let total = 0;
  const onConnection = (socket: Socket): void => {
    const address = socket.remoteAddress ?? "unknown";
    const held = perAddress.of(address);
    const refusal: ConnectionRefusal | null =
      held >= caps.perAddress
        ? {
            status: 429,
            message: `This address already has ${caps.perAddress} connections open to this server; close some (other tabs, other programs) and try again.`,
          }
        : total >= caps.total
          ? {
              status: 503,
              message: "This server has as many connections open as it can hold; try again in a few seconds.",
            }
          : null;
    if (refusal) {
      // Not counted, and not kept: the request it sends (a browser sends one at once) is answered
      // with the refusal; one that sends nothing is closed soon, so it never holds a descriptor long.
      refused.set(socket, refusal);
      setTimeout(() => socket.destroy(), REFUSED_GRACE_MS).unref();
      return;
    }
    total++;
    perAddress.add(address);
    socket.on("close", onClose);
  };
  // Shared (`this` is the socket): Node keeps the peer's address once it has been read, so the
  // socket needs no closure of its own to be counted out.
  function onClose(this: Socket): void {
    total--;
    perAddress.remove(this.remoteAddress ?? "unknown");
  }
  server.prependListener("connection", onConnection);
  return {
    refusalOf: (socket) => refused.get(socket) ?? null,
    stop: () => server.off("connection", onConnection),
  };
}
