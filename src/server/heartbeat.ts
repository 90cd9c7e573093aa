// Drops dead peers. The lab pings each socket one interval after it opened, and every interval
// after that (RFC 6455 §5.5.2); a socket that has not answered the previous ping with a pong
// (§5.5.3) by then is terminated. Browsers answer pings on their own, so a live page never
// notices; a laptop that went to sleep is cleaned up.
//
// Each socket keeps its own clock rather than one timer pinging every socket at once: with a
// shared tick, a page that connected a moment before it would see the lab's ping arrive right
// after its handshake, at a different moment on every visit, in the middle of a lesson's first
// frames. With a clock per socket, the first ping always comes one interval after the opening.
import type { WebSocket, WebSocketServer } from "ws";

export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const timers = new Set<ReturnType<typeof setInterval>>();
  const onConnection = (socket: WebSocket): void => {
    let alive = true;
    socket.on("pong", () => {
      alive = true;
    });
    const timer = setInterval(() => {
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, intervalMs);
    timer.unref();
    timers.add(timer);
    socket.once("close", () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };
  wss.on("connection", onConnection);
  return () => {
    wss.off("connection", onConnection);
    for (const timer of timers) clearInterval(timer);
    timers.clear();
  };
}
