// The class the lab's WebSocketServers make their sockets from (ws's `WebSocket` option). The
// two limits every lab socket has live on its prototype, so a socket carries no listener or
// wrapper of its own for them (each would cost thousands of idle sockets memory):
//
// - A message rate: a socket whose peer sends more than `messagesPerSecond` messages a second
//   (a token bucket with a burst of two seconds' worth) is closed with 1008, policy violation
//   (RFC 6455 §7.4.1). The message over the rate is never emitted, so no endpoint handles it.
//   A socket's bucket is made with its first message: one that never speaks needs none.
// - A send budget, for endpoint sockets: a reader that stops reading must not make the lab
//   buffer without bound (DESIGN.md, "a slow reader is dropped rather than buffered"). Every
//   send first looks at what is still queued; past the budget the socket is terminated instead
//   of queueing more, so one sleeping laptop costs at most the budget and nobody else waits for
//   it. Monitors have none here: their bounded outbox (tap/event-outbox.ts) drops and counts.
import { WebSocket } from "ws";
import { createTokenBucket, type TokenBucket } from "./rate-limit.ts";

export interface LabSocketLimits {
  messagesPerSecond: number;
  /** Bytes a socket may have queued before a send terminates it; null for no budget. */
  sendBudgetBytes: number | null;
}

export function labSocketClass(limits: LabSocketLimits): typeof WebSocket {
  const { messagesPerSecond, sendBudgetBytes } = limits;
  return class LabWebSocket extends WebSocket {
    messageBucket: TokenBucket | null = null;

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === "message") {
        this.messageBucket ??= createTokenBucket(messagesPerSecond);
        if (!this.messageBucket.take(performance.now())) {
          if (this.readyState === this.OPEN) this.close(1008, `More than ${messagesPerSecond} messages per second`);
          return false;
        }
      }
      return super.emit(event, ...args);
    }

    override send(data: unknown, optionsOrCallback?: unknown, callback?: unknown): void {
      if (sendBudgetBytes !== null && this.bufferedAmount > sendBudgetBytes) {
        this.terminate();
        return;
      }
      (super.send as (...args: unknown[]) => void)(data, optionsOrCallback, callback);
    }
  };
}
