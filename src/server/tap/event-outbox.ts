// The way out to one monitor, with the two limits that keep a slow or flooded monitor from
// costing the server memory: a rate (tapEventsPerSecond, a token bucket with a burst of two
// seconds' worth) that applies to chunk events, and a cap on the bytes ws still has queued for
// the monitor (tapMonitorBufferBytes) that applies to every event. An event over either limit
// is never written: a chunk is offered as a record pointing at its bytes, and one that is
// refused costs a count and nothing else (no copy, no queue). Once the monitor has caught up
// (its queue is under the cap and the rate allows one more event), a
// `dropped` event reports how many events were left out and how many bytes of the specimen's
// traffic they described (request, response and chunk lengths; 0 for the others).
//
// Events are batched: the events accepted within FLUSH_MS of the first one go out together in
// one binary message (protocol/tap-batch.ts: chunks' bytes copied raw behind a fixed header,
// other events as JSON), or sooner once the batch holds BATCH_BYTES. A busy monitor (its last
// batch, sent within the last BUSY_FLUSH_MS, held BUSY_BATCH_EVENTS or more) waits
// BUSY_FLUSH_MS instead: nobody follows hundreds of events a second one by one, and fewer,
// larger messages cost the lab and the page less, while a reader sending a message now and
// then still sees it within FLUSH_MS. Each
// send to a monitor is a write to its socket; without batching, every message a tapped reader
// sent would cost the lab three writes (the echo and two events) instead of one, and the page
// one message event per read and write. FLUSH_MS is far below what a reader can see (the
// events carry the lab's own timestamps, so nothing is drawn late).
//
// Rare events that explain the connection (open, request, response, close, command, error) are
// not rate-limited: a burst of chunks must not hide how the connection ended.
import type { WebSocket } from "ws";
import { createTapBatchWriter, type ChunkRecord } from "../../protocol/tap-batch.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { createTokenBucket } from "../rate-limit.ts";
import { serverNow } from "./server-clock.ts";

export interface OutboxLimits {
  eventsPerSecond: number;
  bufferBytes: number;
}

export interface Outbox {
  /** An event that is never rate-limited (only the buffer cap applies). */
  send(event: TapEvent): void;
  /** A chunk event, its bytes copied into the batch only if it will be sent; the record itself is not kept. */
  offerChunk(chunk: ChunkRecord): void;
  /** Events counted as dropped and not yet reported. */
  readonly pending: { events: number; bytes: number };
  close(): void;
}

/** How often a monitor with unreported drops is checked for having caught up. */
const CATCH_UP_CHECK_MS = 50;
/** A batch this big goes out at once rather than when FLUSH_MS is up. */
export const BATCH_BYTES = 64 * 1024;
/** The longest an accepted event waits in its batch. */
export const FLUSH_MS = 15;
/** A monitor whose last batch held this many events or more is busy... */
export const BUSY_BATCH_EVENTS = 8;
/** ...and its next batch waits this long. */
export const BUSY_FLUSH_MS = 50;

function describedBytes(event: TapEvent): number {
  if (event.type === "chunk") return event.length;
  // Base64 holds 3 bytes in every 4 characters; close enough for a count of what was left out.
  if (event.type === "request" || event.type === "response") return Math.floor((event.data.length * 3) / 4);
  return 0;
}

export function createOutbox(ws: WebSocket, limits: OutboxLimits): Outbox {
  const bucket = createTokenBucket(limits.eventsPerSecond);
  const pending = { events: 0, bytes: 0 };
  let timer: NodeJS.Timeout | null = null;
  let batch = createTapBatchWriter();
  let batchEvents = 0;
  let lastBatchEvents = 0;
  let lastFlushAt = 0;
  let flushScheduled: NodeJS.Timeout | null = null;

  const open = (): boolean => ws.readyState === ws.OPEN;
  // What ws has queued plus what waits in the batch: both are memory spent on this monitor.
  const backedUp = (): boolean => ws.bufferedAmount + batch.size > limits.bufferBytes;

  function flush(): void {
    if (flushScheduled) clearTimeout(flushScheduled);
    flushScheduled = null;
    lastBatchEvents = batchEvents;
    lastFlushAt = performance.now();
    batchEvents = 0;
    const message = batch.take();
    if (message && open()) ws.send(message, { binary: true });
  }

  const busy = (): boolean => lastBatchEvents >= BUSY_BATCH_EVENTS && performance.now() - lastFlushAt < BUSY_FLUSH_MS;

  /** After an event went into the batch. */
  function batched(): void {
    batchEvents++;
    if (batch.size >= BATCH_BYTES) flush();
    else flushScheduled ??= setTimeout(flush, busy() ? BUSY_FLUSH_MS : FLUSH_MS);
  }

  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function report(): void {
    if (pending.events === 0 || !open()) return stopTimer();
    if (backedUp() || !bucket.take(serverNow())) return;
    batch.event(
      JSON.stringify({
        type: "dropped",
        t: serverNow(),
        events: pending.events,
        bytes: pending.bytes,
      } satisfies TapEvent),
    );
    batched();
    pending.events = 0;
    pending.bytes = 0;
    stopTimer();
  }

  function drop(bytes: number): void {
    pending.events++;
    pending.bytes += bytes;
    if (!timer) {
      timer = setInterval(report, CATCH_UP_CHECK_MS);
      timer.unref();
    }
  }

  return {
    pending,
    send(event) {
      if (!open()) return;
      if (pending.events > 0) report();
      if (backedUp()) return drop(describedBytes(event));
      batch.event(JSON.stringify(event));
      batched();
    },
    offerChunk(chunk) {
      if (!open()) return;
      if (pending.events > 0) report();
      // The chunk's own time serves the bucket (the lab's clock, serverNow(), as in report()).
      if (backedUp() || !bucket.take(chunk.t)) return drop(chunk.length);
      batch.chunk(chunk);
      batched();
    },
    close() {
      stopTimer();
      if (flushScheduled) clearTimeout(flushScheduled);
      flushScheduled = null;
      batch = createTapBatchWriter();
    },
  };
}
