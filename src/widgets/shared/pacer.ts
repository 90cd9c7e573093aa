// "At most once every so often": a widget that follows a live connection asks for a redraw with
// every event, and a pacer turns those requests into one run per period. A request when the
// period has passed runs at once; later requests wait for the period's end, where one run
// covers them all. A run made directly (the reader stepped, say) starts a new period too.
export class Pacer {
  readonly #everyMs: number;
  readonly #run: () => void;
  readonly #now: () => number;
  #ranAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(everyMs: number, run: () => void, now: () => number = () => performance.now()) {
    this.#everyMs = everyMs;
    this.#run = run;
    this.#now = now;
  }

  /** Runs now if the period has passed, else once at its end (however many requests come). */
  request(): void {
    if (this.#timer !== null) return;
    const wait = this.#ranAt + this.#everyMs - this.#now();
    if (wait <= 0) return this.#fire();
    this.#timer = setTimeout(() => this.#fire(), wait);
  }

  /** Says a run happened without a request: the next period starts now, and a waiting run is dropped. */
  ran(): void {
    this.cancel();
    this.#ranAt = this.#now();
  }

  /** Drops a waiting run. */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(): void {
    this.ran();
    this.#run();
  }
}
