// /lab/echo: every message comes straight back as it came in. A text message is echoed as text
// and a binary one as binary (RFC 6455 §5.6), so the reader sees the frame type preserved.
import type { WebSocket } from "ws";

export function echo(socket: WebSocket): void {
  socket.on("message", (data, isBinary) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(data, { binary: isBinary });
  });
}
