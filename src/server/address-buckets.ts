// A token bucket per client address (rate-limit.ts's refill rule), for limits that must hold
// across every socket an address opens: one student with thirty tabs gets what one tab gets.
// Memory is bounded: an address whose bucket has refilled completely is the same as one never
// seen, so it is forgotten when the map grows past `maxAddresses / 2`; past `maxAddresses`
// (a flood from many addresses) the oldest are forgotten first.
export interface AddressBuckets {
  /** Take one token for `address` at `nowMs`; false means the address is over its rate. */
  take(address: string, nowMs: number): boolean;
  /** Addresses remembered right now (for tests). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export function createAddressBuckets(ratePerSecond: number, burst: number, maxAddresses = 10_000): AddressBuckets {
  const buckets = new Map<string, Bucket>();
  const refilled = (bucket: Bucket, nowMs: number): number =>
    Math.min(burst, bucket.tokens + ((nowMs - bucket.last) / 1000) * ratePerSecond);

  function sweep(nowMs: number): void {
    for (const [address, bucket] of buckets) if (refilled(bucket, nowMs) >= burst) buckets.delete(address);
    for (const address of buckets.keys()) {
      if (buckets.size < maxAddresses) break;
      buckets.delete(address);
    }
  }

  return {
    take(address, nowMs) {
      let bucket = buckets.get(address);
      if (!bucket) {
        if (buckets.size >= maxAddresses / 2) sweep(nowMs);
        bucket = { tokens: burst, last: nowMs };
        buckets.set(address, bucket);
      }
      bucket.tokens = refilled(bucket, nowMs);
      bucket.last = nowMs;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    get size() {
      return buckets.size;
    },
  };
}
