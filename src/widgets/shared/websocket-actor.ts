// Real browser WebSockets as XState callback actors, for machines that declare a `socket`
// actor (see src/machines/echo-connection.ts). They report what the browser reports, stamped
// with performance.now(): opened, message (text as string, binary as bytes), error, closing
// (readyState became CLOSING because this page called close()), closed (code, reason, wasClean).
import { fromCallback } from "xstate";
import type { EchoEvent, SocketCommand } from "../../machines/echo-connection.ts";

type Report = (event: EchoEvent) => void;

/** Wires a browser WebSocket to a machine; returns the clean-up for when the actor stops. */
export function bridgeWebSocket(
  socket: WebSocket,
  report: Report,
  receive: (listener: (command: SocketCommand) => void) => void,
): () => void {
  socket.binaryType = "arraybuffer";
  let closed = false;
  socket.addEventListener("open", () => report({ type: "socket.opened", at: performance.now() }));
  socket.addEventListener("message", (event: MessageEvent<string | ArrayBuffer>) => {
    const data = typeof event.data === "string" ? event.data : new Uint8Array(event.data);
    report({ type: "socket.message", data, at: performance.now() });
  });
  socket.addEventListener("error", () => report({ type: "socket.errored", at: performance.now() }));
  socket.addEventListener("close", (event) => {
    closed = true;
    report({
      type: "socket.closed",
      code: event.code,
      reason: event.reason,
      wasClean: event.wasClean,
      at: performance.now(),
    });
  });
  receive((command) => {
    if (command.type === "send") {
      if (socket.readyState === WebSocket.OPEN) socket.send(command.data as string | Uint8Array<ArrayBuffer>);
      return;
    }
    if (command.code === undefined) socket.close();
    else socket.close(command.code, command.reason ?? "");
    if (socket.readyState === WebSocket.CLOSING) report({ type: "socket.closing", at: performance.now() });
  });
  // The machine stopped this actor (widget removed): leave politely.
  return () => {
    if (!closed && socket.readyState <= WebSocket.OPEN) socket.close(1000, "Widget closed");
  };
}

export const browserWebSocket = fromCallback<SocketCommand, { url: string }>(({ input, sendBack, receive }) =>
  bridgeWebSocket(new WebSocket(input.url), sendBack as Report, receive),
);

/** ws:// or wss:// URL for a lab path on the server that served this page. */
export function labUrl(path: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}
