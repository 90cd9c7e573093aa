// Asking the lab which connection carried a request: one real fetch to /lab/http/whoami, timed
// with the page's clock, and a batch of them sent one by one or all at once. fetch and the clock
// are passed in, so the same code runs in the browser and, with fakes, in unit tests. Nothing here
// throws: a lab that is down or answers nonsense becomes an outcome with a reason in words.
import { parseWhoAmI } from "../../protocol/lab-api.ts";
import type { RequestOutcome, RunSettings } from "./group-by-connection.ts";

export const WHOAMI_PATH = "/lab/http/whoami";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface BatchOptions extends RunSettings {
  fetch: FetchLike;
  now: () => number;
  signal?: AbortSignal;
  path?: string;
}

/** The whoami address; with `close` the lab answers `Connection: close` (RFC 9112 §9.6). */
export function whoamiUrl(close: boolean, path = WHOAMI_PATH): string {
  return close ? `${path}?close=1` : path;
}

export async function fetchWhoAmI(
  index: number,
  url: string,
  fetchFn: FetchLike,
  now: () => number,
  signal?: AbortSignal,
): Promise<RequestOutcome> {
  const started = now();
  const failure = (error: string): RequestOutcome => ({ index, ok: false, error, durationMs: now() - started });
  let response: Response;
  try {
    response = await fetchFn(url, { cache: "no-store", headers: { Accept: "application/json" }, signal });
  } catch (error) {
    if (signal?.aborted) return failure("the request was cancelled");
    return failure(
      `the lab did not answer (${error instanceof Error ? error.message : "network error"}), so the lab server may have stopped`,
    );
  }
  if (!response.ok) {
    const hint =
      response.status === 404 ? "; this lab may be older than this page and not have the whoami endpoint" : "";
    return failure(
      `the lab answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""} instead of a report${hint}`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return failure("the lab's answer was not JSON");
  }
  const report = parseWhoAmI(body);
  if (!report) return failure("the lab's answer did not look like a whoami report");
  return {
    index,
    ok: true,
    report,
    durationMs: now() - started,
    idleTimeoutS: keepAliveTimeout(response.headers.get("keep-alive")),
  };
}

/**
 * Seconds the server keeps an idle connection, from `Keep-Alive: timeout=5` (an HTTP/1.0-era
 * header that Node's server still sends); null when it does not say. After that long without a
 * request, the server closes the connection and the browser's next request needs a new one.
 */
export function keepAliveTimeout(header: string | null): number | null {
  const match = /(?:^|[,;\s])timeout\s*=\s*"?(\d{1,6})"?/i.exec(header ?? "");
  return match ? Number(match[1]) : null;
}

/**
 * N requests: "sequential" starts each when the previous answer has been read (so an idle kept-alive
 * connection is free for it); "parallel" starts them all at once, so the browser needs more than
 * one connection to send them without waiting. Outcomes come back in the order they were started.
 */
export async function runBatch(options: BatchOptions): Promise<RequestOutcome[]> {
  const url = whoamiUrl(options.close, options.path);
  const count = Math.max(1, Math.min(20, Math.floor(options.count)));
  const one = (i: number): Promise<RequestOutcome> => fetchWhoAmI(i, url, options.fetch, options.now, options.signal);
  if (options.mode === "parallel") return Promise.all(Array.from({ length: count }, (_, i) => one(i + 1)));
  const outcomes: RequestOutcome[] = [];
  for (let i = 1; i <= count; i++) outcomes.push(await one(i));
  return outcomes;
}
