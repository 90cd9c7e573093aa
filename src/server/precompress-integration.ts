// When `astro build` finishes: writes the hashes of the pages' inline styles for the
// Content-Security-Policy (inline-style-hashes.ts), then runs precompress.ts over the output,
// so every build (`npm run build`, and `npm start` building a stale site) ships both.
import type { AstroIntegration } from "astro";
import { fileURLToPath } from "node:url";
import { writeInlineStyleHashes } from "./inline-style-hashes.ts";
import { precompressDirectory } from "./precompress.ts";

export function precompressIntegration(): AstroIntegration {
  return {
    name: "switching-protocols-build-output",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const hashes = await writeInlineStyleHashes(fileURLToPath(dir));
        logger.info(`Inline styles allowed by the Content-Security-Policy: ${hashes.length}`);
        const s = await precompressDirectory(fileURLToPath(dir));
        const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
        logger.info(`Precompressed ${s.files} files, ${kib(s.bytes)}: brotli ${kib(s.brotliBytes)}, gzip ${kib(s.gzipBytes)}`);
      },
    },
  };
}
