// /lab/echo: every message comes straight back as it came in. A text message is echoed as text
// and a binary one as binary (RFC 6455 §5.6), so the reader sees the frame type preserved.
import type { RawData, WebSocket } from "ws";

// Shared by every echo socket (`this` is the socket): no closure per connection.
function echoBack(this: WebSocket, data: RawData, isBinary: boolean): void {
  if (this.readyState !== this.OPEN) return;
  this.send(data, { binary: isBinary });
}

export function echo(socket: WebSocket): void {
  socket.on("message", echoBack);
}
