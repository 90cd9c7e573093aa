// The lab's HTTP/2 side for lesson 9: cleartext HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3),
// so every byte stays readable, announcing SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3). A
// WebSocket opens with an extended CONNECT (:method CONNECT, :protocol websocket, §4) and the lab
// takes it from there (lab.ts's handleExtendedConnect); any other request is told what this
// server is for. It serves private labs only: the lab's own client is its one visitor.
import http2, { type Http2Server } from "node:http2";
import type { Lab } from "../lab-interface.ts";

function ignore(): void {}

export function createH2cServer(lab: Lab): Http2Server {
  const server = http2.createServer({ settings: { enableConnectProtocol: true } });
  server.on("sessionError", ignore);
  server.on("stream", (stream, headers) => {
    stream.on("error", ignore);
    if (headers[":method"] === "CONNECT" && headers[":protocol"] === "websocket")
      return lab.handleExtendedConnect(stream, headers);
    stream.respond({
      ":status": 405,
      allow: "CONNECT",
      "content-type": "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
    });
    stream.end(
      "This HTTP/2 server carries WebSockets only: open one with an extended CONNECT (:method CONNECT, :protocol websocket, RFC 8441 §4).\n",
    );
  });
  return server;
}
