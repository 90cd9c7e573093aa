import { describe, expect, it } from "vitest";
import { fetchWhoAmI, keepAliveTimeout, runBatch, whoamiUrl, type FetchLike } from "./fetch-whoami.ts";

const json = (value: unknown, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });
const whoami = (connection: string, request: number) => ({
  connection,
  clientAddress: "127.0.0.1",
  clientPort: 51_234,
  request,
  closing: false,
  httpVersion: "1.1",
  serverTime: 1_700_000_000_000,
});

function clock(): () => number {
  let t = 0;
  return () => (t += 5);
}

describe("asking the lab who we are", () => {
  it("builds the address, with close=1 when asked", () => {
    expect(whoamiUrl(false)).toBe("/lab/http/whoami");
    expect(whoamiUrl(true)).toBe("/lab/http/whoami?close=1");
  });

  it("returns a validated report and the measured duration, never cached", async () => {
    let init: RequestInit | undefined;
    const fake: FetchLike = async (_url, i) => ((init = i), json(whoami("c1", 1)));
    const outcome = await fetchWhoAmI(1, "/lab/http/whoami", fake, clock());
    expect(init?.cache).toBe("no-store");
    expect(outcome).toEqual({ index: 1, ok: true, report: whoami("c1", 1), durationMs: 5, idleTimeoutS: null });
  });

  it("reads how long the lab keeps an idle connection from its Keep-Alive header", async () => {
    expect(keepAliveTimeout("timeout=5")).toBe(5);
    expect(keepAliveTimeout("max=100, timeout=15")).toBe(15);
    expect(keepAliveTimeout(null)).toBeNull();
    expect(keepAliveTimeout("max=100")).toBeNull();
    const fake: FetchLike = async () =>
      new Response(JSON.stringify(whoami("c1", 1)), { headers: { "Keep-Alive": "timeout=5" } });
    const outcome = await fetchWhoAmI(1, "/x", fake, clock());
    expect(outcome.ok && outcome.idleTimeoutS).toBe(5);
  });

  it("turns every kind of trouble into words instead of throwing", async () => {
    const down: FetchLike = async () => {
      throw new TypeError("Failed to fetch");
    };
    const missing: FetchLike = async () => new Response("nope", { status: 404, statusText: "Not Found" });
    const notJson: FetchLike = async () => new Response("<html>", { status: 200 });
    const wrongShape: FetchLike = async () => json({ connection: 42 });
    const reasons = await Promise.all(
      [down, missing, notJson, wrongShape].map(async (f) => {
        const outcome = await fetchWhoAmI(1, "/x", f, clock());
        return outcome.ok ? "ok" : outcome.error;
      }),
    );
    expect(reasons[0]).toMatch(/did not answer \(Failed to fetch\)/);
    expect(reasons[1]).toMatch(/answered 404 Not Found.*whoami endpoint/);
    expect(reasons[2]).toBe("the lab's answer was not JSON");
    expect(reasons[3]).toBe("the lab's answer did not look like a whoami report");
  });

  it("sends one by one: each request starts after the previous answer", async () => {
    let inFlight = 0;
    let most = 0;
    let n = 0;
    const fake: FetchLike = async (url) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      expect(url).toBe("/lab/http/whoami?close=1");
      return json(whoami("c", ++n));
    };
    const outcomes = await runBatch({ mode: "sequential", count: 4, close: true, fetch: fake, now: clock() });
    expect(most).toBe(1);
    expect(outcomes.map((o) => o.index)).toEqual([1, 2, 3, 4]);
  });

  it("sends all at once in parallel, outcomes in the order they were started", async () => {
    let inFlight = 0;
    let most = 0;
    let n = 0;
    const fake: FetchLike = async () => {
      const mine = ++n;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 10 - mine));
      inFlight--;
      return json(whoami(`c${mine}`, 1));
    };
    const outcomes = await runBatch({ mode: "parallel", count: 5, close: false, fetch: fake, now: clock() });
    expect(most).toBe(5);
    expect(outcomes.map((o) => (o.ok ? o.report.connection : "?"))).toEqual(["c1", "c2", "c3", "c4", "c5"]);
  });
});
