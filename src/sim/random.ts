// A small seeded pseudo-random generator (mulberry32). Simulations draw every "random" choice
// (jitter, loss, initial sequence numbers) from one of these, so the same seed always gives the
// same trace, in the browser, in Node and in tests. Not for anything that needs real randomness.

export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A number in [min, max). */
  between(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An integer in [0, n). */
  int(n: number): number;
}

export function createRandom(seed: number): Random {
  // Any finite number is a valid seed; fold it to 32 bits so 1 and 1.0 and 2^32+1 agree.
  let state = Math.trunc(Number.isFinite(seed) ? seed : 0) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    chance: (p) => next() < p,
    int: (n) => Math.floor(next() * n),
  };
}
