// Compressed responses over real sockets: the build's precompressed copies are sent as the
// client's Accept-Encoding allows, and decode to exactly the bytes of the file.
import { afterEach, describe, expect, it } from "vitest";
import { readFile, writeFile, mkdtemp, rm, utimes } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { chooseEncoding } from "./accept-encoding.ts";
import { precompressDirectory } from "./precompress.ts";
import { createSiteServer, type SiteServer } from "./site-server.ts";

describe("choosing an encoding (RFC 9110 §12.5.3)", () => {
  const both = ["br", "gzip"] as const;
  it("prefers brotli when the client takes both, and follows the client's weights", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd", both)).toBe("br");
    expect(chooseEncoding("br;q=0.5, gzip", both)).toBe("gzip");
    expect(chooseEncoding("gzip;q=1.0, br;q=1.0", both)).toBe("br");
    expect(chooseEncoding("x-gzip", both)).toBe("gzip");
  });
  it("sends the file as it is when the client takes neither, refuses one with q=0, or did not say", () => {
    expect(chooseEncoding(undefined, both)).toBeNull();
    expect(chooseEncoding("", both)).toBeNull();
    expect(chooseEncoding("identity", both)).toBeNull();
    expect(chooseEncoding("br;q=0, gzip;q=0", both)).toBeNull();
    expect(chooseEncoding("*;q=0", both)).toBeNull();
    expect(chooseEncoding("br;q=0, *", both)).toBe("gzip");
    expect(chooseEncoding("br", ["gzip"])).toBeNull();
    expect(chooseEncoding("BR;Q=0.9", both)).toBe("br");
  });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function fetchRaw(port: number, path: string, headers: Record<string, string>, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

let site: SiteServer | null = null;
let dist: string | null = null;
afterEach(async () => {
  await site?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
  site = null;
  dist = null;
});

async function serveBuild(): Promise<{ port: number; html: Buffer; script: Buffer }> {
  dist = await mkdtemp(join(tmpdir(), "sp-compress-"));
  const html = Buffer.from(`<!doctype html><title>lesson</title>${"<p>WebSocket frames, byte by byte. ".repeat(400)}`);
  const script = Buffer.from(
    `export const frames = ${JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ opcode: i % 3, length: i })))};`,
  );
  await writeFile(join(dist, "index.html"), html);
  await writeFile(join(dist, "404.html"), `<!doctype html><title>not found</title>${" ".repeat(600)}`);
  await writeFile(join(dist, "app.js"), script);
  await writeFile(join(dist, "tiny.css"), "p{margin:0}");
  await writeFile(join(dist, "font.woff2"), Buffer.alloc(2048, 7));
  const summary = await precompressDirectory(dist);
  expect(summary.files).toBe(3);
  expect(summary.brotliBytes).toBeLessThan(summary.bytes / 4);
  site = createSiteServer({ distDir: dist });
  const { port } = await site.listen(0, "127.0.0.1");
  return { port, html, script };
}

describe("compressed responses", () => {
  it("sends brotli or gzip as accepted, decoding to the very same bytes, with Vary and an ETag per encoding", async () => {
    const { port, html, script } = await serveBuild();
    const br = await fetchRaw(port, "/", { "Accept-Encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(html.length / 4);
    expect(brotliDecompressSync(br.body).equals(html)).toBe(true);

    const gz = await fetchRaw(port, "/app.js", { "Accept-Encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(script)).toBe(true);
    expect(gz.headers["content-type"]).toBe("text/javascript; charset=utf-8");

    const plain = await fetchRaw(port, "/", {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    expect(plain.body.equals(html)).toBe(true);

    const etags = new Set(
      [br, plain, await fetchRaw(port, "/", { "Accept-Encoding": "gzip" })].map((a) => a.headers.etag),
    );
    expect(etags.size).toBe(3);
    const revalidated = await fetchRaw(port, "/", {
      "Accept-Encoding": "br",
      "If-None-Match": String(br.headers.etag),
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers["content-encoding"]).toBe("br");
  });

  it("answers HEAD with the compressed length and no body; leaves small files, fonts and stale copies alone", async () => {
    const { port } = await serveBuild();
    const head = await fetchRaw(port, "/", { "Accept-Encoding": "br" }, "HEAD");
    expect(head.body.length).toBe(0);
    const { size } = await import("node:fs/promises").then((fs) => fs.stat(join(dist!, "index.html.br")));
    expect(Number(head.headers["content-length"])).toBe(size);

    const tiny = await fetchRaw(port, "/tiny.css", { "Accept-Encoding": "br" });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.headers.vary).toBeUndefined();
    const font = await fetchRaw(port, "/font.woff2", { "Accept-Encoding": "br, gzip" });
    expect(font.headers["content-encoding"]).toBeUndefined();

    const missing = await fetchRaw(port, "/nope", { "Accept-Encoding": "br" });
    expect(missing.status).toBe(404);
    expect(missing.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(missing.body).toString()).toContain("not found");

    // A file rebuilt after its copies were made is sent as it is, never with a stale copy.
    const later = new Date(Date.now() + 60_000);
    await writeFile(join(dist!, "app.js"), "export const rebuilt = true;".repeat(20));
    await utimes(join(dist!, "app.js"), later, later);
    const rebuilt = await fetchRaw(port, "/app.js", { "Accept-Encoding": "br, gzip" });
    expect(rebuilt.headers["content-encoding"]).toBeUndefined();
    expect(rebuilt.body.equals(await readFile(join(dist!, "app.js")))).toBe(true);
  });
});
