// A client that opens a TCP connection and then sends nothing, or only part of a request head,
// would hold a socket forever. Every new connection gets `timeoutMs` to deliver a complete
// request head (an ordinary request or an upgrade); after that the socket is destroyed. Later
// requests on a kept-alive connection are covered by Node's own headersTimeout.
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";

export function watchHandshakes(server: Server, timeoutMs: number): () => void {
  const pending = new Map<Socket, NodeJS.Timeout>();

  const settle = (socket: Socket): void => {
    const timer = pending.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    pending.delete(socket);
    socket.off("close", onClose);
  };
  // Shared (`this` is the socket) and removed once the head arrived: a connection that lives on
  // as a WebSocket keeps nothing of this watch.
  function onClose(this: Socket): void {
    settle(this);
  }
  const onConnection = (socket: Socket): void => {
    const timer = setTimeout(() => {
      pending.delete(socket);
      socket.destroy();
    }, timeoutMs);
    pending.set(socket, timer);
    socket.on("close", onClose);
  };
  const onRequest = (request: IncomingMessage): void => settle(request.socket);

  server.on("connection", onConnection);
  server.on("request", onRequest);
  server.on("upgrade", onRequest);
  return () => {
    server.off("connection", onConnection);
    server.off("request", onRequest);
    server.off("upgrade", onRequest);
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  };
}
