// GET /lab/http/whoami[?close=1][&delay=MS] → WhoAmI (src/protocol/lab-api.ts): the connection
// that carried this request, its number on that connection, and the server clock. With close=1
// the answer carries `Connection: close` and Node closes the connection after it (RFC 9112
// §9.6), so the client's next request needs a new one; `closing` is also true when the client
// itself asked to close, or spoke HTTP/1.0 without asking to keep the connection alive (§9.3).
import type { IncomingMessage } from "node:http";
import type { WhoAmI } from "../../protocol/lab-api.ts";
import { serverNow } from "../tap/server-clock.ts";
import type { ConnectionRegistry } from "./connections.ts";
import type { LabExchange } from "./exchanges.ts";

export const WHOAMI_PATH = "/lab/http/whoami";

function connectionTokens(request: IncomingMessage): string[] {
  return (request.headers.connection ?? "").split(",").map((t) => t.trim().toLowerCase());
}

/** Would this connection stay open after the response if the lab did nothing special? */
export function clientKeepsAlive(request: IncomingMessage): boolean {
  const tokens = connectionTokens(request);
  if (tokens.includes("close")) return false;
  return request.httpVersion === "1.1" || tokens.includes("keep-alive");
}

export function serveWhoAmI(exchange: LabExchange, connections: ConnectionRegistry, close: boolean): void {
  const { request } = exchange;
  const connection = connections.note(request);
  const closing = close || !clientKeepsAlive(request);
  const answer: WhoAmI = {
    connection: connection.id,
    clientAddress: request.socket.remoteAddress ?? "unknown",
    clientPort: request.socket.remotePort ?? 0,
    request: connection.request,
    closing,
    httpVersion: request.httpVersion,
    serverTime: serverNow(),
  };
  exchange.sendJson(200, answer, undefined, closing ? { Connection: "close" } : {});
}
