// The answer to a request refused before anything looks at it (the Host check, the connection
// caps): the status and a sentence saying why, the security headers every answer carries, and
// Connection: close, since a client refused at the gate gets nothing more on this connection.
import type { IncomingMessage, ServerResponse } from "node:http";
import { securityHeaders } from "./security-headers.ts";

export function answerGateRefusal(
  request: IncomingMessage,
  response: ServerResponse,
  refusal: { status: number; message: string },
): void {
  const body = `${refusal.message}\n`;
  response.writeHead(refusal.status, {
    ...securityHeaders,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
