// The network settings a reader can change, and how they map onto the simulation's link. The
// seed never changes, so the same choices always draw the same diagram.
import type { LinkSettings } from "../../sim/trace.ts";

/** Round-trip times offered, in ms: from a LAN to a satellite hop. */
export const RTT_CHOICES = [10, 20, 50, 100, 200, 300, 500] as const;
export const LOSS_CHOICES = [0, 0.05, 0.1, 0.2] as const;
/** Jitter offered, ± ms on each message's one-way latency. */
export const JITTER_CHOICES = [0, 5, 10, 25] as const;
/** Used only when the engine does not say what its default link is. */
export const FALLBACK_LINK: LinkSettings = {
  oneWayMs: 50,
  jitterMs: 0,
  lossRate: 0,
  bandwidthBytesPerSecond: null,
  seed: 1,
};

export interface SettingsChoice {
  rttMs: number;
  lossRate: number;
  jitterMs: number;
}

export function choiceOf(link: LinkSettings): SettingsChoice {
  return { rttMs: link.oneWayMs * 2, lossRate: link.lossRate, jitterMs: link.jitterMs };
}

/** The base link with the reader's choices; anything unusable keeps the base value. */
export function linkWith(base: LinkSettings, choice: Partial<SettingsChoice>): LinkSettings {
  const ok = (n: number | undefined, max: number): n is number =>
    typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= max;
  return {
    ...base,
    oneWayMs: ok(choice.rttMs, 10_000) ? choice.rttMs / 2 : base.oneWayMs,
    lossRate: ok(choice.lossRate, 1) ? choice.lossRate : base.lossRate,
    jitterMs: ok(choice.jitterMs, 10_000) ? choice.jitterMs : base.jitterMs,
  };
}

/** A select's options with `value` among them (added in order if the engine's default is not). */
export function choicesWith(choices: readonly number[], value: number): number[] {
  return [...new Set([...choices, value])].sort((a, b) => a - b);
}
