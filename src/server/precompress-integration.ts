// When `astro build` finishes: writes the hashes of the pages' inline styles for the
// Content-Security-Policy (inline-style-hashes.ts), indexes the lessons for site search
// (search-index.ts), writes the offline copy's service worker (offline-copy.ts), runs
// precompress.ts over the output, and bundles the production server (server-bundle.ts), so
// every build (`npm run build`, and `npm start` building a stale site) ships all of them.
import type { AstroIntegration } from "astro";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { writeInlineStyleHashes } from "./inline-style-hashes.ts";
import { precompressDirectory } from "./precompress.ts";
import { buildSearchIndex } from "./search-index.ts";
import { writeServiceWorker } from "./offline-copy.ts";
import { bundleServer } from "./server-bundle.ts";

export function precompressIntegration(): AstroIntegration {
  let root = process.cwd();
  return {
    name: "switching-protocols-build-output",
    hooks: {
      "astro:config:done": ({ config }) => {
        root = fileURLToPath(config.root);
      },
      "astro:build:done": async ({ dir, logger }) => {
        const hashes = await writeInlineStyleHashes(fileURLToPath(dir));
        logger.info(`Inline styles allowed by the Content-Security-Policy: ${hashes.length}`);
        // Before precompressing, so the index's text files get their brotli and gzip copies too.
        logger.info(`Search index: ${await buildSearchIndex(fileURLToPath(dir))} pages`);
        // After the index, which the offline copy keeps too.
        logger.info(`Offline copy (sw.js): ${await writeServiceWorker(fileURLToPath(dir))} files`);
        const s = await precompressDirectory(fileURLToPath(dir));
        const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
        logger.info(
          `Precompressed ${s.files} files, ${kib(s.bytes)}: brotli ${kib(s.brotliBytes)}, gzip ${kib(s.gzipBytes)}`,
        );
        const bundles = await bundleServer(root);
        logger.info(`Production server bundled: ${bundles.map((path) => relative(root, path)).join(", ")}`);
      },
    },
  };
}
