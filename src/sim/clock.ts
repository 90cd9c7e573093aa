// Virtual time for simulations. Timers run in order of (time, order of scheduling), never in
// real time, so a six-second scenario runs in microseconds and always the same way. The clock
// implements XState's `Clock` interface (setTimeout / clearTimeout), so machines' `after`
// delays and the link's deliveries share one queue and one notion of "now".

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export interface RunResult {
  /** True when nothing was left to run; false when the horizon or the step budget stopped it. */
  idle: boolean;
  steps: number;
}

export class VirtualClock {
  #now = 0;
  #nextId = 1;
  /** Sorted by (at, id); ids grow, so equal times keep the order they were scheduled in. */
  #queue: Timer[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const delay = Number.isFinite(timeout) && timeout > 0 ? timeout : 0;
    return this.#insert(this.#now + delay, () => fn());
  }

  clearTimeout(id: unknown): void {
    const index = this.#queue.findIndex((t) => t.id === id);
    if (index >= 0) this.#queue.splice(index, 1);
  }

  /** Run fn at an absolute virtual time (now, if that time has passed). */
  at(time: number, fn: () => void): number {
    return this.#insert(Math.max(this.#now, time), fn);
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Run timers in order until none is left, the next is later than `until`, or `maxSteps` ran. */
  run(until = Infinity, maxSteps = 100_000): RunResult {
    let steps = 0;
    while (this.#queue.length > 0 && steps < maxSteps) {
      const next = this.#queue[0]!;
      if (next.at > until) return { idle: false, steps };
      this.#queue.shift();
      this.#now = next.at;
      steps++;
      next.fn();
    }
    return { idle: this.#queue.length === 0, steps };
  }

  #insert(at: number, fn: () => void): number {
    const timer = { id: this.#nextId++, at, fn };
    // Binary search for the first timer strictly later than `at`: equal times stay in FIFO order.
    let lo = 0;
    let hi = this.#queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#queue[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.#queue.splice(lo, 0, timer);
    return timer.id;
  }
}
