// One run of the connection-reuse widget: N real requests to /lab/http/whoami, each either a
// validated WhoAmI report (which TCP connection carried it, and its number on that connection)
// or a failure in words. This module groups the reports by connection and puts the outcome into
// a sentence, so every number the widget shows is counted from what the lab reported.
//
// A connection whose first request in this run is #1 was opened for this run; one whose first
// request is #3 was already open (the page, or an earlier run, used it) and was kept alive
// between them, which is HTTP/1.1's default (RFC 9112 §9.3).
import type { WhoAmI } from "../../protocol/lab-api.ts";
import { formatCount } from "../shared/format-count.ts";

export type RunMode = "sequential" | "parallel";

export type RequestOutcome =
  | { index: number; ok: true; report: WhoAmI; durationMs: number; idleTimeoutS?: number | null }
  | { index: number; ok: false; error: string; durationMs: number };

export interface GroupedRequest {
  /** Position of the fetch in this run, 1-based, in the order the page started them. */
  index: number;
  /** Its number on the connection, as the lab counted it (RFC 9112 §9.3: many per connection). */
  request: number;
  durationMs: number;
  closing: boolean;
}

export interface ConnectionGroup {
  connection: string;
  clientAddress: string;
  clientPort: number;
  httpVersion: string;
  /** In the order they travelled on the connection (the lab's request numbers, ascending). */
  requests: GroupedRequest[];
  /** "new" when this run's first request on it was #1 (its first use); otherwise it was open before the run. */
  origin: "new" | "earlier";
  /** True when the lab closed it after one of this run's responses (Connection: close). */
  closed: boolean;
}

export interface RunSettings {
  mode: RunMode;
  count: number;
  close: boolean;
}

export interface Run extends RunSettings {
  id: number;
  outcomes: RequestOutcome[];
}

export interface RunView {
  groups: ConnectionGroup[];
  failures: Array<{ index: number; error: string }>;
  requests: number;
  succeeded: number;
  /** Requests that travelled on a connection an earlier request (of this run or before) had used. */
  reusedRequests: number;
  /** How long the lab keeps an idle connection open, as its Keep-Alive header said; null if it did not. */
  idleTimeoutS: number | null;
  summary: string;
}

/** Groups reports by connection, in the order each connection first appears in the run. */
export function groupByConnection(outcomes: readonly RequestOutcome[]): ConnectionGroup[] {
  const groups = new Map<string, ConnectionGroup>();
  for (const outcome of [...outcomes].sort((a, b) => a.index - b.index)) {
    if (!outcome.ok) continue;
    const { report } = outcome;
    let group = groups.get(report.connection);
    if (!group) {
      group = {
        connection: report.connection,
        clientAddress: report.clientAddress,
        clientPort: report.clientPort,
        httpVersion: report.httpVersion,
        requests: [],
        origin: "new",
        closed: false,
      };
      groups.set(report.connection, group);
    }
    group.requests.push({
      index: outcome.index,
      request: report.request,
      durationMs: outcome.durationMs,
      closing: report.closing,
    });
    if (report.closing) group.closed = true;
  }
  for (const group of groups.values()) {
    group.requests.sort((a, b) => a.request - b.request || a.index - b.index);
    group.origin = group.requests[0]!.request === 1 ? "new" : "earlier";
  }
  return [...groups.values()];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The run grouped and put into one sentence a screen reader can announce. */
export function viewRun(run: Pick<Run, "outcomes" | "mode" | "close">): RunView {
  const groups = groupByConnection(run.outcomes);
  const failures = run.outcomes
    .filter((o): o is Extract<RequestOutcome, { ok: false }> => !o.ok)
    .map((o) => ({ index: o.index, error: o.error }));
  const requests = run.outcomes.length;
  const succeeded = requests - failures.length;
  // Every request after a connection's first one in this run reused it; so did the first one
  // when the connection was already open before the run.
  const reusedRequests = groups.reduce((sum, g) => sum + g.requests.length - (g.origin === "new" ? 1 : 0), 0);
  let idleTimeoutS: number | null = null;
  for (const o of run.outcomes) if (o.ok && typeof o.idleTimeoutS === "number") idleTimeoutS ??= o.idleTimeoutS;
  return {
    groups,
    failures,
    requests,
    succeeded,
    reusedRequests,
    idleTimeoutS,
    summary: summarise(groups, failures, requests, run),
  };
}

function summarise(
  groups: ConnectionGroup[],
  failures: RunView["failures"],
  requests: number,
  run: Pick<Run, "mode" | "close">,
): string {
  const failed =
    failures.length === 0
      ? ""
      : ` ${failures.length === requests ? "Every request" : plural(failures.length, "request")} failed: ${failures[0]!.error}.`;
  if (groups.length === 0) return `${plural(requests, "request")}, no answer from the lab.${failed}`;
  const succeeded = requests - failures.length;
  const head = `${plural(succeeded, "request")}, ${plural(groups.length, "TCP connection")}`;
  const earlier = groups.filter((g) => g.origin === "earlier").length;
  const allClosed = groups.every((g) => g.closed);
  let body: string;
  if (succeeded === 1) {
    const only = groups[0]!;
    body =
      only.origin === "new"
        ? ": a new connection, first used by this request"
        : `: a connection that was already open, kept alive since earlier requests (this was request #${only.requests[0]!.request} on it)`;
  } else if (groups.length === 1) {
    body =
      groups[0]!.origin === "new"
        ? ": the browser reused it for every request"
        : ": the browser reused it for every request, and it was already open from earlier requests";
  } else if (groups.length === succeeded) {
    body =
      allClosed || run.close
        ? ": one connection per request, because the server closed each one after its response (Connection: close)"
        : run.mode === "parallel"
          ? ": one connection per request, because they were all in flight at the same time"
          : ": every request travelled on a connection of its own";
  } else {
    const shared = groups.filter((g) => g.requests.length > 1).length;
    body =
      run.mode === "parallel"
        ? `: the requests overlapped, so the browser spread them over several connections, and ${plural(shared, "connection")} carried more than one request`
        : `: ${plural(shared, "connection")} carried more than one request`;
  }
  const kept =
    earlier > 0 && succeeded > 1 && groups.length > 1
      ? ` ${plural(earlier, "connection was", "connections were")} already open before this run.`
      : "";
  return `${head}${body}.${kept}${failed}`;
}

/** Adds a run at the front of the history, keeping at most `limit` runs (latest first). */
export function addRun<T>(history: readonly T[], run: T, limit = 10): T[] {
  return [run, ...history].slice(0, Math.max(1, limit));
}

/** A duration as the widget shows it: tenths of a millisecond below 100 ms, whole ms above. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "? ms";
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${formatCount(Math.round(ms))} ms`;
}
