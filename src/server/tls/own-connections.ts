// The reader's own wss:// connections kept for lesson 7: a page served over https:// opens
// wss://…/lab/echo?record=TOKEN, and the raw TLS bytes and secrets of that connection
// (raw-capture.ts) wait here under its token until the page asks for them with
// POST /lab/tls-twin?own=TOKEN. One-shot (taken once), for the address that opened the
// connection only, and bounded: at most MAX_KEPT in all and MAX_KEPT_PER_ADDRESS for one address
// (so one client cannot push everybody else's out), each for KEEP_MS.
import type { RawCapture } from "./raw-capture.ts";

export const MAX_KEPT = 64;
export const KEEP_MS = 60_000;
export const MAX_KEPT_PER_ADDRESS = 4;

export interface OwnConnections {
  keep(token: string, clientAddress: string, capture: RawCapture): void;
  /** The capture kept under `token` for `clientAddress`, removed; null if none (or another address's). */
  take(token: string, clientAddress: string): RawCapture | null;
  readonly size: number;
}

export function createOwnConnections(now: () => number = () => performance.now()): OwnConnections {
  const kept = new Map<string, { clientAddress: string; capture: RawCapture; until: number }>();
  const sweep = (): void => {
    const t = now();
    for (const [token, entry] of kept) if (entry.until <= t) kept.delete(token);
  };
  return {
    keep(token, clientAddress, capture) {
      sweep();
      // A token used twice keeps the newer connection; the oldest go first when full.
      kept.delete(token);
      const own = [...kept].filter(([, entry]) => entry.clientAddress === clientAddress).map(([t]) => t);
      for (const old of own.slice(0, Math.max(0, own.length - MAX_KEPT_PER_ADDRESS + 1))) kept.delete(old);
      while (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(token, { clientAddress, capture, until: now() + KEEP_MS });
    },
    take(token, clientAddress) {
      sweep();
      const entry = kept.get(token);
      if (!entry || entry.clientAddress !== clientAddress) return null;
      kept.delete(token);
      return entry.capture;
    },
    get size() {
      sweep();
      return kept.size;
    },
  };
}
