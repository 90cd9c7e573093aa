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
    const { response } = await rawExchange(
      running.port,
      `GET /../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
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

describe("inline styles and the Content-Security-Policy", () => {
  it("allows exactly the inline styles the build recorded, by hash", async () => {
    const { inlineStyleHashes, writeInlineStyleHashes, readInlineStyleHashes } =
      await import("./inline-style-hashes.ts");
    const { createHash } = await import("node:crypto");
    const { mkdtemp, writeFile, mkdir, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { createSiteServer } = await import("./site-server.ts");
    const css = "body{margin:0}.a>.b{color:red}";
    const sha = `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
    expect(inlineStyleHashes(`<head><style>${css}</style><style media="print">p{}</style></head>`)).toEqual([
      sha,
      `'sha256-${createHash("sha256").update("p{}").digest("base64")}'`,
    ]);
    const dist = await mkdtemp(join(tmpdir(), "sp-csp-"));
    await mkdir(join(dist, "lessons", "a"), { recursive: true });
    await writeFile(join(dist, "index.html"), `<!doctype html><style>${css}</style><title>home</title>`);
    await writeFile(join(dist, "lessons", "a", "index.html"), `<!doctype html><style>${css}</style><title>a</title>`);
    expect(await writeInlineStyleHashes(dist)).toEqual([sha]);
    expect(readInlineStyleHashes(dist)).toEqual([sha]);
    const site = createSiteServer({ distDir: dist });
    const { port } = await site.listen(0, "127.0.0.1");
    try {
      const csp = (await fetch(`http://127.0.0.1:${port}/lessons/a/`)).headers.get("content-security-policy") ?? "";
      const directives = csp.split(";").map((d) => d.trim());
      expect(directives).toContain(`style-src 'self' ${sha}`);
      expect(directives).toContain("style-src-attr 'unsafe-inline'");
      // An asset carries no inline style: its policy is the same, without the pages' hashes.
      await writeFile(join(dist, "app.js"), "export {};");
      const assetCsp = (await fetch(`http://127.0.0.1:${port}/app.js`)).headers.get("content-security-policy") ?? "";
      expect(assetCsp.split(";").map((d) => d.trim())).toContain("style-src 'self'");
      expect(assetCsp).toContain("default-src 'self'");
    } finally {
      await site.close();
      await rm(dist, { recursive: true, force: true });
    }
    // A root without the file (a build from before) allows no inline style at all.
    expect(readInlineStyleHashes(join(tmpdir(), "sp-no-such-build"))).toEqual([]);
  });
});
