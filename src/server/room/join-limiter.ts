// Slows down guessing of join codes and teacher keys, per client address. The first
// `failuresPerMinute` wrong attempts in a minute cost nothing (people mistype); after that each
// further failure locks the address out for a growing wait (2 s, 4 s, 8 s … up to a minute),
// during which every join or teach is answered `rate-limited` without being checked. The wait
// keeps growing as long as failures keep coming; two minutes with no failure forget the
// address (longer than the longest wait, so waiting it out does not reset anything), and a
// sustained guesser ends up with one guess a minute. Memory is bounded: stale addresses are swept
// and at most MAX_ADDRESSES are remembered (the oldest are forgotten first).
export interface JoinLimiter {
  /** Milliseconds until `address` may try again; 0 means now. */
  waitMs(address: string, nowMs: number): number;
  /** Records a wrong code or key from `address`. */
  failed(address: string, nowMs: number): void;
  /** Addresses remembered right now (for tests). */
  readonly size: number;
}

const WINDOW_MS = 60_000;
const FIRST_WAIT_MS = 2000;
const MAX_WAIT_MS = 60_000;
const QUIET_MS = 2 * MAX_WAIT_MS;
const MAX_ADDRESSES = 10_000;

interface Entry {
  /** Times of the failures in the last minute (at most `failuresPerMinute` are kept). */
  failures: number[];
  /** Failures beyond the free ones since the address was last quiet for QUIET_MS. */
  strikes: number;
  lastFailure: number;
  blockedUntil: number;
}

export function createJoinLimiter(failuresPerMinute: number): JoinLimiter {
  const entries = new Map<string, Entry>();

  function prune(entry: Entry, nowMs: number): void {
    while (entry.failures.length > 0 && entry.failures[0]! <= nowMs - WINDOW_MS) entry.failures.shift();
  }

  function sweep(nowMs: number): void {
    for (const [address, entry] of entries) {
      prune(entry, nowMs);
      if (nowMs - entry.lastFailure > QUIET_MS && entry.blockedUntil <= nowMs) entries.delete(address);
    }
    // Still too many (a flood from many addresses): forget the longest-known ones.
    for (const address of entries.keys()) {
      if (entries.size <= MAX_ADDRESSES) break;
      entries.delete(address);
    }
  }

  return {
    waitMs(address, nowMs) {
      const entry = entries.get(address);
      return entry && entry.blockedUntil > nowMs ? entry.blockedUntil - nowMs : 0;
    },
    failed(address, nowMs) {
      if (entries.size >= MAX_ADDRESSES / 2) sweep(nowMs);
      let entry = entries.get(address);
      if (!entry) {
        entry = { failures: [], strikes: 0, lastFailure: nowMs, blockedUntil: 0 };
        entries.set(address, entry);
      }
      prune(entry, nowMs);
      if (nowMs - entry.lastFailure > QUIET_MS) entry.strikes = 0; // quiet for a while: start afresh
      entry.lastFailure = nowMs;
      entry.failures.push(nowMs);
      if (entry.failures.length > failuresPerMinute) entry.failures.shift();
      if (entry.strikes > 0 || entry.failures.length >= failuresPerMinute) {
        entry.strikes++;
        entry.blockedUntil = nowMs + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(entry.strikes - 1, 10));
      }
    },
    get size() {
      return entries.size;
    },
  };
}
