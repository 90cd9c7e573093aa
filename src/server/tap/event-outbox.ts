// The way out to one monitor, with the two limits that keep a slow or flooded monitor from
// costing the server memory: a rate (tapEventsPerSecond, a token bucket with a burst of two
// seconds' worth) that applies to chunk events, and a cap on the bytes ws still has queued for
// the monitor (tapMonitorBufferBytes) that applies to every event. An event over either limit
// is not queued anywhere: it is counted and forgotten. Once the monitor has caught up (its
// queue is under the cap and the rate allows one more event), a `dropped` event reports how
// many events were left out and how many bytes of the specimen's traffic they described
// (request, response and chunk lengths; 0 for the others).
//
// Rare events that explain the connection (open, request, response, close, command, error) are
// not rate-limited: a burst of chunks must not hide how the connection ended.
import type { WebSocket } from "ws";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { createTokenBucket } from "../rate-limit.ts";
import { serverNow } from "./server-clock.ts";

export interface OutboxLimits {
  eventsPerSecond: number;
  bufferBytes: number;
}

export interface Outbox {
  send(event: TapEvent): void;
  /** Events counted as dropped and not yet reported. */
  readonly pending: { events: number; bytes: number };
  close(): void;
}

/** How often a monitor with unreported drops is checked for having caught up. */
const CATCH_UP_CHECK_MS = 50;

function describedBytes(event: TapEvent): number {
  if (event.type === "chunk") return event.length;
  if (event.type === "request" || event.type === "response") return Buffer.byteLength(event.data, "base64");
  return 0;
}

export function createOutbox(ws: WebSocket, limits: OutboxLimits): Outbox {
  const bucket = createTokenBucket(limits.eventsPerSecond);
  const pending = { events: 0, bytes: 0 };
  let timer: NodeJS.Timeout | null = null;

  const open = (): boolean => ws.readyState === ws.OPEN;
  const backedUp = (): boolean => ws.bufferedAmount > limits.bufferBytes;

  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function report(): void {
    if (pending.events === 0 || !open()) return stopTimer();
    if (backedUp() || !bucket.take(performance.now())) return;
    ws.send(JSON.stringify({ type: "dropped", t: serverNow(), events: pending.events, bytes: pending.bytes } satisfies TapEvent));
    pending.events = 0;
    pending.bytes = 0;
    stopTimer();
  }

  return {
    pending,
    send(event) {
      if (!open()) return;
      if (pending.events > 0) report();
      const over = backedUp() || (event.type === "chunk" && !bucket.take(performance.now()));
      if (over) {
        pending.events++;
        pending.bytes += describedBytes(event);
        if (!timer) {
          timer = setInterval(report, CATCH_UP_CHECK_MS);
          timer.unref();
        }
        return;
      }
      ws.send(JSON.stringify(event));
    },
    close: stopTimer,
  };
}
