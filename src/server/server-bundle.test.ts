// The production server's bundle (what `npm start` runs) is the same server as the sources:
// built here into a scratch folder inside the project (so its package imports find
// node_modules), it serves a page and echoes over a real WebSocket, and it imports nothing of
// this project's TypeScript at run time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleServer } from "./server-bundle.ts";
import { closeOf, nextMessage, openClient } from "./test-helpers.ts";
import type * as SiteServerModule from "./site-server.ts";

const root = resolve(import.meta.dirname, "..", "..");
let scratch = "";
let bundles: string[] = [];

beforeAll(async () => {
  await mkdir(join(root, ".tmp"), { recursive: true });
  scratch = await mkdtemp(join(root, ".tmp", "server-bundle-"));
  bundles = await bundleServer(root, join(scratch, "dist-server"));
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the production server's bundle", () => {
  it("holds serve.mjs and site-server.mjs, importing only Node's modules and packages", async () => {
    expect(bundles.map((path) => path.slice(scratch.length))).toEqual([
      "/dist-server/serve.mjs",
      "/dist-server/site-server.mjs",
    ]);
    for (const path of bundles) {
      const text = await readFile(path, "utf8");
      const specifiers = [...text.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gm)].map((m) => m[1]!);
      expect(specifiers.length).toBeGreaterThan(0);
      // A relative import would be a module left out of the bundle; a .ts one, TypeScript at run time.
      expect(specifiers.filter((s) => s.startsWith(".") || s.endsWith(".ts"))).toEqual([]);
      expect(text).not.toMatch(/import\(\s*["'][^"']*\.ts["']\s*\)/);
    }
  });

  it("serves the site and echoes over a real WebSocket, like the sources", async () => {
    const distDir = join(scratch, "dist");
    await mkdir(distDir, { recursive: true });
    await writeFile(join(distDir, "index.html"), "<!doctype html><title>bundled</title><p>served by the bundle</p>");
    const { createSiteServer } = (await import(pathToFileURL(bundles[1]!).href)) as typeof SiteServerModule;
    const site = createSiteServer({ distDir });
    const { port } = await site.listen(0, "127.0.0.1");
    try {
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("served by the bundle");
      const origin = `http://127.0.0.1:${port}`;
      const ws = await openClient(`ws://127.0.0.1:${port}/lab/echo`, origin);
      ws.send("through the bundle");
      const echoed = await nextMessage(ws);
      expect(echoed.data.toString()).toBe("through the bundle");
      const closed = closeOf(ws);
      ws.close(1000, "done");
      expect((await closed).code).toBe(1000);
    } finally {
      await site.close();
    }
  });
});
