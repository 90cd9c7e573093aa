// Drops dead peers. Every interval the lab pings each socket (RFC 6455 §5.5.2); a socket that
// has not answered the previous ping with a pong (§5.5.3) is terminated. Browsers answer pings
// on their own, so a live page never notices; a laptop that went to sleep is cleaned up.
import type { WebSocket, WebSocketServer } from "ws";

export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const alive = new WeakMap<WebSocket, boolean>();
  wss.on("connection", (socket) => {
    alive.set(socket, true);
    socket.on("pong", () => alive.set(socket, true));
  });
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
