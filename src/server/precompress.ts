// Precompressed copies of the build, made once at build time so the server never compresses
// on a request: for every text file (HTML, scripts, styles, SVG, JSON, XML, text) big enough to
// gain, a brotli copy at its highest quality (FILE.br) and a gzip copy (FILE.gz), each kept only
// when smaller than the file. static-files.ts sends whichever the client accepts
// (accept-encoding.ts). Fonts and images are already compressed and are left alone.
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { filesUnder } from "./files-under.ts";

export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".svg",
  ".json",
  ".xml",
  ".txt",
  ".webmanifest",
]);

/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 256;

export interface PrecompressSummary {
  files: number;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

export function compressBoth(data: Buffer): { br: Buffer; gzip: Buffer } {
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  return { br, gzip: gzipSync(data, { level: constants.Z_BEST_COMPRESSION }) };
}

/** Writes FILE.br and FILE.gz next to every compressible file under `dir`. */
export async function precompressDirectory(dir: string): Promise<PrecompressSummary> {
  const summary: PrecompressSummary = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const path of await filesUnder(dir)) {
    if (!COMPRESSIBLE_EXTENSIONS.has(extname(path).toLowerCase())) continue;
    const data = await readFile(path);
    if (data.length < MIN_BYTES) continue;
    const { br, gzip } = compressBoth(data);
    summary.files++;
    summary.bytes += data.length;
    if (br.length < data.length) {
      await writeFile(`${path}.br`, br);
      summary.brotliBytes += br.length;
    }
    if (gzip.length < data.length) {
      await writeFile(`${path}.gz`, gzip);
      summary.gzipBytes += gzip.length;
    }
  }
  return summary;
}
