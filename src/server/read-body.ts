// A request body read whole, up to a limit: a body that says or turns out to be larger is not
// read further (the caller answers 413), so a client cannot make the server hold more than the
// limit. A body that arrives too slowly is the HTTP server's requestTimeout's to cut.
import type { IncomingMessage } from "node:http";

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too-large" | "aborted" };

export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      request.resume();
      return resolve({ ok: false, reason: "too-large" });
    }
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      request.off("data", onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > maxBytes) {
        chunks.length = 0;
        // Whatever else comes is drained and dropped, so the answer can still be written.
        request.resume();
        return settle({ ok: false, reason: "too-large" });
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => settle({ ok: true, bytes: new Uint8Array(Buffer.concat(chunks)) }));
    request.once("aborted", () => settle({ ok: false, reason: "aborted" }));
    request.once("error", () => settle({ ok: false, reason: "aborted" }));
  });
}
