// A reader that stops reading must not make the lab buffer without bound (DESIGN.md, "a slow
// reader is dropped rather than buffered"). Every send on a lab socket first looks at what is
// still queued for it; past the budget the socket is terminated instead of queueing more, so
// one sleeping laptop costs at most the budget, and nobody else waits for it.
import type { WebSocket } from "ws";

export function boundSends(ws: WebSocket, budgetBytes: number): void {
  const send = ws.send.bind(ws) as (...args: unknown[]) => void;
  ws.send = ((...args: unknown[]) => {
    if (ws.bufferedAmount > budgetBytes) {
      ws.terminate();
      return;
    }
    send(...args);
  }) as WebSocket["send"];
}
