// A POST to one of the lab's self-runs, tried again while the lab asks it to wait (server/
// self-runs-http.ts): 503 when it already runs as many as it may for everyone, 429 when this
// address went over its rate (both with Retry-After). In a classroom thirty students press the
// same button within a second; the first few run and the others wait their turn here, instead of
// each reading "try again in a moment" and pressing again. Any other refusal (403, 400, 413) is
// returned at once: trying again would only be refused again. The attempts are bounded, and every
// try still passes the lab's own limits, so a page cannot use this to ask more often than allowed.

export interface WaitNote {
  /** The attempt about to be made (2 for the first retry) and how many there may be. */
  attempt: number;
  attempts: number;
  waitMs: number;
}

export interface WhenFreeOptions {
  attempts?: number;
  /** Told before each wait, so the page can say why nothing has happened yet. */
  onWait?(note: WaitNote): void;
  /** For tests: how to wait. */
  sleep?(ms: number): Promise<void>;
  fetch?: typeof fetch;
}

const LAB_BUSY_ATTEMPTS = 8;
/** The answers that mean "not now" rather than "no". */
const WAIT_STATUSES = new Set([429, 503]);
/** The lab asks for 2 s; a wait is kept between these bounds whatever Retry-After says. */
const MIN_WAIT_MS = 500;
const MAX_WAIT_MS = 5000;

/** Seconds from Retry-After (RFC 9110 §10.2.3), as a wait in ms within the bounds. */
export function retryWaitMs(retryAfter: string | null, attempt: number): number {
  const seconds = retryAfter === null || retryAfter.trim() === "" ? Number.NaN : Number(retryAfter);
  // Without a usable header, back off a little more each time; a little jitter spreads a class out.
  const base = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000 * attempt;
  return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, base)) + Math.floor(Math.random() * 250);
}

export async function postWhenLabFree(
  url: string,
  init: RequestInit,
  options: WhenFreeOptions = {},
): Promise<Response> {
  const attempts = options.attempts ?? LAB_BUSY_ATTEMPTS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const send = options.fetch ?? fetch;
  for (let attempt = 1; ; attempt++) {
    const response = await send(url, { ...init, method: "POST" });
    if (!WAIT_STATUSES.has(response.status) || attempt >= attempts) return response;
    await response.body?.cancel();
    const waitMs = retryWaitMs(response.headers.get("retry-after"), attempt);
    options.onWait?.({ attempt: attempt + 1, attempts, waitMs });
    await sleep(waitMs);
  }
}
