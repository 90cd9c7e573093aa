import { afterEach, describe, expect, it } from "vitest";
import { resolveInside } from "./static-files.ts";
import { rawExchange, startSite, type Running } from "./test-helpers.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe("static files", () => {
  it("serves pages with the security headers", async () => {
    running = await startSite();
    const response = await fetch(`${running.origin}/lessons/start-here/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<title>lesson</title>");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("answers unknown pages with the 404 page", async () => {
    running = await startSite();
    const response = await fetch(`${running.origin}/nope`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("not found");
  });

  it("never serves a file outside the build", async () => {
    running = await startSite();
    const { response } = await rawExchange(running.port, `GET /../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 404/);
    const encoded = await fetch(`${running.origin}/%2e%2e/%2e%2e/etc/passwd`);
    expect(encoded.status).toBe(404);
    expect(resolveInside("/srv/dist", "/../etc/passwd")).toBeNull();
    expect(resolveInside("/srv/dist", "/lessons/x/")).toBe("/srv/dist/lessons/x/");
    expect(resolveInside("/srv/dist", "/%2e%2e/x")).toBeNull();
    expect(resolveInside("/srv/dist", "/a%00b")).toBeNull();
  });

  it("refuses methods other than GET and HEAD", async () => {
    running = await startSite();
    const response = await fetch(`${running.origin}/`, { method: "POST", body: "x" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("revalidates with an ETag", async () => {
    running = await startSite();
    const first = await fetch(`${running.origin}/`);
    const etag = first.headers.get("etag")!;
    const second = await fetch(`${running.origin}/`, { headers: { "If-None-Match": etag } });
    expect(second.status).toBe(304);
  });
});
