// When a monitor's batch goes out: FLUSH_MS after its first event for a monitor that is quiet,
// BUSY_FLUSH_MS for one whose last batch was large, at once at BATCH_BYTES. Timers and the
// clock are Vitest's fakes, so these are statements about the schedule, not about speed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WebSocket } from "ws";
import { CHUNK_HEADER_BYTES, readTapBatch } from "../../protocol/tap-batch.ts";
import { BATCH_BYTES, BUSY_BATCH_EVENTS, BUSY_FLUSH_MS, FLUSH_MS, createOutbox } from "./event-outbox.ts";

/** A monitor socket that keeps what it was sent. */
function fakeMonitor(): { ws: WebSocket; sent: number[] } {
  const sent: number[] = [];
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send(message: Uint8Array) {
      sent.push(readTapBatch(message).events.length);
    },
  };
  return { ws: ws as unknown as WebSocket, sent };
}

const chunk = (i: number, length = 38) => ({
  t: performance.now(),
  specimen: 1,
  dir: "in" as const,
  offset: i * length,
  length,
  data: new Uint8Array(length),
});

/** An outbox that has just sent a batch of BUSY_BATCH_EVENTS events. */
function afterLargeBatch(): { outbox: ReturnType<typeof createOutbox>; sent: number[] } {
  const { ws, sent } = fakeMonitor();
  const outbox = createOutbox(ws, { eventsPerSecond: 10_000, bufferBytes: 1 << 20 });
  for (let i = 0; i < BUSY_BATCH_EVENTS; i++) outbox.offerChunk(chunk(i));
  vi.advanceTimersByTime(FLUSH_MS);
  return { outbox, sent };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a monitor's batches", () => {
  it("go out FLUSH_MS after the first event while the monitor is quiet", () => {
    const { ws, sent } = fakeMonitor();
    const outbox = createOutbox(ws, { eventsPerSecond: 1000, bufferBytes: 1 << 20 });
    outbox.offerChunk(chunk(0));
    vi.advanceTimersByTime(FLUSH_MS - 1);
    expect(sent).toEqual([]);
    outbox.offerChunk(chunk(1));
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([2]);
    outbox.close();
  });

  it("wait BUSY_FLUSH_MS after a large batch, and FLUSH_MS again once the monitor is quiet", () => {
    const { outbox, sent } = afterLargeBatch();
    expect(sent).toEqual([BUSY_BATCH_EVENTS]);
    // Busy: the next batch waits longer.
    outbox.offerChunk(chunk(100));
    vi.advanceTimersByTime(FLUSH_MS);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(BUSY_FLUSH_MS - FLUSH_MS);
    expect(sent).toEqual([BUSY_BATCH_EVENTS, 1]);
    // That batch was small: quiet again.
    outbox.offerChunk(chunk(101));
    vi.advanceTimersByTime(FLUSH_MS);
    expect(sent).toEqual([BUSY_BATCH_EVENTS, 1, 1]);
    outbox.close();
  });

  it("count a large batch as busy only for a while: a lone event long after it waits FLUSH_MS", () => {
    const { outbox, sent } = afterLargeBatch();
    vi.advanceTimersByTime(10_000);
    outbox.offerChunk(chunk(100));
    vi.advanceTimersByTime(FLUSH_MS);
    expect(sent).toEqual([BUSY_BATCH_EVENTS, 1]);
    outbox.close();
  });

  it("go out at once when they reach BATCH_BYTES", () => {
    const { ws, sent } = fakeMonitor();
    const outbox = createOutbox(ws, { eventsPerSecond: 1_000_000, bufferBytes: 1 << 22 });
    const length = 1024;
    let offered = 0;
    while (sent.length === 0) outbox.offerChunk(chunk(offered++, length));
    expect(offered).toBe(Math.ceil(BATCH_BYTES / (length + CHUNK_HEADER_BYTES)));
    expect(sent).toEqual([offered]);
    outbox.close();
  });
});
