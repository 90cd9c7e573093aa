// Page weight: for every page of the production build, the gzip size of what a browser must
// fetch before the page works (HTML, stylesheets, and scripts with their static imports).
// Widget code loaded on demand (dynamic import when a widget scrolls into view) and fonts
// (fetched only for the characters in use) are reported separately.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join, relative, dirname } from "node:path";
import { filesUnder } from "../src/server/files-under.ts";

export interface PageWeight {
  page: string;
  htmlGzip: number;
  cssGzip: number;
  jsGzip: number;
  lazyJsGzip: number;
}

async function htmlFiles(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).filter((f) => f.endsWith(".html"));
}

const gz = (text: string | Buffer): number => gzipSync(text).byteLength;

async function scriptClosure(dist: string, entry: string, seen: Set<string>, lazy: Set<string>): Promise<void> {
  if (seen.has(entry)) return;
  seen.add(entry);
  const code = await readFile(join(dist, entry), "utf8");
  const base = dirname(entry);
  for (const match of code.matchAll(/\bimport\s*(?:[\w{}\s,*$]+from\s*)?["'`]([^"'`]+\.js)["'`]/g)) {
    await scriptClosure(dist, join(base, match[1]!), seen, lazy);
  }
  for (const match of code.matchAll(/\bimport\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)) lazy.add(join(base, match[1]!));
}

export async function measurePages(dist: string): Promise<PageWeight[]> {
  const results: PageWeight[] = [];
  for (const file of await htmlFiles(dist)) {
    const html = await readFile(file, "utf8");
    const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    let cssGzip = 0;
    for (const href of css) cssGzip += gz(await readFile(join(dist, href)));
    const seen = new Set<string>();
    const lazy = new Set<string>();
    for (const src of scripts) await scriptClosure(dist, src.replace(/^\//, ""), seen, lazy);
    let jsGzip = 0;
    for (const path of seen) jsGzip += gz(await readFile(join(dist, path)));
    // Everything reachable through dynamic imports, however deep (widget code, then Shiki).
    const lazySeen = new Set<string>();
    const pending = [...lazy];
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (seen.has(path) || lazySeen.has(path)) continue;
      const nested = new Set<string>();
      await scriptClosure(dist, path, lazySeen, nested);
      pending.push(...nested);
    }
    let lazyJsGzip = 0;
    for (const path of lazySeen) if (!seen.has(path)) lazyJsGzip += gz(await readFile(join(dist, path)));
    results.push({
      page: "/" + relative(dist, file).replace(/index\.html$/, ""),
      htmlGzip: gz(html),
      cssGzip,
      jsGzip,
      lazyJsGzip,
    });
  }
  return results.sort((a, b) => a.page.localeCompare(b.page));
}
