import { describe, expect, it } from "vitest";
import type { WhoAmI } from "../../protocol/lab-api.ts";
import { addRun, formatMs, groupByConnection, viewRun, type RequestOutcome } from "./group-by-connection.ts";

const report = (connection: string, request: number, extra: Partial<WhoAmI> = {}): WhoAmI => ({
  connection,
  clientAddress: "127.0.0.1",
  clientPort: 50_000 + connection.charCodeAt(0),
  request,
  closing: false,
  httpVersion: "1.1",
  serverTime: 1_700_000_000_000,
  ...extra,
});
const ok = (index: number, r: WhoAmI, durationMs = 2): RequestOutcome => ({ index, ok: true, report: r, durationMs });
const failed = (index: number, error: string): RequestOutcome => ({ index, ok: false, error, durationMs: 1 });

describe("grouping whoami reports by connection", () => {
  it("puts sequential requests on one kept-alive connection into one group, in order", () => {
    const outcomes = [1, 2, 3, 4, 5].map((i) => ok(i, report("a", i), i));
    const groups = groupByConnection(outcomes);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.clientPort).toBe(50_097);
    expect(groups[0]!.requests.map((r) => r.request)).toEqual([1, 2, 3, 4, 5]);
    expect(groups[0]!.requests.map((r) => r.durationMs)).toEqual([1, 2, 3, 4, 5]);
    expect(groups[0]!.origin).toBe("new");
    const view = viewRun({ outcomes, mode: "sequential", close: false });
    expect(view.summary).toBe("5 requests, 1 TCP connection: the browser reused it for every request.");
    expect(view.reusedRequests).toBe(4);
    expect(view.idleTimeoutS).toBeNull();
    expect(
      viewRun({
        outcomes: [failed(1, "x"), { index: 2, ok: true, report: report("a", 1), durationMs: 1, idleTimeoutS: 5 }],
        mode: "sequential",
        close: false,
      }).idleTimeoutS,
    ).toBe(5);
  });

  it("says when the connection was already open before the run", () => {
    const outcomes = [1, 2, 3].map((i) => ok(i, report("a", i + 6)));
    const [group] = groupByConnection(outcomes);
    expect(group!.origin).toBe("earlier");
    const view = viewRun({ outcomes, mode: "sequential", close: false });
    expect(view.reusedRequests).toBe(3);
    expect(view.summary).toMatch(
      /^3 requests, 1 TCP connection: the browser reused it for every request, and it was already open/,
    );
  });

  it("gives every request its own connection when the server closes each one", () => {
    const outcomes = [1, 2, 3].map((i) => ok(i, report(String.fromCharCode(96 + i), 1, { closing: true })));
    const view = viewRun({ outcomes, mode: "sequential", close: true });
    expect(view.groups.map((g) => g.closed)).toEqual([true, true, true]);
    expect(view.reusedRequests).toBe(0);
    expect(view.summary).toBe(
      "3 requests, 3 TCP connections: one connection per request, because the server closed each one after its response (Connection: close).",
    );
  });

  it("orders a connection's requests by the lab's numbers, even when parallel answers arrive out of order", () => {
    const outcomes = [
      ok(1, report("b", 2)),
      ok(2, report("a", 1)),
      ok(3, report("b", 1)),
      ok(4, report("a", 2)),
      ok(5, report("c", 1)),
    ];
    const groups = groupByConnection(outcomes);
    expect(groups.map((g) => g.connection)).toEqual(["b", "a", "c"]);
    expect(groups[0]!.requests.map((r) => [r.index, r.request])).toEqual([
      [3, 1],
      [1, 2],
    ]);
    const view = viewRun({ outcomes, mode: "parallel", close: false });
    expect(view.summary).toBe(
      "5 requests, 3 TCP connections: the requests overlapped, so the browser spread them over several connections, and 2 connections carried more than one request.",
    );
  });

  it("explains one connection per parallel request", () => {
    const outcomes = [ok(1, report("a", 1)), ok(2, report("b", 1)), ok(3, report("c", 4))];
    const view = viewRun({ outcomes, mode: "parallel", close: false });
    expect(view.summary).toBe(
      "3 requests, 3 TCP connections: one connection per request, because they were all in flight at the same time. 1 connection was already open before this run.",
    );
  });

  it("counts failures apart and says why they failed", () => {
    const outcomes = [ok(1, report("a", 1)), failed(2, "the lab answered 500 instead of a report")];
    const view = viewRun({ outcomes, mode: "sequential", close: false });
    expect(view.requests).toBe(2);
    expect(view.succeeded).toBe(1);
    expect(view.failures).toEqual([{ index: 2, error: "the lab answered 500 instead of a report" }]);
    expect(view.summary).toBe(
      "1 request, 1 TCP connection: a new connection, first used by this request. 1 request failed: the lab answered 500 instead of a report.",
    );
  });

  it("says so when nothing reached the lab", () => {
    const view = viewRun({ outcomes: [failed(1, "no"), failed(2, "no")], mode: "parallel", close: false });
    expect(view.groups).toEqual([]);
    expect(view.summary).toBe("2 requests, no answer from the lab. Every request failed: no.");
  });
});

describe("run history and numbers", () => {
  it("keeps the latest run first and at most the limit", () => {
    let history: number[] = [];
    for (let i = 1; i <= 12; i++) history = addRun(history, i, 10);
    expect(history).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });

  it("formats durations", () => {
    expect(formatMs(3.14159)).toBe("3.1 ms");
    expect(formatMs(1234.4)).toBe("1,234 ms");
    expect(formatMs(Number.NaN)).toBe("? ms");
  });
});
