// A token bucket: `ratePerSecond` tokens refill continuously up to a burst of twice that, so a
// reader may click quickly for a moment but no connection can flood the lab for long.

export interface TokenBucket {
  /** Take one token at time `nowMs`; false means the caller is over its rate. */
  take(nowMs: number): boolean;
}

export function createTokenBucket(ratePerSecond: number, burst = ratePerSecond * 2): TokenBucket {
  let tokens = burst;
  let last: number | null = null;
  return {
    take(nowMs: number): boolean {
      if (last !== null) tokens = Math.min(burst, tokens + ((nowMs - last) / 1000) * ratePerSecond);
      last = nowMs;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
