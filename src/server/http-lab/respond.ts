// Answers from the lab's plain-HTTP endpoints. Nothing here may be cached (each answer is about
// one moment and one connection), and plain-text refusals say in a sentence what was wrong.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

export const LAB_HTTP_HEADERS: Readonly<Record<string, string>> = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
};

/** Writes a complete response; a HEAD request gets the same head and no body. */
export function writeWhole(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string,
): void {
  if (response.headersSent || response.writableEnded || response.destroyed) return;
  response.writeHead(status, { ...LAB_HTTP_HEADERS, ...headers, "Content-Length": Buffer.byteLength(body) });
  response.end(request.method === "HEAD" ? undefined : body);
}

export function jsonHeaders(): OutgoingHttpHeaders {
  return { "Content-Type": "application/json; charset=utf-8" };
}

/** A refusal in words: `message` becomes the plain-text body. */
export function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  writeWhole(request, response, status, { "Content-Type": "text/plain; charset=utf-8", ...headers }, `${message}\n`);
}
