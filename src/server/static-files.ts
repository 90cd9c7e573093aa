// Serves the static build (dist/). Paths are decoded and resolved inside the root, so no
// request can read outside it; directories serve their index.html; hashed assets under
// /_astro/ are cached for a year, everything else is revalidated with an ETag.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { securityHeaders } from "./security-headers.ts";

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

export function createStaticHandler(root: string): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const send404 = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const page = await fileAt(join(root, "404.html"));
    response.writeHead(404, { ...securityHeaders, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" });
    if (request.method === "HEAD" || !page) return void response.end(page ? undefined : "Not found\n");
    const stream = createReadStream(page.path);
    stream.on("error", () => response.destroy());
    stream.pipe(response);
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
    const target = resolveInside(root, pathname);
    const file = target ? await fileAt(target) : null;
    if (!file) return send404(request, response);

    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
    const immutable = pathname.startsWith("/_astro/");
    const headers: Record<string, string> = {
      ...securityHeaders,
      "Content-Type": contentTypes[extname(file.path).toLowerCase()] ?? "application/octet-stream",
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      ETag: etag,
    };
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, "Content-Length": String(file.size) });
    if (request.method === "HEAD") return void response.end();
    const stream = createReadStream(file.path);
    stream.on("error", () => response.destroy());
    stream.pipe(response);
  };
}
