// Serves the static build (dist/). Paths are decoded and resolved inside the root, so no
// request can read outside it; directories serve their index.html; hashed assets under
// /_astro/ are cached for a year, everything else is revalidated with an ETag. A text file
// with precompressed copies (precompress.ts) is sent as brotli or gzip when the request's
// Accept-Encoding allows (accept-encoding.ts), with Vary: Accept-Encoding so caches keep the
// copies apart, and an ETag of its own per encoding.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { chooseEncoding, type StoredEncoding } from "./accept-encoding.ts";
import { COMPRESSIBLE_EXTENSIONS } from "./precompress.ts";
import { readInlineStyleHashes } from "./inline-style-hashes.ts";
import { securityHeadersWith } from "./security-headers.ts";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".map": "application/json; charset=utf-8",
};

type Resolved = { path: string; size: number; mtimeMs: number } | null;

async function fileAt(path: string): Promise<Resolved> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { path, size: info.size, mtimeMs: info.mtimeMs };
    if (info.isDirectory()) return fileAt(join(path, "index.html"));
  } catch {
    /* not found */
  }
  return null;
}

const suffix: Record<StoredEncoding, string> = { br: ".br", gzip: ".gz" };

/** The copies of `file` stored compressed, each with its size. */
async function storedCopies(file: NonNullable<Resolved>): Promise<Map<StoredEncoding, number>> {
  const copies = new Map<StoredEncoding, number>();
  if (!COMPRESSIBLE_EXTENSIONS.has(extname(file.path).toLowerCase())) return copies;
  await Promise.all(
    (["br", "gzip"] as const).map(async (encoding) => {
      try {
        const info = await stat(file.path + suffix[encoding]);
        // A copy older than its file belongs to an earlier build: never send it.
        if (info.isFile() && info.mtimeMs >= file.mtimeMs) copies.set(encoding, info.size);
      } catch {
        /* no such copy */
      }
    }),
  );
  return copies;
}

/**
 * Sends `file` (or its compressed copy the client accepts) with `headers`; answers 304 when the
 * client's If-None-Match names this very representation.
 */
async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: NonNullable<Resolved>,
  status: number,
  headers: Record<string, string>,
): Promise<void> {
  const copies = await storedCopies(file);
  const encoding = chooseEncoding(request.headers["accept-encoding"], [...copies.keys()]);
  const size = encoding ? copies.get(encoding)! : file.size;
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;
  const all: Record<string, string> = { ...headers, ETag: etag };
  if (copies.size > 0) all.Vary = "Accept-Encoding";
  if (encoding) all["Content-Encoding"] = encoding;
  if (status === 200 && request.headers["if-none-match"] === etag) {
    response.writeHead(304, all).end();
    return;
  }
  response.writeHead(status, { ...all, "Content-Length": String(size) });
  if (request.method === "HEAD") return void response.end();
  const stream = createReadStream(encoding ? file.path + suffix[encoding] : file.path);
  stream.on("error", () => response.destroy());
  stream.pipe(response);
}

/** Maps a URL path to a file path inside `root`, or null when it would escape or is malformed. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const candidate = normalize(join(root, decoded));
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  if (candidate !== root && !candidate.startsWith(rootWithSep)) return null;
  return candidate;
}

export interface StaticOptions {
  /** Maps a request's path to the path served, or null for 404 (default: every path as it is). */
  route?: (pathname: string) => string | null;
  /** Origins the pages may connect to besides their own (contentSecurityPolicy's connectSources). */
  connectSources?: readonly string[];
}

export function createStaticHandler(
  root: string,
  options: StaticOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  // Read once: the build that wrote these pages wrote their styles' hashes. Only pages carry
  // inline styles, so only pages list the hashes (one per page's styles since styles are split
  // by page, about 1.3 KB of header): scripts, fonts and images get the same policy without them.
  const securityHeaders = securityHeadersWith(readInlineStyleHashes(root), options.connectSources);
  const assetSecurityHeaders = securityHeadersWith([]);
  const send404 = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const page = await fileAt(join(root, "404.html"));
    const headers = { ...securityHeaders, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" };
    if (page) return sendFile(request, response, page, 404, headers);
    response.writeHead(404, headers).end(request.method === "HEAD" ? undefined : "Not found\n");
  };

  return async (request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...securityHeaders, Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      response.end("This server only serves pages: use GET or HEAD.\n");
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(request.url ?? "/", "http://site.invalid").pathname;
    } catch {
      pathname = "/";
    }
    const routed = options.route ? options.route(pathname) : pathname;
    const target = routed === null ? null : resolveInside(root, routed);
    const file = target ? await fileAt(target) : null;
    if (!file) return send404(request, response);

    const immutable = pathname.startsWith("/_astro/");
    const contentType = contentTypes[extname(file.path).toLowerCase()] ?? "application/octet-stream";
    await sendFile(request, response, file, 200, {
      ...(contentType.startsWith("text/html") ? securityHeaders : assetSecurityHeaders),
      "Content-Type": contentType,
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
  };
}
