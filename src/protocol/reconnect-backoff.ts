// How long to wait before each attempt to get back into the room after the connection dropped:
// exponential backoff with "equal jitter" (half fixed, half random), so thirty laptops that lost
// the same Wi-Fi do not all knock on the lab in the same millisecond when it comes back.
// Bounded twice: no single wait is longer than maxMs, and after `attempts` tries the widget
// stops and offers a button instead of retrying forever.

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
  attempts: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 500, maxMs: 8_000, attempts: 6 };

/** The wait before attempt `attempt` (1, 2, …); `random` returns a number in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  settings: BackoffSettings = DEFAULT_BACKOFF,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** (n - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/** The longest the widget can spend retrying before it gives up (all waits at their ceiling). */
export function worstCaseRetryMs(settings: BackoffSettings = DEFAULT_BACKOFF): number {
  let total = 0;
  for (let attempt = 1; attempt <= settings.attempts; attempt++)
    total += Math.min(settings.maxMs, settings.baseMs * 2 ** (attempt - 1));
  return total;
}
