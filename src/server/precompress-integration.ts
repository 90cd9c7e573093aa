// Runs precompress.ts over the build output when `astro build` finishes, so every build
// (`npm run build`, and `npm start` building a stale site) ships its .br and .gz copies.
import type { AstroIntegration } from "astro";
import { fileURLToPath } from "node:url";
import { precompressDirectory } from "./precompress.ts";

export function precompressIntegration(): AstroIntegration {
  return {
    name: "switching-protocols-precompress",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const s = await precompressDirectory(fileURLToPath(dir));
        const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
        logger.info(`Precompressed ${s.files} files, ${kib(s.bytes)}: brotli ${kib(s.brotliBytes)}, gzip ${kib(s.gzipBytes)}`);
      },
    },
  };
}
