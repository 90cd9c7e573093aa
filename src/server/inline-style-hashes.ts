// The build inlines each page's styles into the page (astro.config.mjs): a stylesheet
// file is a request the browser must finish before it draws anything, which on a phone's slow
// link costs a round trip or two before the first paint. The Content-Security-Policy still
// refuses inline styles in general (style-src 'self'); it allows these exact ones by their
// hashes (CSP Level 3 'sha256-…'). At the end of `astro build` the hashes of every inline
// <style> in the output are written to INLINE_STYLE_HASHES_FILE, which the production server
// reads when it starts (static-files.ts).
import { readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { filesUnder } from "./files-under.ts";

export const INLINE_STYLE_HASHES_FILE = "inline-style-hashes.json";

/** The CSP source expression of each <style> element's text in `html`, in order. */
export function inlineStyleHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<style(?:\s[^>]*)?>([\s\S]*?)<\/style>/gi)) {
    hashes.push(`'sha256-${createHash("sha256").update(match[1]!, "utf8").digest("base64")}'`);
  }
  return hashes;
}

/** Writes the distinct hashes of every page's inline styles under `dir`; returns them. */
export async function writeInlineStyleHashes(dir: string): Promise<string[]> {
  const all = new Set<string>();
  for (const file of (await filesUnder(dir)).filter((f) => f.endsWith(".html")))
    for (const hash of inlineStyleHashes(await readFile(file, "utf8"))) all.add(hash);
  const hashes = [...all].sort();
  await writeFile(join(dir, INLINE_STYLE_HASHES_FILE), `${JSON.stringify(hashes)}\n`);
  return hashes;
}

/** The hashes a build wrote, or none (a build from before, or a hand-made test root). */
export function readInlineStyleHashes(dir: string): string[] {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, INLINE_STYLE_HASHES_FILE), "utf8"));
    if (Array.isArray(value) && value.every((h) => typeof h === "string" && /^'sha256-[A-Za-z0-9+/]+=*'$/.test(h)))
      return value;
  } catch {
    /* no file, or not ours */
  }
  return [];
}
