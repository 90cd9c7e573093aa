// The offline copy's list and worker: every page and file of a built site, nothing else, and a
// worker that compiles and never keeps the lab's live paths.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Script } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { offlineUrls, serviceWorkerSource, writeServiceWorker } from "./offline-copy.ts";

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

async function site(files: string[]): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "sp-offline-"));
  for (const file of files) {
    await mkdir(join(dir, file, ".."), { recursive: true });
    await writeFile(join(dir, file), "x");
  }
  return dir;
}

describe("the site's offline copy", () => {
  it("lists pages by their URL and files as they are, leaving out compressed twins, build notes and the other site", async () => {
    const root = await site([
      "index.html",
      "index.html.br",
      "lessons/frames/index.html",
      "lessons/frames/index.html.gz",
      "_astro/a.js",
      "pagefind/pagefind.js",
      "favicon.svg",
      "inline-style-hashes.json",
      "other-site/index.html",
      "404.html",
    ]);
    expect(await offlineUrls(root)).toEqual([
      "/",
      "/404.html",
      "/_astro/a.js",
      "/favicon.svg",
      "/lessons/frames/",
      "/pagefind/pagefind.js",
    ]);
  });

  it("writes a worker that compiles, fetches nothing ahead, names its cache after the build, and passes /lab/ by", async () => {
    const root = await site(["index.html", "_astro/a.js"]);
    expect(await writeServiceWorker(root)).toBe(2);
    const source = await readFile(join(root, "sw.js"), "utf8");
    expect(() => new Script(source)).not.toThrow();
    expect(source).not.toMatch(/addAll/);
    expect(source).toContain('cache: "force-cache"');
    expect(source).toContain('!url.pathname.startsWith("/lab/")');
    const cacheName = (text: string) => /const CACHE = "([^"]+)"/.exec(text)![1];
    expect(cacheName(serviceWorkerSource(["/a"]))).not.toBe(cacheName(serviceWorkerSource(["/b"])));
  });
});
