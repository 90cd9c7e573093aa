// Things in flight: a frame or a request crossing from one peer to the other. Both the wire
// stage and the frame inspector draw a marker that moves across its lane while the message
// travels and settles when it lands. One animation loop per widget moves every marker in
// flight, and only those: a landed marker is dropped from the loop, so the work per animation
// frame depends on what is travelling now, never on how long the recording is.
//
// `flightProgress` is the pure part (tested without a DOM). `FlightAnimator` owns the loop; each
// flight says how to place its marker for a progress between 0 (leaving) and 1 (landed). With
// reduced motion, flights land at once: nothing moves, the marker is simply drawn where it ends.

/** How far along its trip a message is at `now`: 0 before it leaves, 1 once it has landed. */
export function flightProgress(departAt: number, arriveAt: number, now: number): number {
  if (now <= departAt) return now < departAt ? 0 : arriveAt <= departAt ? 1 : 0;
  if (now >= arriveAt) return 1;
  return (now - departAt) / (arriveAt - departAt);
}

export interface Flight {
  departAt: number;
  arriveAt: number;
  /** Draws the marker at `progress` (0–1). Called once per animation frame while in flight. */
  place(progress: number): void;
  /** Called once, when the flight has landed (or was cancelled). */
  landed?(): void;
}

export interface FlightAnimatorOptions {
  /** The clock the flights' times are on (a widget's display time, or performance.now()). */
  now(): number;
  reducedMotion(): boolean;
  /**
   * True when the widget calls update() from its own frame loop (as the wire stage and the
   * inspector's lane do, at their own pace): the animator then runs no loop of its own, so no
   * frame is drawn twice.
   */
  driven?: boolean;
}

export class FlightAnimator {
  #flights = new Set<Flight>();
  #frame = 0;
  #options: FlightAnimatorOptions;

  constructor(options: FlightAnimatorOptions) {
    this.#options = options;
  }

  /** Starts moving a marker; it is placed at once, so it never shows where it does not belong. */
  add(flight: Flight): void {
    const progress = this.#options.reducedMotion()
      ? 1
      : flightProgress(flight.departAt, flight.arriveAt, this.#options.now());
    flight.place(progress);
    if (progress >= 1) {
      flight.landed?.();
      return;
    }
    this.#flights.add(flight);
    this.#schedule();
  }

  /** Markers still travelling. */
  get active(): number {
    return this.#flights.size;
  }

  /** Moves every marker to where the clock says it is now (also used after a seek). */
  update(): void {
    const now = this.#options.now();
    const reduced = this.#options.reducedMotion();
    for (const flight of this.#flights) {
      const progress = reduced ? 1 : flightProgress(flight.departAt, flight.arriveAt, now);
      flight.place(progress);
      if (progress >= 1) {
        this.#flights.delete(flight);
        flight.landed?.();
      }
    }
  }

  /** Lands every flight where it is going and stops the loop (a widget being removed or reset). */
  clear(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    const flights = [...this.#flights];
    this.#flights.clear();
    for (const flight of flights) {
      flight.place(1);
      flight.landed?.();
    }
  }

  #schedule(): void {
    if (this.#options.driven || this.#frame !== 0 || this.#flights.size === 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.update();
      this.#schedule();
    });
  }
}
