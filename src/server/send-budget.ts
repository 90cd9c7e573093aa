// A reader that stops reading must not make the lab buffer without bound (DESIGN.md, "a slow
// reader is dropped rather than buffered"). Every send on a lab socket first looks at what is
// still queued for it; past the budget the socket is terminated instead of queueing more, so
// one sleeping laptop costs at most the budget, and nobody else waits for it.
//
// A subclass of ws's WebSocket that the lab's WebSocketServer makes its sockets from (its
// `WebSocket` option): the check lives on the prototype, so a socket carries no wrapper of its own.
import { WebSocket } from "ws";

export function boundedSocketClass(budgetBytes: number): typeof WebSocket {
  return class BoundedWebSocket extends WebSocket {
    override send(data: unknown, optionsOrCallback?: unknown, callback?: unknown): void {
      if (this.bufferedAmount > budgetBytes) {
        this.terminate();
        return;
      }
      (super.send as (...args: unknown[]) => void)(data, optionsOrCallback, callback);
    }
  };
}
