// Which TCP connection carried a request, for lessons 1 and 3: "stateless" HTTP still reuses
// connections (RFC 9112 §9.3). Each socket gets an opaque random id the first time the lab
// sees it (random rather than a counter, so a reader learns nothing about other readers'
// connections), and every request on it a number: 1, 2, 3 … in arrival order. The lab counts
// every request the server receives (static pages too) once it watches the server, so the
// number is the request's real position on its connection; requests the watcher missed are
// counted when the lab first handles them. Both maps are weak: a closed socket leaves nothing.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionInfo {
  id: string;
  /** This request's number on its connection. */
  request: number;
}

export interface ConnectionRegistry {
  /** Numbers `request` on its connection (once; later calls return the same answer). */
  note(request: IncomingMessage): ConnectionInfo;
  /** Counts every request `server` receives; returns a function that stops. */
  watch(server: Server): () => void;
}

export function createConnectionRegistry(): ConnectionRegistry {
  const connections = new WeakMap<Socket, { id: string; requests: number }>();
  const numbered = new WeakMap<IncomingMessage, ConnectionInfo>();

  function note(request: IncomingMessage): ConnectionInfo {
    const known = numbered.get(request);
    if (known) return known;
    let connection = connections.get(request.socket);
    if (!connection) {
      connection = { id: randomBytes(6).toString("base64url"), requests: 0 };
      connections.set(request.socket, connection);
    }
    connection.requests += 1;
    const info = { id: connection.id, request: connection.requests };
    numbered.set(request, info);
    return info;
  }

  return {
    note,
    watch(server) {
      const onRequest = (request: IncomingMessage): void => void note(request);
      server.on("request", onRequest);
      return () => server.off("request", onRequest);
    },
  };
}
