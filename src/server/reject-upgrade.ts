// Answer an upgrade request that will not become a WebSocket with a complete, plain HTTP
// response, then close the socket: the client learns why at once instead of hanging.
import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";

export function rejectUpgrade(
  socket: Duplex,
  status: number,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": String(new TextEncoder().encode(body).byteLength),
    Connection: "close",
    "X-Content-Type-Options": "nosniff",
    ...extraHeaders,
  };
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join("\r\n");
  socket.end(`${head}\r\n\r\n${body}`);
}
