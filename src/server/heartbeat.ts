// Drops dead peers. The lab pings each socket one interval after it opened, and every interval
// after that (RFC 6455 §5.5.2); a socket that has not answered the previous ping with a pong
// (§5.5.3) by then is terminated. Browsers answer pings on their own, so a live page never
// notices; a laptop that went to sleep is cleaned up.
//
// Each socket keeps its own clock rather than one tick pinging every socket at once: with a
// shared tick, a page that connected a moment before it would see the lab's ping arrive right
// after its handshake, at a different moment on every visit, in the middle of a lesson's first
// frames. With a clock per socket, the first ping always comes one interval after the opening.
//
// The clocks are a timing wheel, not a timer per socket: the interval is cut into SLOTS slots
// and one timer visits a slot at a time, so an idle socket costs a place in a set instead of a
// timer and its closures (thousands of idle sockets are what a classroom leaves behind). A
// socket joins the slot the timer visits next, after that visit, so its first ping comes between
// one interval and one interval plus a slot (1/SLOTS of it) after it opened: never early.
//
// The owner calls forget() when a socket closes (the lab does it from the one close listener it
// gives each socket, since every extra listener on an event costs each socket an array); a
// socket found closed on a visit is dropped too.
import type { WebSocket, WebSocketServer } from "ws";

const SLOTS = 32;

export interface Heartbeat {
  /** A socket that closed: no more pings, and no reference kept. */
  forget(socket: WebSocket): void;
  stop(): void;
}

export function startHeartbeat(wss: WebSocketServer, intervalMs: number): Heartbeat {
  const slots = Array.from({ length: SLOTS }, () => new Set<WebSocket>());
  /** Sockets waiting to join each slot once the timer's next visit to it is over. */
  const joining = Array.from({ length: SLOTS }, () => new Set<WebSocket>());
  const awaitingPong = new WeakSet<WebSocket>();
  let next = 0;

  const slotMs = intervalMs / SLOTS;
  const started = performance.now();
  let visits = 0;
  let timer: NodeJS.Timeout;
  // Each visit is scheduled from the start, not from the last visit, so the delays of a busy
  // event loop do not add up over the 32 visits of an interval.
  const schedule = (): void => {
    timer = setTimeout(visit, Math.max(0, started + (visits + 1) * slotMs - performance.now()));
    timer.unref();
  };
  const visit = (): void => {
    visits++;
    const slot = slots[next]!;
    for (const socket of slot) {
      if (socket.readyState !== socket.OPEN) {
        slot.delete(socket);
        continue;
      }
      if (awaitingPong.has(socket)) {
        socket.terminate();
        continue;
      }
      awaitingPong.add(socket);
      socket.ping();
    }
    for (const socket of joining[next]!) slot.add(socket);
    joining[next]!.clear();
    next = (next + 1) % SLOTS;
    schedule();
  };
  schedule();

  // A shared listener (`this` is the socket), so a socket adds no closure of its own.
  function onPong(this: WebSocket): void {
    awaitingPong.delete(this);
  }
  const onConnection = (socket: WebSocket): void => {
    joining[next]!.add(socket);
    socket.on("pong", onPong);
  };
  wss.on("connection", onConnection);
  return {
    forget(socket) {
      for (let i = 0; i < SLOTS; i++) {
        slots[i]!.delete(socket);
        joining[i]!.delete(socket);
      }
    },
    stop() {
      wss.off("connection", onConnection);
      clearTimeout(timer);
      for (const set of [...slots, ...joining]) set.clear();
    },
  };
}
