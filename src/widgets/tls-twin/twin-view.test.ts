// The two columns from a real answer of the lab (fixtures/twin-run.json, saved from
// POST /lab/tls-twin: a throwaway TLS session with a throwaway certificate).
import { describe, expect, it } from "vitest";
import { parseTlsTwinRun } from "../../protocol/tls-twin-api.ts";
import fixture from "./fixtures/twin-run.json" with { type: "json" };
import { twinTotals, wsItems, wssItems } from "./twin-view.ts";

const run = parseTlsTwinRun(fixture)!;

describe("the lab's answer", () => {
  it("passes the checks, and a tampered one does not", () => {
    expect(run).not.toBeNull();
    expect(parseTlsTwinRun({ ...fixture, ws: { ...fixture.ws, chunks: [{ dir: "sideways" }] } })).toBeNull();
    expect(parseTlsTwinRun("nope")).toBeNull();
  });
});

describe("the ws:// column", () => {
  it("shows the upgrade, the 101, and every frame, readable", () => {
    const items = wsItems(run);
    expect(items[0]).toMatchObject({ dir: "in", title: "The upgrade request, in plain text" });
    expect(items[0]!.lines[0]).toBe("GET /lab/echo HTTP/1.1");
    expect(items[1]!.lines[0]).toBe("HTTP/1.1 101 Switching Protocols");
    const frames = items.filter((i) => i.title.endsWith("frame"));
    expect(frames.map((f) => `${f.dir} ${f.title}`)).toEqual([
      "in text frame",
      "out text frame",
      "in close frame",
      "out close frame",
    ]);
    expect(frames[0]!.hex.startsWith(`81 85 ${run.maskingKey.match(/../g)!.join(" ")}`)).toBe(true);
    expect(frames[0]!.lines[0]).toMatch(/MASK 1 · key [0-9a-f ]+ · payload 5 bytes: “Hello”/);
  });
});

describe("the wss:// column", () => {
  const items = wssItems(run);

  it("starts with the hellos in the clear, server name and version readable", () => {
    expect(items[0]!.title).toBe("handshake record: ClientHello, in the clear");
    expect(items[0]!.lines).toContain("Server name (SNI), readable by anyone on the way: localhost (RFC 6066 §3).");
    expect(items[0]!.hex).toMatch(/^16 03 01 /);
    expect(items.find((i) => i.title.includes("ServerHello"))!.lines.join(" ")).toMatch(/Version chosen: TLS 1\.3/);
  });

  it("hides everything after in application_data records, each opened with the session's secrets", () => {
    const hidden = items.filter((i) => i.title === "application_data record");
    expect(hidden.length).toBeGreaterThan(6);
    expect(hidden.every((i) => i.lines.some((l) => l.startsWith("Inside, hidden:")))).toBe(true);
    expect(hidden.some((i) => i.lines.some((l) => l.includes("Certificate") && l.includes("§4.4.2")))).toBe(true);
    expect(hidden.some((i) => i.lines.some((l) => l.includes("the HTTP upgrade: “GET /lab/echo HTTP/1.1”")))).toBe(
      true,
    );
  });

  it("finds inside TLS the very frames the ws:// column shows", () => {
    const frames = items.filter((i) => i.same !== undefined);
    expect(frames.length).toBe(4);
    expect(frames.every((i) => i.same)).toBe(true);
    expect(frames[0]!.lines.find((l) => l.startsWith("Inside"))).toMatch(
      /a WebSocket text frame: 81 85 .* — the same bytes as the ws:\/\/ column\.$/,
    );
  });
});

describe("the totals", () => {
  it("count both twins' bytes from their chunks", () => {
    const totals = twinTotals(run);
    expect(totals.ws.in).toBe(run.ws.chunks.filter((c) => c.dir === "in").reduce((n, c) => n + c.length, 0));
    expect(totals.extraBytes).toBeGreaterThan(1000);
    expect(totals.records).toBe(wssItems(run).length);
  });
});
