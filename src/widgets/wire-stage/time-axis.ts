// The stage's time axis: where an instant goes on the screen, shared by both sides so they
// stay on one clock. Time runs down linearly while anything is in flight (a trip's slope is its
// travel time), and for QUIET_AFTER_MS after that; past it, a quiet stretch is folded (time
// runs QUIET_FACTOR times slower on screen), so an exchange stays in view while the reader
// reads instead of scrolling away second by second. A fold is marked on screen with its real
// length.
//
// Positions are in "axis milliseconds" (display time); a view multiplies by its pixels per ms.
// The axis is built forward only: once the live edge has passed an instant, its position never
// changes, so whatever has been drawn stays where it is. An item that is added is "busy" from
// its departure to its arrival; a departure just behind the live edge (tap events take a moment
// to reach the page) lands where the axis already is.

export const QUIET_AFTER_MS = 700;
export const QUIET_FACTOR = 25;

export interface AxisSegment {
  t0: number;
  /** Position of t0 on the axis. */
  y0: number;
  /** Axis ms per stage ms: 1 while busy, 1 / QUIET_FACTOR in a fold. */
  rate: number;
}

export class TimeAxis {
  #segments: AxisSegment[] = [{ t0: 0, y0: 0, rate: 1 }];
  /** Stage times at or before this are placed for good. */
  #frontier = 0;
  #busyUntil = 0;

  /** Something is in flight until `until`: the axis stays linear through it. */
  markBusy(from: number, until: number): void {
    if (from > this.#frontier) this.extendTo(from);
    this.#busyUntil = Math.max(this.#busyUntil, until);
  }

  /** Places every instant up to `t` for good. */
  extendTo(t: number): void {
    while (this.#frontier < t) {
      const last = this.#segments.at(-1)!;
      const linearUntil = this.#busyUntil + QUIET_AFTER_MS;
      if (this.#frontier < linearUntil) {
        if (last.rate !== 1) this.#segments.push({ t0: this.#frontier, y0: this.#place(this.#frontier), rate: 1 });
        this.#frontier = Math.min(t, linearUntil);
      } else {
        if (last.rate === 1)
          this.#segments.push({ t0: this.#frontier, y0: this.#place(this.#frontier), rate: 1 / QUIET_FACTOR });
        this.#frontier = t;
      }
    }
  }

  /** Where stage time `t` goes. Beyond the frontier: linear while busy, then folded, as it will be. */
  y(t: number): number {
    if (t <= this.#frontier) return this.#place(t);
    let y = this.#place(this.#frontier);
    const linearUntil = Math.max(this.#frontier, this.#busyUntil + QUIET_AFTER_MS);
    y += Math.min(t, linearUntil) - this.#frontier;
    if (t > linearUntil) y += (t - linearUntil) / QUIET_FACTOR;
    return y;
  }

  /** The stage time at axis position `y` (within the placed part; beyond it, extrapolated). */
  timeAt(y: number): number {
    const segments = this.#segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.y0 <= y) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo]!;
    return Math.max(0, s.t0 + (y - s.y0) / s.rate);
  }

  /** Folded stretches overlapping [from, to], with their real length (the last may still be growing). */
  folds(from: number, to: number): { t0: number; t1: number }[] {
    const out: { t0: number; t1: number }[] = [];
    const segments = this.#segments;
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i]!;
      const end = i + 1 < segments.length ? segments[i + 1]!.t0 : this.#frontier;
      if (end < from) break;
      if (s.rate !== 1 && s.t0 <= to) out.push({ t0: s.t0, t1: end });
    }
    return out.reverse();
  }

  /** Linear stretches overlapping [from, to], where time ticks belong. */
  linear(from: number, to: number): { t0: number; t1: number }[] {
    const out: { t0: number; t1: number }[] = [];
    const segments = this.#segments;
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i]!;
      const end = i + 1 < segments.length ? segments[i + 1]!.t0 : Math.max(this.#frontier, to);
      if (end < from) break;
      if (s.rate === 1 && s.t0 <= to) out.push({ t0: Math.max(s.t0, from), t1: Math.min(end, to) });
    }
    return out.reverse();
  }

  #place(t: number): number {
    const segments = this.#segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.t0 <= t) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo]!;
    return s.y0 + (t - s.t0) * s.rate;
  }
}
