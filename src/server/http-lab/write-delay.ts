// The lab's added latency (`delay=MS`). Loopback delivers in microseconds, which hides every
// difference between transports; a reader may ask the lab to wait before each write it makes
// for one request or stream. The wait is a timer per write, never a blocking sleep, so other
// connections are answered on time. Writes keep their order, and a writer whose peer left (or
// whose lab is closing) drops the writes it has not made yet.

export interface DelayedWriter {
  readonly delayMs: number;
  /** Runs `write` `delayMs` from now (at once for 0), after every write queued before it. */
  run(write: () => void): void;
  /** Drops every write not made yet; later `run` calls do nothing. */
  cancel(): void;
  /** Writes queued and not made yet. */
  readonly pending: number;
}

export function createDelayedWriter(delayMs: number): DelayedWriter {
  const queue: Array<{ due: number; write: () => void }> = [];
  let timer: NodeJS.Timeout | null = null;
  let cancelled = false;

  function drain(): void {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.due <= now && !cancelled) queue.shift()!.write();
    arm();
  }
  function arm(): void {
    if (timer !== null || queue.length === 0 || cancelled) return;
    timer = setTimeout(drain, Math.max(0, Math.ceil(queue[0]!.due - performance.now())));
  }

  return {
    delayMs,
    run(write) {
      if (cancelled) return;
      if (delayMs === 0 && queue.length === 0) {
        write();
        return;
      }
      queue.push({ due: performance.now() + delayMs, write });
      arm();
    },
    cancel() {
      cancelled = true;
      queue.length = 0;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    get pending() {
      return queue.length;
    },
  };
}
