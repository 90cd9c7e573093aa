import { describe, expect, it } from "vitest";
import { postWhenLabFree, retryWaitMs, type WaitNote } from "./when-lab-free.ts";

const answers = (...statuses: number[]) => {
  const asked: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    asked.push(`${init.method} ${url}`);
    const status = statuses.shift() ?? 200;
    return new Response(status === 200 ? "{}" : "busy", {
      status,
      headers: status === 503 ? { "Retry-After": "2" } : status === 429 ? { "Retry-After": "1" } : {},
    });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
};

describe("a self-run posted while the lab is busy for everyone", () => {
  it("waits as Retry-After says and tries again until the lab takes it", async () => {
    const { fetch, asked } = answers(503, 503, 200);
    const waits: WaitNote[] = [];
    const slept: number[] = [];
    const response = await postWhenLabFree(
      "/lab/h2-twin",
      { body: "{}" },
      { fetch, onWait: (n) => waits.push(n), sleep: async (ms) => void slept.push(ms) },
    );
    expect(response.status).toBe(200);
    expect(asked).toEqual(["POST /lab/h2-twin", "POST /lab/h2-twin", "POST /lab/h2-twin"]);
    expect(waits.map((w) => w.attempt)).toEqual([2, 3]);
    for (const ms of slept) expect(ms).toBeGreaterThanOrEqual(2000);
    for (const ms of slept) expect(ms).toBeLessThan(2250);
  });

  it("waits out its address's rate too (429), as Retry-After says", async () => {
    const { fetch, asked } = answers(429, 200);
    const slept: number[] = [];
    expect((await postWhenLabFree("/x", {}, { fetch, sleep: async (ms) => void slept.push(ms) })).status).toBe(200);
    expect(asked).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(1000);
  });

  it("gives the last busy answer back after its attempts, and never retries a refusal", async () => {
    const busy = answers(503, 429, 503);
    expect((await postWhenLabFree("/x", {}, { fetch: busy.fetch, attempts: 3, sleep: async () => {} })).status).toBe(
      503,
    );
    expect(busy.asked).toHaveLength(3);
    for (const status of [403, 400, 413]) {
      const refused = answers(status);
      expect((await postWhenLabFree("/x", {}, { fetch: refused.fetch, sleep: async () => {} })).status).toBe(status);
      expect(refused.asked).toHaveLength(1);
    }
  });

  it("keeps waits within bounds whatever the header says", () => {
    expect(retryWaitMs("600", 1)).toBeLessThan(5250);
    expect(retryWaitMs("0", 1)).toBeGreaterThanOrEqual(500);
    expect(retryWaitMs(null, 3)).toBeGreaterThanOrEqual(3000);
    expect(retryWaitMs("soon", 1)).toBeGreaterThanOrEqual(1000);
  });
});
