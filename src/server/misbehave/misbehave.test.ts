// The lab's own misbehaving client, over real sockets: each case gets the lab's documented
// answer, the record decodes with the same CaptureBuilder the page uses, and the endpoint
// keeps its Origin rule and its limits.
import { afterEach, describe, expect, it } from "vitest";
import { buildCaptureView } from "../../protocol/capture.ts";
import { MISBEHAVE_CASES, MISBEHAVE_PATH } from "../../protocol/misbehave-cases.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { toTapEvent } from "../../protocol/tap-parse.ts";
import { startSite, type Running } from "../test-helpers.ts";
import { SELF_RUN_BURST } from "../self-runs-http.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

/** `origin` "" sends no Origin header at all. */
async function run(site: Running, name: string, origin: string = site.origin): Promise<Response> {
  return fetch(`http://127.0.0.1:${site.port}${MISBEHAVE_PATH}?case=${name}`, {
    method: "POST",
    headers: origin ? { Origin: origin } : {},
  });
}

function parsed(body: { events: unknown[] }): TapEvent[] {
  return body.events.map((raw) => {
    const result = toTapEvent(raw);
    if (!result.ok) throw new Error(result.error);
    return result.event;
  });
}

describe("the lab's misbehaving client", () => {
  it.each(MISBEHAVE_CASES.filter((c) => c.expectedCode !== null).map((c) => [c.name, c.expectedCode] as const))(
    "%s: the lab fails the connection with %i, and the close handshake completes",
    async (name, code) => {
      running = await startSite({ maxMessageBytes: 1024 });
      const response = await run(running, name);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const events = parsed(await response.json());
      const view = buildCaptureView(events);
      expect(view.response?.text).toMatch(/^HTTP\/1\.1 101 /);
      const fromLab = view.frames.filter((f) => f.dir === "out");
      const labClose = fromLab.find((f) => f.frame.opcode === 0x8);
      expect(labClose?.close?.code).toBe(code);
      expect(labClose?.frame.masked).toBe(false);
      // The client's reply echoes the code, masked (RFC 6455 §5.5.1, §5.3).
      const close = events.at(-1);
      expect(close).toMatchObject({ type: "close", code, initiator: "server", wasClean: true });
      const sent = events.filter((e) => e.type === "chunk" && e.dir === "in");
      expect(sent.length).toBeGreaterThanOrEqual(2);
    },
  );

  it("the bytes sent break the rule named (the page's own decoder finds it)", async () => {
    running = await startSite({ maxMessageBytes: 1024 });
    const view = buildCaptureView(parsed(await (await run(running, "reserved-opcode")).json()));
    const reserved = view.errors.find((e) => e.dir === "in")?.error;
    expect(reserved?.reason).toMatch(/opcode/);
    expect(reserved?.closeCode).toBe(1002);
    const unmasked = buildCaptureView(parsed(await (await run(running, "unmasked")).json()));
    const noMask = unmasked.errors.find((e) => e.dir === "in")?.error;
    expect(noMask?.rfc).toMatch(/§5\.1|§5\.3/);
    expect(noMask?.closeCode).toBe(1002);
  });

  it("silent-peer: the heartbeat drops it with no close frame", async () => {
    running = await startSite();
    const started = performance.now();
    const events = parsed(await (await run(running, "silent-peer")).json());
    const view = buildCaptureView(events);
    const pings = view.frames.filter((f) => f.dir === "out" && f.frame.opcode === 0x9);
    expect(pings.length).toBeGreaterThanOrEqual(1);
    expect(view.frames.some((f) => f.frame.opcode === 0x8)).toBe(false);
    expect(view.frames.some((f) => f.dir === "in")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "close", code: 1006, wasClean: false, initiator: "server" });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("runs one case at a time per address: a second asks to wait, whatever its case", async () => {
    running = await startSite();
    const slow = run(running, "silent-peer");
    await new Promise((r) => setTimeout(r, 100));
    const second = await run(running, "unmasked");
    expect(second.status).toBe(429);
    expect(await second.text()).toMatch(/already has a run in progress/);
    expect((await slow).status).toBe(200);
    expect((await run(running, "unmasked")).status).toBe(200);
  });

  it("refuses another site's page, unknown cases, GET, and too many runs from one address", async () => {
    running = await startSite();
    expect((await run(running, "unmasked", "http://evil.example")).status).toBe(403);
    expect((await run(running, "unmasked", "")).status).toBe(403);
    expect((await run(running, "rm -rf")).status).toBe(400);
    expect(
      (
        await fetch(`http://127.0.0.1:${running.port}${MISBEHAVE_PATH}?case=unmasked`, {
          headers: { Origin: running.origin },
        })
      ).status,
    ).toBe(405);
    const statuses = await Promise.all(
      Array.from({ length: SELF_RUN_BURST + 2 }, () => run(running!, "unmasked").then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 429 || s === 503)).toBe(true);
  });
});
